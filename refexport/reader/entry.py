"""One block of a reading list → what it is and the fields of its entry.

An entry is read the way a person reads it: prefixes first (a checkbox, a date, a venue tag,
a role word such as "code"), then the title (a bold run, a link with a title for its label, or
the text up to the first link), then what follows (authors in italics, venue and year in
parentheses, badges, a date). Its links are sorted into the paper's, the code's and the project's;
the arXiv id and DOI come from the links and the text. A block that is no entry (a table of
contents, a date line, a person, a note to readers) says why.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from ..identifiers import ids_in_text, ids_in_url
from ..model import EntryKind
from ..text import clean_latex
from .candidates import STRUCTURE, Candidate, Span, candidate, flat, is_generic, lead_splits, piece_at, quoted_spans, title_score
from .markdown import Block
from .pieces import Inline, Piece, plain
from .roles import ROLE_WORDS, LinkRole
from .shown import NOTHING, Shown, badge_text, read_tag, year_in


@dataclass(frozen=True)
class Read:
    """The fields of one entry."""

    seed_title: str  # as written, markup gone, LaTeX kept
    title: str
    kind: EntryKind
    venue: str = ""
    year: int | None = None
    authors: tuple[str, ...] = ()
    url: str = ""
    code_url: str = ""
    project_url: str = ""
    arxiv: str = ""
    doi: str = ""
    evidence: bool = True  # an id, a venue or a link's host or label says what it is (else its kind is a guess)
    how: str = STRUCTURE  # which candidate is the title
    candidates: tuple[Candidate, ...] = ()  # every plausible title, the chosen one included
    text: str = ""  # the entry's text as a reader sees it


@dataclass(frozen=True)
class NotEntry:
    """A block that is no entry; a `label` (a date line, a bold line) names the entries under it."""

    reason: str
    label: str = ""


_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "huggingface.co", "pypi.org", "kaggle.com")
_PAPER_HOSTS = re.compile(
    r"(?:^|\.)(?:arxiv\.org|doi\.org|dl\.acm\.org|openreview\.net|aclanthology\.org|aclweb\.org|ieeexplore\.ieee\.org|"
    r"proceedings\.\w+\.\w+|papers\.nips\.cc|neurips\.cc|proceedings\.mlr\.press|mlr\.press|usenix\.org|vldb\.org|"
    r"link\.springer\.com|sciencedirect\.com|semanticscholar\.org|ojs\.aaai\.org|ijcai\.org|openaccess\.thecvf\.com|"
    r"ecva\.net|jmlr\.org|biorxiv\.org|medrxiv\.org|ssrn\.com|researchgate\.net|nature\.com|science\.org|"
    r"onlinelibrary\.wiley\.com|tandfonline\.com|mdpi\.com|computer\.org|cidrdb\.org|pvldb\.org)$",
    re.I,
)
# Sites of videos, courses, posts and documentation: what they hold is no paper.
_PAGE_HOSTS = re.compile(
    r"(?:^|\.)(?:youtube\.com|youtu\.be|vimeo\.com|bilibili\.com|coursera\.org|edx\.org|udemy\.com|medium\.com|substack\.com|"
    r"twitter\.com|x\.com|reddit\.com|zhihu\.com|notion\.site|wikipedia\.org|readthedocs\.io|gitbook\.io|discord\.gg)$",
    re.I,
)
_PREFIX = re.compile(
    r"\s+|\[[ xX]\](?=\s)|:[a-z0-9_+\-]+:"
    r"|\\?\[(?P<tag>[^\[\]\\]{1,80})\\?\]"
    r"|[(（](?P<pdate>(?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?)[)）]"
    r"|(?P<date>(?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?)(?=[\s:\-–—]|$)[\s:\-–—]*"
)
_ROLE_BEFORE_LINK = re.compile(r"(?:^|\s)(?P<role>code|paper|pdf|blog|project|slides|video|arxiv)\s*[:：]?\s*$", re.I)
_TRAILING_PARENS = re.compile(r"\s*[(（\[]([^()（）\[\]]{1,100})[)）\]]\s*$")
_PARENS = re.compile(r"[(（]([^()（）]{1,100})[)）]")
_IDENTIFIER_IN_TITLE = re.compile(r"[\s,;]*\b(?:doi|arxiv)\s*:\s*\S+.*$", re.I)  # "Title, doi:10.1234/x."
# A journal or a proceedings series named in words: "(Knowledge and Information Systems)".
_TITLE_CASE_VENUE = re.compile(r"^(?:[A-Z][\w&\-]*|and|of|on|in|for|the|&)(?:\s+(?:[A-Z][\w&\-]*|and|of|on|in|for|the|&)){2,9}$")
_NOT_A_VENUE_NOTE = re.compile(r"^\s*(?:arxiv|corr|preprint|pdf|code|slides|video|blog|draft|tech(?:nical)? report)\s*$", re.I)
_TRAILING_ALIAS = re.compile(r"\s*\([^()]*\x02[^()]*\)\s*$")  # (`PAI`), (`PTD-P` or `Megatron-LM v2`)
# `… OSDI'22`, `… NeurIPS '22`, `… USENIX ATC'22`, `…Programs.ASPLOS'23`, `… SC21`: one word, or an
# acronym and a word, then the year.
_TRAILING_VENUE = re.compile(
    r"(?:\s+|(?<=[})\].]))(?P<tag>(?:[A-Z]{2,}\s)?[A-Za-z][\w&@\-]*\s*['’]\s*\d{2}|[A-Z]{2,8}\d{2})\s*$"
)
_TRAILING_PUNCT = re.compile(r"[\s.:;,\-–—|]+$")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:")
# Pictographs, dingbats, arrows and other symbols lists decorate entries with, and their joiners.
_EMOJI = re.compile("[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\U0001f000-\U0001faff\ufe00-\ufe0f\u200d\u20e3]")
_PROSE = re.compile(r"\b(?:we|you|your|please|feel free|contribut\w*|welcome|pull requests?)\b", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
# "Venue YYYY" after the authors ("ICLR 2024 Oral.", "ACM Comput. Surv. 2022."); not "Lab. 2023.09",
# which is who wrote a post and when.
_VENUE_SENTENCE = re.compile(
    r"(?:^|[.;]\s+|\s)(?P<tag>[A-Z][\w&@\-'.]*(?:\s[A-Z][\w&@\-'.]*){0,3}\s+(?:19|20)\d{2}(?![./\-]\d)(?:\s+[A-Z]\w*)?)\b"
)
_INITIALS = re.compile(r"^(?:[A-Z]\.\s*)+[A-Z][a-z]+\.\s+")  # "D. Park. NeurIPS 2023": the author before it
_APOSTROPHE_YEAR = re.compile(r"(?<![\w'])[A-Za-z][\w&@\-]*\s*['’]\s*\d{2}\b")  # "OSDI'22" after a link
_PROSE_WORDS = 30
# "[Blog] Title", "[Slides] Title": the tag says what it is.
_KIND_TAG = re.compile(r"^\W*\\?\[(?:blog|slides|video|tutorial|talk|course|lecture|book|paper list|newsletter|podcast)s?\\?\]", re.I)
_NAME_WORDS = 3
_LIST_NAME = re.compile(r"\b(?:awesome|papers|paper list|reading list)\b", re.I)
_NOTE_AFTER = re.compile(r"^\s*[-–—:]\s+(?=[A-Za-z])")  # " - a description", ": a note"
_NOTE_WORDS = 6
_TAG_CELL_WORDS = 4
_TITLE_AFTER_TAG = 3
_DATE_ONLY = re.compile(r"[^\w]*\d[\d\W_]*")  # "2016", "~2012", "< 2024.05"
_SURE_TITLE = 0.8  # a span that reads this well is a title even beside a bold date  # a system's name, not a title


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.")


def link_role(url: str, label: str, badges: Sequence[Piece], before: str = "") -> LinkRole:
    """What a link is for: by the word before it ("code [Title](…)"), its label ("pdf", "code"),
    its badge ("arXiv", "Star") and its address."""
    if url.startswith("#") or not url:
        return "anchor"
    if match := _ROLE_BEFORE_LINK.search(before):
        return ROLE_WORDS.get(match.group("role").lower(), "other")
    words = _label_words(label)
    for badge in badges:
        text = (badge_text(badge.src) or badge.text).lower()
        if "star" in text or "github" in badge.src.lower():
            return "code"
        words = words or text
    if words in ROLE_WORDS:
        return ROLE_WORDS[words]
    host = _host(url)
    if any(ids_in_url(url)) or _PAPER_HOSTS.search(host) or urlsplit(url).path.lower().endswith(".pdf"):
        return "paper"
    if any(host == code or host.endswith("." + code) for code in _CODE_HOSTS):
        return "code"
    return "other"


def _label_words(label: str) -> str:
    return " ".join(re.sub(r"[\[\]()*_:]", " ", label).lower().split())


def _role(inline: Inline, index: int, before: str = "") -> LinkRole:
    return link_role(inline.links[index], inline.labels[index], inline.images[index], before)


@dataclass
class _Links:
    paper: str = ""
    code: str = ""
    project: str = ""
    other: str = ""
    arxiv: str = ""
    doi: str = ""

    def add(self, url: str, role: LinkRole) -> None:
        if role == "anchor":
            return
        if role in ("paper", "other"):
            arxiv, doi = ids_in_url(url)
            self.arxiv = self.arxiv or arxiv
            self.doi = self.doi or doi
        current = getattr(self, role)
        if not current:
            setattr(self, role, url)


def _strip_emoji(text: str) -> str:
    return _EMOJI.sub(" ", _EMOJI_CODE.sub(" ", text)) if not text.isascii() or ":" in text else text


def _pieces_text(pieces: Iterable[Piece]) -> str:
    """Text with code spans marked, so a trailing "(`Alias`)" can be told from a venue."""
    return "".join(
        f"\x02{p.text}\x03" if p.kind == "code" else p.text if p.kind == "text" else " " for p in pieces if p.kind != "image"
    )


def _consume_prefixes(text: str, shown: list[Shown]) -> str:
    """Drop checkboxes, emoji, dates and venue tags from the start of `text`, noting what they show."""
    position = 0
    while match := _PREFIX.match(text, position):
        if match.end() == position:
            break
        tag = match.group("tag")
        if tag is not None:
            titled_after = len(text[match.end() :].split()) >= _TITLE_AFTER_TAG
            if "](" in tag or not (found := read_tag(tag)) and len(tag.split()) > 4 and not titled_after:
                break  # a bracketed phrase of the title, not a tag (a long tag with a title after it is one)
            if found:
                shown.append(found)
        elif date := match.group("pdate") or match.group("date"):
            shown.append(read_tag(date))
        position = match.end()
    return text[position:]


def _trim_title(title: str, shown: list[Shown]) -> str:
    """Drop what follows a title: from the first parenthesized venue or year on (notes come after
    it), then trailing aliases, venues (`OSDI'22`, `(Knowledge and Information Systems)`),
    bracketed notes, `(arXiv)`, notes in another script, and a period."""
    title = _consume_prefixes(_IDENTIFIER_IN_TITLE.sub("", title), shown)
    for first in _PARENS.finditer(title):
        if first.start() > 0 and (found := read_tag(_unmark(first.group(1)))).year is not None:
            shown.append(found)
            title = title[: first.start()]
            break
    while True:
        before = title
        title = _TRAILING_ALIAS.sub("", title)
        if parens := _TRAILING_PARENS.search(title):
            inner = _unmark(parens.group(1))
            found = NOTHING if inner.startswith("@") or _abbreviates(inner, title[: parens.start()]) else read_tag(inner)
            if found or _TITLE_CASE_VENUE.match(inner):
                shown.append(found or Shown(venue=" ".join(inner.split())))
                title = title[: parens.start()]
            elif parens.group(0).lstrip().startswith("[") or _NOT_A_VENUE_NOTE.match(inner) or not inner.isascii() or inner.startswith("@"):
                title = title[: parens.start()]
        if (venue := _TRAILING_VENUE.search(title)) and (found := read_tag(venue.group("tag"))).venue:
            shown.append(found)
            title = title[: venue.start()]
        title = _TRAILING_PUNCT.sub("", title)
        if title == before:
            break
    return _unmark(title).strip()


def _abbreviates(acronym: str, title: str) -> bool:
    """`(AML)` after "… Anti Money Laundering", `(ODDS)` after "Outlier Detection DataSets": the
    title's own short name, not a venue."""
    if not re.fullmatch(r"[A-Z][A-Za-z]{1,9}", acronym) or sum(c.isupper() for c in acronym) < 2:
        return False
    letters = "".join(word[0] + "".join(c for c in word[1:] if c.isupper()) for word in re.findall(r"[A-Za-z]+", title)).lower()
    position = 0
    for letter in acronym.lower():
        position = letters.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _unmark(text: str) -> str:
    return text.replace("\x02", "").replace("\x03", "")


