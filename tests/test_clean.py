"""Cleaning: junk removed with reasons and raw offsets, article sentences kept, changes undoable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crosswire.clean.cleaner import apply_removals, clean_article, restore_raw, text_offset
from crosswire.model import Article
from crosswire.read import read_paths
from crosswire.settings import Settings

FIX = Path(__file__).parent / "fixtures" / "clean"
GOLD = json.loads((FIX / "seeds_gold.json").read_text())


def ws(s: str) -> str:
    return " ".join(s.split())


def cleaned(path: Path) -> Article:
    [a] = [i for i in read_paths([str(path)], settings=Settings()) if isinstance(i, Article)]
    return clean_article(a)


def check_mapping(a: Article) -> None:
    starts = [r.start for r in a.removed]
    assert starts == sorted(starts)
    for r, nxt in zip(a.removed, a.removed[1:]):
        assert r.end <= nxt.start, "removals must not overlap"
    for r in a.removed:
        assert a.raw[r.start : r.end] == r.text and r.reason
    assert apply_removals(a.raw, a.removed) == a.text
    assert restore_raw(a.text, a.removed) == a.raw


@pytest.mark.parametrize("name", sorted(GOLD["articles"]))
def test_seeds_against_gold(seeds_dir, name):
    gold = GOLD["articles"][name]
    a = cleaned(seeds_dir / name)
    check_mapping(a)
    lines = {ln.strip() for ln in a.text.split("\n")}
    left = [j for j in gold["junk_lines"] if j in lines or (len(j) > 20 and j in a.text)]
    assert left == [], f"junk left in {name}"
    flat = ws(a.text)
    lost = [s for s in gold["keep"] if ws(s) not in flat]
    assert lost == [], f"article sentences lost in {name}"
    for line in gold["once"]:
        assert a.text.count(line) == 1
    for v in gold["verbatim"]:
        assert v in a.text


def test_seed_rejoins_are_repairs(seeds_dir):
    a = cleaned(seeds_dir / "000_3d441b1a18af6f8f.txt")
    rejoins = [r for r in a.removed if r.reason == "rejoined line broken after abbreviation"]
    assert len(rejoins) == 3 and all(r.text == "\n" and r.replacement == " " for r in rejoins)
    assert a.raw[rejoins[0].start - 4 : rejoins[0].end + 3] == "Oct.\n13."


def test_ordinary_article_is_untouched():
    a = cleaned(FIX / "ordinary.txt")
    assert a.removed == [] and a.text == a.raw  # section headings of a real article stay


def test_chrome_repeated_headline_credit_and_related_list():
    a = cleaned(FIX / "chrome.txt")
    check_mapping(a)
    reasons = {r.reason for r in a.removed}
    assert {
        "site chrome or navigation",
        "headline repeated",
        "list of other stories' headlines appended to the article",
        "rejoined line broken after abbreviation",
    } <= reasons
    for junk in (
        "Skip to main content",
        "Menu",
        "share tweet pin email",
        "Advertisement",
        "Follow Anna Berg",
        "Council debates parking fees",
        "Swimming pool reopens",
        "Related",
    ):
        assert junk not in a.text
    assert a.text.count("Library to open on Sundays from March") == 1
    assert "said the director, Dr. Eva Marsh." in a.text
    assert '"long overdue".' in a.text


def test_appeal_block_at_end():
    a = cleaned(FIX / "appeal.txt")
    check_mapping(a)
    assert [r.reason for r in a.removed] == ["donation or subscription appeal"]
    assert a.text.rstrip().endswith("a spokesperson said.")
    assert "donate" not in a.text.lower() and "Maybe later" not in a.text


def test_related_headline_with_pull_quote():
    a = cleaned(FIX / "teaser.txt")
    [r] = a.removed
    assert r.reason.startswith("related-story headline") and r.text.startswith("Airport expansion approved")
    assert "inflation for three years in a row." in a.text


def test_text_offset_maps_raw_to_clean(seeds_dir):
    a = cleaned(seeds_dir / "003_04c074a9c1fe7e4a.txt")
    word = "Pandora"
    raw_at = a.raw.index(word)
    assert a.text[text_offset(raw_at, a.removed) :].startswith(word)


def test_cleaning_twice_gives_the_same_result(seeds_dir):
    a = cleaned(seeds_dir / "002_4630bdbd1ab82974.txt")
    first = (a.text, [r.to_dict() for r in a.removed])
    clean_article(a)
    assert (a.text, [r.to_dict() for r in a.removed]) == first


def test_seed_dossier_has_clean_articles(seed_dossier):
    assert len(seed_dossier.articles) == 5
    for a in seed_dossier.articles:
        assert all(r.reason for r in a.removed)
        assert not re.search(r"^(close|news|Continue|Leave a review)$", a.text, re.M)
    d = seed_dossier.to_dict()
    assert all({"start", "end", "text", "reason"} <= set(r) for art in d["articles"] for r in art["removed"])


def test_cleaning_bench_smoke():
    from conftest import bench_path
    from crosswire.bench.cleaning import run

    csv_file = bench_path("summaries", "multinews", "validation.csv")
    jsonl_file = bench_path("stories", "ecbplus.jsonl")
    keys = {
        "file",
        "documents",
        "characters",
        "removed_characters",
        "removed_share",
        "documents_with_removals",
        "removals_by_reason",
        "removed_characters_by_reason",
        "docs_per_second",
        "sample",
    }
    web = run(csv_file, limit=5, sample=3)
    clean = run(jsonl_file, limit=50, sample=3)
    assert keys <= set(web) and keys <= set(clean)
    assert web["documents"] > 5 and clean["documents"] == 50
    assert 0.0 <= clean["removed_share"] < 0.01  # ordinary clean articles keep (almost) everything


def test_section_label_and_drop_capital():
    raw = (
        "Politics\n"
        "T\n"
        "he council voted on Monday to close the old bridge to cars from June, ending a debate that lasted a year.\n"
        "Cyclists welcomed the decision.\n"
    )
    a = clean_article(Article(id="x", text=raw, raw=raw))
    check_mapping(a)
    assert a.text.startswith("The council voted on Monday")
    assert [r.reason for r in a.removed] == [
        "section label above the article",
        "rejoined drop capital split from its word",
    ]
    raw2 = "Politics\n" + raw.split("\n", 2)[2]  # a one-word line followed by prose, no drop capital
    b = clean_article(Article(id="y", text=raw2, raw=raw2))
    assert b.text.startswith("he council") and len(b.removed) == 1


def test_one_line_appeal_inside_the_article():
    raw = (
        "The museum will reopen its east wing on Saturday after a two-year renovation that cost 14 million euros, "
        "the director said.\n"
        "Support independent journalism: become a subscriber today and get our newsletter every morning.\n"
        "Tickets for the opening weekend are free, but visitors must book a time slot online.\n"
    )
    a = clean_article(Article(id="x", text=raw, raw=raw))
    assert [r.reason for r in a.removed] == ["donation or subscription appeal"]
    assert "Tickets for the opening weekend" in a.text and "subscriber" not in a.text
