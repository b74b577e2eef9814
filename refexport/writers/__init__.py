"""The output formats, and everything a build writes.

Every format renders one work at a time and joins a group's rendered works into a file's text;
formats that share a rendering (the HTML and Markdown pages share a work's typeset text) get it
computed once. A build writes, for each section and for the whole list, one file per format,
then the index page and the report (`build_files`). Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from ..model import Bibliography, ReadingList, Status, Work
from ..output import section_slugs
from ..report import FileSet, Findings, findings, render_report_json, render_report_md
from .bibtex import bibtex_entry, join_bibtex
from .csljson import csljson_entry, join_csljson
from .ris import join_ris, ris_entry

WHOLE_LIST = "all"
INDEX = "index.html"
#: What the index offers to download for each page.
_DOWNLOADS = {".bib": "BibTeX, for LaTeX", ".json": "CSL-JSON, for pandoc and Zotero", ".ris": "RIS, for Zotero, EndNote and Mendeley"}


@dataclass(frozen=True)
class Context:
    """What rendering a work needs besides the work: its code link, whether it is unresolved; and
    what joining a page needs besides the rendered works: each work and its BibTeX."""

    code_urls: Mapping[str, str]
    unresolved: frozenset[str]
    works: Mapping[str, Work] = field(default_factory=dict)
    bibtex: Mapping[str, str] = field(default_factory=dict)


NO_CONTEXT = Context({}, frozenset())


@dataclass(frozen=True)
class Format:
    """One output format: a file suffix, how one work is rendered, how a group's are joined."""

    suffix: str
    render: Callable[[Work, Context], Any]
    join: Callable[[str, Sequence[Any], Context], str]  # (the group's heading, rendered works, context)
    rendering: str  # formats with the same rendering share each work's

    def file(self, works: Sequence[Work], heading: str = "", context: Context = NO_CONTEXT) -> str:
        """A whole file of this format, as a build writes it."""
        return self.join(heading, [self.render(work, context) for work in works], context)


def _text(entry: Callable[[Work], str], work: Work, context: Context) -> str:
    return entry(work)


def _joined(joiner: Callable[[Sequence[str]], str], heading: str, rendered: Sequence[str], context: Context) -> str:
    return joiner(rendered)


def _typeset(work: Work, context: Context) -> Any:
    from .readable import typeset  # pybtex loads only for a build

    return typeset(work, context.code_urls.get(work.key, ""), work.key in context.unresolved)


def _page_works(rendered: Sequence[Any], context: Context) -> list[Any]:
    from .page import PageWork

    return [PageWork(each, context.bibtex.get(each.key, ""), context.works[each.key].record, each.key in context.unresolved)
            for each in rendered]


def _html(heading: str, rendered: Sequence[Any], context: Context) -> str:
    from .page import bibliography_page

    return bibliography_page(heading, [("", _page_works(rendered, context))])


def _markdown(heading: str, rendered: Sequence[Any], context: Context) -> str:
    from .readable import markdown_page

    return markdown_page(heading, rendered)


BIBTEX = Format(".bib", partial(_text, bibtex_entry), partial(_joined, join_bibtex), "bibtex")
CSLJSON = Format(".json", partial(_text, csljson_entry), partial(_joined, join_csljson), "csljson")
RIS = Format(".ris", partial(_text, ris_entry), partial(_joined, join_ris), "ris")
HTML = Format(".html", _typeset, _html, "typeset")
MARKDOWN = Format(".md", _typeset, _markdown, "typeset")
#: Every format a build writes, for each section and for the whole list.
FORMATS: tuple[Format, ...] = (BIBTEX, CSLJSON, RIS, HTML, MARKDOWN)


@dataclass(frozen=True)
class Built:
    files: dict[str, str]  # every file of the build, by name
    sets: list[FileSet]  # the groups of files, a section's and the whole list's
    found: Findings


def short_venue(work: Work) -> Work:
    """A conference paper with its proceedings named short, by its event ("NeurIPS 2022")."""
    record = work.record
    if record.type != "paper-conference" or not record.event_title:
        return work
    return replace(work, record=record.with_changes(container_title=record.event_title))


def build_files(reading_list: ReadingList, bibliography: Bibliography, *, short_venues: bool = False) -> Built:
    """Everything a build writes: each group's file per format, the index page, the report;
    with `short_venues`, conference papers' proceedings named short."""
    from .page import bibliography_page, index_page

    if short_venues:
        bibliography = replace(bibliography, works=tuple(short_venue(work) for work in bibliography.works))
    slugs = section_slugs(section.title for section in reading_list.sections)
    by_key = {work.key: work for work in bibliography.works}
    keys_by_section: dict[str, dict[str, None]] = {title: {} for title in slugs}
    code_urls: dict[str, str] = {}
    unresolved: set[str] = set()
    for entry in bibliography.entries:
        keys_by_section[entry.item.section][entry.key] = None
        code_urls.setdefault(entry.key, entry.item.code_url)
        if entry.decision.status is Status.UNRESOLVED:
            unresolved.add(entry.key)
    context = Context(code_urls, frozenset(unresolved))
    groups: list[tuple[str, str, list[Work]]] = [
        (title, slugs[title], [by_key[key] for key in keys]) for title, keys in keys_by_section.items()
    ]
    groups.append(("Whole list", WHOLE_LIST, list(bibliography.works)))
    renderings: dict[str, dict[str, Any]] = {}
    for form in FORMATS:
        if form.rendering not in renderings:
            renderings[form.rendering] = {work.key: form.render(work, context) for work in bibliography.works}
    joining = replace(context, works=by_key, bibtex=renderings[BIBTEX.rendering])
    files: dict[str, str] = {}
    for form in FORMATS:
        rendered = renderings[form.rendering]
        for label, stem, works in groups:
            if form is HTML and stem == WHOLE_LIST:
                continue  # its page has a heading per section: below
            heading = reading_list.title if stem == WHOLE_LIST and reading_list.title else label
            files[stem + form.suffix] = form.join(heading, [rendered[work.key] for work in works], joining)
    title = reading_list.title or "Reading list"
    # The whole list's page has a heading per section, a work in two sections shown in both.
    typeset = renderings[HTML.rendering]
    sections = groups[:-1] or [("", WHOLE_LIST, list(bibliography.works))]  # works given without a list's sections
    files[WHOLE_LIST + HTML.suffix] = bibliography_page(
        title, [(label, _page_works([typeset[work.key] for work in works], joining)) for label, _, works in sections])
    files[INDEX] = index_page(title, [(label, stem, len(works)) for label, stem, works in groups], _DOWNLOADS)
    sets = [FileSet(label, stem, len(works), tuple(stem + form.suffix for form in FORMATS)) for label, stem, works in groups]
    found = findings(reading_list, bibliography)
    files["report.md"] = render_report_md(reading_list, bibliography, sets, found)
    files["report.json"] = render_report_json(reading_list, bibliography, sets, found)
    return Built(files, sets, found)
