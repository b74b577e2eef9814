"""The escaping functions, for any string in: Markdown shows text as text, a code span holds
exactly its text, a link destination ends where it should and no link is live unless it is http,
https or mailto, an HTML attribute reads back as its value. Checked by parsing the output the
way readers do (markdown-it-py with GitHub's tables and strikethrough; html5lib)."""

import html5lib
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from refexport.escape import WEB_SCHEMES, code_span, html_attribute, markdown_destination, markdown_text, safe_url

GITHUB = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE = ["`", "``", "](javascript:alert(1))", "<img src=x onerror=alert(1)>", "[a](b)", "&lt;", "*x*", "|", "\\", "~~s~~", "<", ">"]
# NUL is left out: CommonMark shows it as U+FFFD.
text = (st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
        | st.lists(st.sampled_from([*HOSTILE, "a", " "]), max_size=12).map("".join))
SCHEMES = ["http://", "https://", "mailto:", "javascript:", "JavaScript:", "data:", " javascript:", ""]
urls = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES), text)
PROFILE = settings(derandomize=True, max_examples=300, deadline=None)


def _inline(markdown: str) -> list:
    (paragraph,) = [t for t in GITHUB.parse(markdown) if t.type == "inline"]
    return list(paragraph.children or [])


@PROFILE
@given(text)
@example("x](javascript:alert(1)) `` <b>")
def test_markdown_text_is_shown_as_text(value: str) -> None:
    shown = markdown_text(value)
    if not shown:
        return
    tokens = _inline("x " + shown)
    assert {t.type for t in tokens} <= {"text", "softbreak"}
    assert "".join(t.content for t in tokens) == "x " + " ".join(value.split())
    rows = [t for t in GITHUB.parse(f"| a | b |\n| --- | --- |\n| {shown} | z |\n") if t.type in ("td_open", "th_open")]
    assert len(rows) == 4  # the text stays in its cell


@PROFILE
@given(text)
@example("`` ` ```")
def test_a_code_span_holds_exactly_its_text(value: str) -> None:
    span = code_span(value)
    if not " ".join(value.split()).strip():
        return
    (token,) = [t for t in _inline("x " + span) if t.type != "text" or t.content.strip() not in ("x", "")]
    assert token.type == "code_inline" and token.content.strip() == " ".join(value.split()).strip()


@PROFILE
@given(st.text(max_size=20), urls)
@example("a", "https://x.org/a)(javascript:alert(1)")
@example("a", "javascript:alert(1)")
def test_a_markdown_link_is_one_link_and_never_runs_code(label: str, url: str) -> None:
    tokens = _inline(f"[{markdown_text(label) or 'link'}]({markdown_destination(url)})")
    links = [t for t in tokens if t.type == "link_open"]
    assert len(links) == 1
    href = str(links[0].attrs["href"])
    assert href == "" or href.split(":")[0].lower() in WEB_SCHEMES


@PROFILE
@given(urls)
def test_a_safe_url_is_a_web_url_with_nothing_tex_or_markup_can_use(url: str) -> None:
    written = safe_url(url)
    assert written == "" or written.split(":")[0].lower() in WEB_SCHEMES
    assert not set(written) & set(" \t\n\\{}^\"`<>") and written.isascii()


@PROFILE
@given(text)
def test_an_html_attribute_reads_back_as_its_value(value: str) -> None:
    value = "".join(c for c in value if c.isprintable())  # what html5lib keeps of a document
    document = html5lib.parse(f'<a title="{html_attribute(value)}">x</a>', namespaceHTMLElements=False)
    (anchor,) = document.iter("a")
    assert anchor.get("title") == value


def _hrefs_markdown(markdown: str) -> list[str]:
    found = []
    for token in GITHUB.parse(markdown):
        for child in [token, *(token.children or [])]:
            assert child.type not in ("html_inline", "html_block"), child.content
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href") or child.attrs.get("src")))
    return found


def test_nothing_from_a_list_or_a_lock_is_a_live_link_or_tag_in_any_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from refexport.app import build

    (tmp_path / "reading-list.md").write_text(
        "# Papers\n\n"
        "- [A paper on serving](https://example.org/a)(javascript:alert(1)) [ICML][2020] `` <img src=x onerror=alert(1)> ``\n"
        "- [Another paper](javascript:alert(2)) [NeurIPS][2021]\n"
        "- A third paper `[x](javascript:alert(3))` [OSDI][2022]\n")
    build(tmp_path / "reading-list.md", tmp_path / "out", tmp_path / "refexport.lock", tmp_path / "overrides")
    built = json.loads((tmp_path / "out" / "all.json").read_text())
    assert [i["title"] for i in built][:2] == ["A paper on serving", "Another paper"]
    assert [i.get("URL") for i in built] == ["https://example.org/a", None, None]
    out = tmp_path / "out"
    for page in (out / "all.md", out / "report.md"):
        for href in _hrefs_markdown(page.read_text()):
            assert href.split(":")[0] in WEB_SCHEMES, (page.name, href)
    document = html5lib.parse((out / "all.html").read_text(), namespaceHTMLElements=False)
    for anchor in document.iter("a"):
        assert anchor.get("href", "").split(":")[0] in (*WEB_SCHEMES, "index.html"), anchor.get("href")
    scripts = list(document.iter("script"))
    assert not list(document.iter("img")) and len(scripts) == 1 and "URLSearchParams" in (scripts[0].text or "")  # the page's own
    urls = [line for p in out.iterdir() if p.suffix in (".bib", ".ris") for line in p.read_text().splitlines()
            if line.strip().startswith(("url", "UR  -"))]
    assert urls and not [line for line in urls if "javascript" in line]
