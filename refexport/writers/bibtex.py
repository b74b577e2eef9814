"""Works → BibTeX that classic `bibtex` and `biber` both read.

Text is written as LaTeX (accents as `{\\"u}`, `&` as `{\\&}`), so no entry depends on the
document's input encoding; characters LaTeX has no name for are kept as UTF-8. Words a style
must not lower-case (acronyms, CamelCase, and proper nouns inside a sentence-case title) are
wrapped in braces.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.middlewares.middleware import Middleware
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from ..escape import safe_url
from ..model import Name, Record, Work
from ..text import SUBSCRIPTS, SUPERSCRIPTS

_ENSUREMATH = re.compile(r"\\ensuremath\{((?:[^{}]|\{[^{}]*\})*)\}")
_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)  # a word's punctuation, letters, punctuation
_HYPHEN = re.compile(r"(-)")
_PLAIN = re.compile(r"^[A-Za-z0-9 .,:;!?'()/+=*<>@\-]*$")
_UNSAFE_IN_VERBATIM = re.compile(r"[{}\\\s]")
_NAME_SPLITTERS = re.compile(r",|\band\b", re.I)

#: CSL types as BibTeX entry types (anything else is misc), and the fields that hold a type's
#: container and publisher; the readable pages typeset the same entries.
ENTRY_TYPES = {
    "paper-conference": "inproceedings",
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "thesis": "phdthesis",
}
CONTAINER_FIELD = {"inproceedings": "booktitle", "incollection": "booktitle", "article": "journal"}
PUBLISHER_FIELD = {"techreport": "institution", "phdthesis": "school"}


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

    # Text-mode scripts rather than pylatexenc's math ($_2$), which Zotero and citation-js show
    # literally; braces as commands, because bibtex and biber count `\{` as a brace.
    # And a plain i under an accent (`\"i`, not pylatexenc's `\"\i`): biber turns `\"\i` into a
    # dotless i and a combining diaeresis, which pdflatex cannot typeset.
    special = {ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"} | {
        ord(char): rf"\{accent}i" for char, accent in (("ï", '"'), ("í", "'"), ("ì", "`"), ("î", "^"))
    }
    scripts = special | {
        ord(script): rf"\text{kind}script{{{base}}}"
        for table, kind in ((SUPERSCRIPTS, "super"), (SUBSCRIPTS, "sub"))
        for base, script in table.items()
    }
    return UnicodeToLatexEncoder(
        conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, scripts), "defaults"],
        non_ascii_only=False,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


@lru_cache(maxsize=65536)
def latex(text: str) -> str:
    """Unicode text as LaTeX: specials escaped, accents as commands, one line."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if _PLAIN.match(text):
        return text
    # `$\alpha$` rather than pylatexenc's `\ensuremath{\alpha}`: the same in LaTeX, and
    # citation-js and Zotero read it back as the letter.
    return _ENSUREMATH.sub(r"$\1$", str(_encoder().unicode_to_latex(text)))


def _needs_protection(word: str, sentence_case: bool, first: bool) -> bool:
    letters = [char for char in word if char.isalpha()]
    if not letters:
        return False
    if any(char.isupper() for char in letters[1:]):
        return True  # GPU, PipeSwitch, vLLM, LLMs
    if letters[0].isupper() and re.search(r"[0-9()^_=+\u00b2\u00b3\u00b9\u2070-\u209f]", word):
        return True  # identifiers and formulas: H100, S3, O(n²)
    return sentence_case and not first and letters[0].isupper()  # a proper noun: "on Freebase"


def _is_sentence_case(words: list[str]) -> bool:
    body = [word for word in words[1:] if len(word) > 3 and word[0].isalpha()]
    lower = sum(1 for word in body if word[0].islower())
    return bool(body) and lower * 2 > len(body)


def _protected_part(part: str, sentence_case: bool, first: bool) -> str:
    """A hyphen-free piece of a word, its letters braced when a style must not change them."""
    core = _CORE.match(part)
    assert core is not None  # the pattern matches every string
    lead, body, trail = core.groups()
    if not _needs_protection(body, sentence_case, first):
        return latex(part)
    return f"{latex(lead)}{{{latex(body)}}}{latex(trail)}"


