"""The application layer: one function per command, composing the pipeline with its edges.

Read the list, lock and overrides; decide (`assemble`, or `resolve` for what the lock lacks);
render; write. The command line only parses options, calls one of these and prints the result.
Every expected failure is a `refexport.errors.RefexportError`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .assemble import assemble
from .errors import InputError, ItemError, LockError, OutputError
from .files import MIB, NotRegular, read_regular
from .join import join, relock
from .lock import EMPTY, dump_lock, load_lock, merge, rows_of
from .maintain.changes import Change, compare, render_changes
from .maintain.edit import Edit, identifier_changes, write_override
from .maintain.review import Finding, Flagged, lint, to_review
from .model import Bibliography, Decision, LockFile, Override, ReadingList
from .output import section_slugs, write_atomically, write_outputs
from .overrides import load_overrides
from .readinglist import parse_reading_list
from .release import default_version, make_release
from .report import FileSet, Summary
from .writers import build_files

if TYPE_CHECKING:  # the resolver and its network libraries load only when resolving
    from .resolve.settings import Settings
    from .resolve.transport.http import Statistics

#: Larger lists and locks are refused with a clear message rather than read slowly into memory
#: (a lock holds some kilobytes an item: 256 MiB is some 60,000 items).
MAX_LIST_BYTES = 16 * MIB
MAX_LOCK_BYTES = 256 * MIB


@dataclass(frozen=True)
class BuildResult:
    reading_list: ReadingList
    bibliography: Bibliography
    summary: Summary
    files: tuple[FileSet, ...]
    written: int  # every file of the build, changed or not
    changed: tuple[Path, ...]


def shown(path: Path) -> str:
    """A path as reports show it: relative to the working folder when inside it, so that
    reports do not depend on where a checkout lives."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_list(path: Path, section_level: int | None = None) -> ReadingList:
    """The reading list at `path`; sections at `section_level` (default: the level that divides it)."""
    try:
        data = read_regular(path, MAX_LIST_BYTES)
    except NotRegular as error:
        raise InputError(f"the list {error}", path=str(path)) from error
    except OSError as error:
        raise InputError(f"cannot read the list ({error.strerror})", path=str(path)) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the list as UTF-8", path=str(path), line=line
        ) from error
    reading_list = parse_reading_list(text, shown(path), section_level=section_level)
    if not reading_list.items:
        raise InputError("no entries found (list items or table rows with a title)", path=str(path))
    return reading_list


def read_lock(path: Path) -> LockFile:
    """The lock's decisions; none when the file does not exist yet."""
    try:
        text = read_regular(path, MAX_LOCK_BYTES).decode("utf-8")
    except FileNotFoundError:
        return EMPTY
    except NotRegular as error:
        raise LockError(f"the lock {error}", path=str(path)) from error
    except OSError as error:
        raise LockError(f"cannot read the lock ({error.strerror})", path=str(path)) from error
    except UnicodeDecodeError as error:
        raise LockError(f"not UTF-8 text (byte {error.start})", path=str(path)) from error
    return load_lock(text, shown(path))


@dataclass(frozen=True)
class Inputs:
    reading_list: ReadingList
    lock: LockFile
    overrides: list[Override]


@contextlib.contextmanager
def project_lock(lock_path: Path) -> Iterator[None]:
    """One writer at a time: an exclusive lock on the folder that holds the lock file, for the
    commands that write the lock or the overrides. A second one stops with a clear message."""
    folder = lock_path.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise OutputError(f"cannot open the folder ({error.strerror})", path=str(folder)) from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise OutputError("another refexport is resolving or editing this project; run again when it has finished",
                              path=str(folder)) from error
        yield
    finally:
        os.close(handle)


def read_inputs(list_path: Path, lock_path: Path, overrides_dir: Path, section_level: int | None = None) -> Inputs:
    """The list, the lock and the overrides, each checked."""
    return Inputs(read_list(list_path, section_level), read_lock(lock_path), load_overrides(overrides_dir, shown(overrides_dir)))


def build(
    list_path: Path, out_dir: Path, lock_path: Path, overrides_dir: Path, *, section_level: int | None = None, short_venues: bool = False,
) -> BuildResult:
    """Build every output from the list, the lock and the overrides, without any network."""
    inputs = read_inputs(list_path, lock_path, overrides_dir, section_level)
    reading_list = inputs.reading_list
    bibliography = assemble(join(reading_list, inputs.lock, inputs.overrides))
    built = build_files(reading_list, bibliography, short_venues=short_venues)
    files, sets, found = built.files, built.sets, built.found
    changed = write_outputs(out_dir, files)
    return BuildResult(
        reading_list=reading_list,
        bibliography=bibliography,
        summary=found.summary,
        files=tuple(sets),
        written=len(files),
        changed=tuple(changed),
    )


