"""The output formats. Each renders one work at a time (so a work shared by several files is
rendered once) and joins rendered works into a file's text. Pure: no network, no filesystem."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Work
from .bibtex import bibtex_entry, join_bibtex
from .csljson import csljson_entry, join_csljson
from .ris import join_ris, ris_entry


@dataclass(frozen=True)
class Writer:
    suffix: str
    render_entry: Callable[[Work], str]
    join: Callable[[Sequence[str]], str]


WRITERS: tuple[Writer, ...] = (
    Writer(".bib", bibtex_entry, join_bibtex),
    Writer(".json", csljson_entry, join_csljson),
    Writer(".ris", ris_entry, join_ris),
)
