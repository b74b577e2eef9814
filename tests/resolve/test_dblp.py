"""dblp as a source: its answers read (one author as an object, homonym numbers, CoRR records,
hits without a title), and the published version of a preprint or an unresolved conference
paper found, validated and written; decoys, workshop versions and other people's papers are not."""

import json
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refexport.app import build, review, update_lock
from refexport.resolve.sources.dblp import batch_query, parse_booktitle, parse_search, person, query

from ..fake_apis import FakeApis, Scripted, World, arxiv_entry, dblp_record, local_settings, serving

FLASH = "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
NEURIPS_2022 = "Advances in Neural Information Processing Systems 35: Annual Conference on Neural Information Processing Systems 2022"


def test_search_answers_are_read_forgivingly() -> None:
    answer = {"result": {"hits": {"@total": "4", "hit": [
        {"info": {"authors": {"author": {"@pid": "1/2", "text": "Ann Smith 0002"}}, "title": "A Single Author Paper.",
                  "venue": "ICML", "year": "2023", "type": "Conference and Workshop Papers", "key": "conf/icml/Smith23"}},
        {"info": {"authors": {"author": [{"text": "Bo van der Berg"}, {"text": "Cy Li"}]}, "title": "A Preprint.", "venue": "CoRR",
                  "year": "2022", "type": "Informal and Other Publications", "key": "journals/corr/abs-2201-00001",
                  "doi": "10.48550/ARXIV.2201.00001"}},
        {"info": {"title": "", "key": "conf/x/NoTitle"}},
        {"info": "not an object"},
    ]}}}
    found = parse_search(json.dumps(answer))
    assert [(c.record.type, c.record.dblp) for c in found] == [
        ("paper-conference", "conf/icml/Smith23"), ("article", "journals/corr/abs-2201-00001")]
    assert found[0].record.authors[0].family == "Smith" and found[0].record.title == "A Single Author Paper"
    assert (found[1].record.arxiv, found[1].record.doi) == ("2201.00001", "")  # CoRR: the arXiv preprint, no DOI
    assert person("Bo van der Berg").family == "van der Berg"
    assert parse_search('{"result": {"hits": {"@total": "0"}}}') == []


@given(st.lists(st.text(alphabet=string.ascii_letters + string.digits + " -:", min_size=1, max_size=80), min_size=1, max_size=8))
@settings(derandomize=True, max_examples=200)
def test_a_batch_query_matches_each_title_it_asks_about(titles: list[str]) -> None:
    # dblp's rule: a record matches when each term has an alternative that begins one of its words.
    terms = [term.split("|") for term in batch_query(titles).split()]
    for title in titles:
        words = query(title).split()
        if words:
            assert all(any(word.startswith(alternative) for word in words for alternative in term) for term in terms)
    assert len(terms) <= 5


def test_the_proceedings_title_comes_from_the_bibtex_export() -> None:
    bib = "@inproceedings{DBLP:conf/nips/X22,\n  title = {T},\n  booktitle = {Advances in Neural Information\n    Processing Systems 35},\n}\n"
    assert parse_booktitle(bib) == "Advances in Neural Information Processing Systems 35"


LIST = f"""# Papers

- [{FLASH}](https://arxiv.org/abs/2205.14135)
- [Speculative Decoding With Tree Drafts](https://arxiv.org/abs/2301.00002)
- [Serving Many Adapters Together](https://arxiv.org/abs/2302.00003)
- Pipelined Cluster Scheduling for Training (OSDI 2022)
- [Jet Tagging With Graph Networks](https://arxiv.org/abs/2303.00004)
"""


