"""The bibliographic sources refexport asks: Crossref and arXiv. Each module builds its requests
and turns answers into candidate records; `refexport.resolve.transport` does the asking."""

from __future__ import annotations

from dataclasses import dataclass

from ...identifiers import arxiv_of_doi, record_label
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
    same = asked.lower() in {record.doi.lower(), record.dblp.lower(), record.arxiv.lower()} - {""}
    if not same and not (record.arxiv and arxiv_of_doi(asked) == record.arxiv):
        from ..transport.errors import PermanentError  # not at the top: the CLI imports the registry beside this, no transport

        raise PermanentError(candidate.source, f"asked for {asked}, answered with the record of {record_label(record)}")
    return candidate
