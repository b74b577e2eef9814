"""Citation keys and the identity of a work.

The formula: `<who><year><word>`, ASCII-folded and lower case, where
- who  = the first author's family name (or the whole name of an organisation, as for a
         repository's owner), letters and digits only;
- year = the year, or nothing when unknown;
- word = the first significant word of the title (articles, prepositions, conjunctions and
         bare numbers skipped). When there is no author, `who` is that word and `word` the next one:
         `vllm2023` for "vLLM", `triton2024inference` for "Triton inference server".
Works whose keys come out equal keep the first (in list order) bare and give the others the
suffixes a, b, …, z, aa, … . A key pinned in the lock is kept as it is and reserved first.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from .model import Record
from .text import fold, normalize_title

_STOPWORDS = frozenset(
    "a an the of on in for to and or with via by from at as is are be into over under towards toward "
    "its it this that what when how why do does not no".split()
)
_WORD = re.compile(r"[a-z0-9]+")

WorkId = tuple[str, ...]


def work_id(record: Record, *, verified: bool = True) -> WorkId:
    """What makes two list items the same work: the DOI, else the arXiv id, else the title.
    Identifiers nobody has checked yet count only together with the title.

    Software and web pages never merge with papers: a repository and the paper about it are two
    works even when they share a name.
    """
    if not verified and (record.doi or record.arxiv):
        return ("given", record.doi.lower(), record.arxiv, normalize_title(record.title))
    if record.doi:
        return ("doi", record.doi.lower())
    if record.arxiv:
        return ("arxiv", record.arxiv)
    family = "code" if record.type == "software" else "web" if record.type == "webpage" else "text"
    return ("title", family, normalize_title(record.title))


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text).lower())


def base_key(record: Record) -> str:
    """The key the formula gives a record, before collisions are settled."""
    words = _words(record.title)
    significant = [word for word in words if word not in _STOPWORDS and not word.isdigit()] or words
    who = ""
    if record.authors:
        first = record.authors[0]
        who = "".join(_words(first.literal or first.family or first.given))
    if not who:
        who, significant = (significant[0], significant[1:]) if significant else ("anon", [])
    year = str(record.year) if record.year is not None else ""
    return f"{who}{year}{significant[0] if significant else ''}"


def _suffixes() -> Iterable[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    length = 2
    while True:
        for number in range(26**length):
            suffix = ""
            for _ in range(length):
                number, digit = divmod(number, 26)
                suffix = letters[digit] + suffix
            yield suffix
        length += 1


def assign_keys(works: Iterable[tuple[WorkId, Record]], pinned: Mapping[WorkId, str]) -> dict[WorkId, str]:
    """A unique key for each work (given in list order); pinned keys are kept and reserved."""
    keys: dict[WorkId, str] = {}
    taken = set(pinned.values())
    # Where each base key's search for a free suffix goes on from: thousands of works with one base
    # key cost linear time, not quadratic.
    next_suffix: dict[str, Iterator[str]] = {}
    for identity, record in works:
        if identity in keys:
            continue
        if identity in pinned:
            keys[identity] = pinned[identity]
            continue
        key = base_key(record)
        if key in taken:
            suffixes = next_suffix.setdefault(key, iter(_suffixes()))
            key = next(key + suffix for suffix in suffixes if key + suffix not in taken)
        keys[identity] = key
        taken.add(key)
    return keys
