"""Every answer is checked at its source adapter before it is used: an answer of the wrong shape,
or the record of another identifier than the one asked, is that item's failure with a reason;
the rest of the run goes on, and the lock still reads and builds."""

import json
from pathlib import Path

from refexport.app import build, read_lock, update_lock

from ..conftest import write_project
from ..fake_apis import FakeApis, Scripted, World, crossref_item, local_settings

LIST = """# Papers

- [Serving Large Models Fast](https://doi.org/10.1145/1.2) (2023)
- [Caching Prompts for Reuse](https://doi.org/10.1145/3.4) (2024)
- [A Dataset of Serving Traces](https://doi.org/10.5281/zenodo.1234567) (2024)
"""


def _world() -> World:
    return World(crossref=[crossref_item("10.1145/1.2", "Serving Large Models Fast", [("Kwon", "Woosuk")], 2023),
                           crossref_item("10.1145/3.4", "Caching Prompts for Reuse", [("Lee", "Ann")], 2024)])


def _resolve(project: Path, apis: FakeApis) -> dict[int, dict]:
    update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    read_lock(project / "refexport.lock")
    build(project / "reading-list.md", project / "out", project / "refexport.lock", project / "overrides")
    return {item["line"]: item for item in json.loads((project / "refexport.lock").read_text())["items"]}


def _work(doi: str, **fields: object) -> Scripted:
    item = {"DOI": doi, "title": ["Serving Large Models Fast"], "type": "journal-article", **fields}
    return Scripted(200, json.dumps({"status": "ok", "message": item}))


def test_answers_of_the_wrong_shape_are_their_items_failure_and_the_run_goes_on(tmp_path: Path) -> None:
    with FakeApis(_world()).running() as apis:
        apis.script("/works/10.1145/1.2", [_work("10.1145/1.2", relation=["x"], author=[{"family": 5}])] * 5)
        apis.script("/doi/10.5281", [Scripted(200, "@misc{x, title={A Dataset of Serving Traces}, doi={10.9999/{}\\input{/etc/passwd}}}")] * 5)
        lock = _resolve(write_project(tmp_path, LIST), apis)
    assert lock[4]["doi"] == "10.1145/3.4" and lock[4]["status"] == "resolved"  # the rest of the run
    assert lock[3]["ask_again"] and lock[3]["origins"] == {"doi": "given by the list, not checked"}  # kept as the list gives it
    assert any("wrong shape" in reason for reason in lock[3]["reasons"])
    assert lock[5]["ask_again"] and any("no DOI" in reason for reason in lock[5]["reasons"])
    assert "input" not in json.dumps([item["record"] for item in lock.values()])  # only its reason names it


def test_the_record_of_another_doi_is_not_the_record_of_the_one_asked(tmp_path: Path) -> None:
    with FakeApis(_world()).running() as apis:
        apis.script("/works/10.1145/1.2", [_work("10.1145/9.9")])
        lock = _resolve(write_project(tmp_path, LIST), apis)
    assert lock[3]["origins"] == {"doi": "given by the list, not checked"} and lock[3]["ask_again"]
    assert "9.9" not in json.dumps(lock[3]["record"])  # never written as the other DOI's record
    assert any("asked for 10.1145/1.2, answered with the record of doi:10.1145/9.9" in r for r in lock[3]["reasons"])


def test_identifiers_inside_answers_are_checked_as_the_list_s_are() -> None:
    from refexport.identifiers import arxiv_of_doi
    from refexport.resolve.sources.arxiv import parse_feed
    from refexport.resolve.sources.dblp import parse_search

    assert arxiv_of_doi("10.48550/arXiv.2309.06180") == "2309.06180"
    assert arxiv_of_doi("10.48550/arXiv.{}\\input{/etc/passwd}") == ""
    feed = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            "<entry><id>http://arxiv.org/abs/2309.06180v1</id><title>T</title><published>2023-09-12</published>"
            "<arxiv:doi>10.1145/{}\\input{x}</arxiv:doi></entry></feed>")
    (entry,) = parse_feed(feed)
    assert entry.linked_doi == ""
    hit = {"result": {"hits": {"hit": [{"info": {"key": "conf/x/Y23", "title": "T.", "type": "Conference and Workshop Papers",
                                                 "venue": "X", "year": "2023", "doi": "10.48550/arXiv.{}\\input"}}]}}}
    (found,) = parse_search(json.dumps(hit))
    assert (found.record.arxiv, found.record.doi) == ("", "")
