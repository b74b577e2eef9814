"""What to ask the sources about: the items the lock lacks (or all of them, on a refresh), one
task per distinct title, and the items settled without asking (skipped, or not papers).

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..identifiers import arxiv_label, dblp_label, doi_label
from ..join import Joined
from ..model import GIVEN_UNCHECKED, NOT_PAPERS, Considered, Decision, Override, Record, Status, Verdict
from ..text import normalize_title
from ..venues import VenueKind, classify_venue

NOT_SEARCHED = "software or a web page: not searched (an override can give its URL and owner)"
SKIPPED = "skipped: not searched"


@dataclass(frozen=True)
class Hint:
    """What the list says about an item."""

    title: str
    year: int | None
    venue: str
    venue_kind: VenueKind
    rejected: frozenset[str] = frozenset()  # "doi:…" / "arXiv:…" that an override rejects
    alternatives: tuple[str, ...] = ()  # other spans of the entry that read as a title
    text: str = ""  # the entry's text as a reader sees it
    authors: tuple[str, ...] = ()  # the family names the entry gives, normalized


@dataclass(frozen=True, kw_only=True)
class Task:
    """One distinct work to find (items with the same normalized seed title share a task)."""

    title_key: str
    hint: Hint
    seed: Record  # what the list says: the record of an item no source settles
    pinned_doi: str = ""
    pinned_arxiv: str = ""
    pinned_dblp: str = ""
    given_doi: str = ""  # what the list's links and text give: looked up and checked, not trusted
    given_arxiv: str = ""

    @property
    def pinned(self) -> bool:
        return bool(self.pinned_doi or self.pinned_arxiv or self.pinned_dblp)

    @property
    def given(self) -> bool:
        return bool(self.given_doi or self.given_arxiv)

    @property
    def crossref_query(self) -> str:
        """Crossref's advice: the whole citation in query.bibliographic (title, venue, year)."""
        parts = [self.hint.title]
        if self.hint.venue_kind in ("conference", "journal"):
            parts.append(self.hint.venue)
        if self.hint.year:
            parts.append(str(self.hint.year))
        return " ".join(parts)


@dataclass(frozen=True)
class Plan:
    tasks: tuple[Task, ...]
    settled: Mapping[str, Decision]  # decided without asking: not searched on purpose


def given_labels(seed: Record) -> frozenset[str]:
    """The identifiers an item's list entry gives, as labels."""
    return frozenset([doi_label(seed.doi)] if seed.doi else []) | frozenset([arxiv_label(seed.arxiv)] if seed.arxiv else [])


def _needs_asking(locked: Decision | None, override: Override | None, refresh: bool, given: frozenset[str]) -> bool:
    if locked is None or refresh or locked.ask_again:
        return True
    if given != {candidate.identifier for candidate in locked.given}:
        return True  # the list's links changed since it was decided
    if locked.status in (Status.OVERRIDE, Status.SKIPPED) and override is None:
        return True  # the override that shaped it is gone
    if override is not None:
        rejected = (locked.record.doi in override.reject_doi or locked.record.arxiv in override.reject_arxiv
                    or locked.record.dblp in override.reject_dblp)
        return rejected or any(getattr(locked.record, name) != value for name, value in override.pinned.items())
    return False


def _not_searched(seed: Record, reason: str) -> Decision:
    given = tuple(Considered.unjudged(label, Verdict.NOT_LOOKED_UP, f": {reason}") for label in sorted(given_labels(seed)))
    origins = tuple((name, GIVEN_UNCHECKED) for name in seed.identifier_names)
    return Decision(status=Status.UNRESOLVED, record=seed, source="list", reasons=(reason,), given=given, origins=origins)


def plan(joined: Sequence[Joined], *, refresh: bool = False) -> Plan:
    """What to ask about: items the lock lacks (or all, with `refresh`), one task per title."""
    tasks: dict[str, Task] = {}
    settled: dict[str, Decision] = {}
    for each in joined:
        item, override, title_key, seed, locked = each.item, each.override, each.title_key, each.seed, each.locked
        if title_key in tasks or title_key in settled:
            continue
        if not _needs_asking(locked.decision if locked else None, override, refresh, given_labels(seed)):
            continue
        if override is not None and override.skip:
            settled[title_key] = _not_searched(seed, SKIPPED)
            continue
        pins = override.pinned if override else {}
        typed = dict(override.changes).get("type", "") if override else ""
        if not pins and (typed or seed.type) in NOT_PAPERS:
            settled[title_key] = _not_searched(seed, NOT_SEARCHED)
            continue
        rejected = frozenset(
            [doi_label(doi) for doi in (override.reject_doi if override else ())]
            + [arxiv_label(arxiv_id) for arxiv_id in (override.reject_arxiv if override else ())]
            + [dblp_label(key) for key in (override.reject_dblp if override else ())]
        )
        hint = Hint(item.title, item.year, item.venue, classify_venue(item.venue), rejected, item.alt_titles, item.text,
                    tuple(normalize_title(name.family or name.literal) for name in seed.authors))
        tasks[title_key] = Task(
            title_key=title_key, hint=hint, seed=seed, pinned_doi=pins.get("doi", ""), pinned_arxiv=pins.get("arxiv", ""), pinned_dblp=pins.get("dblp", ""),
            given_doi=seed.doi, given_arxiv=seed.arxiv,
        )
    return Plan(tuple(tasks.values()), settled)
