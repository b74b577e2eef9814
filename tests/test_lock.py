"""The lock as one type: what `dump_lock` writes, `load_lock` reads back to the same rows; and
the rule that a failed answer never replaces what the lock knew."""

from hypothesis import given
from hypothesis import strategies as st

from refexport.lock import dump_lock, load_lock, merge
from refexport.model import Considered, Decision, Locked, LockFile, Name, Record, Status, Verdict

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_WORD = st.from_regex(r"[A-Za-z][a-z]{0,8}", fullmatch=True)
_RECORDS = st.builds(
    Record,
    type=st.sampled_from(["article", "article-journal", "paper-conference", "software", "webpage"]),
    title=_WORD.map(str.title),
    authors=st.lists(st.builds(Name, family=_WORD, given=_WORD), max_size=2).map(tuple),
    year=st.none() | st.integers(1950, 2030),
    doi=st.sampled_from(["", "10.1145/3600006.3613165", "10.5555/x.1"]),
    arxiv=st.sampled_from(["", "2309.06180"]),
)
_VERDICTS = st.builds(
    lambda verdict, identifier: Considered.unjudged(identifier, verdict, ": test"),
    st.sampled_from(list(Verdict)), st.sampled_from(["doi:10.5555/x.1", "arXiv:2309.06180"]),
)
_DECISIONS = st.builds(
    Decision,
    status=st.sampled_from(list(Status)),
    record=_RECORDS,
    source=_WORD,
    confidence=st.none() | st.sampled_from([0.5, 0.97, 1.0]),
    reasons=st.lists(_TEXT, max_size=2).map(tuple),
    ask_again=st.booleans(),
    given=st.lists(_VERDICTS, max_size=2).map(tuple),
    origins=st.sampled_from([(), (("doi", "found by title search"),)]),
)
_ROWS = st.builds(
    Locked,
    key=st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True),
    decision=_DECISIONS,
    line=st.integers(1, 10_000),
    section=_TEXT,
    group=_TEXT,
    seed_title=_TEXT,
    title_from=st.sampled_from(["", "quoted:0: the way its group writes titles"]),
)


@given(st.lists(_ROWS, max_size=5))
def test_what_the_lock_writes_it_reads_back_the_same(rows: list[Locked]) -> None:
    lock = LockFile(rows)
    text = dump_lock(lock)
    again = load_lock(text, "refexport.lock")
    assert again == lock and again.by_title == lock.by_title
    assert dump_lock(again) == text


def _decision(status: Status, *, doi: str = "", ask_again: bool = False) -> Decision:
    return Decision(status=status, record=Record(type="article", title="T", doi=doi), source="crossref", ask_again=ask_again)


def test_a_failed_answer_never_replaces_what_the_lock_knew() -> None:
    known = Locked(key="a2020t", decision=_decision(Status.RESOLVED, doi="10.1/a"), line=3, seed_title="A")
    other = Locked(key="b2020t", decision=_decision(Status.UNRESOLVED), line=4, seed_title="B")
    merged, kept = merge(LockFile([known, other]), {
        "a": _decision(Status.UNRESOLVED, ask_again=True),  # cut short: the DOI the lock knew stays
        "b": _decision(Status.RESOLVED, doi="10.1/b"),  # a new answer replaces an unresolved one
        "c": _decision(Status.RESOLVED, doi="10.1/c"),  # a new title
    })
    a, b, c = merged.get("a"), merged.get("b"), merged.get("c")
    assert a is not None and (a.decision.record.doi, a.decision.ask_again, a.key, a.line) == ("10.1/a", True, "a2020t", 3)
    assert b is not None and (b.decision.record.doi, b.key) == ("10.1/b", "b2020t")
    assert c is not None and (c.decision.record.doi, c.key) == ("10.1/c", None)
    assert kept == ("a",)
    # A failed answer that knows no less is taken (and asked again).
    merged, kept = merge(LockFile([other]), {"b": _decision(Status.UNRESOLVED, ask_again=True)})
    b = merged.get("b")
    assert kept == () and b is not None and b.decision.ask_again
