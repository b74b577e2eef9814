"""The output formats: each a pure function from works (in order) to the text of one file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Work
from .bibtex import render_bibtex
from .csljson import render_csljson
from .ris import render_ris


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    render: Callable[[Sequence[Work]], str]


WRITERS: tuple[Writer, ...] = (
    Writer("bibtex", ".bib", render_bibtex),
    Writer("csl-json", ".json", render_csljson),
    Writer("ris", ".ris", render_ris),
)
