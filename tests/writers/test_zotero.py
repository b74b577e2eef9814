"""What Zotero's own importers do with each field, as measured on this project's files (the team's
notes on Zotero's translators), held as tests: a change that would break a Zotero import fails
here. Run on the small demo project of the golden files (tests/golden/demo)."""

import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy

from refexport.app import build

from ..conftest import DEMO

DANGLING = re.compile(r"\b(?:of|the|on|for|and|in|at|to|a|an|with)$", re.I)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zotero")
    build(DEMO / "reading-list.md", folder, DEMO / "refexport.lock", DEMO / "overrides")
    return folder


def _csl(out: Path) -> list[dict]:
    return json.loads((out / "all.json").read_text(encoding="utf-8"))


def test_csl_json_never_holds_a_software_item(out: Path) -> None:
    # One `software` item makes Zotero refuse the whole CSL-JSON file.
    assert all(item["type"] != "software" for item in _csl(out))
    assert any(item.get("genre") == "Software" for item in _csl(out))


def test_csl_json_preprints_are_what_zotero_imports_as_preprints(out: Path) -> None:
    preprints = [item for item in _csl(out) if item["type"] == "article" and "number" in item]
    assert preprints
    for item in preprints:
        assert re.fullmatch(r"arXiv:\d{4}\.\d{4,5}", item["number"]) and item["publisher"] == "arXiv"


def test_conference_papers_carry_a_whole_conference_name_where_zotero_reads_it(out: Path) -> None:
    # CSL-JSON: Zotero's Conference Name comes only from event-title; RIS: from T2 of a CONF record.
    papers = [item for item in _csl(out) if item["type"] == "paper-conference"]
    named = [item for item in papers if item.get("event-title")]
    assert len(named) >= len([p for p in papers if p.get("container-title", "").startswith("Proceedings of")])
    assert not [item["event-title"] for item in named if DANGLING.search(item["event-title"])]
    conference = [r for r in rispy.loads((out / "all.ris").read_text(encoding="utf-8")) if r["type_of_reference"] == "CONF"]
    assert len(conference) == len(papers) and all(r.get("secondary_title") for r in conference if r.get("custom3"))


def test_sections_reach_zotero_as_tags_from_ris_and_bibtex(out: Path) -> None:
    # RIS KW and BibTeX keywords become tags; Zotero's CSL-JSON importer reads no keyword, which
    # is why each section also has its own file.
    for record in rispy.loads((out / "all.ris").read_text(encoding="utf-8")):
        assert record.get("keywords")
    for entry in bibtexparser.parse_string((out / "all.bib").read_text(encoding="utf-8")).entries:
        assert "keywords" in entry.fields_dict
    assert (out / "serving-systems.json").is_file() and (out / "attention-memory.json").is_file()


def test_no_name_keeps_tex_or_a_doubled_letter_from_it(out: Path) -> None:
    for item in _csl(out):
        for name in item.get("author", []):
            text = " ".join(name.values())
            assert "\\" not in text and not re.search(r"(?<![A-Za-z])[a-z]?cc[a-z]*ois", text), text


def test_a_paper_found_on_dblp_reaches_zotero_as_a_conference_paper_with_its_conference_name() -> None:
    from refexport.model import Name, Record, Work
    from refexport.writers import CSLJSON, RIS

    # The record a dblp match writes: the proceedings title, the event, pages, the arXiv id kept.
    record = Record(type="paper-conference", title="FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
                    authors=(Name("Dao", "Tri"),), year=2022, page="16344-16359", arxiv="2205.14135", dblp="conf/nips/DaoFERR22",
                    container_title="Advances in Neural Information Processing Systems 35", event_title="NeurIPS 2022")
    work = Work(key="dao2022flashattention", record=record, sections=("S",))
    item = json.loads(CSLJSON.file([work]))[0]
    assert (item["type"], item["event-title"], item["container-title"]) == ("paper-conference", "NeurIPS 2022", record.container_title)
    assert item["archive_location"] == "arXiv:2205.14135" and "custom" not in item
    ris = rispy.loads(RIS.file([work]))[0]
    assert (ris["type_of_reference"], ris["secondary_title"]) == ("CONF", "NeurIPS 2022")
