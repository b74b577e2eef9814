"""A group's layout, learned from its entries, and each entry's title chosen by it.

The entries of one list section (or one table) are written one way. The way that gives the
best or nearly the best title in the most entries of the group is its layout; each entry then
takes the candidate that reads best, with a bonus for the group's way, so an entry that is
ambiguous on its own (a bold name and a quoted phrase, a link text and the text after it) is
read like its neighbours, and an odd entry that has no such candidate is read on its own.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .candidates import STRUCTURE, Candidate

#: A candidate within this of an entry's best counts for its way in the group's vote.
NEAR_BEST = 0.05
#: A title must read at least this well to vote for its way, or to win as the group's way.
PLAUSIBLE = 0.5
#: What reading like its neighbours is worth, against reading well on its own.
LAYOUT_BONUS = 0.15
#: The structural reading wins ties: it is what the entry's markup says.
STRUCTURE_BONUS = 0.02
#: Two different titles closer than this (after the bonuses) leave the entry unsure.
UNSURE_GAP = 0.1


@dataclass(frozen=True)
class Choice:
    chosen: Candidate
    layout: str  # the group's way, "" when none stood out
    unsure: Candidate | None = None  # a different title that read nearly as well


def layout_of(groups: Sequence[Sequence[Candidate]]) -> str:
    """The way of writing a title that is (nearly) the best in the most entries of a group."""
    votes: Counter[str] = Counter()
    for candidates in groups:
        if not candidates:
            continue
        best = max(c.score for c in candidates)
        votes.update({c.family for c in candidates if c.score >= max(best - NEAR_BEST, PLAUSIBLE)})
    if not votes:
        return ""
    top = max(votes.values())
    # Ties go to the structural reading, then to the way found first in the entries.
    winners = [family for family in votes if votes[family] == top]
    return STRUCTURE if STRUCTURE in winners else winners[0]


def _weight(candidate: Candidate, layout: str) -> float:
    bonus = LAYOUT_BONUS if candidate.family == layout and candidate.score >= PLAUSIBLE else 0.0
    return candidate.score + bonus + (STRUCTURE_BONUS if candidate.how == STRUCTURE else 0.0)


def choose(candidates: Sequence[Candidate], layout: str) -> Choice:
    """The entry's title: the best-weighted candidate; a different one close behind is said."""
    ranked = sorted(candidates, key=lambda c: -_weight(c, layout))
    chosen = ranked[0]
    rival = next((c for c in ranked[1:] if _differs(c, chosen)), None)
    close = rival is not None and rival.score >= PLAUSIBLE and _weight(chosen, layout) - _weight(rival, layout) < UNSURE_GAP
    return Choice(chosen, layout, rival if close or chosen.score < PLAUSIBLE else None)


def _differs(one: Candidate, other: Candidate) -> bool:
    a, b = one.text.casefold(), other.text.casefold()
    return a not in b and b not in a
