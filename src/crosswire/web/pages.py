"""The HTML pages: stories, a story, an article, an outlet, upload."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from crosswire.views.article import load_article, load_story
from crosswire.views.cards import web_links
from crosswire.views.labels import display_name
from crosswire.views.listing import SORT_NAMES, StoryFilter, list_stories
from crosswire.views.outlet import load_outlet
from crosswire.views.page import story_page
from crosswire.web.api import start_upload
from crosswire.web.follow import changes_context
from crosswire.web.params import story_filter

router = APIRouter(include_in_schema=False)
# The page handlers are plain functions, run on uvicorn's thread pool: sqlite3 releases the GIL while
# a query runs, so one request's query overlaps another's rendering (measured with `crosswire bench
# web`: about twice the throughput of running them on the event loop on a busy 2-core machine).


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env = request.app.state.env
    html = env.get_template(name).render(path=request.url.path, quote=quote, display_name=display_name, **ctx)
    return HTMLResponse(html, status_code=status)


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def stories_page(request: Request, f: StoryFilter = Depends(story_filter)):
    result = list_stories(request.app.state.store, f)
    return render(
        request, "stories.html", f=f, result=result, outlets=request.app.state.outlets.get(), sorts=SORT_NAMES
    )


@router.api_route("/stories/{story_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def story_page_view(request: Request, story_id: str, since: str | None = None):
    found = load_story(request.app.state.store, story_id)
    if found is None:
        raise HTTPException(404, f"No story {story_id!r} in this store.")
    story, arts = found
    new = changes_context(request.app.state.store, story, since)  # the "new since" panel and markers
    return render(request, "story.html", page=story_page(story, arts, web_links()), static=False, **new)


@router.api_route("/articles/{article_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def article_page(request: Request, article_id: str, hl: str | None = None):
    v = load_article(request.app.state.store, article_id, hl)
    if v is None:
        raise HTTPException(404, f"No article {article_id!r} in this store.")
    return render(request, "article.html", v=v, a=v["article"], links=web_links())


@router.api_route("/outlets/{name:path}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def outlet_page(request: Request, name: str):
    v = load_outlet(request.app.state.store, name)
    if not v["stories"] and not v["articles"]:
        raise HTTPException(404, f"No outlet {name!r} in this store.")
    return render(request, "outlet.html", v=v, links=web_links())


@router.api_route("/upload", methods=["GET", "HEAD"], response_class=HTMLResponse)
def upload_form(request: Request):
    access = request.app.state.access
    return render(request, "upload.html", limits=request.app.state.limits, form_token=access.form_token())


@router.post("/upload")
async def upload_post(
    request: Request,
    files: list[UploadFile],
    source: str | None = Form(None),
    published: str | None = Form(None),
    form_token: str | None = Form(None),
):
    if not request.app.state.access.form_ok(form_token):  # only a page of this origin can read the token
        raise HTTPException(403, "This form did not come from this site (or is from before a restart): reload it.")
    job = await start_upload(request, files, source, published)
    return RedirectResponse(f"/upload/{job.id}", status_code=303)


@router.api_route("/upload/{job_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def upload_status(request: Request, job_id: str):
    job = request.app.state.uploads.get(job_id)
    if job is None:
        raise HTTPException(404, f"No upload job {job_id!r}.")
    return render(request, "upload_status.html", job=job.to_dict())
