"""Files are opened as what they are: no reading, packing or caching through a symbolic link, no
FIFO waited on, no file read past its size cap. Each ends in one clear line and a non-zero exit,
and the lock still reads and builds afterwards."""

import os
import sqlite3
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from refexport import app
from refexport.cli import cli
from refexport.resolve.sources.crossref import CrossrefSource
from refexport.resolve.transport.cache import ResponseCache
from refexport.resolve.transport.http import Fetcher, Statistics
from refexport.resolve.transport.pacing import Limits, Pacer

from .fake_apis import FakeApis, VirtualClock, World, crossref_item

LIST = "# My List\n- A paper[ICML][2020]\n- Another paper[NeurIPS][2021]\n"


def _built(tmp_path: Path) -> Path:
    (tmp_path / "reading-list.md").write_text(LIST)
    result = CliRunner().invoke(cli, ["build", "--list", str(tmp_path / "reading-list.md"), "--out", str(tmp_path / "out"),
                                      "--lock", str(tmp_path / "refexport.lock"), "--overrides", str(tmp_path / "overrides")])
    assert result.exit_code == 0, result.output
    return tmp_path


def _run(tmp_path: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*arguments, "--list", str(tmp_path / "reading-list.md"), "--lock", str(tmp_path / "refexport.lock"),
                                      "--overrides", str(tmp_path / "overrides")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_release_refuses_a_link_in_out_and_packs_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _built(tmp_path)
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (project / "out" / "CHANGES.md").unlink(missing_ok=True)
    (project / "out" / "CHANGES.md").symlink_to("../.git/config")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["release", "--version", "1.0"])
    assert result.exit_code != 0 and (result.exception is None or isinstance(result.exception, SystemExit))
    assert "CHANGES.md" in result.output and "symbolic link" in result.output and "Traceback" not in result.output
    assert not (project / "dist").exists() or not any("secret" in p.read_bytes().decode("latin-1") for p in (project / "dist").iterdir())
    (project / "out" / "CHANGES.md").unlink()
    (project / "out" / "CHANGES.md").write_text("# Changes\n\nNone.\n")
    assert CliRunner().invoke(cli, ["release", "--version", "1.0"]).exit_code == 0
    with tarfile.open(project / "dist" / "my-list-1.0.tar.gz") as archive:
        assert "CHANGES.md" in [Path(m.name).name for m in archive.getmembers()]
    assert (project / "dist" / "RELEASE-NOTES.md").read_text() == "# Changes\n\nNone.\n"  # the workflow's notes


def test_a_fifo_given_as_the_lock_is_an_error_not_a_hang(tmp_path: Path) -> None:
    project = _built(tmp_path)
    (project / "refexport.lock").unlink(missing_ok=True)
    os.mkfifo(project / "refexport.lock")
    code, output = _run(project, "build", "--out", str(project / "out"))
    assert code != 0 and "refexport.lock" in output and "not a regular file (a FIFO)" in output


def test_a_linked_list_lock_or_override_is_refused(tmp_path: Path) -> None:
    project = _built(tmp_path)
    (project / "elsewhere.md").write_text(LIST)
    (project / "reading-list.md").unlink()
    (project / "reading-list.md").symlink_to(project / "elsewhere.md")
    code, output = _run(project, "build", "--out", str(project / "out"))
    assert code != 0 and "reading-list.md" in output and "symbolic link" in output
    (project / "reading-list.md").unlink()
    (project / "reading-list.md").write_text(LIST)
    (project / "overrides").mkdir(exist_ok=True)
    (project / "overrides" / "fix.toml").symlink_to("/etc/passwd")
    code, output = _run(project, "build", "--out", str(project / "out"))
    assert code != 0 and "fix.toml" in output and "symbolic link" in output


def test_a_lock_past_its_size_cap_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _built(tmp_path)
    monkeypatch.setattr(app, "MAX_LOCK_BYTES", 1024)
    (project / "refexport.lock").write_text('{"items": [' + " " * 4096 + "]}")
    code, output = _run(project, "build", "--out", str(project / "out"))
    assert code != 0 and "MiB is more than refexport reads" in output


def _fetcher(apis: FakeApis, cache: ResponseCache) -> Fetcher:
    clock = VirtualClock()
    return Fetcher("crossref", apis.url, Pacer(Limits(100, 1.0, 4), clock=clock.now, sleep=clock.sleep), cache, Statistics(),
                   sleep=clock.sleep, clock=clock.now)


def test_the_cache_is_never_opened_through_a_link(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / ".cache").symlink_to(root)
    cache = ResponseCache(tmp_path / ".cache" / "responses.sqlite")
    assert "symbolic link" in cache.problem and not list(root.iterdir())
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "responses.sqlite").symlink_to(tmp_path / "created-by-a-dangling-link")
    cache = ResponseCache(tmp_path / "own" / "responses.sqlite")
    assert "symbolic link" in cache.problem and not (tmp_path / "created-by-a-dangling-link").exists()


def test_a_cached_answer_that_no_longer_reads_is_dropped_and_asked_again(tmp_path: Path) -> None:
    world = World(crossref=[crossref_item("10.1145/1.2", "Serving Large Models Fast", [("Kwon", "Woosuk")], 2023)])
    with FakeApis(world).running() as apis:
        cache = ResponseCache(tmp_path / "responses.sqlite")
        source = CrossrefSource(_fetcher(apis, cache))
        assert source.search("Serving large models fast")
        cache.close()
        with sqlite3.connect(tmp_path / "responses.sqlite") as db:
            db.execute("UPDATE answers SET body = '{\"garbled'")
        for _ in range(2):  # the bad row is asked again once, then the new answer is read from the cache
            cache = ResponseCache(tmp_path / "responses.sqlite")
            assert [c.record.doi for c in CrossrefSource(_fetcher(apis, cache)).search("Serving large models fast")] == ["10.1145/1.2"]
            cache.close()
        assert len(apis.requests_to("/works")) == 2
