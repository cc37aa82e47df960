"""The follow pages in Chromium: the sources page and a story page asked what is new since a time, at
1280 px and 390 px: axe-core at WCAG 2.1 AA, no sideways scroll on a phone, the "new" marks shown."""

from __future__ import annotations

import pytest

from browser_support import NEEDS_CHROMIUM, axe_page, axe_violations, serve
from test_browser_pages import DESKTOP, PHONE, _scroll_width, browser  # noqa: F401 (fixture)
from web_fixtures import build_store

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

LONG_URL = "https://feeds.example-broadcaster.org/world/rss/" + "section-" * 12 + "latest.xml"


@pytest.fixture(scope="module")
def follow_site(seed_dossier, tmp_path_factory):
    from crosswire.run.history import record_dossier
    from crosswire.store.db import Store
    from crosswire.web.app import create_app

    db = tmp_path_factory.mktemp("follow-web") / "web.db"
    ids = build_store(db, seed_dossier)
    with Store(db) as st:
        stored = [st.get_story(s.id) for s in seed_dossier.stories]
        record_dossier(
            st,
            type(seed_dossier)(
                crosswire="",
                generated="2026-01-01T00:00:00+00:00",
                articles=st.articles(),
                stories=[s for s in stored if s],
            ),
        )
        at = "2026-01-01T00:05:00Z"
        st.put_source(LONG_URL, at=at, kind="feed", name="Example Broadcaster")
        st.record_fetch(
            at=at,
            source=LONG_URL,
            url=LONG_URL,
            outcome="ok",
            reason="HTTP 200, 5120 bytes",
            status=200,
            nbytes=5120,
            ms=84,
        )
        bad = "https://slow.example/rss"
        st.put_source(bad, at=at)
        st.record_fetch(
            at=at, source=bad, url=bad, outcome="timeout", reason="timed out (ReadTimeout) after 20 s (after 3 tries)"
        )
    with serve(create_app(db)) as base:
        yield base, {"sources": "/sources", "story since": f"/stories/{ids['story']}?since=2025-12-31"}


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_follow_pages_pass_axe_and_fit_a_phone(browser, follow_site, width):  # noqa: F811 (fixture)
    base, urls = follow_site
    page = axe_page(browser, width)
    try:
        for name, url in urls.items():
            page.goto(base + url)
            assert axe_violations(page) == [], f"{name} ({url}) at {width} px"
            if width == PHONE:
                assert _scroll_width(page) <= PHONE, f"{name} ({url}) scrolls sideways at {PHONE} px"
        page.goto(base + urls["story since"])
        assert page.locator("section.changes h2").inner_text().startswith("New since 2025-12-31")
        assert page.locator("article.story .chip.new").count() >= 1
        page.goto(base + urls["sources"])
        assert page.locator("li.source-row").count() == 2 and page.locator("li.failing").count() == 1
    finally:
        page.context.close()
