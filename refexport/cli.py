"""The command line: a thin layer over `refexport.build`."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .build import InputError, build, shown, update_lock
from .lock import LockError
from .model import Status
from .overrides import OverrideError
from .report import plural
from .sources.arxiv import DEFAULT_URL as ARXIV_URL
from .sources.crossref import DEFAULT_URL as CROSSREF_URL

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
LOCK_OPTION = click.option("--lock", "lock_path", default="refexport.lock", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="Lock file.")
OVERRIDES_OPTION = click.option("--overrides", "overrides_dir", default="overrides", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder of override files (*.toml).")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="refexport")
def cli() -> None:
    """Turn a markdown reading list into BibTeX, CSL-JSON and RIS bibliographies, per section."""


@cli.command("build")
@click.argument("reading_list", default="reading-list.md", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the output files.")
@LOCK_OPTION
@OVERRIDES_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 when any item is unresolved or any line gave a warning.")
def build_command(reading_list: Path, out_dir: Path, lock_path: Path, overrides_dir: Path, strict: bool) -> None:
    """Write OUT/<section>.bib|.json|.ris, OUT/all.* and OUT/report.md from the list, without network.

    \b
    Example:
      refexport build reading-list.md --out out --strict
    """
    try:
        result = build(reading_list, out_dir, lock_path, overrides_dir)
    except (InputError, OverrideError, LockError) as error:
        raise click.UsageError(str(error)) from error
    for diagnostic in result.reading_list.diagnostics:
        click.echo(str(diagnostic), err=True)
    click.echo(f"{result.summary.line()}.")
    click.echo(f"Wrote {len(result.files) * 3 + 2} files to {out_dir}/ ({len(result.changed)} changed); see {out_dir}/report.md.")
    unresolved = result.summary.statuses[Status.UNRESOLVED.value]
    if strict and (unresolved or result.summary.warnings):
        problems = f"{plural(unresolved, 'unresolved item')} and {plural(result.summary.warnings, 'warning')}"
        click.echo(f"--strict: failing on {problems}.", err=True)
        sys.exit(1)


def _progress_bar() -> tuple[object, object]:
    """A progress bar on a terminal; nothing in CI or when output is redirected."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None, None
    bar = click.progressbar(length=1, label="Resolving", file=sys.stderr)

    def advance(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)

    return bar, advance


@cli.command("resolve")
@click.argument("reading_list", default="reading-list.md", type=click.Path(path_type=Path, dir_okay=False))
@LOCK_OPTION
@OVERRIDES_OPTION
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for CHANGES.md, what this run changed in the lock.")
@click.option("--refresh", is_flag=True, help="Ask again about every item, bypassing the response cache.")
@click.option("--rekey", is_flag=True, help="Give every item the key the formula gives now, even if the lock has another.")
@click.option("--mailto", envvar="REFEXPORT_MAILTO", help="Your e-mail, sent to Crossref (its polite pool) and in the User-Agent.  [env: REFEXPORT_MAILTO]")
@click.option("--crossref-url", envvar="REFEXPORT_CROSSREF_URL", default=CROSSREF_URL, show_default=True, help="Crossref REST API base URL.  [env: REFEXPORT_CROSSREF_URL]")
@click.option("--arxiv-url", envvar="REFEXPORT_ARXIV_URL", default=ARXIV_URL, show_default=True, help="arXiv query API URL.  [env: REFEXPORT_ARXIV_URL]")
@click.option("--cache-dir", default=".cache", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the response cache.")
@click.option("--no-cache", is_flag=True, help="Keep no response cache.")
@click.option("--concurrency", type=click.IntRange(min=1), help="At most this many requests in flight to one source (default: what the source announces).")
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True, help="Seconds to wait for one answer.")
def resolve_command(
    reading_list: Path, lock_path: Path, overrides_dir: Path, out_dir: Path, refresh: bool, rekey: bool, mailto: str | None,
    crossref_url: str, arxiv_url: str, cache_dir: Path, no_cache: bool, concurrency: int | None, timeout: float,
) -> None:
    """Find the DOI and arXiv id of every item the lock lacks, on Crossref and arXiv, and write the lock.

    With a complete lock this asks nothing. Every decision is recorded in the lock with its reasons.

    \b
    Example:
      REFEXPORT_MAILTO=you@example.org refexport resolve
    """
    import time

    from .resolve import Settings

    settings = Settings(
        crossref_url=crossref_url, arxiv_url=arxiv_url, mailto=mailto, refresh=refresh, concurrency=concurrency,
        timeout=timeout, cache_path=None if no_cache else cache_dir / "responses.sqlite",
    )
    bar, advance = _progress_bar()
    started = time.monotonic()
    try:
        result = update_lock(reading_list, lock_path, overrides_dir, settings, rekey=rekey, progress=advance,
                             changes_path=out_dir / "CHANGES.md")
    except (InputError, OverrideError, LockError) as error:
        raise click.UsageError(str(error)) from error
    finally:
        if bar is not None:
            bar.render_finish()
    statuses = Counter(decision.status.value for decision in result.decisions.values())
    if not result.asked:
        click.echo(f"{lock_path} is complete: nothing to ask.")
    else:
        click.echo(
            f"Asked about {plural(result.asked, 'work')}: {statuses['resolved']} resolved, "
            f"{statuses['unresolved']} unresolved, in {time.monotonic() - started:.1f} s."
        )
    if result.statistics is not None:
        stats = result.statistics
        for source in ("crossref", "arxiv"):
            click.echo(
                f"  {source}: {plural(stats.requests[source], 'request')}, {plural(stats.retries[source], 'retr', 'y', 'ies')}, "
                f"{stats.cached[source]} from cache, {plural(stats.failures[source], 'failure')}"
            )
    for source in result.unreachable:
        click.echo(f"{source} was unreachable: not asked again in this run; its items stay as the lock and list say.", err=True)
    click.echo(f"{'Wrote' if result.lock_changed else 'Unchanged:'} {lock_path}.")
    if result.asked or result.lock_changed:
        click.echo(f"{plural(len(result.changes), 'change')} to the lock: see {out_dir / 'CHANGES.md'}.")


