"""Joined items → one decision and one key per item, and the distinct works.

Order of precedence: overrides, then the lock, then what the list itself says. Duplicates (the
same work twice, also across sections) share one key and one entry (lint names them).

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence

from .join import Joined, item_keys, lock_keys
from .model import Bibliography, Entry, Record, Status, Work
from .overrides import apply_override

_STATUS_RANK = {Status.OVERRIDE: 0, Status.RESOLVED: 1, Status.SKIPPED: 2, Status.UNRESOLVED: 3}


def assemble(joined: Sequence[Joined], *, rekey: bool = False) -> Bibliography:
    """Decide every joined item: its override over its lock row over what the list says."""
    decisions = [
        apply_override(each.decision, each.override, each.seed) if each.override is not None else each.decision for each in joined
    ]
    keys = item_keys(decisions, lock_keys(joined, rekey=rekey))
    entries = tuple(
        Entry(item=each.item, decision=decision, key=key, override=each.override)
        for each, decision, key in zip(joined, decisions, keys, strict=True)
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
