"""What a hostile or unlucky user can do: failing sources during a refresh, bad identifiers at
every entrance, control characters, titles told apart by symbols, two runs at once, stale
files in out/, absurd sizes. No traceback, nothing lost, nothing unsafe in any output."""

import json
import re
import string
from functools import partial
from pathlib import Path

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refexport.app import build, read_lock, update_lock
from refexport.cli import cli
from refexport.errors import LockError, OverrideError, RefexportError
from refexport.identifiers import normalize_doi
from refexport.keys import assign_keys
from refexport.model import Record
from refexport.overrides import parse_overrides
from refexport.readinglist import parse_reading_list
from refexport.resolve.settings import Settings

from .fake_apis import FakeApis, VirtualClock, local_settings
from .resolve.test_resolve import LIST, OVERRIDES, world

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\u200b-\u200f\u2060\ufeff]")


def _project(tmp_path: Path, text: str = LIST) -> Path:
    (tmp_path / "reading-list.md").write_text(text)
    (tmp_path / "overrides").mkdir(exist_ok=True)
    (tmp_path / "overrides" / "x.toml").write_text(OVERRIDES)
    return tmp_path


def _lock_ids(project: Path) -> dict[int, tuple[str | None, str | None]]:
    items = json.loads((project / "refexport.lock").read_text())["items"]
    return {item["line"]: (item["doi"], item["arxiv"]) for item in items}


def test_a_refresh_against_dead_sources_keeps_every_decision_and_fails(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with FakeApis(world()).running() as apis:
        update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    before = _lock_ids(project)
    assert sum(1 for doi, arxiv in before.values() if doi or arxiv) >= 4
    with FakeApis().running() as gone:
        dead = gone.url
    result = update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides",
                         local_settings(gone, urls={"crossref": dead, "arxiv": dead, "doi.org": dead, "dblp": dead}, refresh=True))
    assert _lock_ids(project) == before
    assert result.kept and set(result.unreachable) >= {"crossref", "arxiv"}


def test_the_cli_says_a_failed_refresh_kept_the_lock_and_exits_non_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    clock = VirtualClock()  # retries and pacing wait on it, not on real time
    monkeypatch.setattr("refexport.resolve.settings.Settings", partial(Settings, clock=clock.now, sleep=clock.sleep))
    with FakeApis(world()).running() as apis:
        env = {"REFEXPORT_CROSSREF_URL": apis.url, "REFEXPORT_ARXIV_URL": apis.url + "/api/query", "REFEXPORT_DOI_URL": apis.url,
               "REFEXPORT_DBLP_URL": apis.url}
        assert CliRunner().invoke(cli, ["resolve", "--no-cache"], env=env).exit_code == 0
    before = _lock_ids(project)
    with FakeApis().running() as gone:
        dead = gone.url
    result = CliRunner().invoke(cli, ["resolve", "--no-cache", "--refresh", "--timeout", "1"],
                                env={"REFEXPORT_CROSSREF_URL": dead, "REFEXPORT_ARXIV_URL": dead, "REFEXPORT_DOI_URL": dead, "REFEXPORT_DBLP_URL": dead})
    assert result.exit_code == 1, result.output
    assert "kept as the lock had them" in result.output
    assert _lock_ids(project) == before


@pytest.mark.parametrize(
    "bad",
    ["10.1234/../../etc/passwd", "10.1234/a b", "10.1234/^^5cinput", "10.1234/x\\y", "10.1234/{x}", "10.1234/\x07bell",
     "not a doi at all", "https://doi.org/https://doi.org/10.1/x"],
)
def test_bad_dois_are_refused_at_every_entrance(bad: str, tmp_path: Path) -> None:
    with pytest.raises(RefexportError):
        normalize_doi(bad)
    toml = f'[[override]]\nmatch_title = "x"\ndoi = {json.dumps(bad)}\n'
    with pytest.raises(OverrideError, match=r"x.toml:3:"):
        parse_overrides(toml, "x.toml")
    listed = parse_reading_list(f"# A\n- [A paper]({'https://doi.org/' + bad.replace(' ', '%20')}) (ICML 2020)\n")
    # A control character is removed at the door, with a warning; anything else bad is not taken.
    assert listed.items[0].doi == "" or any(d.level == "warning" for d in listed.diagnostics)
    lock = {"version": 1, "items": [{"seed_title": "A paper", "key": "a2020paper", "status": "resolved", "doi": bad, "arxiv": None,
                                     "record": {"type": "article", "title": "A paper", "DOI": bad}}]}
    (tmp_path / "bad.lock").write_text(json.dumps(lock))
    with pytest.raises(LockError, match="item 1"):
        read_lock(tmp_path / "bad.lock")