def protect_title(title: str) -> str:
    """The title as LaTeX with the words a style must keep as they are in braces.

    A title's first word and a subtitle's (after `: `) keep their capital anyway: BibTeX's
    `change.case$` and biblatex leave those alone.
    """
    words = title.split()
    sentence_case = _is_sentence_case(words)
    out = []
    starts = True
    for word in words:
        parts = _HYPHEN.split(word)
        out.append("".join(_protected_part(part, sentence_case, starts and n == 0) for n, part in enumerate(parts)))
        starts = word.endswith((":", "?", "!", "."))
    return " ".join(out)


def _name_part(text: str) -> str:
    """One part of a person's name; braced when BibTeX would split it (a comma, the word `and`)."""
    encoded = latex(text)
    return f"{{{encoded}}}" if _NAME_SPLITTERS.search(text) else encoded


def _name(name: Name) -> str:
    if name.literal:
        return f"{{{latex(name.literal)}}}"
    if not name.given:
        return _name_part(name.family)
    return f"{_name_part(name.family)}, {_name_part(name.given)}"


def _verbatim(text: str) -> str:
    """URLs and DOIs are passed to \\url-like commands: no LaTeX encoding, nothing that breaks them."""
    return _UNSAFE_IN_VERBATIM.sub("", text)


def entry_fields(record: Record, keywords: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and the (field, value) pairs, values ready to sit inside braces."""
    entry_type = ENTRY_TYPES.get(record.type, "misc")
    fields: list[tuple[str, str]] = []
    if record.authors:
        fields.append(("author", " and ".join(_name(name) for name in record.authors)))
    fields.append(("title", protect_title(record.title)))
    container_field = CONTAINER_FIELD.get(entry_type)
    if container_field and record.container_title:
        fields.append((container_field, latex(record.container_title)))
    elif record.is_preprint:
        fields.append(("howpublished", f"arXiv preprint arXiv:{latex(record.arxiv)}"))
    elif entry_type == "misc" and (record.container_title or record.publisher):
        fields.append(("howpublished", latex(record.container_title or record.publisher)))
    if entry_type == "inproceedings" and record.event_title:
        fields.append(("eventtitle", latex(record.event_title)))  # biblatex's; classic styles ignore it
    # biblatex's data model has no publisher for @article; the journal says enough.
    if record.publisher and entry_type not in ("misc", "article"):
        fields.append((PUBLISHER_FIELD.get(entry_type, "publisher"), latex(record.publisher)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    for name, value in (("volume", record.volume), ("number", record.issue)):
        if value:
            fields.append((name, latex(value)))
    if record.page:
        fields.append(("pages", latex(re.sub(r"\s*[-–—]+\s*", "--", record.page))))
    if record.doi:
        fields.append(("doi", _verbatim(record.doi)))
    if record.arxiv:
        fields.append(("eprint", latex(record.arxiv)))
        fields.append(("archiveprefix", "arXiv"))
        if record.arxiv_class:
            fields.append(("primaryclass", latex(record.arxiv_class)))
    if record.url:
        fields.append(("url", safe_url(record.url)))
    if record.type == "software":
        fields.append(("note", "Software" + (f". {latex(record.note)}" if record.note else "")))
    elif record.note:
        fields.append(("note", latex(record.note)))
    if keywords:
        fields.append(("keywords", latex(", ".join(keywords))))
    return entry_type, fields


@lru_cache(maxsize=1)
def _bibtex_writer() -> tuple[BibtexFormat, list[Middleware]]:
    layout = BibtexFormat()  # type: ignore[no-untyped-call]  # its __init__ lacks an annotation
    layout.indent = "  "
    # Entries are built here and never shared, so the enclosing step may work in place
    # (bibtexparser otherwise deep-copies every entry, most of a build's time).
    enclose = AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{", allow_inplace_modification=True
    )
    return layout, [enclose]


def bibtex_entry(work: Work) -> str:
    """One work as a BibTeX entry, ending in a newline."""
    layout, stack = _bibtex_writer()
    entry_type, fields = entry_fields(work.record, work.sections)
    library = Library([Entry(entry_type, work.key, [Field(name, value) for name, value in fields])])
    return write_string(library, unparse_stack=stack, bibtex_format=layout).strip() + "\n"


def join_bibtex(entries: Sequence[str]) -> str:
    return "\n".join(entries)
