import pytest

from refexport.model import Name, Record
from refexport.resolve.match import choose, judge, title_similarity
from refexport.resolve.plan import Hint
from refexport.resolve.sources import Candidate


def _crossref(doi: str, title: str, year: int = 2023, *, kind: str = "proceedings-article", authors: tuple[str, ...] = ("Kwon",),
              container: str = "Proceedings of the 29th Symposium on Operating Systems Principles", event: str = "SOSP '23") -> Candidate:
    record = Record(type="paper-conference", title=title, authors=tuple(Name(a, "A") for a in authors), year=year,
                    container_title=container, event_title=event, doi=doi)
    return Candidate("crossref", record, kind)


def _arxiv(arxiv_id: str, title: str, year: int = 2023, authors: tuple[str, ...] = ("Kwon",)) -> Candidate:
    record = Record(type="article", title=title, authors=tuple(Name(a, "A") for a in authors), year=year,
                    publisher="arXiv", arxiv=arxiv_id)
    return Candidate("arxiv", record, "arxiv")


HINT = Hint("Efficient memory management for large language model serving with pagedattention", 2023,
            "Proc. ACM SOSP", "conference")
TITLE = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
CLOSE = "Efficient Memory Management for Large Language Model Inference with PagedAttention"


def test_the_same_title_in_the_right_year_is_accepted() -> None:
    match = choose(HINT, [_crossref("10.1/other", "Memory management for something else"), _crossref("10.1/right", TITLE)])
    assert match.chosen is not None and match.chosen.candidate.record.doi == "10.1/right"
    assert match.confidence == 1.0
    assert "same title" in match.chosen.why


@pytest.mark.parametrize(
    ("candidate", "why"),
    [
        (_crossref("10.1/late", TITLE, year=2030), "year 2030 is 7 years from the list's 2023"),
        (_crossref("10.1/erratum", "Erratum: " + TITLE), "a note about a work"),
        (_crossref("10.1/review", TITLE, kind="peer-review"), "a peer-review record, not the work"),
        (_crossref("10.1/volume", TITLE, authors=()), "no authors"),
        (_crossref("10.1/close", CLOSE, container="KDD", event="KDD '23"),
         "title only close and no venue to confirm it"),
    ],
)
def test_records_that_are_not_the_work_are_rejected(candidate: Candidate, why: str) -> None:
    match = choose(HINT, [candidate])
    assert match.chosen is None
    assert why in match.judged[0].why


def test_the_close_title_is_close() -> None:
    assert 0.88 <= title_similarity(HINT.title, Record(type="article", title=CLOSE)) < 0.95


def test_a_close_title_needs_the_venue_to_agree() -> None:
    close = _crossref("10.1/close", CLOSE)
    match = choose(HINT, [close])
    assert match.chosen is not None and match.chosen.venue_agrees is True
    assert "venue agrees" in match.chosen.why


def test_two_different_works_with_the_title_are_not_decided_by_rank() -> None:
    first = _arxiv("2309.00001", TITLE, authors=("Kwon",))
    second = _arxiv("2309.00002", TITLE, authors=("Smith",))
    match = choose(HINT, [first, second])
    assert match.chosen is None and match.ambiguous
    assert [j.accepted for j in match.judged] == [True, True]


def test_a_tie_is_broken_by_evidence_not_rank() -> None:
    wrong_year = _crossref("10.1/a", TITLE, year=2024, container="KDD", event="KDD", authors=("Smith",))
    right = _crossref("10.1/b", TITLE, year=2023)
    match = choose(HINT, [wrong_year, right])
    assert match.chosen is not None and match.chosen.candidate.record.doi == "10.1/b"


def test_rejected_identifiers_are_never_chosen() -> None:
    hint = Hint(HINT.title, HINT.year, HINT.venue, HINT.venue_kind, frozenset({"doi:10.1/right"}))
    match = choose(hint, [_crossref("10.1/right", TITLE)])
    assert match.chosen is None and match.judged[0].why == "rejected by an override"


@pytest.mark.parametrize(
    ("seed", "title", "same"),
    [
        ("Global memory augmentation for transformers", "GMAT: Global Memory Augmentation for Transformers", True),
        ("Autogen: Enabling next-gen llm applications via multi-agent conversation framework",
         "AutoGen: Enabling Next-Gen LLM Applications via Multi-Agent Conversation", True),
        ("Orca: A distributed serving system for transformer-based generative models", "Orca", False),
        ("Attention is all you need", "Attention is not all you need", False),
        ("Efficient Transformers: A Survey", "Efficient Transformers", False),
        ("H $ \\_2 $ O: Heavy-hitter oracle", "H<sub>2</sub>O: Heavy-Hitter Oracle", True),
    ],
)
def test_title_variants(seed: str, title: str, same: bool) -> None:
    from refexport.resolve.sources.crossref import strip_markup

    similarity = title_similarity(seed, Record(type="article", title=strip_markup(title)))
    assert (similarity >= 0.95) is same


def test_judgement_describes_the_candidate() -> None:
    text = judge(HINT, _crossref("10.1/right", TITLE, authors=("Kwon", "Li", "Zhuang"))).considered().describe()
    assert text.startswith('doi:10.1/right "Efficient Memory Management')
    assert "(Kwon, Li et al.; 2023; Proceedings of the 29th Symposium" in text and "accepted" in text
