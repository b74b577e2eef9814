"""dblp: its publication search (`/search/publ/api?q=…&format=json`) and its BibTeX export
(`/rec/{key}.bib`, for the proceedings' whole title), answers → candidates.

dblp holds the computer-science venues that deposit no DOIs (USENIX, NeurIPS, ICML, ICLR, MLSys,
AAAI, IJCAI) with their authors and pages. Its CoRR records are arXiv preprints, not publications.
Parsing is pure and forgiving of one bad hit (it is skipped); `DblpSource` asks through a `Fetcher`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...identifiers import arxiv_of_doi, is_doi
from ...model import Name, Record
from ...text import clean_latex, fold
from ..transport.http import Fetcher, MalformedBody, parse_json
from . import Candidate, answering, registry
from .arxiv import split_name

SOURCE = registry.DBLP.name
HITS = 10
#: Titles asked in one search, the words each gives it, and the hits asked for (dblp sends at
#: most 1,000; one client reports 100).
BATCH = 8
_BATCH_WORDS = 5
BATCH_HITS = 100
#: Words that tell no title from another.
_COMMON = frozenset("a an and are as at be by for from in into is it its of on or our the to towards via we what when with without".split())
#: dblp's kinds of record, as its search names them.
CONFERENCE = "Conference and Workshop Papers"
JOURNAL = "Journal Articles"
_TYPES = {CONFERENCE: "paper-conference", JOURNAL: "article-journal"}
_HOMONYM = re.compile(r"\s+\d{4}$")  # "Xiaopeng Zhang 0009": dblp's number for one of several people of a name


def person(text: str) -> Name:
    """A dblp author, written whole as arXiv writes them, its homonym number removed: "Tri Dao 0001" → Dao, Tri."""
    return split_name(_HOMONYM.sub("", text.strip()))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _authors(info: dict[str, Any]) -> tuple[Name, ...]:
    found = info.get("authors", {})
    listed = found.get("author", []) if isinstance(found, dict) else []
    listed = [listed] if isinstance(listed, dict) else listed if isinstance(listed, list) else []
    return tuple(person(author["text"]) for author in listed if isinstance(author, dict) and isinstance(author.get("text"), str))


def hit_to_candidate(info: dict[str, Any]) -> Candidate | None:
    """One search hit's record; None for a hit without a key or a title."""
    key, title = _text(info.get("key")), clean_latex(_text(info.get("title")).removesuffix("."))
    if not key or not title:
        return None
    kind = _text(info.get("type"))
    venue = info.get("venue")
    venue = _text(venue[0] if isinstance(venue, list) and venue else venue)
    year = _text(info.get("year"))
    doi = _text(info.get("doi")).lower()
    arxiv = arxiv_of_doi(doi)
    record = Record(
        type="article" if venue == "CoRR" or arxiv else _TYPES.get(kind, "article"),
        title=title,
        authors=_authors(info),
        year=int(year) if year.isdigit() else None,
        container_title=venue,
        page=_text(info.get("pages")),
        doi="" if arxiv or not is_doi(doi) else doi,
        arxiv=arxiv,
        url=_text(info.get("ee")),
        dblp=key,
    )
    return Candidate(SOURCE, record, kind or "dblp")


@dataclass(frozen=True)
class Page:
    """The hits of one search, and whether they are all there are (dblp sent every hit it has)."""

    candidates: list[Candidate]
    complete: bool


def parse_page(text: str) -> Page:
    data = parse_json(text)
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, dict) or not isinstance(result.get("hits"), dict):
        raise MalformedBody("not a dblp search result")
    hits = result["hits"].get("hit", [])
    hits = [hits] if isinstance(hits, dict) else hits if isinstance(hits, list) else []
    found = (hit_to_candidate(hit["info"]) for hit in hits if isinstance(hit, dict) and isinstance(hit.get("info"), dict))
    total = str(result["hits"].get("@total", ""))
    return Page([candidate for candidate in found if candidate is not None], total.isdigit() and int(total) <= len(hits))