@dataclass(frozen=True)
class _Title:
    text: str
    link: int  # the title's link, or -1
    end: int  # index of the first piece after the title


def _find_title(pieces: Sequence[Piece], shown: list[Shown]) -> tuple[_Title, str]:
    """The title, where it ends, and the text before it (for a role word). Bold dates or tags
    before the title (`**[2026.05.27]**`) are skipped as prefixes."""
    start = 0
    while True:
        title, before, prefix_only = _title_from(pieces, start, shown)
        if not prefix_only:
            return title, before
        start = title.end


def _title_from(pieces: Sequence[Piece], index: int, shown: list[Shown]) -> tuple[_Title, str, bool]:
    head = ""
    # Leading plain text: prefixes, then either the title itself or a role word before a link.
    while index < len(pieces) and pieces[index].kind in ("text", "html") and pieces[index].link < 0 and not pieces[index].strong:
        head += pieces[index].text if pieces[index].kind == "text" else " "
        index += 1
    rest = _consume_prefixes(_strip_emoji(head), shown)
    if rest.strip() and not _ROLE_BEFORE_LINK.fullmatch(" " + rest.strip()):
        # The title is plain text, up to the first link, image or break.
        end = index
        while end < len(pieces) and pieces[end].link < 0 and not pieces[end].emph and (
            pieces[end].kind in ("text", "code") or _continues(pieces, end)
        ):
            end += 1
        return _Title(rest + _pieces_text(pieces[index:end]), -1, end), "", False
    while index < len(pieces) and (pieces[index].kind in ("image", "break") or not plain([pieces[index]]).strip()):
        index += 1
    if index >= len(pieces):
        return _Title("", -1, index), rest, False
    first = pieces[index]
    if first.strong:
        # A bold run, with any link inside it or around it.
        end = index
        link = -1
        while end < len(pieces) and (pieces[end].strong or (first.link >= 0 and pieces[end].link == first.link)):
            link = pieces[end].link if pieces[end].link >= 0 else link
            end += 1
        text = _consume_prefixes(_strip_emoji(_pieces_text(pieces[index:end])), shown)
        return _Title(text, link, end), rest, not text.strip() and end < len(pieces)
    if first.link >= 0:
        end = index
        while end < len(pieces) and pieces[end].link == first.link:
            end += 1
        label = _strip_emoji(_pieces_text(pieces[index:end]))
        label = _consume_prefixes(label, shown)
        # `[Name](url): rest of the title`; after a label that is a title already, a note.
        if (
            end < len(pieces) and pieces[end].kind == "text" and pieces[end].link < 0 and len(label.split()) <= _NAME_WORDS
            and re.match(r"^\s*[:：]\s*\S", pieces[end].text)
        ):
            tail = re.split(r"(?<=\S)\s*(?=[(（\[])|\s+[-–—]\s+", pieces[end].text, maxsplit=1)[0]
            label = f"{label}{tail}"
            end += 1
        return _Title(label, first.link, end), rest, False
    return _Title("", -1, index), rest, False


