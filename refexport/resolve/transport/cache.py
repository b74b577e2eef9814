"""A persistent cache of source answers, so that an interrupted resolution resumes without asking
again. SQLite (one file, each answer committed as it arrives, safe across threads).

Only definite answers are kept: a body that parsed (200) and "no such record" (404).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ResponseCache:
    def __init__(self, path: Path | None) -> None:
        """`path=None` keeps nothing (no cache)."""
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER, body TEXT)")
            self._db.commit()

    def get(self, key: str) -> tuple[int, str] | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT status, body FROM answers WHERE key = ?", (key,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def put(self, key: str, status: int, body: str) -> None:
        if self._db is None:
            return
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, status, body))
            self._db.commit()

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
                self._db = None
