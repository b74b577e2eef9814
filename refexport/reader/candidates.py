"""The spans of an entry that could be its title, each with how title-like it reads.

A person reading a list entry sees several plausible titles: the link's text, a bold run, a
quoted phrase, the text up to the first sentence end or up to a run of author names. Each is a
`Candidate`, named by how it was found (`quoted`, `label:2`, `bold:0`, `sentence`, `names`,
`cell:3`), with a score in 0..1 that says how much it reads like a title and nothing else: a
few to forty words, no markup, no author names, no venue or date, no stray quotes. Which one is
the title is chosen for a whole group of entries at once (`refexport.reader.layout`).

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .pieces import Piece
from .roles import ROLE_WORDS
from .shown import MONTH, read_tag

#: How the structural reading (bold run, link text, text before the first link) names its title.
STRUCTURE = "structure"


@dataclass(frozen=True)
class Candidate:
    how: str  # STRUCTURE, "quoted:N", "label:N", "bold:N", "italic:N", "sentence:N", "names", "cell:N"
    text: str  # as written, markup gone, LaTeX kept
    score: float  # how title-like `text` reads, 0..1

    @property
    def family(self) -> str:
        """What the layout of a group is learned over: `label:2` and `label:0` are one way of
        writing a title; `cell:3` and `cell:1` are not (a table has one title column), nor are
        `sentence:0` and `sentence:1` (a citation that starts with its authors has the title second)."""
        return self.how if self.how.startswith(("cell:", "sentence:")) else self.how.split(":", 1)[0]


# Link texts that say where a link goes, not what the work is called.
_NOT_TITLES = frozenset({"papers", "link", "links", "here", "this", "html"})
_NO_WORD = re.compile(r"^[\W\d_]*$")
_MARKUP = re.compile(r"https?://|\]\(|\*\*|(?<!\w)\|(?!\w)|`")
_DIGIT = re.compile(r"\d")
_TAG_WORDS = 14  # "International Conference on Robotics and Automation (ICRA) May 2025"
_PAIRS = (("“", "”"), ("«", "»"), ("[", "]"), ("(", ")"))
# Author runs: "H. Lee", "Y. LeCun, Y. Bengio", "et al.", "Smith, J."
_NAMES = re.compile(r"\bet al\b|(?:^|[\s,])(?:[A-Z]\.\s?){1,3}[A-Z][a-z]+|\b[A-Z][a-z]+,\s(?:[A-Z]\.\s?)+(?:,|$|\sand\b)")
# A title that runs on into what follows it: ", arXiv, May 2026", ". ICLR 2024", ", 2019"
_TAIL = re.compile(rf"[,.;]\s+(?:[A-Z][\w&\-]*\.?\s*)?(?:(?i:{MONTH})\s+)?(?:19|20)\d{{2}}\W*$")
# Not after an abbreviation: "vs.", "et al.", "cf.", "etc."
_SENTENCE_END = re.compile(r"(?<![\s(]vs)(?<!\bal)(?<![\s(]cf)(?<![\s(]etc)(?<=[^\s.A-Z][^\s.])\.\s+(?=[A-Z(\[*_])")
# The comma before a run of author names: "Title, G. Hinton and R. Salakhutdinov."
_BEFORE_NAMES = re.compile(r",\s+(?=(?:[A-Z]\.\s?){1,3}[A-Z][a-z]+|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+et al\b)")
_HEADS_TITLE = re.compile(r"\s*:\s*\w")
_QUOTED = re.compile(r"[\"“«]([^\"“”«»\n]{3,800}?)[\"”»]")


# "Ann Smith, Bo Jones and Cy Li": two or more names of two or three capitalised words.
_NAME = r"[A-Z][\w'\-]*\.?(?:\s[A-Z][\w'\-]*\.?){1,2}"
_NAME_LIST = re.compile(rf"^{_NAME}(?:\s*(?:,|;|\band\b|&)\s*(?:and\s+)?{_NAME})+(?:,?\s*et al\.?)?$")


# What names where a work appeared, or where in it: "Proceedings of …", "Journal of …, 3(2), 1-10".
_VENUE_WORDS = re.compile(r"^(?:in\s+)?(?:proc(?:eedings|\.)?|journal|transactions|annals|letters|conference|symposium|workshop)\b", re.I)
_VOLUME_PAGES = re.compile(r"\b\d+\s*\(\d+\)|\b\d+\s*[-–]\s*\d+\s*$")


def is_generic(text: str) -> bool:
    """A link text such as `pdf` or `Code`: a role, never a title."""
    words = " ".join(text.lower().split())
    return words in ROLE_WORDS or words in _NOT_TITLES or bool(_NO_WORD.match(words))


@lru_cache(maxsize=1 << 16)
def title_score(text: str) -> float:
    """How much `text` reads like a title and nothing else, 0..1."""
    text = text.strip()
    words = text.split()
    if not words or is_generic(text):
        return 0.0
    count = len(words)
    score = {1: 0.3, 2: 0.55, 3: 0.8}.get(count, 1.0 if count <= 30 else max(0.2, 1.0 - (count - 30) / 40))
    if _MARKUP.search(text):
        score *= 0.2
    if _unbalanced(text):
        score *= 0.5
    if _NAMES.search(text) or _NAME_LIST.match(text):
        score *= 0.3
    if _TAIL.search(text):
        score *= 0.5
    if _VENUE_WORDS.match(text) or _VOLUME_PAGES.search(text):
        score *= 0.3
    # Only a short text, or one with a year in it, can read as a venue or a date.
    shown = read_tag(text) if count <= 3 or count <= _TAG_WORDS and _DIGIT.search(text) else None
    if shown and (shown.venue and shown.year is not None or shown.year is not None and count <= 6 or count <= 3):
        score *= 0.1  # a venue, a date: what an entry shows besides its title
    if _SENTENCE_END.search(text):
        score *= 0.7  # a title seldom goes on past a sentence
    if text[0].islower():
        score *= 0.85
    if text.startswith("["):
        score *= 0.7  # a tag before the title
    return round(score, 3)


def _unbalanced(text: str) -> bool:
    """A quote or bracket opened and not closed (or closed and not opened): the span cuts
    through something."""
    return text.count('"') % 2 == 1 or any(text.count(open_) != text.count(close) for open_, close in _PAIRS)


def candidate(how: str, text: str) -> Candidate:
    return Candidate(how, text, title_score(text))


def flat(pieces: Sequence[Piece]) -> tuple[str, tuple[int, ...]]:
    """The entry as a reader sees its text (link texts included, images and breaks as spaces),
    and where each piece starts in it."""
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for piece in pieces:
        starts.append(offset)
        shown = piece.text if piece.kind in ("text", "code") else " "
        parts.append(shown)
        offset += len(shown)
    return "".join(parts), tuple(starts)


@dataclass(frozen=True)
class Span:
    """A candidate's place in the flat text, and the piece it ends in (for authors after it)."""

    start: int
    end: int
    last_piece: int


