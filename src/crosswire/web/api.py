"""The JSON API: one endpoint per page, documented at /openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile

from crosswire.web import data

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/stories", summary="List, search and filter stories")
def api_stories(
    request: Request,
    q: str | None = Query(None, description="full-text search over stories and their articles"),
    outlet: str | None = Query(None, description="only stories this outlet covers"),
    entity: str | None = Query(None, description="only stories naming this entity (name or alias)"),
    date_from: str | None = Query(None, alias="from", description="dates on or after YYYY-MM-DD"),
    date_to: str | None = Query(None, alias="to", description="dates on or before YYYY-MM-DD"),
    sort: str = Query("recent", description="recent | size | oldest"),
    page: int = Query(1, ge=1),
    per_page: int = Query(data.PER_PAGE, ge=1, le=200),
) -> dict[str, Any]:
    f = data.StoryFilter(q, outlet, entity, date_from, date_to, sort, page, per_page).clean()
    return data.list_stories(request.app.state.store, f)


@router.get("/stories/{story_id}", summary="One story with its whole dossier")
def api_story(request: Request, story_id: str) -> dict[str, Any]:
    found = data.load_story(request.app.state.store, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    story, arts = found
    return {"story": story.to_dict(), "articles": [data.article_brief(a) for a in arts.values()]}


@router.get("/articles/{article_id}", summary="One article: cleaned text, removed junk, marks, copies")
def api_article(
    request: Request, article_id: str, hl: str | None = Query(None, description="START-END span")
) -> dict[str, Any]:
    v = data.load_article(request.app.state.store, article_id, hl)
    if v is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return {
        "article": v["article"].to_dict(),
        "stories": [{"id": s.id, "title": s.title} for s in v["stories"]],
        "marks": [{"start": m.start, "end": m.end, "kind": m.kind, "label": m.label} for m in v["marks"]],
        "highlight": list(v["hl"]) if v["hl"] else None,
        "copies": v["copies"],
        "original": v["original"],
    }


@router.get("/outlets", summary="Every outlet with its number of articles")
def api_outlets(request: Request) -> list[dict[str, Any]]:
    return [{"name": n, "articles": c} for n, c in request.app.state.store.outlets()]


@router.get("/outlets/{name:path}", summary="One outlet: its stories, exclusives, omissions and wording")
def api_outlet(request: Request, name: str) -> dict[str, Any]:
    v = data.load_outlet(request.app.state.store, name)
    if not v["stories"] and not v["articles"]:
        raise HTTPException(404, f"no outlet {name!r}")
    return v


@router.post("/uploads", status_code=202, summary="Add article files; returns a job to poll")
async def api_upload(
    request: Request, files: list[UploadFile], source: str | None = Form(None), published: str | None = Form(None)
) -> dict[str, Any]:
    job = await start_upload(request, files, source, published)
    return {**job.to_dict(), "status_url": f"/api/uploads/{job.id}"}


@router.get("/uploads/{job_id}", summary="Progress and result of an upload job")
def api_upload_status(request: Request, job_id: str) -> dict[str, Any]:
    job = request.app.state.uploads.get(job_id)
    if job is None:
        raise HTTPException(404, f"no upload job {job_id!r}")
    return job.to_dict()


async def start_upload(request: Request, files: list[UploadFile], source: str | None, published: str | None):
    """Shared by the API and the upload form: save the files, then queue the ingest job."""
    from starlette.concurrency import run_in_threadpool

    uploads = request.app.state.uploads
    pairs = [(f.filename, f.file) for f in files if f is not None and (f.filename or f.size)]
    job_id, paths, rejected = await run_in_threadpool(uploads.save, pairs)
    for f in files:
        await f.close()
    published = data._date_or_none(published)
    return uploads.submit(job_id, paths, rejected, source=(source or "").strip() or None, published=published)