def _continues(pieces: Sequence[Piece], index: int) -> bool:
    """A soft line break inside a plain title that goes on in plain text on the next line."""
    after = index + 1
    return (
        pieces[index].kind == "break" and pieces[index].text == " " and after < len(pieces)
        and pieces[after].kind == "text" and pieces[after].link < 0 and not pieces[after].emph and not pieces[after].strong
    )


def _authors(pieces: Sequence[Piece]) -> tuple[str, ...]:
    """Authors in italics right after the title: `*A, B and C*.`"""
    run: list[str] = []
    for piece in pieces:
        if piece.kind == "break" or (piece.kind == "text" and not piece.text.strip() and not run):
            continue
        if piece.emph and piece.link < 0 and piece.kind == "text":
            run.append(piece.text)
        elif run or piece.kind != "text" or piece.text.strip(" ."):
            break
    text = " ".join("".join(run).split()).rstrip(". ")
    if re.search(r"\d", text) or read_tag(text):
        return ()  # a venue and a date in italics, not people
    text = re.sub(r",?\s*et al\.?$", "", text)
    names = [name.strip(" .") for name in _AUTHOR_SPLIT.split(text) if name.strip(" .")]
    return tuple(names) if names and all(len(name.split()) <= 5 for name in names) and len(text.split()) >= 2 else ()


