"""Hostile input (issue 15, items 2-4 and 7): bounded memory, one line per problem, the rest goes on.

The bombs are built from one compressed block repeated as gzip members, so a 1 MB file expands to 1 GB
without this test ever holding that much; the CLI runs in a fresh process that reports its own peak RSS.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.model import Article, Rejection
from crosswire.read import read_paths
from crosswire.settings import Settings

GOOD = "The town council met on Monday evening and approved the budget for the coming year, the mayor said.\n"
GB = 1 << 30
PEAK = """
import resource, runpy, sys
sys.argv = ["crosswire", *sys.argv[1:]]
try:
    runpy.run_module("crosswire.cli", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
# VmHWM: this process's own peak (ru_maxrss would also count the test process it was spawned from)
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print("PEAK_KB", hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def bomb(path: Path, head: bytes, block: bytes, repeat: int, tail: bytes = b"") -> Path:
    """A gzip file of ``head + block * repeat + tail`` made of members, written without building it whole."""
    member = gzip.compress(block, compresslevel=9)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(head))
        for _ in range(repeat):
            fh.write(member)
        if tail:
            fh.write(gzip.compress(tail))
    return path


def read(*paths, **settings):
    items = list(read_paths([str(p) for p in paths], settings=Settings(**settings)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Rejection)]


def cli_peak(tmp_path: Path, *args: str) -> tuple[int, str, int]:
    """Run the crosswire CLI in a fresh process: (exit code, stderr, peak RSS in bytes)."""
    env = dict(os.environ, CROSSWIRE_PROGRESS="0", PYTHONWARNINGS="ignore")
    p = subprocess.run([sys.executable, "-c", PEAK, *args], env=env, capture_output=True, text=True, timeout=600)
    peak = int(re.search(r"PEAK_KB (\d+)", p.stderr).group(1)) * 1024
    return p.returncode, p.stderr + p.stdout, peak


def test_gzip_bomb_of_one_json_line_is_bounded(tmp_path):
    # 1 GB once decompressed, one line with no end: the reproduction
    f = bomb(tmp_path / "bomb.jsonl.gz", b'{"text": "', b"a" * (1 << 20), 1024)
    assert f.stat().st_size < 2_000_000
    code, err, peak = cli_peak(tmp_path, "ingest", str(f), "--db", str(tmp_path / "b.db"))
    assert code == 1, err
    assert f"rejected {f}:1: JSON line is over the 5 MB limit for one article" in err
    assert f"rejected {f}: too large: over the 60 MB limit for a file (jsonl)" in err
    assert peak < GB, f"peak RSS {peak / 1e6:.0f} MB"


def test_gzip_bomb_beside_a_good_file_keeps_the_good_file(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    f = bomb(tmp_path / "bomb.jsonl.gz", b'{"text": "', b"a" * (1 << 20), 200)
    arts, rej = read(tmp_path / "good.txt", f)
    assert [a.path for a in arts] == [str(tmp_path / "good.txt")]
    assert {r.kind for r in rej} == {"too_large"} and all(r.path.startswith(str(f)) for r in rej)


def test_warc_bomb_is_bounded(tmp_path):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    size = len(http) + 1024 * (1 << 20)
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/a\r\n"
        b"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(size).encode() + b"\r\n\r\n" + http + str(size).encode() + b"\r\n\r\n" + http
    )
    f = bomb(tmp_path / "bomb.warc.gz", head, b"<p>" + b"a" * ((1 << 20) - 3), 1024)
    code, err, peak = cli_peak(tmp_path, "ingest", str(f), "--db", str(tmp_path / "w.db"))
    assert code == 1, err
    assert f"{f}#record-1: page is over the 5 MB limit for one article" in err
    assert peak < GB, f"peak RSS {peak / 1e6:.0f} MB"


def test_a_20_mb_json_line_is_over_the_article_limit(tmp_path):
    f = tmp_path / "big.jsonl"
    with open(f, "wb") as fh:
        fh.write(b'{"text": "First good article about the harbour and ferries."}\n')
        fh.write(b'{"text": "' + b"word " * 4_000_000 + b'"}\n')
        fh.write(b'{"text": "Second good article about the new library in town."}\n')
    arts, rej = read(f)
    assert [a.path for a in arts] == [f"{f}:1", f"{f}:3"]
    [r] = rej
    assert r.path == f"{f}:2" and r.kind == "too_large" and "5 MB limit for one article" in r.reason


def test_text_longer_than_spacys_limit_is_rejected_when_read(tmp_path, lang):
    f = tmp_path / "long.txt"
    f.write_text("Long article\n" + "The committee met again today. " * 40_000)  # 1.2 M characters, 1.2 MB
    arts, [r] = read(f)
    assert arts == [] and r.kind == "too_large" and "1,000,000-character limit" in r.reason
    assert lang.spacy.max_length == Settings().max_article_chars  # the parser takes whatever the readers let in


def test_a_file_that_grows_while_it_is_read_is_cut_at_the_limit(tmp_path, monkeypatch):
    f = tmp_path / "growing.txt"
    f.write_bytes(b"words " * 400_000)  # 2.4 MB, more than the 1 MB limit below
    real_stat = Path.stat

    def small_stat(self, *a, **k):  # the size stat saw before the file grew
        st = real_stat(self, *a, **k)
        if self == f:
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 100, *st[7:]))
        return st

    monkeypatch.setattr(Path, "stat", small_stat)
    arts, [r] = read(f, max_article_mb=1.0)
    assert arts == [] and r.kind == "too_large" and "over the 1 MB limit for one article" in r.reason


