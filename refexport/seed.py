"""The record a list item gives on its own, before any source or override: its title, venue and
year, and the entry type the venue suggests.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from .model import ListItem, Record
from .venues import classify_venue

_TYPE_BY_KIND = {
    "preprint": "article",
    "software": "software",
    "webpage": "webpage",
    "journal": "article-journal",
    "conference": "paper-conference",
}

ARXIV = "arXiv"
_CODE_HOSTS = {"github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket", "codeberg": "Codeberg"}


def record_from_item(item: ListItem) -> Record:
    kind = classify_venue(item.venue)
    record = Record(
        type=_TYPE_BY_KIND.get(kind, "article"),
        title=item.title,
        year=item.year,
        url=item.url,
    )
    if kind == "preprint":
        return record.with_changes(publisher=ARXIV if "arxiv" in item.venue.lower() else item.venue)
    if kind == "software":
        host = next((name for word, name in _CODE_HOSTS.items() if word in item.venue.lower()), item.venue)
        return record.with_changes(publisher=host)
    if kind == "webpage" and item.venue.lower() not in ("webpage", "web page", "website", "web site", "online"):
        return record.with_changes(container_title=item.venue)
    if kind == "webpage":
        return record
    return record.with_changes(container_title=item.venue)


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
