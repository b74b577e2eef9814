"""People's names as sources give them, made right: TeX accents in every usual spelling decoded,
and a person a source split into two one-word names joined back.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re

from .model import Name, Record
from .text import clean_latex

# The accents TeX writes with a letter macro (\c cedilla, \v caron, \u breve, \H double acute,
# \k ogonek, \r ring, \d dot under, \b bar under, \t tie): arXiv's names glue them to their letter
# ("Fran\ccois", "Dvo\vrák"), which a TeX reader takes for an unknown macro "\ccois".
_LETTER_ACCENT = re.compile(r"\\([cvuHkrdbt])\s*([A-Za-z])")


def clean_name(text: str) -> str:
    """A name part with TeX accents decoded: `Fran\\ccois`, `Fran\\c cois`, `Fran\\c{c}ois`,
    `M{\\"o}ller`, `M\\"{o}ller` and `Ren\\'e` all read as a person would write them."""
    return clean_latex(_LETTER_ACCENT.sub(r"\\\1{\2}", text))


def _has_people(authors: tuple[Name, ...]) -> bool:
    """Whether any author is a person with a family name (not only organisations or single words)."""
    return any(name.family and not name.literal for name in authors)


def _one_word(name: Name) -> bool:
    return bool(name.literal) and len(name.literal.split()) == 1 and name.literal[:1].isupper() and name.literal.isalpha()


def joined_names(authors: tuple[Name, ...]) -> tuple[Name, ...]:
    """Two adjacent one-word names in a list of people ("Michael", "Pokorny") are one person
    split in two: joined as given and family name. Only where the rest of the list is people, so
    that an organisation is never taken for half a person."""
    if not _has_people(authors) or not any(_one_word(name) for name in authors):
        return authors
    joined: list[Name] = []
    index = 0
    while index < len(authors):
        name = authors[index]
        after = authors[index + 1] if index + 1 < len(authors) else None
        if after is not None and _one_word(name) and _one_word(after):
            joined.append(Name(family=after.literal, given=name.literal))
            index += 2
            continue
        joined.append(name)
        index += 1
    return tuple(joined)


def with_whole_names(record: Record) -> Record:
    """The record with its authors' names decoded and split people joined."""
    cleaned = tuple(
        Name(family=clean_name(n.family), given=clean_name(n.given), literal=clean_name(n.literal)) if "\\" in n.family + n.given + n.literal else n
        for n in record.authors
    )
    authors = joined_names(cleaned)
    return record if authors == record.authors else record.with_changes(authors=authors)


def single_word_people(record: Record) -> list[str]:
    """One-word names left among people: what `joined_names` could not settle (lint names them)."""
    if not _has_people(record.authors):
        return []
    return [name.literal for name in record.authors if _one_word(name)]
