"""The command line: a thin layer over `refexport.build`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .build import InputError, build
from .lock import LockError
from .model import Status
from .overrides import OverrideError
from .report import plural

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


def main() -> None:
    cli()