def _shown_after(pieces: Sequence[Piece]) -> list[Shown]:
    """Venues and years shown after the title (its italics are authors), up to a note to readers."""
    text = " ".join(p.text for p in pieces if p.kind in ("text", "code") and p.link < 0 and not p.emph)
    if (note := _NOTE_AFTER.search(text)) and len(text[note.end() :].split()) >= _NOTE_WORDS:
        text = text[: note.start()]  # " - A trend starts from `FLAN` (ICLR 2022) …": what the note names is not this entry's
    return _shown_in(text, pieces)


def _shown_in(text: str, pieces: Sequence[Piece], italics: Sequence[str] = ()) -> list[Shown]:
    """Venues and years shown in the text besides the title: italic runs such as `*IJCAI, Aug
    2024*`, parenthesized or bracketed tags, badges, a "Venue YYYY" phrase, a date."""
    found = [read_tag(_strip_emoji(run)) for run in italics]
    text = _strip_emoji(text)
    for match in re.finditer(r"[(（\[]([^()（）\[\]]{1,100})[)）\]]", text):
        found.append(read_tag(match.group(1)))
    for piece in pieces:
        if piece.kind == "image" and (badge := badge_text(piece.src)) and piece.link < 0:
            found.append(read_tag(badge, acronym=False))
    unbracketed = re.sub(r"[(（\[][^()（）\[\]]*[)）\]]", " ", text)
    for match in _VENUE_SENTENCE.finditer(unbracketed):
        found.append(read_tag(_INITIALS.sub("", match.group("tag")), acronym=False))
    for match in _APOSTROPHE_YEAR.finditer(unbracketed):
        found.append(read_tag(match.group(0)))
    if (year := year_in(text)) is not None:
        found.append(Shown(year=year))
    return [f for f in found if f]


