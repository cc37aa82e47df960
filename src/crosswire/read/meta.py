"""Source and publication date: from the input's metadata or from the user, never invented.

Precedence, per field (documented in the README):
- a sidecar entry for the file (JSON lines ``{"path": ..., "source": ..., "published": ...}``) wins;
- ``source``: the user's ``--source`` wins over the page's site name (which stays in ``site_name``);
- ``published``: a date in the input's own metadata wins over the global ``--published``
  (that option is for inputs that do not say).
``published_from`` is ``"metadata"``, ``"user"`` or None when the date is unknown.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import json
from dataclasses import dataclass
from pathlib import Path

from crosswire.errors import InputError


def normalise_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) or datetime string, or None when the value is not a date."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = str(value).strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return _dt.date.fromisoformat(s).isoformat()
        return _dt.datetime.fromisoformat(s.replace("Z", "+00:00")).replace(microsecond=0).isoformat()
    except (ValueError, OverflowError):
        pass
    try:  # RFC 2822, as in RSS
        return email.utils.parsedate_to_datetime(s).replace(microsecond=0).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@dataclass
class UserMeta:
    """What the user said about the inputs: global options plus a per-file sidecar."""

    source: str | None = None
    published: str | None = None
    sidecar: dict[str, dict] | None = None

    def for_path(self, path: str) -> dict:
        if not self.sidecar:
            return {}
        keys = [path, str(Path(path).resolve()), Path(path).name]
        for k in keys:
            if k in self.sidecar:
                return self.sidecar[k]
        return {}

    def resolve(self, file_path: str, *, meta_source: str | None = None, meta_published: object = None) -> dict:
        """The final source, published and published_from for one article read from ``file_path``."""
        side = self.for_path(file_path)
        source = side.get("source") or self.source or meta_source
        if side.get("published"):
            published, origin = normalise_date(side["published"]), "user"
        elif meta_published and normalise_date(meta_published):
            published, origin = normalise_date(meta_published), "metadata"
        elif self.published:
            published, origin = self.published, "user"
        else:
            published, origin = None, None
        return {"source": source or None, "published": published, "published_from": origin if published else None}


def load_sidecar(path: str, max_bytes: int = 60_000_000) -> dict[str, dict]:
    """Read a JSON-lines sidecar: one ``{"path", "source", "published"}`` object per line.

    Keys are the path as written, the resolved path (relative to the sidecar's folder)
    and the file name, so any of them matches.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(path, "sidecar file does not exist")
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"sidecar cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(path, f"sidecar is over the {max_bytes / 1_000_000:g} MB limit")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"sidecar is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    out: dict[str, dict] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}", f"sidecar line is not JSON ({exc.msg})") from None
        except RecursionError:
            raise InputError(f"{path}:{n}", "sidecar line is not JSON (nested too deeply)") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("path"), str):
            raise InputError(f"{path}:{n}", 'sidecar line needs a "path" string')
        entry = {k: obj.get(k) for k in ("source", "published")}
        if entry["published"] and not normalise_date(entry["published"]):
            raise InputError(f"{path}:{n}", f"published {entry['published']!r} is not an ISO date")
        raw = obj["path"]
        for key in (raw, str((p.parent / raw).resolve()), str(Path(raw).resolve()), Path(raw).name):
            out.setdefault(key, entry)
    return out
