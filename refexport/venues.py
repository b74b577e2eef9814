"""What kind of thing a list's venue string names: a preprint server, a code host, a web page,
a journal or a conference. Venue strings are noisy ("Proc.~USENIX OSDI", "OSDI 23", "SC20"), so
this only says what the words make likely; resolution settles the real venue.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from typing import Literal

from .model import Record
from .text import fold

_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]+[A-Za-z]*\b")
_VENUE_NOISE = {"proc", "proceedings", "of", "the", "on", "in", "and", "for", "international", "conference",
                "symposium", "workshop", "annual", "acm", "ieee", "usenix", "sigplan", "journal", "advances",
                "systems", "nd", "rd", "th", "st"}

VenueKind = Literal["preprint", "software", "webpage", "journal", "conference", ""]

_PREPRINT = re.compile(r"\b(arxiv|corr|biorxiv|medrxiv|ssrn|eprint archive|preprint)\b", re.I)
_SOFTWARE = re.compile(r"\b(github|gitlab|bitbucket|codeberg)\b", re.I)
_WEBPAGE = re.compile(r"\b(webpage|web page|website|web site|blog|online|hugging ?face)\b", re.I)
_JOURNAL = re.compile(
    r"(?<![a-z])(journal|transactions|trans\.|letters|magazine|review|surveys?|surv\.|"
    r"communications of|nature|science|jmlr|tacl|csur|tkdd|taco|tpami|tpds|pvldb|"
    r"proc\. vldb endow|management of data|practice and experience)(?![a-z])",
    re.I,
)
_CONFERENCE = re.compile(
    r"\b(proc\.?|proceedings|conference|symposium|workshop|congress|meeting|summit|advances in|"
    r"osdi|nsdi|sosp|eurosys|atc|asplos|isca|micro|hpca|sc\d*|ppopp|pldi|cgo|cc|vldb|sigmod|kdd|"
    r"mlsys|machine learning and systems|neurips|nips|icml|iclr|aaai|ijcai|acl|naacl|emnlp|coling|"
    r"eacl|iwslt|wmt|cvpr|iccv|eccv|icpr|ijcnn|ipdps|iiswc|hpc|socc|middleware|infocom|"
    r"sigcomm|mobicom|isscc|dac|fpga|ics|europar|euro-par|compiler construction)\b",
    re.I,
)


def classify_venue(venue: str) -> VenueKind:
    """The likely kind of a cleaned venue string; "" when the words do not say."""
    if not venue:
        return ""
    for kind, pattern in (
        ("software", _SOFTWARE),
        ("webpage", _WEBPAGE),
        ("preprint", _PREPRINT),
        ("journal", _JOURNAL),
        ("conference", _CONFERENCE),
    ):
        if pattern.search(venue):
            return kind  # type: ignore[return-value]
    return ""


def _venue_words(text: str) -> set[str]:
    words = set(re.findall(r"[a-z]+", fold(text).lower())) - _VENUE_NOISE
    acronyms = {a.lower() for a in _ACRONYM.findall(text)}
    return {w for w in words | acronyms if len(w) >= 3}


def _initials(text: str) -> str:
    """`Annual Meeting of the Association for Computational Linguistics` → `amacl`."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", text) if w[0].isupper() and w.lower() not in ("proceedings", "the"))


def venue_agreement(venue: str, kind: VenueKind, record: Record) -> bool | None:
    """Whether the list's venue names the record's; None when there is nothing to compare.

    A word of the list's venue must stand in the record's venue, or an acronym of either in the
    initials of the other ("ACL" in "Annual Meeting of the Association for Computational
    Linguistics").
    """
    if kind not in ("conference", "journal") or not (record.container_title or record.event_title):
        return None
    listed = _venue_words(venue)
    if not listed:
        return None
    venues = [v for v in (record.container_title, record.event_title) if v]
    named = set().union(*(_venue_words(v) for v in venues))
    initials = [_initials(v).lower() for v in venues]
    # Either may be the acronym of the other: "ACL" and "… Association for Computational
    # Linguistics", "International Conference on Machine Learning" and dblp's "ICML".
    return (bool(listed & named) or any(len(w) >= 3 and w in i for w in listed for i in initials)
            or any(len(w) >= 3 and w in _initials(venue).lower() for w in named))


# Conference names as Crossref's depositors cut them off: "Proceedings of the 2019 Conference of the".
_DANGLING = re.compile(r"(?:\b(?:of|the|on|for|and|in|at|to|a|an|with|by|from)|[&,:;\-–])\s*$", re.I)
_PROCEEDINGS = re.compile(r"^(?:the\s+)?proceedings\s+of\s+(?:the\s+)?", re.I)
_VOLUME = re.compile(r"\s*(?:,\s*|\()\s*volume\b.*$", re.I)
_NAMES_AN_EVENT = re.compile(r"\b(?:conference|symposium|workshop|meeting|congress|summit|colloquium)\b", re.I)


def conference_name(proceedings: str) -> str:
    """The conference a proceedings title names: "Proceedings of the 29th Symposium on Operating
    Systems Principles" → "29th Symposium on Operating Systems Principles"; "" when it names none."""
    name = _VOLUME.sub("", _PROCEEDINGS.sub("", proceedings)).strip(" ,:")
    return name if _NAMES_AN_EVENT.search(name) or name != proceedings.strip() else ""


def with_whole_event(record: Record) -> Record:
    """A conference paper's event title whole: a cut-off one (a strict prefix of the proceedings
    title, or ending on a dangling word) is repaired from the proceedings title, or left out; a
    missing one is taken from the proceedings title when that names the conference."""
    if record.type != "paper-conference":
        return record
    event, proceedings = record.event_title.strip(), record.container_title.strip()
    whole = conference_name(proceedings) if proceedings else ""
    if event and proceedings.lower().startswith(event.lower()) and len(event) < len(proceedings):
        return record.with_changes(event_title=whole or proceedings)
    if event and _DANGLING.search(event):
        return record.with_changes(event_title=whole)
    if not event and whole:
        return record.with_changes(event_title=whole)
    return record
