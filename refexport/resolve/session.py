"""Asking the sources about a plan's tasks: Crossref concurrently, within its announced limits,
and arXiv one request at a time (titles in batches, ids many per lookup); then deciding each task
with `refexport.resolve.decide`. A failed request is data: it reaches the decision as a reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..model import Decision
from . import ARXIV_URL, CROSSREF_URL
from .decide import Answer, Answers, decide, follow_ups, found_nowhere
from .plan import Task
from .sources import Candidate
from .sources import arxiv as arxiv_source
from .sources import crossref as crossref_source
from .transport.cache import ResponseCache
from .transport.errors import SourceError
from .transport.http import Fetcher, Statistics
from .transport.pacing import Limits, Pacer

T = TypeVar("T")

#: Before the first answer announces Crossref's limits: a conservative start.
CROSSREF_START = Limits(requests=3, interval=1.0, concurrency=1)


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
    crossref_url: str = CROSSREF_URL
    arxiv_url: str = ARXIV_URL
    mailto: str | None = None
    cache_path: Path | None = Path(".cache/responses.sqlite")
    refresh: bool = False
    concurrency: int | None = None  # our own cap on requests in flight to one source
    timeout: float = 20.0
    arxiv_batch: int = arxiv_source.BATCH
    arxiv_interval: float = 3.0  # arXiv's terms: one request every three seconds, one connection
    # Where time comes from and how it passes: tests give a virtual clock that never waits.
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


class Session:
    """The sources of one run, their pacers, cache and counts."""

    def __init__(self, settings: Settings, *, progress: Callable[[int], None] | None = None) -> None:
        self.settings = settings
        self.statistics = Statistics()
        self.cache = ResponseCache(settings.cache_path)
        self._progress = progress or (lambda done: None)
        crossref_extra = {"mailto": settings.mailto} if settings.mailto else {}
        clock, sleep = settings.clock, settings.sleep
        self.crossref_fetcher = Fetcher(
            crossref_source.SOURCE, settings.crossref_url, Pacer(CROSSREF_START, cap=settings.concurrency, clock=clock, sleep=sleep),
            self.cache, self.statistics, mailto=settings.mailto, timeout=settings.timeout,
            refresh=settings.refresh, extra_params=crossref_extra, sleep=settings.sleep,
        )
        arxiv_limits = Limits(requests=1, interval=settings.arxiv_interval, concurrency=1)
        self.arxiv_fetcher = Fetcher(
            arxiv_source.SOURCE, settings.arxiv_url, Pacer(arxiv_limits, clock=clock, sleep=sleep), self.cache, self.statistics,
            mailto=settings.mailto, timeout=settings.timeout, refresh=settings.refresh, sleep=settings.sleep,
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
            crossref_jobs = {t.title_key: pool.submit(_attempt, self.crossref.search, t.crossref_query) for t in searches}
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
            self._ask_again(arxiv_lane, [t for t in searches if found_nowhere(t, answers)], answers)
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


