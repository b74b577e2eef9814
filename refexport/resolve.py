"""Finding each item's DOI and arXiv id.

`plan` (pure) says which items to ask about; `Session.run` asks Crossref (concurrently, within
its announced limits) and arXiv (titles in batches, one request at a time) and chooses with
`refexport.match`; `decide` (pure) turns the choices into decisions with their reasons.
A failed request is data: the item stays unresolved with the failure as its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .assemble import select_overrides
from .cache import ResponseCache
from .http import Fetcher, Statistics
from .lock import Lock
from .match import CLOSE_TITLE, SAME_TITLE, Hint, Match, authors_agree, choose, judge, same_work, title_similarity
from .model import Considered, Decision, ReadingList, Record, Status
from .overrides import Override
from .review import AMBIGUOUS, REVIEW_BELOW
from .pacing import Limits, Pacer
from .seed import record_from_item
from .sources import Candidate
from .sources import arxiv as arxiv_source
from .sources import crossref as crossref_source
from .sources.errors import SourceError
from .text import normalize_title
from .venues import classify_venue

T = TypeVar("T")
Answer = list[Candidate] | SourceError

NOT_SEARCHED = "software or a web page: not searched (an override can give its URL and owner)"
#: Source value of a decision that a failed request left open: the next `resolve` asks again.
FAILED = "failed"
_NOT_PAPERS = ("software", "webpage", "post-weblog", "dataset")
#: Before the first answer announces Crossref's limits: a conservative start.
CROSSREF_START = Limits(requests=3, interval=1.0, concurrency=1)
_SHOWN_CANDIDATES = 3


@dataclass(frozen=True)
class Task:
    """One distinct work to find (items with the same normalized seed title share a task)."""

    title_key: str
    hint: Hint
    seed: Record  # what the list says: the record of an item no source settles
    pinned_doi: str = ""
    pinned_arxiv: str = ""

    @property
    def pinned(self) -> bool:
        return bool(self.pinned_doi or self.pinned_arxiv)


@dataclass(frozen=True)
class Plan:
    tasks: tuple[Task, ...]
    settled: Mapping[str, Decision]  # decided without asking: not searched on purpose


def _needs_asking(locked: Decision | None, override: Override | None, refresh: bool) -> bool:
    if locked is None or refresh:
        return True
    if locked.source == FAILED:
        return True
    if locked.status in (Status.OVERRIDE, Status.SKIPPED) and override is None:
        return True  # the override that shaped it is gone
    if override is not None:
        rejected = locked.record.doi in override.reject_doi or locked.record.arxiv in override.reject_arxiv
        return rejected or any(getattr(locked.record, name) != value for name, value in override.pinned.items())
    return False


def plan(reading_list: ReadingList, lock: Lock, overrides: Sequence[Override], *, refresh: bool = False) -> Plan:
    """What to ask about: items the lock lacks (or all, with `refresh`), one task per title."""
    chosen = select_overrides(reading_list, lock, overrides)
    tasks: dict[str, Task] = {}
    settled: dict[str, Decision] = {}
    for item, override in zip(reading_list.items, chosen, strict=True):
        title_key = normalize_title(item.seed_title)
        if title_key in tasks or title_key in settled:
            continue
        locked = lock.get(title_key)
        if not _needs_asking(locked.decision if locked else None, override, refresh):
            continue
        seed = record_from_item(item)
        typed = dict(override.changes).get("type", "") if override else ""
        if override is not None and override.skip:
            settled[title_key] = Decision(Status.UNRESOLVED, seed, "list", ("skipped: not searched",))
            continue
        pins = override.pinned if override else {}
        if not pins and (typed in _NOT_PAPERS or (not typed and seed.type in _NOT_PAPERS)):
            settled[title_key] = Decision(Status.UNRESOLVED, seed, "list", (NOT_SEARCHED,))
            continue
        rejected = frozenset(
            [f"doi:{d}" for d in (override.reject_doi if override else ())]
            + [f"arXiv:{a}" for a in (override.reject_arxiv if override else ())]
        )
        hint = Hint(item.title, item.year, item.venue, classify_venue(item.venue), rejected)
        tasks[title_key] = Task(title_key, hint, seed, pins.get("doi", ""), pins.get("arxiv", ""))
    return Plan(tuple(tasks.values()), settled)


def crossref_query(hint: Hint) -> str:
    """Crossref's advice: the whole citation in query.bibliographic (title, venue, year)."""
    parts = [hint.title]
    if hint.venue_kind in ("conference", "journal"):
        parts.append(hint.venue)
    if hint.year:
        parts.append(str(hint.year))
    return " ".join(parts)


