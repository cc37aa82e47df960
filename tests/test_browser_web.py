"""End-to-end: the web app served by uvicorn on loopback, driven by Debian's Chromium (Playwright).

Skips when /usr/bin/chromium is absent (`apt-get install chromium`; never `playwright install`).
Saves screenshots of the main pages: under docs/screenshots/ when CROSSWIRE_SCREENSHOTS=1 (to refresh
the README's pictures), else in a temporary folder so a test run leaves the work tree as it was.
"""

from __future__ import annotations

import pytest

from browser_support import AXE, NEEDS_CHROMIUM, SHOTS, axe_violations, chromium, new_page, serve
from web_fixtures import EVIL, build_store

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


@pytest.fixture(scope="module")
def server(seed_dossier, lang, tmp_path_factory):
    from crosswire.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "web.db"
    ids = build_store(db, seed_dossier)
    with serve(create_app(db, lang_factory=lambda: lang)) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    pg = new_page(browser)
    yield pg
    pg.context.close()


def test_story_list_story_and_citation(server, page):
    base, ids = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base + "/")
    link = page.locator(f'a.story-link[href="/stories/{ids["story"]}"]')
    assert link.is_visible()
    page.screenshot(path=str(SHOTS / "stories.png"))
    link.click()
    page.wait_for_url(f"**/stories/{ids['story']}")
    assert page.locator("h2", has_text="Summary").is_visible()
    assert page.locator("svg.timeline-chart rect.bar").count() >= 1
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 2400})
    cite = page.locator("section.summary a.cite").first
    art, start, end = (
        cite.get_attribute("data-article"),
        int(cite.get_attribute("data-start")),
        int(cite.get_attribute("data-end")),
    )
    cite.click()
    page.wait_for_url(f"**/articles/{art}?hl={start}-{end}#hl")
    mark = page.locator("#article-text mark#hl")
    assert mark.is_visible() and mark.is_visible()
    text = page.request.get(f"{base}/api/articles/{art}").json()["article"]["text"]
    shown = "".join(page.locator("#article-text mark").all_text_contents())
    assert shown == text[start:end]
    assert mark.bounding_box()["y"] < 900, "the highlighted source is scrolled into view"
    page.screenshot(path=str(SHOTS / "article.png"))
    assert page.dialogs == []
    assert page.console_errors == [], "our own pages must not trip the Content-Security-Policy"


def test_search_from_the_header(server, page):
    base, ids = server
    page.goto(base + "/")
    page.fill("header input[name=q]", "Peskov")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/?q=Peskov")
    assert "1 story" in page.locator("#result-count").inner_text()
    assert page.locator(f'a.story-link[href="/stories/{ids["story"]}"]').is_visible()
    page.fill("form.filters input[name=q]", "nosuchwordanywhere")
    page.click("form.filters button[type=submit]")
    assert page.locator("text=No story matches these filters.").is_visible()


def test_hostile_article_is_text_not_code(server, page):
    base, ids = server
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for url in (f"/articles/{ids['evil_article']}", f"/stories/{ids['evil_story']}"):
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.dialogs == [], url
        assert page.title() != "pwned"
        body = page.locator("main").inner_text()
        assert '<script>document.title="pwned";alert("xss-script")</script>' in body or url.startswith("/stories")
        assert page.locator("main script, main img, main a[href^='javascript:']").count() == 0
    page.goto(base + f"/articles/{ids['evil_article']}")
    body = page.locator("#article-text").inner_text()
    assert "<img src=x onerror=" in body and "javascript:alert('xss-link')" in body
    assert errors == []


def test_upload_from_the_browser(server, page, tmp_path):
    """Upload a hostile article and an empty file: the article is ingested and shown as text."""
    base, _ = server
    hostile = tmp_path / "hostile-upload.txt"
    hostile.write_text(
        EVIL.read_text(encoding="utf-8").replace("Hostile markup test", "Uploaded hostile markup test"),
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    page.context.add_init_script(path=str(AXE))  # axe-core in every page from here on (the CSP stays on)
    page.goto(base + "/upload")
    page.set_input_files("input[type=file]", [str(hostile), str(empty)])
    page.fill("input[name=source]", "Browser Upload")
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/upload/*")
    page.wait_for_selector("#job-status.status-done, #job-status.status-failed", timeout=240_000)
    assert page.locator("#job-status").inner_text() == "done", page.locator("#job").inner_text()
    assert "empty.txt" in page.locator("ul.rejected").inner_text()
    assert axe_violations(page) == [], "the upload status page at WCAG 2.1 AA"
    assert page.dialogs == []
    page.screenshot(path=str(SHOTS / "upload.png"))
    page.goto(base + "/?outlet=Browser%20Upload")
    page.locator("a.story-link").first.click()
    page.locator("li.article-row", has_text="Browser Upload").locator("h3 a").first.click()
    page.wait_for_url("**/articles/*")
    body = page.locator("#article-text").inner_text()
    assert "Uploaded hostile markup test" in body
    assert "<script>" in body and "onerror=" in body, "the markup is shown as text"
    assert page.locator("main script, main img, main a[href^='javascript:']").count() == 0
    assert page.dialogs == [] and page.title() != "pwned"