def _choose(shown: Sequence[Shown]) -> Shown:
    """The venue first shown, with its year; else the first year shown."""
    for each in shown:
        if each.venue:
            year = each.year if each.year is not None else next((s.year for s in shown if s.year is not None), None)
            return Shown(each.venue, year)
    return Shown(year=next((s.year for s in shown if s.year is not None), None))


def _is_toc(inline: Inline) -> bool:
    return bool(inline.links) and all(url.startswith("#") for url in inline.links) and not re.sub(
        r"[\s\-–—|:,.]", "", plain([p for p in inline.pieces if p.link < 0])
    )


def belongs_to_parent(child: Block) -> bool:
    """A nested item that adds to the entry above (`[arxiv version](…)`, `[code](…)`, a note)
    rather than being an entry of its own (it has its own venue tag, or a title of its own)."""
    shown: list[Shown] = []
    title, _ = _find_title(child.text.pieces, shown)
    if shown:
        return False
    words = _trim_title(title.text, []).split()
    if title.link >= 0:
        role = _role(child.text, title.link)
        return " ".join(words).lower() in ROLE_WORDS or role in ("code", "project") and len(words) <= 3 or len(words) <= 2
    return len(words) <= 4


def read_block(block: Block, attached: Sequence[Block] = (), how: str = STRUCTURE) -> Read | NotEntry:
    """The entry a list item, a paragraph or a table row holds, with what is nested in it;
    its title is the candidate `how` names (the structural reading by default)."""
    if block.kind == "row":
        return _read_row(block, how)
    inline = block.text
    if _is_toc(inline):
        return NotEntry("a table-of-contents link")
    shown: list[Shown] = []
    title, before = _find_title(inline.pieces, shown)
    raw_title = _trim_title(title.text, shown)
    if not raw_title:
        label = " ".join(_strip_emoji(plain(inline.pieces)).split()).strip(" *[]")
        if shown:
            return NotEntry("a date or tag line", label=label)
        return NotEntry("no title")
    if title.link >= 0 and inline.links[title.link].startswith("#"):
        return NotEntry("a table-of-contents link")
    extra = [*block.more, *(child.text for child in attached)]
    links = _Links()
    role_of_title: LinkRole = "other"
    if title.link >= 0:
        role_of_title = _role(inline, title.link, before)
        links.add(inline.links[title.link], role_of_title)
    for source in (inline, *extra):
        _add_links(source, links, skip=title.link if source is inline else -1)
    text_arxiv, text_doi = ids_in_text(plain(inline.pieces) + " " + " ".join(plain(e.pieces) for e in extra))
    arxiv, doi = links.arxiv or text_arxiv, links.doi or text_doi
    text, starts = flat(inline.pieces)
    spans = _spans(inline.pieces, text, starts)
    candidates = _candidates(
        raw_title, {name: _title_in(raw) for name, span in spans.items() if not is_generic(raw := text[span.start : span.end])}
    )
    if _DATE_ONLY.fullmatch(raw_title) and max(c.score for c in candidates) < _SURE_TITLE:
        return NotEntry("a date or tag line", label=raw_title)  # "**2016** : +60 citations"
    if how in spans:
        span = spans[how]
        shown = []
        raw_title = _span_title(text, span, shown)
        shown += _shown_in(f"{text[: span.start]} ; {text[span.end :]}", inline.pieces, _emph_runs(inline.pieces, starts, span))
        rest = inline.pieces[span.last_piece + 1 :]
    else:
        how = STRUCTURE
        rest = inline.pieces[title.end :]
        shown += _shown_after(rest)
    venue_year = _choose(shown)
    kind = _kind(raw_title, links, bool(arxiv or doi), venue_year, role_of_title)
    if kind is None:
        return NotEntry("a note to readers")
    if _KIND_TAG.match(plain(inline.pieces)):
        kind = "webpage"
    authors = _authors(rest) or next((a for e in block.more if (a := _authors(e.pieces))), ())
    read = _read(raw_title, kind, venue_year, links, arxiv, doi, authors)
    shown_text = " ".join(_strip_emoji(text).split())
    return replace(read, evidence=_has_evidence(links, arxiv or doi, venue_year), how=how, candidates=candidates, text=shown_text)


