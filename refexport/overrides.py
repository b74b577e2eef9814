"""Maintainers' corrections: `overrides/*.toml`, read safely, validated strictly, applied last.

Each file holds `[[override]]` tables. One selector, `match_title` (the seed title as written in
the list; case, punctuation and LaTeX remnants do not matter) or `match_key` (the citation key the
item has before this override: its key in the lock, else the computed one), and any of:

    doi, arxiv, type, url, title, authors, year, venue (or container), publisher, note,
    reject_doi, reject_arxiv, skip, prefer = "published" | "preprint"

`authors` is a list of strings: "Family, Given" is a person, a string without a comma is an
organisation or a single name (a repository's owner, say). An unknown field, a bad value, an
override that selects no item, or two overrides for the same item are errors naming file and line.

Parsing and applying are pure; `load_overrides` reads the files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import IdentifierError, OverrideError
from .escape import safe_url
from .files import MIB, NotRegular, read_regular
from .identifiers import normalize_arxiv, normalize_dblp, normalize_doi
from .model import RECORD_TYPES, Decision, Name, Override, Record, Status
from .seed import ARXIV, preprint_of
from .text import normalize_title, without_invisible

#: An override file is a maintainer's notes: a few kilobytes.
MAX_OVERRIDE_BYTES = 4 * MIB
_SETTERS = ("doi", "arxiv", "dblp", "type", "url", "title", "authors", "year", "venue", "container", "publisher", "note")
_FIELDS = frozenset(_SETTERS) | {"match_title", "match_key", "reject_doi", "reject_arxiv", "reject_dblp", "skip", "prefer"}
_PREFER = ("published", "preprint")
# Fields that say what the work *is*: an override setting one of them settles the item.
_SETTLING = ("doi", "arxiv", "dblp", "type", "url")


def table_lines(text: str) -> list[int]:
    """Line numbers of the `[[override]]` headers, in order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^\s*\[\[\s*override\s*\]\]", line)
    ]


def _field_line(text: str, start: int, name: str) -> int:
    lines = text.splitlines()
    for number in range(start, len(lines) + 1):
        if number > start and re.match(r"^\s*\[", lines[number - 1]):
            break
        if re.match(rf"^\s*{re.escape(name)}\s*=", lines[number - 1]):
            return number
    return start


def parse_overrides(text: str, path: str) -> list[Override]:
    """The overrides in one file's text."""
    try:
        data = tomllib.loads(text)
    except RecursionError as error:
        raise OverrideError("nested too deeply to be an override file", path=path, line=1) from error
    except tomllib.TOMLDecodeError as error:
        line = int(match.group(1)) if (match := re.search(r"line (\d+)", str(error))) else 1
        raise OverrideError(f"not valid TOML: {error}", path=path, line=line) from error
    unknown = sorted(set(data) - {"override"})
    if unknown:
        raise OverrideError(f"unknown table {unknown[0]!r}; write overrides as [[override]] tables", path=path, line=1)
    tables = data.get("override", [])
    if not isinstance(tables, list):
        raise OverrideError("'override' must be an array of tables: [[override]]", path=path, line=1)
    lines = table_lines(text)
    return [
        _parse_table(table, path, lines[index] if index < len(lines) else 1, text)
        for index, table in enumerate(tables)
    ]


def _parse_table(table: dict[str, Any], path: str, line: int, text: str) -> Override:
    def fail(name: str, message: str) -> OverrideError:
        return OverrideError(message, path=path, line=_field_line(text, line, name))

    for name in table:
        if name not in _FIELDS:
            raise fail(name, f"unknown field {name!r}; known: {', '.join(sorted(_FIELDS))}")
    selectors = [name for name in ("match_title", "match_key") if name in table]
    if len(selectors) != 1:
        raise OverrideError("an override needs exactly one of match_title or match_key", path=path, line=line)
    selector = selectors[0]
    value = table[selector]
    if not isinstance(value, str) or not value.strip():
        raise fail(selector, f"{selector} must be a non-empty string")
    if "venue" in table and "container" in table:
        raise fail("container", "set venue or container, not both")

    changes: list[tuple[str, Any]] = []
    for name in _SETTERS:
        if name in table:
            try:
                changes.append(_validated(name, table[name]))
            except (TypeError, ValueError, IdentifierError) as error:
                raise fail(name, str(error)) from error

    rejects: dict[str, frozenset[str]] = {}
    for name, normalize in (("reject_doi", normalize_doi), ("reject_arxiv", normalize_arxiv), ("reject_dblp", normalize_dblp)):
        raw = table.get(name, [])
        raw = [raw] if isinstance(raw, str) else raw
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise fail(name, f"{name} must be a string or a list of strings")
        try:
            rejects[name] = frozenset(normalize(v) for v in raw)
        except IdentifierError as error:
            raise fail(name, str(error)) from error

    skip = table.get("skip", False)
    if not isinstance(skip, bool):
        raise fail("skip", "skip must be true or false")
    prefer = table.get("prefer", "")
    if prefer and prefer not in _PREFER:
        raise fail("prefer", f"prefer must be one of {', '.join(map(repr, _PREFER))}")
    if not (changes or skip or prefer or any(rejects.values())):
        raise OverrideError("this override changes nothing", path=path, line=line)
    return Override(
        path=path,
        line=line,
        match_title=normalize_title(value) if selector == "match_title" else "",
        match_key=value.strip() if selector == "match_key" else "",
        changes=tuple(changes),
        reject_doi=rejects["reject_doi"],
        reject_arxiv=rejects["reject_arxiv"],
        reject_dblp=rejects["reject_dblp"],
        skip=skip,
        prefer=prefer,
    )


