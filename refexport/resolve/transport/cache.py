"""A persistent cache of source answers, so that an interrupted resolution resumes without asking
again. SQLite (one file, each answer committed as it arrives, safe across threads).

Only definite answers are kept: a body that parsed (200) and "no such record" (404); a kept
answer that no longer reads is dropped and asked for again. The cache is never opened through a
symbolic link (a `.cache` linked to `/`, a dangling link to a file it would create). A cache
that cannot be opened or written (a full disk, a read-only folder) is given up for the run, with
the reason in `problem`: the answers are asked for again, nothing stops.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

from ...files import is_link_or_special


class ResponseCache:
    def __init__(self, path: Path | None) -> None:
        """`path=None` keeps nothing (no cache)."""
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.problem = ""
        if path is not None:
            if linked := next((p for p in (path.parent, path) if is_link_or_special(p)), None):
                self.problem = f"response cache not used ({linked} is a symbolic link or not a regular file: refexport writes through none)"
                return
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, check_same_thread=False)
                self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER, body TEXT)")
                self._db.commit()
            except (OSError, sqlite3.Error) as error:
                self._give_up(f"{path}: {error}")

    def _give_up(self, reason: str) -> None:
        self.problem = f"response cache not used ({reason})"
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def get(self, key: str) -> tuple[int, str] | None:
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute("SELECT status, body FROM answers WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as error:
                self._give_up(str(error))
                return None
        return (int(row[0]), str(row[1])) if row else None

    def drop(self, key: str) -> None:
        """Forget one answer (one that no longer reads): it is asked for again."""
        self._write("DELETE FROM answers WHERE key = ?", (key,))

    def put(self, key: str, status: int, body: str) -> None:
        self._write("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, status, body))

    def _write(self, statement: str, values: tuple[object, ...]) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute(statement, values)
                self._db.commit()
            except sqlite3.Error as error:
                self._give_up(str(error))

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
                self._db = None
