"""Answers in the shapes Crossref and arXiv really give (tests/data/answers), read by the sources'
parsers and served from the local server; and the decision branches they lead to."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from refexport.model import Name, Record, Status
from refexport.resolve.decide import Answers, decide_search
from refexport.resolve.match import choose
from refexport.resolve.plan import Hint, Task
from refexport.resolve.sources import Candidate
from refexport.resolve.sources.arxiv import ArxivSource, parse_feed
from refexport.resolve.sources.crossref import CrossrefSource, parse_work, parse_work_list
from refexport.resolve.transport.cache import ResponseCache
from refexport.resolve.transport.errors import NotFound, PermanentError
from refexport.resolve.transport.http import Fetcher, Statistics
from refexport.resolve.transport.pacing import Limits, Pacer

from ..fake_apis import FakeApis, Scripted, VirtualClock, serving

ANSWERS = Path(__file__).resolve().parents[1] / "data" / "answers"
PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"


def _answer(name: str) -> str:
    return (ANSWERS / name).read_text(encoding="utf-8")


def test_a_crossref_work_becomes_a_clean_record() -> None:
    candidate = parse_work(_answer("crossref-work-sosp.json"))
    record = candidate.record
    assert (record.type, record.title, record.year) == ("paper-conference", PAGED, 2023)  # JATS <i> gone
    assert record.container_title == "Proceedings of the 29th Symposium on Operating Systems Principles"
    assert record.event_title == "SOSP '23: 29th Symposium on Operating Systems Principles"
    assert (record.page, record.doi, record.publisher) == ("611-626", "10.1145/3600006.3613165", "ACM")
    assert [(n.family, n.given) for n in record.authors] == [("Kwon", "Woosuk"), ("Li", "Zhuohan"), ("Stoica", "Ion")]
    assert candidate.linked_arxiv == "2309.06180"  # relation.has-preprint


def test_an_issued_date_of_null_falls_back_to_the_print_date() -> None:
    record = parse_work(_answer("crossref-work-null-issued.json")).record
    assert record.year == 2003 and record.page == "877-882"


def test_a_search_result_keeps_the_work_and_refuses_notes_and_volumes() -> None:
    candidates = parse_work_list(_answer("crossref-works-search.json"))
    assert [c.kind for c in candidates] == ["proceedings-article", "proceedings-article", "proceedings", "journal-article"]
    survey = candidates[3].record
    assert survey.title == "Memory Management for Serving: A Survey of KV Caches"  # subtitle joined, <scp> gone
    assert [n.literal for n in survey.authors] == ["The Serving Consortium"] and survey.volume == "35"
    match = choose(Hint(PAGED, 2023, "SOSP", "conference"), candidates)
    assert match.chosen is not None and match.chosen.candidate.record.doi == "10.1145/3600006.3613165"
    verdicts = {j.candidate.record.doi: j.why for j in match.judged}
    assert "note about a work" in verdicts["10.1145/3600006.3613165.erratum"]
    assert verdicts["10.1145/3600006"] == "a proceedings record, not the work"


def test_an_arxiv_feed_gives_bare_ids_one_line_titles_and_the_named_doi() -> None:
    first, second = parse_feed(_answer("arxiv-id-list.atom.xml"))
    assert (first.record.arxiv, first.record.title, first.record.arxiv_class) == ("2309.06180", PAGED, "cs.LG")
    assert first.linked_doi == "10.1145/3600006.3613165" and first.record.publisher == "arXiv"
    assert (second.record.arxiv, second.record.year, second.linked_doi) == ("2211.17192", 2022, "")
    assert [n.family for n in second.record.authors] == ["Leviathan", "Kalman", "Matias"]


def test_an_unknown_id_and_an_error_feed_give_no_records() -> None:
    assert parse_feed(_answer("arxiv-no-results.atom.xml")) == []
    assert parse_feed(_answer("arxiv-error.atom.xml")) == []  # its one entry is an error, not a paper


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    yield from serving()


def _fetcher(apis: FakeApis, source: str) -> Fetcher:
    clock = VirtualClock()
    pacer = Pacer(Limits(requests=10, interval=1.0, concurrency=1), clock=clock.now, sleep=clock.sleep)
    url = apis.url if source == "crossref" else apis.url + "/api/query"
    return Fetcher(source, url, pacer, ResponseCache(None), Statistics(), timeout=2.0, sleep=clock.sleep)


def test_served_answers_read_as_the_sources_give_them(apis: FakeApis) -> None:
    apis.script("/works/10.1145", [Scripted(200, _answer("crossref-work-sosp.json"))])
    apis.script("/works/10.9999", [Scripted(404, _answer("crossref-404.txt"))])
    crossref = CrossrefSource(_fetcher(apis, "crossref"))
    assert crossref.work("10.1145/3600006.3613165").record.title == PAGED
    with pytest.raises(NotFound):
        crossref.work("10.9999/not-a-real-doi")
    apis.script("/api/query", [Scripted(200, _answer("arxiv-id-list.atom.xml")), Scripted(400, _answer("arxiv-error.atom.xml"))])
    arxiv = ArxivSource(_fetcher(apis, "arxiv"))
    assert [c.record.arxiv for c in arxiv.lookup(["2309.06180", "2211.17192"])] == ["2309.06180", "2211.17192"]
    with pytest.raises(PermanentError, match="HTTP 400"):
        arxiv.lookup(["abc"])


def _candidate(source: str, title: str, *, doi: str = "", arxiv: str = "", family: str = "Kwon", year: int = 2023,
               linked_doi: str = "", linked_arxiv: str = "") -> Candidate:
    kind = "proceedings-article" if source == "crossref" else "arxiv"
    record = Record(type="paper-conference" if doi else "article", title=title, authors=(Name(family, "A"),), year=year,
                    container_title="Proceedings of SOSP" if doi else "", doi=doi, arxiv=arxiv,
                    publisher="" if doi else "arXiv")
    return Candidate(source, record, kind, linked_doi=linked_doi, linked_arxiv=linked_arxiv)


def _task(title: str, venue: str = "SOSP", kind: str = "conference") -> Task:
    return Task(title_key=title.lower(), hint=Hint(title, 2023, venue, kind), seed=Record(type="article", title=title))


def test_when_crossref_and_arxiv_choose_different_works_the_list_venue_decides() -> None:
    title = "Serving Models Fast"
    published = _candidate("crossref", title, doi="10.1145/1.1", family="Kwon")
    preprint = _candidate("arxiv", title, arxiv="2301.00001", family="Nobody")  # same title, other authors
    answers = Answers(crossref={title.lower(): [published]}, arxiv={title.lower(): [preprint]})
    at_a_conference = decide_search(_task(title), answers)
    assert at_a_conference.record.doi == "10.1145/1.1" and not at_a_conference.record.arxiv
    assert at_a_conference.source == "crossref"
    assert any("different works; kept the Crossref one" in reason for reason in at_a_conference.reasons)
    on_arxiv = decide_search(_task(title, "arXiv", "preprint"), answers)
    assert (on_arxiv.record.doi, on_arxiv.record.arxiv, on_arxiv.source) == ("", "2301.00001", "arxiv")


def test_crossrefs_has_preprint_relation_brings_the_eprint() -> None:
    title = "Serving Models Fast"
    published = _candidate("crossref", title, doi="10.1145/1.1", linked_arxiv="2301.00001")
    asserted = _candidate("arxiv", "Serving models fast", arxiv="2301.00001", year=2022)  # the search missed it
    answers = Answers(crossref={title.lower(): [published]}, arxiv={title.lower(): []}, preprints={"2301.00001": asserted})
    decision = decide_search(_task(title), answers)
    assert decision.status is Status.RESOLVED and decision.source == "crossref+arxiv"
    assert (decision.record.doi, decision.record.arxiv) == ("10.1145/1.1", "2301.00001")
    assert "arXiv 2301.00001 from Crossref's has-preprint relation" in decision.reasons


def test_a_has_preprint_relation_to_another_work_is_not_followed() -> None:
    title = "Serving Models Fast"
    published = _candidate("crossref", title, doi="10.1145/1.1", linked_arxiv="2301.00001")
    unrelated = _candidate("arxiv", "A Survey of Protein Folding", arxiv="2301.00001")
    answers = Answers(crossref={title.lower(): [published]}, arxiv={title.lower(): []}, preprints={"2301.00001": unrelated})
    decision = decide_search(_task(title), answers)
    assert (decision.record.doi, decision.record.arxiv, decision.source) == ("10.1145/1.1", "", "crossref")
