"""The maintainer's loop: review, lint, pin/reject/skip, and the change report of a refresh."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from refexport.app import build, read_list, read_lock, update_lock
from refexport.assemble import assemble
from refexport.cli import cli
from refexport.errors import OverrideError
from refexport.join import join
from refexport.maintain.changes import compare, render_changes
from refexport.maintain.review import lint, to_review
from refexport.model import Decision, Locked, LockFile, Name, Record, Status
from refexport.overrides import load_overrides
from refexport.readinglist import parse_reading_list

from ..fake_apis import FakeApis, World, arxiv_entry, crossref_item, local_settings, serving

PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"


def _locked(title: str, record: Record, key: str, confidence: float = 1.0, status: Status = Status.RESOLVED) -> list[Locked]:
    decision = Decision(status=status, record=record, source="crossref", confidence=confidence, reasons=("test",))
    return [Locked(key=key, decision=decision, seed_title=title)]


def _paper(**changes: object) -> Record:
    base = Record(type="paper-conference", title=PAGED, authors=(Name("Kwon", "Woosuk"),), year=2023,
                  container_title="Proceedings of the 29th Symposium on Operating Systems Principles",
                  event_title="SOSP '23", doi="10.1145/3600006.3613165")
    return base.with_changes(**changes)


def _bibliography(text: str, rows: list[Locked]):
    listed = parse_reading_list(text, "list.md")
    return listed, assemble(join(listed, LockFile(rows), []))


def test_review_flags_each_kind_of_doubt() -> None:
    text = (
        "# S\n- Efficient memory management for large language model serving with pagedattention[ICML][2022]\n"
        "- Efficient memory management for large language model serving with pagedattention again[arXiv][2023]\n"
        "- Nothing known[arXiv][2023]\n"
        "- Sure thing[Proc. ACM SOSP][2023]\n"
    )
    lock = (_locked("Efficient memory management for large language model serving with pagedattention", _paper(), "kwon2023efficient")
            + _locked("Efficient memory management for large language model serving with pagedattention again", _paper(), "kwon2023efficient", 0.9)
            + _locked("Sure thing", _paper(title="Sure Thing"), "kwon2023sure"))
    _, bibliography = _bibliography(text, lock)
    flagged = {each.entry.item.line: each.flags for each in to_review(bibliography)}
    assert flagged[2] == (
        "venue differs: the list says 'ICML', the record 'Proceedings of the 29th Symposium on Operating Systems Principles'",
        "year differs: the list says 2022, the record 2023",
    )
    assert flagged[3] == (
        "low confidence (0.90)",
        f"title differs: the record's is {PAGED!r}",
        "preprint upgraded to its published version 10.1145/3600006.3613165",
    )
    assert flagged[4] == ("unresolved: not in the lock: written from what the list says",)
    assert 5 not in flagged


def test_lint_says_what_to_change_on_which_line() -> None:
    text = (
        "# S\n- Efficient memory management for large language model serving with pagedattention[Proc.~ICML][2022]\n"
        "- Paged attention again[arXiv][2023]\n"
        "- Some paper[OSP][2020]\n"
        "- A tool[arXiv][2023]\n"
        "- Zzzz qqqq[arXiv][2023]\n"
        "this line is prose\n"
    )
    lock = (_locked("Efficient memory management for large language model serving with pagedattention", _paper(), "kwon2023efficient")
            + _locked("Paged attention again", _paper(), "kwon2023efficient")
            + _locked("A tool", Record(type="software", title="A tool", url="https://github.com/a/tool"), "tool2023", status=Status.OVERRIDE)
            + [Locked(key="zzzz2023qqqq", seed_title="Zzzz qqqq", decision=Decision(
                status=Status.UNRESOLVED, record=Record(type="article", title="Zzzz qqqq"), source="search",
                reasons=("no candidate accepted",)))])
    listed, bibliography = _bibliography(text, lock)
    findings = [(f.line, f.kind, f.fix) for f in lint(listed, bibliography)]
    assert findings == [
        (2, "garbled venue", "write [Proc. ICML]"),
        (2, "wrong venue", "write [Proceedings of the 29th Symposium on Operating Systems Principles]"),
        (2, "wrong year", "write [2023]"),
        (3, "duplicate", "remove one of the two lines (keep the one in the section it belongs to)"),
        (3, "published preprint", "write [Proceedings of the 29th Symposium on Operating Systems Principles]"),
        (4, "unknown venue", "write the conference or journal name, or arXiv, GitHub or Webpage"),
        (5, "not a paper", "write [GitHub] for code or [Webpage] for a page"),
        (6, "matches nothing", "check the title against the paper; it may be misspelt or a bad citation"),
        (7, "unreadable line", "write it as an entry (a list item or table row with a title), a heading or a label"),
    ]


def test_lint_names_an_entry_whose_title_the_reader_is_unsure_of() -> None:
    listed, bibliography = _bibliography("# S\n- **Speculative Decoding Made Simple** [Drafting Tokens Ahead of Time](https://example.org/a)\n", [])
    unsure = [f for f in lint(listed, bibliography) if f.kind == "unsure title"]
    assert [(f.line, f.fix) for f in unsure] == [
        (2, "write the title alone as the link's text or in bold: [Speculative Decoding Made Simple](…) or **Speculative Decoding Made Simple**")
    ]
    assert "it could be 'Drafting Tokens Ahead of Time'" in unsure[0].message


def test_lint_and_review_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reading-list.md").write_text("# S\n- A paper[Proc.~ICML][2020]\n")
    runner = CliRunner()
    lint_run = runner.invoke(cli, ["lint", "--strict"])
    assert lint_run.exit_code == 3
    assert "reading-list.md:2: garbled venue: the venue 'Proc.~ICML' carries LaTeX; write [Proc. ICML]." in lint_run.output
    assert runner.invoke(cli, ["lint"]).exit_code == 0
    review = runner.invoke(cli, ["review"])
    assert review.exit_code == 0
    assert "line 2  paper2020  [unresolved]\n  - A paper[Proc.~ICML][2020]\n  ! unresolved: not in the lock" in review.output


WORLD = World(
    crossref=[crossref_item("10.1145/3600006.3613165", PAGED, [("Kwon", "Woosuk")], 2023, container="SOSP"),
              crossref_item("10.1145/1111.2222", PAGED, [("Kwon", "Woosuk")], 2023, container="SOSP Companion")],
    arxiv=[arxiv_entry("2309.06180", PAGED, ["Woosuk Kwon"], 2023)],
)
LIST = "# S\n- Efficient memory management for large language model serving with pagedattention[Proc.~ACM SOSP][2023]\n- Other paper[arXiv][2023]\n"


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    yield from serving(WORLD)


def _project(tmp_path: Path) -> Path:
    (tmp_path / "reading-list.md").write_text(LIST)
    (tmp_path / "overrides").mkdir()
    return tmp_path


def _resolve(project: Path, apis: FakeApis, **changes: object):
    settings = local_settings(apis, **changes)
    return update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", settings,
                       changes_path=project / "out" / "CHANGES.md")


def _entry(project: Path, line: int):
    listed = read_list(project / "reading-list.md")
    bibliography = assemble(join(listed, read_lock(project / "refexport.lock"), load_overrides(project / "overrides")))
    return next(e for e in bibliography.entries if e.item.line == line)


def test_pin_reject_skip_round_trip(tmp_path: Path, apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    _resolve(project, apis)
    # Two SOSP records share the title and author: an honest tie, left for the maintainer, who
    # finds it in the review; the arXiv preprint is certain.
    first = _entry(project, 2)
    assert (first.decision.status, first.decision.record.doi, first.decision.record.arxiv) == (Status.RESOLVED, "", "2309.06180")
    review = CliRunner().invoke(cli, ["review"]).output
    assert "! crossref: several different works fit equally well; not decided by rank" in review
    assert "doi:10.1145/1111.2222" in review and "doi:10.1145/3600006.3613165" in review
    runner = CliRunner()
    pinned = runner.invoke(cli, ["pin", "pagedattention", "--doi", "https://doi.org/10.1145/3600006.3613165"])
    assert pinned.exit_code == 0, pinned.output
    assert "Pinned line 2" in pinned.output and "added to overrides/review.toml" in pinned.output
    asked = len(apis.seen)
    _resolve(project, apis)
    assert [s.path for s in apis.seen[asked:]] == ["/works/10.1145/3600006.3613165"]  # nothing else is asked
    entry = _entry(project, 2)
    assert (entry.decision.status, entry.decision.record.doi) == (Status.OVERRIDE, "10.1145/3600006.3613165")
    assert entry.decision.record.arxiv == ""  # the pin names the DOI only; the lookup is all that was asked
    assert entry.decision.record.authors == (Name("Kwon", "Woosuk"),)

    rejected = runner.invoke(cli, ["reject", "2", "--doi", "10.1145/3600006.3613165"])
    assert "updated in overrides/review.toml" in rejected.output
    text = (project / "overrides" / "review.toml").read_text()
    assert 'reject_doi = ["10.1145/3600006.3613165"]' in text and 'doi = "10.1145/3600006.3613165"' in text

    skipped = runner.invoke(cli, ["skip", "Other paper"])
    assert skipped.exit_code == 0
    assert _entry(project, 3).decision.status is Status.SKIPPED
    assert build(project / "reading-list.md", project / "out", project / "refexport.lock", project / "overrides").summary.statuses["skipped"] == 1


def test_an_override_for_an_item_no_longer_listed_is_an_error(tmp_path: Path, apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    CliRunner().invoke(cli, ["skip", "Other paper"])
    (project / "reading-list.md").write_text(LIST.replace("- Other paper[arXiv][2023]\n", ""))
    with pytest.raises(OverrideError, match=r"overrides/review.toml:\d+: selects no item of the list"):
        build(project / "reading-list.md", project / "out", project / "refexport.lock", project / "overrides")


def test_ambiguous_items_are_named_not_guessed(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "reading-list.md").write_text("# S\n- Paper one[2020]\n- Paper two[2020]\n")
    result = CliRunner().invoke(cli, ["skip", "paper", "--list", str(project / "reading-list.md"),
                                      "--overrides", str(project / "overrides"), "--lock", str(project / "x.lock")])
    assert result.exit_code == 2
    assert "'paper' names 2 different items (line 2: Paper one; line 3: Paper two); give a line number or key" in result.output


def test_changes_name_every_kind_of_change() -> None:
    text = "# S\n- A[arXiv][2020]\n- B[arXiv][2020]\n- C[arXiv][2020]\n- D[arXiv][2020]\n- E[arXiv][2020]\n"
    preprint = Record(type="article", title="A", year=2020, publisher="arXiv", arxiv="2001.00001")
    before = (_locked("A", preprint, "a2020")
              + _locked("B", Record(type="article", title="B", doi="10.1/b"), "b2020")
              + _locked("C", Record(type="article", title="C", doi="10.1/c-old"), "c2020")
              + _locked("D", Record(type="article", title="D"), "old2020d", status=Status.UNRESOLVED))
    after = (_locked("A", _paper(title="A", arxiv="2001.00001"), "a2020")
             + _locked("B", Record(type="article", title="B"), "b2020", status=Status.UNRESOLVED)
             + _locked("C", Record(type="article", title="C", doi="10.1/c-new"), "c2020")
             + _locked("D", Record(type="article", title="D", arxiv="2002.00002"), "old2020d"))
    listed = parse_reading_list(text, "list.md")
    entries = assemble(join(listed, LockFile(after), []), rekey=True).entries
    changes = [(c.line, c.what) for c in compare(LockFile(before), entries)]
    assert changes == [
        (2, "DOI added: 10.1145/3600006.3613165"),
        (2, "preprint upgraded to its published version (Proceedings of the 29th Symposium on Operating Systems Principles)"),
        (2, "key renamed: a2020 → kwon2023a"),  # --rekey: the formula's key for the published record
        (3, "DOI removed (was 10.1/b)"),
        (3, "status resolved → unresolved"),
        (3, "key renamed: b2020 → b"),
        (4, "DOI changed: 10.1/c-old → 10.1/c-new"),
        (4, "key renamed: c2020 → c"),
        (5, "arXiv id added: 2002.00002"),
        (5, "status unresolved → resolved"),
        (5, "key renamed: old2020d → d"),
        (6, "new item: unresolved"),
    ]
    rendered = render_changes(compare(LockFile(before), entries), "refexport.lock")
    assert rendered.startswith("# Changes to refexport.lock\n\n12 changes.\n")
    assert "| 4 | c | DOI changed: 10.1/c-old → 10.1/c-new |" in rendered
    assert render_changes([], "refexport.lock") == "# Changes to refexport.lock\n\nNo changes.\n"


def test_a_refresh_writes_changes_md(tmp_path: Path, apis: FakeApis) -> None:
    project = _project(tmp_path)
    _resolve(project, apis)
    assert "| 2 |" in (project / "out" / "CHANGES.md").read_text()  # new items on the first run
    WORLD.crossref.pop(1)  # the rival record is gone: the tie resolves
    try:
        result = _resolve(project, apis, refresh=True)
    finally:
        WORLD.crossref.append(crossref_item("10.1145/1111.2222", PAGED, [("Kwon", "Woosuk")], 2023, container="SOSP Companion"))
    changes = (project / "out" / "CHANGES.md").read_text()
    assert "| 2 | kwon2023efficient | DOI added: 10.1145/3600006.3613165 (found by title search) |" in changes
    assert "| 2 | kwon2023efficient | preprint upgraded to its published version (SOSP) |" in changes
    assert [c.what for c in result.changes] == [
        "DOI added: 10.1145/3600006.3613165 (found by title search)", "preprint upgraded to its published version (SOSP)"]


def test_changes_name_a_preprint_upgraded_from_dblp() -> None:
    text = "# S\n- A[arXiv][2020]\n"
    preprint = Record(type="article", title="A", year=2020, publisher="arXiv", arxiv="2001.00001")
    published = Record(type="paper-conference", title="A", year=2020, arxiv="2001.00001", dblp="conf/icml/A20",
                       container_title="Proceedings of the 37th ICML", event_title="ICML 2020")
    listed = parse_reading_list(text, "list.md")
    entries = assemble(join(listed, LockFile(_locked("A", published, "a2020")), [])).entries
    changes = [c.what for c in compare(LockFile(_locked("A", preprint, "a2020")), entries)]
    assert changes == ["preprint upgraded to its published version (Proceedings of the 37th ICML)", "dblp record conf/icml/A20"]
