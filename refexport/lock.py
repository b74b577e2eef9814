"""The lock file: every item's decision, key and metadata, so that a build needs no network.

JSON, keys sorted, two-space indent, items in list order (see README, "The lock file").
Items are found again by their normalized seed title, so the lock survives reordering the list.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .csl import RecordFormatError, csl_to_record, record_to_csl
from .errors import LockError
from .identifiers import is_arxiv, is_doi
from .jsonio import DecodeError, loads, pretty
from .model import Considered, Decision, Entry, Record, Status, Verdict
from .text import normalize_title

LOCK_VERSION = 1
_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")
#: The `source` that locks before `ask_again` wrote for a decision a failed request left open.
_FAILED = "failed"


@dataclass(frozen=True)
class Locked:
    key: str | None  # None: decided but not keyed yet (the formula will give it a key)
    decision: Decision


Lock = dict[str, Locked]  # normalized seed title → what was decided for it


def parse_lock(text: str, path: str) -> Lock:
    try:
        data = loads(text)
    except DecodeError as error:
        raise LockError(f"not valid JSON (line {error.lineno}: {error.msg})", path=path) from error
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("items"), list):
        raise LockError(f"not a refexport lock of version {LOCK_VERSION}", path=path)
    lock: Lock = {}
    for index, entry in enumerate(data["items"]):
        try:
            title = normalize_title(entry["seed_title"])
            decision = _decision(entry)
            key = entry["key"]
            if not isinstance(key, str) or not _KEY.match(key):
                raise ValueError(f"key {key!r} must be letters, digits and _:.- only")
        except (KeyError, TypeError, ValueError, RecordFormatError) as error:
            raise LockError(f"item {index + 1} is malformed: {error}", path=path) from error
        lock.setdefault(title, Locked(key=key, decision=decision))
    return lock


def _confidence(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"confidence {value!r} must be a number from 0 to 1, or null")
    return float(value)


def _strings(entry: dict[str, Any], name: str) -> tuple[str, ...]:
    values = entry.get(name, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError(f"{name} must be a list of strings")
    return tuple(values)


def _record(entry: dict[str, Any]) -> Record:
    """The entry's record, its identifiers checked, and the same as the entry's visible ones
    (a hand edit of `doi` or `arxiv` would otherwise be ignored without a word)."""
    record = csl_to_record(entry["record"])
    if record.doi and not is_doi(record.doi):
        raise ValueError(f"the record's DOI {record.doi[:100]!r} is not a DOI")
    if record.arxiv and not is_arxiv(record.arxiv):
        raise ValueError(f"the record's arXiv id {record.arxiv[:100]!r} is not an arXiv id")
    for name, value in (("doi", record.doi), ("arxiv", record.arxiv)):
        if name in entry and (entry[name] or "") != value:
            raise ValueError(f"{name} {entry[name]!r} differs from its record's ({value or 'none'}); "
                             "the lock is written by refexport: set identifiers in overrides/ (refexport pin)")
    return record


def _decision(entry: dict[str, Any]) -> Decision:
    source = str(entry.get("source", ""))
    return Decision(
        status=Status(entry["status"]),
        record=_record(entry),
        source=source,
        confidence=_confidence(entry.get("confidence")),
        reasons=_strings(entry, "reasons"),
        searched=_strings(entry, "searched"),
        candidates=tuple(_considered(candidate) for candidate in entry.get("candidates", [])),
        ambiguous=_strings(entry, "ambiguous"),
        ask_again=bool(entry.get("ask_again", False)) or source == _FAILED,
        given=tuple(_considered(candidate, given=True) for candidate in entry.get("given", [])),
        origins=tuple((str(name), str(origin)) for name, origin in _origins(entry).items()),
    )


def _considered(fields: dict[str, Any], *, given: bool = False) -> Considered:
    """A candidate or verdict as the lock writes it; a verdict's kind is how its reason begins."""
    if not isinstance(fields, dict) or "verdict" in fields:
        raise ValueError("a candidate must be an object of the lock's candidate fields")
    considered = Considered(**fields)
    return replace(considered, verdict=Verdict.of_reason(considered.why)) if given else considered


def _origins(entry: dict[str, Any]) -> dict[str, Any]:
    origins = entry.get("origins", {})
    if not isinstance(origins, dict):
        raise ValueError("origins must be an object")
    return origins


def render_lock(entries: Iterable[Entry]) -> str:
    items: list[dict[str, Any]] = []
    for entry in sorted(entries, key=lambda e: e.item.line):
        record = entry.decision.record
        flags: dict[str, Any] = {}
        if entry.decision.ambiguous:
            flags["ambiguous"] = list(entry.decision.ambiguous)
        if entry.decision.ask_again:
            flags["ask_again"] = True
        if entry.decision.given:
            flags["given"] = [candidate.written() for candidate in entry.decision.given]
        if entry.decision.origins:
            flags["origins"] = dict(entry.decision.origins)
        if entry.item.title_from:
            flags["title_from"] = entry.item.title_from
        items.append(
            flags | {
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
                "candidates": [candidate.written() for candidate in entry.decision.candidates],
                "record": record_to_csl(record),
            }
        )
    return pretty({"version": LOCK_VERSION, "items": items}) + "\n"
