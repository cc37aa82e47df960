"""Articles added from the browser: saved next to the store, then ingested in a background job.

One worker thread runs the jobs one after another (the store has one writer at a time; a job also
waits while a CLI ingest writes). The job runs the same ingest as ``crosswire ingest``
(crosswire.run.ingest.ingest). Every file the ingest rejects is reported with its name and the reason,
as the CLI prints it.

Bounded: at most ``Limits.max_jobs`` jobs wait or run at once (another upload is refused with 503
until one finishes); a finished job's files are deleted at once, and the job itself is forgotten
after ``keep_finished_s`` seconds or when more than ``max_finished`` finished jobs are kept. Job
folders a stopped server left behind are deleted when the next one starts.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from crosswire.nlp import Language
from crosswire.run.ingest import ingest
from crosswire.settings import Settings

log = logging.getLogger(__name__)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Limits:
    max_file_mb: float = 10.0
    max_total_mb: float = 50.0
    max_files: int = 100
    max_jobs: int = 20  # uploads saved, queued or running at once (20 at once were served before the bound)
    max_finished: int = 200  # finished jobs kept for their status pages
    keep_finished_s: float = 3600.0

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_total_bytes(self) -> int:
        return int(self.max_total_mb * 1024 * 1024)


class UploadQueueFull(Exception):
    """Too many uploads at once: the client should try again later (HTTP 503)."""


@dataclass
class Job:
    id: str
    files: list[str]
    status: str = "queued"  # saving | queued | running | done | failed
    stage: str = ""
    done: int = 0
    total: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    message: str = ""
    stories: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "files": self.files,
            "rejected": self.rejected,
            "message": self.message,
            "stories": self.stories,
            "finished": self.status in ("done", "failed"),
        }


def safe_name(name: str | None, n: int) -> str:
    base = _SAFE.sub("_", Path(name or "").name).strip("._")
    return base[:120] or f"upload-{n}"


class Uploads:
    """The upload jobs of one app."""

    def __init__(self, db: str, limits: Limits, lang_factory: Callable[[], Any] | None = None):
        self.db = db
        self.limits = limits
        self.folder = Path(db).with_name(Path(db).name + ".uploads")
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosswire-upload")
        self._lang_factory = lang_factory
        self._lang = None
        if self.folder.is_dir():  # job folders a stopped server left behind: their jobs are gone
            for old in self.folder.iterdir():
                self._clean(old)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            self._forget_old()
            return self.jobs.get(job_id)

    def active(self) -> int:
        """Jobs being saved, queued or running."""
        with self._lock:
            return sum(1 for j in self.jobs.values() if j.finished is None)

    def _forget_old(self) -> None:
        """Drop finished jobs past their time, and the oldest beyond max_finished (call with the lock)."""
        now = time.time()
        done = sorted((j for j in self.jobs.values() if j.finished is not None), key=lambda j: j.finished or 0)
        extra = len(done) - self.limits.max_finished
        for i, j in enumerate(done):
            if i < extra or now - (j.finished or now) > self.limits.keep_finished_s:
                del self.jobs[j.id]
        for j in [j for j in self.jobs.values() if j.status == "saving" and now - j.started > 600]:
            del self.jobs[j.id]  # a request that died between saving and queueing

    def save(self, files: list[tuple[str | None, BinaryIO]]) -> tuple[str, list[Path], list[dict[str, str]]]:
        """Copy uploaded files into a new job folder, refusing those over the limits.

        Raises UploadQueueFull, before anything is written, when max_jobs uploads are unfinished."""
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._forget_old()
            if sum(1 for j in self.jobs.values() if j.finished is None) >= self.limits.max_jobs:
                raise UploadQueueFull(
                    f"{self.limits.max_jobs} uploads are already waiting or running; try again when one has finished"
                )
            self.jobs[job_id] = Job(job_id, [], status="saving")
        folder = self.folder / job_id
        folder.mkdir(parents=True, exist_ok=True)
        saved: list[Path] = []
        rejected: list[dict[str, str]] = []
        total = 0
        used: set[str] = set()
        for n, (name, fh) in enumerate(files[: self.limits.max_files], 1):
            shown = Path(name or "").name or f"upload-{n}"
            fname = safe_name(name, n)
            while fname in used:
                fname = f"{n}-{fname}"
            used.add(fname)
            dest = folder / fname
            size = 0
            too_big = False
            with dest.open("wb") as out:
                for chunk in iter(lambda: fh.read(1 << 16), b""):  # noqa: B023 (used inside this iteration)
                    size += len(chunk)
                    if size > self.limits.max_file_bytes or total + size > self.limits.max_total_bytes:
                        too_big = True
                        break
                    out.write(chunk)
            if too_big:
                dest.unlink(missing_ok=True)
                limit = (
                    f"{self.limits.max_file_mb:g} MB per file"
                    if size > self.limits.max_file_bytes
                    else f"{self.limits.max_total_mb:g} MB per upload"
                )
                rejected.append({"path": shown, "reason": f"file is larger than the upload limit ({limit})"})
                continue
            total += size
            saved.append(dest)
        for name, _ in files[self.limits.max_files :]:
            rejected.append(
                {
                    "path": Path(name or "").name or "?",
                    "reason": f"too many files in one upload (at most {self.limits.max_files})",
                }
            )
        return job_id, saved, rejected

    def submit(
        self,
        job_id: str,
        paths: list[Path],
        rejected: list[dict[str, str]],
        *,
        source: str | None = None,
        published: str | None = None,
    ) -> Job:
        job = Job(job_id, [p.name for p in paths], rejected=list(rejected), total=len(paths))
        with self._lock:
            self.jobs[job_id] = job
        if not paths:
            job.status, job.finished = "failed", time.time()
            job.message = "no file could be read" if rejected else "no files were uploaded"
            self._clean(self.folder / job_id)
            return job
        self._pool.submit(self._run, job, paths, source, published)
        return job

    def _progress(self, job: Job) -> Callable[[str, int, int], None]:
        def cb(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        return cb

    def _show(self, path: str, folder: Path) -> str:
        p = str(path)
        return p[len(str(folder)) + 1 :] if p.startswith(str(folder) + "/") else p

    def _run(self, job: Job, paths: list[Path], source: str | None, published: str | None) -> None:
        job.status, job.stage = "running", "reading"
        folder = paths[0].parent
        settings = Settings.load(db=self.db, progress=False)
        try:
            result = ingest(
                [str(p) for p in paths],
                db=self.db,
                source=source,
                published=published,
                sidecar=None,
                settings=settings,
                progress=self._progress(job),
                lang=self._language(),
                on_wait=lambda holder: setattr(
                    job, "stage", f"waiting: another process writes to the store ({holder})"
                ),
            )
            rejected = result.rejected
            job.message = result.describe()
            job.stories = list(dict.fromkeys(result.stories_touched))
            job.rejected += [{"path": self._show(r.path, folder), "reason": r.reason} for r in rejected]
            job.status = "done"
        except Exception as exc:  # the job fails with its reason; the server goes on
            log.exception("upload job %s failed", job.id)
            job.status, job.message = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            self._clean(folder)
            job.finished = time.time()

    def _clean(self, folder: Path) -> None:
        """Delete a job's folder (its articles are in the store now, or were rejected)."""
        if folder.parent == self.folder:
            shutil.rmtree(folder, ignore_errors=True)

    def _language(self):
        if self._lang is None:
            if self._lang_factory is not None:
                self._lang = self._lang_factory()
            else:
                self._lang = Language()
        return self._lang

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