def _chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _by_length(tasks: Sequence[Task]) -> list[Task]:
    """Tasks ordered so that a batch holds titles of like length: a short title is not crowded
    out of a batch's results by the many hits of long ones."""
    return sorted(tasks, key=lambda task: (len(task.hint.title.split()), task.title_key))


def _attempt(function: Callable[..., T], *arguments: object) -> T | SourceError:
    try:
        return function(*arguments)
    except SourceError as error:
        return error


@dataclass(frozen=True)
class Settings:
    crossref_url: str = crossref_source.DEFAULT_URL
    arxiv_url: str = arxiv_source.DEFAULT_URL
    mailto: str | None = None
    cache_path: Path | None = Path(".cache/responses.sqlite")
    refresh: bool = False
    concurrency: int | None = None  # our own cap on requests in flight to one source
    timeout: float = 20.0
    arxiv_batch: int = arxiv_source.BATCH
    arxiv_interval: float = 3.0  # arXiv's terms: one request every three seconds, one connection


@dataclass
class Answers:
    """Everything the sources said, by task and by identifier."""

    crossref: dict[str, Answer] = field(default_factory=dict)  # title_key → search results
    arxiv: dict[str, Answer] = field(default_factory=dict)  # title_key → its batch's results
    works: dict[str, Candidate | SourceError] = field(default_factory=dict)  # DOI → Crossref work
    preprints: dict[str, Candidate | SourceError] = field(default_factory=dict)  # arXiv id → record


class Session:
    """The sources of one run, their pacers, cache and counts."""

    def __init__(self, settings: Settings, *, progress: Callable[[int], None] | None = None) -> None:
        self.settings = settings
        self.statistics = Statistics()
        self.cache = ResponseCache(settings.cache_path)
        self._progress = progress or (lambda done: None)
        crossref_extra = {"mailto": settings.mailto} if settings.mailto else {}
        self.crossref_fetcher = Fetcher(
            crossref_source.SOURCE, settings.crossref_url, Pacer(CROSSREF_START, cap=settings.concurrency),
            self.cache, self.statistics, mailto=settings.mailto, timeout=settings.timeout,
            refresh=settings.refresh, extra_params=crossref_extra,
        )
        self.arxiv_fetcher = Fetcher(
            arxiv_source.SOURCE, settings.arxiv_url, Pacer(Limits(requests=1, interval=settings.arxiv_interval, concurrency=1)), self.cache, self.statistics,
            mailto=settings.mailto, timeout=settings.timeout, refresh=settings.refresh,
        )
        self.crossref = crossref_source.CrossrefSource(self.crossref_fetcher)
        self.arxiv = arxiv_source.ArxivSource(self.arxiv_fetcher)

    def close(self) -> None:
        self.crossref_fetcher.close()
        self.arxiv_fetcher.close()
        self.cache.close()

    def run(self, tasks: Sequence[Task]) -> dict[str, Decision]:
        answers = Answers()
        searches = [task for task in tasks if not task.pinned]
        workers = max(1, min(self.settings.concurrency or 8, 8))
        with ThreadPoolExecutor(workers) as pool, ThreadPoolExecutor(1) as arxiv_lane:
            crossref_jobs = {t.title_key: pool.submit(_attempt, self.crossref.search, crossref_query(t.hint)) for t in searches}
            pinned_dois = sorted({t.pinned_doi for t in tasks if t.pinned_doi})
            work_jobs = {doi: pool.submit(_attempt, self.crossref.work, doi) for doi in pinned_dois}
            batches = list(_chunks(_by_length(searches), self.settings.arxiv_batch))
            batch_jobs = [arxiv_lane.submit(_attempt, self.arxiv.search_titles, [t.hint.title for t in b]) for b in batches]
            lookup_jobs = self._lookups(arxiv_lane, sorted({t.pinned_arxiv for t in tasks if t.pinned_arxiv}))
            answers.crossref = self._gather(crossref_jobs)
            for batch, job in zip(batches, batch_jobs, strict=True):
                result = job.result()
                answers.arxiv.update({task.title_key: result for task in batch})
                self._progress(len(batch))
            self._ask_again(arxiv_lane, [t for t in searches if _found_nowhere(t, answers)], answers)
            answers.works = self._gather(work_jobs)
            answers.preprints = self._collect(lookup_jobs)

            # What each source asserts about the other version, not yet fetched: one more round.
            dois, ids = follow_ups(searches, answers)
            answers.works |= self._gather({doi: pool.submit(_attempt, self.crossref.work, doi) for doi in dois})
            answers.preprints |= self._collect(self._lookups(arxiv_lane, ids))
        return {task.title_key: decide(task, answers) for task in tasks}

    def _ask_again(self, lane: ThreadPoolExecutor, tasks: Sequence[Task], answers: Answers) -> None:
        """Search arXiv again, in smaller batches, for titles the first round found nowhere."""
        batches = list(_chunks(_by_length(tasks), arxiv_source.SECOND_BATCH))
        jobs = [lane.submit(_attempt, self.arxiv.search_titles, [t.hint.title for t in batch]) for batch in batches]
        for batch, job in zip(batches, jobs, strict=True):
            result = job.result()
            for task in batch:
                first = answers.arxiv.get(task.title_key)
                if isinstance(result, list):
                    answers.arxiv[task.title_key] = (first if isinstance(first, list) else []) + result

    def _lookups(self, lane: ThreadPoolExecutor, ids: Sequence[str]) -> list[tuple[Sequence[str], Future[Answer]]]:
        return [(chunk, lane.submit(_attempt, self.arxiv.lookup, chunk)) for chunk in _chunks(ids, arxiv_source.ID_BATCH)]

    @staticmethod
    def _gather(jobs: Mapping[str, Future[T]]) -> dict[str, T]:
        return {key: job.result() for key, job in jobs.items()}

    @staticmethod
    def _collect(jobs: Iterable[tuple[Sequence[str], Future[Answer]]]) -> dict[str, Candidate | SourceError]:
        found: dict[str, Candidate | SourceError] = {}
        for ids, job in jobs:
            result = job.result()
            for arxiv_id in ids:
                if isinstance(result, SourceError):
                    found[arxiv_id] = result
                else:
                    match = next((c for c in result if c.record.arxiv == arxiv_id), None)
                    found[arxiv_id] = match if match is not None else SourceError(arxiv_source.SOURCE, f"no arXiv record {arxiv_id}")
        return found


