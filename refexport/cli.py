"""The command line: parses options, calls one function of `refexport.app`, prints the result.

Exit statuses: 0 done; 1 incomplete (a resolve whose requests failed or passed a bound: what the
lock knew is kept); 2 bad usage or input (one line on stderr: every `RefexportError`); 3 `--strict`
findings (the files are written all the same); 130 interrupted (Ctrl-C: the lock as it was).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, app
from .errors import RefexportError
from .maintain.edit import Edit
from .maintain.review import render_lint_text, render_review_text
from .model import Diagnostic, Status
from .report import plural
from .resolve.sources.registry import SOURCES

F = TypeVar("F", bound=Callable[..., Any])
INCOMPLETE, USAGE, STRICT, INTERRUPTED = 1, 2, 3, 130
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class _Commands(click.Group):
    """The command group, turning expected failures and usage errors into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefexportError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(USAGE)
        except click.UsageError as error:
            command = f"refexport {error.ctx.info_name} --help" if error.ctx and error.ctx.parent else "refexport --help"
            click.echo(f"Error: {error.format_message()} (see {command})", err=True)
            ctx.exit(USAGE)
        except KeyboardInterrupt:
            click.echo("\nInterrupted: nothing more was asked or written; the lock is as it was.", err=True)
            ctx.exit(INTERRUPTED)


@dataclass(frozen=True)
class _Voice:
    """How much a command says: `--quiet` errors only, `--verbose` every note, `--json` one
    machine-readable summary on stdout (and nothing else there)."""

    quiet: bool = False
    verbose: bool = False
    as_json: bool = False

    def say(self, text: str) -> None:
        """The command's result, for people (stdout)."""
        if not (self.quiet or self.as_json):
            click.echo(text)

    def note(self, text: str) -> None:
        """A warning or note (stderr); not with --quiet or --json."""
        if not (self.quiet or self.as_json):
            click.echo(text, err=True)

    def detail(self, text: str) -> None:
        """What only --verbose shows (stderr)."""
        if self.verbose and not self.as_json:
            click.echo(text, err=True)

    def problem(self, text: str) -> None:
        """Why the command fails (stderr), said whatever the voice."""
        click.echo(text, err=True)

    def summary(self, data: dict[str, Any]) -> None:
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))


def _voice(function: F) -> F:
    """--quiet, --verbose and --json, passed to the command as `voice`."""

    @click.option("--json", "as_json", is_flag=True, help="Print one JSON summary on stdout, and nothing else there.")
    @click.option("-v", "--verbose", is_flag=True, help="Also every note (each table-of-contents link, …).")
    @click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
    @functools.wraps(function)
    def command(*arguments: Any, quiet: bool, verbose: bool, as_json: bool, **options: Any) -> Any:
        return function(*arguments, voice=_Voice(quiet, verbose, as_json), **options)

    return command  # type: ignore[return-value]


def _diagnostics(voice: _Voice, diagnostics: Sequence[Diagnostic]) -> None:
    """Warnings one a line; notes one a line with --verbose, else one line per kind with a count."""
    for diagnostic in diagnostics:
        if diagnostic.level == "warning":
            voice.note(str(diagnostic))
        else:
            voice.detail(str(diagnostic))
    if voice.verbose:
        return
    kinds = Counter(diagnostic.message.split(": '", 1)[0] for diagnostic in diagnostics if diagnostic.level != "warning")
    for kind, count in sorted(kinds.items(), key=lambda pair: (-pair[1], pair[0])):
        voice.note(f"Note: {plural(count, 'line')}: {kind} (--verbose lists them)")


def _inputs(function: F) -> F:
    """--list, --lock and --overrides: the three inputs every command reads."""
    options = (
        click.option("--list", "list_path", default="reading-list.md", show_default=True,
                     type=click.Path(path_type=Path, dir_okay=False), help="The reading list."),
        click.option("--lock", "lock_path", default="refexport.lock", show_default=True,
                     type=click.Path(path_type=Path, dir_okay=False), help="Lock file."),
        click.option("--overrides", "overrides_dir", default="overrides", show_default=True,
                     type=click.Path(path_type=Path, file_okay=False), help="Folder of override files (*.toml)."),
    )
    for option in reversed(options):
        function = option(function)
    return function


