"""A Markdown reading list → sections of entries, with every line that is no entry in the report.

Any shape GitHub's Markdown allows is read (see `refexport.reader`): bullets, numbered and task
lists, nested items (a child such as `[arxiv version](…)` adds to its parent), tables with a paper
column, bold-title paragraphs, `<details>` blocks. Headings make sections: by default the highest
heading level that divides the entries (a deeper tree does not make many tiny files); deeper
headings become the entries' topics. A short line ending in `:`, a bold line or a date line is a
label, the group of the entries under it. The list's original shape, `- TITLE[VENUE][YEAR]` with
LaTeX remnants in the title, is read as it always was.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .escape import safe_url
from .identifiers import ids_in_url
from .model import Diagnostic, ListItem, ReadingList, Section
from .reader.candidates import STRUCTURE
from .reader.entry import Read, belongs_to_parent, read_block
from .reader.layout import DEFAULT, Layout, Weights, choose, layout_of
from .reader.markdown import Block, blocks
from .reader.pieces import Piece, plain
from .text import clean_latex, has_invisible, without_invisible

_LABEL = re.compile(r"^\s*([^\s\-*+#|>`][^:]{0,118}):\s*$")
# The original shape: trailing bracket groups, right to left: [YEAR], then an optional [VENUE].
# Bounded and anchored so that a megabyte of text costs linear time.
_YEAR_TAIL = re.compile(r"\[\s*(\d{4})\s*\]$")
_VENUE_TAIL = re.compile(r"\[([^\[\]]{0,500})\]$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_URL = re.compile(r"^https?://\S+$")
_NO_VENUE = {"", "none", "n/a", "na", "-"}

UNSECTIONED = "Unsectioned"


@dataclass
class _Found:
    """An entry with where it stands: its heading path and its group; a read entry waits for
    its group's layout before it becomes an item."""

    item: ListItem | None
    headings: tuple[tuple[int, int, str], ...]  # (level, line, title), outermost first
    block: Block | None = None
    attached: Sequence[Block] = ()
    read: Read | None = None
    group: str = ""


@dataclass
class _Walk:
    lines: list[str]
    path: str
    found: list[_Found] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # every heading
    open_headings: list[tuple[int, int, str]] = field(default_factory=list)
    group: str = ""

    def note(self, line: int, message: str, level: str = "note", *, fix: str = "", kind: str = "unreadable line") -> None:
        shown = " ".join(self.lines[line - 1].split()) if 0 < line <= len(self.lines) else ""
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        self.diagnostics.append(Diagnostic(self.path, line, level, f"{message}: {shown!r}", fix, kind))  # type: ignore[arg-type]


def parse_reading_list(
    text: str, path: str = "reading-list.md", *, section_level: int | None = None, weights: Weights = DEFAULT
) -> ReadingList:
    """Parse the text of a reading list; never raises on content. `weights`: the title choice's
    numbers (see `refexport.reader.layout`)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    dirty = [number for number, line in enumerate(lines, start=1) if has_invisible(line)]
    if dirty:
        lines = [without_invisible(line) for line in lines]
    lines, wide = _cut_wide_rows(lines)
    if wide or dirty:
        text = "\n".join(lines)
    walk = _Walk(lines, path)
    for number in dirty:
        walk.note(number, "control or invisible characters removed", "warning")
    for first, last, columns in wide:
        walk.note(first, f"a table of {columns} columns is cut to its first {MAX_COLUMNS} (lines {first}-{last})", "warning")
    with _collector_paused():
        for block in blocks(text):
            _visit(walk, block)
        _choose_titles(walk, weights)
    return _sections(walk, section_level)


#: A table row's cells past this many are cut, with a warning: an entry's title, venue and year
#: are in its first few, and the parser keeps an object per cell (a 2 MB table of 10,000
#: columns took 1.4 GB).
MAX_COLUMNS = 64


def _cut_wide_rows(lines: list[str]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The lines with every row of more than `MAX_COLUMNS` cells cut after its last one kept, and
    each run of cut rows as (first line, last line, the most cells a row had)."""
    runs: list[tuple[int, int, int]] = []
    cut = list(lines)
    for number, line in enumerate(lines, start=1):
        if line.count("|") <= MAX_COLUMNS + 1:
            continue
        bars = [index for index, character in enumerate(line) if character == "|"]
        cut[number - 1] = line[: bars[MAX_COLUMNS] + 1]
        columns = len(bars) - 1
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number, max(runs[-1][2], columns))
        else:
            runs.append((number, number, columns))
    return cut, runs


