from pathlib import Path

import pytest

from refexport.assemble import assemble
from refexport.errors import OverrideError
from refexport.join import join
from refexport.lock import EMPTY
from refexport.model import Decision, Locked, LockFile, Name, Record, Status
from refexport.overrides import load_overrides, parse_overrides
from refexport.readinglist import parse_reading_list

from .conftest import OVERRIDES, REAL_LIST

LIST = """# Papers
- Efficient memory management for large language model serving with pagedattention[Proc.~ACM SOSP][2023]
- Attention is All you Need[Proc.~NeurIPS][2017]
- vLLM[Github][2023]
- Some preprint[arXiv][2024]
"""


def _build(text: str, rows: list[Locked] | None = None, list_text: str = LIST):
    overrides = parse_overrides(text, "overrides/x.toml")
    return assemble(join(parse_reading_list(list_text, "list.md"), LockFile(rows or []), overrides))


def _entry(bibliography, line: int):
    return next(e for e in bibliography.entries if e.item.line == line)


def _locked(title: str, record: Record, key: str = "locked2023key") -> list[Locked]:
    decision = Decision(status=Status.RESOLVED, record=record, source="crossref", confidence=0.99, reasons=("title match",))
    return [Locked(key=key, decision=decision, seed_title=title)]


def test_software_override_sets_type_url_and_owner() -> None:
    bib = _build('[[override]]\nmatch_title = "VLLM"\ntype = "software"\nurl = "https://github.com/vllm-project/vllm"\n'
                 'authors = ["vLLM Project", "Kwon, Woosuk"]\n')
    entry = _entry(bib, 4)
    assert entry.decision.status is Status.OVERRIDE
    assert entry.decision.source == "override:overrides/x.toml:1"
    assert entry.decision.record.type == "software"
    assert entry.decision.record.url == "https://github.com/vllm-project/vllm"
    assert entry.decision.record.authors == (Name(literal="vLLM Project"), Name("Kwon", "Woosuk"))


def test_selection_ignores_case_punctuation_and_latex() -> None:
    bib = _build('[[override]]\nmatch_title = "attention is all you need!"\ndoi = "https://doi.org/10.5555/3295222.3295349"\n')
    assert _entry(bib, 3).decision.record.doi == "10.5555/3295222.3295349"


def test_override_beats_the_lock_and_drops_metadata_of_another_work() -> None:
    wrong = Record(type="article-journal", title="Another paper", authors=(Name("Wrong", "W"),), year=2020, doi="10.1234/wrong")
    lock = _locked("Attention is All you Need", wrong)
    bib = _build('[[override]]\nmatch_title = "Attention is All you Need"\ndoi = "10.5555/3295222.3295349"\n', lock)
    decision = _entry(bib, 3).decision
    assert decision.status is Status.OVERRIDE
    assert decision.record.doi == "10.5555/3295222.3295349"
    assert decision.record.title == "Attention is All you Need" and decision.record.authors == ()
    assert any("metadata not yet fetched" in reason for reason in decision.reasons)


def test_override_keeps_lock_metadata_of_the_same_work() -> None:
    right = Record(type="paper-conference", title="Attention is all you need", authors=(Name("Vaswani", "Ashish"),), year=2017, doi="10.5555/3295222.3295349")
    lock = _locked("Attention is All you Need", right, key="vaswani2017attention")
    bib = _build('[[override]]\nmatch_title = "Attention is All you Need"\ndoi = "10.5555/3295222.3295349"\nnote = "checked"\n', lock)
    entry = _entry(bib, 3)
    assert entry.decision.record.authors == (Name("Vaswani", "Ashish"),)
    assert entry.decision.record.note == "checked"
    assert entry.key == "vaswani2017attention"


def test_reject_doi_removes_a_locked_match() -> None:
    wrong = Record(type="article-journal", title="Attention", year=2017, doi="10.1234/wrong")
    bib = _build('[[override]]\nmatch_title = "Attention is All you Need"\nreject_doi = ["10.1234/WRONG"]\n', _locked("Attention is All you Need", wrong))
    decision = _entry(bib, 3).decision
    assert decision.record.doi == "" and decision.status is Status.UNRESOLVED
    assert any("rejected by overrides/x.toml:1" in reason for reason in decision.reasons)


def test_skip_and_prefer_preprint() -> None:
    published = Record(type="paper-conference", title="Efficient memory management", year=2023, doi="10.1145/3600006.3613165",
                       container_title="SOSP", arxiv="2309.06180", arxiv_class="cs.LG")
    lock = _locked("Efficient memory management for large language model serving with pagedattention", published)
    text = (
        '[[override]]\nmatch_title = "Efficient memory management for large language model serving with pagedattention"\n'
        'prefer = "preprint"\n\n[[override]]\nmatch_title = "Some preprint"\nskip = true\n'
    )
    bib = _build(text, lock)
    preprint = _entry(bib, 2).decision.record
    assert preprint.is_preprint and preprint.doi == "" and preprint.publisher == "arXiv" and preprint.arxiv == "2309.06180"
    assert _entry(bib, 5).decision.status is Status.SKIPPED


