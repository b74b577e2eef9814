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


def answering(asked: str, candidate: Candidate) -> Candidate:
    """The record of a lookup, only if it is the record asked for: an answer with another DOI, arXiv
    id or dblp key is that item's failure, never the record of the one asked."""
    record = candidate.record
    answered = {record.doi.lower(), record.arxiv, record.dblp, f"10.48550/arxiv.{record.arxiv}" if record.arxiv else ""} - {""}
    if asked.lower() not in {value.lower() for value in answered}:
        from ..transport.errors import PermanentError

        raise PermanentError(candidate.source, f"asked for {asked}, answered with the record of {record_label(record)}")
    return candidate
