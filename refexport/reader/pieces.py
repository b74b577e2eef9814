"""An entry's inline content as a flat run of pieces: text with its emphasis and the link it
sits in, images (badges), line breaks and inline HTML. Flat pieces make "the text before the
first link" or "the bold run at the start" one loop each.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markdown_it.tree import SyntaxTreeNode

PieceKind = Literal["text", "code", "image", "break", "html"]


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    text: str  # the text; an image's alt text; inline HTML as written
    link: int = -1  # index of the enclosing link in the entry's links, -1 outside any
    strong: bool = False
    emph: bool = False
    src: str = ""  # an image's address


@dataclass(frozen=True)
class Inline:
    """The pieces of one paragraph or cell, and its links by index: address, label and images."""

    pieces: tuple[Piece, ...]
    links: tuple[str, ...]
    labels: tuple[str, ...] = ()
    images: tuple[tuple[Piece, ...], ...] = ()


EMPTY = Inline((), ())


def make_inline(pieces: tuple[Piece, ...], links: Sequence[str]) -> Inline:
    """An inline run with each link's label and images worked out in one pass over the pieces."""
    texts: list[list[Piece]] = [[] for _ in links]
    images: list[list[Piece]] = [[] for _ in links]
    for piece in pieces:
        if piece.link >= 0:
            (images if piece.kind == "image" else texts)[piece.link].append(piece)
    labels = tuple(" ".join(plain(text).split()) for text in texts)
    return Inline(pieces, tuple(links), labels, tuple(tuple(found) for found in images))


def read_inline(node: SyntaxTreeNode | None, links: list[str]) -> tuple[Piece, ...]:
    """The pieces of an `inline` node; its link addresses are appended to `links`."""
    pieces: list[Piece] = []
    if node is None:
        return ()

    def walk(children: Iterable[SyntaxTreeNode], link: int, strong: bool, emph: bool) -> None:
        for child in children:
            kind = child.type
            if kind == "text":
                pieces.append(Piece("text", child.content, link, strong, emph))
            elif kind == "code_inline":
                pieces.append(Piece("code", child.content, link, strong, emph))
            elif kind in ("softbreak", "hardbreak"):
                # A soft break is a line end inside a paragraph (a title may go on); a hard one ends a line.
                pieces.append(Piece("break", " " if kind == "softbreak" else "\n", link, strong, emph))
            elif kind == "html_inline":
                text = child.content
                pieces.append(Piece("break" if text.lower().startswith("<br") else "html", text, link, strong, emph))
            elif kind == "image":
                alt = "".join(grand.content for grand in child.children if grand.type == "text")
                pieces.append(Piece("image", alt, link, strong, emph, src=str(child.attrs.get("src", ""))))
            elif kind == "link":
                links.append(str(child.attrs.get("href", "")))
                walk(child.children, len(links) - 1, strong, emph)
            elif kind == "strong":
                walk(child.children, link, True, emph)
            elif kind in ("em", "s"):
                walk(child.children, link, strong, emph or kind == "em")
            else:
                walk(child.children, link, strong, emph)

    walk(node.children, -1, False, False)
    return tuple(pieces)


def plain(pieces: Sequence[Piece]) -> str:
    """What a reader sees of the pieces as text: text and code, a break as a space."""
    return "".join(p.text if p.kind in ("text", "code") else " " if p.kind == "break" else "" for p in pieces)