def _found_nowhere(task: Task, answers: Answers) -> bool:
    crossref, arxiv = _matches(task, answers)
    return crossref.chosen is None and arxiv.chosen is None and isinstance(answers.arxiv.get(task.title_key), list)


def _matches(task: Task, answers: Answers) -> tuple[Match, Match]:
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
        crossref, arxiv = _matches(task, answers)
        if arxiv.chosen and not crossref.chosen:
            doi = arxiv.chosen.candidate.linked_doi
            if doi and not crossref_source.ARXIV_DOI.match(doi) and doi not in answers.works:
                dois.add(doi)
        if crossref.chosen and not arxiv.chosen:
            arxiv_id = crossref.chosen.candidate.linked_arxiv
            if arxiv_id and arxiv_id not in answers.preprints:
                ids.add(arxiv_id)
    return sorted(dois), sorted(ids)


def _with_preprint(published: Record, preprint: Record) -> Record:
    return published.with_changes(arxiv=preprint.arxiv, arxiv_class=preprint.arxiv_class)


def _other_version(task: Task, found: Candidate | SourceError | None, of: Candidate) -> Candidate | None:
    """A version another source asserts, kept only if it is recognisably the same work."""
    if not isinstance(found, Candidate):
        return None
    if found.identifier in task.hint.rejected:
        return None
    alike = max(title_similarity(of.record.title, found.record), title_similarity(task.hint.title, found.record))
    return found if alike >= CLOSE_TITLE else None


def _version_among(task: Task, of: Candidate, answer: Answer | None) -> Candidate | None:
    """The other version of `of` among a search's results: the same title and authors in common.

    The list's year is not asked of it: a preprint often precedes its publication by years.
    """
    if not isinstance(answer, list):
        return None
    hint = Hint(of.record.title, None, "", "", task.hint.rejected)
    found = [
        j.candidate
        for j in (judge(hint, c) for c in answer if c.source != of.source)
        if j.accepted and j.similarity >= SAME_TITLE and authors_agree(of.record, j.candidate.record)
    ]
    unique = {c.identifier: c for c in found}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _considered(crossref: Match, arxiv: Match, everything: bool) -> tuple[Considered, ...]:
    """The candidates kept for review: all top ones when the item needs a look, else the chosen."""
    if everything:
        return tuple(j.considered() for match in (crossref, arxiv) for j in match.judged[:_SHOWN_CANDIDATES])
    return tuple(match.chosen.considered() for match in (crossref, arxiv) if match.chosen)


