import hashlib
import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from refexport.app import build
from refexport.cli import cli
from refexport.errors import ReleaseError
from refexport.release import default_version, make_release

from .conftest import ROOT

LIST = "# My Papers\n\n## Systems\n- A paper[ICML][2020]\n## Theory\n- Another[arXiv][2021]\n"


def _built(tmp_path: Path) -> Path:
    (tmp_path / "reading-list.md").write_text(LIST)
    build(tmp_path / "reading-list.md", tmp_path / "out", tmp_path / "lock", tmp_path / "overrides")
    (tmp_path / "out" / "CHANGES.md").write_text("# Changes\n\nNo changes.\n")
    return tmp_path


def test_archives_hold_every_file_with_checksums_and_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _built(tmp_path)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["release", "--version", "1.2.0"])
    assert result.exit_code == 0, result.output
    zip_path, tar_path = project / "dist" / "my-papers-1.2.0.zip", project / "dist" / "my-papers-1.2.0.tar.gz"
    first = (zip_path.read_bytes(), tar_path.read_bytes())
    names = sorted(["CHANGES.md", "SHA256SUMS", "index.html", "report.md"]
                   + [f"{stem}.{suffix}" for stem in ("all", "systems", "theory") for suffix in ("bib", "html", "json", "md", "ris")])
    with zipfile.ZipFile(zip_path) as archive:
        members = {Path(n).name: archive.read(n) for n in archive.namelist()}
        assert all(n.startswith("my-papers-1.2.0/") for n in archive.namelist())
    assert sorted(members) == names
    with tarfile.open(tar_path) as archive:
        assert sorted(Path(m.name).name for m in archive.getmembers()) == names
    for line in members["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(members[name]).hexdigest() == digest
        assert members[name] == (project / "out" / name).read_bytes()
    os.utime(project / "out" / "all.bib", (0, 0))  # file times do not enter the archives
    make_release(project / "out", project / "dist", "my-papers", "1.2.0")
    assert (zip_path.read_bytes(), tar_path.read_bytes()) == first


def test_release_needs_a_build(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(ReleaseError, match="run `refexport build` first"):
        make_release(tmp_path / "out", tmp_path / "dist", "x", "1")


def test_default_version_is_the_date() -> None:
    import datetime

    assert default_version(datetime.date(2026, 11, 28)) == "2026.11.28"


def test_the_workflow_passes_actionlint() -> None:
    linter = ROOT / "checks" / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
    if not (linter.is_file() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed (npm ci in checks/)")
        pytest.skip("actionlint is not installed (npm ci in checks/)")
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    done = subprocess.run(["node", str(linter), *workflows], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed lint checks" in done.stdout
