"""Pages that are no article (a web archive's crawl notice, a sign-in form, a video player's messages) are
left out of a run with one line naming the file and what the page is; real articles, even ones that
mention such things, go on."""

from __future__ import annotations

import json

from crosswire.clean import not_an_article
from crosswire.run.analyze import read_articles
from crosswire.settings import Settings

CRAWL = (
    "Since 2001 a crawler company has been donating their crawl data to a public web archive. "
    "The pages reach the Wayback Machine a few months later."
)
SIGN_IN = (
    "Sign in using your account with: {* loginWidget *}\n\nWelcome back. Please sign in\n\n"
    "Already have an account?\n\nThank you for registering!"
)
PLAYER = "Rating is available when the video has been rented.\n\nThis feature is not available right now."
STORY = (
    "The city council voted on Tuesday to close the old bridge over the river for repairs. "
    "Engineers found cracks in two of its supports last month, the mayor said. "
    "The work will take eight weeks and cost $2.4 million, according to the council."
)


def test_boilerplate_pages_are_named():
    assert not_an_article(CRAWL).startswith("not an article: a web archive's crawl notice (“Since 2001")
    assert not_an_article(SIGN_IN).startswith("not an article: a sign-in or registration form")
    assert not_an_article(PLAYER).startswith("not an article: a video player's messages")
    furniture = "Sign up for our newsletter.\n\nFollow us on Twitter.\n\nAll rights reserved."
    assert not_an_article(furniture).startswith("not an article: nothing but page furniture")


def test_articles_are_not_pages():
    assert not_an_article(STORY) is None
    assert not_an_article("") is None
    # a story about the archive itself names it further down, not as a notice at the top
    about = STORY + " Older versions of the council's page are kept on the Wayback Machine, an aide said."
    assert not_an_article(about) is None
    # a sign-in bar above a long article leaves the article an article (only the bar is page furniture)
    long_story = "Sign in using your account with Google.\n\n" + " ".join([STORY] * 12)
    assert len(long_story.split()) > 400 and not_an_article(long_story) is None
    # a story with one furniture line is a story
    assert not_an_article(STORY + "\n\nSign up for our newsletter.") is None


def test_a_page_in_a_run_is_rejected_with_its_line_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = [{"text": STORY, "title": "Bridge closes"}, {"text": CRAWL}, {"text": SIGN_IN}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    articles, rejected = read_articles([str(path)], settings=Settings.load(progress=False))
    assert [a.title for a in articles] == ["Bridge closes"]
    assert [(r.path, r.kind) for r in rejected] == [(f"{path}:2", "not_article"), (f"{path}:3", "not_article")]
    assert "crawl notice" in rejected[0].reason and "sign-in" in rejected[1].reason