def _world() -> World:
    return World(
        arxiv=[
            arxiv_entry("2205.14135", FLASH, ["Tri Dao", "Daniel Y. Fu", "Stefano Ermon"], 2022),
            arxiv_entry("2301.00002", "Speculative Decoding With Tree Drafts", ["Eve Wu", "Fay Ng"], 2023),
            arxiv_entry("2302.00003", "Serving Many Adapters Together", ["Gus Ho", "Hal Ma"], 2023),
            arxiv_entry("2303.00004", "Jet Tagging With Graph Networks", ["Max Po", "Ned Qi"], 2023, category="hep-ph"),
        ],
        dblp=[
            dblp_record("journals/corr/abs-2205-14135", FLASH, ["Tri Dao", "Daniel Y. Fu"], 2022, "CoRR",
                        kind="Informal and Other Publications", doi="10.48550/arXiv.2205.14135"),
            dblp_record("conf/nips/DaoFER22", FLASH, ["Tri Dao 0001", "Daniel Y. Fu", "Stefano Ermon"], 2022, "NeurIPS",
                        booktitle=NEURIPS_2022, pages="16344-16359"),
            # A decoy: the same title three years on, by others.
            dblp_record("conf/icml/Decoy25", "Speculative Decoding With Tree Drafts", ["Ivy Qu", "Jon Ri"], 2026, "ICML"),
            # A workshop version is not the conference paper.
            dblp_record("conf/mlsys/WuN23w", "Serving Many Adapters Together", ["Gus Ho", "Hal Ma"], 2023, "MLSys Workshop"),
            dblp_record("conf/osdi/Kim22", "Pipelined Cluster Scheduling for Training", ["Kay Kim", "Lee Lo"], 2022, "OSDI",
                        booktitle="16th USENIX Symposium on Operating Systems Design and Implementation, OSDI 2022", pages="1-16"),
        ],
    )


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    yield from serving(_world())


def _resolve(project: Path, apis: FakeApis) -> dict[int, dict]:
    (project / "reading-list.md").write_text(LIST)
    update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    return {item["line"]: item for item in json.loads((project / "refexport.lock").read_text())["items"]}


def test_a_preprint_is_written_as_its_conference_paper_and_keeps_its_arxiv_id(tmp_path: Path, apis: FakeApis) -> None:
    lock = _resolve(tmp_path, apis)
    flash = lock[3]
    record = flash["record"]
    assert (flash["status"], record["type"], flash["arxiv"], flash["doi"]) == ("resolved", "paper-conference", "2205.14135", None)
    assert (record["container-title"], record["event-title"], record["page"]) == (NEURIPS_2022, "NeurIPS 2022", "16344-16359")
    assert record["author"][0] == {"family": "Dao", "given": "Tri"}  # dblp's homonym number removed
    assert record["custom"]["dblp"] == "conf/nips/DaoFER22" and flash["origins"]["dblp"] == "found by dblp title search"
    assert any(r.startswith("published at NeurIPS 2022 (dblp conf/nips/DaoFER22)") and "replaces the arXiv preprint 2205.14135" in r
               for r in flash["reasons"])
    flagged = {f.entry.item.line: f.flags for f in review(tmp_path / "reading-list.md", tmp_path / "refexport.lock", tmp_path / "overrides")}
    assert "published at NeurIPS 2022 (dblp conf/nips/DaoFER22), replacing the arXiv preprint 2205.14135" in " ".join(flagged[3])
    build(tmp_path / "reading-list.md", tmp_path / "out", tmp_path / "refexport.lock", tmp_path / "overrides")
    bib = (tmp_path / "out" / "all.bib").read_text()
    assert "@inproceedings{dao2022flashattention," in bib and "booktitle = {Advances in Neural Information" in bib
    assert "eprint = {2205.14135}" in bib
    build(tmp_path / "reading-list.md", tmp_path / "short", tmp_path / "refexport.lock", tmp_path / "overrides", short_venues=True)
    short = (tmp_path / "short" / "all.bib").read_text()
    assert "booktitle = {NeurIPS 2022}" in short and "Advances in Neural" not in short  # --venue-names short


def test_decoys_workshops_and_other_peoples_papers_leave_the_preprint(tmp_path: Path, apis: FakeApis) -> None:
    lock = _resolve(tmp_path, apis)
    assert (lock[4]["record"]["type"], lock[4]["arxiv"]) == ("article", "2301.00002")  # the decoy is years later, by others
    assert (lock[5]["record"]["type"], lock[5]["arxiv"]) == ("article", "2302.00003")  # a workshop version
    assert all("custom" not in lock[n]["record"] or "dblp" not in lock[n]["record"]["custom"] for n in (4, 5))


def test_a_preprint_outside_computer_science_is_not_looked_for_on_dblp(tmp_path: Path, apis: FakeApis) -> None:
    lock = _resolve(tmp_path, apis)
    assert (lock[7]["record"]["type"], lock[7]["arxiv"]) == ("article", "2303.00004")
    assert not [s for s in apis.requests_to("/search/publ/api") if "jet" in s.query.get("q", "")]


def test_an_unresolved_conference_paper_is_found_on_dblp_by_title_year_and_venue(tmp_path: Path, apis: FakeApis) -> None:
    osdi = _resolve(tmp_path, apis)[6]
    assert (osdi["status"], osdi["record"]["type"], osdi["record"]["event-title"]) == ("resolved", "paper-conference", "OSDI 2022")
    assert [a["family"] for a in osdi["record"]["author"]] == ["Kim", "Lo"]


