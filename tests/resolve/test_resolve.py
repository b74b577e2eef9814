"""Resolution end to end: the real client code against a local server in Crossref's and arXiv's shapes."""

import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from refexport.app import build, update_lock
from refexport.cli import cli
from refexport.resolve.settings import Settings

from ..conftest import write_project
from ..fake_apis import FakeApis, Scripted, VirtualClock, World, arxiv_entry, crossref_item, local_settings, serving

LIST = """# Serving
- Efficient memory management for large language model serving with pagedattention[Proc.~ACM SOSP][2023]
- Fast inference from transformers via speculative decoding[ICML][2023]
- Orca: A distributed serving system for transformer-based generative models[Proc.~USENIX OSDI][2022]
- Splitwise: Efficient generative llm inference using phase splitting[arXiv][2023]
- vLLM[Github][2023]
- Attention is all you need[NeurIPS][2017]
- Scaling laws for everything[arXiv][2020]
- Efficient memory management for large language model serving with pagedattention[arXiv][2023]
"""
OVERRIDES = """
[[override]]
match_title = "vLLM"
type = "software"
url = "https://github.com/vllm-project/vllm"

[[override]]
match_title = "Attention is all you need"
doi = "10.5555/3295222.3295349"
"""
PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
SPLITWISE = "Splitwise: Efficient Generative LLM Inference Using Phase Splitting"


def world() -> World:
    return World(
        crossref=[
            crossref_item("10.1145/3600006.3613165", PAGED, [("Kwon", "Woosuk"), ("Li", "Zhuohan")], 2023,
                          container="Proceedings of the 29th Symposium on Operating Systems Principles", event="SOSP '23: 29th Symposium"),
            crossref_item("10.1145/9999.0001", "Orca: A Modular Query Optimizer Architecture for Big Data", [("Soliman", "M.")], 2014,
                          container="Proceedings of SIGMOD"),
            dict(crossref_item("10.1109/isca59077.2024.00019", SPLITWISE, [("Patel", "Pratyush")], 2024,
                               container="2024 ACM/IEEE 51st Annual International Symposium on Computer Architecture (ISCA)"),
                 unsearchable=True),
            crossref_item("10.5555/3295222.3295349", "Attention is All you Need", [("Vaswani", "Ashish")], 2017,
                          container="Advances in Neural Information Processing Systems"),
        ],
        arxiv=[
            arxiv_entry("2309.06180", PAGED, ["Woosuk Kwon", "Zhuohan Li"], 2023, category="cs.LG"),
            arxiv_entry("2211.17192", "Fast Inference from Transformers via Speculative Decoding", ["Yaniv Leviathan"], 2022, version=2),
            arxiv_entry("2311.18677", SPLITWISE, ["Pratyush Patel"], 2023, doi="10.1109/ISCA59077.2024.00019", category="cs.AR"),
            arxiv_entry("2001.00001", "Scaling Laws for Everything", ["Ann Smith"], 2020),
            arxiv_entry("2001.00002", "Scaling Laws for Everything", ["Bo Jones"], 2020),
        ],
    )


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    yield from serving(world())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, LIST, OVERRIDES)


def _settings(apis: FakeApis, **changes: object) -> Settings:
    return local_settings(apis, mailto="me@example.org", **changes)


def _resolve(project: Path, settings: Settings):
    return update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", settings)


def _lock(project: Path) -> dict[int, dict]:
    return {item["line"]: item for item in json.loads((project / "refexport.lock").read_text())["items"]}


def test_every_item_is_decided_with_its_reasons(project: Path, apis: FakeApis) -> None:
    result = _resolve(project, _settings(apis))
    lock = _lock(project)
    got = {line: (item["status"], item["doi"], item["arxiv"]) for line, item in lock.items()}
    assert got == {
        2: ("resolved", "10.1145/3600006.3613165", "2309.06180"),  # published, with its preprint
        3: ("resolved", None, "2211.17192"),  # on arXiv only (its year is one off the list's)
        4: ("unresolved", None, None),  # a near miss is not a match
        5: ("resolved", "10.1109/isca59077.2024.00019", "2311.18677"),  # the DOI the arXiv record names
        6: ("override", None, None),  # software: not searched
        7: ("override", "10.5555/3295222.3295349", None),  # pinned: looked up, not searched
        8: ("unresolved", None, None),  # two preprints by different authors share the title
        9: ("resolved", "10.1145/3600006.3613165", "2309.06180"),  # the same work again
    }
    assert lock[2]["key"] == lock[9]["key"] == "kwon2023efficient"
    assert lock[2]["record"]["container-title"] == "Proceedings of the 29th Symposium on Operating Systems Principles"
    assert lock[2]["record"]["custom"] == {"arxiv": "2309.06180", "arxiv-class": "cs.LG"}
    assert lock[2]["source"] == "crossref+arxiv" and lock[2]["confidence"] == 1.0
    orca = lock[4]["candidates"][0]
    assert (orca["identifier"], orca["accepted"], orca["why"]) == ("doi:10.1145/9999.0001", False, "year 2014 is 8 years from the list's 2022")
    assert lock[4]["searched"] == [
        "crossref: Orca: A distributed serving system for transformer-based generative models Proc. USENIX OSDI 2022",
        'arxiv: ti:"Orca A distributed serving system for transformer based generative models"',
    ]
    assert [c["identifier"] for c in lock[2]["candidates"]] == ["doi:10.1145/3600006.3613165", "arXiv:2309.06180"]
    assert any("several different works fit equally well" in r for r in lock[8]["reasons"])
    assert lock[8]["ambiguous"] == ["arxiv"] and "ambiguous" not in lock[2]
    assert not any("ask_again" in item for item in lock.values())
    assert any("named by the arXiv record" in r for r in lock[5]["reasons"])
    assert lock[7]["record"]["author"] == [{"family": "Vaswani", "given": "Ashish"}]
    assert result.asked == 6


