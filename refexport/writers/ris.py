"""Works → RIS as Zotero's importer reads it: CRLF line ends, no BOM, one `AU` per author,
conference papers as `CONF` with the conference in `T2` and the proceedings in `C3`.

Every value is folded onto one line, so no title can end a record or start a tag.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..escape import safe_url
from ..model import Name, Record, Work

_RIS_TYPES = {
    # No RIS type imports as a Zotero preprint; UNPB keeps the DOI in place (as GEN does), and
    # pandoc reads it as an unpublished work where GEN has no printed form in most styles.
    "article": "UNPB",
    "paper-conference": "CONF",
    "article-journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "thesis": "THES",
    "software": "COMP",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _author(name: Name) -> str:
    if name.literal:
        return _one_line(name.literal)
    return _one_line(f"{name.family}, {name.given}" if name.given else name.family)


def ris_type(record: Record) -> str:
    return _RIS_TYPES.get(record.type, "GEN")


def record_to_ris(record: Record, key: str, keywords: Sequence[str]) -> dict[str, Any]:
    """The rispy mapping (tag names as rispy calls them) for one record, in tag order."""
    entry: dict[str, Any] = {"type_of_reference": ris_type(record), "id": key, "title": _one_line(record.title)}
    if record.authors:
        entry["authors"] = [_author(name) for name in record.authors]
    if record.year is not None:
        entry["year"] = str(record.year)
        entry["date"] = f"{record.year}///"
    if record.type == "paper-conference":
        conference = record.event_title or record.container_title
        if conference:
            entry["secondary_title"] = _one_line(conference)
        if record.container_title:
            entry["custom3"] = _one_line(record.container_title)
    elif record.is_preprint:
        # pandoc's RIS reader drops AN: the id also stands in T2, as Google Scholar writes it.
        entry["secondary_title"] = f"arXiv preprint arXiv:{record.arxiv}"
        entry["accession_number"] = f"arXiv:{record.arxiv}"
    elif record.container_title:
        entry["secondary_title"] = _one_line(record.container_title)
    for field, value in (
        ("publisher", record.publisher),
        ("volume", record.volume),
        ("number", record.issue),
        ("doi", record.doi),
    ):
        if value:
            entry[field] = _one_line(value)
    if record.page:
        first, _, last = re.sub(r"\s*[-–—]+\s*", "-", _one_line(record.page)).partition("-")
        entry["start_page"] = first
        if last:
            entry["end_page"] = last
    if record.url:
        entry["urls"] = [safe_url(record.url)]
    if keywords:
        entry["keywords"] = [_one_line(keyword) for keyword in keywords]
    if record.note:
        entry["notes"] = [_one_line(record.note)]
    return entry


@lru_cache(maxsize=1)
def _ris_writer() -> Any:
    import rispy

    class ZoteroRisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no types
        NEWLINE = "\r\n"

        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records by default; RIS readers do not expect it

    return ZoteroRisWriter()


def ris_entry(work: Work) -> str:
    """One work as a RIS record, `TY` to `ER`, each line ending in CRLF."""
    return str(_ris_writer().formats([record_to_ris(work.record, work.key, work.sections)]))


def join_ris(entries: Sequence[str]) -> str:
    return "\r\n".join(entries)
