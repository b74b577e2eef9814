"""Text as a reader reads it: LaTeX remnants out, and the normal form titles are compared in.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from anyascii import anyascii

_LATEX_HINT = re.compile(r"[$\\{}~]")
# Control characters break TeX and terminals; line and paragraph separators other than \n split
# lines where an editor does not; zero-width characters hide in titles and keys.
_BREAKING = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def without_invisible(text: str) -> str:
    """`text` with control and invisible characters gone (separators become spaces); tabs and
    line ends are kept."""
    return _INVISIBLE.sub("", _BREAKING.sub(" ", text))


def has_invisible(text: str) -> bool:
    return bool(_INVISIBLE.search(text) or _BREAKING.search(text))
_MATH = re.compile(r"\$([^$]*)\$")
# Characters that mean something else to a LaTeX parser than to a reader of a markdown list.
_LATEX_PLAIN_SPECIALS = re.compile(r"(?<!\\)([%&#])")
_SCRIPT = re.compile(r"([\^_])\s*(?:\{([^{}]*)\}|(\\?[A-Za-z0-9+\-=()]))")
_SPACE = re.compile(r"\s+")

SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))

# Glue marks: a math group that is only a sub- or superscript belongs to the word before it
# (and a subscript also to the one after it: "H $_2$ O" is H₂O).
_GLUE_LEFT = "\x00"
_GLUE_RIGHT = "\x01"


def _script(match: re.Match[str]) -> str:
    mark, group, single = match.groups()
    body = (group if group is not None else single).strip()
    table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
    if body and all(char in table for char in body):
        return "".join(table[char] for char in body)
    return f"{mark}{body}"


def _math_to_text(match: re.Match[str]) -> str:
    body = match.group(1).strip().replace(r"\{", "{").replace(r"\}", "}").replace(r"\_", "_")
    if body in ("{", "}"):
        return body  # BibTeX brace protection mangled into math, as in "$\{$PipeSwitch$\}$"
    only_script = bool(re.fullmatch(_SCRIPT.pattern, body))
    text = _SCRIPT.sub(_script, body)
    if only_script:
        return _GLUE_LEFT + text + (_GLUE_RIGHT if body.startswith("_") else "")
    return text


#: Old font switches pylatexenc does not know: they say how text looks, not what it says.
_FONT_SWITCHES = frozenset("bf it em rm sf tt sc sl up md small large Large LARGE tiny huge Huge normalsize footnotesize scriptsize".split())


@lru_cache(maxsize=1)
def _latex_to_text() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # A macro pylatexenc does not know is kept as its name rather than dropped: in mangled
    # metadata ("Gul\ccehre") the letters are the author's name.
    context = get_default_latex_context_db()
    context.set_unknown_macro_spec(
        MacroTextSpec("", simplify_repl=lambda n, l2tobj: "" if n.macroname in _FONT_SWITCHES else n.macroname + n.macro_post_space)
    )
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=1 << 16)
def clean_latex(text: str) -> str:
    """Render a string with LaTeX/BibTeX remnants as plain Unicode text.

    `$\\{$PipeSwitch$\\}$` → `PipeSwitch`, `S$^3$` → `S³`, `O($n^2$)` → `O(n²)`, `~` → space.
    Brace groups that touch (`{A}{B}`, `{A},{B}`) were separate words: they keep a space.
    """
    text = unicodedata.normalize("NFC", without_invisible(text))  # one code point per accented letter, as LaTeX needs
    if not _LATEX_HINT.search(text):
        return _SPACE.sub(" ", text).strip()
    escaped = _LATEX_PLAIN_SPECIALS.sub(r"\\\1", text)
    unmathed = _MATH.sub(_math_to_text, escaped)
    unmathed = re.sub(r"\s*" + _GLUE_LEFT, "", unmathed)
    unmathed = re.sub(_GLUE_RIGHT + r"\s*", "", unmathed)
    spaced = re.sub(r"\}\s*\{", "} {", unmathed)
    spaced = re.sub(r"([,;:])\{", r"\1 {", spaced)
    try:
        plain = _latex_to_text().latex_to_text(spaced)
    except Exception:  # pylatexenc is tolerant, but a reading list must never stop the build
        plain = spaced.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", plain.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """Unicode compatibility form without accents: ``Łukasz`` → ``Lukasz``, ``S³`` → ``S3``."""
    return anyascii(unicodedata.normalize("NFKC", text))


# `+` and `#` tell titles apart ("The C++ / C# / C programming language"): they stay.
_NON_WORD = re.compile(r"[^0-9a-z+#]+")


@lru_cache(maxsize=1 << 16)
def normalize_title(text: str) -> str:
    """The form in which two titles are the same title: folded, lower case, words only (and the
    `+` and `#` of names like C++ and C#)."""
    return _NON_WORD.sub(" ", fold(clean_latex(text)).lower()).strip()
