"""Crossref REST API: search and lookup requests, and work items → candidates.

Parsing is pure; `CrossrefSource` asks through a `refexport.resolve.transport.http.Fetcher`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ...identifiers import arxiv_of_doi, is_doi
from ...model import Name, Record
from ...text import clean_latex
from ..transport.http import Fetcher, MalformedBody, parse_json
from . import Candidate, answering
from .registry import CROSSREF

SOURCE = CROSSREF.name
ROWS = 5
#: Citations in one search (`CrossrefSource.search_many`).
BATCH = 4
_FIELDS = (
    "DOI,URL,type,title,subtitle,author,container-title,short-container-title,event,publisher,"
    "issued,published,published-print,published-online,page,volume,issue,relation,score"
)
_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "posted-content": "article",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "report": "report",
    "report-component": "report",
    "dissertation": "thesis",
    "dataset": "dataset",
}
_TAG = re.compile(r"<[^>]+>")


def strip_markup(text: str) -> str:
    """Crossref text carries JATS/HTML (`<i>k</i>`, `<scp>T</scp>`), line breaks, and now and
    then TeX from the depositor's bibliography (`{IJCAI-19}`)."""
    return clean_latex(_TAG.sub("", text))


def _first(values: Any) -> str:
    return strip_markup(values[0]) if isinstance(values, list) and values and isinstance(values[0], str) else ""


def _year(item: dict[str, Any]) -> int | None:
    for field in ("issued", "published-print", "published-online", "published"):
        try:
            year = item[field]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int):
            return year
    return None


def _names(item: dict[str, Any]) -> tuple[Name, ...]:
    names = []
    for author in item.get("author") or []:
        if not isinstance(author, dict):
            continue
        if author.get("family"):
            names.append(Name(family=strip_markup(author["family"]), given=strip_markup(author.get("given", ""))))
        elif author.get("name"):
            names.append(Name(literal=strip_markup(author["name"])))
    return tuple(names)


def _linked_arxiv(item: dict[str, Any]) -> str:
    relations = item.get("relation") or {}
    for relation in relations.get("has-preprint") or []:
        if isinstance(relation, dict) and (arxiv_id := arxiv_of_doi(str(relation.get("id", "")))):
            return arxiv_id
    return ""


def item_to_candidate(item: dict[str, Any]) -> Candidate:
    """One Crossref work item as a candidate record. Raises MalformedBody for an item without a
    DOI as the list's DOIs are checked, and for fields of the wrong types."""
    doi = item.get("DOI")
    if not isinstance(doi, str) or not is_doi(doi):
        raise MalformedBody(f"a work whose DOI is no DOI: {str(doi)[:80]!r}")
    doi = doi.lower()
    try:
        return _candidate(item, doi)
    except (TypeError, AttributeError, ValueError) as error:
        raise MalformedBody(f"a work of the wrong shape ({error})") from error


def _candidate(item: dict[str, Any], doi: str) -> Candidate:
    title = _first(item.get("title"))
    subtitle = _first(item.get("subtitle"))
    if subtitle and not title.lower().endswith(subtitle.lower()):
        title = f"{title}: {subtitle}" if title else subtitle
    event = item.get("event")
    event = event if isinstance(event, dict) else {}
    kind = str(item.get("type", ""))
    record = Record(
        type=_TYPES.get(kind, "article"),
        title=title,
        authors=_names(item),
        year=_year(item),
        container_title=_first(item.get("container-title")),
        event_title=strip_markup(str(event.get("name", ""))),
        publisher=strip_markup(str(item.get("publisher", ""))),
        volume=str(item.get("volume", "")),
        issue=str(item.get("issue", "")),
        page=str(item.get("page", "")),
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else "",
    )
    return Candidate(SOURCE, record, kind, linked_arxiv=_linked_arxiv(item))


def parse_work_list(text: str) -> list[Candidate]:
    data = parse_json(text)
    try:
        items = data["message"]["items"]
    except (KeyError, TypeError) as error:
        raise MalformedBody("no message.items in a Crossref work list") from error
    if not isinstance(items, list):
        raise MalformedBody("message.items in a Crossref work list is not a list")
    return [candidate for item in items if isinstance(item, dict) and (candidate := _forgiving(item)) is not None]


def _forgiving(item: dict[str, Any]) -> Candidate | None:
    """A search hit, or None for one that does not read: one bad hit does not spoil the rest."""
    try:
        return item_to_candidate(item)
    except MalformedBody:
        return None


def parse_work(text: str) -> Candidate:
    data = parse_json(text)
    try:
        item = data["message"]
        item["DOI"]
    except (KeyError, TypeError) as error:
        raise MalformedBody("no message.DOI in a Crossref work") from error
    return item_to_candidate(item)


def search_params(bibliographic: str, rows: int = ROWS) -> dict[str, str]:
    return {"query.bibliographic": bibliographic, "rows": str(rows), "select": _FIELDS}


class CrossrefSource:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def search(self, bibliographic: str) -> list[Candidate]:
        return self.fetcher.get("/works", search_params(bibliographic), parse_work_list)

    def search_many(self, citations: Sequence[str]) -> list[Candidate]:
        """Several citations in one query, `ROWS` results for each: a work one of them cites scores
        on all of that citation's words, as it would alone."""
        return self.fetcher.get("/works", search_params(" ".join(citations), ROWS * len(citations)), parse_work_list)

    def work(self, doi: str) -> Candidate:
        """The work with this DOI. arXiv DOIs are DataCite's: callers never ask Crossref for them."""
        self.fetcher.statistics.count("lookups", SOURCE)
        return answering(doi, self.fetcher.get(f"/works/{quote(doi, safe='/')}", {}, parse_work))
