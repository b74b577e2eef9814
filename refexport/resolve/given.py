"""Identifiers the list gives are evidence, not truth: each is looked up (never searched for),
checked against the list's title, and followed to the other version of the work.

- A looked-up record whose title agrees with the list's (the matcher's rules; the year is not
  asked, since a link often points to the preprint of a later publication) confirms the id.
- A record of another work, or an id that does not exist, is a verdict kept for review and lint;
  the id is not written, and the item is searched by its title instead.
- A confirmed arXiv id is followed to its published version: the DOI the arXiv record names, else
  a Crossref title search (titles in batches), whatever the list shows: a list links the preprint
  of many a later publication; then dblp (`refexport.resolve.published`). A confirmed DOI, the
  published version itself, is followed to its preprint only through Crossref's has-preprint
  relation; it is not searched for.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..identifiers import arxiv_label, arxiv_of_doi, doi_label
from ..model import (
    FOUND_BY_SEARCH,
    GIVEN_CONFIRMED,
    GIVEN_UNCHECKED,
    HAS_PREPRINT,
    NAMED_BY_ARXIV,
    Considered,
    Decision,
    Status,
    Verdict,
)
from .decide import Answers, decide_search, matches, other_version, with_preprint
from .match import judge, same_work
from .plan import Task
from .sources import Candidate
from .transport.errors import NotFound, SourceError


@dataclass(frozen=True)
class _Checked:
    verdicts: tuple[Considered, ...]
    published: Candidate | None = None
    preprint: Candidate | None = None
    failed: tuple[SourceError, ...] = ()  # lookups that did not get an answer: asked again next time


def _check(task: Task, answers: Answers) -> _Checked:
    hint = replace(task.hint, year=None)
    verdicts: list[Considered] = []
    published = preprint = None
    failed: list[SourceError] = []
    for label, found in (
        (doi_label(task.given_doi), answers.works.get(task.given_doi) if task.given_doi else None),
        (arxiv_label(task.given_arxiv), answers.preprints.get(task.given_arxiv) if task.given_arxiv else None),
    ):
        if found is None:
            continue
        if isinstance(found, NotFound):
            verdicts.append(Considered.unjudged(label, Verdict.NO_SUCH_RECORD, f" ({found.source})"))
        elif isinstance(found, SourceError):
            failed.append(found)
            verdicts.append(Considered.unjudged(label, Verdict.NOT_LOOKED_UP, f": {found}"))
        else:
            judged = judge(hint, found, given=True)
            verdict = Verdict.CONFIRMED if judged.accepted else Verdict.ANOTHER_WORK
            why = verdict.value + (judged.evidence if judged.accepted else f": {judged.why}")
            verdicts.append(replace(judged.considered(), identifier=label, why=why, verdict=verdict))
            if judged.accepted and found.record.is_preprint:
                preprint = found
            elif judged.accepted:
                published = found
    return _Checked(tuple(verdicts), published, preprint, tuple(failed))


@dataclass
class GivenPlan:
    """What the given identifiers still need after their lookup."""

    search: list[Task] = field(default_factory=list)  # nothing confirmed: search by title
    search_crossref: list[Task] = field(default_factory=list)  # a preprint confirmed: its published version, by title
    fetch_dois: set[str] = field(default_factory=set)  # DOIs confirmed preprints name
    fetch_ids: set[str] = field(default_factory=set)  # preprints confirmed publications assert


def check_given(tasks: list[Task], answers: Answers) -> GivenPlan:
    plan = GivenPlan()
    for task in tasks:
        checked = _check(task, answers)
        if checked.published is None and checked.preprint is None:
            if not checked.failed:
                plan.search.append(task)
            continue
        if checked.preprint is not None and checked.published is None:
            linked = checked.preprint.linked_doi
            if linked and not arxiv_of_doi(linked):
                plan.fetch_dois.add(linked)
            else:
                plan.search_crossref.append(task)
        if checked.published is not None and checked.preprint is None and checked.published.linked_arxiv:
            plan.fetch_ids.add(checked.published.linked_arxiv)
    return plan


def decide_given(task: Task, answers: Answers) -> Decision:
    """The decision for an item whose list entry gives identifiers."""
    checked = _check(task, answers)
    published, preprint = checked.published, checked.preprint
    disproven = {c.identifier for c in checked.verdicts if c.verdict is not None and c.verdict.disproves}
    reasons = [f"{c.identifier}: {c.why}" for c in checked.verdicts]
    if published is None and preprint is None:
        # Nothing confirmed: the title search decides; a disproven id is not written.
        seed = task.seed.with_changes(
            doi="" if doi_label(task.seed.doi) in disproven else task.seed.doi,
            arxiv="" if arxiv_label(task.seed.arxiv) in disproven else task.seed.arxiv,
        )
        searched_decision = decide_search(replace(task, seed=seed), answers)
        if searched_decision.status is Status.RESOLVED:
            origins = dict.fromkeys(searched_decision.record.identifier_names, FOUND_BY_SEARCH)
        else:
            origins = dict.fromkeys(seed.identifier_names, GIVEN_UNCHECKED)
        return replace(
            searched_decision, given=checked.verdicts, origins=tuple(sorted(origins.items())),
            reasons=tuple(reasons) + searched_decision.reasons, ask_again=searched_decision.ask_again or bool(checked.failed),
        )
    origins = {"doi": GIVEN_CONFIRMED} if published else {}
    origins |= {"arxiv": GIVEN_CONFIRMED} if preprint else {}
    # The other version's year is not the list's: a preprint often precedes its publication by years.
    crossref, _ = matches(replace(task, hint=replace(task.hint, year=None)), answers)
    if preprint is not None and published is None:
        linked = preprint.linked_doi
        if linked and (found := other_version(task, answers.works.get(linked), preprint)):
            published = found
            origins["doi"] = NAMED_BY_ARXIV
        elif crossref.chosen and same_work(crossref.chosen.candidate, preprint):
            published = crossref.chosen.candidate
            origins["doi"] = FOUND_BY_SEARCH
        if published is not None:
            reasons.append(f"published version {published.identifier}: {origins['doi']}")
    if published is not None and preprint is None:
        linked = published.linked_arxiv
        if linked and (found := other_version(task, answers.preprints.get(linked), published)):
            preprint = found
            origins["arxiv"] = HAS_PREPRINT
        if preprint is not None:
            reasons.append(f"preprint {preprint.identifier}: {origins['arxiv']}")
    if published and preprint:
        record, source = with_preprint(published.record, preprint.record), f"{published.source}+{preprint.source}"
    elif published:
        record, source = published.record, published.source
    else:
        assert preprint is not None
        record, source = preprint.record, preprint.source
    confidence = min(c.similarity for c in checked.verdicts if c.accepted)
    asked = (f"crossref: {task.crossref_query}",) if task.title_key in answers.crossref else ()  # its publication
    return Decision(
        status=Status.RESOLVED, record=record, source=source, confidence=round(confidence, 3), reasons=tuple(reasons),
        searched=asked, given=checked.verdicts, origins=tuple(sorted(origins.items())), ask_again=bool(checked.failed),
    )
