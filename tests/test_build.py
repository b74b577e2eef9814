import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from refexport import output
from refexport.app import build
from refexport.errors import InputError
from refexport.lock import dump_lock, rows_of
from refexport.model import Decision, Entry, Name, Record, Status

from .conftest import OVERRIDES, REAL_LIST, make_item


def _build(tmp_path: Path, text: str, lock: str | None = None, out: str = "out"):
    source = tmp_path / "list.md"
    source.write_text(text, encoding="utf-8")
    lock_path = tmp_path / "refexport.lock"
    if lock is not None:
        lock_path.write_text(lock, encoding="utf-8")
    return build(source, tmp_path / out, lock_path, tmp_path / "overrides")


def _keys_in(path: Path) -> list[str]:
    if path.suffix == ".bib":
        return [entry.key for entry in bibtexparser.parse_file(str(path)).entries]
    if path.suffix == ".json":
        return [item["id"] for item in json.loads(path.read_text(encoding="utf-8"))]
    return [record["id"] for record in rispy.loads(path.read_text(encoding="utf-8"))]


def test_real_list_every_item_is_in_every_output(tmp_path: Path) -> None:
    result = build(REAL_LIST, tmp_path / "out", tmp_path / "none.lock", OVERRIDES)
    keys = {entry.key for entry in result.bibliography.entries}
    assert [entry.item.line for entry in result.bibliography.entries] == [item.line for item in result.reading_list.items]
    for stem in ("llm-inference-serving", "all"):
        for suffix in (".bib", ".json", ".ris"):
            found = _keys_in(tmp_path / "out" / f"{stem}{suffix}")
            assert sorted(found) == sorted(keys), f"{stem}{suffix}"
    overridden = {entry.item.line for entry in result.bibliography.entries if entry.override is not None}
    assert result.summary.statuses["override"] == len(overridden) > 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [item["line"] for item in report["items"]] == [entry.item.line for entry in result.bibliography.entries]
    empty = {line for line, _ in result.reading_list.empty_headings}
    assert {n["line"] for n in report["notes"] if "has no items" in n["message"]} == empty


def test_rebuild_is_byte_identical_and_touches_nothing(tmp_path: Path) -> None:
    first = build(REAL_LIST, tmp_path / "a", tmp_path / "none.lock", OVERRIDES)
    assert len(first.changed) == sum(len(group.names) for group in first.files) + 3  # reports and index
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "a").iterdir()}
    second = build(REAL_LIST, tmp_path / "a", tmp_path / "none.lock", OVERRIDES)
    assert second.changed == ()
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "a").iterdir()} == stamps
    build(REAL_LIST, tmp_path / "b", tmp_path / "none.lock", OVERRIDES)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_outputs_have_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        _build(tmp_path, "# S\n- Title[arXiv][2020]\n")
    finally:
        os.umask(mask)
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "out").iterdir()} == {"0o644"}


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(tmp_path, "# S\n- Old title[arXiv][2020]\n")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _build(tmp_path, "# S\n- New title[arXiv][2021]\n")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_hostile_section_names_stay_inside_the_output_folder(tmp_path: Path) -> None:
    text = "# ../x\n- A[2020]\n# a/b\n- B[2020]\n# all\n- C[2020]\n# Report\n- D[2020]\n# ...\n- E[2020]\n# a b\n- F[2020]\n"
    result = _build(tmp_path, text)
    assert [f.stem for f in result.files] == ["x", "a-b", "all-2", "report-2", "section", "a-b-2", "all"]
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != tmp_path / "out" and p.name != "list.md"]
    assert outside == []


def test_hostile_titles_keep_every_output_whole(tmp_path: Path) -> None:
    titles = ["Unbalanced } brace {", "An @misc{x, title={y}} inside", "100% & #1 $x$", "ER  - not the end", "Back\\slash \\end{document}"]
    text = "# S\n" + "".join(f"- {title}[Venue][2020]\n" for title in titles)
    result = _build(tmp_path, text)
    out = tmp_path / "out"
    assert len(_keys_in(out / "s.bib")) == len(_keys_in(out / "s.json")) == len(_keys_in(out / "s.ris")) == len(titles)
    assert [r["title"] for r in rispy.loads((out / "s.ris").read_text(encoding="utf-8"))] == [
        e.item.title for e in result.bibliography.entries
    ]


def test_the_lock_is_used_without_network(tmp_path: Path) -> None:
    record = Record(type="paper-conference", title="Efficient Memory Management for Large Language Model Serving with PagedAttention",
                    authors=(Name("Kwon", "Woosuk"),), year=2023, container_title="Proceedings of the 29th Symposium on Operating Systems Principles",
                    doi="10.1145/3600006.3613165", arxiv="2309.06180")
    seed = "Efficient memory management for large language model serving with pagedattention"
    decision = Decision(status=Status.RESOLVED, record=record, source="crossref", confidence=0.97, reasons=("title match",))
    lock = dump_lock(rows_of([Entry(make_item(seed, line=2), decision, "kwon2023efficient")]))
    result = _build(tmp_path, f"# Serving\n- {seed}[Proc.~ACM SOSP][2023]\n- Unknown thing[2020]\n", lock)
    assert [(e.key, e.decision.status) for e in result.bibliography.entries] == [
        ("kwon2023efficient", Status.RESOLVED), ("unknown2020thing", Status.UNRESOLVED)]
    bib = (tmp_path / "out" / "serving.bib").read_text()
    assert "doi = {10.1145/3600006.3613165}" in bib and "eprint = {2309.06180}" in bib
    csl = json.loads((tmp_path / "out" / "serving.json").read_text())[0]
    assert csl["DOI"] == "10.1145/3600006.3613165" and "custom" not in csl


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# S\n- Good[2020]\n- Bad \xff byte[2020]\n", r"list.md:3: not UTF-8 text \(byte 0xff\)"),
        (b"", "no entries found"),
        (b"# Only a heading\n\nprose\n", "no entries found"),
    ],
)
def test_bad_lists_are_clear_errors_and_write_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "list.md").write_bytes(content)
    with pytest.raises(InputError, match=message):
        build(tmp_path / "list.md", tmp_path / "out", tmp_path / "lock", tmp_path / "overrides")
    assert not (tmp_path / "out").exists()


def test_an_oversized_list_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("refexport.app.MAX_LIST_BYTES", 100)
    with pytest.raises(InputError, match="is more than refexport reads"):
        _build(tmp_path, "# S\n" + "- Title[2020]\n" * 20)


def test_a_utf8_bom_and_crlf_lines_are_read(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_bytes("\ufeff# Sec\r\n- Café[arXiv][2020]\r\n".encode())
    result = build(tmp_path / "list.md", tmp_path / "out", tmp_path / "lock", tmp_path / "overrides")
    assert [(e.item.section, e.item.title) for e in result.bibliography.entries] == [("Sec", "Café")]
