"""What kind of thing a list's venue string names: a preprint server, a code host, a web page,
a journal or a conference. Venue strings are noisy ("Proc.~USENIX OSDI", "OSDI 23", "SC20"), so
this only says what the words make likely; resolution settles the real venue.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from typing import Literal

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
