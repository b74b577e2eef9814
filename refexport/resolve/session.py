"""Asking the sources about a plan's tasks: Crossref concurrently, within its announced limits,
and arXiv one request at a time (titles in batches, ids many per lookup); then deciding each task
with `refexport.resolve.decide`. A failed request is data: it reaches the decision as a reason.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import import_module
from typing import TypeVar, cast

from ..identifiers import arxiv_of_doi
from ..model import Decision
from .decide import Answer, Answers, decide_pinned, decide_search, follow_ups, found_nowhere
from .given import check_given, decide_given
from .plan import Task
from .published import Choice, choose_publication, published, query_title, wants_publication
from .settings import Settings
from .sources import Candidate
from .sources import arxiv as arxiv_source
from .sources import crossref as crossref_source
from .sources import dblp as dblp_source
from .sources import doi as doi_source
from .sources.registry import ARXIV, CROSSREF, DBLP, DOI, SOURCES, SourceInfo
from .transport.cache import ResponseCache
from .transport.errors import NotFound, SourceError
from .transport.http import Bounds, Fetcher, Statistics, Stopped
from .transport.pacing import Pacer

T = TypeVar("T")



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
class _PendingSearch:
    tasks: Sequence[Task]
    crossref: Mapping[str, Future[Answer]]
    arxiv_batches: list[tuple[Sequence[Task], Future[Answer]]]
    ask_again: bool  # arXiv again, in smaller batches, for the titles found nowhere


class Session:
    """The sources of one run, their pacers, cache and counts."""

    def __init__(self, settings: Settings, *, progress: Callable[[int], None] | None = None) -> None:
        self.settings = settings
        self.statistics = Statistics()
        self.cache = ResponseCache(settings.cache_path)
        self._stop = threading.Event()  # set when the run is interrupted: the workers ask nothing more
        self._bounds = Bounds(ends=settings.clock() + settings.deadline, deadline=settings.deadline)
        self._progress = progress or (lambda done: None)
        self.fetchers: dict[str, Fetcher] = {source.name: self._fetcher(source) for source in SOURCES}
        self.crossref = crossref_source.CrossrefSource(self.fetchers[CROSSREF.name])
        self.arxiv = arxiv_source.ArxivSource(self.fetchers[ARXIV.name])
        self.doi = doi_source.DoiSource(cast(doi_source.NegotiatingFetcher, self.fetchers[DOI.name]))
        self.dblp = dblp_source.DblpSource(self.fetchers[DBLP.name])

    def _fetcher(self, source: SourceInfo) -> Fetcher:
        """A source's fetcher, paced as the registry says, through the shared cache and counts."""
        settings = self.settings
        fetcher_class: type[Fetcher] = getattr(import_module(f"{__package__}.sources.{source.module}"), "FETCHER", Fetcher)
        pacer = Pacer(settings.start(source), cap=settings.concurrency if source.capped else None, clock=settings.clock, sleep=self._sleep)
        extra = {"mailto": settings.mailto} if source.mailto_param and settings.mailto else {}
        return fetcher_class(
            source.name, settings.url(source), pacer, self.cache, self.statistics, mailto=settings.mailto, timeout=settings.timeout,
            refresh=settings.refresh, extra_params=extra, sleep=self._sleep, clock=settings.clock, bounds=self._bounds, stop=self._stop,
        )

    def _sleep(self, seconds: float) -> None:
        """The settings' sleep, cut short when the run is interrupted: then `Stopped`."""
        if self.settings.sleep is time.sleep:
            self._stop.wait(seconds)
        elif not self._stop.is_set():
            self.settings.sleep(seconds)
        if self._stop.is_set():
            raise Stopped()

    @contextlib.contextmanager
    def _stopping(self) -> Iterator[None]:
        """Inside a run's thread pools: on Ctrl-C (or any escape) the workers stop asking and the
        connections close, so that the pools' shutdown does not wait."""
        try:
            yield
        except BaseException:
            self._stop.set()
            for fetcher in self.fetchers.values():
                fetcher.close()  # the requests in flight end now, not at their timeout
            raise

    @property
    def unreachable(self) -> dict[str, str]:
        """The sources not asked again in this run, and why (their connections kept failing, a bound)."""
        return {name: fetcher.unavailable for name, fetcher in self.fetchers.items() if fetcher.unavailable}

    @property
    def notes(self) -> tuple[str, ...]:
        """What went wrong on the way without stopping the run (the cache)."""
        return (self.cache.problem,) if self.cache.problem else ()

    def close(self) -> None:
        for fetcher in self.fetchers.values():
            fetcher.close()
        self.cache.close()

    def run(self, tasks: Sequence[Task]) -> dict[str, Decision]:
        """Ask about every task and decide it. Identifiers the list gives are looked up, not
        searched for; a task is searched by title only when it gives none, when its identifiers
        are disproven, or to find the other version (published or preprint) of a confirmed one."""
        answers = Answers()
        pinned = [t for t in tasks if t.pinned]
        given = [t for t in tasks if not t.pinned and t.given]
        plain = [t for t in tasks if not t.pinned and not t.given]
        workers = max(1, min(self.settings.concurrency or 8, 8))
        with ThreadPoolExecutor(workers) as pool, ThreadPoolExecutor(1) as arxiv_lane, self._stopping():
            dois = sorted({doi for t in [*pinned, *given] for doi in (t.pinned_doi, t.given_doi) if doi})
            ids = sorted({arxiv_id for t in [*pinned, *given] for arxiv_id in (t.pinned_arxiv, t.given_arxiv) if arxiv_id})
            work_jobs = {doi: pool.submit(_attempt, self.work, doi) for doi in dois}
            pinned_records = {key: pool.submit(_attempt, self.dblp.record, key) for key in sorted({t.pinned_dblp for t in pinned} - {""})}
            lookup_jobs = self._lookups(arxiv_lane, ids)
            searches = [self._submit_search(pool, arxiv_lane, plain)]
            # arXiv answers a whole batch of ids at once: the items that give only an arXiv id are
            # checked, and their searches started, while Crossref still answers the DOIs.
            answers.preprints = self._collect(lookup_jobs)
            only_arxiv = [t for t in given if not t.given_doi]
            plan = check_given(only_arxiv, answers)
            # A disproven link's title is searched once: no second arXiv pass for titles found nowhere.
            searches.append(self._submit_search(pool, arxiv_lane, plan.search, again=False))
            searches.append(self._submit_search(pool, arxiv_lane, plan.search_crossref, arxiv=False, batched=True))
            # The other versions the confirmed records name are fetched as soon as they are known.
            named_works = {doi: pool.submit(_attempt, self.work, doi) for doi in sorted(plan.fetch_dois - set(answers.works))}
            answers.works = self._gather(work_jobs)
            answers.dblp = self._gather(pinned_records)
            rest = check_given([t for t in given if t.given_doi], answers)
            named_preprints = self._lookups(arxiv_lane, sorted({*plan.fetch_ids, *rest.fetch_ids} - set(answers.preprints)))
            searches.append(self._submit_search(pool, arxiv_lane, rest.search, again=False))
            searches.append(self._submit_search(pool, arxiv_lane, rest.search_crossref, arxiv=False, batched=True))
            named_works |= {doi: pool.submit(_attempt, self.work, doi) for doi in sorted(rest.fetch_dois - set(answers.works) - set(named_works))}
            answers.works |= self._gather(named_works)
            answers.preprints |= self._collect(named_preprints)
            for pending in searches:
                self._finish_search(arxiv_lane, pending, answers)

            # What each source asserts about the other version, not yet fetched: one more round.
            dois, ids = follow_ups([*plain, *plan.search, *rest.search], answers)
            answers.works |= self._gather({doi: pool.submit(_attempt, self.work, doi) for doi in dois if doi not in answers.works})
            answers.preprints |= self._collect(self._lookups(arxiv_lane, [i for i in ids if i not in answers.preprints]))
        decisions = {task.title_key: _decide(task, answers) for task in tasks}
        return self._published(tasks, decisions)

    def _published(self, tasks: Sequence[Task], decisions: dict[str, Decision]) -> dict[str, Decision]:
        """Each arXiv-only result, and each unresolved conference paper, looked for on dblp: titles
        in batches, one request at a time at dblp's pace, a title asked alone when its batch's page
        was cut short; a record's proceedings title fetched once it is chosen."""
        asking = [task for task in tasks if wants_publication(task, decisions[task.title_key])]
        if not asking:
            return decisions
        titles = {task.title_key: query_title(task, decisions[task.title_key]) for task in asking}

        def choice(task: Task, answer: list[Candidate] | SourceError) -> Choice | SourceError:
            return answer if isinstance(answer, SourceError) else choose_publication(task, decisions[task.title_key], answer)

        with ThreadPoolExecutor(1) as lane, self._stopping():
            batches = list(_chunks(asking, dblp_source.BATCH))
            pages = [lane.submit(_attempt, self.dblp.search_titles, [titles[t.title_key] for t in batch]) for batch in batches]
            choices: dict[str, Choice | SourceError] = {}
            alone: dict[str, Future[list[Candidate] | SourceError]] = {}
            for batch, job in zip(batches, pages, strict=True):
                page = job.result()
                for task in batch:
                    made = choices[task.title_key] = choice(task, page if isinstance(page, SourceError) else page.candidates)
                    if isinstance(page, dblp_source.Page) and not page.complete and isinstance(made, Choice) and made.chosen is None:
                        alone[task.title_key] = lane.submit(_attempt, self.dblp.search, titles[task.title_key])
            by_key = {task.title_key: task for task in asking}
            choices |= {key: choice(by_key[key], job.result()) for key, job in alone.items()}
            keys = {title: made.chosen.candidate.record.dblp for title, made in choices.items()
                    if isinstance(made, Choice) and made.chosen is not None}
            booktitles = self._gather({key: lane.submit(_attempt, self.dblp.booktitle, key) for key in sorted(set(keys.values()))})
        for title, made in choices.items():
            key = keys.get(title)
            decisions[title] = published(decisions[title], made, booktitles.get(key) if key else None)
        return decisions

    def work(self, doi: str) -> Candidate:
        """The record of a DOI: Crossref's, else (Crossref does not hold it) content negotiation's."""
        if arxiv_of_doi(doi):
            return self.doi.work(doi)
        try:
            return self.crossref.work(doi)
        except NotFound:
            return self.doi.work(doi)

    def _submit_search(self, pool: ThreadPoolExecutor, lane: ThreadPoolExecutor, tasks: Sequence[Task], *,
                       arxiv: bool = True, again: bool = True, batched: bool = False) -> _PendingSearch:
        """Title searches, started: Crossref one query a task (its whole citation), concurrently, or
        `batched`, several citations a query (the publication of every linked preprint, a search
        many lists need); arXiv titles in batches."""
        if batched:
            crossref_jobs: dict[str, Future[Answer]] = {}
            for batch in _chunks(_by_length(tasks), crossref_source.BATCH):
                job = pool.submit(_attempt, self.crossref.search_many, [t.crossref_query for t in batch])
                crossref_jobs |= dict.fromkeys([t.title_key for t in batch], job)
        else:
            crossref_jobs = {t.title_key: pool.submit(_attempt, self.crossref.search, t.crossref_query) for t in tasks}
        batches = list(_chunks(_by_length(tasks), self.settings.arxiv_batch)) if arxiv else []
        batch_jobs = [lane.submit(_attempt, self.arxiv.search_titles, [t.hint.title for t in b]) for b in batches]
        return _PendingSearch(tasks, crossref_jobs, list(zip(batches, batch_jobs, strict=True)), arxiv and again)

    def _finish_search(self, lane: ThreadPoolExecutor, pending: _PendingSearch, answers: Answers) -> None:
        """The searches' answers; then arXiv again, in smaller batches, for titles found nowhere."""
        answers.crossref |= self._gather(pending.crossref)
        for batch, job in pending.arxiv_batches:
            result = job.result()
            answers.arxiv.update({task.title_key: result for task in batch})
            self._progress(len(batch))
        if pending.ask_again:
            self._ask_again(lane, [t for t in pending.tasks if found_nowhere(t, answers)], answers)

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
                    found[arxiv_id] = match if match is not None else NotFound(arxiv_source.SOURCE, f"no arXiv record {arxiv_id}")
        return found




def _decide(task: Task, answers: Answers) -> Decision:
    if task.pinned:
        return decide_pinned(task, answers)
    return decide_given(task, answers) if task.given else decide_search(task, answers)
