"""Renderers for a dossier: JSON, Markdown and one self-contained HTML file.

The HTML report and the web app share the Jinja2 templates in ``templates/``
(autoescaping on: article text is untrusted and always shown as text).
"""

from __future__ import annotations

from pathlib import Path

from crosswire.model import Dossier
from crosswire.report.html import render_html, template_env
from crosswire.report.markdown import render_markdown


def write_reports(dossier: Dossier, out_dir: str | Path) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "dossier.json", "markdown": out / "report.md", "html": out / "report.html"}
    dossier.write_json(paths["json"])
    paths["markdown"].write_text(render_markdown(dossier), encoding="utf-8")
    paths["html"].write_text(render_html(dossier), encoding="utf-8")
    return paths


__all__ = ["write_reports", "render_markdown", "render_html", "template_env"]