def searched(task: Task) -> tuple[str, ...]:
    return (f"crossref: {crossref_query(task.hint)}", f"arxiv: {arxiv_source.title_query([task.hint.title])}")


def decide(task: Task, answers: Answers) -> Decision:
    """The decision for one task, from everything the sources said."""
    if task.pinned:
        return _pinned(task, answers)
    crossref, arxiv = _matches(task, answers)
    failures = [a for a in (answers.crossref.get(task.title_key), answers.arxiv.get(task.title_key)) if isinstance(a, SourceError)]
    reasons: list[str] = []
    published = crossref.chosen.candidate if crossref.chosen else None
    preprint = arxiv.chosen.candidate if arxiv.chosen else None
    if published and preprint and not same_work(published, preprint):
        keep_preprint = task.hint.venue_kind == "preprint"
        reasons.append(
            f"Crossref and arXiv matches are different works; kept the {'arXiv' if keep_preprint else 'Crossref'} one "
            f"as the list's venue suggests ({published.identifier} vs {preprint.identifier})"
        )
        published, preprint = (None, preprint) if keep_preprint else (published, None)
    if published and not preprint and published.linked_arxiv:
        preprint = _other_version(task, answers.preprints.get(published.linked_arxiv), published)
        if preprint:
            reasons.append(f"arXiv {preprint.record.arxiv} from Crossref's has-preprint relation")
    if preprint and not published and preprint.linked_doi:
        published = _other_version(task, answers.works.get(preprint.linked_doi), preprint)
        if published:
            reasons.append(f"published version {published.record.doi} named by the arXiv record")
    for match, name in ((crossref, "crossref"), (arxiv, "arxiv")):
        if match.chosen and match.chosen.candidate in (published, preprint):
            reasons.append(f"{name}: {match.chosen.candidate.identifier} accepted, {match.chosen.why}")
    queries = searched(task)
    ambiguous = [name for match, name in ((crossref, "crossref"), (arxiv, "arxiv")) if match.ambiguous]
    reasons += [f"{name}: {AMBIGUOUS}" for name in ambiguous]
    if published is None and preprint is None:
        reasons += [f"{f.source}: {f.message}" for f in failures]
        reasons.append("no candidate accepted" if any(m.judged for m in (crossref, arxiv)) else "no candidates")
        return Decision(Status.UNRESOLVED, task.seed, FAILED if failures else "search", None, tuple(reasons), queries,
                        _considered(crossref, arxiv, everything=True))
    reasons += [f"{f.source} not asked successfully: {f.message}" for f in failures]
    confidences = [m.confidence for m in (crossref, arxiv) if m.confidence is not None]
    confidence = max(confidences, default=None)
    if published and preprint:
        record, source = _with_preprint(published.record, preprint.record), "crossref+arxiv"
    elif published:
        record, source = published.record, "crossref"
    else:
        assert preprint is not None
        record, source = preprint.record, "arxiv"
    doubtful = confidence is None or confidence < REVIEW_BELOW or bool(ambiguous)
    return Decision(Status.RESOLVED, record, FAILED if failures else source, confidence, tuple(reasons), queries,
                    _considered(crossref, arxiv, everything=doubtful))


def _pinned(task: Task, answers: Answers) -> Decision:
    """An override pins the identifiers: fetch their metadata, no search, no judging."""
    work = answers.works.get(task.pinned_doi) if task.pinned_doi else None
    preprint = answers.preprints.get(task.pinned_arxiv) if task.pinned_arxiv else None
    failures = [f for f in (work, preprint) if isinstance(f, SourceError)]
    reasons = [f"metadata of the pinned {'DOI' if isinstance(f, SourceError) and f.source == 'crossref' else 'arXiv id'} not fetched: {f.message}" for f in failures]
    if isinstance(work, Candidate) and isinstance(preprint, Candidate):
        record = _with_preprint(work.record, preprint.record)
    elif isinstance(work, Candidate):
        record = work.record.with_changes(arxiv=task.pinned_arxiv) if task.pinned_arxiv else work.record
    elif isinstance(preprint, Candidate):
        record = preprint.record.with_changes(doi=task.pinned_doi) if task.pinned_doi else preprint.record
    else:
        return Decision(Status.UNRESOLVED, task.seed, FAILED, None, tuple(reasons))
    return Decision(Status.RESOLVED, record, FAILED if failures else "pinned", 1.0, tuple(reasons))

