"""What an entry shows besides its title: dates, venue tags and venue badges, read into a venue
("as shown", without its year or qualifiers such as Oral or Poster) and a year.

`[NSDI'24]`, `[arxiv, 2022]`, `(VLDB 2021)`, `( 2018 ArXiv)`, `SOSP' 24`, `ICML 2023`, the shields.io
badges `ICML2024-orange`, `ACL2024--findings-orange`, `ACL'24_(Findings)`, and the dates
`[2023/09]`, `(2021-11)`, `2024.02`. arXiv, a submission or a technical report is not a venue.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..venues import classify_venue


@dataclass(frozen=True)
class Shown:
    """A venue and a year an entry shows; either may be missing."""

    venue: str = ""
    year: int | None = None

    def __bool__(self) -> bool:
        return bool(self.venue or self.year)


NOTHING = Shown()

_DATE = re.compile(r"^(?:19|20)\d{2}(?:\s*[./\-]\s*\d{1,2}){0,2}$")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d])")
# A venue and its year: "NSDI'24", "SOSP' 24", "ICML 2023", "arxiv, 2022", "ICML2024", "MM'25".
_VENUE_YEAR = re.compile(
    r"^(?P<venue>[^\d\s'’,][^'’,]*?)\s*(?:['’]\s*(?P<short>\d{2})|,?\s*(?P<long>(?:19|20)\d{2}))(?![\d])(?P<rest>.*)$"
)
#: A month as lists write it in a date: "May", "Sept.", "June", "Aug".
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A venue and a date: "IJCAI, Aug 2024", "arXiv, May 2026", "ICRA, May 17th 2025", "RSS, June 24".
_VENUE_DATE = re.compile(
    rf"^(?P<venue>.*?)[\s,]*\b{MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?P<year>(?:19|20)\d{{2}}|\d{{2}})$", re.I
)
_GLUED_SHORT_YEAR = re.compile(r"^([A-Z]{2,8})(\d{2})$")
_VENUE_SHORT_YEAR = re.compile(r"^(?P<venue>[A-Za-z][\w&@\-]*(?:\s[A-Za-z][\w&@\-]*){0,3})\s+(?P<short>\d{2})$")
_YEAR_VENUE = re.compile(r"^(?P<long>(?:19|20)\d{2})\s*,?\s*(?P<venue>[A-Za-z][^\d]*)$")
_NOT_VENUES = re.compile(
    r"^(?:arxiv|corr|preprint|arxiv preprint|biorxiv|medrxiv|ssrn|openreview|techn?ical[ _-]?report|tech\.? report|"
    r"survey|blog|github|code|website|homepage|project|paper|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
    r"june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$",
    re.I,
)
_ACRONYM_VENUE = re.compile(r"^[A-Z][A-Z&]{1,9}$")
_PUBLISHER_VENUE = re.compile(r"^(?:IEEE|ACM|USENIX|SIAM|Springer|Elsevier)\b\s+\S", re.I)
_NO_YEAR_EITHER = re.compile(r"\bsubmi(?:ssion|tted)\b|\bunder review\b", re.I)
_QUALIFIERS = re.compile(
    r"\b(?:oral|spotlight|poster|demo|tutorial|best[\w ]*?award|highlight|outstanding[\w ]*|long|short|main(?: track)?|accepted)\b",
    re.I,
)
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:")
_LATEST = datetime.date.today().year + 1


def _year_of(digits: str) -> int | None:
    year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    return year if 1900 <= year <= _LATEST else None


def _clean_venue(text: str) -> str:
    text = re.sub(r"\s(?:from|by)\s.*$", "", _EMOJI_CODE.sub(" ", text))
    text = _QUALIFIERS.sub(" ", text)
    text = re.sub(r"[()\[\]{}*_]", " ", text)
    text = " ".join(text.split()).strip(" ,;:-–—@")
    return "" if _NOT_VENUES.match(text) else text


def read_tag(text: str, *, acronym: bool = True) -> Shown:
    """A bracketed or parenthesized tag, a badge's text or a venue cell: a date, a venue with a
    year, a year with a venue, or a venue the words name (a conference, a journal, a publisher's
    series, or with `acronym` an upper-case acronym such as TKDE; badges use acronyms for topics)."""
    text = " ".join(_EMOJI_CODE.sub(" ", text).split()).strip(" ,;")
    if not text:
        return NOTHING
    if _DATE.match(text):
        return Shown(year=_year_of(text[:4]))
    if _NO_YEAR_EITHER.search(text):
        return NOTHING
    if match := _VENUE_DATE.match(text):
        year = _year_of(match.group("year"))
        return Shown(_clean_venue(match.group("venue")), year) if year else NOTHING
    if match := _VENUE_YEAR.match(text):
        year = _year_of(match.group("short") or match.group("long"))
        venue = _clean_venue(f"{match.group('venue')} {match.group('rest').lstrip(' -–_')}")
        return Shown(venue, year) if year else NOTHING
    if (match := _GLUED_SHORT_YEAR.match(text)) and classify_venue(match.group(1)) in ("conference", "journal"):
        return Shown(match.group(1), _year_of(match.group(2)))  # "SC21"
    if match := _VENUE_SHORT_YEAR.match(text):  # "CHEOPS 22", "CIDR 07"
        venue = _clean_venue(match.group("venue"))
        year = _year_of(match.group("short"))
        return Shown(venue, year) if venue and year else NOTHING
    if match := _YEAR_VENUE.match(text):
        return Shown(_clean_venue(match.group("venue")), _year_of(match.group("long")))
    venue = _clean_venue(text)
    if not venue or len(venue.split()) > 6:
        return NOTHING
    named = classify_venue(venue) in ("conference", "journal") or _PUBLISHER_VENUE.match(venue)
    return Shown(venue=venue) if named or (acronym and _ACRONYM_VENUE.match(venue)) else NOTHING


def badge_text(src: str) -> str:
    """The text of a shields.io badge (`ACL2024--findings-orange` → `ACL2024-findings`), or ""."""
    parts = urlsplit(src)
    if not parts.netloc.endswith("shields.io") or "/badge/" not in parts.path:
        return ""
    spec = unquote(parts.path.split("/badge/", 1)[1])
    spec = re.sub(r"\.(?:svg|png)$", "", spec)
    fields = [f.replace("\x00", "-").replace("\x01", "_") for f in spec.replace("--", "\x00").replace("__", "\x01").split("-")]
    words = fields[:-1] if len(fields) > 1 else fields  # the last field is the colour
    return " ".join(word.replace("_", " ") for word in words).strip()


def year_in(text: str) -> int | None:
    """The first plausible year written in free text (a date such as 2024.02 included)."""
    for match in _YEAR.finditer(text):
        if (year := _year_of(match.group(1))) is not None:
            return year
    return None