def test_no_output_field_of_an_identifier_or_address_carries_tex_or_control_characters(tmp_path: Path) -> None:
    text = ("# A\n- [Paper one](https://example.org/a^^5cinput{x}\\y) (ICML 2020)\n"
            "- [Paper two](https://example.org/\x1b[31mred) (ICML 2021)\n")
    (tmp_path / "list.md").write_text(text)
    build(tmp_path / "list.md", tmp_path / "out", tmp_path / "none.lock", tmp_path / "overrides")
    library = bibtexparser.parse_string((tmp_path / "out" / "all.bib").read_text())
    for entry in library.entries:
        for name in ("url", "doi"):
            if name in entry.fields_dict:
                value = entry.fields_dict[name].value
                assert "^^" not in value and "\\" not in value and not CONTROL.search(value) and " " not in value, value
    for item in json.loads((tmp_path / "out" / "all.json").read_text()):
        assert not CONTROL.search(item.get("URL", "")) and "^^" not in item.get("URL", "")


def test_control_and_invisible_characters_are_stripped_with_a_warning_and_lines_stay_an_editors() -> None:
    text = "# A\n- Bell\x07 and\u200b zero\x00width (ICML 2020)\n- Form\x0cfeed\u2028and\x85more (ICML 2021)\n- Third (ICML 2022)\n"
    parsed = parse_reading_list(text, "list.md")
    assert [item.line for item in parsed.items] == [2, 3, 4]
    assert [item.title for item in parsed.items] == ["Bell and zerowidth", "Form feed and more", "Third"]
    warned = {d.line for d in parsed.diagnostics if d.level == "warning" and "control or invisible" in d.message}
    assert warned == {2, 3}
    assert not any(CONTROL.search(d.message) for d in parsed.diagnostics)


def test_titles_told_apart_by_symbols_are_different_works(tmp_path: Path) -> None:
    text = "# Books\n- The C++ programming language[Book][1985]\n- The C# programming language[Book][2003]\n- The C programming language[Book][1978]\n"
    (tmp_path / "list.md").write_text(text)
    result = build(tmp_path / "list.md", tmp_path / "out", tmp_path / "none.lock", tmp_path / "overrides")
    assert len(result.bibliography.works) == 3
    assert len({entry.key for entry in result.bibliography.entries}) == 3


def test_twenty_thousand_colliding_keys_are_all_distinct() -> None:
    record = Record(type="article", title="Same title", year=2020)
    keys = assign_keys(((("title", str(n)), record) for n in range(20_000)), {})
    assert len(set(keys.values())) == 20_000


def test_a_second_resolve_at_the_same_time_stops_with_a_clear_message(tmp_path: Path) -> None:
    from refexport.app import project_lock

    project = _project(tmp_path)
    with project_lock(project / "refexport.lock"), pytest.raises(RefexportError, match="another refexport"), FakeApis(world()).running() as apis:
        update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    assert not list(project.glob(".*.tmp"))


def test_release_packs_only_what_the_build_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tarfile

    (tmp_path / "reading-list.md").write_text("# My List\n- A paper[ICML][2020]\n")
    build(tmp_path / "reading-list.md", tmp_path / "out", tmp_path / "none.lock", tmp_path / "overrides")
    (tmp_path / "out" / "stale-section.bib").write_text("@misc{old, title={Old}}\n")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["release", "--version", "1.0"]).exit_code == 0
    with tarfile.open(tmp_path / "dist" / "my-list-1.0.tar.gz") as archive:
        names = [Path(member.name).name for member in archive.getmembers()]
    assert "stale-section.bib" not in names and "all.bib" in names


def test_removed_items_are_changes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with FakeApis(world()).running() as apis:
        update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
        (project / "reading-list.md").write_text(LIST.replace("- Scaling laws for everything[arXiv][2020]\n", ""))
        result = update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides",
                             local_settings(apis), changes_path=project / "CHANGES.md")
    assert any("removed from the list" in change.what for change in result.changes)
    assert "removed from the list" in (project / "CHANGES.md").read_text()


