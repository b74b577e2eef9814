"""The lock file: every item's decision, key and metadata, so that a build needs no network.

JSON, keys sorted, two-space indent, items in list order (see README, "The lock file").
Items are found again by their normalized seed title, so the lock survives reordering the list.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .csl import RecordFormatError, csl_to_record, record_to_csl
from .jsonio import DecodeError, loads, pretty
from .model import Considered, Decision, Entry, Status
from .text import normalize_title

LOCK_VERSION = 1
_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")


class LockError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Locked:
    key: str | None  # None: decided but not keyed yet (the formula will give it a key)
    decision: Decision


Lock = dict[str, Locked]  # normalized seed title → what was decided for it


def parse_lock(text: str, path: str) -> Lock:
    try:
        data = loads(text)
    except DecodeError as error:
        raise LockError(path, f"not valid JSON (line {error.lineno}: {error.msg})") from error
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("items"), list):
        raise LockError(path, f"not a refexport lock of version {LOCK_VERSION}")
    lock: Lock = {}
    for index, entry in enumerate(data["items"]):
        try:
            title = normalize_title(entry["seed_title"])
            decision = Decision(
                status=Status(entry["status"]),
                record=csl_to_record(entry["record"]),
                source=str(entry.get("source", "")),
                confidence=entry.get("confidence"),
                reasons=tuple(str(reason) for reason in entry.get("reasons", [])),
                searched=tuple(str(query) for query in entry.get("searched", [])),
                candidates=tuple(Considered(**candidate) for candidate in entry.get("candidates", [])),
            )
            key = entry["key"]
            if not isinstance(key, str) or not _KEY.match(key):
                raise ValueError(f"key {key!r} must be letters, digits and _:.- only")
        except (KeyError, TypeError, ValueError, RecordFormatError) as error:
            raise LockError(path, f"item {index + 1} is malformed: {error}") from error
        lock.setdefault(title, Locked(key=key, decision=decision))
    return lock


def render_lock(entries: Iterable[Entry]) -> str:
    items: list[dict[str, Any]] = []
    for entry in sorted(entries, key=lambda e: e.item.line):
        record = entry.decision.record
        items.append(
            {
                "line": entry.item.line,
                "section": entry.item.section,
                "group": entry.item.group,
                "seed_title": entry.item.seed_title,
                "key": entry.key,
                "status": entry.decision.status.value,
                "doi": record.doi or None,
                "arxiv": record.arxiv or None,
                "source": entry.decision.source,
                "confidence": entry.decision.confidence,
                "reasons": list(entry.decision.reasons),
                "searched": list(entry.decision.searched),
                "candidates": [asdict(candidate) for candidate in entry.decision.candidates],
                "record": record_to_csl(record),
            }
        )
    return pretty({"version": LOCK_VERSION, "items": items}) + "\n"
