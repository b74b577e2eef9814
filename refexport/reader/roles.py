"""What a link's text says the link is: the words lists label links with ("pdf", "code",
"project page"), and the roles they give.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from typing import Literal

LinkRole = Literal["paper", "code", "project", "anchor", "other"]

ROLE_WORDS: dict[str, LinkRole] = {
    "code": "code", "github": "code", "repo": "code", "repository": "code", "source code": "code", "implementation": "code",
    "pdf": "paper", "paper": "paper", "arxiv": "paper", "arxiv version": "paper", "openreview": "paper", "doi": "paper",
    "abs": "paper", "abstract": "paper", "acm": "paper", "ieee": "paper", "springer": "paper",
    "blog": "project", "docs": "project", "doc": "project", "homepage": "project", "home page": "project",
    "project": "project", "project page": "project", "website": "project", "web": "project", "page": "project",
    "slides": "project", "video": "project", "colab": "project", "demo": "project", "talk": "project",
    "poster": "project", "resource repo": "project", "leaderboard": "project", "dataset": "project", "model": "code",
}
