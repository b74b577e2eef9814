"""Deciding which candidate, if any, is the work a list item means. Precision first: a wrong
identifier is worse than none.

A candidate is accepted only when the evidence agrees: the normalized titles are (nearly) the
same, the year is within one of the list's (a preprint's year and its proceedings' differ by one),
and the candidate is a work and not a note about one (erratum, review, front matter). A title
that is only close needs the venue to agree as well. The search rank never decides: when two
different works are both acceptable and nothing tells them apart, the item stays unresolved and
the report lists them.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Considered, Record
from ..text import normalize_title
from ..venues import venue_agreement
from .plan import Hint
from .sources import Candidate

#: Title similarity (0..1) accepted on its own, and with the venue agreeing.
SAME_TITLE = 0.95
CLOSE_TITLE = 0.88
#: A linked record whose title is this alike, with the entry's authors, is the work retitled
#: (arXiv versions and proceedings often change a title).
RETITLED = 0.5
#: How many of the entry's authors must be the record's, at least, and what share of them.
_SHARED_AUTHORS = 2
_SHARED_SHARE = 0.5
#: Two acceptable candidates closer than this in title similarity are a tie.
TIE = 0.03
MAX_YEAR_GAP = 1

#: Crossref types that describe something other than the work itself.
_NOT_A_WORK = {"peer-review", "component", "proceedings", "journal-issue", "journal-volume", "journal",
               "proceedings-series", "book-series", "book-set", "report-series", "grant"}
_NOTE_TITLE = re.compile(r"^(erratum|errata|corrigendum|correction|retraction|retracted|withdrawn|"
                         r"expression of concern|reply to|response to|comment on|review of|front matter|"
                         r"back matter|table of contents|title page|author index|preface)\b", re.I)


@dataclass(frozen=True)
class Judgement:
    candidate: Candidate
    similarity: float
    year_gap: int | None
    venue_agrees: bool | None
    accepted: bool
    why: str
    evidence: str = ""  # what matched, when not the read title: another span, or the authors

    def considered(self) -> Considered:
        record = self.candidate.record
        authors = ", ".join(name.family or name.literal for name in record.authors[:2])
        return Considered(
            identifier=self.candidate.identifier,
            title=record.title,
            authors=authors + (" et al." if len(record.authors) > 2 else ""),
            year=record.year,
            venue=record.container_title or record.event_title or record.publisher,
            similarity=round(self.similarity, 3),
            accepted=self.accepted,
            why=self.why,
        )


@dataclass(frozen=True)
class Match:
    chosen: Judgement | None
    judged: tuple[Judgement, ...]
    ambiguous: bool = False

    @property
    def confidence(self) -> float | None:
        if self.chosen is None:
            return None
        chosen = self.chosen
        # A year one off is usual (arXiv v1 against the proceedings); a venue that does not agree
        # is weaker evidence, since lists often name it loosely.
        year = 1.0 if chosen.year_gap in (0, None) else 0.98
        venue = 1.0 if chosen.venue_agrees in (True, None) else 0.97
        return round(chosen.similarity * year * venue, 3)


#: What a title found again under a variation that keeps it recognisably the same counts as.
_VARIANT = 0.96
_MIN_VARIANT_WORDS = 4


def _halves(title: str) -> tuple[str, str]:
    head, colon, tail = title.partition(":")
    return (normalize_title(head), normalize_title(tail)) if colon else ("", "")


def title_similarity(seed: str, record: Record) -> float:
    """How alike two titles are once case, punctuation, accents and markup are gone (0..1).

    Lists shorten titles in a few regular ways, and those count as the same title when enough
    words remain: a system name before the colon dropped ("GMAT: Global memory augmentation for
    transformers"), a subtitle after it dropped, or one word added or dropped at the end.
    """
    a, b = normalize_title(seed), normalize_title(record.title)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    whole = fuzz.ratio(a, b) / 100
    parts = {*_halves(seed), *_halves(record.title)} - {""}
    if any(part in (a, b) and len(part.split()) >= _MIN_VARIANT_WORDS for part in parts):
        return max(whole, _VARIANT)
    shorter, longer = sorted((a.split(), b.split()), key=len)
    if len(shorter) >= 2 * _MIN_VARIANT_WORDS - 2 and len(longer) - len(shorter) == 1 and (
        longer[: len(shorter)] == shorter or longer[1:] == shorter
    ):
        return max(whole, _VARIANT)
    return whole


#: An alternative span of the entry decides a search only when it is this long: a short one (a
#: bold system name) matches too many records.
_SEARCH_SPAN_WORDS = 4
_ENTRY_TEXT = "the entry's text"


def _best_span(hint: Hint, record: Record, *, given: bool) -> tuple[float, str]:
    """The title similarity and, when another span of the entry than its read title fits the
    record better, that span. An identifier the list gives is evidence enough for any span,
    and for a record title written whole in the entry's line (a title glued to a note)."""
    best, span = title_similarity(hint.title, record), ""
    if best >= SAME_TITLE:
        return best, span
    for alternative in hint.alternatives:
        usable = given or len(alternative.split()) >= _SEARCH_SPAN_WORDS
        if usable and (similarity := title_similarity(alternative, record)) > best:
            best, span = similarity, alternative
    if given and best < SAME_TITLE and _written_in(record.title, hint.text):
        best, span = SAME_TITLE, _ENTRY_TEXT
    return best, span


def family_names(record: Record) -> set[str]:
    return {normalize_title(name.family or name.literal) for name in record.authors} - {""}


def shared_authors(ours: set[str], record: Record) -> int:
    """How many of `ours` (normalized family names) the record has, when that says the same people
    wrote it: at least two, and half of ours; else 0."""
    shared = len((ours - {""}) & family_names(record))
    return shared if shared >= _SHARED_AUTHORS and shared >= _SHARED_SHARE * len(ours - {""}) else 0


def _written_in(title: str, text: str) -> bool:
    key = normalize_title(title)
    return len(key.split()) >= _SEARCH_SPAN_WORDS and f" {key} " in f" {normalize_title(text)} "


def judge(hint: Hint, candidate: Candidate, *, given: bool = False) -> Judgement:
    """The verdict on a candidate; `given`: its identifier is the one the list gives."""
    record = candidate.record
    similarity, span = _best_span(hint, record, given=given)
    read_as = "" if not span else f" (the title read from {span})" if span == _ENTRY_TEXT else f" (the title read as «{span}»)"
    gap = abs(record.year - hint.year) if record.year is not None and hint.year is not None else None
    agrees = venue_agreement(hint.venue, hint.venue_kind, record) if candidate.source == "crossref" else None

    def verdict(accepted: bool, why: str, evidence: str = read_as) -> Judgement:
        return Judgement(candidate, similarity, gap, agrees, accepted, why + (evidence if accepted else ""), evidence if accepted else "")

    if candidate.identifier in hint.rejected:
        return verdict(False, "rejected by an override")
    if candidate.kind in _NOT_A_WORK:
        return verdict(False, f"a {candidate.kind} record, not the work")
    if _NOTE_TITLE.match(record.title) and not _NOTE_TITLE.match(hint.title):
        return verdict(False, "a note about a work (erratum, reply, front matter), not the work")
    if candidate.source == "crossref" and not record.authors:
        return verdict(False, "no authors: front matter or a volume, not a paper")
    if gap is not None and gap > MAX_YEAR_GAP:
        return verdict(False, f"year {record.year} is {gap} years from the list's {hint.year}")
    if similarity >= SAME_TITLE:
        return verdict(True, "same title" + ("" if gap is None else f", year within {gap}"))
    if given and similarity >= RETITLED and (shared := shared_authors(set(hint.authors), record)):
        return verdict(True, "title only close", f" (a version with another title: the link and {shared} of the list's authors agree)")
    if similarity >= CLOSE_TITLE and agrees:
        return verdict(True, "close title and the venue agrees")
    if similarity >= CLOSE_TITLE:
        return verdict(False, "title only close and no venue to confirm it")
    return verdict(False, "different title")


def same_work(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates are versions of one work (a preprint and its publication)."""
    if a.record.doi and a.record.doi == b.record.doi or a.record.arxiv and a.record.arxiv == b.record.arxiv:
        return True
    if a.linked_doi and a.linked_doi == b.record.doi or b.linked_doi and b.linked_doi == a.record.doi:
        return True
    if a.linked_arxiv and a.linked_arxiv == b.record.arxiv or b.linked_arxiv and b.linked_arxiv == a.record.arxiv:
        return True
    return title_similarity(a.record.title, b.record) >= SAME_TITLE and authors_agree(a.record, b.record) is not False


def authors_agree(a: Record, b: Record) -> bool | None:
    """Whether two author lists share a family name; None when one of them is empty."""
    families_a, families_b = family_names(a), family_names(b)
    if not families_a or not families_b:
        return None
    return bool(families_a & families_b)


def choose(hint: Hint, candidates: Sequence[Candidate]) -> Match:
    """The one acceptable candidate, or none (with every candidate's verdict kept)."""
    unique: dict[str, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.identifier, candidate)
    judged = tuple(sorted((judge(hint, c) for c in unique.values()), key=lambda j: -j.similarity))
    accepted = [j for j in judged if j.accepted]
    if not accepted:
        return Match(None, judged)
    best = accepted[0]
    # Two records of one source with different identifiers are two claims, even when they look
    # like the same work (a paper and its duplicate registration): rank does not pick one.
    rivals = [j for j in accepted[1:] if best.similarity - j.similarity < TIE]
    if not rivals:
        return Match(best, judged)
    contenders = [best, *rivals]
    for better in (lambda j: j.venue_agrees is True, lambda j: j.year_gap == 0):
        preferred = [j for j in contenders if better(j)]
        if len(preferred) == 1:
            return Match(preferred[0], judged)
    return Match(None, judged, ambiguous=True)
