"""The records every stage passes along: frozen dataclasses, no I/O.

`Record` is shaped like a CSL-JSON item (the same field names, minus the dashes), so CSL-JSON is
a direct projection and BibTeX and RIS are projections of it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from .text import normalize_title


@dataclass(frozen=True)
class Name:
    """A CSL name: a person (family/given) or an organisation or mononym (literal)."""

    family: str = ""
    given: str = ""
    literal: str = ""


#: The CSL item types refexport writes; `overrides` accept exactly these.
RECORD_TYPES = (
    "article",  # a preprint (arXiv) or other unpublished article
    "article-journal",
    "paper-conference",
    "book",
    "chapter",
    "report",
    "thesis",
    "software",
    "webpage",
    "post-weblog",
    "dataset",
)
#: Types that are not papers: never searched for, and never given a paper venue.
NOT_PAPERS = ("software", "webpage", "post-weblog", "dataset")


@dataclass(frozen=True)
class Record:
    """What we know about one work, CSL-shaped. Empty strings mean "unknown"."""

    type: str
    title: str
    authors: tuple[Name, ...] = ()
    year: int | None = None
    container_title: str = ""  # journal, proceedings, or "arXiv"
    event_title: str = ""  # conference name, when known apart from the proceedings
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    doi: str = ""
    arxiv: str = ""  # bare id without version, e.g. "2309.06180"
    arxiv_class: str = ""  # primary category, e.g. "cs.CL"
    url: str = ""
    note: str = ""
    dblp: str = ""  # the dblp record's key, e.g. "conf/nips/DaoFERR22"

    def with_changes(self, **changes: object) -> Record:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_preprint(self) -> bool:
        return self.type == "article" and bool(self.arxiv)

    @property
    def identifier_names(self) -> tuple[str, ...]:
        """Which identifiers the record has, of "arxiv" and "doi", in that order."""
        return tuple(name for name in ("arxiv", "doi") if getattr(self, name))


class Status(StrEnum):
    RESOLVED = "resolved"
    OVERRIDE = "override"
    UNRESOLVED = "unresolved"
    SKIPPED = "skipped"


#: What a list entry is: a paper (article, preprint, report...), code, or a web page.
EntryKind = Literal["paper", "software", "webpage"]


@dataclass(frozen=True)
class ListItem:
    """One entry of the reading list, as written and as read."""

    line: int
    raw: str  # the entry's first source line
    section: str
    group: str  # the label line ("Second batch:", a bold line) above the item, or ""
    seed_title: str  # the title as written (may hold LaTeX remnants)
    title: str  # the title as a reader reads it
    venue_raw: str  # as written; "" when missing or "None"
    venue: str  # cleaned
    year: int | None
    url: str = ""  # the paper's link (or the code's or page's, for software and web pages)
    kind: EntryKind = "paper"
    authors: tuple[str, ...] = ()  # as written: "Woosuk Kwon", "Kwon, W."
    arxiv: str = ""  # from the entry's links or text, normalized
    doi: str = ""
    code_url: str = ""
    project_url: str = ""
    topics: tuple[str, ...] = ()  # headings below the section level, outermost first
    alt_titles: tuple[str, ...] = ()  # the other spans of the entry that read as a title, as a reader reads them
    text: str = ""  # the entry's text as a reader sees it, markup gone
    title_from: str = ""  # which span is the title and why, when not the one its markup says


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    items: tuple[ListItem, ...]


Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Diagnostic:
    """A problem or remark tied to a place in an input file (errors as data)."""

    path: str
    line: int
    level: Level
    message: str
    fix: str = ""  # what to write instead, when the reader knows
    kind: str = "unreadable line"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass(frozen=True)
class ReadingList:
    path: str
    title: str  # the first heading: the list's name
    sections: tuple[Section, ...]
    empty_headings: tuple[tuple[int, str], ...]  # (line, heading) with no items under them
    diagnostics: tuple[Diagnostic, ...]  # warnings, and notes for each line read as no entry

    @property
    def items(self) -> tuple[ListItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


class Verdict(StrEnum):
    """What looking up an identifier the list gives found. Each value is how the verdict's reason
    begins, which is how the lock writes it."""

    CONFIRMED = "given by the list; the title agrees"
    ANOTHER_WORK = "the list's link points to another work"
    NO_SUCH_RECORD = "no such record"
    NOT_LOOKED_UP = "not looked up"

    @property
    def disproves(self) -> bool:
        """Whether the identifier is not to be written: it names another work, or nothing."""
        return self in (Verdict.ANOTHER_WORK, Verdict.NO_SUCH_RECORD)

    @classmethod
    def of_reason(cls, why: str) -> Verdict | None:
        """The verdict a reason written by `Considered.judged`/`unjudged` begins with."""
        return next((verdict for verdict in cls if why.startswith(verdict.value)), None)


@dataclass(frozen=True)
class Considered:
    """A candidate a source offered for an item, and the verdict on it (kept for review)."""

    identifier: str  # "doi:10.…" or "arXiv:…"
    title: str
    authors: str  # the first authors' family names, "Kwon, Li et al."
    year: int | None
    venue: str
    similarity: float
    accepted: bool
    why: str
    verdict: Verdict | None = None  # for an identifier the list gives: what its lookup found

    @classmethod
    def unjudged(cls, identifier: str, verdict: Verdict, detail: str) -> Considered:
        """An identifier with no record to judge: not looked up, or not found."""
        return cls(identifier=identifier, title="", authors="", year=None, venue="", similarity=0.0, accepted=False,
                   why=f"{verdict.value}{detail}", verdict=verdict)

    def written(self) -> dict[str, Any]:
        """The fields the lock and the report write: the verdict is how the reason begins."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "verdict"}

    def describe(self) -> str:
        return (
            f'{self.identifier} "{self.title}" ({self.authors or "no authors"}; {self.year or "n.d."}; '
            f"{self.venue or 'no venue'}) title {self.similarity:.2f}: "
            f"{'accepted' if self.accepted else 'rejected'}, {self.why}"
        )


