"""arXiv export API: batched title searches and id lookups, and Atom entries → candidates.

arXiv asks for one request every three seconds over one connection, so titles are searched
several at a time (`ti:"…" OR ti:"…"`) and ids looked up many at a time (`id_list`); results are
matched back to items locally. Parsing is pure (the standard library's XML parser, namespaces
respected); `ArxivSource` asks through a `refexport.resolve.transport.http.Fetcher`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from ...errors import IdentifierError
from ...identifiers import is_doi, normalize_arxiv
from ...model import Name, Record
from ...names import clean_name
from ...text import clean_latex, fold
from ..transport.http import Fetcher, MalformedBody
from . import Candidate, registry

SOURCE = registry.ARXIV.name
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
#: Results asked for per title, and titles per request when the titles the first round (of
#: `Settings.arxiv_batch`) finds nowhere are asked again: in smaller batches, a short title is not
#: crowded out by the results for long ones.
RESULTS_PER_TITLE = 15
SECOND_BATCH = 10
#: Ids per `id_list` request (well under the 2,000 results arXiv returns at most, and a query
#: string of about 3 KB).
ID_BATCH = 250
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ter"}


def split_name(full: str) -> Name:
    """arXiv gives names whole ("Joseph E. Gonzalez"), often with TeX accents ("G\\"ulçehre"):
    the last word, with any particles before it ("van der Berg"), is the family name."""
    cleaned = clean_name(full)
    words = cleaned.split()
    if len(words) < 2:
        return Name(literal=cleaned) if cleaned else Name()
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]))


def _text(element: ElementTree.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def entry_to_candidate(entry: ElementTree.Element) -> Candidate | None:
    entry_id = _text(entry.find(f"{ATOM}id"))
    try:
        arxiv_id = normalize_arxiv(entry_id)
    except IdentifierError:
        return None  # arXiv's error entries have ids like https://arxiv.org/api/errors#...
    published = _text(entry.find(f"{ATOM}published"))
    year = int(published[:4]) if re.match(r"^\d{4}", published) else None
    primary = entry.find(f"{ARXIV}primary_category")
    record = Record(
        type="article",
        title=clean_latex(_text(entry.find(f"{ATOM}title"))),
        authors=tuple(split_name(_text(a.find(f"{ATOM}name"))) for a in entry.findall(f"{ATOM}author")),
        year=year,
        publisher="arXiv",
        arxiv=arxiv_id,
        arxiv_class=primary.get("term", "") if primary is not None else "",
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )
    doi = _text(entry.find(f"{ARXIV}doi")).lower()
    doi = doi if is_doi(doi) else ""  # checked as the list's DOIs are
    return Candidate(SOURCE, record, "arxiv", linked_doi=doi, journal_ref=_text(entry.find(f"{ARXIV}journal_ref")))


def parse_feed(text: str) -> list[Candidate]:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise MalformedBody(f"not an Atom feed ({error})") from error
    if root.tag != f"{ATOM}feed":
        raise MalformedBody(f"not an Atom feed (root {root.tag})")
    return [c for c in (entry_to_candidate(e) for e in root.findall(f"{ATOM}entry")) if c is not None]


def _phrase(title: str) -> str:
    """A title as arXiv's phrase search takes it: words only (punctuation breaks its parser)."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", fold(title)))


def title_query(titles: Sequence[str]) -> str:
    return " OR ".join(f'ti:"{phrase}"' for phrase in dict.fromkeys(_phrase(t) for t in titles) if phrase)


class ArxivSource:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def search_titles(self, titles: Sequence[str]) -> list[Candidate]:
        params = {
            "search_query": title_query(titles),
            "start": "0",
            "max_results": str(RESULTS_PER_TITLE * len(titles)),
        }
        return self.fetcher.get("", params, parse_feed)

    def lookup(self, ids: Sequence[str]) -> list[Candidate]:
        self.fetcher.statistics.count("lookups", SOURCE)
        params = {"id_list": ",".join(ids), "start": "0", "max_results": str(len(ids))}
        return self.fetcher.get("", params, parse_feed)
