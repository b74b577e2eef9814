"""Acting on a review in one command: `pin`, `reject` and `skip` write an override, never the lock.

The item is named by its line number, its citation key, or a fragment of its title that
selects exactly one work. An override the item already has is edited in place (tomlkit keeps the
file's comments and layout); otherwise a new `[[override]]` goes to `overrides/review.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..assemble import assemble
from ..errors import ItemError
from ..identifiers import normalize_arxiv, normalize_dblp, normalize_doi
from ..join import join
from ..model import Bibliography, ListItem, LockFile, Override, ReadingList
from ..output import write_atomically
from ..overrides import parse_overrides, table_lines
from ..text import normalize_title

NEW_OVERRIDES = "review.toml"
_HEADER = "# Overrides written by `refexport pin`, `reject` and `skip`. Edit freely; see README, Overrides.\n"


@dataclass(frozen=True)
class Edit:
    path: Path
    item: ListItem
    created: bool


def find_item(reading_list: ReadingList, bibliography: Bibliography, needle: str) -> tuple[int, ListItem]:
    """The one item (index, item) that a line number, key or title fragment names."""
    items = reading_list.items
    if needle.isdigit():
        hits = [i for i, item in enumerate(items) if item.line == int(needle)]
        if not hits:
            raise ItemError(f"no item on line {needle} of {reading_list.path}")
        return hits[0], items[hits[0]]
    keys = [entry.key for entry in bibliography.entries]
    hits = [i for i, key in enumerate(keys) if key == needle]
    if not hits:
        fragment = normalize_title(needle)
        hits = [i for i, item in enumerate(items) if fragment and fragment in normalize_title(item.seed_title)]
    works = {normalize_title(items[i].seed_title) for i in hits}
    if not hits:
        raise ItemError(f"no item has the key or a title containing {needle!r}")
    if len(works) > 1:
        listed = "; ".join(f"line {items[i].line}: {items[i].title}" for i in hits[:8])
        raise ItemError(f"{needle!r} names {len(works)} different items ({listed}); give a line number or key")
    return hits[0], items[hits[0]]


def write_override(
    reading_list: ReadingList,
    lock: LockFile,
    overrides: Sequence[Override],
    overrides_dir: Path,
    needle: str,
    changes: dict[str, object],
) -> Edit:
    """Set `changes` in the override of the item `needle` names, creating the override if needed.

    List values (reject_doi, reject_arxiv) are added to; `doi`/`arxiv` also drop the same id
    from the rejects. The edited file is parsed again before it is saved.
    """
    import tomlkit

    bibliography = assemble(join(reading_list, lock, overrides))
    index, item = find_item(reading_list, bibliography, needle)
    existing = bibliography.entries[index].override
    if existing is not None:
        path = Path(existing.path)
        path = path if path.is_file() else overrides_dir / path.name
        text = path.read_text(encoding="utf-8")
        document = tomlkit.parse(text)
        position = table_lines(text).index(existing.line)
        table = document["override"][position]
        created = False
    else:
        path = overrides_dir / NEW_OVERRIDES
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.parse(_HEADER)
        if "override" not in document:
            document["override"] = tomlkit.aot()
        table = tomlkit.table()
        table["match_title"] = item.seed_title
        document["override"].append(table)
        table = document["override"][-1]
        created = True
    for name, value in changes.items():
        if name in ("reject_doi", "reject_arxiv", "reject_dblp"):
            current = [str(v) for v in table.get(name, [])]
            table[name] = sorted({*current, str(value)})
        else:
            table[name] = value
        for pinned, rejects in (("doi", "reject_doi"), ("arxiv", "reject_arxiv"), ("dblp", "reject_dblp")):
            if name == pinned and rejects in table:
                kept = [v for v in table[rejects] if str(v) != value]
                if kept:
                    table[rejects] = kept
                else:
                    del table[rejects]
    # A blank line before each table, as people write them.
    text = re.sub(r"(?<=[^\n])\n\[\[override\]\]", "\n\n[[override]]", tomlkit.dumps(document).rstrip("\n") + "\n")
    parse_overrides(text, str(path))  # never save an override file refexport would refuse
    write_atomically(path, text)
    return Edit(path=path, item=item, created=created)


def identifier_changes(doi: str | None, arxiv: str | None, dblp: str | None = None, *, reject: bool = False) -> dict[str, object]:
    """The override fields that pin (or, with `reject`, reject) a DOI, an arXiv id and/or a dblp record."""
    prefix = "reject_" if reject else ""
    changes: dict[str, object] = {}
    if doi:
        changes[prefix + "doi"] = normalize_doi(doi)
    if arxiv:
        changes[prefix + "arxiv"] = normalize_arxiv(arxiv)
    if dblp:
        changes[prefix + "dblp"] = normalize_dblp(dblp)
    return changes