#: Decisions less sure than this are reviewed (and keep all their top candidates in the lock).
REVIEW_BELOW = 0.97
#: Where an identifier came from (a decision's `origins`).
GIVEN_CONFIRMED = "given by the list, confirmed"
GIVEN_UNCHECKED = "given by the list, not checked"
FOUND_BY_SEARCH = "found by title search"
NAMED_BY_ARXIV = "named by the arXiv record"
FOUND_BY_DBLP = "found by dblp title search"
HAS_PREPRINT = "Crossref's has-preprint relation"
PINNED = "pinned by an override"
#: What it means that a source offered several works that fit equally well.
AMBIGUOUS = "several different works fit equally well; not decided by rank"


@dataclass(frozen=True, kw_only=True)
class Decision:
    """How one list item was settled, and why: a lock entry's content."""

    status: Status
    record: Record
    source: str = ""  # "crossref", "arxiv", "search", "list", "pinned", "override:overrides/x.toml:12", ...
    confidence: float | None = None
    reasons: tuple[str, ...] = ()
    searched: tuple[str, ...] = ()  # the queries sent, "crossref: …" / "arxiv: …"
    candidates: tuple[Considered, ...] = ()
    ambiguous: tuple[str, ...] = ()  # the sources that offered several works equally well
    ask_again: bool = False  # a request failed: the next `resolve` asks about this item again
    given: tuple[Considered, ...] = ()  # the identifiers the list gave, looked up, each with its verdict
    origins: tuple[tuple[str, str], ...] = ()  # ("doi" | "arxiv", where the identifier came from)

    def origin(self, name: str) -> str:
        return dict(self.origins).get(name, "")


@dataclass(frozen=True, kw_only=True)
class Override:
    """One `[[override]]` table of `overrides/*.toml`, validated (see `refexport.overrides`)."""

    path: str
    line: int
    match_title: str = ""  # normalized
    match_key: str = ""
    changes: tuple[tuple[str, Any], ...] = ()  # (Record attribute, value), validated
    reject_doi: frozenset[str] = field(default_factory=frozenset)
    reject_arxiv: frozenset[str] = field(default_factory=frozenset)
    reject_dblp: frozenset[str] = field(default_factory=frozenset)
    skip: bool = False
    prefer: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def selector(self) -> str:
        return f"key {self.match_key!r}" if self.match_key else f"title {self.match_title!r}"

    @property
    def pinned(self) -> dict[str, str]:
        return {name: value for name, value in self.changes if name in ("doi", "arxiv", "dblp")}


@dataclass(frozen=True)
class Entry:
    """A list item with its decision (the override's, when one speaks for it) and citation key."""

    item: ListItem
    decision: Decision
    key: str
    override: Override | None = None


@dataclass(frozen=True, kw_only=True)
class Locked:
    """One row of the lock: what was decided for a list item, and where the item stood."""

    key: str | None  # None: decided but not keyed yet (the formula will give it a key)
    decision: Decision
    line: int = 0
    section: str = ""
    group: str = ""
    seed_title: str = ""
    title_from: str = ""


@dataclass(frozen=True)
class LockFile:
    """The lock: its rows in list order, and the first row of each normalized seed title (how
    an item finds what was decided for it)."""

    rows: Sequence[Locked] = ()
    by_title: dict[str, Locked] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))  # rows may be given as any sequence
        by_title: dict[str, Locked] = {}
        for row in self.rows:
            by_title.setdefault(normalize_title(row.seed_title), row)
        object.__setattr__(self, "by_title", by_title)

    def get(self, title_key: str) -> Locked | None:
        return self.by_title.get(title_key)

    def items(self) -> Iterable[tuple[str, Locked]]:
        return self.by_title.items()

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Work:
    """One distinct work as written to the outputs; several list items may share it."""

    key: str
    record: Record
    sections: tuple[str, ...]  # the sections it is listed in, then the topics it stands under: its keywords


@dataclass(frozen=True)
class Bibliography:
    """Every list item decided and keyed, and the distinct works they make."""

    entries: tuple[Entry, ...]  # one per list item, in list order
    works: tuple[Work, ...]  # distinct works, in order of first appearance
