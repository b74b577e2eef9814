"""The published version of a computer-science paper, from dblp: for every arXiv-only result, and
for an unresolved item whose list names a conference. Precision first: a wrong venue is worse
than a preprint.

A dblp record is the publication only when the evidence agrees: a conference or journal record
(a CoRR record is the preprint itself; a workshop version is not the conference paper), the same
title, a year that fits (within one of the list's, or up to two after the preprint's: a decoy
with the title of another year does not), and the authors of the preprint, or else the list's
venue. Two different records that fit equally leave the preprint as it was.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..identifiers import dblp_label
from ..model import FOUND_BY_DBLP, Considered, Decision, Record, Status
from ..venues import venue_agreement
from .match import CLOSE_TITLE, SAME_TITLE, Judgement, family_names, shared_authors, title_similarity
from .plan import Task
from .sources import Candidate
from .sources.dblp import CONFERENCE, JOURNAL
from .transport.errors import SourceError

#: How many years a publication may follow its preprint.
_AFTER_PREPRINT = 2
_MAX_YEAR_GAP = 1
#: arXiv categories whose papers dblp indexes.
_DBLP_FIELDS = ("cs.", "stat.ML", "eess.", "math.OC", "math.IT")


def wants_publication(task: Task, decision: Decision) -> bool:
    """Whether to ask dblp: an arXiv-only result, or an unresolved item the list places at a conference."""
    record = decision.record
    if task.pinned or record.doi or record.dblp:
        return False
    if decision.status is Status.RESOLVED:
        # dblp indexes computer science: a preprint filed under physics or biology is not asked about.
        return record.is_preprint and (not record.arxiv_class or record.arxiv_class.startswith(_DBLP_FIELDS))
    return decision.status is Status.UNRESOLVED and task.hint.venue_kind == "conference"


def query_title(task: Task, decision: Decision) -> str:
    """What to search dblp for: the preprint's own title when there is one, else the list's."""
    return decision.record.title if decision.record.is_preprint else task.hint.title


@dataclass(frozen=True)
class Publication:
    candidate: Candidate
    similarity: float
    why: str


def _judge(task: Task, preprint: Record | None, candidate: Candidate) -> tuple[float, str | None]:
    """The title similarity, and why the candidate is the publication (None: it is not)."""
    record = candidate.record
    similarity = max(title_similarity(task.hint.title, record), title_similarity(preprint.title, record) if preprint else 0.0)
    if dblp_label(record.dblp) in task.hint.rejected:
        return similarity, None
    if candidate.kind not in (CONFERENCE, JOURNAL) or record.type == "article":
        return similarity, None  # CoRR and other informal records: the preprint, not a publication
    if "workshop" in f"{record.container_title} {record.dblp}".lower() and "workshop" not in task.hint.venue.lower():
        return similarity, None
    if similarity < SAME_TITLE or record.year is None:
        return similarity, None
    listed = task.hint.year
    after = record.year - preprint.year if preprint and preprint.year is not None else None
    if after is not None and not -1 <= after <= _AFTER_PREPRINT:
        return similarity, None
    if listed is not None and abs(record.year - listed) > _MAX_YEAR_GAP and after is None:
        return similarity, None
    if after is None and listed is None:
        return similarity, None  # no year to tell a decoy of another year from the paper
    if preprint is not None and preprint.authors:
        if not (shared := shared_authors(family_names(preprint), record)):
            return similarity, None
        return similarity, f"same title, year {record.year}, {shared} of the preprint's authors"
    if venue_agreement(task.hint.venue, task.hint.venue_kind, record):
        return similarity, f"same title, year {record.year}, the list's venue"
    return similarity, None


@dataclass(frozen=True)
class Choice:
    """The one dblp record that is the publication (None: no record, or several), and the other
    publications dblp offered, judged (for review)."""

    chosen: Publication | None
    considered: tuple[Considered, ...]


def choose_publication(task: Task, decision: Decision, candidates: list[Candidate]) -> Choice:
    """The dblp record that is the item's publication, if one is, among a search's hits (which may
    hold other titles' records: a batch)."""
    preprint = decision.record if decision.record.is_preprint else None
    fitting: dict[str, Publication] = {}
    considered = []
    for candidate in candidates:
        similarity, why = _judge(task, preprint, candidate)
        judged = Judgement(candidate, similarity, None, None, why is not None, why or "not the publication")
        if candidate.kind in (CONFERENCE, JOURNAL) and candidate.record.type != "article" and similarity >= CLOSE_TITLE:
            considered.append(judged.considered())  # a publication of a like title: kept for review
        if why is not None:
            fitting.setdefault(candidate.record.dblp, Publication(candidate, similarity, why))
    return Choice(next(iter(fitting.values())) if len(fitting) == 1 else None, tuple(considered))


def published(decision: Decision, answer: Choice | SourceError, booktitle: str | SourceError | None) -> Decision:
    """The decision with its published version from dblp, when dblp has it."""
    if isinstance(answer, SourceError):
        return replace(decision, reasons=(*decision.reasons, f"dblp not asked successfully: {answer.message}"), ask_again=True)
    chosen, considered = answer.chosen, answer.considered
    if chosen is None:
        return replace(decision, candidates=(*decision.candidates, *considered[:3]))
    found = chosen.candidate.record
    short = f"{found.container_title} {found.year}".strip()
    whole = booktitle if isinstance(booktitle, str) and booktitle else found.container_title
    record = found.with_changes(container_title=whole, event_title=short)
    reason = f"published at {short} (dblp {found.dblp}): {chosen.why}"
    if decision.record.is_preprint:
        record = record.with_changes(arxiv=decision.record.arxiv, arxiv_class=decision.record.arxiv_class)
        reason += f"; replaces the arXiv preprint {decision.record.arxiv}"
    notes = [f"dblp's proceedings title not fetched: {booktitle.message}"] if isinstance(booktitle, SourceError) else []
    origins = dict(decision.origins) | {"dblp": FOUND_BY_DBLP}
    return replace(
        decision, status=Status.RESOLVED, record=record, source=f"{decision.source}+dblp" if decision.status is Status.RESOLVED else "dblp",
        confidence=round(min(chosen.similarity, decision.confidence or 1.0), 3), reasons=(*decision.reasons, reason, *notes),
        candidates=(*decision.candidates, *[c for c in considered if c.accepted]), origins=tuple(sorted(origins.items())),
    )
