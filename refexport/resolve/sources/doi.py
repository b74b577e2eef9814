"""doi.org content negotiation, for DOIs Crossref does not hold (it answers 404): DataCite's
(Zenodo, figshare, arXiv's own 10.48550), mEDRA's and other agencies'. Asked in BibTeX, with the
media type habanero's content negotiation sends; bibtexparser reads the answer. The request goes
through the shared transport rather than habanero's own `httpx2.get`, which reads an answer of any
size for any time: retries, the cache, error mapping and the bounds are the transport's.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from habanero.cnrequest import cn_format_headers

from ...identifiers import arxiv_of_doi, is_doi
from ...model import Name, Record
from ...text import clean_latex
from ..transport.http import Fetcher, MalformedBody
from . import Candidate, answering
from .arxiv import split_name
from .registry import DOI

SOURCE = DOI.name
_TYPES = {"article": "article-journal", "inproceedings": "paper-conference", "conference": "paper-conference",
          "incollection": "chapter", "inbook": "chapter", "book": "book", "techreport": "report",
          "phdthesis": "thesis", "mastersthesis": "thesis", "software": "software", "dataset": "dataset"}


class NegotiatingFetcher(Fetcher):
    """A fetcher that asks doi.org for a DOI's record as BibTeX."""

    ACCEPT = cn_format_headers["bibtex"]


def _names(field: str) -> tuple[Name, ...]:
    names = []
    for written in re.split(r"\s+and\s+", field.strip()):
        written = written.strip()
        if not written:
            continue
        if written.startswith("{") and written.endswith("}"):
            names.append(Name(literal=clean_latex(written[1:-1])))
            continue
        family, comma, given = written.partition(",")
        names.append(Name(family=clean_latex(family.strip()), given=clean_latex(given.strip())) if comma else split_name(written))
    return tuple(names)


def parse_bibtex(text: str) -> Candidate:
    """The one entry of a content-negotiation answer as a candidate record."""
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    if not library.entries:
        raise MalformedBody("no BibTeX entry in the answer")
    entry = library.entries[0]
    fields = {field.key.lower(): str(field.value).strip() for field in entry.fields}
    doi = fields.get("doi", "").lower()
    if doi and not is_doi(doi):
        raise MalformedBody(f"a record whose DOI is no DOI: {doi[:80]!r}")
    kind = entry.entry_type.lower()
    year = int(match.group(0)) if (match := re.search(r"\d{4}", fields.get("year", ""))) else None
    arxiv = arxiv_of_doi(doi)
    publisher = clean_latex(fields.get("publisher", ""))
    record = Record(
        type="article" if arxiv or kind == "misc" else _TYPES.get(kind, "article"),
        title=clean_latex(fields.get("title", "")),
        authors=_names(fields.get("author", "")),
        year=year,
        container_title=clean_latex(fields.get("journal") or fields.get("booktitle") or ""),
        publisher="arXiv" if arxiv else publisher,
        page=clean_latex(fields.get("pages", "")),
        doi="" if arxiv else doi,
        arxiv=arxiv,
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else (f"https://doi.org/{doi}" if doi else ""),
    )
    return Candidate(SOURCE, record, kind)


class DoiSource:
    def __init__(self, fetcher: NegotiatingFetcher) -> None:
        self.fetcher = fetcher

    def work(self, doi: str) -> Candidate:
        self.fetcher.statistics.count("lookups", SOURCE)
        found = self.fetcher.get(f"/{quote(doi, safe='/')}", {}, parse_bibtex)
        if not found.record.doi and not found.record.arxiv:  # an agency's BibTeX without its DOI: the one asked
            found = Candidate(found.source, found.record.with_changes(doi=doi.lower(), url=f"https://doi.org/{doi.lower()}"), found.kind)
        return answering(doi, found)


#: How the session asks doi.org: in BibTeX, as habanero's content negotiation asks.
FETCHER = NegotiatingFetcher
