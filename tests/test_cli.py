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
        "all.bib", "all.json", "all.ris", "papers.bib", "papers.json", "papers.ris", "report.json", "report.md"]


def test_strict_exits_1_when_something_is_unresolved_or_warned(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--strict", "--out", "elsewhere"])
    assert result.exit_code == 1
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
