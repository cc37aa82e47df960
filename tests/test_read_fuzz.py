"""A fuzz test of the readers (issue 15): real inputs of every format, truncated, spliced, re-encoded,
gzipped, sprinkled with hostile pieces. Every input must give Articles and Rejections that name it,
never a traceback (nor the readers' last-resort "reader failed" line), within bounded memory.

Hypothesis runs a fixed, derandomised budget (CROSSWIRE_FUZZ_EXAMPLES, default 120), so a CI run is the
same every time; raise the budget locally to search longer.
"""

from __future__ import annotations

import gc
import gzip
import os
import tempfile
import tracemalloc
from pathlib import Path

import psutil
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.model import Article, Rejection
from crosswire.read import read_paths
from crosswire.settings import Settings
from test_ingest import PAGE, write_warc

HERE = Path(__file__).resolve().parent
FIX = HERE / "fixtures"
EXAMPLES = int(os.environ.get("CROSSWIRE_FUZZ_EXAMPLES", "120"))
LIMITS = Settings(max_file_mb=1.0, max_article_mb=0.25, max_article_chars=100_000)


def _seeds() -> list[bytes]:
    with tempfile.TemporaryDirectory() as d:
        warc = write_warc(Path(d) / "w.warc", [("https://x.example/1", PAGE), ("https://x.example/2", PAGE)], gz=False)
        warc_gz = write_warc(Path(d) / "w.warc.gz", [("https://x.example/1", PAGE)], gz=True)
    return [
        (FIX / "ingest" / "articles.jsonl").read_bytes(),
        (FIX / "ingest" / "feed.xml").read_bytes(),
        PAGE,
        (FIX / "stories" / "flood_a.txt").read_bytes(),
        warc,
        warc_gz,
    ]


SEEDS = _seeds()
HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x1f\x8b\x08\x00",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate
    b'\\ud800"',
    b'{"text": ',
    b"}\n",
    b"\r\n\r\n",
    b"WARC/1.0\r\nContent-Length: 99999999999\r\n\r\n",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>&b;",
    b'<!ENTITY x SYSTEM "file:///etc/passwd">&x;',
    b"<![CDATA[",
    b"<div>" * 400,
    b"[" * 3000,
    b"[/red]",
    b"<script>alert(1)</script>",
    b"\xe2\x80\xae",  # right-to-left override
    bytes(range(256)),
]
NAMES = ["a.txt", "a.html", "a.jsonl", "a.xml", "a.warc", "a.warc.gz", "a.jsonl.gz", "a.gz", "noext"]


@st.composite
def mangled(draw) -> tuple[str, bytes]:
    data = draw(st.sampled_from(SEEDS))
    for op in draw(
        st.lists(st.sampled_from(["cut", "splice", "insert", "encode", "gzip", "flip", "repeat"]), max_size=4)
    ):
        n = len(data)
        if op == "cut":
            data = data[: draw(st.integers(0, n))]
        elif op == "splice":
            other = draw(st.sampled_from(SEEDS))
            data = data[: draw(st.integers(0, n))] + other[draw(st.integers(0, len(other))) :]
        elif op == "insert":
            piece = draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=48)))
            at = draw(st.integers(0, n))
            data = data[:at] + piece + data[at:]
        elif op == "encode":
            enc = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-8-sig"]))
            data = data.decode("utf-8", "replace").encode(enc, "replace")
        elif op == "gzip":
            data = gzip.compress(data)
        elif op == "flip" and n:
            i = draw(st.integers(0, n - 1))
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif op == "repeat":
            data = data * draw(st.integers(2, 40))
    return draw(st.sampled_from(NAMES)), data


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(case=mangled())
def test_readers_take_anything(case):
    name, data = case
    rss_before = psutil.Process().memory_info().rss
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / name
        f.write_bytes(data)
        tracemalloc.start()
        try:
            items = list(read_paths([str(f)], settings=LIMITS))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert items, "every input gives an article or says why not"
    for item in items:
        assert isinstance(item, (Article, Rejection))
        if isinstance(item, Rejection):
            assert item.path.startswith(str(f)) and item.reason.strip() and "\n" not in item.reason
            assert item.kind != "failed", item.reason  # the last resort: a reader raised
        else:
            assert item.path.startswith(str(f)) and item.text.strip() and len(item.raw) <= LIMITS.max_article_chars
            item.raw.encode("utf-8")  # storable: no lone surrogates
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MiB of Python objects for a {len(data):,}-byte input"
    gc.collect()
    assert psutil.Process().memory_info().rss - rss_before < 256 * 2**20
