"""The command line: a thin layer over `refexport.build`."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .build import InputError, build, update_lock
from .lock import LockError
from .model import Status
from .overrides import OverrideError
from .report import plural
from .sources.arxiv import DEFAULT_URL as ARXIV_URL
from .sources.crossref import DEFAULT_URL as CROSSREF_URL

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="refexport")
def cli() -> None:
    """Turn a markdown reading list into BibTeX, CSL-JSON and RIS bibliographies, per section."""


@cli.command("build")
@click.argument("reading_list", default="reading-list.md", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the output files.")
@click.option("--lock", "lock_path", default="refexport.lock", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="Lock file with the resolved decisions.")
@click.option("--overrides", "overrides_dir", default="overrides", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder of override files (*.toml).")
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
@click.option("--lock", "lock_path", default="refexport.lock", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="Lock file to update.")
@click.option("--overrides", "overrides_dir", default="overrides", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder of override files (*.toml).")
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
    reading_list: Path, lock_path: Path, overrides_dir: Path, refresh: bool, rekey: bool, mailto: str | None,
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
        result = update_lock(reading_list, lock_path, overrides_dir, settings, rekey=rekey, progress=advance)
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


def main() -> None:
    cli()
