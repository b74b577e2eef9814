"""How a resolve run asks: where, how politely, how fast. Kept apart from the session so that the
CLI and a resolve with a complete lock import no HTTP, cache or matching code."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .sources.registry import SourceInfo
from .transport.pacing import Limits


@dataclass(frozen=True)
class Settings:
    urls: Mapping[str, str] = field(default_factory=dict)  # a source's name → where to ask it instead of its public address
    mailto: str | None = None
    cache_path: Path | None = Path(".cache/responses.sqlite")
    refresh: bool = False
    concurrency: int | None = None  # our own cap on requests in flight to one source
    timeout: float = 20.0  # seconds for one whole answer
    # Seconds for the whole run: a 1,000-item list takes some minutes at the sources' paces.
    deadline: float = 3600.0
    # Titles per arXiv search request; the titles the first round finds nowhere are asked again in
    # smaller batches (`sources.arxiv.SECOND_BATCH`).
    arxiv_batch: int = 20
    # Where time comes from and how it passes: tests give a virtual clock that never waits.
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def url(self, source: SourceInfo) -> str:
        return self.urls.get(source.name, source.url)

    def start(self, source: SourceInfo) -> Limits:
        pace = source.start
        return Limits(requests=pace.requests, interval=pace.interval, concurrency=pace.concurrency)