def test_decode_errors_are_one_line_each_and_the_rest_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "odd.txt").write_bytes(b"\xff\xfeA\x00B")  # UTF-16 with an odd number of bytes
    (tmp_path / "lines.jsonl").write_bytes(
        b'{"text": "A good line about the ferry timetable for the summer."}\n\xff\xfeA\x00B'
    )
    side = tmp_path.parent / f"{tmp_path.name}-side.jsonl"
    side.write_bytes(b'{"path": "good.txt", "source": "Caf\xe9 Post"}\n')  # Latin-1, not UTF-8
    items = list(read_paths([str(tmp_path)], sidecar=str(side), settings=Settings()))
    rej = {r.path: r.reason for r in items if isinstance(r, Rejection)}
    assert rej == {
        str(side): "sidecar is not UTF-8 text (invalid continuation byte at byte 35)",
        str(tmp_path / "lines.jsonl") + ":2": "JSON line cannot be decoded as UTF-16-LE (truncated data at byte 4)",
        str(tmp_path / "odd.txt"): "cannot be decoded as UTF-16-LE (truncated data at byte 4)",
    }
    assert sorted(Path(a.path).name for a in items if isinstance(a, Article)) == ["good.txt", "lines.jsonl:1"]


def test_unpaired_surrogates_and_deep_json_are_bad_lines(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(
        '{"text": "A lone \\ud800 surrogate in an article about ferries."}\n'
        + '{"text": "ok", "extra": '
        + "[" * 100_000
        + "]" * 100_000
        + "}\n"
        + '{"text": "Emoji pairs are fine \\ud83d\\ude00 in an article about ferries."}\n'
        + '{"text": "digits", "n": '
        + "9" * 5000
        + "}\n"
    )
    arts, rej = read(f)
    assert [a.path for a in arts] == [f"{f}:3"]
    assert [(r.path, r.reason.split(" (")[0]) for r in rej] == [
        (f"{f}:1", "JSON line holds an unpaired surrogate escape"),
        (f"{f}:2", "malformed JSON line"),
        (f"{f}:4", "malformed JSON line"),
    ]


def test_nested_html_keeps_its_text_or_says_why(tmp_path):
    para = " ".join(["The council said on Tuesday the bridge would reopen next month after repairs."] * 5)

    def page(depth: int) -> str:
        body = f"{'<div>' * depth}<p>{para}</p>{'</div>' * depth}"
        return f"<html><head><title>Bridge</title></head><body>{body}</body></html>"

    (tmp_path / "deep.html").write_text(page(300))
    (tmp_path / "deeper.html").write_text(page(3000))
    arts, rej = read(tmp_path)
    [a] = arts
    assert a.path.endswith("deep.html") and "bridge would reopen" in a.text
    [r] = rej
    assert r.path.endswith("deeper.html") and "nested more than 2,047 elements deep" in r.reason


def test_utf16_html_with_a_bom_is_read_as_html(tmp_path):
    html = (
        "<html><head><title>Ferry strike ends</title></head><body><article><p>"
        + "The ferry strike ended on Friday after the union and the operator agreed on pay, both said. " * 4
        + "</p></article></body></html>"
    )
    (tmp_path / "page.html").write_bytes(html.encode("utf-16"))
    [a], rej = read(tmp_path / "page.html")
    assert not rej and a.format == "html" and "<p>" not in a.text and "ferry strike ended" in a.text
    assert a.title == "Ferry strike ends"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_every_path_not_read_is_one_line(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "loop").symlink_to(d / "loop")
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")
    (d / "to-dir").symlink_to(tmp_path)
    os.mkfifo(d / "pipe")
    (d / "link.txt").symlink_to(d / "good.txt")  # a link to a file is read like the file
    (tmp_path / "empty").mkdir()
    arts, rej = read(d, tmp_path / "empty")
    assert sorted(Path(a.path).name for a in arts) == ["good.txt", "link.txt"]
    assert {Path(r.path).name: r.reason for r in rej} == {
        "dangling.txt": f"dangling symbolic link (to {d / 'nowhere.txt'}, which does not exist)",
        "loop": "symbolic link loop",
        "pipe": "not a regular file (a FIFO)",
        "to-dir": "symbolic link to a directory, not followed (name the directory itself)",
        "empty": "directory holds no files to read",
    }


def test_markup_in_names_and_text_is_printed_as_it_is(tmp_path, lang, monkeypatch):
    from crosswire.cli import app
    from test_ingest import PAGE, write_warc

    monkeypatch.setattr("crosswire.run.analyze.Language", lambda *a, **k: lang)
    monkeypatch.setattr("crosswire.run.ingest.Language", lambda *a, **k: lang)
    monkeypatch.setenv("CROSSWIRE_PROGRESS", "0")
    d = tmp_path / "in"
    (d / "[").mkdir(parents=True)  # so that the paths read "in/[/red].txt" and "in/[/bold]bad.txt"
    (d / "[" / "red].txt").write_text(GOOD.replace("council", "[/red]council[bold]") * 3)
    (d / "[" / "bold]bad.txt").write_bytes(b"")
    write_warc(d / "w.warc", [("https://x.example/[/bold]", PAGE.replace(b"<title>", b"<title>[/bold] "))], gz=False)
    run = CliRunner().invoke
    db = str(tmp_path / "m.db")
    outlet = "[/red]Town Wire[bold]"  # the text file's outlet, printed in the story list
    r = run(app, ["analyze", str(d), "--db", db, "--out", str(tmp_path / "out"), "--source", outlet])
    assert r.exit_code == 1, r.output
    assert "[/bold]bad.txt: empty file" in r.output
    # each story's title (the analysis's neutral title, built from the text) printed as stored
    stories = json.loads((tmp_path / "out" / "dossier.json").read_text(encoding="utf-8"))["stories"]
    assert len(stories) == 2 and all(f"story {s['id']}: {s['title']} (" in r.output for s in stories), r.output
    r = run(app, ["ingest", str(d), "--db", str(tmp_path / "i.db")])
    assert r.exit_code == 1 and "[/bold]bad.txt" in r.output and "articles read: 2" in r.output, r.output
    r = run(app, ["stories", "--db", db])
    assert r.exit_code == 0 and outlet in r.output, r.output
