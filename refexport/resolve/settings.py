"""How a resolve run asks: where, how politely, how fast. Kept apart from the session so that the
CLI and a resolve with a complete lock import no HTTP, cache or matching code."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ARXIV_URL, CROSSREF_URL, DOI_URL


@dataclass(frozen=True)
class Settings:
    crossref_url: str = CROSSREF_URL
    arxiv_url: str = ARXIV_URL
    doi_url: str = DOI_URL
    mailto: str | None = None
    cache_path: Path | None = Path(".cache/responses.sqlite")
    refresh: bool = False
    concurrency: int | None = None  # our own cap on requests in flight to one source
    timeout: float = 20.0
    # Titles per arXiv search request; the titles the first round finds nowhere are asked again in
    # smaller batches (`sources.arxiv.SECOND_BATCH`).
    arxiv_batch: int = 20
    arxiv_interval: float = 3.0  # arXiv's terms: one request every three seconds, one connection
    # Where time comes from and how it passes: tests give a virtual clock that never waits.
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
