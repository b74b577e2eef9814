"""The choice step: how title-like a span reads, a group's layout and each entry's title."""

from hypothesis import given
from hypothesis import strategies as st

from refexport.reader.candidates import STRUCTURE, Candidate, candidate, title_score
from refexport.reader.layout import NONE, Layout, choose, layout_of


def test_title_like_text_scores_above_names_venues_dates_and_labels() -> None:
    title = title_score("Efficient Memory Management for Large Language Model Serving")
    assert title == 1.0
    assert title_score("pdf") == title_score("Code") == 0.0
    assert title_score("ICLR 2024") < 0.2 and title_score("May 2026") < 0.2
    assert title_score("A Title, G. Hinton and R. Salakhutdinov") < 0.5
    assert title_score('"A Title That Runs On", arXiv, May 2026, [') < 0.5
    assert title_score("A Quoted Title. Then Authors Smith and Jones") < title
    assert title_score("RoboTracer") < title_score("RoboTracer: Tracing Robots")


def test_a_group_reads_an_ambiguous_entry_like_its_neighbours() -> None:
    # Link text or the text after it: equally title-like on its own, decided by the group.
    entries = [
        [candidate(STRUCTURE, "Ring Attention: Near Infinite Context"), candidate("label:0", "Ring Attention Explained Well")],
        [candidate(STRUCTURE, "Paged Attention for Serving Models"), candidate("label:0", "Paged Attention for Serving")],
    ]
    ambiguous = [Candidate(STRUCTURE, "Speculative Decoding Made Simple", 0.9), Candidate("label:0", "Drafting Tokens Ahead of Time", 0.9)]
    assert layout_of(entries).family == STRUCTURE
    clear = Layout(STRUCTURE, 1.0)
    assert choose(ambiguous, clear).chosen.how == STRUCTURE
    assert choose(ambiguous, Layout("label", 1.0)).chosen.how == "label:0"
    assert choose(ambiguous, clear).unsure is None  # the group's clear vote settles it
    assert choose(ambiguous, NONE).unsure is not None  # two different titles read alike and nothing decides: said
    assert choose(ambiguous, Layout(STRUCTURE, 0.0)).unsure is not None  # a tied vote decides nothing


def test_a_layout_that_most_entries_show_wins_the_vote() -> None:
    quoted = [[Candidate(STRUCTURE, f'"Title {n}", arXiv', 0.25), Candidate("quoted:0", f"Title Number {n} Here", 1.0)] for n in range(5)]
    assert layout_of(quoted) == Layout("quoted", 1.0)
    assert layout_of([]) == NONE


@given(st.lists(st.lists(st.tuples(st.sampled_from([STRUCTURE, "quoted:0", "label:1", "bold:0", "sentence"]),
                                   st.text(min_size=1, max_size=30), st.floats(0, 1)), min_size=1, max_size=4), max_size=6))
def test_the_choice_is_always_one_of_the_entry_s_candidates(groups: list[list[tuple[str, str, float]]]) -> None:
    entries = [[Candidate(how, text, score) for how, text, score in group] for group in groups]
    layout = layout_of(entries)
    for candidates in entries:
        chosen = choose(candidates, layout).chosen
        assert chosen in candidates
        assert chosen.score >= max(c.score for c in candidates) - 0.2  # the layout never picks a much worse title
