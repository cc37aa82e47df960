"""The web app's views and API on a generated store (no models): the story page's shape, the API's
types, 422s, aliases, search ranking, compression, offline docs; and the view layer's safety nets."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi.testclient import TestClient

from conftest import bench_path
from crosswire.model import Article, Entity, Story
from crosswire.store.db import Store
from crosswire.views.labels import display_name, is_party, quote_text
from crosswire.web.app import create_app
from web_fixtures import build_generated_store


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    root = bench_path("stories").parent
    db = tmp_path_factory.mktemp("gen") / "gen.db"
    ids = build_generated_store(db, root)
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        yield client, ids, db


def _schemas_without_type(node, path="") -> list[str]:
    """Places in an OpenAPI document where a value's type is not described (an empty schema)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("properties",) and isinstance(v, dict):
                out += [f"{path}.{name}" for name, sch in v.items() if sch == {}]
            out += _schemas_without_type(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _schemas_without_type(v, f"{path}[{i}]")
    return out


def test_openapi_describes_every_answer_and_field(gen):
    client, _, _ = gen
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = op["responses"].get("200") or op["responses"].get("202")
            schema = ok["content"]["application/json"]["schema"]
            assert schema, f"{method} {path} answers an undescribed object"
    names = set(spec["components"]["schemas"])
    assert {"StoryRow", "StoryList", "StoryDetail", "Story", "ClaimGroup", "Conflict", "Differences"} <= names
    assert {"ArticleDetail", "OutletDetail", "OutletCount", "UploadJob"} <= names
    assert _schemas_without_type(spec["components"]) == []
    row = spec["components"]["schemas"]["StoryRow"]["properties"]
    assert {"id", "title", "size", "first_date", "last_date", "outlets", "snippet", "score"} <= set(row)


def test_docs_are_served_offline(gen):
    client, _, _ = gen
    r = client.get("/docs")
    assert r.status_code == 200
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/uploads"):
        assert path in r.text
    assert "StoryRow" in r.text and "snippet" in r.text
    assert re.findall(r'(?:src|href)="(https?:[^"]+)"', r.text) == [], "no CDN or other outside address"
    assert re.findall(r"<script[^>]*>", r.text) == ['<script src="/static/app.js" defer>']


@pytest.mark.parametrize(
    "params, name",
    [
        ({"from": "2024-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"sort": "bogus"}, "sort"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "from"),
    ],
)
def test_bad_parameters_are_answered_with_422(gen, params, name):
    client, _, _ = gen
    r = client.get("/api/stories", params=params)
    assert r.status_code == 422 and name in str(r.json()["detail"]), r.text
    page = client.get("/", params=params)
    assert page.status_code == 422 and "<html" in page.text and name in page.text


def test_empty_form_fields_are_no_filter(gen):
    client, _, _ = gen
    r = client.get("/", params={"q": "", "outlet": "", "entity": "", "from": "", "to": "", "sort": ""})
    assert r.status_code == 200
    assert client.get("/api/stories", params={"from": "", "sort": ""}).json()["total"] == 100


def test_one_story_shape_in_list_and_detail(gen):
    client, ids, _ = gen
    rows = client.get("/api/stories", params={"sort": "size", "per_page": 3}).json()["stories"]
    assert rows[0]["id"] == ids["big"] and rows[0]["size"] == 30
    detail = client.get(f"/api/stories/{ids['big']}").json()
    for key, value in rows[0].items():
        assert detail[key] == value, key
    assert detail["story"]["id"] == ids["big"] and len(detail["sources"]) == 30
    nyt = [o for o in detail["outlets"] if o["name"] == "nyt"]
    assert nyt == [{"name": "nyt", "display": "The New York Times"}]
    first = detail["sources"][0]
    assert first["original"] == "https://news.example.org/big/0" and first["file"] == "big-00.json"


def test_entity_filter_honours_aliases(tmp_path):
    def story(sid: str, entity: Entity) -> tuple[Story, Article]:
        text = f"{entity.name} spoke about the budget on Monday ({sid})."
        a = Article(Article.make_id(text), text, text, source="Daily Ledger", published="2024-01-02")
        return Story(sid, f"Story {sid}", [a.id], entities=[entity]), a

    with Store(tmp_path / "alias.db") as store:
        for s, a in (
            story("s_full", Entity("e1", "Nancy Pelosi", "PERSON", ["Nancy Pelosi", "Pelosi"])),
            story("s_short", Entity("e2", "Pelosi", "PERSON", ["Pelosi"])),
            story("s_bare", Entity("e3", "Nancy Pelosi", "PERSON", [])),
            story("s_other", Entity("e4", "Paul Ryan", "PERSON", ["Ryan"])),
        ):
            store.put_article(a)
            store.put_story(s, {a.id: a})
    client = TestClient(create_app(tmp_path / "alias.db"), base_url="http://127.0.0.1:8000")
    found = {}
    for name in ("Pelosi", "Nancy Pelosi", "nancy pelosi"):
        found[name] = {s["id"] for s in client.get("/api/stories", params={"entity": name}).json()["stories"]}
    assert found["Pelosi"] == found["Nancy Pelosi"] == found["nancy pelosi"] == {"s_full", "s_short", "s_bare"}


def test_search_is_ranked_by_relevance_with_a_snippet(tmp_path):
    texts = {
        "s_once": "The council met on Tuesday. Among many items, a shutdown of the old pool was noted in passing.",
        "s_title": "Lawmakers failed to agree on a budget. The shutdown began at midnight and the shutdown "
        "closed parks; the shutdown is the third this decade.",
        **{f"s_none{k}": f"A quiet day {k} with no news about budgets at all." for k in range(5)},
    }
    titles = {"s_once": "Council meeting", "s_title": "Government shutdown begins"}
    with Store(tmp_path / "search.db") as store:
        for k, (sid, text) in enumerate(texts.items()):
            title = titles.get(sid, "Quiet day")
            a = Article(Article.make_id(text), text, text, source="Morning Wire", title=title)
            a.published = f"2024-01-{9 - k:02d}"  # the weakest match is the most recent
            store.put_article(a)
            store.put_story(Story(sid, title, [a.id]), {a.id: a})
    client = TestClient(create_app(tmp_path / "search.db"), base_url="http://127.0.0.1:8000")
    found = client.get("/api/stories", params={"q": "shutdown"}).json()["stories"]
    assert [s["id"] for s in found] == ["s_title", "s_once"]
    assert found[0]["score"] > found[1]["score"]
    assert "shutdown" in found[1]["snippet"] and "pool" in found[1]["snippet"]
    by_date = client.get("/api/stories", params={"q": "shutdown", "sort": "recent"}).json()["stories"]
    assert [s["id"] for s in by_date] == ["s_once", "s_title"]
    page = client.get("/", params={"q": "shutdown"}).text
    assert page.index("Government shutdown begins") < page.index("Council meeting")
    assert '<p class="snippet">' in page and "<mark>shutdown</mark>" in page


def test_pages_and_json_are_compressed(gen):
    client, ids, _ = gen
    for url in ("/", f"/stories/{ids['big']}", "/api/stories", f"/api/stories/{ids['big']}"):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("content-encoding") == "gzip", url
        assert r.headers["content-security-policy"], url
    raw = client.get(f"/stories/{ids['big']}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and len(gzip.compress(raw.content)) < len(raw.content) / 3


def test_story_page_first_screen_then_contents(gen):
    client, ids, _ = gen
    html = client.get(f"/stories/{ids['big']}").text
    order = [
        html.index("<h1>"),
        html.index('">Summary</h2>'),
        html.index('">How the outlets differ</h2>'),
        html.index('">Where they conflict'),
        html.index('<nav class="contents"'),
        html.index('">Timeline</h2>'),
        html.index('">Articles</h2>'),
    ]
    assert order == sorted(order)
    assert "Big generated story: thirty articles from six outlets" in html
    assert "2024-03-01 – 2024-03-09" in html and "The New York Times" in html and "The Washington Post" in html
    assert html.count('<details class="more"><summary>Show all') >= 5
    # the analysis' faults are absorbed: "who" is not shown as a party, quotation marks not doubled
    assert "<strong>who</strong>" not in html and "who says it is unclear" in html
    assert "<h3>who " not in html
    assert "““" not in html and "””" not in html
    assert "the number of people affected" in html
    # originals: the URL as a link, else the file's name (never the local folder)
    assert 'class="original" href="https://news.example.org/big/0" rel="noopener noreferrer nofollow"' in html
    assert "<code>big-01.json</code>" in html and "/data/incoming" not in html
    # the background date of 2011 is listed apart, not on the chart's axis
    assert "Earlier, outside the chart" in html and "2011-05-02" in html
    assert re.search(r'class="tick-label"[^>]*>1 Mar<', html)


def test_one_article_story_says_so_and_skips_comparisons(gen):
    client, ids, _ = gen
    html = client.get(f"/stories/{ids['lone']}").text
    assert "One article from Valley News: there is nothing to compare it with" in html
    for gone in ("How the outlets differ", "Where they conflict", ">Agreement", ">Coverage"):
        assert gone not in html, gone
    assert '">Summary</h2>' in html and '">Articles</h2>' in html and "1 article from 1 outlet" in html


def test_outlet_page_names_codes(gen):
    client, _, _ = gen
    html = client.get("/outlets/nyt").text
    assert "<h1>The New York Times</h1>" in html and "outlet code “nyt”" in html
    assert client.get("/api/outlets/nyt").json()["display"] == "The New York Times"


def test_article_page_links_to_the_original(gen):
    client, ids, _ = gen
    html = client.get(f"/articles/{ids['big_article']}").text
    assert '<a class="original" href="https://news.example.org/big/0" rel="noopener noreferrer nofollow">' in html
    lone = client.get(f"/articles/{ids['lone_article']}").text
    assert "Read from the file <code>lone.txt</code>" in lone and "/data/lone.txt" not in lone


def test_party_names_that_cannot_be_parties():
    for bad in ("who", "two", "deal", "letter", "D-Calif.,", "they", "(R-Texas)", "", None, "x", "There"):
        assert not is_party(bad), bad
    for bad in ("two officials", "they say", "who told"):
        assert not is_party(bad), bad
    for good in ("Nancy Pelosi", "the White House", "Democrats", "NATO", "most EU member states", "AfD"):
        assert is_party(good), good
    assert quote_text("““We will not back down,”” she said") == "We will not back down,”” she said"
    assert quote_text("“We will not back down.”") == "We will not back down."
    assert display_name("nyt") == "The New York Times" and display_name("Reuters") == "Reuters"
    assert display_name("abc-local") == "abc-local"


def test_match_snippet_marks_the_words_fts_matches():
    from crosswire.store.search import match_snippet

    text = "Budget talks stalled. " * 20 + "The government shutdown began at midnight, and shutdowns cost money."
    snip = match_snippet(text, ["government", "shut"])
    assert snip.startswith("…") and "\x02government\x03 \x02shutdown\x03" in snip and "\x02shutdowns\x03" in snip
    assert len(snip) < 260
    assert match_snippet("nothing here", ["shutdown"]) is None and match_snippet("", ["x"]) is None
    assert match_snippet("Governments fell", ["government", "x"]) is None, "only the last word is a prefix"
