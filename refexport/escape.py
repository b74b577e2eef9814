"""One escaping function per output context, for text that comes from a list, a lock, an
override or a source's answer: nothing in it may open a link, a tag, a code span or a URL scheme
that runs code.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import html
import re

#: The URL schemes written anywhere: a `javascript:` or `data:` link is never written.
WEB_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# What a URL may hold as it is; everything else is percent-encoded, so that no output field can
# carry a TeX escape (^^), a brace, a backslash or a control character, whatever reads it.
_URL_SAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")
# In a Markdown link destination, also what would end it or open another.
_DESTINATION_UNSAFE = re.compile(r"[()<>\[\]\s\\`*_]")
# ASCII punctuation that Markdown (CommonMark and GitHub's) may read as inline markup: emphasis,
# code, links and images, raw HTML, entities, table cells, strikethrough. (What only starts a
# block, such as `-` or `1.`, cannot: the text never starts a line.)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))


def safe_url(url: str) -> str:
    """`url` as it may be written: "" unless it is an http, https or mailto URL; every character a
    URL may not hold as it is, percent-encoded."""
    url = url.strip()
    scheme = _SCHEME.match(url)
    if not scheme or scheme.group(1).lower() not in WEB_SCHEMES:
        return ""
    return _URL_SAFE.sub(_percent, url)


def markdown_destination(url: str) -> str:
    """A link destination: a safe URL, with whatever could end it or open another percent-encoded,
    in angle brackets."""
    return f"<{_DESTINATION_UNSAFE.sub(_percent, safe_url(url))}>"


def markdown_text(text: str) -> str:
    """Text that Markdown shows as it is: its markup characters escaped, its lines joined."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code_span(text: str) -> str:
    """Text as one code span, its fence longer than any run of backticks inside (CommonMark)."""
    text = " ".join(text.split())
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text  # CommonMark strips one space each side
    return f"{fence}{padded}{fence}" if text else ""


def html_attribute(text: str) -> str:
    """A value for a double-quoted HTML attribute."""
    return html.escape(text, quote=True)
