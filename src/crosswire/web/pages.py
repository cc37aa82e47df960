"""The HTML pages: stories, a story, an article, an outlet, upload."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from crosswire.web import data
from crosswire.web.api import start_upload

router = APIRouter(include_in_schema=False)
# The page handlers are plain functions, run on uvicorn's thread pool: sqlite3 releases the GIL while
# a query runs, so one request's query overlaps another's rendering (measured with `crosswire bench
# web`: about twice the throughput of running them on the event loop on a busy 2-core machine).


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env = request.app.state.env
    html = env.get_template(name).render(path=request.url.path, quote=quote, **ctx)
    return HTMLResponse(html, status_code=status)


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    sort: str = "recent",
    page: int = Query(1, ge=1),
):
    store = request.app.state.store
    f = data.StoryFilter(q, outlet, entity, date_from, date_to, sort, page).clean()
    result = data.list_stories(store, f)
    return render(
        request, "stories.html", f=f, result=result, outlets=request.app.state.outlets.get(), sorts=data.SORTS
    )


@router.api_route("/stories/{story_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    found = data.load_story(request.app.state.store, story_id)
    if found is None:
        raise HTTPException(404, f"No story {story_id!r} in this store.")
    story, arts = found
    return render(request, "story.html", story=story, static=False, **data.template_helpers(arts))


@router.api_route("/articles/{article_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def article_page(request: Request, article_id: str, hl: str | None = None):
    v = data.load_article(request.app.state.store, article_id, hl)
    if v is None:
        raise HTTPException(404, f"No article {article_id!r} in this store.")
    links = data.web_links()
    return render(request, "article.html", v=v, a=v["article"], **links)


@router.api_route("/outlets/{name:path}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def outlet_page(request: Request, name: str):
    v = data.load_outlet(request.app.state.store, name)
    if not v["stories"] and not v["articles"]:
        raise HTTPException(404, f"No outlet {name!r} in this store.")
    return render(request, "outlet.html", v=v, **data.web_links())


@router.api_route("/upload", methods=["GET", "HEAD"], response_class=HTMLResponse)
def upload_form(request: Request):
    return render(request, "upload.html", limits=request.app.state.limits)


@router.post("/upload")
async def upload_post(
    request: Request, files: list[UploadFile], source: str | None = Form(None), published: str | None = Form(None)
):
    job = await start_upload(request, files, source, published)
    return RedirectResponse(f"/upload/{job.id}", status_code=303)


@router.api_route("/upload/{job_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def upload_status(request: Request, job_id: str):
    job = request.app.state.uploads.get(job_id)
    if job is None:
        raise HTTPException(404, f"No upload job {job_id!r}.")
    return render(request, "upload_status.html", job=job.to_dict())
