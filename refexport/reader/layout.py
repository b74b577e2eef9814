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


@dataclass(frozen=True)
class Weights:
    """The choice step's numbers. Set by hand; `make eval-lists` also tunes two of them on the
    development lists, each list scored with the values tuned on the others."""

    near_best: float = 0.05  # a candidate within this of an entry's best votes for its way
    plausible: float = 0.5  # a title must read this well to vote, or to win as the group's way
    layout_bonus: float = 0.15  # what reading like its neighbours is worth
    structure_bonus: float = 0.02  # the structural reading (what the markup says) wins ties
    unsure_gap: float = 0.1  # two different titles closer than this leave the entry unsure...
    clear_vote: float = 0.2  # ...unless the group's way won its vote by this share of the entries


DEFAULT = Weights()


@dataclass(frozen=True)
class Layout:
    """A group's way of writing titles, and by what share of its entries it won the vote."""

    family: str = ""
    margin: float = 0.0


NONE = Layout()


@dataclass(frozen=True)
class Choice:
    chosen: Candidate
    layout: Layout
    unsure: Candidate | None = None  # a different title that read nearly as well


def layout_of(groups: Sequence[Sequence[Candidate]], weights: Weights = DEFAULT) -> Layout:
    """The way of writing a title that is (nearly) the best in the most entries of a group."""
    votes: Counter[str] = Counter()
    for candidates in groups:
        if not candidates:
            continue
        best = max(c.score for c in candidates)
        votes.update({c.family for c in candidates if c.score >= max(best - weights.near_best, weights.plausible)})
    if not votes:
        return NONE
    ranked = sorted(votes.values(), reverse=True)
    margin = (ranked[0] - (ranked[1] if len(ranked) > 1 else 0)) / max(1, len(groups))
    # Ties go to the structural reading, then to the way found first in the entries.
    winners = [family for family in votes if votes[family] == ranked[0]]
    return Layout(STRUCTURE if STRUCTURE in winners else winners[0], margin)


def _weight(candidate: Candidate, layout: Layout, weights: Weights) -> float:
    bonus = weights.layout_bonus if candidate.family == layout.family and candidate.score >= weights.plausible else 0.0
    return candidate.score + bonus + (weights.structure_bonus if candidate.how == STRUCTURE else 0.0)


def choose(candidates: Sequence[Candidate], layout: Layout, weights: Weights = DEFAULT) -> Choice:
    """The entry's title: the best-weighted candidate. A different title that reads about as
    well, where the group's vote did not clearly settle the way, is said."""
    ranked = sorted(candidates, key=lambda c: -_weight(c, layout, weights))
    chosen = ranked[0]
    rival = next((c for c in ranked[1:] if _differs(c, chosen)), None)
    settled = chosen.family == layout.family and layout.margin >= weights.clear_vote
    close = rival is not None and rival.score >= weights.plausible and rival.score > chosen.score - weights.unsure_gap
    return Choice(chosen, layout, rival if close and not settled else None)


def _differs(one: Candidate, other: Candidate) -> bool:
    a, b = one.text.casefold(), other.text.casefold()
    return a not in b and b not in a
