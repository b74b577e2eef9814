"""What a maintainer should look at: items the resolver was unsure of or that disagree with the
list (review), and what in the list itself should change (lint). Each says the line and what
to do.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import AMBIGUOUS, FOUND_BY_DBLP, NOT_PAPERS, REVIEW_BELOW, Bibliography, Considered, Entry, ReadingList, Record, Status, Verdict
from ..names import single_word_people
from ..text import normalize_title
from ..venues import classify_venue, venue_agreement

#: A candidate this unlike the title means no source knows a work by that name.
NOTHING_LIKE = 0.6


@dataclass(frozen=True)
class Flagged:
    """An item to review, with why."""

    entry: Entry
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """Something in the list to change."""

    line: int
    kind: str
    message: str
    fix: str


def _record_venue(record: Record) -> str:
    return record.container_title or record.event_title


def _published_though_listed_as_preprint(entry: Entry) -> bool:
    record = entry.decision.record
    return classify_venue(entry.item.venue) == "preprint" and bool(record.doi) and not record.is_preprint


def _venue_differs(entry: Entry) -> bool:
    venue = entry.item.venue
    return venue_agreement(venue, classify_venue(venue), entry.decision.record) is False


def _year_differs(entry: Entry) -> bool:
    """Whether the list's year is not the year of the version it names: a list that names a
    conference or journal gives the publication's year, which a preprint's year does not disprove
    ("SOSP '24" for a 2023 preprint is right)."""
    record, item = entry.decision.record, entry.item
    if record.is_preprint and classify_venue(item.venue) in ("conference", "journal"):
        return False
    return record.year is not None and item.year is not None and record.year != item.year


def flags(entry: Entry) -> tuple[str, ...]:
    """Why an item needs a look, if it does."""
    decision, item = entry.decision, entry.item
    record = decision.record
    found: list[str] = []
    if decision.status is Status.UNRESOLVED:
        found.append("unresolved: " + "; ".join(decision.reasons or ("no reason recorded",)))
    found += [_given_flag(c) for c in decision.given if c.verdict is not None and c.verdict.disproves]
    if decision.status is not Status.RESOLVED:
        return tuple(found)
    found += [f"{source}: {AMBIGUOUS}" for source in decision.ambiguous]
    if decision.confidence is not None and decision.confidence < REVIEW_BELOW:
        found.append(f"low confidence ({decision.confidence:.2f})")
    if _venue_differs(entry):
        found.append(f"venue differs: the list says {item.venue!r}, the record {_record_venue(record)!r}")
    if _year_differs(entry):
        found.append(f"year differs: the list says {item.year}, the record {record.year}")
    if normalize_title(item.title) != normalize_title(record.title):
        found.append(f"title differs: the record's is {record.title!r}")
    if _published_though_listed_as_preprint(entry):
        found.append(f"preprint upgraded to its published version {record.doi}")
    if record.dblp and decision.origin("dblp") == FOUND_BY_DBLP:
        replaced = f", replacing the arXiv preprint {record.arxiv}" if record.arxiv else ""
        found.append(f"published at {record.event_title or record.container_title} (dblp {record.dblp}){replaced}; "
                     f"`refexport reject {item.line} --dblp {record.dblp}` if it is not")
    return tuple(found)


def to_review(bibliography: Bibliography) -> list[Flagged]:
    return [Flagged(entry, found) for entry in bibliography.entries if (found := flags(entry))]


def lint(reading_list: ReadingList, bibliography: Bibliography) -> list[Finding]:
    """Findings about the list itself, in line order."""
    findings = [
        Finding(d.line, d.kind, d.message, d.fix or "write it as an entry (a list item or table row with a title), a heading or a label")
        for d in reading_list.diagnostics
        if d.level != "note"
    ]
    first_line: dict[str, int] = {}
    for entry in bibliography.entries:
        duplicate_of = first_line.setdefault(entry.key, entry.item.line)
        findings += [Finding(entry.item.line, kind, message, fix) for kind, message, fix in _item_findings(entry, duplicate_of)]
    return sorted(findings, key=lambda f: (f.line, f.kind))


def _given_flag(verdict: Considered) -> str:
    if verdict.verdict is Verdict.ANOTHER_WORK:
        return f"{verdict.identifier}: {Verdict.ANOTHER_WORK.value}, «{verdict.title}»"
    return f"{verdict.identifier}: {verdict.why}"


def _given_findings(entry: Entry) -> list[tuple[str, str, str]]:
    """The list's identifiers that a lookup disproved: a link to another work, or to nothing."""
    found: list[tuple[str, str, str]] = []
    line = entry.item.line
    for verdict in entry.decision.given:
        kind, _, value = verdict.identifier.partition(":")
        option = "--doi" if kind == "doi" else "--arxiv"
        if verdict.verdict is Verdict.ANOTHER_WORK:
            found.append((
                "link to another work",
                f"the link points to «{verdict.title}», the list says «{entry.item.title}»",
                f"correct the link, or `refexport pin {line} {option} …` the right one, or "
                f"`refexport reject {line} {option} {value}`",
            ))
        elif verdict.verdict is Verdict.NO_SUCH_RECORD:
            found.append(("identifier not found", f"the list's {verdict.identifier} does not exist ({verdict.why})",
                          f"correct the link, or `refexport pin {line} {option} …` the right one"))
    return found