def piece_at(starts: Sequence[int], offset: int) -> int:
    """The index of the piece that holds character `offset` of the flat text."""
    index = 0
    for number, start in enumerate(starts):
        if start <= offset:
            index = number
        else:
            break
    return index


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Quoted phrases of two words or more; not one that heads a title (`"Do Anything Now": …`)."""
    return [
        (match.start(1), match.end(1)) for match in _QUOTED.finditer(text)
        if len(match.group(1).split()) >= 2 and not _HEADS_TITLE.match(text, match.end())
    ]


#: The sentences of a lead text that may be its title: `Title. Authors. Venue` or `Authors (Year). Title. Journal`.
_SENTENCES = 3


def lead_splits(lead: str) -> list[tuple[str, int, int]]:
    """Where in a plain lead text its title may stand: each of its first sentences (when it has
    more than one), and the text before a run of author names."""
    found: list[tuple[str, int, int]] = []
    ends = [match for _, match in zip(range(_SENTENCES), _SENTENCE_END.finditer(lead), strict=False)]
    start = 0
    for number, end in enumerate(ends):
        found.append((f"sentence:{number}", start, end.start()))
        start = end.end()
    if ends and len(ends) < _SENTENCES:
        found.append((f"sentence:{len(ends)}", start, len(lead.rstrip())))
    if match := _BEFORE_NAMES.search(lead):
        found.append(("names", 0, match.start()))
    return found