def _has_evidence(links: _Links, identifier: str, shown: Shown) -> bool:
    return bool(identifier or shown.venue or links.paper or links.code or links.project)


def _candidates(structural: str, others: dict[str, str]) -> tuple[Candidate, ...]:
    """The structural title and every other span that reads as a title, each text once."""
    found = [candidate(STRUCTURE, structural)]
    seen = {structural}
    for how, text in others.items():
        if text and text not in seen and (each := candidate(how, text)).score > 0:
            found.append(each)
            seen.add(text)
    return tuple(found)


def _spans(pieces: Sequence[Piece], text: str, starts: Sequence[int]) -> dict[str, Span]:
    """Where the other candidate titles stand in the flat text: quoted phrases, link texts,
    bold and italic runs, the lead text's sentences and its text before an author run."""
    spans: dict[str, Span] = {}
    for number, (start, end) in enumerate(quoted_spans(text)):
        spans[f"quoted:{number}"] = Span(start, end, piece_at(starts, end - 1))
    runs: dict[str, list[int]] = {}
    for index, piece in enumerate(pieces):
        if piece.kind not in ("text", "code"):
            continue
        if piece.link >= 0:
            runs.setdefault(f"label:{piece.link}", []).append(index)
        for marked, family in ((piece.strong, "bold"), (piece.emph and piece.link < 0, "italic")):
            if marked:
                same = [name for name in runs if name.startswith(family + ":")]
                name = same[-1] if same and runs[same[-1]][-1] == index - 1 else f"{family}:{len(same)}"
                runs.setdefault(name, []).append(index)
    for name, members in runs.items():
        spans[name] = Span(starts[members[0]], starts[members[-1]] + len(pieces[members[-1]].text), members[-1])
    lead_end = next((starts[i] for i, p in enumerate(pieces) if p.link >= 0 or p.strong or p.emph or p.kind == "image"), len(text))
    lead = _blank_emoji(text[:lead_end])
    start = lead_end - len(_consume_prefixes(lead, []))
    for name, begin, end in lead_splits(lead[start:]):
        if end > begin:
            spans[name] = Span(start + begin, start + end, piece_at(starts, start + end - 1))
    return spans


