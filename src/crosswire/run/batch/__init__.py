"""The heavy stages (read, clean, language layer, embeddings) on Ray Data, for corpora beyond one machine.

``run_batch`` (``crosswire batch``) is the entry point; ``crosswire.run.batch.runner``
holds the single-process and the Ray Data paths over the same stage code.
"""

from __future__ import annotations

__all__ = ["run_batch"]


def run_batch(*args, **kwargs):
    from crosswire.run.batch.batch import run_batch as _run

    return _run(*args, **kwargs)