#: A group smaller than this follows the layout of the whole list.
_SMALL_GROUP = 4


def _choose_titles(walk: _Walk, weights: Weights) -> None:
    """Each read entry's title chosen by its group's layout (entries under one heading, of one
    kind of block; a table's rows), then made an item; an entry with no sign of being a paper
    takes the kind its group's papers and non-papers suggest."""
    pending = [each for each in walk.found if each.read is not None]
    groups: dict[tuple[int, str, tuple[str, ...]], list[_Found]] = {}
    for each in pending:
        assert each.block is not None
        where = each.headings[-1][1] if each.headings else 0
        groups.setdefault((where, each.block.kind, each.block.header), []).append(each)
    whole: dict[str, Layout] = {}
    for kind in ("item", "paragraph", "row"):
        whole[kind] = layout_of(
            [e.read.candidates for e in pending if e.read is not None and e.block is not None and e.block.kind == kind], weights
        )
    for (_, kind, _), members in groups.items():
        reads = [m.read for m in members if m.read is not None]
        layout = layout_of([r.candidates for r in reads], weights) if len(members) >= _SMALL_GROUP else whole[kind]
        papers = [r.kind == "paper" for r in reads if r.evidence]
        mostly_other = bool(papers) and sum(papers) * 2 < len(papers)
        for each in members:
            _settle(walk, each, layout, mostly_other, weights)