def _span_title(text: str, span: Span, shown: list[Shown]) -> str:
    """A span's text as a title, noting the venues and dates trimmed off it."""
    title = _consume_prefixes(_strip_emoji(text[span.start : span.end]), shown).strip(" \"“”«»")
    return _trim_title(title, shown)


@lru_cache(maxsize=1 << 16)
def _title_in(raw: str) -> str:
    """A candidate span's text as a title (labels such as a system's name repeat across a list)."""
    return _span_title(raw, Span(0, len(raw), 0), [])


def _emph_runs(pieces: Sequence[Piece], starts: Sequence[int], span: Span) -> list[str]:
    """The italic runs outside a span: `*IJCAI, Aug 2024*`, `*Authors*`."""
    runs: list[str] = []
    previous = -2
    for index, piece in enumerate(pieces):
        if not piece.emph or piece.kind != "text" or span.start <= starts[index] < span.end:
            continue
        if previous == index - 1 and runs:
            runs[-1] += piece.text
        else:
            runs.append(piece.text)
        previous = index
    return runs


def _blank_emoji(text: str) -> str:
    """Emoji and :codes: as spaces of the same length, so offsets stay."""
    return _EMOJI.sub(lambda m: " " * len(m.group(0)), _EMOJI_CODE.sub(lambda m: " " * len(m.group(0)), text))


def _read(raw_title: str, kind: EntryKind, shown: Shown, links: _Links, arxiv: str, doi: str,
          authors: tuple[str, ...] = ()) -> Read:
    """An entry's fields; its link is the paper's for a paper, else the project's or the code's."""
    return Read(
        seed_title=raw_title,
        title=clean_latex(raw_title),
        kind=kind,
        venue=shown.venue,
        year=shown.year,
        authors=authors,
        url=(links.paper or links.other) if kind == "paper" else (links.project or links.code or links.other or links.paper),
        code_url=links.code,
        project_url=links.project,
        arxiv=arxiv,
        doi=doi,
    )


def _add_links(inline: Inline, links: _Links, skip: int = -1) -> None:
    text_before = ""
    seen = {-1, skip}
    for piece in inline.pieces:
        if piece.link < 0 and piece.kind == "text":
            text_before += piece.text
            continue
        if piece.link in seen:
            continue
        seen.add(piece.link)
        links.add(inline.links[piece.link], _role(inline, piece.link, text_before))
        text_before = ""


def _kind(title: str, links: _Links, has_id: bool, shown: Shown, title_role: LinkRole) -> EntryKind | None:
    if has_id or links.paper or shown.venue:
        return "paper"
    if re.match(r"^\W*awesome\b", title, re.I) or links.code and _LIST_NAME.search(title):
        return "webpage"  # another list
    if links.project:
        return "webpage"
    if links.code:
        return "software"
    if links.other:
        host = _host(links.other)
        page = host.endswith(".github.io") or "blog" in links.other.lower() or _PAGE_HOSTS.search(host)
        return "webpage" if page else "paper"
    if shown.year is None and (_PROSE.search(title) or len(title.split()) > _PROSE_WORDS):
        return None
    return "paper"


