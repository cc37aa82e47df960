"""Bad input: each gets ONE clear Rejection naming the file and the reason; the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.model import Article, Rejection
from crosswire.read import read_paths
from crosswire.settings import Settings

FIX = Path(__file__).parent / "fixtures" / "ingest"
GOOD = "The town council met on Monday evening and approved the budget for the coming year, the mayor said.\n"


def run(tmp_path, name: str, data: bytes, **settings):
    """Read one bad file next to a good one; return (articles, rejections)."""
    (tmp_path / "good.txt").write_text(GOOD)
    bad = tmp_path / name
    bad.write_bytes(data)
    items = list(read_paths([str(tmp_path / "good.txt"), str(bad)], settings=Settings(**settings)))
    arts = [i for i in items if isinstance(i, Article)]
    rej = [i for i in items if isinstance(i, Rejection)]
    assert any(a.path == str(tmp_path / "good.txt") for a in arts), "the good file must still be read"
    return arts, rej, str(bad)


def test_empty_file(tmp_path):
    arts, [r], bad = run(tmp_path, "empty.txt", b"")
    assert r.path == bad and "empty" in r.reason and len(arts) == 1


def test_whitespace_only_file(tmp_path):
    _, [r], bad = run(tmp_path, "blank.txt", b"  \n\n \t\n")
    assert r.path == bad and "empty" in r.reason


def test_binary_file(tmp_path):
    _, [r], bad = run(tmp_path, "blob.txt", bytes(range(256)) * 40)
    assert r.path == bad and "binary" in r.reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_and_windows1252_are_decoded(tmp_path, encoding):
    text = "Café owners in Zürich said the “new rules” cost them 5 000 francs – a blow.\n"
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("–", "-")
    arts, rej, bad = run(tmp_path, "legacy.txt", text.encode(encoding))
    assert not rej
    [a] = [a for a in arts if a.path == bad]
    assert a.raw == text and a.extra.get("encoding") in {"cp1252", "latin-1"}


def test_50_mb_file_rejected_without_reading_it(tmp_path):
    bad = tmp_path / "huge.txt"
    with open(bad, "wb") as fh:
        fh.write(b"words of a very long text " * 2_000_000)  # 52 MB, written in one go
    (tmp_path / "good.txt").write_text(GOOD)
    items = list(read_paths([str(tmp_path / "good.txt"), str(bad)], settings=Settings()))
    [r] = [i for i in items if isinstance(i, Rejection)]
    assert r.path == str(bad) and "too large" in r.reason and "52.0 MB" in r.reason
    assert len([i for i in items if isinstance(i, Article)]) == 1


def test_container_over_max_file_mb(tmp_path):
    line = b'{"text": "A short article about the harbour and its new ferry timetable for the summer."}\n'
    _, [r], bad = run(tmp_path, "big.jsonl", line * 20_000, max_file_mb=1.0)
    assert r.path == bad and "too large" in r.reason and "1 MB" in r.reason


def test_malformed_html_extracts_what_it_can(tmp_path):
    html = (
        b"<html><head><title>Storm closes port</title><body><div><p>The storm closed the port of Varna on "
        b"Tuesday and ships waited offshore for two days before the wind dropped, the harbour master said."
        b"<p>Ferries resumed on Thursday morning<div></span></html"
    )
    arts, rej, bad = run(tmp_path, "broken.html", html)
    assert not rej
    [a] = [a for a in arts if a.path == bad]
    assert "port of Varna" in a.text and "<p>" not in a.text


def test_html_without_text_rejected(tmp_path):
    _, [r], bad = run(
        tmp_path, "nothing.html", b"<!DOCTYPE html><html><head><title>x</title></head><body><div></div></body></html>"
    )
    assert r.path == bad and "no article text" in r.reason


def test_broken_feed(tmp_path):
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Broken</title><description>ab'
    )
    arts, rej, bad = run(tmp_path, "feed.xml", data)
    assert [r.path for r in rej if "broken feed" in r.reason] == [bad]
    assert len(arts) == 1


def test_feed_that_is_not_xml(tmp_path):
    _, rej, bad = run(tmp_path, "feed.rss", b'<?xml version="1.0"?>\n<rss version="2.0"><channel>\x01\x02 &&& <<<')
    assert rej and all(r.path.startswith(bad) for r in rej)


def test_malformed_json_line_keeps_good_lines(tmp_path):
    data = (
        b'{"text": "First good article about the harbour and ferries."}\n'
        b'{"text": "broken line, no closing brace"\n'
        b'{"title": "no text field"}\n'
        b'{"text": "Second good article about the new library in town."}\n'
    )
    arts, rej, bad = run(tmp_path, "a.jsonl", data)
    assert [r.path for r in rej] == [f"{bad}:2", f"{bad}:3"]
    assert "malformed JSON" in rej[0].reason and '"text"' in rej[1].reason
    assert len([a for a in arts if a.path.startswith(bad)]) == 2


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_records_before_the_break(tmp_path, gz):
    from test_ingest import PAGE, write_warc

    whole = tmp_path / "whole.warc"
    data = write_warc(
        whole, [(f"https://x.example/{i}", PAGE.replace(b"Port Elliot", f"Port {i}".encode())) for i in range(3)], gz=gz
    )
    whole.unlink()
    arts, rej, bad = run(tmp_path, "cut.warc.gz" if gz else "cut.warc", data[: len(data) - 120])
    kept = [a for a in arts if a.path.startswith(bad)]
    assert [a.url for a in kept] == ["https://x.example/0", "https://x.example/1"]
    [r] = rej
    assert r.path.startswith(bad + "#record-") and "truncated" in r.reason


def test_unknown_formats(tmp_path):
    _, [r], bad = run(tmp_path, "doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)))
    assert r.path == bad and "unknown format" in r.reason and "PDF" in r.reason
    (tmp_path / "doc.pdf").unlink()
    _, [r], bad = run(
        tmp_path, "data.xml", b'<?xml version="1.0"?>\n<catalog><book id="1"><price>5</price></book></catalog>\n'
    )
    assert r.path == bad and "unknown format" in r.reason


def test_path_that_does_not_exist(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    missing = str(tmp_path / "nope" / "missing.txt")
    items = list(read_paths([missing, str(tmp_path / "good.txt")], settings=Settings()))
    assert [(i.path, i.reason) for i in items if isinstance(i, Rejection)] == [(missing, "path does not exist")]
    assert sum(isinstance(i, Article) for i in items) == 1


def test_bad_sidecar_and_bad_published(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    side = tmp_path / "side.jsonl"
    side.write_text('{"path": "good.txt", "published": "yesterday-ish"}\n')
    items = list(
        read_paths([str(tmp_path / "good.txt")], sidecar=str(side), published="13/45/2024", settings=Settings())
    )
    rej = [i for i in items if isinstance(i, Rejection)]
    assert [r.path for r in rej] == ["--published", f"{side}:1"]
    [a] = [i for i in items if isinstance(i, Article)]
    assert a.published is None  # never invented


# --- the CLI exit code: 1 when anything was rejected, 0 otherwise ---------------------------------


@pytest.fixture
def cli(lang, monkeypatch):
    from typer.testing import CliRunner

    from crosswire import cli as cli_mod

    monkeypatch.setattr("crosswire.run.analyze.Language", lambda *a, **k: lang)  # reuse the loaded models
    monkeypatch.setenv("CROSSWIRE_PROGRESS", "0")
    runner = CliRunner()
    return lambda *args: runner.invoke(cli_mod.app, list(args))


def test_cli_exit_codes(tmp_path, cli):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(GOOD)
    ok = cli("analyze", str(good.parent), "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "out1"))
    assert ok.exit_code == 0, ok.output
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    bad = cli(
        "analyze",
        str(good.parent),
        str(tmp_path / "missing.txt"),
        "--db",
        str(tmp_path / "b.db"),
        "--out",
        str(tmp_path / "out2"),
    )
    assert bad.exit_code == 1, bad.output
    assert "empty.txt" in bad.output and "missing.txt" in bad.output
    assert (tmp_path / "out2" / "dossier.json").exists()
