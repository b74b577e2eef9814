"""DOIs and arXiv ids: recognised in the forms people write them, kept in one normal form.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import re

from .errors import IdentifierError
from .model import Record

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?(?:\.pdf)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?:\.pdf)?$")


def normalize_doi(text: str) -> str:
    """`https://doi.org/10.1145/ABC` → `10.1145/abc` (DOIs are case-insensitive)."""
    doi = _DOI_PREFIX.sub("", text.strip())
    if not _DOI.match(doi):
        raise IdentifierError(f"not a DOI: {text!r} (expected 10.NNNN/suffix)")
    return doi.lower()


def normalize_arxiv(text: str) -> str:
    """`arXiv:2309.06180v2` → `2309.06180`; old-style `hep-th/9901001` kept as it is."""
    bare = _ARXIV_PREFIX.sub("", text.strip())
    match = _ARXIV_NEW.match(bare) or _ARXIV_OLD.match(bare)
    if not match:
        raise IdentifierError(f"not an arXiv id: {text!r} (expected e.g. 2309.06180)")
    return match.group(1)


def doi_label(doi: str) -> str:
    """How reasons, candidates and rejections name a DOI: `doi:10.1145/…`."""
    return f"doi:{doi}"


def arxiv_label(arxiv_id: str) -> str:
    """How reasons, candidates and rejections name an arXiv id: `arXiv:2309.06180`."""
    return f"arXiv:{arxiv_id}"


def record_label(record: Record) -> str:
    """A record's identifier as a label: its DOI when it has one, else its arXiv id."""
    return doi_label(record.doi) if record.doi else arxiv_label(record.arxiv)