SECTION_LEVEL = click.option(
    "--section-level", type=click.IntRange(1, 6),
    help="Make sections of the headings of this level (1 for #); deeper headings become topics. "
         "Default: the highest level that divides the entries.",
)


def _web_address(ctx: click.Context, parameter: click.Parameter, value: str) -> str:
    """An http(s) address with a host, or a usage error now (not twelve retries of an outage)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value[:100]!r} is not an http or https address (e.g. https://api.crossref.org)")
    return value


def _source_urls(function: F) -> F:
    """One --<source>-url option a source of the registry, each with its environment variable."""
    for source in reversed(SOURCES):
        function = click.option(source.option, source.setting, envvar=source.env, default=source.url, show_default=True,
                                callback=_web_address, help=f"Where to ask {source.name} ({source.answers}).  [env: {source.env}]")(function)
    return function


def _out_option(help_text: str) -> Callable[[F], F]:
    return click.option("--out", "out_dir", default="out", show_default=True,
                        type=click.Path(path_type=Path, file_okay=False), help=help_text)


@click.group(cls=_Commands, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="refexport")
def cli() -> None:
    """Turn a markdown reading list into BibTeX, CSL-JSON and RIS bibliographies, per section."""


@cli.command("build")
@_inputs
@_out_option("Folder for the output files.")
@SECTION_LEVEL
@click.option("--strict", is_flag=True, help="Exit 3 when any item is unresolved or any line gave a warning.")
@click.option("--venue-names", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="Conference papers' proceedings as their whole title, or short (\"NeurIPS 2022\", for tight page limits).")
@_voice
def build_command(
    list_path: Path, lock_path: Path, overrides_dir: Path, out_dir: Path, section_level: int | None, strict: bool, venue_names: str,
    voice: _Voice,
) -> None:
    """Write OUT/<section>.bib|.json|.ris, OUT/all.* and OUT/report.md from the list, without network.

    \b
    Example:
      refexport build --list reading-list.md --out out --strict
    """
    result = app.build(list_path, out_dir, lock_path, overrides_dir, section_level=section_level, short_venues=venue_names == "short")
    if not lock_path.exists():
        voice.note(f"Note: {lock_path} does not exist: every item is written from the list alone "
                   "(`refexport resolve` writes the lock).")
    _diagnostics(voice, result.reading_list.diagnostics)
    voice.say(f"{result.summary.line()}.")
    voice.say(f"Wrote {result.written} files to {out_dir}/ ({len(result.changed)} changed); see {out_dir}/report.md and {out_dir}/index.html.")
    unresolved = result.summary.statuses[Status.UNRESOLVED.value]
    failing = strict and bool(unresolved or result.summary.warnings)
    voice.summary({"command": "build", "items": result.summary.items, "works": result.summary.works, "sections": result.summary.sections,
                   "statuses": result.summary.statuses, "warnings": result.summary.warnings, "written": result.written,
                   "changed": [str(path) for path in result.changed], "out": str(out_dir),
                   "diagnostics": [{"line": d.line, "level": d.level, "kind": d.kind, "message": d.message} for d in result.reading_list.diagnostics],
                   "exit": STRICT if failing else 0})
    if failing:
        problems = f"{plural(unresolved, 'unresolved item')} and {plural(result.summary.warnings, 'warning')}"
        voice.problem(f"--strict: failing on {problems}.")
        sys.exit(STRICT)


class _Progress:
    """A progress bar on a terminal; nothing in CI or when output is redirected."""

    def __init__(self, *, shown: bool = True) -> None:
        shown = shown and not os.environ.get("CI") and sys.stderr.isatty()
        self._bar = click.progressbar(length=1, label="Resolving", file=sys.stderr) if shown else None

    def advance(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.length = total
            self._bar.update(done - self._bar.pos)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()


@cli.command("resolve")
@_inputs
@_out_option("Folder for CHANGES.md, what this run changed in the lock.")
@click.option("--refresh", is_flag=True, help="Ask again about every item, bypassing the response cache.")
@click.option("--rekey", is_flag=True, help="Give every item the key the formula gives now, even if the lock has another.")
@click.option("--mailto", envvar="REFEXPORT_MAILTO", help="Your e-mail, sent to Crossref (its polite pool) and in the User-Agent.  [env: REFEXPORT_MAILTO]")
@_source_urls
@click.option("--cache-dir", default=".cache", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the response cache.")
@click.option("--no-cache", is_flag=True, help="Keep no response cache.")
@click.option("--concurrency", type=click.IntRange(min=1), help="At most this many requests in flight to one source (default: what the source announces).")
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True, help="Seconds to wait for one whole answer.")
@click.option("--deadline", type=click.FloatRange(min=1), default=3600.0, show_default=True,
              help="Seconds for the whole run; past it nothing more is asked, the lock keeps what it knew, and the run exits 1.")
@SECTION_LEVEL
@_voice
def resolve_command(
    list_path: Path, lock_path: Path, overrides_dir: Path, out_dir: Path, refresh: bool, rekey: bool, mailto: str | None,
    cache_dir: Path, no_cache: bool, concurrency: int | None, timeout: float, deadline: float, section_level: int | None, voice: _Voice,
    **urls: str,
) -> None:
    """Find the DOI and arXiv id of every item the lock lacks, on Crossref and arXiv, and write the lock.

    With a complete lock this asks nothing. Every decision is recorded in the lock with its reasons.

    \b
    Example:
      REFEXPORT_MAILTO=you@example.org refexport resolve
    """
    from .resolve.settings import Settings

    settings = Settings(
        urls={source.name: urls[source.setting] for source in SOURCES}, mailto=mailto, refresh=refresh, concurrency=concurrency,
        timeout=timeout, deadline=deadline, cache_path=None if no_cache else cache_dir / "responses.sqlite",
    )
    progress = _Progress(shown=not (voice.quiet or voice.as_json))
    started = time.monotonic()
    try:
        result = app.update_lock(list_path, lock_path, overrides_dir, settings, rekey=rekey, progress=progress.advance,
                                 changes_path=out_dir / "CHANGES.md", section_level=section_level)
    finally:
        progress.finish()
    statuses = Counter(decision.status.value for decision in result.decisions.values())
    if not result.asked:
        voice.say(f"{lock_path} is complete: nothing to ask.")
    else:
        voice.say(
            f"Asked about {plural(result.asked, 'work')}: {statuses['resolved']} resolved, "
            f"{statuses['unresolved']} unresolved, in {time.monotonic() - started:.1f} s."
        )
    if result.statistics is not None:
        stats = result.statistics
        for source in (info.name for info in SOURCES):
            voice.say(
                f"  {source}: {plural(stats.requests[source], 'request')} ({stats.lookups[source]} by identifier), "
                f"{stats.seconds.get(source, 0.0) / max(stats.requests[source], 1):.2f} s an answer, "
                f"{plural(stats.retries[source], 'retr', 'y', 'ies')}, "
                f"{stats.cached[source]} from cache, {plural(stats.failures[source], 'failure')}"
            )
    for source, why in result.unreachable.items():
        voice.problem(f"{source} was not asked again in this run: {why}.")
    for note in result.notes:
        voice.note(f"Note: {note}.")
    voice.say(f"{'Wrote' if result.lock_changed else 'Unchanged:'} {lock_path}.")
    if result.asked or result.lock_changed:
        voice.say(f"{plural(len(result.changes), 'change')} to the lock: see {out_dir / 'CHANGES.md'}.")
    counted = result.statistics
    requests = {source.name: {counter: getattr(counted, counter)[source.name] for counter in ("requests", "lookups", "retries", "cached", "failures")}
                for source in SOURCES} if counted is not None else {}
    voice.summary({"command": "resolve", "asked": result.asked, "statuses": dict(statuses), "requests": requests,
                   "unreachable": dict(result.unreachable), "notes": list(result.notes), "lock": str(lock_path), "lock_changed": result.lock_changed,
                   "changes": len(result.changes), "kept": len(result.kept), "exit": INCOMPLETE if result.failed else 0})
    if result.failed:
        what = "every request failed" if result.every_request_failed else "requests failed"
        voice.problem(f"Incomplete: {what}; {plural(len(result.kept), 'decision')} kept as the lock had them, "
                      "to be asked again by the next resolve.")
        sys.exit(INCOMPLETE)


@cli.command("review")
@_inputs
@_voice
def review_command(list_path: Path, lock_path: Path, overrides_dir: Path, voice: _Voice) -> None:
    """Show every item to look at: unresolved, unsure, or disagreeing with the list, with the
    queries sent and the candidates considered. (`refexport build` puts the same in out/report.md.)"""
    flagged = app.review(list_path, lock_path, overrides_dir)
    voice.say(render_review_text(flagged).rstrip("\n"))
    voice.summary({"command": "review", "items": [{"line": f.entry.item.line, "key": f.entry.key, "status": f.entry.decision.status.value,
                                                   "flags": list(f.flags)} for f in flagged]})


@cli.command("lint")
@_inputs
@click.option("--strict", is_flag=True, help="Exit 3 when there is any finding (for a list repository's CI).")
@_voice
def lint_command(list_path: Path, lock_path: Path, overrides_dir: Path, strict: bool, voice: _Voice) -> None:
    """Check the list itself: duplicates, wrong years and venues, garbled or unknown venues,
    software with paper venues, titles that match nothing, lines that do not parse."""
    reading_list, findings = app.lint_list(list_path, lock_path, overrides_dir)
    voice.say(render_lint_text(findings, reading_list.path).rstrip("\n"))
    voice.summary({"command": "lint", "findings": [{"line": f.line, "kind": f.kind, "message": f.message, "fix": f.fix} for f in findings],
                   "exit": STRICT if strict and findings else 0})
    if strict and findings:
        sys.exit(STRICT)


def _report_edit(edit: Edit, done: str) -> None:
    click.echo(f"{done} line {edit.item.line} ({edit.item.title}): {'added to' if edit.created else 'updated in'} {edit.path}.")
    click.echo("Run `refexport resolve` (it asks only about this item) and `refexport build`.")


def _identifier_command(name: str, reject: bool, done: str, summary: str) -> None:
    """`pin` and `reject`: the same options, opposite overrides."""

    @cli.command(name, help=summary)
    @click.argument("item")
    @click.option("--doi", help="A DOI (10.1145/…).")
    @click.option("--arxiv", help="An arXiv id (2309.06180).")
    @click.option("--dblp", help="A dblp record's key (conf/nips/DaoFERR22).")
    @_inputs
    def command(item: str, doi: str | None, arxiv: str | None, dblp: str | None, list_path: Path, lock_path: Path, overrides_dir: Path) -> None:
        _report_edit(app.edit_override(list_path, lock_path, overrides_dir, item, doi=doi, arxiv=arxiv, dblp=dblp, reject=reject), done)


_identifier_command("pin", False, "Pinned", "Pin ITEM (a line number, key or title fragment) to a DOI, arXiv id and/or dblp record, in an override.")
_identifier_command("reject", True, "Rejected for",
                    "Never match ITEM to this DOI, arXiv id or dblp record again (the next resolve searches it anew).")


@cli.command("skip")
@click.argument("item")
@_inputs
def skip_command(item: str, list_path: Path, lock_path: Path, overrides_dir: Path) -> None:
    """Leave ITEM unresolved on purpose: it is not searched again."""
    _report_edit(app.edit_override(list_path, lock_path, overrides_dir, item, skip=True), "Skipped")


@cli.command("release")
@click.option("--list", "list_path", default="reading-list.md", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The reading list (its title names the archives).")
@_out_option("Folder the build wrote.")
@click.option("--dist", "dist_dir", default="dist", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the archives.")
@click.option("--version", "version", help="Release version (default: today's date, YYYY.MM.DD).")
def release_command(list_path: Path, out_dir: Path, dist_dir: Path, version: str | None) -> None:
    """Pack OUT into DIST/<list-name>-<version>.zip and .tar.gz, with SHA256SUMS."""
    for path in app.release(out_dir, dist_dir, list_path, version):
        click.echo(f"Wrote {path}.")


def main() -> None:
    cli()