def parse_search(text: str) -> list[Candidate]:
    return parse_page(text).candidates


def parse_record(text: str) -> Candidate:
    """The record a dblp BibTeX export describes (for a pinned dblp key)."""
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    if not library.entries:
        raise MalformedBody("not a dblp BibTeX record")
    entry = library.entries[0]
    fields = {field.key.lower(): " ".join(clean_latex(str(field.value)).split()) for field in entry.fields}
    doi = fields.get("doi", "").lower()
    arxiv = arxiv_of_doi(doi)
    kind = {"inproceedings": "paper-conference", "article": "article-journal"}.get(entry.entry_type.lower(), "article")
    record = Record(
        type="article" if arxiv or fields.get("journal") == "CoRR" else kind,
        title=fields.get("title", ""),
        authors=tuple(person(name) for name in re.split(r"\s+and\s+", fields.get("author", "")) if name.strip()),
        year=int(fields["year"]) if fields.get("year", "").isdigit() else None,
        container_title=fields.get("booktitle") or fields.get("journal", ""),
        volume=fields.get("volume", ""),
        page=fields.get("pages", "").replace("--", "-"),
        doi="" if arxiv or not is_doi(doi) else doi,
        arxiv=arxiv,
        url=fields.get("url", ""),
        dblp=entry.key.removeprefix("DBLP:"),
    )
    if not record.title:
        raise MalformedBody("a dblp BibTeX record without a title")
    return Candidate(SOURCE, record, entry.entry_type)


def parse_booktitle(text: str) -> str:
    """The whole proceedings title of a dblp BibTeX record ("" for a journal article)."""
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    if not library.entries:
        raise MalformedBody("not a dblp BibTeX record")
    field = library.entries[0].fields_dict.get("booktitle")
    return " ".join(clean_latex(str(field.value)).split()) if field is not None else ""


def query(title: str) -> str:
    """A title as dblp's search takes it: its words (dblp ANDs them, each as a prefix)."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(title).lower()))


def _telling_words(title: str) -> list[str]:
    """A title's words that tell it apart, longest first (a long word is a rare one, roughly)."""
    words = list(dict.fromkeys(query(title).split()))
    telling = [word for word in words if word not in _COMMON and len(word) >= 3] or words
    return sorted(telling, key=len, reverse=True)[:_BATCH_WORDS]


def batch_query(titles: Sequence[str]) -> str:
    """Several titles in one query. dblp ANDs a query's terms and ORs the alternatives of one term
    (`a|b`), each word a prefix: the n-th term offers each title's n-th most telling word, so every
    title's own record holds every term, and a record of another work seldom does. A title with
    fewer words offers them again."""
    chosen = [words for words in map(_telling_words, titles) if words]
    if not chosen:
        return ""
    return " ".join("|".join(dict.fromkeys(words[n % len(words)] for words in chosen)) for n in range(max(map(len, chosen))))


class DblpSource:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def search(self, title: str) -> list[Candidate]:
        """One title: all its words."""
        return self.fetcher.get("/search/publ/api", {"q": query(title), "format": "json", "h": str(HITS)}, parse_search)

    def search_titles(self, titles: Sequence[str]) -> Page:
        """One search for several titles (`batch_query`); a page that is not complete (dblp had more
        hits than it sent) may lack one of them."""
        return self.fetcher.get("/search/publ/api", {"q": batch_query(titles), "format": "json", "h": str(BATCH_HITS)}, parse_page)

    def record(self, key: str) -> Candidate:
        self.fetcher.statistics.count("lookups", SOURCE)
        return answering(key, self.fetcher.get(f"/rec/{key}.bib", {}, parse_record))

    def booktitle(self, key: str) -> str:
        self.fetcher.statistics.count("lookups", SOURCE)
        return self.fetcher.get(f"/rec/{key}.bib", {}, parse_booktitle)
