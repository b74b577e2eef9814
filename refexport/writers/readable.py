"""The bibliography people read rather than import: HTML pages (a page a section, one for the
whole list, an index linking them) and Markdown a list maintainer can paste into a README.

pybtex's formatting engine does the typesetting: its `unsrt` style, with the title linked to the
DOI, else the arXiv page, else the URL, and its html and markdown backends. The records are
Unicode already, so nothing TeX is left; the arXiv id, the code link and whether an item is
unresolved are shown.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.database import Entry
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting.unsrt import Style
from pybtex.style.template import FieldIsMissing, first_of, href, join, optional, sentence, words
from pybtex.style.template import field as template_field

from ..escape import html_attribute, markdown_destination, markdown_text, safe_url
from ..model import Name, Record, Work
from .bibtex import CONTAINER_FIELD, ENTRY_TYPES, PUBLISHER_FIELD

UNRESOLVED = "unresolved: written from the list"
# pybtex reads field values as LaTeX: a brace would group, a backslash start a command, % begin a
# comment and ~ become a space. Our text is plain Unicode, so those are written as what they show.
_LATEX_MARKUP = str.maketrans({"{": "", "}": "", "\\": "∖", "%": "\\%", "~": "∼"})


class ReadableStyle(Style):  # type: ignore[misc]  # pybtex ships no types
    """pybtex's unsrt, with titles kept as written and linked, and the code link shown. Author
    lists come written as unsrt writes them ("A B, C D, and E F"): pybtex parsing every name part
    again cost as much as all the rest of an entry."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._templates: dict[str, Any] = {}

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        # unsrt builds a type's template anew for every entry; ours depend on the type alone
        # (no entry here has editors, the one thing unsrt's templates ask of an entry).
        template = self._templates.get(entry.type)
        if template is None:
            template = self._templates[entry.type] = getattr(self, f"get_{entry.type}_template")(entry)
        return FormattedEntry(entry.key, template.format_data({"entry": entry, "style": self, "bib_data": bib_data}), label)

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        written = template_field(f"{role}list")
        return sentence[written] if as_sentence else written

    def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
        title = template_field(which_field)
        linked = first_of[
            optional[href(join["https://doi.org/", template_field("doi", raw=True)])[title]],
            optional[href(join["https://arxiv.org/abs/", template_field("eprint", raw=True)])[title]],
            optional[href(template_field("url", raw=True))[title]],
            title,
        ]
        return sentence[linked] if as_sentence else linked

    def format_web_refs(self, e: Any) -> Any:
        return sentence[
            optional[self.format_eprint(e)],
            optional[self.format_doi(e)],
            optional[words["code:", href(template_field("code", raw=True))[template_field("code", raw=True)]]],
        ]


def _plain(text: str) -> str:
    return " ".join(text.translate(_LATEX_MARKUP).split())


def _written(name: Name) -> str:
    return _plain(name.literal or f"{name.given} {name.family}")


def name_list(names: Sequence[Name]) -> str:
    """Names as pybtex's unsrt joins them: "A", "A and B", "A, B, and C"."""
    written = [_written(name) for name in names]
    if len(written) <= 2:
        return " and ".join(written)
    return ", ".join(written[:-1]) + ", and " + written[-1]


def _entry(record: Record, code_url: str, unresolved: bool) -> Entry:
    entry_type = ENTRY_TYPES.get(record.type, "misc")
    fields: dict[str, str] = {"title": _plain(record.title) or "Untitled"}
    container = _plain(record.container_title)
    if container:
        fields[CONTAINER_FIELD.get(entry_type, "howpublished")] = container
    elif record.is_preprint:
        fields["howpublished"] = "arXiv preprint"
    elif record.type == "software":
        fields["howpublished"] = "Software" + (f", {_plain(record.publisher)}" if record.publisher else "")
    if record.publisher and entry_type in ("book", "techreport", "phdthesis"):
        fields[PUBLISHER_FIELD.get(entry_type, "publisher")] = _plain(record.publisher)
    fields["year"] = str(record.year) if record.year is not None else "n.d."
    for name, value in (("volume", record.volume), ("number", record.issue), ("pages", record.page)):
        if value:
            fields[name] = _plain(value)
    for name, value in (("doi", record.doi), ("eprint", record.arxiv), ("url", safe_url(record.url)), ("code", safe_url(code_url))):
        if value:
            fields[name] = value
    if unresolved:
        fields["note"] = UNRESOLVED
    if record.authors:
        fields["authorlist"] = name_list(record.authors)
    return Entry(entry_type, fields=fields)


@dataclass(frozen=True)
class Readable:
    """One work typeset, as HTML and as Markdown."""

    key: str
    html: str
    markdown: str


class _Html(HtmlBackend):  # type: ignore[misc]
    """pybtex's HTML, with a link's address escaped for its attribute."""

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        address = safe_url(url)
        return f'<a href="{html_attribute(address)}">{text}</a>' if text and address else text


class _Markdown(MarkdownBackend):  # type: ignore[misc]
    """pybtex's Markdown, with a link's destination that nothing in it can end."""

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        return f"[{text}]({markdown_destination(url)})" if text and safe_url(url) else text


@lru_cache(maxsize=1)
def _engine() -> tuple[ReadableStyle, HtmlBackend, MarkdownBackend]:
    return ReadableStyle(abbreviate_names=False), _Html(), _Markdown()


def typeset(work: Work, code_url: str = "", unresolved: bool = False) -> Readable:
    style, html_backend, markdown_backend = _engine()
    entry = _entry(work.record, code_url, unresolved)
    entry.key = work.key
    try:
        text: Text = style.format_entry(work.key, entry).text
    except FieldIsMissing:
        # A record without what its type's template requires (no author, no journal): as misc,
        # whose every field is optional.
        entry.type = "misc"
        text = style.format_entry(work.key, entry).text
    # pybtex ends each block with a line break; an entry is one line of a list item here.
    return Readable(work.key, " ".join(str(text.render(html_backend)).split("\n")), " ".join(str(text.render(markdown_backend)).split("\n")))


def markdown_page(heading: str, typeset_works: Sequence[Readable]) -> str:
    lines = [f"# {markdown_text(heading)}", ""]
    lines += [f"{number}. {each.markdown}" for number, each in enumerate(typeset_works, start=1)]
    return "\n".join(lines) + "\n"

