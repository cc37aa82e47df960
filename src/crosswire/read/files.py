"""Which files the given paths name: files as they are, directories walked (sorted), every entry that
is not read said in one Rejection naming it (a dangling or looping symbolic link, a link to a
directory, a FIFO, socket or device, a directory that cannot be listed, a directory with no files).
Hidden entries (names starting with a dot) are skipped on purpose and not reported."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from crosswire.model import Rejection

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def list_files(paths: Sequence[str]) -> tuple[list[Path], list[Rejection]]:
    """Every file under the given paths, in order, and a Rejection for everything else they name."""
    files: list[Path] = []
    skipped: list[Rejection] = []
    for p in paths:
        path = Path(p)
        try:
            st = path.stat()
        except OSError as exc:
            skipped.append(Rejection(str(p), _missing(path, exc), "unreadable"))
            continue
        if stat.S_ISDIR(st.st_mode):
            found = _walk(path, files, skipped)
            if not found:
                skipped.append(Rejection(str(p), "directory holds no files to read", "empty"))
        elif stat.S_ISREG(st.st_mode):
            files.append(path)
        else:
            skipped.append(Rejection(str(p), f"not a regular file ({_kind(st.st_mode)})", "unreadable"))
    return files, skipped


def _walk(top: Path, files: list[Path], skipped: list[Rejection]) -> int:
    """Add the regular files under ``top`` in sorted order (depth first, without recursion; symbolic
    links to directories are not followed, so a walk always ends). Returns how many it added."""
    n = 0
    stack: list[Iterator[os.DirEntry]] = []
    listed = _list(top, skipped)
    if listed is not None:
        stack.append(listed)
    while stack:
        e = next(stack[-1], None)
        if e is None:
            stack.pop()
            continue
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        try:
            st = e.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                try:
                    st = p.stat()
                except OSError as exc:
                    skipped.append(Rejection(str(p), _missing(p, exc), "unreadable"))
                    continue
                if stat.S_ISDIR(st.st_mode):
                    why = "symbolic link to a directory, not followed (name the directory itself)"
                    skipped.append(Rejection(str(p), why, "skipped"))
                    continue
        except OSError as exc:
            skipped.append(Rejection(str(p), f"cannot be read ({exc.strerror or exc})", "unreadable"))
            continue
        if stat.S_ISDIR(st.st_mode):
            listed = _list(p, skipped)
            if listed is not None:
                stack.append(listed)
        elif stat.S_ISREG(st.st_mode):
            files.append(p)
            n += 1
        else:
            skipped.append(Rejection(str(p), f"not a regular file ({_kind(st.st_mode)})", "unreadable"))
    return n


def _list(folder: Path, skipped: list[Rejection]) -> Iterator[os.DirEntry] | None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skipped.append(Rejection(str(folder), f"directory cannot be listed ({exc.strerror or exc})", "unreadable"))
        return None
    return iter(entries)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a file or directory"


def _missing(path: Path, exc: OSError) -> str:
    """Why a path cannot be followed: no such path, a dangling or looping link, no permission."""
    if path.is_symlink():
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"dangling symbolic link (to {target}, which does not exist)"
    if exc.errno == errno.ENOENT:
        return "path does not exist"
    return f"cannot be read ({exc.strerror or exc})"
