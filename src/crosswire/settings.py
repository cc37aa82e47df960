"""Every knob declared once: name, default, help. Precedence: default < env (CROSSWIRE_*) < argument."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass
class Settings:
    db: str = _setting("crosswire.db", "SQLite store file")
    out: str = _setting("out", "directory for dossier.json, report.md and report.html")
    bench_data: str = _setting("../shared/bench", "folder of the benchmark data sets")
    max_file_mb: float = _setting(
        60.0, "a JSON-lines, feed or WARC file larger than this many MB (once decompressed) is read only up to there"
    )
    max_article_mb: float = _setting(
        5.0, "one article (a text or HTML file, a JSON line, a WARC record) larger than this many MB is rejected"
    )
    max_article_chars: int = _setting(
        1_000_000, "an article whose text is longer than this many characters is rejected (spaCy's max_length)"
    )
    embed_batch: int = _setting(64, "sentences per embedding batch (fp32 encoder; int8 runs one text at a time)")
    encoder: str = _setting("int8", "sentence encoder for every path: int8 (ONNX) or fp32 (sentence-transformers)")
    workers: int = _setting(0, "processes of the CLI's analyze, ingest and batch (0: every core)")
    story_threshold: float = _setting(0.25, "similarity above which an article joins a story of its topic")
    story_window_days: float = _setting(21.0, "a story fades after this many days without articles")
    progress: bool = _setting(True, "show progress bars on long inputs")
    quote_tagger: str = _setting(
        "crf",
        "quote tagger: crf, or neural (MiniLM fine-tuned on PolNeAR train, int8 ONNX: better on PolNeAR, "
        "the same verdicts or better on the development stories, but analyze runs 4.5 articles/s instead of 6.3; "
        "see BENCHMARKS quotes)",
    )
    writer_wait_s: float = _setting(600.0, "how long a writer waits while another process writes to the same store")

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        s = cls()
        for f in fields(cls):
            env = os.environ.get(f"CROSSWIRE_{f.name.upper()}")
            if env is not None:
                setattr(s, f.name, _coerce(type(getattr(s, f.name)), env))
        for k, v in overrides.items():
            if v is not None:
                setattr(s, k, v)
        return s

    @staticmethod
    def describe() -> list[tuple[str, object, str]]:
        return [(f.name, f.default, f.metadata.get("help", "")) for f in fields(Settings)]


def worker_count(requested: int | None) -> int:
    """Worker processes for a run: the number asked for, or every core when 0 or None."""
    if requested and requested > 0:
        return int(requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _coerce(kind: type, raw: str) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def bench_root(explicit: str | None = None) -> Path:
    """Where the benchmark data lives: argument, else CROSSWIRE_BENCH_DATA, else ../shared/bench."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("CROSSWIRE_BENCH_DATA", "../shared/bench"))