def test_dblp_asked_in_one_batch_at_its_pace_and_a_bad_answer_is_its_titles_reason(tmp_path: Path, apis: FakeApis) -> None:
    apis.script("/search/publ/api", [Scripted(429, "", {"Retry-After": "2"})] + [Scripted(200, "{not json")] * 4)
    lock = _resolve(tmp_path, apis)
    # The four titles dblp is asked about share one search: a 429 (its Retry-After honoured) and four bad
    # answers use up its five attempts; the physics preprint is not asked about.
    searches = apis.requests_to("/search/publ/api")
    assert len(searches) == 5 and len({s.query["q"] for s in searches}) == 1
    failed = [item for item in lock.values() if any(r.startswith("dblp not asked successfully") for r in item["reasons"])]
    assert len(failed) == 4 and all(item["ask_again"] for item in failed)
    assert {item["arxiv"] for item in failed} == {"2205.14135", "2301.00002", "2302.00003", None}  # the preprints kept
    again = _resolve(tmp_path, apis)  # asked again by the next run, which finds them
    assert (again[3]["record"]["custom"]["dblp"], again[6]["record"]["custom"]["dblp"]) == ("conf/nips/DaoFER22", "conf/osdi/Kim22")
    assert len(apis.requests_to("/search/publ/api")) == 5 + 1


def test_a_title_whose_batch_was_cut_short_is_asked_alone(tmp_path: Path, apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    from refexport.resolve.sources import dblp

    monkeypatch.setattr(dblp, "BATCH_HITS", 1)  # dblp sends one hit of the batch's several
    lock = _resolve(tmp_path, apis)
    assert (lock[3]["record"]["custom"]["dblp"], lock[6]["record"]["custom"]["dblp"]) == ("conf/nips/DaoFER22", "conf/osdi/Kim22")
    alone = [s.query["q"] for s in apis.requests_to("/search/publ/api") if "|" not in s.query["q"]]
    assert "pipelined cluster scheduling for training" in alone and "speculative decoding with tree drafts" in alone


def test_a_dblp_record_is_rejected_or_pinned_like_a_doi(tmp_path: Path, apis: FakeApis) -> None:
    from refexport.app import edit_override

    lock = _resolve(tmp_path, apis)
    assert lock[3]["record"]["custom"]["dblp"] == "conf/nips/DaoFER22"
    edit_override(tmp_path / "reading-list.md", tmp_path / "refexport.lock", tmp_path / "overrides", "3", dblp="DBLP:conf/nips/DaoFER22",
                  reject=True)
    assert 'reject_dblp = ["conf/nips/DaoFER22"]' in (tmp_path / "overrides" / "review.toml").read_text()
    update_lock(tmp_path / "reading-list.md", tmp_path / "refexport.lock", tmp_path / "overrides", local_settings(apis))
    flash = {i["line"]: i for i in json.loads((tmp_path / "refexport.lock").read_text())["items"]}[3]
    assert (flash["record"]["type"], flash["arxiv"]) == ("article", "2205.14135")  # asked again: back to the preprint
    # Pinned (the maintainer's word that the workshop paper is the one to cite): fetched by its key
    # from dblp's BibTeX export, no search.
    edit_override(tmp_path / "reading-list.md", tmp_path / "refexport.lock", tmp_path / "overrides", "5",
                  dblp="https://dblp.org/rec/conf/mlsys/WuN23w.bib")
    searches = len(apis.requests_to("/search/publ/api"))
    update_lock(tmp_path / "reading-list.md", tmp_path / "refexport.lock", tmp_path / "overrides", local_settings(apis))
    pinned = {i["line"]: i for i in json.loads((tmp_path / "refexport.lock").read_text())["items"]}[5]
    assert (pinned["status"], pinned["record"]["type"], pinned["record"]["custom"]["dblp"]) == ("override", "paper-conference", "conf/mlsys/WuN23w")
    assert pinned["origins"]["dblp"] == "pinned by an override"
    assert len(apis.requests_to("/search/publ/api")) == searches


def test_a_venue_named_in_words_agrees_with_dblp_s_acronym() -> None:
    from refexport.model import Record
    from refexport.venues import venue_agreement

    icml = Record(type="paper-conference", title="T", container_title="ICML")
    assert venue_agreement("International Conference on Machine Learning", "conference", icml)
    assert not venue_agreement("Empirical Methods in Natural Language Processing", "conference", icml)
