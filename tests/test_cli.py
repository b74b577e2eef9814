import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from refexport import __version__
from refexport.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reading-list.md").write_text("# Papers\n- A paper[ICML][2020]\nstray line\n- vLLM[Github][2023]\n")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "software.toml").write_text(
        '[[override]]\nmatch_title = "vLLM"\ntype = "software"\nurl = "https://github.com/vllm-project/vllm"\n'
    )
    return tmp_path


def test_build_writes_files_and_prints_a_summary(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert "2 items (2 distinct works) in 1 section: 0 resolved, 1 override, 1 unresolved, 0 skipped; 1 warning." in result.output
    assert "reading-list.md:3: warning: not an item, heading or label: 'stray line'" in result.output
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "all.bib", "all.html", "all.json", "all.md", "all.ris", "index.html", "papers.bib", "papers.html", "papers.json",
        "papers.md", "papers.ris", "report.json", "report.md"]


def test_strict_exits_3_when_something_is_unresolved_or_warned(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--strict", "--out", "elsewhere"])
    assert result.exit_code == 3
    assert "--strict: failing on 1 unresolved item and 1 warning." in result.output
    assert (project / "elsewhere" / "papers.bib").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: (p / "reading-list.md").unlink(), "reading-list.md: cannot read the list"),
        (lambda p: (p / "overrides" / "software.toml").write_text('[[override]]\nmatch_title = "vLLM"\nurll = "x"\n'),
         "overrides/software.toml:3: unknown field 'urll'"),
        (lambda p: (p / "overrides" / "software.toml").write_text('[[override]]\nmatch_title = "Gone"\nnote = "x"\n'),
         "overrides/software.toml:1: selects no item of the list"),
        (lambda p: (p / "refexport.lock").write_text("{not json"), "refexport.lock: not valid JSON (line 1"),
        (lambda p: (p / "refexport.lock").write_text('{"version": 1, "items": [{"seed_title": "x"}]}'),
         "refexport.lock: item 1 is malformed"),
    ],
)
def test_bad_input_exits_2_naming_the_file(project: Path, setup, message: str) -> None:
    setup(project)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert message in result.output
    assert not (project / "out").exists()


def test_help_and_version() -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output.strip() == f"refexport, version {__version__}"
    help_text = runner.invoke(cli, ["build", "--help"]).output
    for option in ("--out", "--lock", "--overrides", "--strict"):
        assert option in help_text
    assert runner.invoke(cli, ["nonsense"]).exit_code == 2


README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage: cli " + name in result.output
    command = cli.commands[name]
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"refexport {name} " in README, f"README's command line section lacks {name}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["release", "--out", "missing-folder"], "missing-folder: no such folder: run `refexport build` first"),
        (["release", "--version", "../../x"], "version '../../x' must be letters, digits"),
        (["review", "--list", "nothing.md"], "nothing.md: cannot read the list"),
        (["lint", "--overrides", "bad"], "bad/x.toml:1: unknown table 'oops'"),
        (["pin", "no such title", "--doi", "10.1145/x"], "no item has the key or a title containing 'no such title'"),
        (["pin", "2", "--doi", "not a doi"], "not a DOI: 'not a doi'"),
        (["reject", "2"], "give --doi, --arxiv or --dblp"),
        (["skip", "99"], "no item on line 99 of reading-list.md"),
        (["resolve", "--lock", "broken.lock"], "broken.lock: not valid JSON"),
        (["build", "--out", "reading-list.md"], "Directory 'reading-list.md' is a file. (see refexport build --help)"),
        (["nonsense"], "No such command 'nonsense'. (see refexport --help)"),
    ],
)
def test_expected_failures_are_one_line_and_exit_2(project: Path, arguments: list[str], message: str) -> None:
    (project / "bad").mkdir()
    (project / "bad" / "x.toml").write_text("[oops]\n")
    (project / "broken.lock").write_text("{")
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output


def test_a_release_without_a_build_ends_in_one_line_not_a_traceback(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "refexport", "release", "--out", "missing-folder"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "Error: missing-folder: no such folder: run `refexport build` first"


def test_a_build_from_the_lock_imports_nothing_of_the_network_half(project: Path) -> None:
    probe = (
        "import sys\nfrom refexport.cli import cli\n"
        "try:\n    cli(['build'])\nexcept SystemExit:\n    pass\n"
        # The sources' registry is data the command line's options are made from; nothing else of the resolver loads.
        "registry = ('refexport.resolve.sources', 'refexport.resolve.sources.registry')\n"
        "loaded = [m for m in sys.modules if m.startswith(('refexport.resolve.', 'httpx', 'sqlite3', 'rapidfuzz', 'tenacity'))\n"
        "          and m not in registry]\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_malformed_source_address_is_a_usage_error_before_anything_is_asked(project: Path) -> None:
    result = CliRunner().invoke(cli, ["resolve", "--crossref-url", "notaurl"])
    assert result.exit_code == 2 and "'notaurl' is not an http or https address" in result.output
    assert not (project / "refexport.lock").exists()


def test_ctrl_c_during_resolve_stops_at_once_keeps_the_lock_and_exits_130(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from refexport import app

    (project / "refexport.lock").write_text('{"version": 1, "items": []}\n')
    before = (project / "refexport.lock").read_bytes()

    def interrupted(*arguments: object, **options: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "update_lock", interrupted)
    result = CliRunner().invoke(cli, ["resolve"])
    assert result.exit_code == 130 and "Interrupted" in result.output and "Aborted" not in result.output
    assert (project / "refexport.lock").read_bytes() == before


TOC = "# L\n\n- [Papers](#papers)\n- [Tools](#tools)\n- [More](#more)\n\n## Papers\n\n- A paper on serving[ICML][2020]\n"


def _build(tmp_path: Path, *options: str) -> tuple[int, str, str]:
    (tmp_path / "toc.md").write_text(TOC)
    result = CliRunner().invoke(cli, ["build", "--list", str(tmp_path / "toc.md"), "--out", str(tmp_path / "out"), "--lock",
                                      str(tmp_path / "none.lock"), "--overrides", str(tmp_path / "none"), *options])
    return result.exit_code, result.stdout, result.stderr


def test_notes_are_summarised_unless_verbose_and_quiet_says_nothing(tmp_path: Path) -> None:
    code, out, err = _build(tmp_path)
    assert code == 0 and "Note: 3 lines: not an entry (a table-of-contents link) (--verbose lists them)" in err and "#tools" not in err
    code, out, err = _build(tmp_path, "--verbose")
    assert err.count("table-of-contents link") == 3 and "- [Tools](#tools)" in err
    code, out, err = _build(tmp_path, "--quiet")
    assert (code, out, err) == (0, "", "")


def test_json_is_one_summary_on_stdout(tmp_path: Path) -> None:
    import json

    code, out, err = _build(tmp_path, "--json", "--strict")
    summary = json.loads(out)
    assert summary["command"] == "build" and summary["statuses"]["unresolved"] == 1 and summary["exit"] == code == 3
    assert len(summary["diagnostics"]) == 3 and err == "--strict: failing on 1 unresolved item and 0 warnings.\n"