def test_requests_are_few_batched_and_well_formed(project: Path, apis: FakeApis) -> None:
    _resolve(project, _settings(apis))
    searches = apis.requests_to("/works")
    searched = [s.query["query.bibliographic"] for s in searches if s.path == "/works"]
    assert len(searched) == 5 and not any("vLLM" in q or "Attention" in q for q in searched)
    assert "Efficient memory management for large language model serving with pagedattention Proc. ACM SOSP 2023" in searched
    lookups = sorted(s.path for s in searches if s.path != "/works")
    assert lookups == ["/works/10.1109/isca59077.2024.00019", "/works/10.5555/3295222.3295349"]
    assert not any("10.48550" in s.path for s in searches)
    arxiv = [s.query["search_query"] for s in apis.requests_to("/api/query")]
    assert len(arxiv) == 2 and arxiv[0].count(" OR ti:") == 4
    # Titles found nowhere are asked again in a smaller batch.
    assert arxiv[1] == 'ti:"Scaling laws for everything" OR ti:"Orca A distributed serving system for transformer based generative models"'
    assert all("mailto:me@example.org" in s.headers["User-Agent"] for s in apis.seen)


def test_a_complete_lock_asks_nothing_and_builds_offline(project: Path, apis: FakeApis) -> None:
    _resolve(project, _settings(apis))
    before = (project / "refexport.lock").read_bytes()
    asked = len(apis.seen)
    again = _resolve(project, _settings(apis))
    assert again.asked == 0 and again.statistics is None and len(apis.seen) == asked
    assert (project / "refexport.lock").read_bytes() == before
    result = build(project / "reading-list.md", project / "out", project / "refexport.lock", project / "overrides")
    bib = (project / "out" / "serving.bib").read_text()
    assert "doi = {10.1145/3600006.3613165}" in bib and "eprint = {2211.17192}" in bib
    assert result.summary.statuses == {"resolved": 4, "override": 2, "unresolved": 2, "skipped": 0}


def test_faults_on_the_way_give_the_same_lock(project: Path, apis: FakeApis, tmp_path: Path) -> None:
    _resolve(project, _settings(apis))
    clean = (project / "refexport.lock").read_bytes()
    (project / "refexport.lock").unlink()
    apis.script("/works", [Scripted(503, "<html>upstream error</html>"), Scripted(200, "", fault="reset"),
                           Scripted(429, "<html>slow down</html>", {"Retry-After": "0"})])
    apis.script("/api/query", [Scripted(200, '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>', fault=""),
                               Scripted(502, "<html>bad gateway</html>")])
    result = _resolve(project, _settings(apis))
    assert (project / "refexport.lock").read_bytes() == clean
    assert result.statistics is not None and result.statistics.retries["crossref"] >= 3 and result.statistics.retries["arxiv"] == 2


def test_refresh_asks_again_and_keeps_keys(project: Path, apis: FakeApis) -> None:
    _resolve(project, _settings(apis))
    before = _lock(project)
    asked = len(apis.seen)
    _resolve(project, _settings(apis, refresh=True))
    assert len(apis.seen) > asked
    assert {line: item["key"] for line, item in _lock(project).items()} == {line: item["key"] for line, item in before.items()}


def test_an_unreachable_source_ends_the_run_quickly_and_is_asked_again_next_time(project: Path, apis: FakeApis) -> None:
    with FakeApis().running() as gone:
        closed = gone.url
    result = _resolve(project, _settings(apis, urls={"crossref": closed}))
    assert tuple(result.unreachable) == ("crossref",) and "connections in a row failed" in result.unreachable["crossref"]
    lock = _lock(project)
    assert lock[3]["arxiv"] == "2211.17192" and lock[3]["source"] == "arxiv" and lock[3]["ask_again"] is True
    assert lock[4]["source"] == "search" and lock[4]["ask_again"] is True
    assert any("crossref" in r and "in a row failed" in r for r in lock[4]["reasons"])
    assert lock[7]["status"] == "override" and lock[7]["ask_again"] is True  # the pinned DOI's metadata, not fetched
    again = _resolve(project, _settings(apis))
    assert again.asked == 6 and not again.unreachable
    assert _lock(project)[7]["record"]["author"] == [{"family": "Vaswani", "given": "Ashish"}]
    assert _lock(project)[2]["doi"] == "10.1145/3600006.3613165"


def test_the_cli_resolves_with_urls_from_the_environment(project: Path, apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    clock = VirtualClock()
    monkeypatch.setattr("refexport.resolve.settings.Settings", partial(Settings, clock=clock.now, sleep=clock.sleep))
    env = {"REFEXPORT_CROSSREF_URL": apis.url, "REFEXPORT_ARXIV_URL": apis.url + "/api/query", "REFEXPORT_DBLP_URL": apis.url,
           "REFEXPORT_MAILTO": "cli@example.org"}
    result = CliRunner().invoke(cli, ["resolve", "--no-cache"], env=env)
    assert result.exit_code == 0, result.output
    assert "Asked about 6 works: 4 resolved, 2 unresolved" in result.output
    assert re.search(r"crossref: 7 requests \(2 by identifier\), [\d.]+ s an answer, 0 retries, 0 from cache, 0 failures", result.output)
    assert re.search(r"arxiv: 2 requests \(0 by identifier\), [\d.]+ s an answer, 0 retries", result.output)
    assert "Wrote refexport.lock." in result.output
    assert all("mailto:cli@example.org" in s.headers["User-Agent"] for s in apis.seen)
    second = CliRunner().invoke(cli, ["resolve"], env=env)
    assert "refexport.lock is complete: nothing to ask." in second.output