def test_an_edited_identifier_in_the_lock_is_an_error_not_ignored(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with FakeApis(world()).running() as apis:
        update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
    data = json.loads((project / "refexport.lock").read_text())
    data["items"][0]["doi"] = "10.9999/edited.by.hand"
    (project / "refexport.lock").write_text(json.dumps(data))
    with pytest.raises(LockError, match="doi .* differs from its record"):
        read_lock(project / "refexport.lock")


def test_toml_nested_thousands_deep_is_an_override_error() -> None:
    with pytest.raises(OverrideError):
        parse_overrides("a = " + "[" * 3000 + "]" * 3000 + "\n", "deep.toml")


def test_bibtex_style_author_lists_in_an_override_are_refused() -> None:
    with pytest.raises(OverrideError, match="one name per string"):
        parse_overrides('[[override]]\nmatch_title = "x"\nauthors = ["Kwon, Woosuk and Li, Zhuohan"]\n', "x.toml")


_LINE = st.text(alphabet=st.sampled_from(list(string.printable) + list("éü–“”…日本\x00\x07\u200b\u2028[]()*_`<>|#!")), max_size=80)


@settings(max_examples=25, deadline=None)
@given(lines=st.lists(_LINE, min_size=1, max_size=12))
@example(lines=["# A", "- [x](https://doi.org/10.1/../x) ^^5c", "| a | b |", "|---|---|", "| [t](#) | c |"])
def test_any_list_builds_without_a_traceback_and_every_output_parses(lines: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "list.md").write_text("\n".join(lines), encoding="utf-8")
    try:
        result = build(folder / "list.md", folder / "out", folder / "none.lock", folder / "overrides")
    except RefexportError:
        return  # a clear error (no entries, say)
    keys = {entry.key for entry in result.bibliography.entries}
    assert [entry.item.line for entry in result.bibliography.entries] == [item.line for item in result.reading_list.items]
    bib = bibtexparser.parse_string((folder / "out" / "all.bib").read_text())
    assert bib.failed_blocks == [] and {entry.key for entry in bib.entries} == keys
    assert {item["id"] for item in json.loads((folder / "out" / "all.json").read_text())} == keys
    assert {record["id"] for record in rispy.loads((folder / "out" / "all.ris").read_text())} == keys
    for path in (folder / "out").iterdir():
        assert not CONTROL.search(path.read_text(encoding="utf-8")), path.name


_VALUES = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.lists(st.text(max_size=10), max_size=3), st.none())
_FIELDS = st.sampled_from(["match_title", "match_key", "doi", "arxiv", "type", "url", "title", "authors", "year", "venue",
                           "container", "publisher", "note", "reject_doi", "reject_arxiv", "skip", "prefer", "bogus"])


@settings(max_examples=80, deadline=None)
@given(tables=st.lists(st.dictionaries(_FIELDS, _VALUES, max_size=6), max_size=4))
def test_any_override_file_parses_or_is_one_clear_error(tables: list[dict]) -> None:
    import tomlkit

    document = tomlkit.document()
    array = tomlkit.aot()
    for table in tables:
        item = tomlkit.table()
        for name, value in table.items():
            if value is not None:
                item[name] = value
        array.append(item)
    document["override"] = array
    try:
        overrides = parse_overrides(tomlkit.dumps(document), "o.toml")
    except OverrideError as error:
        assert str(error).startswith("o.toml:") and "\n" not in str(error)
        return
    assert all(o.match_title or o.match_key for o in overrides)


_LOCK_ITEM = st.fixed_dictionaries(
    {"seed_title": st.one_of(st.text(max_size=20), st.integers()), "key": st.one_of(st.text(max_size=12), st.none()),
     "status": st.sampled_from(["resolved", "unresolved", "override", "skipped", "bogus"]),
     "confidence": st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=4)),
     "doi": st.one_of(st.none(), st.text(max_size=20)),
     "record": st.one_of(st.fixed_dictionaries({"type": st.sampled_from(["article", "paper-conference", "nonsense"]),
                                                "title": st.text(max_size=20)}), st.text(max_size=5))}
)


@settings(max_examples=80, deadline=None)
@given(items=st.lists(_LOCK_ITEM, max_size=4))
def test_any_lock_reads_or_is_one_clear_error(items: list[dict], tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("lock") / "x.lock"
    path.write_text(json.dumps({"version": 1, "items": items}, allow_nan=True))
    try:
        read_lock(path)
    except LockError as error:
        assert "x.lock" in str(error) and "\n" not in str(error)
