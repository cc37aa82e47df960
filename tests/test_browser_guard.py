"""In Chromium (issue 15, items 5-6): a page of another origin cannot upload, by fetch (no-cors, as in the
issue) or by a form; a name that re-points to 127.0.0.1 (DNS rebinding) gets no page; this site's own
upload form still works."""

from __future__ import annotations

import pytest

from browser_support import ARGS, CHROMIUM, NEEDS_CHROMIUM, chromium, new_page, serve

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

ATTACK = """<!doctype html><html><head><title>cat pictures</title></head><body>
<form id="f" action="{target}/upload" method="post" enctype="multipart/form-data">
<input type="hidden" name="source" value="Evil"><input type="hidden" name="form_token" value="guess">
</form>
<script>
const fd = new FormData();
fd.append("files", new Blob(["The council met on Monday and voted for the evil plan, officials said."],
  {{type: "text/plain"}}), "evil.txt");
fetch("{target}/api/uploads", {{method: "POST", mode: "no-cors", body: fd}})
  .then(() => {{ document.title = "sent"; }}, () => {{ document.title = "failed"; }});
</script></body></html>"""


@pytest.fixture(scope="module")
def target(tmp_path_factory, lang):
    from crosswire.web.app import create_app

    app = create_app(tmp_path_factory.mktemp("guard") / "g.db", lang_factory=lambda: lang)
    with serve(app) as base:
        yield app, base


@pytest.fixture(scope="module")
def attacker(target):
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    _, base = target
    evil = FastAPI()
    evil.get("/")(lambda: HTMLResponse(ATTACK.format(target=base)))
    with serve(evil) as evil_base:
        yield evil_base.replace("127.0.0.1", "localhost")  # another origin, as a browser sees it


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_another_origin_cannot_upload(target, attacker, browser):
    app, base = target
    page = new_page(browser)
    page.goto(attacker)
    page.wait_for_function("document.title === 'sent' || document.title === 'failed'")
    with page.expect_navigation() as nav:
        page.evaluate("document.getElementById('f').submit()")
    assert nav.value.status == 403
    assert app.state.uploads.jobs == {}, "nothing was queued"
    from crosswire.store import Store

    with Store(app.state.db) as store:
        assert store.count("articles") == 0
    page.context.close()


def test_own_upload_form_still_works(target, browser, tmp_path):
    app, base = target
    f = tmp_path / "ok.txt"
    f.write_text("Harbour fees rise\nThe port authority said on Monday that harbour fees will rise in May.\n")
    page = new_page(browser)
    page.goto(base + "/upload")
    page.set_input_files("input[name=files]", str(f))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("form.upload button[type=submit]")
    assert posted.value.status == 303, posted.value.text()
    page.wait_for_url("**/upload/*")
    assert len(app.state.uploads.jobs) == 1
    page.context.close()


def test_a_rebound_name_gets_no_page(target, browser):
    _, base = target
    port = base.rsplit(":", 1)[1]
    rebinding = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*ARGS, "--host-resolver-rules=MAP attacker.example 127.0.0.1"],
    )
    try:
        page = rebinding.new_page()
        r = page.goto(f"http://attacker.example:{port}/")
        assert r.status == 400 and "Host" in page.content()
        r = page.goto(f"http://attacker.example:{port}/api/stories")
        assert r.status == 400
    finally:
        rebinding.close()
