"""The bibliography people read: valid HTML, every entry shown, titles linked to the DOI or arXiv,
the arXiv id and code link shown, unresolved items marked, every link inside the page set
resolving; Markdown with no TeX left."""

import re
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import pytest

from refexport.app import build

from ..conftest import DEMO


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.items = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "li":
            self.items += 1


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    build(DEMO / "reading-list.md", out, DEMO / "refexport.lock", DEMO / "overrides")
    return out


def _read(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_valid_html(pages: Path) -> None:
    for page in sorted(pages.glob("*.html")):
        html5lib.HTMLParser(strict=True).parse(page.read_text(encoding="utf-8"))  # raises on any parse error


def test_every_work_is_shown_in_each_of_its_sections_and_every_link_is_well_formed(pages: Path) -> None:
    result = build(DEMO / "reading-list.md", pages, DEMO / "refexport.lock", DEMO / "overrides")
    links = _read(pages / "all.html")
    assert links.items == len({(e.item.section, e.key) for e in result.bibliography.entries})
    assert links.ids >= {work.key for work in result.bibliography.works}  # each work's first place is its anchor
    for href in links.hrefs:
        assert re.match(r"^(https://doi\.org/10\.\d{4,9}/\S+|https://arxiv\.org/abs/[\w./-]+|https?://\S+|[\w-]+\.html)$", href), href
    dois = [w.record.doi for w in result.bibliography.works if w.record.doi]
    assert all(f"https://doi.org/{doi}" in links.hrefs for doi in dois)
    text = (pages / "all.html").read_text(encoding="utf-8")
    assert text.count('class="work unresolved"') == len(
        {(e.item.section, e.key) for e in result.bibliography.entries if e.decision.status.value == "unresolved"})


def test_the_index_links_every_page_and_every_page_links_back(pages: Path) -> None:
    index = _read(pages / "index.html")
    assert index.hrefs and all((pages / href).is_file() for href in index.hrefs)
    assert {Path(href).suffix for href in index.hrefs} == {".html", ".bib", ".json", ".ris"}  # each page and its downloads
    for href in (href for href in index.hrefs if href.endswith(".html")):
        assert "index.html" in _read(pages / href).hrefs


def test_markdown_and_html_carry_no_tex(pages: Path) -> None:
    for page in [*pages.glob("*.md"), *pages.glob("*.html")]:
        if page.name == "report.md":
            continue
        text = re.sub(r'<pre class="bib"[^>]*>.*?</pre>', "", page.read_text(encoding="utf-8"), flags=re.S)  # BibTeX to copy
        assert not re.search(r"\\(?:textbraceleft|ensuremath|[a-zA-Z]+\{)|\$\\|\{\\", text), page.name


def test_a_code_link_and_an_arxiv_id_are_shown(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text(
        "# A\n- **Fast Serving**  \n  *A. Author*. [[pdf](https://arxiv.org/abs/2401.00001)], [[code](https://github.com/a/fast)], 2024.01.\n")
    build(tmp_path / "list.md", tmp_path / "out", tmp_path / "none.lock", tmp_path / "overrides")
    page = (tmp_path / "out" / "all.html").read_text(encoding="utf-8")
    assert '<a href="https://arxiv.org/abs/2401.00001">Fast Serving</a>' in page
    assert "arXiv:2401.00001" in page and 'href="https://github.com/a/fast"' in page
    assert "Fast Serving" in (tmp_path / "out" / "a.md").read_text(encoding="utf-8")


def test_the_whole_list_page_has_its_sections_filters_and_each_entry_s_bibtex(pages: Path) -> None:
    document = html5lib.parse((pages / "all.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    headings = [" ".join("".join(h.itertext()).split()) for h in document.iter("h2")]
    assert headings == ["Serving Systems 4", "Attention & Memory 4"]  # the heading and its count
    labels = {"".join(label.itertext()).split()[0] for label in document.iter("label")}
    assert labels == {"Search", "Year", "Venue", "Type"} and len(list(document.iter("select"))) == 3
    years = [o.get("value") for o in document.find(".//select[@id='year']").iter("option")]
    assert years == ["", "2023", "2022", "2021", "2020"]  # newest first
    kwon = document.find(".//li[@id='kwon2023efficient']")
    assert kwon.get("data-venue") == "SOSP" and kwon.get("data-type") == "Conference paper"
    bib = kwon.find(".//pre[@class='bib']")
    assert bib.text.startswith("@inproceedings{kwon2023efficient,") and bib.get("hidden") is not None
    assert kwon.find("p").text == "Woosuk Kwon, Zhuohan Li, Siyuan Zhuang"  # then "et al.", the rest hidden
    more = kwon.find(".//span[@class='more']")
    assert more.get("hidden") is not None and more.text.startswith(", Ying Sheng") and more.text.endswith("and Ion Stoica")
    assert kwon.find(".//button[@class='etal']").get("aria-label") == "show all 9 authors"
