"""List + lock + overrides → one decision and one key per item, and the distinct works.

Order of precedence: overrides, then the lock, then what the list itself says. Duplicates (the
same work twice, also across sections) share one key and one entry (lint names them).

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .errors import OverrideError
from .keys import WorkId, assign_keys, work_id
from .model import GIVEN_UNCHECKED, Decision, Entry, ListItem, LockFile, Override, ReadingList, Record, Status, Work
from .names import with_whole_names
from .overrides import apply_override
from .seed import record_from_item
from .text import normalize_title
from .venues import with_whole_event

NOT_IN_LOCK = "not in the lock: written from what the list says"
_STATUS_RANK = {Status.OVERRIDE: 0, Status.RESOLVED: 1, Status.SKIPPED: 2, Status.UNRESOLVED: 3}
#: Decisions whose identifiers a source or a maintainer vouches for; a list's own links may be
#: copy-paste errors, so they do not make two differently titled entries one work.
_VERIFIED = (Status.RESOLVED, Status.OVERRIDE)


@dataclass(frozen=True)
class Bibliography:
    entries: tuple[Entry, ...]  # one per list item, in list order
    works: tuple[Work, ...]  # distinct works, in order of first appearance


def _whole(decision: Decision) -> Decision:
    """The decision with its conference name whole (sources deposit some cut off) and its authors'
    names decoded and joined."""
    record = with_whole_names(with_whole_event(decision.record))
    return decision if record is decision.record else replace(decision, record=record)


def _decision_from_list(record: Record) -> Decision:
    origins = tuple((name, GIVEN_UNCHECKED) for name in record.identifier_names)
    return Decision(status=Status.UNRESOLVED, record=record, source="list", reasons=(NOT_IN_LOCK,), origins=origins)


def _keys(
    items: Sequence[ListItem], decisions: Sequence[Decision], lock_keys: Sequence[str | None]
) -> list[str]:
    """Each item's key; a work keeps the lock key of its first item that has one."""
    ids = [work_id(decision.record, verified=decision.status in _VERIFIED) for decision in decisions]
    pinned: dict[WorkId, str] = {}
    pinned_keys: set[str] = set()
    for identity, key in zip(ids, lock_keys, strict=True):
        if key is not None and identity not in pinned and key not in pinned_keys:
            pinned[identity] = key
            pinned_keys.add(key)
    keys = assign_keys(zip(ids, (d.record for d in decisions), strict=True), pinned)
    return [keys[identity] for identity in ids]


def _select(overrides: Sequence[Override], items: Sequence[ListItem], keys: Sequence[str]) -> dict[int, Override]:
    """Which override (if any) speaks for each item, by index; raises `OverrideError` for an
    override that selects nothing or two overrides for one item."""
    chosen: dict[int, Override] = {}
    titles = [normalize_title(item.seed_title) for item in items]
    for override in overrides:
        hits = [
            index
            for index in range(len(items))
            if (override.match_title and titles[index] == override.match_title)
            or (override.match_key and keys[index] == override.match_key)
        ]
        if not hits:
            raise OverrideError(f"selects no item of the list ({override.selector})", path=override.path, line=override.line)
        for index in hits:
            if index in chosen:
                other = chosen[index]
                raise OverrideError(
                    f"line {items[index].line} of the list is already overridden at {other.where}",
                    path=override.path,
                    line=override.line,
                )
            chosen[index] = override
    return chosen


@dataclass(frozen=True)
class _Start:
    """Each item's seed record, decision before overrides, and key in the lock."""

    seeds: list[Record]
    decisions: list[Decision]
    lock_keys: list[str | None]


def _start(items: Sequence[ListItem], lock: LockFile, rekey: bool) -> _Start:
    seeds = [record_from_item(item) for item in items]
    locked = [lock.get(normalize_title(item.seed_title)) for item in items]
    decisions = [
        _whole(found.decision) if found is not None else _decision_from_list(seed)
        for found, seed in zip(locked, seeds, strict=True)
    ]
    return _Start(seeds, decisions, [None if rekey or found is None else found.key for found in locked])


def assemble(
    reading_list: ReadingList, lock: LockFile, overrides: Sequence[Override], *, rekey: bool = False
) -> Bibliography:
    """Decide every item. Raises `OverrideError` for an override that selects nothing or clashes."""
    items = reading_list.items
    start = _start(items, lock, rekey)
    decisions, lock_keys = start.decisions, start.lock_keys
    chosen = _select(overrides, items, _keys(items, decisions, lock_keys))
    for index, override in chosen.items():
        decisions[index] = apply_override(decisions[index], override, start.seeds[index])
    keys = _keys(items, decisions, lock_keys)
    entries = tuple(
        Entry(item=item, decision=decision, key=key, override=chosen.get(index))
        for index, (item, decision, key) in enumerate(zip(items, decisions, keys, strict=True))
    )
    return Bibliography(entries=entries, works=_works(entries))


def _works(entries: Sequence[Entry]) -> tuple[Work, ...]:
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.key, []).append(entry)
    works = []
    for key, group in grouped.items():
        # The most settled decision speaks for the work; among entries the list alone describes,
        # the one that says the most (a later, fuller listing of the same paper).
        best = min(group, key=lambda e: (_STATUS_RANK[e.decision.status], -_known_fields(e.decision.record)))
        # Sections first, then the topics (deeper headings) the entries stand under: the keywords.
        sections = tuple(dict.fromkeys([*(e.item.section for e in group), *(t for e in group for t in e.item.topics)]))
        works.append(Work(key=key, record=best.decision.record, sections=sections))
    return tuple(works)


def _known_fields(record: Record) -> int:
    return sum(1 for value in (record.year, record.container_title, record.authors, record.doi, record.arxiv, record.url) if value)
