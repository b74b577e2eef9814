"""List + lock + overrides → each list item joined once with what the lock and the overrides
say of it: its title key, its seed record (what the list says), its lock row, its decision
before overrides and the override that speaks for it. Planning, assembling and writing all take
these; nothing recomputes them.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .errors import OverrideError
from .keys import WorkId, assign_keys, work_id
from .model import GIVEN_UNCHECKED, Decision, ListItem, Locked, LockFile, Override, ReadingList, Record, Status
from .names import with_whole_names
from .seed import record_from_item
from .text import normalize_title
from .venues import with_whole_event

NOT_IN_LOCK = "not in the lock: written from what the list says"
#: Decisions whose identifiers a source or a maintainer vouches for; a list's own links may be
#: copy-paste errors, so they do not make two differently titled entries one work.
VERIFIED = (Status.RESOLVED, Status.OVERRIDE)


@dataclass(frozen=True)
class Joined:
    """One list item and what the lock and the overrides say of it."""

    item: ListItem
    title_key: str  # the normalized seed title: how the lock and overrides find the item
    seed: Record  # what the list says of it
    locked: Locked | None
    decision: Decision  # the lock's (names and event made whole), or the list's; before any override
    override: Override | None = None


def _whole(decision: Decision) -> Decision:
    """The decision with its conference name whole (sources deposit some cut off) and its authors'
    names decoded and joined."""
    record = with_whole_names(with_whole_event(decision.record))
    return decision if record is decision.record else replace(decision, record=record)


def _decision_from_list(record: Record) -> Decision:
    origins = tuple((name, GIVEN_UNCHECKED) for name in record.identifier_names)
    return Decision(status=Status.UNRESOLVED, record=record, source="list", reasons=(NOT_IN_LOCK,), origins=origins)


def item_keys(decisions: Sequence[Decision], lock_keys: Sequence[str | None]) -> list[str]:
    """Each item's key; a work keeps the lock key of its first item that has one."""
    ids = [work_id(decision.record, verified=decision.status in VERIFIED) for decision in decisions]
    pinned: dict[WorkId, str] = {}
    pinned_keys: set[str] = set()
    for identity, key in zip(ids, lock_keys, strict=True):
        if key is not None and identity not in pinned and key not in pinned_keys:
            pinned[identity] = key
            pinned_keys.add(key)
    keys = assign_keys(zip(ids, (d.record for d in decisions), strict=True), pinned)
    return [keys[identity] for identity in ids]


def lock_keys(joined: Sequence[Joined], *, rekey: bool = False) -> list[str | None]:
    """The key each item's lock row pins (none with `rekey`)."""
    return [None if rekey or each.locked is None else each.locked.key for each in joined]


def join(reading_list: ReadingList, lock: LockFile, overrides: Sequence[Override]) -> tuple[Joined, ...]:
    """Every item joined with its lock row and override. Raises `OverrideError` for an override
    that selects nothing or two overrides for one item."""
    joined = []
    for item in reading_list.items:
        title_key = normalize_title(item.seed_title)
        seed = record_from_item(item)
        locked = lock.get(title_key)
        decision = _whole(locked.decision) if locked is not None else _decision_from_list(seed)
        joined.append(Joined(item, title_key, seed, locked, decision))
    return relock(joined, lock, overrides)


def relock(joined: Sequence[Joined], lock: LockFile, overrides: Sequence[Override]) -> tuple[Joined, ...]:
    """The same items joined with another lock (after a resolve), their title keys and seeds kept."""
    fresh = [
        replace(each, locked=locked, decision=_whole(locked.decision) if locked is not None else _decision_from_list(each.seed))
        if (locked := lock.get(each.title_key)) is not each.locked else each
        for each in joined
    ]
    chosen = _select(overrides, fresh)
    return tuple(replace(each, override=chosen.get(index)) for index, each in enumerate(fresh))


def _select(overrides: Sequence[Override], joined: Sequence[Joined]) -> dict[int, Override]:
    """Which override (if any) speaks for each item, by index."""
    chosen: dict[int, Override] = {}
    if not overrides:
        return chosen
    keys = item_keys([each.decision for each in joined], lock_keys(joined)) if any(o.match_key for o in overrides) else []
    for override in overrides:
        hits = [
            index
            for index, each in enumerate(joined)
            if (override.match_title and each.title_key == override.match_title) or (override.match_key and keys[index] == override.match_key)
        ]
        if not hits:
            raise OverrideError(f"selects no item of the list ({override.selector})", path=override.path, line=override.line)
        for index in hits:
            if index in chosen:
                other = chosen[index]
                raise OverrideError(
                    f"line {joined[index].item.line} of the list is already overridden at {other.where}",
                    path=override.path,
                    line=override.line,
                )
            chosen[index] = override
    return chosen