def _validated(name: str, value: Any) -> tuple[str, Any]:
    if name == "year":
        if not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2999:
            raise ValueError("year must be a whole number such as 2023")
        return "year", value
    if name == "authors":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError('authors must be a list of names: ["Family, Given", "Organisation"]')
        if any("," in v and re.search(r"\sand\s", v) for v in value):  # BibTeX's "Last, First and Last, First"
            raise ValueError('authors takes one name per string: ["Kwon, Woosuk", "Li, Zhuohan"], not "… and …"')
        return "authors", tuple(_name(without_invisible(v)) for v in value)
    if not isinstance(value, str) or not without_invisible(value).strip():
        raise ValueError(f"{name} must be a non-empty string")
    if name == "doi":  # an identifier is taken as written, or refused: never quietly changed
        return "doi", normalize_doi(value)
    if name == "arxiv":
        return "arxiv", normalize_arxiv(value)
    if name == "dblp":
        return "dblp", normalize_dblp(value)
    value = " ".join(without_invisible(value).split())
    if name == "type" and value not in RECORD_TYPES:
        raise ValueError(f"type must be one of: {', '.join(RECORD_TYPES)}")
    if name == "url" and not re.match(r"^https?://[^\s/$.?#].\S*$", value):
        raise ValueError("url must be an http(s) address")
    if name == "url":
        return "url", safe_url(value)
    if name in ("venue", "container"):
        return "container_title", value
    return name, value


def _name(text: str) -> Name:
    family, comma, given = text.partition(",")
    if comma:
        return Name(family=family.strip(), given=given.strip())
    return Name(literal=text.strip())


def load_overrides(directory: Path, shown_as: str | None = None) -> list[Override]:
    """Every override in `directory/*.toml`, files in name order. A missing folder has none.

    Messages and provenance name the files under `shown_as` (default: the directory as given).
    """
    if not directory.is_dir():
        return []
    overrides: list[Override] = []
    for path in sorted(directory.glob("*.toml")):
        name = str(Path(shown_as) / path.name) if shown_as is not None else str(path)
        try:
            text = read_regular(path, MAX_OVERRIDE_BYTES).decode("utf-8")
        except UnicodeDecodeError as error:
            raise OverrideError(f"not UTF-8 text ({error.reason} at byte {error.start})", path=name, line=1) from error
        except NotRegular as error:
            raise OverrideError(f"the override file {error}", path=name) from error
        except OSError as error:
            raise OverrideError(f"cannot read the override file ({error.strerror})", path=name) from error
        overrides.extend(parse_overrides(text, name))
    return overrides


def apply_override(decision: Decision, override: Override, seed: Record) -> Decision:
    """The decision once `override` has spoken; it wins over the lock and the sources.

    When the override pins an identifier that the decided record does not carry, the decided
    record describes another work, so the override builds on the list's own record instead.
    """
    pinned = override.pinned
    base = decision.record
    reasons = list(decision.reasons)
    if any(getattr(base, name) != value for name, value in pinned.items()):
        base = seed
        reasons.append(f"pinned by {override.where}; metadata not yet fetched for it")
    record = base.with_changes(**dict(override.changes))
    if record.doi and record.doi in override.reject_doi:
        record = record.with_changes(doi="")
        reasons.append(f"DOI {base.doi} rejected by {override.where}")
    if record.arxiv and record.arxiv in override.reject_arxiv:
        record = record.with_changes(arxiv="", arxiv_class="")
        reasons.append(f"arXiv id {base.arxiv} rejected by {override.where}")
    if record.dblp and record.dblp in override.reject_dblp:
        # Not this publication: the preprint it was found for, or what the list says.
        record = preprint_of(record) if record.arxiv else seed
        reasons.append(f"dblp record {base.dblp} rejected by {override.where}")
    if override.prefer == "preprint" and record.arxiv and not record.is_preprint:
        record = preprint_of(record)
        reasons.append(f"preprint preferred by {override.where}")
    if record.is_preprint and not record.publisher:
        record = record.with_changes(publisher=ARXIV)

    status = decision.status
    if override.skip:
        status = Status.SKIPPED
        reasons.append(f"skipped by {override.where}")
    elif any(name in dict(override.changes) for name in _SETTLING):
        status = Status.OVERRIDE
    elif status is Status.RESOLVED and not (record.doi or record.arxiv):
        status = Status.UNRESOLVED
    if override.changes:
        reasons.append(f"fields set by {override.where}: {', '.join(sorted(dict(override.changes)))}")
    source = f"override:{override.where}" if status is Status.OVERRIDE else decision.source
    # Applying an override twice (to a lock entry it already shaped) changes nothing more.
    return replace(decision, status=status, record=record, source=source, reasons=tuple(dict.fromkeys(reasons)))
