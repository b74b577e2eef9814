"""The bibliographic sources refexport asks: Crossref and arXiv. Each module builds its requests
and turns answers into candidate records; `refexport.resolve.transport` does the asking."""

from __future__ import annotations

from dataclasses import dataclass

from ...identifiers import record_label
from ...model import Record


@dataclass(frozen=True)
class Candidate:
    """A record a source offers for an item, with what the source asserts about its other version."""

    source: str  # "crossref" or "arxiv"
    record: Record
    kind: str  # the source's own type ("proceedings-article", "posted-content", "arxiv")
    linked_doi: str = ""  # arXiv: the publisher DOI the authors gave
    linked_arxiv: str = ""  # Crossref: the arXiv preprint the publisher asserts (has-preprint)
    journal_ref: str = ""  # arXiv: where the authors say it appeared

    @property
    def identifier(self) -> str:
        return record_label(self.record)
