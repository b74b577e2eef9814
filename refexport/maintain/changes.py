"""What a resolution changed, per item: identifiers added, changed or removed, preprints
upgraded to their published versions, statuses, and keys renamed. Written to `out/CHANGES.md`
so that nothing in the lock changes silently.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Entry, LockFile
from ..text import normalize_title


@dataclass(frozen=True)
class Change:
    line: int
    key: str
    what: str


def _identifier(name: str, old: str, new: str, origin: str) -> str | None:
    if old == new:
        return None
    said = f" ({origin})" if origin else ""
    if not old:
        return f"{name} added: {new}{said}"
    if not new:
        return f"{name} removed (was {old})"
    return f"{name} changed: {old} → {new}{said}"


def compare(before: LockFile, after: Sequence[Entry]) -> list[Change]:
    """Every difference between the old lock and the new entries, in line order."""
    changes: list[Change] = []
    for entry in after:
        changes += [Change(entry.item.line, entry.key, what) for what in _differences(before, entry)]
    present = {normalize_title(entry.item.seed_title) for entry in after}
    changes += [
        Change(0, old.key or "", f"removed from the list (was {old.decision.status.value}"
                                 f"{', ' + old.decision.record.doi if old.decision.record.doi else ''})")
        for title, old in before.items() if title not in present
    ]
    return changes


def _differences(before: LockFile, entry: Entry) -> list[str]:
    old = before.get(normalize_title(entry.item.seed_title))
    if old is None:
        return [f"new item: {entry.decision.status.value}"]
    record, previous = entry.decision.record, old.decision.record
    origin = entry.decision.origin
    found = [
        text
        for name, was, now, said in (("DOI", previous.doi, record.doi, origin("doi")), ("arXiv id", previous.arxiv, record.arxiv, origin("arxiv")))
        if (text := _identifier(name, was, now, said))
    ]
    if previous.is_preprint and (record.doi or record.dblp) and not record.is_preprint:
        found.append(f"preprint upgraded to its published version ({record.container_title or record.publisher})")
    if previous.dblp != record.dblp:
        found.append(f"dblp record {'removed (was ' + previous.dblp + ')' if not record.dblp else record.dblp}")
    if old.decision.status is not entry.decision.status:
        found.append(f"status {old.decision.status.value} → {entry.decision.status.value}")
    if old.key is not None and old.key != entry.key:
        found.append(f"key renamed: {old.key} → {entry.key}")
    return found


def render_changes(changes: Sequence[Change], lock_name: str) -> str:
    out = [f"# Changes to {lock_name}", ""]
    if not changes:
        return "\n".join(out + ["No changes.", ""])
    out += [f"{len(changes)} changes.", "", "| line | key | change |", "| --- | --- | --- |"]
    out += [f"| {c.line} | {c.key} | {c.what} |" for c in changes]
    return "\n".join(out) + "\n"