def test_match_key_selects_by_the_key_before_the_override() -> None:
    bib = _build('[[override]]\nmatch_key = "attention2017all"\nyear = 2018\n')
    entry = _entry(bib, 3)
    assert entry.decision.record.year == 2018
    assert entry.decision.status is Status.UNRESOLVED  # a year alone does not settle what the work is


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[override]]\nmatch_title = "vLLM"\nurll = "x"\n', 3, "unknown field 'urll'"),
        ('[[override]]\nmatch_title = "vLLM"\ndoi = "not-a-doi"\n', 3, "not a DOI"),
        ('[[override]]\nmatch_title = "vLLM"\narxiv = "12345"\n', 3, "not an arXiv id"),
        ('[[override]]\nmatch_title = "vLLM"\ntype = "blog"\n', 3, "type must be one of"),
        ('[[override]]\nmatch_title = "vLLM"\nurl = "ftp://x"\n', 3, "url must be an http(s) address"),
        ('[[override]]\nmatch_title = "vLLM"\nyear = "2023"\n', 3, "year must be a whole number"),
        ('[[override]]\nmatch_title = "vLLM"\nauthors = "Kwon"\n', 3, "authors must be a list"),
        ('[[override]]\nmatch_title = "vLLM"\nskip = "yes"\n', 3, "skip must be true or false"),
        ('[[override]]\nmatch_title = "vLLM"\nprefer = "newest"\n', 3, "prefer must be one of"),
        ('[[override]]\nmatch_title = "vLLM"\nreject_doi = [1]\n', 3, "reject_doi must be a string or a list"),
        ('[[override]]\nmatch_title = "vLLM"\nvenue = "A"\ncontainer = "B"\n', 4, "venue or container, not both"),
        ('\n[[override]]\nmatch_title = "vLLM"\nmatch_key = "k"\ntype = "software"\n', 2, "exactly one of match_title or match_key"),
        ('[[override]]\ntype = "software"\n', 1, "exactly one of match_title or match_key"),
        ('[[override]]\nmatch_title = "vLLM"\n', 1, "changes nothing"),
        ('[[override]]\nmatch_title = "vLLM"\ntype = software\n', 3, "not valid TOML"),
        ('[other]\nx = 1\n', 1, "unknown table 'other'"),
        ('[[override]]\nmatch_title = "vLLM"\ntype = "software"\n\n[[override]]\nmatch_title = "x"\nnote = 5\n', 7, "note must be a non-empty string"),
    ],
)
def test_bad_override_files_name_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(OverrideError) as error:
        parse_overrides(text, "overrides/bad.toml")
    assert error.value.path == "overrides/bad.toml"
    assert error.value.line == line
    assert message in str(error.value)
    assert str(error.value).startswith(f"overrides/bad.toml:{line}: ")


def test_an_override_that_selects_nothing_is_an_error() -> None:
    with pytest.raises(OverrideError, match=r"overrides/x.toml:3: selects no item of the list \(title 'no such paper'\)"):
        _build('# stale\n\n[[override]]\nmatch_title = "No such paper"\nnote = "x"\n')


def test_two_overrides_for_one_item_is_an_error() -> None:
    text = '[[override]]\nmatch_title = "vLLM"\ntype = "software"\n\n[[override]]\nmatch_key = "vllm2023"\nnote = "x"\n'
    with pytest.raises(OverrideError, match=r"overrides/x.toml:5: line 4 of the list is already overridden at overrides/x.toml:1"):
        _build(text)


def test_files_are_read_in_name_order_and_non_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text('[[override]]\nmatch_title = "B"\nnote = "b"\n')
    (tmp_path / "a.toml").write_text('[[override]]\nmatch_title = "A"\nnote = "a"\n')
    (tmp_path / "ignored.txt").write_text("not toml")
    assert [o.match_title for o in load_overrides(tmp_path)] == ["a", "b"]
    (tmp_path / "c.toml").write_bytes(b'[[override]]\nmatch_title = "\xff"\n')
    with pytest.raises(OverrideError, match="c.toml:1: not UTF-8"):
        load_overrides(tmp_path)
    assert load_overrides(tmp_path / "missing") == []


def test_the_projects_own_overrides_select_real_items() -> None:
    overrides = load_overrides(OVERRIDES)
    bib = assemble(join(parse_reading_list(REAL_LIST.read_text(encoding="utf-8")), EMPTY, overrides))
    settled = [e for e in bib.entries if e.decision.status is Status.OVERRIDE]
    assert len(settled) == len(overrides)
    venues = {e.item.venue.lower() for e in bib.entries if e.item.venue.lower() in ("github", "webpage", "hugging face")}
    software_or_web = [e for e in bib.entries if e.item.venue.lower() in venues]
    assert all(e.decision.record.type in ("software", "webpage", "post-weblog", "report") for e in software_or_web)
    assert all(e.decision.record.authors for e in settled)
