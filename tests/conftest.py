"""Shared fixtures. Models load once per test session (they are slow to load)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the run's clock for tests that analyse: fixed, so that their output does not depend on the day they run
RUN_CLOCK = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def bench_path(*parts: str) -> Path:
    """A path inside the benchmark data; skips the test with a reason when it is absent."""
    root = Path(os.environ.get("CROSSWIRE_BENCH_DATA", ROOT.parent / "shared" / "bench"))
    p = root.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"benchmark data not found at {p} (it lives in ../shared/bench; set CROSSWIRE_BENCH_DATA)")
    return p


@pytest.fixture(scope="session")
def lang():
    from crosswire.nlp import Language

    return Language()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_dossier(lang):
    """The dossier of the five sample articles, analysed once for the whole test session."""
    import crosswire

    return crosswire.analyze([str(SEEDS)], lang=lang, now=RUN_CLOCK)
