"""DOIs and arXiv ids: recognised in the forms people write them, kept in one normal form.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .errors import IdentifierError
from .model import Record

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
# A DOI's suffix may hold almost anything, but nothing that breaks out of a URL path, a TeX
# argument or a line: no whitespace or control characters, no \ { } ^ " `, no "." or ".."
# path segments, no URL inside it.
_DOI = re.compile(r"^10\.\d{4,9}/(?!.*(?:^|/)\.{1,2}(?:/|$))(?!.*://)[^\s\x00-\x1f\x7f\\{}^\"`]+$")
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?(?:\.pdf)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?:\.pdf)?$")
_BARE_ARXIV = re.compile(r"\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}")


def normalize_doi(text: str) -> str:
    """`https://doi.org/10.1145/ABC` → `10.1145/abc` (DOIs are case-insensitive)."""
    doi = _DOI_PREFIX.sub("", text.strip())
    if not _DOI.match(doi):
        raise IdentifierError(f"not a DOI: {text[:200]!r} (expected 10.NNNN/suffix, with no spaces, \\ {{ }} ^ or ..)")
    return doi.lower()


def is_doi(text: str) -> bool:
    return bool(_DOI.match(text))


def is_arxiv(text: str) -> bool:
    """Whether `text` is an arXiv id in normal form (no prefix, no version)."""
    return bool(_BARE_ARXIV.fullmatch(text))


def normalize_arxiv(text: str) -> str:
    """`arXiv:2309.06180v2` → `2309.06180`; old-style `hep-th/9901001` kept as it is."""
    bare = _ARXIV_PREFIX.sub("", text.strip())
    match = _ARXIV_NEW.match(bare) or _ARXIV_OLD.match(bare)
    if not match:
        raise IdentifierError(f"not an arXiv id: {text!r} (expected e.g. 2309.06180)")
    return match.group(1)


_DBLP_KEY = re.compile(r"^(?:conf|journals|books|phd|series|reference|persons|tr)/[A-Za-z0-9_\-]+/[A-Za-z0-9_\-.]+$")


def normalize_dblp(text: str) -> str:
    """`https://dblp.org/rec/conf/nips/DaoFERR22.bib` or `DBLP:conf/nips/DaoFERR22` → `conf/nips/DaoFERR22`."""
    key = re.sub(r"^(?:https?://dblp\.(?:org|uni-trier\.de)/rec/|DBLP:)", "", text.strip()).removesuffix(".bib").removesuffix(".html")
    if not _DBLP_KEY.match(key):
        raise IdentifierError(f"not a dblp key: {text[:200]!r} (expected e.g. conf/nips/DaoFERR22)")
    return key


def dblp_label(key: str) -> str:
    """How reasons and rejections name a dblp record: `dblp:conf/nips/DaoFERR22`."""
    return f"dblp:{key}"


def doi_label(doi: str) -> str:
    """How reasons, candidates and rejections name a DOI: `doi:10.1145/…`."""
    return f"doi:{doi}"


def arxiv_label(arxiv_id: str) -> str:
    """How reasons, candidates and rejections name an arXiv id: `arXiv:2309.06180`."""
    return f"arXiv:{arxiv_id}"


def record_label(record: Record) -> str:
    """A record's identifier as a label: its DOI when it has one, else its arXiv id, else its dblp key."""
    if record.doi:
        return doi_label(record.doi)
    return arxiv_label(record.arxiv) if record.arxiv or not record.dblp else dblp_label(record.dblp)


