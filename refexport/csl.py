"""`Record` ⇄ CSL-JSON item, losslessly: the lock stores records this way and the CSL-JSON
writer starts from it. What CSL has no variable for (the arXiv id and category of a published
paper) lives under CSL's `custom` object.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from typing import Any

from .escape import safe_url
from .model import RECORD_TYPES, Name, Record
from .text import without_invisible

CslItem = dict[str, Any]

_TEXT_FIELDS = (
    ("title", "title"),
    ("container_title", "container-title"),
    ("event_title", "event-title"),
    ("publisher", "publisher"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("page", "page"),
    ("doi", "DOI"),
    ("url", "URL"),
    ("note", "note"),
)


class RecordFormatError(ValueError):
    """A CSL item that cannot be a `Record` (wrong shape or types)."""


def name_to_csl(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    return {key: value for key, value in (("family", name.family), ("given", name.given)) if value}


def record_to_csl(record: Record) -> CslItem:
    """The CSL-JSON item for a record, without `id` (the caller knows the citation key)."""
    item: CslItem = {"type": record.type}
    for attribute, variable in _TEXT_FIELDS:
        if value := getattr(record, attribute):
            item[variable] = value
    if record.authors:
        item["author"] = [name_to_csl(name) for name in record.authors]
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    if record.is_preprint:
        # Zotero imports this shape as a preprint: number "arXiv:ID" with publisher "arXiv".
        item["number"] = f"arXiv:{record.arxiv}"
    custom = {key: value for key, value in (("arxiv", record.arxiv), ("arxiv-class", record.arxiv_class), ("dblp", record.dblp)) if value}
    if custom:
        item["custom"] = custom
    return item


def csl_to_record(item: CslItem) -> Record:
    """The record a CSL item (as `record_to_csl` writes it) stands for."""
    if not isinstance(item, dict):
        raise RecordFormatError("a record must be a JSON object")
    kind = item.get("type")
    if kind not in RECORD_TYPES:
        raise RecordFormatError(f"unknown record type {kind!r}")
    values: dict[str, Any] = {}
    for attribute, variable in _TEXT_FIELDS:
        value = item.get(variable, "")
        if not isinstance(value, str):
            raise RecordFormatError(f"{variable} must be a string")
        values[attribute] = without_invisible(value)
    if values["url"] and not safe_url(values["url"]):
        raise RecordFormatError(f"URL {values['url'][:80]!r} is not an http, https or mailto address")
    values["url"] = safe_url(values["url"])
    try:
        authors = [Name(str(a.get("family", "")), str(a.get("given", "")), str(a.get("literal", ""))) for a in item.get("author", [])]
    except AttributeError as error:
        raise RecordFormatError("author must be a list of name objects") from error
    year = None
    if "issued" in item:
        try:
            year = int(item["issued"]["date-parts"][0][0])
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise RecordFormatError("issued must be {'date-parts': [[YEAR]]}") from error
        if not 1000 <= year <= 2999:
            raise RecordFormatError(f"year {year} is out of range")
    custom = item.get("custom", {})
    if not isinstance(custom, dict):
        raise RecordFormatError("custom must be an object")
    number = item.get("number", "")
    arxiv = custom.get("arxiv") or (number[len("arXiv:"):] if isinstance(number, str) and number.startswith("arXiv:") else "")
    return Record(
        type=kind,
        authors=tuple(authors),
        year=year,
        arxiv=str(arxiv),
        arxiv_class=str(custom.get("arxiv-class", "")),
        dblp=str(custom.get("dblp", "")),
        **values,
    )