def _settle(walk: _Walk, each: _Found, layout: Layout, mostly_other: bool, weights: Weights) -> None:
    assert each.read is not None and each.block is not None
    read = each.read
    choice = choose(read.candidates, layout, weights)
    if choice.chosen.how != read.how:
        reread = read_block(each.block, each.attached, choice.chosen.how)
        read = reread if isinstance(reread, Read) else read
    if mostly_other and not read.evidence and read.kind == "paper":
        read = dataclasses.replace(read, kind="webpage")
    if choice.unsure is not None:
        walk.note(
            each.block.line, f"unsure of the title: read {choice.chosen.text!r}, it could be {choice.unsure.text!r}", "warning",
            fix=f"write the title alone as the link's text or in bold: [{read.title}](…) or **{read.title}**", kind="unsure title",
        )
    item = _item(walk, each.block, read, each.group)
    if read.how != STRUCTURE:
        why = "the way its group writes titles" if choice.chosen.family == layout.family else "it reads most like a title"
        item = dataclasses.replace(item, title_from=f"{read.how}: {why}")
    each.item = item


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing makes hundreds of thousands of small objects that all live until it ends; the
    cyclic garbage collector would scan them again and again (a quarter of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _heading_text(block: Block) -> str:
    title = clean_latex(" ".join(plain(block.text.pieces).split()))
    return title or f"Section at line {block.line}"


def _visit(walk: _Walk, block: Block) -> None:
    if block.kind == "heading":
        heading = (block.level, block.line, _heading_text(block))
        walk.headings.append(heading)
        walk.open_headings = [h for h in walk.open_headings if h[0] < block.level] + [heading]
        walk.group = ""
        return
    if block.kind == "paragraph":
        _paragraph(walk, block)
        return
    _entry(walk, block)


def _unread_lines(walk: _Walk, block: Block) -> None:
    """Text Markdown joins to a one-line entry (a lazy continuation line) is not part of it."""
    nested = {line for child in block.children for line in range(child.line, max(child.end, child.line + 1))}
    for line in range(block.line + 1, block.end):
        if line not in nested and 0 < line <= len(walk.lines) and walk.lines[line - 1].strip():
            walk.note(line, "not an item, heading or label", "warning")


def _paragraph(walk: _Walk, block: Block) -> None:
    """A label (`Second batch:`, a bold line), a bold-title entry with links, or prose."""
    pieces = block.text.pieces
    text = " ".join(plain(pieces).split())
    if not text:
        return
    starts_bold = next((p.strong for p in pieces if p.kind != "break" and (p.kind != "text" or p.text.strip())), False)
    if (match := _LABEL.match(text)) and "\n" not in plain(pieces).strip():
        walk.group = clean_latex(match.group(1))
    elif starts_bold and not block.text.links and all(p.strong or not p.text.strip() for p in pieces if p.kind == "text"):
        walk.group = clean_latex(text.strip("*: "))
    elif (starts_bold or _starts_with_link(pieces)) and block.text.links:
        _entry(walk, block)


#: A paragraph that is a link with at most this many words around it is an entry, not prose.
_LINK_PARAGRAPH_WORDS = 6


def _starts_with_link(pieces: Sequence[Piece]) -> bool:
    """`[Title](url)` on a line of its own, perhaps with a tag or two after it."""
    first = next((p for p in pieces if p.kind != "break" and (p.kind != "text" or p.text.strip())), None)
    outside = " ".join(p.text for p in pieces if p.link < 0 and p.kind == "text")
    return first is not None and first.link >= 0 and len(outside.split()) <= _LINK_PARAGRAPH_WORDS


def _entry(walk: _Walk, block: Block, group: str | None = None) -> None:
    if block.kind == "item" and (legacy := _legacy_item(walk, block, group)) is not None:
        walk.found.append(_Found(legacy, tuple(walk.open_headings)))
        _unread_lines(walk, block)
        for child in block.children:
            _entry(walk, child, legacy.group)
        return
    attached = [child for child in block.children if belongs_to_parent(child)]
    read = read_block(block, attached)
    if isinstance(read, Read):
        walk.found.append(_Found(None, tuple(walk.open_headings), block, attached, read, walk.group if group is None else group))
        children: Sequence[Block] = [child for child in block.children if child not in attached]
        child_group = walk.group if group is None else group
    else:
        if read.reason == "no title" and block.kind != "paragraph":
            walk.note(block.line, "a list item with no title", "warning")
        elif read.reason != "no title":
            walk.note(block.line, f"not an entry ({read.reason})")
        children = block.children
        child_group = read.label or (walk.group if group is None else group)
    for child in children:
        _entry(walk, child, child_group)


#: A title longer than this is no title: it is cut, with a warning, so that every later step
#: (keys, queries, TeX) costs what a title costs.
MAX_TITLE = 2000


def _capped(walk: _Walk, line: int, text: str) -> str:
    if len(text) <= MAX_TITLE:
        return text
    walk.note(line, f"a title of {len(text)} characters is cut to {MAX_TITLE}", "warning")
    return text[:MAX_TITLE].rstrip()


def _item(walk: _Walk, block: Block, read: Read, group: str) -> ListItem:
    return ListItem(
        line=block.line,
        raw=walk.lines[block.line - 1] if 0 < block.line <= len(walk.lines) else "",
        section="",
        group=group,
        seed_title=_capped(walk, block.line, read.seed_title),
        title=read.title[:MAX_TITLE].rstrip(),
        venue_raw=read.venue,
        venue=clean_latex(read.venue),
        year=read.year,
        url=safe_url(read.url),
        kind=read.kind,
        authors=read.authors,
        arxiv=read.arxiv,
        doi=read.doi,
        code_url=safe_url(read.code_url),
        project_url=safe_url(read.project_url),
        alt_titles=tuple(
            dict.fromkeys(clean_latex(c.text)[:MAX_TITLE] for c in read.candidates if c.text != read.seed_title and c.score >= DEFAULT.plausible)
        ),
        text=read.text[: 4 * MAX_TITLE],
    )


def _legacy_item(walk: _Walk, block: Block, group: str | None = None) -> ListItem | None:
    """`- TITLE[VENUE][YEAR]` on one line, read as the original shape; None for other shapes."""
    raw = walk.lines[block.line - 1] if 0 < block.line <= len(walk.lines) else ""
    if not _YEAR_TAIL.search(raw.rstrip()):
        return None
    body = _BULLET.sub("", raw, count=1).strip()
    year_match = _YEAR_TAIL.search(body)
    assert year_match is not None
    rest = body[: year_match.start()]
    venue_raw = ""
    if venue := _VENUE_TAIL.search(rest):
        venue_raw = venue.group(1).strip()
        rest = rest[: venue.start()]
    seed_title, url = _split_link(rest.strip())
    seed_title = _capped(walk, block.line, seed_title)
    title = clean_latex(seed_title)
    if not title:
        return None
    if venue_raw.lower() in _NO_VENUE:
        venue_raw = ""
    arxiv, doi = ids_in_url(url) if url else ("", "")
    return ListItem(
        line=block.line, raw=raw, section="", group=walk.group if group is None else group, seed_title=seed_title,
        title=title, venue_raw=venue_raw, venue=clean_latex(venue_raw), year=int(year_match.group(1)), url=safe_url(url),
        arxiv=arxiv, doi=doi,
    )


def _split_link(title: str) -> tuple[str, str]:
    """`[Text](https://…)` → (`Text`, `https://…`), `[Text](javascript:…)` → (`Text`, ""); anything
    else is a plain title."""
    middle = title.rfind("](")
    if title.startswith("[") and title.endswith(")") and middle > 0:
        url = title[middle + 2 : -1].strip()
        return title[1:middle].strip(), url if _URL.match(url) else ""  # the text is the title whatever the address
    return title, ""


def section_level(found: Sequence[_Found]) -> int | None:
    """The highest heading level that divides the entries (the first with two headings that
    have entries under them); else the deepest level, the heading nearest to the entries."""
    counts: dict[int, set[int]] = {}
    for each in found:
        for level, line, _ in each.headings:
            counts.setdefault(level, set()).add(line)
    dividing = [level for level in sorted(counts) if len(counts[level]) >= 2]
    return dividing[0] if dividing else max(counts, default=None)


def _sections(walk: _Walk, level: int | None) -> ReadingList:
    level = level if level is not None else section_level(walk.found)
    by_section: dict[tuple[int, str], list[ListItem]] = {}
    for each in walk.found:
        outer = [h for h in each.headings if level is not None and h[0] <= level]
        inner = [h for h in each.headings if level is None or h[0] > level]
        item = each.item
        assert item is not None
        if outer:
            key = (outer[-1][1], outer[-1][2])
        else:
            key = (item.line, UNSECTIONED)
            walk.note(item.line, f"an entry before any heading: put in '{UNSECTIONED}'")
        topics = tuple(dict.fromkeys(h[2] for h in inner))
        by_section.setdefault(key, []).append(
            ListItem(**{**item.__dict__, "section": key[1], "topics": topics})
        )
    sections = _merged(by_section)
    with_entries = {line for line, _ in by_section}
    above_entries = {line for each in walk.found for _, line, _ in each.headings}
    empty = tuple((line, title) for _, line, title in walk.headings if line not in with_entries and line not in above_entries)
    return ReadingList(
        path=walk.path,
        title=walk.headings[0][2] if walk.headings else "",
        sections=sections,
        empty_headings=empty,
        diagnostics=tuple(sorted(walk.diagnostics, key=lambda d: d.line)),
    )


def _merged(by_section: dict[tuple[int, str], list[ListItem]]) -> tuple[Section, ...]:
    """Sections in the order of their first entry; an unsectioned run before the first heading
    is one section."""
    merged: dict[tuple[int, str], list[ListItem]] = {}
    unsectioned: tuple[int, str] | None = None
    for key, items in by_section.items():
        if key[1] == UNSECTIONED and unsectioned is not None:
            merged[unsectioned].extend(items)
            continue
        if key[1] == UNSECTIONED:
            unsectioned = key
        merged[key] = list(items)
    return tuple(Section(title=title, line=line, items=tuple(items)) for (line, title), items in merged.items())
