"""One writer per store, across processes: an exclusive lock on ``STORE.lock`` held for a whole write.

SQLite serialises single transactions, but an ingest is many transactions over state it keeps in
memory between them (the clusterer). Two ingests interleaving their transactions would each write
story members from a stale copy, so every writer (``ingest``, ``analyze``'s save, ``batch``, the web
app's upload jobs, ``check --repair``) holds this lock from before it reads the state until after its
last write. A second writer waits for it up to a bound, then stops with a message naming the holder.
The operating system drops the lock when its process dies (even by ``kill -9``): no stale lock files.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sys
import time
from pathlib import Path

from crosswire.errors import StoreError


class WriterLock:
    """An exclusive ``flock`` on the store's lock file (re-entrant within one object)."""

    def __init__(self, db_path: str, wait_s: float):
        self.path = Path(f"{db_path}.lock")
        self.wait_s = wait_s
        self._fh = None
        self._depth = 0

    def acquire(self, on_wait=None) -> None:
        """Take the lock, waiting up to ``wait_s`` seconds; ``on_wait(holder)`` is called once if it must wait."""
        if self._depth:
            self._depth += 1
            return
        fh = open(self.path, "a+")  # noqa: SIM115 (held until release)
        deadline = time.monotonic() + self.wait_s
        told = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self._holder()
                if time.monotonic() >= deadline:
                    fh.close()
                    raise StoreError(
                        f"{self.path.name[:-5]}: another crosswire process is writing to this store ({holder}); "
                        f"waited {self.wait_s:g} s. Run again when it has finished "
                        "(CROSSWIRE_WRITER_WAIT_S sets how long to wait)."
                    ) from None
                if on_wait is not None and not told:
                    on_wait(holder)
                    told = True
                time.sleep(0.1)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {socket.gethostname()}: {' '.join(Path(a).name for a in sys.argv[:2])}\n")
        fh.flush()
        self._fh = fh
        self._depth = 1

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    @property
    def held(self) -> bool:
        return self._depth > 0

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()[:200] or "unknown process"
        except OSError:
            return "unknown process"
