from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from refexport.model import ListItem, Name, Record, Work

# In CI, property tests draw the same examples on every run: a commit passes or fails for good.
# Elsewhere they explore anew; a failure found there is kept as an explicit @example.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "explore")

ROOT = Path(__file__).resolve().parent.parent
REAL_LIST = ROOT / "reading-list.md"
OVERRIDES = ROOT / "overrides"
DATA = Path(__file__).resolve().parent / "data"
#: A small project (list, lock, overrides) written for the tests; its outputs are the golden files.
DEMO = Path(__file__).resolve().parent / "golden" / "demo"


def write_project(folder: Path, listing: str, overrides: str = "") -> Path:
    """A project folder with this reading list (and these overrides, in overrides/x.toml)."""
    (folder / "reading-list.md").write_text(listing)
    if overrides:
        (folder / "overrides").mkdir()
        (folder / "overrides" / "x.toml").write_text(overrides)
    return folder


@pytest.fixture
def real_list_text() -> str:
    return REAL_LIST.read_text(encoding="utf-8")


def make_item(title: str, line: int = 1, venue: str = "", year: int | None = 2023, section: str = "S") -> ListItem:
    return ListItem(
        line=line,
        raw=f"- {title}[{venue}][{year}]",
        section=section,
        group="",
        seed_title=title,
        title=title,
        venue_raw=venue,
        venue=venue,
        year=year,
    )


def make_work(record: Record, key: str = "key2023", sections: tuple[str, ...] = ("Section",)) -> Work:
    return Work(key=key, record=record, sections=sections)


#: Records that break naive writers: every one must come back out of every format as it went in.
AWKWARD_RECORDS = [
    Record(
        type="paper-conference",
        title="Łukasz & Müller's 100% Guide to C_{n} #1 {Braces} and $money$",
        authors=(Name("Müller", "Jörg"), Name("Kaiser", "Łukasz"), Name(literal="Ørsted & Sons, Inc.")),
        year=2021,
        container_title="Proceedings of the 1st Workshop on A&B",
        event_title="A&B 2021",
        publisher="ACM",
        page="10-20",
        doi="10.1145/3600006.3613165",
        url="https://example.org/a_b?x=1&y=%20",
    ),
    Record(
        type="article-journal",
        title="Unbalanced { brace and a lone } and back\\slash",
        authors=tuple(Name(f"Author{n}", f"Given{n}") for n in range(60)),
        year=1999,
        container_title="Journal of Things",
        volume="12",
        issue="3",
    ),
    Record(
        type="article",
        title="ER  - looks like a RIS tag\nand a newline TY  - JOUR",
        authors=(Name("Zhang", "Hao"),),
        year=2023,
        publisher="arXiv",
        arxiv="2309.06180",
        arxiv_class="cs.LG",
        url="https://arxiv.org/abs/2309.06180",
    ),
    Record(type="software", title="vLLM", authors=(Name(literal="vLLM Project"),), year=2023, publisher="GitHub",
           url="https://github.com/vllm-project/vllm"),
    # pdflatex typesets Latin, Greek letters (as math) and symbols; CJK titles need xelatex.
    Record(type="webpage", title="Ærø αβγ — “quoted” … ½ ©", year=None),
    Record(type="article", title="S³ and H₂O and O(n²): naïve café", authors=(Name(family="Plato"),)),
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*/expected (review the diff!)")
