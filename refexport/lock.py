"""The lock file: every item's decision, key and metadata, so that a build needs no network.

JSON, keys sorted, two-space indent, items in list order (see README, "The lock file").
Items are found again by their normalized seed title, so the lock survives reordering the list.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .csl import RecordFormatError, csl_to_record, record_to_csl
from .errors import LockError
from .identifiers import is_arxiv, is_doi
from .jsonio import DecodeError, loads, pretty
from .model import Considered, Decision, Entry, Locked, LockFile, Record, Status, Verdict

LOCK_VERSION = 1
_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")
#: The `source` that locks before `ask_again` wrote for a decision a failed request left open.
_FAILED = "failed"


EMPTY = LockFile()


def load_lock(text: str, path: str) -> LockFile:
    """The lock's rows; `dump_lock` writes them back as they were."""
    try:
        data = loads(text)
    except DecodeError as error:
        raise LockError(f"not valid JSON (line {error.lineno}: {error.msg})", path=path) from error
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("items"), list):
        raise LockError(f"not a refexport lock of version {LOCK_VERSION}", path=path)
    rows: list[Locked] = []
    for index, entry in enumerate(data["items"]):
        try:
            rows.append(_row(entry))
        except (KeyError, TypeError, ValueError, RecordFormatError) as error:
            raise LockError(f"item {index + 1} is malformed: {error}", path=path) from error
    return LockFile(tuple(rows))


def _row(entry: Any) -> Locked:
    if not isinstance(entry, dict):
        raise ValueError("an item must be an object")
    key = entry["key"]
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"key {key!r} must be letters, digits and _:.- only")
    seed_title = entry["seed_title"]
    line = entry.get("line", 0)
    if not isinstance(seed_title, str) or isinstance(line, bool) or not isinstance(line, int):
        raise ValueError("seed_title must be text and line a whole number")
    place = {name: entry.get(name, "") for name in ("section", "group", "title_from")}
    if not all(isinstance(value, str) for value in place.values()):
        raise ValueError("section, group and title_from must be text")
    return Locked(key=key, decision=_decision(entry), line=line, seed_title=seed_title, **place)


def merge(old: LockFile, decided: Mapping[str, Decision]) -> tuple[LockFile, tuple[str, ...]]:
    """The old lock with new decisions for their titles, and the titles whose known decision was
    kept: a decision a failed request cut short never replaces one that knows more (it is kept,
    marked to be asked again)."""
    rows = {title: row for title, row in old.items()}
    kept: list[str] = []
    for title_key, decision in decided.items():
        previous = old.get(title_key)
        if previous is not None and decision.ask_again and knows_more(previous.decision, decision):
            rows[title_key] = replace(previous, decision=replace(previous.decision, ask_again=True))
            kept.append(title_key)
        elif previous is not None:
            rows[title_key] = replace(previous, decision=decision)
        else:
            rows[title_key] = Locked(key=None, decision=decision, seed_title=title_key)
    return LockFile(tuple(rows.values())), tuple(kept)


def knows_more(known: Decision, new: Decision) -> bool:
    """Whether a decision the lock has holds something a new one, cut short by a failed request,
    lacks: an identifier, or being settled at all."""
    ids = {known.record.doi, known.record.arxiv} - {""}
    return bool(ids - {new.record.doi, new.record.arxiv}) or (known.status is not Status.UNRESOLVED and new.status is Status.UNRESOLVED)


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


def rows_of(entries: Iterable[Entry]) -> LockFile:
    """What a lock holds of assembled entries, in list order."""
    return LockFile(tuple(
        Locked(key=e.key, decision=e.decision, line=e.item.line, section=e.item.section, group=e.item.group,
               seed_title=e.item.seed_title, title_from=e.item.title_from)
        for e in sorted(entries, key=lambda e: e.item.line)
    ))


def dump_lock(lock: LockFile) -> str:
    """The lock's text: `load_lock` reads it back to the same rows."""
    items: list[dict[str, Any]] = []
    for row in lock.rows:
        decision = row.decision
        record = decision.record
        flags: dict[str, Any] = {}
        if decision.ambiguous:
            flags["ambiguous"] = list(decision.ambiguous)
        if decision.ask_again:
            flags["ask_again"] = True
        if decision.given:
            flags["given"] = [candidate.written() for candidate in decision.given]
        if decision.origins:
            flags["origins"] = dict(decision.origins)
        if row.title_from:
            flags["title_from"] = row.title_from
        items.append(
            flags | {
                "line": row.line,
                "section": row.section,
                "group": row.group,
                "seed_title": row.seed_title,
                "key": row.key,
                "status": decision.status.value,
                "doi": record.doi or None,
                "arxiv": record.arxiv or None,
                "source": decision.source,
                "confidence": decision.confidence,
                "reasons": list(decision.reasons),
                "searched": list(decision.searched),
                "candidates": [candidate.written() for candidate in decision.candidates],
                "record": record_to_csl(record),
            }
        )
    return pretty({"version": LOCK_VERSION, "items": items}) + "\n"
