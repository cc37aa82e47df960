"""The story components: declared order, loud failures, --keep-going."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from crosswire.analysis import components
from crosswire.analysis.components import COMPONENTS, Component, check_order
from crosswire.cli import app


def test_every_requirement_is_provided_earlier():
    check_order()  # the shipped order
    names = [c.name for c in COMPONENTS]
    assert names == [
        "entities",
        "dates",
        "storyline",
        "timeline",
        "quotes",
        "claims",
        "compare",
        "differences",
        "summary",
    ]


def test_a_missing_requirement_is_refused():
    swapped = (COMPONENTS[5], *COMPONENTS[:5], *COMPONENTS[6:])  # claims before quotes
    with pytest.raises(ValueError, match="claims requires"):
        check_order(swapped)


def _broken(name: str) -> tuple[Component, ...]:
    def explode(ctx):
        raise ZeroDivisionError("deliberately broken for the test")

    return tuple(dataclasses.replace(c, run=explode) if c.name == name else c for c in COMPONENTS)


def test_a_broken_component_fails_the_run_loudly(monkeypatch, tmp_path, seeds_dir):
    monkeypatch.setattr(components, "COMPONENTS", _broken("timeline"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(seeds_dir), "--out", str(out), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "timeline" in text and "ZeroDivisionError" in text and "deliberately broken" in text
    assert not (out / "dossier.json").exists()


def test_keep_going_skips_it_and_says_so(monkeypatch, tmp_path, seeds_dir):
    monkeypatch.setattr(components, "COMPONENTS", _broken("quotes"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["analyze", str(seeds_dir), "--out", str(out), "--db", str(tmp_path / "c.db"), "--keep-going"]
    )
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "quotes" in result.output
    dossier = json.loads((out / "dossier.json").read_text())
    warned = {w["component"]: w["message"] for w in dossier["warnings"]}
    # the broken one failed; those that need its output were skipped, each named; the others ran
    assert warned["quotes"].startswith("failed: ZeroDivisionError")
    assert set(warned) == {"quotes", "claims", "compare", "differences", "summary"}
    assert all(
        "needs story.quotes" in warned[k]
        or "needs story.claims" in warned[k]
        or "needs story.claim_groups" in warned[k]
        for k in ("claims", "compare", "differences", "summary")
    )
    story = dossier["stories"][0]
    assert story["entities"] and story["timeline"] and story["quotes"] == [] and story["summary"] == []
