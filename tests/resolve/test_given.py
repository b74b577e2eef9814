"""Identifiers the list gives: looked up in batches, checked against the title, followed to the
other version, and flagged when they point elsewhere or nowhere; against the local server."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from refexport.app import build, lint_list, review, update_lock

from ..conftest import write_project
from ..fake_apis import FakeApis, Scripted, World, arxiv_entry, crossref_item, local_settings, serving

PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
ORCA = "Orca: A Distributed Serving System for Transformer-Based Generative Models"
LIST = """# Serving

- [Efficient memory management for large language model serving with PagedAttention](https://arxiv.org/abs/2309.06180) (SOSP 2023)
- [Orca: A Distributed Serving System for Transformer-Based Generative Models](https://doi.org/10.5555/orca.2022) (OSDI 2022)
- [A Dataset of Serving Traces](https://doi.org/10.5281/zenodo.1234567) (2024)
- [Fast inference from transformers via speculative decoding](https://arxiv.org/abs/2211.17192) (ICML 2023)
- [A Paper Whose Link Was Pasted Wrong](https://arxiv.org/abs/2309.06180) (NeurIPS 2023)
- [A Paper That Does Not Exist On arXiv](https://arxiv.org/abs/2401.99999) (2024)
- [A Paper With A Dead DOI](https://doi.org/10.9999/dead.1) (2024)
- A Paper Listed Without Any Link (ICML 2023)
"""


def world() -> World:
    return World(
        crossref=[
            crossref_item("10.1145/3600006.3613165", PAGED, [("Kwon", "Woosuk")], 2023,
                          container="Proceedings of the 29th Symposium on Operating Systems Principles"),
            crossref_item("10.5555/orca.2022", ORCA, [("Yu", "Gyeong-In")], 2022, container="OSDI 2022",
                          preprint="2209.00001"),
            crossref_item("10.1234/icml.2023.leviathan", "Fast Inference from Transformers via Speculative Decoding",
                          [("Leviathan", "Yaniv")], 2023, container="Proceedings of ICML 2023"),
        ],
        arxiv=[
            arxiv_entry("2309.06180", PAGED, ["Woosuk Kwon"], 2023, doi="10.1145/3600006.3613165"),
            arxiv_entry("2209.00001", ORCA, ["Gyeong-In Yu"], 2022),
            arxiv_entry("2211.17192", "Fast Inference from Transformers via Speculative Decoding", ["Yaniv Leviathan"], 2022),
        ],
        datacite=[{"doi": "10.5281/zenodo.1234567", "title": "A Dataset of Serving Traces", "authors": ["Doe, Jane"],
                   "year": 2024, "publisher": "Zenodo", "type": "misc"}],
    )


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    yield from serving(world())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, LIST)


def _resolve(project: Path, apis: FakeApis) -> dict[int, dict]:
    update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    return {item["line"]: item for item in json.loads((project / "refexport.lock").read_text())["items"]}


def test_confirmed_ids_are_followed_to_the_other_version_without_searching(project: Path, apis: FakeApis) -> None:
    lock = _resolve(project, apis)
    paged = lock[3]
    assert (paged["status"], paged["doi"], paged["arxiv"]) == ("resolved", "10.1145/3600006.3613165", "2309.06180")
    assert paged["origins"] == {"arxiv": "given by the list, confirmed", "doi": "named by the arXiv record"}
    orca = lock[4]
    assert (orca["doi"], orca["arxiv"]) == ("10.5555/orca.2022", "2209.00001")
    assert orca["origins"] == {"arxiv": "Crossref's has-preprint relation", "doi": "given by the list, confirmed"}
    searched = [seen.query["query.bibliographic"] for seen in apis.requests_to("/works") if seen.path == "/works"]
    assert not any("PagedAttention" in q or "Orca" in q for q in searched)  # no title search for them


def test_a_doi_crossref_does_not_hold_is_read_by_content_negotiation(project: Path, apis: FakeApis) -> None:
    zenodo = _resolve(project, apis)[5]
    assert (zenodo["status"], zenodo["doi"], zenodo["source"]) == ("resolved", "10.5281/zenodo.1234567", "doi.org")
    assert zenodo["record"]["author"] == [{"family": "Doe", "given": "Jane"}]
    assert apis.requests_to("/works/10.5281") and apis.requests_to("/doi/10.5281")


def test_a_preprint_is_followed_to_its_publication_by_a_title_search(project: Path, apis: FakeApis) -> None:
    speculative = _resolve(project, apis)[6]
    assert (speculative["doi"], speculative["arxiv"]) == ("10.1234/icml.2023.leviathan", "2211.17192")
    assert speculative["origins"]["doi"] == "found by title search"


def test_a_link_to_another_work_is_flagged_and_never_written(project: Path, apis: FakeApis) -> None:
    wrong = _resolve(project, apis)[7]
    assert wrong["status"] == "unresolved" and wrong["arxiv"] is None and wrong["doi"] is None
    (verdict,) = wrong["given"]
    assert verdict["identifier"] == "arXiv:2309.06180" and verdict["title"] == PAGED and not verdict["accepted"]
    listed, findings = lint_list(project / "reading-list.md", project / "refexport.lock", project / "overrides")
    messages = {f.line: f for f in findings if f.kind == "link to another work"}
    assert f"the link points to «{PAGED}», the list says «A Paper Whose Link Was Pasted Wrong»" in messages[7].message
    assert "refexport pin 7" in messages[7].fix
    flagged = {each.entry.item.line: each.flags for each in review(project / "reading-list.md", project / "refexport.lock", project / "overrides")}
    assert any("points to another work" in flag for flag in flagged[7])


def test_ids_that_do_not_exist_are_lint_findings(project: Path, apis: FakeApis) -> None:
    lock = _resolve(project, apis)
    assert lock[8]["arxiv"] is None and lock[9]["doi"] is None
    _, findings = lint_list(project / "reading-list.md", project / "refexport.lock", project / "overrides")
    missing = {f.line: f.message for f in findings if f.kind == "identifier not found"}
    assert "arXiv:2401.99999" in missing[8] and "doi:10.9999/dead.1" in missing[9]


def test_given_arxiv_ids_are_looked_up_many_per_request(project: Path, apis: FakeApis) -> None:
    _resolve(project, apis)
    lookups = [seen.query["id_list"].split(",") for seen in apis.requests_to("/api/query") if seen.query.get("id_list")]
    assert sorted(lookups[0]) == ["2211.17192", "2309.06180", "2401.99999"]


def test_a_build_without_a_lock_writes_the_lists_ids_and_says_so(project: Path) -> None:
    build(project / "reading-list.md", project / "out", project / "no.lock", project / "overrides")
    items = {item["title"]: item for item in json.loads((project / "out" / "all.json").read_text())}
    assert items["A Dataset of Serving Traces"]["DOI"] == "10.5281/zenodo.1234567"
    assert "2211.17192" in json.dumps(items["Fast inference from transformers via speculative decoding"])
    report = json.loads((project / "out" / "report.json").read_text())
    assert report["items"][0]["origins"] == {"arxiv": "given by the list, not checked"}


def test_content_negotiation_is_retried_like_every_source(project: Path, apis: FakeApis) -> None:
    apis.script("/doi/", [Scripted(503, "<html>busy</html>", {"Retry-After": "2"})])
    settings = local_settings(apis)
    result = update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", settings)
    assert result.statistics is not None and result.statistics.retries["doi.org"] >= 1
    lock = {item["line"]: item for item in json.loads((project / "refexport.lock").read_text())["items"]}
    assert lock[5]["doi"] == "10.5281/zenodo.1234567" and "ask_again" not in lock[5]


MISREAD = f"""# Serving

- **vLLM** "{PAGED}", *arXiv, Sep 2023*, [[Paper](https://arxiv.org/abs/2309.06180)]
- [Fast inference](https://arxiv.org/abs/2211.17192) from transformers via speculative decoding, our favourite
"""


def test_a_given_id_is_confirmed_by_the_span_that_matches_its_record_whatever_the_reader_chose(tmp_path: Path, apis: FakeApis) -> None:
    (tmp_path / "reading-list.md").write_text(MISREAD)
    lock = _resolve(tmp_path, apis)
    quoted, glued = lock[3], lock[4]
    assert (quoted["status"], quoted["arxiv"], quoted["record"]["title"]) == ("resolved", "2309.06180", PAGED)
    assert quoted["title_from"] == "quoted:0: it reads most like a title"  # the lock says which span, and why
    # The reader took the link text; the record's title stands whole in the line: the id is confirmed
    # and the record's title written, with the span that matched in the verdict.
    assert (glued["status"], glued["arxiv"]) == ("resolved", "2211.17192")
    assert glued["record"]["title"] == "Fast Inference from Transformers via Speculative Decoding"
    assert glued["given"][0]["accepted"] and "the title read from the entry's text" in glued["given"][0]["why"]


SPECINFER = "SpecInfer: Accelerating Generative Large Language Model Serving with Tree-based Speculative Inference and Verification"
RETITLED = """# Speculative decoding

- **SpecInfer: Accelerating Generative LLM Serving with Speculative Inference and Token Tree Verification**
  *Xupeng Miao, Gabriele Oliaro, Zhihao Zhang*. [[pdf](https://arxiv.org/pdf/2305.09781.pdf)]
- **Speculative Decoding: Performance or Illusion?**
  *Xiaoxuan Liu, Jiaxiang Yu, Ion Stoica*. [[pdf](https://arxiv.org/pdf/2505.13204)]
"""


def test_a_linked_record_retitled_since_is_confirmed_by_the_authors_a_wrong_link_is_not(tmp_path: Path) -> None:
    retitled = World(arxiv=[
        arxiv_entry("2305.09781", SPECINFER, ["Xupeng Miao", "Gabriele Oliaro", "Zhihao Zhang"], 2023),
        arxiv_entry("2505.13204", "Alignment-Augmented Speculative Decoding with Alignment Sampling and Conditional Verification",
                    ["Jikai Wang", "Zhenxu Tian"], 2025),
    ])
    (tmp_path / "reading-list.md").write_text(RETITLED)
    with FakeApis(retitled).running() as server:
        lock = _resolve(tmp_path, server)
    assert (lock[3]["arxiv"], lock[3]["record"]["title"]) == ("2305.09781", SPECINFER)
    assert "the link and 3 of the list's authors agree" in lock[3]["given"][0]["why"]
    assert lock[5]["arxiv"] is None and lock[5]["given"][0]["why"].startswith("the list's link points to another work")


def test_every_linked_preprint_is_looked_for_in_crossref_titles_in_batches(tmp_path: Path) -> None:
    # Shown with their year only, as lists show preprints: no sign they were published.
    text = """# Preprints

- [Sparse Routing for Mixture Models](https://arxiv.org/abs/2305.00001) (2023)
- [Quantized Caches for Long Contexts](https://arxiv.org/abs/2305.00002) (2023)
- [Prefix Sharing Across Many Requests](https://arxiv.org/abs/2305.00003) (2023)
"""
    world = World(
        crossref=[
            crossref_item("10.1145/routing.2024", "Sparse Routing for Mixture Models", [("Abe", "Ann")], 2024, container="ACM TOCS"),
            # The same title by other people: another work, not this preprint's publication.
            crossref_item("10.1016/caches.2024", "Quantized Caches for Long Contexts", [("Zed", "Zoe")], 2024, container="J. Other"),
        ],
        arxiv=[
            arxiv_entry("2305.00001", "Sparse Routing for Mixture Models", ["Ann Abe", "Bo Bee"], 2023),
            arxiv_entry("2305.00002", "Quantized Caches for Long Contexts", ["Cy Cole"], 2023),
            arxiv_entry("2305.00003", "Prefix Sharing Across Many Requests", ["Di Dunn"], 2023),
        ],
    )
    for apis in serving(world):
        project = write_project(tmp_path, text)
        lock = _resolve(project, apis)
        assert (lock[3]["doi"], lock[3]["arxiv"], lock[3]["origins"]["doi"]) == ("10.1145/routing.2024", "2305.00001", "found by title search")
        assert (lock[4]["doi"], lock[4]["arxiv"]) == (None, "2305.00002")
        assert (lock[5]["doi"], lock[5]["arxiv"]) == (None, "2305.00003")
        searches = [seen.query for seen in apis.requests_to("/works") if seen.path == "/works"]
        assert len(searches) == 1 and searches[0]["rows"] == "15"
        assert all(title in searches[0]["query.bibliographic"] for title in ("Sparse Routing", "Quantized Caches", "Prefix Sharing"))