_PEOPLE = re.compile(r"\b(?:name|researcher|author|people|person)\b")
_AFFILIATION = re.compile(r"\b(?:university|affiliation|institution|homepage|school|lab)\b")
_TITLE_HEADER = re.compile(r"\b(?:title|paper|name|work|model|project|framework)\b")
_VENUE_HEADER = re.compile(r"\b(?:venue|pub|publication|conference|conf|journal|date|year|published)\b")


def _read_row(row: Block, how: str = STRUCTURE) -> Read | NotEntry:
    header = row.header
    if header and any(_PEOPLE.search(h) for h in header) and any(_AFFILIATION.search(h) for h in header) and not any(
        re.search(r"\b(?:title|paper)\b", h) for h in header
    ):
        return NotEntry("a person")
    cells = (row.text, *row.more)
    title_at = next((i for i, h in enumerate(header) if "title" in h), None)
    if title_at is None:
        title_at = next((i for i, h in enumerate(header) if _TITLE_HEADER.search(h)), None)
    titles = {index: _trim_title(_find_title(cell.pieces, [])[0].text, []) for index, cell in enumerate(cells)}
    if title_at is None:  # no header names the title's column: the cell that reads most like one
        title_at = max(titles, key=lambda index: (title_score(titles[index]), -index))
    candidates = _candidates(titles.get(title_at, ""), {f"cell:{index}": text for index, text in titles.items() if index != title_at})
    if how.startswith("cell:") and int(how[5:]) < len(cells):
        title_at = int(how[5:])
    else:
        how = STRUCTURE
    title_cell = cells[title_at] if title_at < len(cells) else row.text
    shown: list[Shown] = []
    title, before = _find_title(title_cell.pieces, shown)
    raw_title = _trim_title(title.text, shown)
    if not raw_title:
        return NotEntry("a table row without a title")
    for index, cell in enumerate(cells):
        if index == title_at:
            continue
        if index < len(header) and _VENUE_HEADER.search(header[index]):
            shown.append(read_tag(plain(cell.pieces)))
        elif len(words := plain(cell.pieces).split()) <= _TAG_CELL_WORDS:
            shown.append(read_tag(" ".join(words), acronym=False))  # a date or a venue in a column no header names
    venue_year = _choose([s for s in shown if s])
    links = _Links()
    role_of_title: LinkRole = "other"
    if title.link >= 0:
        role_of_title = _role(title_cell, title.link, before)
        links.add(title_cell.links[title.link], role_of_title)
    for index, cell in enumerate(cells):
        _add_cell_links(cell, links, header[index] if index < len(header) else "", skip=title.link if index == title_at else -1)
    arxiv, doi = links.arxiv, links.doi
    if not (arxiv or doi):
        arxiv, doi = ids_in_text(" ".join(plain(cell.pieces) for cell in cells))
    kind = _kind(raw_title, links, bool(arxiv or doi), venue_year, role_of_title) or "paper"
    read = _read(raw_title, kind, venue_year, links, arxiv, doi)
    return replace(read, evidence=_has_evidence(links, arxiv or doi, venue_year), how=how, candidates=candidates)


def _add_cell_links(cell: Inline, links: _Links, header: str, skip: int) -> None:
    """A cell's links; a column headed Paper, Code or Website says what its links are, unless
    the link's own label says otherwise (`[[blog]]` in the Paper column)."""
    column: LinkRole | None = (
        "paper" if re.search(r"\b(?:paper|pdf|arxiv)\b", header)
        else "code" if re.search(r"\b(?:code|github|repo)\b", header)
        else "project" if re.search(r"\b(?:website|homepage|project|blog)\b", header)
        else None
    )
    for index, url in enumerate(cell.links):
        if index == skip:
            continue
        role = _role(cell, index)
        labelled = _label_words(cell.labels[index]) in ROLE_WORDS
        links.add(url, role if role in ("anchor", "code") or column is None or labelled else column)
