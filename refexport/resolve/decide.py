"""Deciding each task from everything the sources said: which candidate of each source is the
work, whether the two are versions of one work, and the reasons for it.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..identifiers import arxiv_of_doi
from ..model import (
    AMBIGUOUS,
    FOUND_BY_SEARCH,
    HAS_PREPRINT,
    NAMED_BY_ARXIV,
    PINNED,
    REVIEW_BELOW,
    Considered,
    Decision,
    Record,
    Status,
)
from .match import CLOSE_TITLE, Match, choose, same_work, title_similarity
from .plan import Task
from .sources import Candidate
from .sources import arxiv as arxiv_source
from .transport.errors import SourceError

Answer = list[Candidate] | SourceError
_SHOWN_CANDIDATES = 3


@dataclass
class Answers:
    """Everything the sources said, by task and by identifier."""

    crossref: dict[str, Answer] = field(default_factory=dict)  # title_key → search results
    arxiv: dict[str, Answer] = field(default_factory=dict)  # title_key → its batch's results
    works: dict[str, Candidate | SourceError] = field(default_factory=dict)  # DOI → Crossref work
    preprints: dict[str, Candidate | SourceError] = field(default_factory=dict)  # arXiv id → record
    dblp: dict[str, Candidate | SourceError] = field(default_factory=dict)  # dblp key → record (pinned ones)


def found_nowhere(task: Task, answers: Answers) -> bool:
    """Whether neither source offered a match although arXiv's batch answered."""
    crossref, arxiv = matches(task, answers)
    return crossref.chosen is None and arxiv.chosen is None and isinstance(answers.arxiv.get(task.title_key), list)


def matches(task: Task, answers: Answers) -> tuple[Match, Match]:
    empty = Match(None, ())
    crossref = answers.crossref.get(task.title_key)
    arxiv = answers.arxiv.get(task.title_key)
    return (
        choose(task.hint, crossref) if isinstance(crossref, list) else empty,
        choose(task.hint, arxiv) if isinstance(arxiv, list) else empty,
    )


def follow_ups(tasks: Sequence[Task], answers: Answers) -> tuple[list[str], list[str]]:
    """DOIs that chosen arXiv records name, and arXiv ids that chosen Crossref works name, when
    the other source's search did not already find them."""
    dois: set[str] = set()
    ids: set[str] = set()
    for task in tasks:
        crossref, arxiv = matches(task, answers)
        if arxiv.chosen and not crossref.chosen:
            doi = arxiv.chosen.candidate.linked_doi
            if doi and not arxiv_of_doi(doi) and doi not in answers.works:
                dois.add(doi)
        if crossref.chosen and not arxiv.chosen:
            arxiv_id = crossref.chosen.candidate.linked_arxiv
            if arxiv_id and arxiv_id not in answers.preprints:
                ids.add(arxiv_id)
    return sorted(dois), sorted(ids)


def with_preprint(published: Record, preprint: Record) -> Record:
    return published.with_changes(arxiv=preprint.arxiv, arxiv_class=preprint.arxiv_class)


def other_version(task: Task, found: Candidate | SourceError | None, of: Candidate) -> Candidate | None:
    """A version another source asserts, kept only if it is recognisably the same work."""
    if not isinstance(found, Candidate):
        return None
    if found.identifier in task.hint.rejected:
        return None
    alike = max(title_similarity(of.record.title, found.record), title_similarity(task.hint.title, found.record))
    return found if alike >= CLOSE_TITLE else None


def _considered(crossref: Match, arxiv: Match, everything: bool) -> tuple[Considered, ...]:
    """The candidates kept for review: all top ones when the item needs a look, else the chosen."""
    if everything:
        return tuple(j.considered() for match in (crossref, arxiv) for j in match.judged[:_SHOWN_CANDIDATES])
    return tuple(match.chosen.considered() for match in (crossref, arxiv) if match.chosen)


def searched(task: Task) -> tuple[str, ...]:
    return (f"crossref: {task.crossref_query}", f"arxiv: {arxiv_source.title_query([task.hint.title])}")


