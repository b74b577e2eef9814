"""Markdown reading list → sections of items, with every problem as a diagnostic.

Grammar, line by line:
- `#`..`######` heading: starts a section (a heading with no items under it makes no files);
- `- TITLE[VENUE][YEAR]` or `- TITLE[YEAR]` (also `*`/`+` bullets, indented or not): an item;
  the title may be a markdown link `[TITLE](URL)`;
- a short line ending in `:` (`Second batch:`): a label, the group of the items under it;
- blank lines and thematic breaks (`---`). Anything else is a warning. Every bullet line becomes an item, however broken.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re

from .model import Diagnostic, ListItem, ReadingList, Section
from .text import clean_latex

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_BULLET = re.compile(r"^\s*[-*+]\s")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_LABEL = re.compile(r"^\s*([^\s\-*+#|>`][^:]{0,118}):\s*$")
# Trailing bracket groups, right to left: [YEAR], then an optional [VENUE]. Bounded and anchored
# so that a megabyte of text costs linear time.
_YEAR_TAIL = re.compile(r"\[\s*(\d{4})\s*\]$")
_VENUE_TAIL = re.compile(r"\[([^\[\]]{0,500})\]$")
_URL = re.compile(r"^https?://\S+$")
_NO_VENUE = {"", "none", "n/a", "na", "-"}

UNSECTIONED = "Unsectioned"


def parse_reading_list(text: str, path: str = "reading-list.md") -> ReadingList:
    """Parse the text of a reading list; never raises on content."""
    sections: list[Section] = []
    empty_headings: list[tuple[int, str]] = []
    diagnostics: list[Diagnostic] = []
    heading: tuple[int, str] | None = None
    items: list[ListItem] = []
    group = ""
    item_lines = 0

    def close_section() -> None:
        if heading is None and not items:
            return
        line, title = heading if heading is not None else (items[0].line, UNSECTIONED)
        if items:
            sections.append(Section(title=title, line=line, items=tuple(items)))
        else:
            empty_headings.append((line, title))

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or _RULE.match(line):
            continue
        if _HEADING.match(line):
            close_section()
            title = _split_link(line.strip().strip("#").strip())[0]
            heading = (number, clean_latex(title) or f"Section at line {number}")
            items, group = [], ""
            continue
        if _BULLET.match(line):
            item_lines += 1
            if heading is None and not items:
                diagnostics.append(
                    Diagnostic(path, number, "warning", f"item before any heading: put in '{UNSECTIONED}'")
                )
            section_title = heading[1] if heading is not None else UNSECTIONED
            item, problems = _parse_item(line.strip()[1:].strip(), line, number, section_title, group)
            items.append(item)
            diagnostics.extend(Diagnostic(path, number, "warning", problem) for problem in problems)
            continue
        if match := _LABEL.match(line):
            group = clean_latex(match.group(1))
            continue
        shown = line.strip()
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        diagnostics.append(Diagnostic(path, number, "warning", f"not an item, heading or label: {shown!r}"))
    close_section()
    return ReadingList(
        path=path,
        sections=tuple(sections),
        empty_headings=tuple(empty_headings),
        diagnostics=tuple(diagnostics),
        item_lines=item_lines,
    )


def _parse_item(body: str, raw: str, line: int, section: str, group: str) -> tuple[ListItem, list[str]]:
    problems: list[str] = []
    year: int | None = None
    venue_raw = ""
    rest = body
    if match := _YEAR_TAIL.search(rest):
        year = int(match.group(1))
        rest = rest[: match.start()]
        if venue := _VENUE_TAIL.search(rest):
            venue_raw = venue.group(1).strip()
            rest = rest[: venue.start()]
    else:
        problems.append("no [YEAR] at the end of the item")
        if venue := _VENUE_TAIL.search(rest):
            venue_raw = venue.group(1).strip()
            rest = rest[: venue.start()]
    seed_title = rest.strip()
    url = ""
    seed_title, url = _split_link(seed_title)
    title = clean_latex(seed_title)
    if not title:
        problems.append("the item has no title")
        title = clean_latex(body) or f"Untitled item at line {line}"
    if venue_raw.lower() in _NO_VENUE:
        venue_raw = ""
    item = ListItem(
        line=line,
        raw=raw,
        section=section,
        group=group,
        seed_title=seed_title,
        title=title,
        venue_raw=venue_raw,
        venue=clean_latex(venue_raw),
        year=year,
        url=url,
    )
    return item, problems


def _split_link(title: str) -> tuple[str, str]:
    """`[Text](https://…)` → (`Text`, `https://…`); anything else is a plain title."""
    middle = title.rfind("](")
    if title.startswith("[") and title.endswith(")") and middle > 0:
        url = title[middle + 2 : -1].strip()
        if _URL.match(url):
            return title[1:middle].strip(), url
    return title, ""
