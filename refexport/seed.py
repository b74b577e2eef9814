"""The record a list item gives on its own, before any source or override: its title, venue and
year, and the entry type the venue suggests.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .model import ListItem, Name, Record
from .venues import classify_venue

_TYPE_BY_KIND = {
    "preprint": "article",
    "software": "software",
    "webpage": "webpage",
    "journal": "article-journal",
    "conference": "paper-conference",
}

#: An entry's kind says more than its venue's words: a repository is software whatever it shows.
_KIND_BY_ENTRY = {"software": "software", "webpage": "webpage"}

ARXIV = "arXiv"
_CODE_HOSTS = {"github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket", "codeberg": "Codeberg"}


def record_from_item(item: ListItem) -> Record:
    """What the list says of an entry: its kind, title, authors, venue, year, link and the
    identifiers its links carry (given by the list, not yet checked)."""
    kind = _KIND_BY_ENTRY.get(item.kind) or classify_venue(item.venue)
    record = Record(
        type=_TYPE_BY_KIND.get(kind, "article"),
        title=item.title,
        authors=tuple(_name(author) for author in item.authors),
        year=item.year,
        url=item.url,
        doi=item.doi,
        arxiv=item.arxiv,
    )
    if kind == "preprint" or (not item.venue and item.arxiv and not item.doi and item.kind == "paper"):
        return record.with_changes(type="article", publisher=ARXIV if not item.venue or "arxiv" in item.venue.lower() else item.venue)
    if kind == "software":
        host = next((name for word, name in _CODE_HOSTS.items() if word in (item.venue or item.url).lower()), item.venue)
        return record.with_changes(publisher=host, authors=record.authors or _owner(item.url))
    if kind == "webpage" and item.venue.lower() not in ("webpage", "web page", "website", "web site", "online", ""):
        return record.with_changes(container_title=item.venue)
    if kind == "webpage":
        site = urlsplit(item.url).netloc.removeprefix("www.")
        return record.with_changes(container_title=site, authors=record.authors or _owner(item.url))
    return record.with_changes(container_title=item.venue)


def _owner(url: str) -> tuple[Name, ...]:
    """Who a repository or a personal site belongs to: `github.com/vllm-project/vllm` → vllm-project,
    `lilianweng.github.io` → lilianweng."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if any(word in host for word in _CODE_HOSTS) and (segments := [s for s in parts.path.split("/") if s]):
        return (Name(literal=segments[0]),)
    if host.endswith(".github.io"):
        return (Name(literal=host.removesuffix(".github.io")),)
    return ()


def _name(written: str) -> Name:
    """An author as a list writes one: "Family, Given" or "Given Family"; one word is a literal."""
    family, comma, given = written.partition(",")
    if comma:
        return Name(family=family.strip(), given=given.strip())
    words = written.split()
    if len(words) < 2:
        return Name(literal=written.strip())
    return Name(family=words[-1], given=" ".join(words[:-1]))


def preprint_of(record: Record) -> Record:
    """The arXiv preprint of a record that has an arXiv id (for `prefer = "preprint"`)."""
    return Record(
        type="article",
        title=record.title,
        authors=record.authors,
        year=record.year,
        publisher=ARXIV,
        arxiv=record.arxiv,
        arxiv_class=record.arxiv_class,
        url=record.url if record.url.startswith("https://arxiv.org/") else "",
        note=record.note,
    )
