"""Markdown → the blocks a reading list is made of, each with its line.

CommonMark with GitHub's tables (markdown-it-py). Backslash escapes and entities are left as
written: lists carry LaTeX (`$\\{$PipeSwitch$\\}$`, `H $\\_2$ O`) that the title cleaner reads, and
the title as written is what the lock and the overrides match.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .pieces import EMPTY, Inline, make_inline, read_inline

BlockKind = Literal["heading", "item", "row", "paragraph"]


@dataclass(frozen=True)
class Block:
    """A heading, a list item (with what is nested in it), a table row or a paragraph."""

    kind: BlockKind
    line: int  # 1-based, where the block starts
    text: Inline  # the heading's, the item's first paragraph's, the paragraph's, the row's title cell
    level: int = 0  # a heading's level
    more: tuple[Inline, ...] = ()  # an item's further paragraphs; a row's other cells
    children: tuple[Block, ...] = ()  # an item's nested items
    header: tuple[str, ...] = ()  # a row's table header, lower case
    end: int = 0  # 1-based line after the block


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough").disable(["escape", "entity"])
    # Addresses as written: identifiers are read from them, and percent-encoding them for HTML
    # output (which nothing here renders) is a third of the parse.
    parser.normalizeLink = _as_written  # type: ignore[method-assign]
    parser.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    # Every link is read as a link (its text the entry's, its address dropped later unless it is a
    # web address: `escape.safe_url`), not left as markup text in the title, as markdown-it leaves
    # a `javascript:` link.
    parser.validateLink = _any_link  # type: ignore[method-assign]
    return parser


def _any_link(url: str) -> bool:
    return True


def _as_written(url: str) -> str:
    return url


def _inline(node: SyntaxTreeNode | None) -> Inline:
    links: list[str] = []
    pieces = read_inline(node, links)
    return make_inline(pieces, links)


def _first_inline(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    for child in node.children:
        if child.type == "inline":
            return child
    return None


def _line(node: SyntaxTreeNode) -> tuple[int, int]:
    start, end = node.map if node.map else (0, 0)
    return start + 1, end + 1


def _item(node: SyntaxTreeNode) -> Block:
    line, end = _line(node)
    paragraphs = [child for child in node.children if child.type == "paragraph"]
    first = _inline(_first_inline(paragraphs[0])) if paragraphs else EMPTY
    more = tuple(_inline(_first_inline(p)) for p in paragraphs[1:])
    children = tuple(
        _item(item) for child in node.children if child.type in ("bullet_list", "ordered_list") for item in child.children
    )
    return Block("item", line, first, more=more, children=children, end=end)


def _rows(table: SyntaxTreeNode) -> Iterator[Block]:
    header: tuple[str, ...] = ()
    for part in table.children:
        for row in part.children:
            cells = [_inline(_first_inline(cell) or cell) for cell in row.children]
            if part.type == "thead":
                header = tuple(" ".join("".join(p.text for p in c.pieces).split()).lower() for c in cells)
                continue
            line, end = _line(row)
            yield Block("row", line, cells[0] if cells else EMPTY, more=tuple(cells[1:]), header=header, end=end)


def blocks(text: str) -> Iterator[Block]:
    """The list's blocks in document order; lists yield their top items (nested ones inside)."""
    root = SyntaxTreeNode(_parser().parse(text))
    yield from _walk(root)


def _walk(node: SyntaxTreeNode) -> Iterator[Block]:
    for child in node.children:
        kind = child.type
        if kind == "heading":
            line, end = _line(child)
            yield Block("heading", line, _inline(_first_inline(child)), level=int(child.tag[1:]), end=end)
        elif kind == "paragraph":
            line, end = _line(child)
            yield Block("paragraph", line, _inline(_first_inline(child)), end=end)
        elif kind in ("bullet_list", "ordered_list"):
            for item in child.children:
                yield _item(item)
        elif kind == "table":
            yield from _rows(child)
        elif kind == "blockquote":
            yield from _walk(child)
