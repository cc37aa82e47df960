"""The JSON API: one endpoint per page, every answer a typed model (see schemas.py and /openapi.json)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile

from crosswire.views.article import article_brief, load_article, load_story
from crosswire.views.labels import display_name
from crosswire.views.listing import StoryFilter, list_stories, row_of_story
from crosswire.views.outlet import load_outlet
from crosswire.web import schemas
from crosswire.web.params import published_date, story_filter

router = APIRouter(prefix="/api", tags=["api"])
NOT_FOUND = {404: {"description": "no such item in this store"}}
BAD = {422: {"description": "a parameter has a value the API cannot use (the detail names it)"}}


@router.get("/stories", summary="List, search and filter stories", response_model=schemas.StoryList, responses=BAD)
def api_stories(request: Request, f: StoryFilter = Depends(story_filter)):
    return list_stories(request.app.state.store, f)


@router.get(
    "/stories/{story_id}",
    summary="One story: its list row, the whole story and its articles",
    response_model=schemas.StoryDetail,
    responses=NOT_FOUND,
)
def api_story(request: Request, story_id: str):
    found = load_story(request.app.state.store, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    story, arts = found
    return {
        **row_of_story(story, arts),
        "story": story.to_dict(),
        "sources": [article_brief(arts[a]) for a in story.articles if a in arts],
    }


@router.get(
    "/articles/{article_id}",
    summary="One article: cleaned text, removed junk, marks, copies",
    response_model=schemas.ArticleDetail,
    responses=NOT_FOUND,
)
def api_article(request: Request, article_id: str, hl: str | None = Query(None, description="START-END span")):
    v = load_article(request.app.state.store, article_id, hl)
    if v is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return {
        "article": v["article"].to_dict(),
        "brief": v["brief"],
        "stories": [{"id": s.id, "title": s.title} for s in v["stories"]],
        "marks": [{"start": m.start, "end": m.end, "kind": m.kind, "label": m.label} for m in v["marks"]],
        "highlight": list(v["hl"]) if v["hl"] else None,
        "copies": v["copies"],
        "original": v["original"],
    }


@router.get("/outlets", summary="Every outlet with its number of articles", response_model=list[schemas.OutletCount])
def api_outlets(request: Request):
    return [{"name": n, "display": display_name(n), "articles": c} for n, c in request.app.state.store.outlets()]


@router.get(
    "/outlets/{name:path}",
    summary="One outlet: its stories, exclusives, omissions and wording",
    response_model=schemas.OutletDetail,
    responses=NOT_FOUND,
)
def api_outlet(request: Request, name: str):
    v = load_outlet(request.app.state.store, name)
    if not v["stories"] and not v["articles"]:
        raise HTTPException(404, f"no outlet {name!r}")
    return v


@router.post(
    "/uploads",
    status_code=202,
    summary="Add article files; returns a job to poll",
    response_model=schemas.UploadJob,
    responses={413: {"description": "the upload is larger than the limit"}, **BAD},
)
async def api_upload(
    request: Request, files: list[UploadFile], source: str | None = Form(None), published: str | None = Form(None)
):
    job = await start_upload(request, files, source, published)
    return {**job.to_dict(), "status_url": f"/api/uploads/{job.id}"}


@router.get(
    "/uploads/{job_id}",
    summary="Progress and result of an upload job",
    response_model=schemas.UploadJob,
    responses=NOT_FOUND,
)
def api_upload_status(request: Request, job_id: str):
    job = request.app.state.uploads.get(job_id)
    if job is None:
        raise HTTPException(404, f"no upload job {job_id!r}")
    return job.to_dict()


async def start_upload(request: Request, files: list[UploadFile], source: str | None, published: str | None):
    """Shared by the API and the upload form: save the files, then queue the ingest job."""
    from starlette.concurrency import run_in_threadpool

    day = published_date(published)
    uploads = request.app.state.uploads
    pairs = [(f.filename, f.file) for f in files if f is not None and (f.filename or f.size)]
    job_id, paths, rejected = await run_in_threadpool(uploads.save, pairs)
    for f in files:
        await f.close()
    return uploads.submit(job_id, paths, rejected, source=(source or "").strip() or None, published=day)
