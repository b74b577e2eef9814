"""Works → CSL-JSON (an array of CSL items), valid against the CSL-JSON schema.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..csl import CslItem, record_to_csl
from ..escape import safe_url
from ..jsonio import pretty
from ..model import Work

# Zotero's CSL-JSON importer refuses a whole file that holds one item of type "software", so
# software is written as a web page whose genre says what it is.
_ZOTERO_SAFE_TYPES = {"software": ("webpage", "Software")}


def work_to_csl(work: Work) -> CslItem:
    item = record_to_csl(work.record)
    # The lock keeps a published paper's arXiv id in `custom`, which processors (citeproc-py
    # among them) do not know.
    item.pop("custom", None)
    if work.record.arxiv and not work.record.is_preprint:
        # A published paper's preprint: CSL has no eprint variable; Zotero keeps these as the
        # archive and its location ("Loc. in Archive"), and styles that print them say "arXiv:ID".
        item["archive"], item["archive_location"] = "arXiv", f"arXiv:{work.record.arxiv}"
    if "URL" in item:
        item["URL"] = safe_url(item["URL"])
    item["id"] = work.key
    if work.record.type in _ZOTERO_SAFE_TYPES:
        item["type"], item["genre"] = _ZOTERO_SAFE_TYPES[work.record.type]
        if work.record.publisher and "container-title" not in item:
            item["container-title"] = work.record.publisher
    if work.sections:
        item["keyword"] = ", ".join(work.sections)
    return item


def csljson_entry(work: Work) -> str:
    """One work as a CSL-JSON item, indented as it stands in the file's array."""
    text = pretty(work_to_csl(work))
    return "  " + text.replace("\n", "\n  ")


def join_csljson(entries: Sequence[str]) -> str:
    """The same text `json.dumps(items, indent=2, sort_keys=True)` gives, from pre-rendered items."""
    if not entries:
        return "[]\n"
    return "[\n" + ",\n".join(entries) + "\n]\n"