# Where identifiers sit in the links and text of a reading list.
_ARXIV_IN_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.I,
)
_ARXIV_IN_TEXT = re.compile(r"\barxiv\s*[:.]?\s*(\d{4}\.\d{4,5})(?:v\d+)?\b", re.I)
_DOI_HOST = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.I)
# Publishers put the DOI in the path: dl.acm.org/doi/10.1145/…, …/doi/pdf/10.…, link.springer.com/article/10.…,
# biorxiv.org/content/10.1101/…v2.full.pdf.
_DOI_IN_PATH = re.compile(
    r"^https?://[^/]+/(?:.*?/)?(?:doi(?:/(?:abs|pdf|full|epdf|fullHtml|reader|book))?|article|chapter|content)/(10\.\d{4,9}/[^?#\s]+)",
    re.I,
)
# A DOI's suffix may hold balanced parentheses: 10.1007/JHEP03(2024)117.
_DOI_IN_TEXT = re.compile(r"(?:\bdoi:\s*|\b)(10\.\d{4,9}/(?:[^\s\"<>()\[\]{}]|\([^\s\"<>()\[\]{}]*\))+)", re.I)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"\[\]]+")
_DOI_URL_TAIL = re.compile(r"(?:\.full)?(?:\.pdf|\.html?)?$|/(?:full|pdf|abstract|epdf|meta)$", re.I)
_BIORXIV_VERSION = re.compile(r"^(10\.1101/[\d.]+)v\d+$", re.I)
# A publisher's own article number after the DOI in its path: academic.oup.com/…/doi/10.1093/bib/bbz144/5669856.
_ARTICLE_NUMBER_TAIL = re.compile(r"^(10\.\d{4,9}/.*[a-z].*)/\d{5,}$", re.I)
# Nature's article addresses name the DOI's suffix: nature.com/articles/s41586-020-2649-2 → 10.1038/s41586-020-2649-2.
_NATURE_ARTICLE = re.compile(r"^https?://(?:www\.)?nature\.com/articles/([a-z0-9][a-z0-9.\-]+?)(?:\.pdf)?/?(?:[?#].*)?$", re.I)


def _clean_doi(candidate: str) -> str:
    doi = unquote(candidate).rstrip(".,;:'\"")
    for _ in range(2):
        doi = _DOI_URL_TAIL.sub("", doi)
    if match := _BIORXIV_VERSION.match(doi):
        doi = match.group(1)
    return doi.lower()


def ids_in_url(url: str) -> tuple[str, str]:
    """The arXiv id and the DOI a link points to ("" where none): arXiv's abs/pdf/html pages,
    doi.org links and the DOIs publishers put in their paths. An arXiv DOI gives the arXiv id."""
    if match := _ARXIV_IN_URL.match(url.strip()):
        return match.group(1), ""
    if nature := _NATURE_ARTICLE.match(url.strip()):
        return "", f"10.1038/{nature.group(1).lower()}"
    match = _DOI_HOST.match(url.strip()) or _DOI_IN_PATH.match(url.strip())
    if not match:
        return "", ""
    doi = _clean_doi(match.group(1))
    if match.re is _DOI_IN_PATH and (numbered := _ARTICLE_NUMBER_TAIL.match(doi)):
        doi = numbered.group(1)  # checked like every given DOI: looked up, confirmed only by its title
    if arxiv := arxiv_of_doi(doi):
        return arxiv, ""
    return ("", doi) if _DOI.match(doi) else ("", "")


def ids_in_text(text: str) -> tuple[str, str]:
    """An arXiv id written as `arXiv:2309.06180` or as an arXiv address, and a DOI written as
    `doi:10.…`, bare `10.…` or a doi.org address."""
    arxiv = match.group(1) if (match := _ARXIV_IN_TEXT.search(text)) else ""
    doi = ""
    for url in _URL_IN_TEXT.findall(text):  # an address written as text, not as a link
        from_arxiv, from_doi = ids_in_url(url.rstrip(".,;:)"))
        arxiv, doi = arxiv or from_arxiv, doi or from_doi
    if doi:
        return arxiv, doi
    for found in _DOI_IN_TEXT.finditer(text):
        cleaned = _clean_doi(found.group(1))
        if from_doi := arxiv_of_doi(cleaned):
            arxiv = arxiv or from_doi
        elif _DOI.match(cleaned):
            doi = cleaned
            break
    return arxiv, doi


_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


def arxiv_of_doi(doi: str) -> str:
    """The arXiv id an arXiv DOI (DataCite's `10.48550/arXiv.ID`) names, or "" (also for a DOI of
    that form whose id is no arXiv id)."""
    match = _ARXIV_DOI.match(doi)
    return match.group(1) if match and _BARE_ARXIV.fullmatch(match.group(1)) else ""
