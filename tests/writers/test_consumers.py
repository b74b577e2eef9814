"""The real consumers read every output cleanly: bibtex (plainnat, abbrvnat, IEEEtran), biblatex
with biber, pandoc 3, citeproc-py, rispy and citation-js, on four sets of files: the real list
built from the committed lock, the real list built without a lock, a lock the tests resolve
against their local server, and hand-made awkward records. A missing tool fails in CI (CI is
set) and skips locally with the reason."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from refexport.app import build, update_lock
from refexport.model import Record

from ..conftest import AWKWARD_RECORDS, OVERRIDES, REAL_LIST, ROOT
from ..fake_apis import FakeApis, local_settings
from ..resolve.test_resolve import LIST as RESOLVED_LIST
from ..resolve.test_resolve import OVERRIDES as RESOLVED_OVERRIDES
from ..resolve.test_resolve import world
from . import consumers


@dataclass(frozen=True)
class Outputs:
    folder: Path
    records: dict[str, Record]  # key → record, every work in all.*

    def path(self, suffix: str) -> Path:
        return self.folder / f"all{suffix}"


def _outputs(folder: Path, list_path: Path, lock: Path, overrides: Path) -> Outputs:
    result = build(list_path, folder, lock, overrides)
    return Outputs(folder, {work.key: work.record for work in result.bibliography.works})


def _real_with_lock(base: Path) -> Outputs:
    return _outputs(base / "out", REAL_LIST, ROOT / "refexport.lock", OVERRIDES)


def _real_without_lock(base: Path) -> Outputs:
    return _outputs(base / "out", REAL_LIST, base / "no.lock", OVERRIDES)


def _resolved(base: Path) -> Outputs:
    (base / "reading-list.md").write_text(RESOLVED_LIST)
    (base / "overrides").mkdir()
    (base / "overrides" / "x.toml").write_text(RESOLVED_OVERRIDES)
    with FakeApis(world()).running() as apis:
        settings = local_settings(apis)
        update_lock(base / "reading-list.md", base / "refexport.lock", base / "overrides", settings)
    return _outputs(base / "out", base / "reading-list.md", base / "refexport.lock", base / "overrides")


def _awkward(base: Path) -> Outputs:
    from refexport.model import Bibliography, ReadingList, Work
    from refexport.output import write_outputs
    from refexport.writers import build_files

    works = tuple(Work(f"awkward{n}", record, ("Awkward & Odd",)) for n, record in enumerate(
        [*AWKWARD_RECORDS, replace(AWKWARD_RECORDS[0], type="book"), replace(AWKWARD_RECORDS[1], type="report", publisher="Lab Ltd.")]))
    files = build_files(ReadingList("awkward.md", "Awkward", (), (), ()), Bibliography((), works)).files
    write_outputs(base / "out", files)
    return Outputs(base / "out", {work.key: work.record for work in works})


SETS: dict[str, Callable[[Path], Outputs]] = {
    "real-list-from-lock": _real_with_lock,
    "real-list-without-lock": _real_without_lock,
    "resolved-locally": _resolved,
    "awkward-records": _awkward,
}


pytestmark = pytest.mark.consumers


@pytest.fixture(scope="module", autouse=True)
def every_tool() -> None:
    """All consumers are here, or none is run: fails in CI, skips the module elsewhere."""
    if missing := consumers.missing_tools():
        message = f"consumer tools missing: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run every consumer check)")
        pytest.skip(message)


@pytest.fixture(scope="module", params=sorted(SETS))
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outputs]:
    yield SETS[request.param](tmp_path_factory.mktemp(request.param))


def _check(run: Callable[[], list[str]]) -> None:
    assert run() == []


@pytest.mark.parametrize("style", ["plainnat", "abbrvnat", "IEEEtran"])
def test_bibtex(outputs: Outputs, style: str, tmp_path: Path) -> None:
    _check(lambda: consumers.bibtex(outputs.path(".bib"), outputs.records, style, tmp_path))


def test_biber(outputs: Outputs, tmp_path: Path) -> None:
    _check(lambda: consumers.biber(outputs.path(".bib"), outputs.records, tmp_path))


@pytest.mark.parametrize("suffix", [".bib", ".json", ".ris"])
def test_pandoc(outputs: Outputs, suffix: str, tmp_path: Path) -> None:
    _check(lambda: consumers.pandoc(outputs.path(suffix), outputs.records, tmp_path))


def test_citeproc_py(outputs: Outputs) -> None:
    _check(lambda: consumers.citeproc_py(outputs.path(".json"), outputs.records))


def test_rispy(outputs: Outputs) -> None:
    _check(lambda: consumers.rispy_check(outputs.path(".ris"), set(outputs.records)))


def test_citationjs(outputs: Outputs) -> None:
    _check(lambda: consumers.citationjs([outputs.path(".bib"), outputs.path(".ris")], outputs.records))


def test_chromium_shows_every_entry(outputs: Outputs, tmp_path: Path) -> None:
    _check(lambda: consumers.chromium(outputs.path(".html"), set(outputs.records), tmp_path))


def test_typing_in_the_search_box_hides_what_does_not_match(outputs: Outputs, tmp_path: Path) -> None:
    page = outputs.path(".html")
    key, record = next((key, record) for key, record in sorted(outputs.records.items()) if len(record.title.split()) >= 2)
    word = max(record.title.split(), key=len).strip(".,:;()").lower()
    shown, hidden, screenshot = consumers.chromium_search(page, word, tmp_path)
    print(f"screenshot of the search for {word!r}: {screenshot}")
    assert key in shown and screenshot.is_file() and screenshot.stat().st_size > 1000
    matching = {k for k, r in outputs.records.items() if word in f"{r.title} {r.container_title} {k}".lower()}
    assert shown <= set(outputs.records) and not hidden & matching  # what matches stays
    assert len(shown) < len(outputs.records)  # and what does not is hidden
    nothing, everything, _ = consumers.chromium_search(page, "zzzz-no-such-word", tmp_path)
    assert not nothing and everything == set(outputs.records)
