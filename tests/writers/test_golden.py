"""End to end on a small list with a lock and overrides; expected files were reviewed by hand."""

import shutil
from pathlib import Path

import pytest

from refexport.app import build

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(path.name for path in GOLDEN.iterdir() if path.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = GOLDEN / case
    monkeypatch.chdir(folder)
    build(Path("reading-list.md"), tmp_path, Path("refexport.lock"), Path("overrides"))
    expected = folder / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(tmp_path, expected)
    produced = sorted(path.name for path in tmp_path.iterdir())
    assert produced == sorted(path.name for path in expected.iterdir())
    for name in produced:
        assert (tmp_path / name).read_bytes() == (expected / name).read_bytes(), name
