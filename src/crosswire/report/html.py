"""The self-contained HTML report (inline CSS, no scripts from elsewhere, works offline)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from crosswire.model import Dossier
from crosswire.views.context import context

TEMPLATES = Path(__file__).parent / "templates"


def template_env(extra_dirs: list[Path] | None = None) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([*(extra_dirs or []), TEMPLATES])
    env = jinja2.Environment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined
    )
    return env


def render_html(dossier: Dossier) -> str:
    env = template_env()
    ctx = context(dossier)
    ctx["css"] = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    ctx["static"] = True
    return env.get_template("report.html").render(**ctx)
