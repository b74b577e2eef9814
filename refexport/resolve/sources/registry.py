"""The sources refexport asks, one line each: what it answers, where it is, how fast it may be
asked. The command line's options, the settings and the session's fetchers come from here; the
transport (HTTP, pacing, retries, cache) knows no source by name.

Light on purpose: the command line reads it without loading HTTP code. A source's requests and
answers live in its module, `refexport.resolve.sources.<module>`, which names its fetcher
(`FETCHER`) when it needs other than plain HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    """A source's pace before its answers announce limits: requests per interval, in flight."""

    requests: int
    interval: float  # seconds
    concurrency: int


@dataclass(frozen=True)
class SourceInfo:
    name: str  # how statistics, the cache and reasons name it
    answers: str  # what it is asked
    url: str  # its public address
    option: str  # the resolve option that points elsewhere (a mirror, a test server)
    start: Pace  # its pace until its answers announce limits of their own
    module: str  # its adapter, under refexport.resolve.sources
    capped: bool = True  # whether --concurrency caps it
    mailto_param: bool = False  # whether it takes the contact address as a query parameter

    @property
    def env(self) -> str:
        """The environment variable that points elsewhere, as the option does."""
        return "REFEXPORT_" + self.option.removeprefix("--").replace("-", "_").upper()

    @property
    def setting(self) -> str:
        """The option's name as click passes it."""
        return self.option.removeprefix("--").replace("-", "_")


CROSSREF = SourceInfo(
    "crossref", "title searches and DOI lookups", "https://api.crossref.org", "--crossref-url",
    Pace(requests=3, interval=1.0, concurrency=1), "crossref", mailto_param=True,
)
# arXiv's terms: one request every three seconds, over one connection.
ARXIV = SourceInfo(
    "arxiv", "title searches and arXiv id lookups", "https://export.arxiv.org/api/query", "--arxiv-url",
    Pace(requests=1, interval=3.0, concurrency=1), "arxiv", capped=False,
)
# doi.org announces no limits (and habanero would not show them): a modest pace of our own.
DOI = SourceInfo(
    "doi.org", "DOI content negotiation, for DOIs Crossref does not hold", "https://doi.org", "--doi-url",
    Pace(requests=3, interval=1.0, concurrency=2), "doi",
)
# dblp asks for "at least one or two seconds between two consecutive requests"; past that, 429 with Retry-After.
DBLP = SourceInfo(
    "dblp", "title searches for the published version of computer-science papers", "https://dblp.org", "--dblp-url",
    Pace(requests=1, interval=1.0, concurrency=1), "dblp", capped=False,
)
SOURCES: tuple[SourceInfo, ...] = (CROSSREF, ARXIV, DOI, DBLP)
