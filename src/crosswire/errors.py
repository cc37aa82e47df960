"""crosswire's exception tree. Every rejected input carries the path and a reason."""

from __future__ import annotations


class CrosswireError(Exception):
    """Base of every error crosswire raises on purpose."""


class InputError(CrosswireError):
    """An input that cannot be read as an article (the batch goes on without it)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(CrosswireError):
    """The SQLite store cannot be opened, migrated or written."""


class ModelError(CrosswireError):
    """A packaged model is missing or cannot load (nothing is downloaded at run time)."""


class BenchDataError(CrosswireError):
    """Benchmark data is missing or not in the expected layout."""


class ComponentError(CrosswireError):
    """A story component failed; the run stops unless it was asked to keep going."""

    def __init__(self, component: str, story: str, cause: BaseException):
        super().__init__(f"story component '{component}' failed on story {story}: {type(cause).__name__}: {cause}")
        self.component = component
        self.story = story
        self.cause = cause


class AmbiguousIdError(CrosswireError):
    """An id prefix that more than one stored object has."""

    def __init__(self, kind: str, prefix: str, candidates: list[str]):
        shown = ", ".join(candidates[:10]) + (" and more" if len(candidates) > 10 else "")
        super().__init__(f"{prefix!r} is the start of more than one {kind} id: {shown}; give more of the id")
        self.kind = kind
        self.prefix = prefix
        self.candidates = candidates