def _inputs(reading_list: Path, lock_path: Path, overrides_dir: Path):  # type: ignore[no-untyped-def]
    """The list, lock and overrides, or a usage error naming what is wrong."""
    from .build import read_list, read_lock
    from .overrides import load_overrides

    try:
        return read_list(reading_list), read_lock(lock_path), load_overrides(overrides_dir, shown(overrides_dir))
    except (InputError, OverrideError, LockError) as error:
        raise click.UsageError(str(error)) from error


def _input_options(function):  # type: ignore[no-untyped-def]
    function = OVERRIDES_OPTION(LOCK_OPTION(function))
    return click.option("--list", "reading_list", default="reading-list.md", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="The reading list.")(function)


@cli.command("review")
@_input_options
def review_command(reading_list: Path, lock_path: Path, overrides_dir: Path) -> None:
    """Show every item to look at: unresolved, unsure, or disagreeing with the list, with the
    queries sent and the candidates considered. (`refexport build` puts the same in out/report.md.)"""
    from .assemble import assemble
    from .review import render_review_text, to_review

    listed, lock, overrides = _inputs(reading_list, lock_path, overrides_dir)
    click.echo(render_review_text(to_review(assemble(listed, lock, overrides))), nl=False)


@cli.command("lint")
@_input_options
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding (for a list repository's CI).")
def lint_command(reading_list: Path, lock_path: Path, overrides_dir: Path, strict: bool) -> None:
    """Check the list itself: duplicates, wrong years and venues, garbled or unknown venues,
    software with paper venues, titles that match nothing, lines that do not parse."""
    from .assemble import assemble
    from .review import lint, render_lint_text

    listed, lock, overrides = _inputs(reading_list, lock_path, overrides_dir)
    findings = lint(listed, assemble(listed, lock, overrides))
    click.echo(render_lint_text(findings, listed.path), nl=False)
    if strict and findings:
        sys.exit(1)


def _edit(reading_list: Path, lock_path: Path, overrides_dir: Path, item: str, changes: dict[str, object], done: str) -> None:
    from .edit import ItemError, write_override

    if not changes:
        raise click.UsageError("give --doi or --arxiv")
    listed, lock, overrides = _inputs(reading_list, lock_path, overrides_dir)
    try:
        edit = write_override(listed, lock, overrides, overrides_dir, item, changes)
    except (ItemError, OverrideError) as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{done} line {edit.item.line} ({edit.item.title}): {'added to' if edit.created else 'updated in'} {edit.path}.")
    click.echo("Run `refexport resolve` (it asks only about this item) and `refexport build`.")


def _identifier_command(name: str, reject: bool, done: str, summary: str) -> None:
    """`pin` and `reject`: the same options, opposite overrides."""

    @cli.command(name, help=summary)
    @click.argument("item")
    @click.option("--doi", help="A DOI (10.1145/…).")
    @click.option("--arxiv", help="An arXiv id (2309.06180).")
    @_input_options
    def command(item: str, doi: str | None, arxiv: str | None, reading_list: Path, lock_path: Path, overrides_dir: Path) -> None:
        _edit(reading_list, lock_path, overrides_dir, item, _identifiers(doi, arxiv, reject=reject), done)


_identifier_command("pin", False, "Pinned", "Pin ITEM (a line number, key or title fragment) to a DOI and/or arXiv id, in an override.")
_identifier_command("reject", True, "Rejected for", "Never match ITEM to this DOI or arXiv id again (the next resolve searches it anew).")


@cli.command("skip")
@click.argument("item")
@_input_options
def skip_command(item: str, reading_list: Path, lock_path: Path, overrides_dir: Path) -> None:
    """Leave ITEM unresolved on purpose: it is not searched again."""
    _edit(reading_list, lock_path, overrides_dir, item, {"skip": True}, "Skipped")


def _identifiers(doi: str | None, arxiv: str | None, *, reject: bool) -> dict[str, object]:
    from .edit import identifier_changes
    from .identifiers import IdentifierError

    try:
        return identifier_changes(doi, arxiv, reject=reject)
    except IdentifierError as error:
        raise click.UsageError(str(error)) from error


@cli.command("release")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder the build wrote.")
@click.option("--dist", "dist_dir", default="dist", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the archives.")
@click.option("--list", "reading_list", default="reading-list.md", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="The reading list (its title names the archives).")
@click.option("--version", "version", help="Release version (default: today's date, YYYY.MM.DD).")
def release_command(out_dir: Path, dist_dir: Path, reading_list: Path, version: str | None) -> None:
    """Pack OUT into DIST/<list-name>-<version>.zip and .tar.gz, with SHA256SUMS."""
    from .build import read_list
    from .output import section_slugs
    from .release import ReleaseError, default_version, make_release

    try:
        listed = read_list(reading_list)
        headings = sorted([*listed.empty_headings, *((s.line, s.title) for s in listed.sections)])
        name = next(iter(section_slugs([headings[0][1]]).values())) if headings else reading_list.stem
        written = make_release(out_dir, dist_dir, name, version or default_version())
    except (InputError, ReleaseError) as error:
        raise click.UsageError(str(error)) from error
    for path in written:
        click.echo(f"Wrote {path}.")


def main() -> None:
    cli()