def _item_findings(entry: Entry, duplicate_of: int) -> list[tuple[str, str, str]]:
    """(kind, message, fix) for one item; `duplicate_of` is the first line with the same work."""
    item, record, decision = entry.item, entry.decision.record, entry.decision
    found: list[tuple[str, str, str]] = []
    if duplicate_of != item.line:
        found.append(("duplicate", f"the same work as line {duplicate_of} ({entry.key})",
                      "remove one of the two lines (keep the one in the section it belongs to)"))
    kind = classify_venue(item.venue)
    if item.venue_raw and item.venue_raw != item.venue:
        found.append(("garbled venue", f"the venue {item.venue_raw!r} carries LaTeX", f"write [{item.venue}]"))
    elif item.venue and not kind:
        found.append(("unknown venue", f"refexport does not recognise the venue {item.venue!r}",
                      "write the conference or journal name, or arXiv, GitHub or Webpage"))
    if record.type in NOT_PAPERS and kind in ("preprint", "conference", "journal"):
        found.append(("not a paper", f"the list gives the paper venue {item.venue!r} for a {record.type}",
                      "write [GitHub] for code or [Webpage] for a page"))
    found += _given_findings(entry)
    found += [("one-word author", f"{word!r} stands alone among people's names: half of a split name, or a group?",
               'give the names in an override: authors = ["Family, Given", …]') for word in single_word_people(record)]
    if decision.status is not Status.RESOLVED:
        if decision.status is Status.UNRESOLVED and decision.source == "search" and all(
            c.similarity < NOTHING_LIKE for c in decision.candidates
        ):
            found.append(("matches nothing", "no source has a work with a title like this one",
                          "check the title against the paper; it may be misspelt or a bad citation"))
        return found
    if _year_differs(entry):
        found.append(("wrong year", f"the list says {item.year}; {entry.key} was published in {record.year}",
                      f"write [{record.year}]"))
    if _published_though_listed_as_preprint(entry):
        found.append(("published preprint", f"the list says {item.venue!r}; it was published in {_record_venue(record)!r}",
                      f"write [{_record_venue(record)}]"))
    elif _venue_differs(entry):
        found.append(("wrong venue", f"the list says {item.venue!r}; {entry.key} appeared in {_record_venue(record)!r}",
                      f"write [{_record_venue(record)}]"))
    return found


def identifier_line(entry: Entry) -> str:
    """Each identifier with where it came from: `doi 10.1145/… (given by the list, confirmed)`."""
    record = entry.decision.record
    shown = [f"{name} {value} ({entry.decision.origin(key)})" for name, key, value in (("doi", "doi", record.doi), ("arXiv", "arxiv", record.arxiv))
             if value and entry.decision.origin(key)]
    return "ids: " + "; ".join(shown) if shown else "ids: none written"


def render_review_text(flagged: Sequence[Flagged]) -> str:
    """The review for a terminal: one block per item."""
    if not flagged:
        return "Nothing to review.\n"
    blocks = []
    for each in flagged:
        entry = each.entry
        lines = [f"line {entry.item.line}  {entry.key}  [{entry.decision.status.value}]", f"  {entry.item.raw.strip()}"]
        lines += [f"  ! {flag}" for flag in each.flags]
        lines += [f"  {identifier_line(entry)}"] if entry.decision.origins else []
        lines += [f"  given {candidate.describe()}" for candidate in entry.decision.given]
        lines += [f"  searched {query}" for query in entry.decision.searched]
        lines += [f"  - {candidate.describe()}" for candidate in entry.decision.candidates]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + f"\n\n{len(flagged)} items to review.\n"


def render_lint_text(findings: Sequence[Finding], path: str) -> str:
    if not findings:
        return "No findings.\n"
    return "".join(f"{path}:{f.line}: {f.kind}: {f.message}; {f.fix}.\n" for f in findings) + f"{len(findings)} findings.\n"