@dataclass(frozen=True)
class ResolveResult:
    asked: int  # distinct works asked about
    decisions: dict[str, Decision]  # what the sources gave for them, by normalized seed title
    statistics: Statistics | None  # None: no source was asked
    unreachable: Mapping[str, str]  # a source not asked again in the run → why
    lock_changed: bool
    changes: tuple[Change, ...]
    kept: tuple[str, ...] = ()  # seed titles whose known decision a failed request could not renew
    notes: tuple[str, ...] = ()  # what went wrong on the way without stopping the run (the cache)

    @property
    def failed(self) -> bool:
        """Whether any request failed for good: the run is not complete (exit status 1)."""
        return bool(self.kept or self.unreachable or (self.statistics and sum(self.statistics.failures.values())))

    @property
    def every_request_failed(self) -> bool:
        stats = self.statistics
        return stats is not None and 0 < sum(stats.requests.values()) <= sum(stats.failures.values())


def update_lock(
    list_path: Path,
    lock_path: Path,
    overrides_dir: Path,
    settings: Settings,
    *,
    changes_path: Path | None = None,
    rekey: bool = False,
    progress: Callable[[int, int], None] | None = None,
    section_level: int | None = None,
) -> ResolveResult:
    """Resolve what the lock lacks (everything, with `settings.refresh`) and write the lock, and
    what changed in it to `changes_path` (when something was asked or changed).

    With a complete lock nothing is asked and no connection is opened.
    """
    with project_lock(lock_path):
        return _update_lock(list_path, lock_path, overrides_dir, settings, changes_path=changes_path, rekey=rekey,
                            progress=progress, section_level=section_level)


def _update_lock(
    list_path: Path,
    lock_path: Path,
    overrides_dir: Path,
    settings: Settings,
    *,
    changes_path: Path | None,
    rekey: bool,
    progress: Callable[[int, int], None] | None,
    section_level: int | None,
) -> ResolveResult:
    from .resolve.plan import plan

    inputs = read_inputs(list_path, lock_path, overrides_dir, section_level)
    reading_list, lock, overrides = inputs.reading_list, inputs.lock, inputs.overrides
    joined = join(reading_list, lock, overrides)
    todo = plan(joined, refresh=settings.refresh)
    decisions: dict[str, Decision] = {}
    statistics: Statistics | None = None
    unreachable: Mapping[str, str] = {}
    notes: tuple[str, ...] = ()
    if todo.tasks:
        total = len(todo.tasks)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        from .resolve.session import Session

        session = Session(settings, progress=advance)
        try:
            decisions |= session.run(todo.tasks)
        finally:
            session.close()
        statistics = session.statistics
        unreachable, notes = session.unreachable, session.notes
    merged, kept = merge(lock, {**todo.settled, **decisions})
    bibliography = assemble(relock(joined, merged, overrides), rekey=rekey)
    changed = write_atomically(lock_path, dump_lock(rows_of(bibliography.entries)))
    changes = compare(lock, bibliography.entries)
    if changes_path is not None and (changed or todo.tasks):
        write_atomically(changes_path, render_changes(changes, lock_path.name))
    return ResolveResult(len(todo.tasks), decisions, statistics, unreachable, changed, tuple(changes), tuple(kept), notes)


def review(list_path: Path, lock_path: Path, overrides_dir: Path) -> list[Flagged]:
    """Every item to look at, with why."""
    inputs = read_inputs(list_path, lock_path, overrides_dir)
    return to_review(assemble(join(inputs.reading_list, inputs.lock, inputs.overrides)))


def lint_list(list_path: Path, lock_path: Path, overrides_dir: Path) -> tuple[ReadingList, list[Finding]]:
    """What in the list itself should change."""
    inputs = read_inputs(list_path, lock_path, overrides_dir)
    return inputs.reading_list, lint(inputs.reading_list, assemble(join(inputs.reading_list, inputs.lock, inputs.overrides)))


def edit_override(
    list_path: Path, lock_path: Path, overrides_dir: Path, needle: str, *,
    doi: str | None = None, arxiv: str | None = None, dblp: str | None = None, reject: bool = False, skip: bool = False,
) -> Edit:
    """`pin` (a DOI, arXiv id and/or dblp record), `reject` (the same, never to be matched again) or
    `skip` the item that `needle` (a line number, key or title fragment) names, in an override file."""
    changes: dict[str, object] = {"skip": True} if skip else identifier_changes(doi, arxiv, dblp, reject=reject)
    if not changes:
        raise ItemError("give --doi, --arxiv or --dblp")
    with project_lock(lock_path):
        inputs = read_inputs(list_path, lock_path, overrides_dir)
        return write_override(inputs.reading_list, inputs.lock, inputs.overrides, overrides_dir, needle, changes)


def release(out_dir: Path, dist_dir: Path, list_path: Path, version: str | None = None) -> list[Path]:
    """Pack what the build wrote into `dist_dir`, named after the list's first heading."""
    listed = read_list(list_path)
    name = next(iter(section_slugs([listed.title]).values())) if listed.title else list_path.stem
    return make_release(out_dir, dist_dir, name, version or default_version())
