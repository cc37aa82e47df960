"""Every page type in Chromium at 1280 px and 390 px, on the sample store and a generated 100-story store:
layout (no sideways scroll on a phone, the first screen above the fold, page height), every "show all",
the original's link, the keyboard (skip link, Tab to the first citation) and axe-core at WCAG 2.1 AA.

axe-core 4.14.1 (npm package axe-core, MPL-2.0, Deque Systems) is vendored in tests/vendor/axe-core/
so the tests need no network; see the README there. Skips when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from browser_support import NEEDS_CHROMIUM, SHOTS, axe_page, axe_violations, chromium, new_page, serve
from conftest import bench_path
from web_fixtures import build_generated_store, build_store

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONE, DESKTOP, FOLD = 390, 1280, 900
MAX_STORY_HEIGHT = 6000  # px, the default page of a 30-article story at 1280 px
OWN_SHOTS = Path(tempfile.mkdtemp(prefix="crosswire-shots-"))  # pictures for a person checking a run, not the README


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def sample(seed_dossier, tmp_path_factory):
    from crosswire.web.app import create_app

    db = tmp_path_factory.mktemp("sample") / "web.db"
    ids = build_store(db, seed_dossier)
    with serve(create_app(db)) as base:
        yield (
            base,
            {
                "stories": "/",
                "search": "/?q=Kremlin",
                "story": f"/stories/{ids['story']}",
                "article": f"/articles/{ids['evil_article']}",
                "outlet": "/outlets/Hostile%20Wire",
                "upload": "/upload",
                "docs": "/docs",
                "missing": "/stories/s_nosuchstory",
            },
        )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from crosswire.web.app import create_app

    root = bench_path("stories").parent
    db = tmp_path_factory.mktemp("generated") / "web.db"
    ids = build_generated_store(db, root)
    with serve(create_app(db)) as base:
        yield (
            base,
            {
                "stories": "/",
                "search": "/?q=police",
                "story": f"/stories/{ids['big']}",
                "lone": f"/stories/{ids['lone']}",
                "article": f"/articles/{ids['big_article']}?hl=0-40",
                "outlet": "/outlets/nyt",
            },
        )


@pytest.fixture(params=["sample", "generated"])
def site(request):
    return request.getfixturevalue(request.param)


def _scroll_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def _open_all(page) -> int:
    return page.evaluate(
        "() => { const d = [...document.querySelectorAll('details')]; d.forEach(x => x.open = true); return d.length; }"
    )


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_violations_on_any_page(browser, site, width):
    base, urls = site
    page = axe_page(browser, width)
    try:
        for name, url in urls.items():
            page.goto(base + url)
            found = axe_violations(page)
            assert found == [], f"{name} ({url}) at {width} px: {found}"
            if name in ("story", "lone", "article"):  # what "show all" and the folds open is checked too
                _open_all(page)
                assert axe_violations(page) == [], f"{name} with every fold open at {width} px"
        csp = [e for e in page.console_errors if "Content Security Policy" in e]
        assert csp == [], "our own pages must not trip the Content-Security-Policy"
    finally:
        page.context.close()


def test_axe_sees_a_violation_when_there_is_one(browser, generated):
    """The check itself: an image without a text alternative is reported."""
    base, _ = generated
    page = axe_page(browser, DESKTOP)
    try:
        page.goto(base + "/")
        img = "Object.assign(document.createElement('img'), {src: '/static/favicon.svg'})"
        page.evaluate(f"document.querySelector('main').append({img})")
        assert "image-alt" in [v["id"] for v in axe_violations(page)]
    finally:
        page.context.close()


def test_nothing_is_wider_than_a_phone(browser, site):
    base, urls = site
    page = new_page(browser, PHONE, 844)
    try:
        for name, url in urls.items():
            page.goto(base + url)
            assert _scroll_width(page) <= PHONE, f"{name} ({url}) scrolls sideways at {PHONE} px"
            _open_all(page)
            assert _scroll_width(page) <= PHONE, f"{name} ({url}) with its folds open scrolls sideways"
        page.goto(base + "/")
        assert page.locator("details#filters").get_attribute("open") is None, "filters fold on a phone"
        assert page.locator("a.story-link").first.bounding_box()["y"] < 400, "the stories come first"
    finally:
        page.context.close()


def test_story_first_screen_is_above_the_fold(browser, site):
    base, urls = site
    page = new_page(browser, DESKTOP, FOLD)
    try:
        page.goto(base + urls["story"])
        for part in ("header.story-head h1", "section.summary", "section.differ"):
            box = page.locator(part).bounding_box()
            assert box is not None and box["y"] + box["height"] <= FOLD, f"{part} ends at {box} (fold {FOLD})"
        assert page.locator("section.conflicts").count() == 1
        assert page.locator("nav.contents a").count() >= 6
    finally:
        page.context.close()


def test_big_story_page_height_and_every_show_all(browser, generated):
    base, urls = generated
    page = new_page(browser, DESKTOP, FOLD)
    try:
        page.goto(base + urls["story"])
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"30-article story: {height} px tall at {DESKTOP} px")
        assert height < MAX_STORY_HEIGHT
        page.screenshot(path=str(OWN_SHOTS / "story-big.png"), full_page=True)
        folds = page.locator("details.more")
        assert folds.count() >= 5
        for i in range(folds.count()):
            d = folds.nth(i)
            summary = d.locator("> summary")
            label = summary.inner_text()
            if not summary.is_visible():  # a fold inside a closed fold: its outer fold comes first
                continue
            assert label.startswith("Show all"), label
            hidden = d.locator("> :not(summary)").first
            assert not hidden.is_visible(), label
            summary.click()
            assert d.get_attribute("open") is not None and hidden.is_visible(), label
        opened = page.evaluate("document.documentElement.scrollHeight")
        assert opened > height, "show all adds what was folded"
        page.set_viewport_size({"width": PHONE, "height": 844})
        page.goto(base + urls["story"])
        print(f"30-article story: {page.evaluate('document.documentElement.scrollHeight')} px tall at {PHONE} px")
        page.screenshot(
            path=str(SHOTS / "story-phone.png"), clip={"x": 0, "y": 0, "width": PHONE, "height": 1700}, full_page=True
        )
    finally:
        page.context.close()


def test_timeline_chart_stays_readable_on_a_phone(browser, generated):
    base, urls = generated
    for width in (PHONE, DESKTOP):
        page = new_page(browser, width)
        try:
            page.goto(base + urls["story"])
            labels = page.locator("svg.timeline-chart text.tick-label")
            boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
            assert len(boxes) >= 2
            for a, b in zip(boxes, boxes[1:]):
                assert a["x"] + a["width"] <= b["x"], f"tick labels overlap at {width} px"
            size = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('svg.timeline-chart text')).fontSize)"
            )
            assert size >= 11
            chart = page.locator("svg.timeline-chart").bounding_box()
            assert (
                boxes[0]["x"] >= chart["x"] - 1
                and boxes[-1]["x"] + boxes[-1]["width"] <= chart["x"] + chart["width"] + 1
            )
            assert page.locator("text=Earlier, outside the chart").is_visible()
        finally:
            page.context.close()


def test_article_page_links_to_the_original(browser, generated):
    base, urls = generated
    page = new_page(browser)
    try:
        page.goto(base + urls["article"])
        link = page.locator("a.original")
        assert link.is_visible() and link.get_attribute("href") == "https://news.example.org/big/0"
        assert "noopener" in link.get_attribute("rel")
        page.screenshot(path=str(OWN_SHOTS / "article-original.png"))
        page.goto(base + urls["story"])
        rows = page.locator("li.article-row")
        assert rows.first.locator("a.original").get_attribute("href") == "https://news.example.org/big/0"
        assert rows.nth(1).locator("code").inner_text() == "big-01.json"
    finally:
        page.context.close()


def test_keyboard_skip_link_and_first_citation(browser, site):
    base, urls = site
    page = new_page(browser)
    try:
        page.goto(base + urls["story"])
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert page.evaluate("document.activeElement.className") == "skip" and skip.is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.goto(base + urls["story"])
        stops = 0
        while stops < 40 and not page.evaluate("document.activeElement.classList.contains('cite')"):
            page.keyboard.press("Tab")
            stops += 1
        assert stops < 40, "Tab never reached a citation"
        print(f"first citation: {stops} Tab stops from the top ({urls['story']})")
        assert stops < 15, f"the first citation is {stops} Tab stops from the top"
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect(); return [r.width, r.height]; })()"
        )
        assert min(box) >= 24, f"citation target is {box} px"
        name = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert name.startswith("source ") and ":" in name
        page.keyboard.press("Enter")
        page.wait_for_url("**/articles/*#hl")
        assert page.locator("mark#hl").is_visible()
    finally:
        page.context.close()


def test_arrow_keys_in_the_filters_do_not_submit(browser, site):
    base, _ = site
    page = new_page(browser)
    try:
        page.goto(base + "/")
        assert page.locator("details#filters").get_attribute("open") is not None, "filters open on a wide screen"
        page.focus("form.filters select[name=outlet]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
        assert page.url == base + "/", "an arrow key must not reload the page"
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**/?*outlet=*")
    finally:
        page.context.close()


def test_screens_for_the_readme(browser, generated):
    """Pictures of the generated store for docs/screenshots (kept in a temporary folder unless asked)."""
    base, urls = generated
    page = new_page(browser, DESKTOP, FOLD)
    try:
        page.goto(base + urls["search"])
        assert page.locator("p.snippet mark").count() >= 1
        page.screenshot(path=str(SHOTS / "search.png"))
        page.goto(base + urls["outlet"])
        assert page.locator("h1").inner_text() == "The New York Times"
        page.screenshot(path=str(SHOTS / "outlet.png"))
        page.goto(base + urls["story"])
        page.screenshot(path=str(SHOTS / "story-first-screen.png"))
        page.set_viewport_size({"width": PHONE, "height": 844})
        page.goto(base + "/")
        page.screenshot(path=str(SHOTS / "stories-phone.png"))
    finally:
        page.context.close()