def decide_search(task: Task, answers: Answers) -> Decision:
    """The decision for a task searched by title, from everything the sources said."""
    crossref, arxiv = matches(task, answers)
    failures = [a for a in (answers.crossref.get(task.title_key), answers.arxiv.get(task.title_key)) if isinstance(a, SourceError)]
    reasons: list[str] = []
    published = crossref.chosen.candidate if crossref.chosen else None
    preprint = arxiv.chosen.candidate if arxiv.chosen else None
    origins = {"doi": FOUND_BY_SEARCH, "arxiv": FOUND_BY_SEARCH}
    if published and preprint and not same_work(published, preprint):
        keep_preprint = task.hint.venue_kind == "preprint"
        reasons.append(
            f"Crossref and arXiv matches are different works; kept the {'arXiv' if keep_preprint else 'Crossref'} one "
            f"as the list's venue suggests ({published.identifier} vs {preprint.identifier})"
        )
        published, preprint = (None, preprint) if keep_preprint else (published, None)
    if published and not preprint and published.linked_arxiv:
        preprint = other_version(task, answers.preprints.get(published.linked_arxiv), published)
        if preprint:
            reasons.append(f"arXiv {preprint.record.arxiv} from Crossref's has-preprint relation")
            origins["arxiv"] = HAS_PREPRINT
    if preprint and not published and preprint.linked_doi:
        published = other_version(task, answers.works.get(preprint.linked_doi), preprint)
        if published:
            reasons.append(f"published version {published.record.doi} named by the arXiv record")
            origins["doi"] = NAMED_BY_ARXIV
    for match, name in ((crossref, "crossref"), (arxiv, "arxiv")):
        if match.chosen and match.chosen.candidate in (published, preprint):
            reasons.append(f"{name}: {match.chosen.candidate.identifier} accepted, {match.chosen.why}")
    queries = searched(task)
    ambiguous = tuple(name for match, name in ((crossref, "crossref"), (arxiv, "arxiv")) if match.ambiguous)
    reasons += [f"{name}: {AMBIGUOUS}" for name in ambiguous]
    if published is None and preprint is None:
        reasons += [f"{f.source}: {f.message}" for f in failures]
        reasons.append("no candidate accepted" if any(m.judged for m in (crossref, arxiv)) else "no candidates")
        return Decision(
            status=Status.UNRESOLVED, record=task.seed, source="search", reasons=tuple(reasons), searched=queries,
            candidates=_considered(crossref, arxiv, everything=True), ambiguous=ambiguous, ask_again=bool(failures),
        )
    reasons += [f"{f.source} not asked successfully: {f.message}" for f in failures]
    confidences = [m.confidence for m in (crossref, arxiv) if m.confidence is not None]
    confidence = max(confidences, default=None)
    if published and preprint:
        record, source = with_preprint(published.record, preprint.record), "crossref+arxiv"
    elif published:
        record, source = published.record, "crossref"
    else:
        assert preprint is not None
        record, source = preprint.record, "arxiv"
    doubtful = confidence is None or confidence < REVIEW_BELOW or bool(ambiguous)
    return Decision(
        status=Status.RESOLVED, record=record, source=source, confidence=confidence, reasons=tuple(reasons),
        searched=queries, candidates=_considered(crossref, arxiv, everything=doubtful), ambiguous=ambiguous,
        ask_again=bool(failures), origins=_origins(record, origins),
    )


def _origins(record: Record, origins: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, origin) for name, origin in sorted(origins.items()) if getattr(record, name))


def decide_pinned(task: Task, answers: Answers) -> Decision:
    """An override pins the identifiers: fetch their metadata, no search, no judging."""
    work = answers.works.get(task.pinned_doi) if task.pinned_doi else answers.dblp.get(task.pinned_dblp) if task.pinned_dblp else None
    preprint = answers.preprints.get(task.pinned_arxiv) if task.pinned_arxiv else None
    failures = [f for f in (work, preprint) if isinstance(f, SourceError)]
    named = {"crossref": "DOI", "dblp": "dblp record"}
    reasons = [f"metadata of the pinned {named.get(f.source, 'arXiv id')} not fetched: {f.message}" for f in failures]
    if isinstance(work, Candidate) and task.pinned_dblp:
        work = replace(work, record=work.record.with_changes(dblp=task.pinned_dblp))
    if isinstance(work, Candidate) and isinstance(preprint, Candidate):
        record = with_preprint(work.record, preprint.record)
    elif isinstance(work, Candidate):
        record = work.record.with_changes(arxiv=task.pinned_arxiv) if task.pinned_arxiv else work.record
    elif isinstance(preprint, Candidate):
        record = preprint.record.with_changes(doi=task.pinned_doi) if task.pinned_doi else preprint.record
    else:
        return Decision(status=Status.UNRESOLVED, record=task.seed, source="pinned", reasons=tuple(reasons), ask_again=True)
    return Decision(
        status=Status.RESOLVED, record=record, source="pinned", confidence=1.0, reasons=tuple(reasons),
        ask_again=bool(failures), origins=_origins(record, {"doi": PINNED if task.pinned_doi else NAMED_BY_ARXIV,
                                                            "arxiv": PINNED if task.pinned_arxiv else HAS_PREPRINT, "dblp": PINNED}),
    )

