"""Every common shape of a real reading list, in small lists written for these tests
(tests/data/shapes): what each entry is, its title, venue, year, identifiers and links, and
which lines are no entries."""

from pathlib import Path

import pytest

from refexport.model import ListItem, ReadingList
from refexport.readinglist import parse_reading_list

SHAPES = Path(__file__).resolve().parents[1] / "data" / "shapes"


def _read(name: str) -> ReadingList:
    return parse_reading_list((SHAPES / name).read_text(encoding="utf-8"), name)


def _by_line(parsed: ReadingList) -> dict[int, ListItem]:
    return {item.line: item for item in parsed.items}


def _fields(item: ListItem) -> tuple[object, ...]:
    return item.kind, item.title, item.venue, item.year, item.arxiv, item.doi


def _notes(parsed: ReadingList) -> dict[int, str]:
    return {d.line: d.message for d in parsed.diagnostics}


def test_prefixed_bullets_with_nested_versions_and_a_table_of_contents() -> None:
    parsed = _read("prefixed-bullets.md")
    items = _by_line(parsed)
    assert _fields(items[8]) == ("paper", "Fast Serving of Many Models", "NSDI", 2024, "2401.00001", "")
    assert _fields(items[9]) == ("paper", "Plain Title Without a Link", "MLSys", 2022, "", "")
    assert items[10].title == "Cluster Scheduling at Scale"  # the (`Borglet`) alias is not the title's
    assert _fields(items[11]) == ("paper", "A Survey of Serving Systems", "", 2022, "2205.00002", "")  # arxiv is no venue
    # The indented "[arxiv version](…)" adds its id to the entry above; an indented entry with its
    # own venue tag is an entry of its own.
    assert _fields(items[12]) == ("paper", "Disaggregated Input Pipelines", "SoCC", 2023, "2210.00003", "")
    assert items[12].url == "https://example.org/pipelines.pdf" and 13 not in items
    assert _fields(items[14]) == ("paper", "A Follow-up System", "EuroSys", 2024, "", "10.1145/3627703.3629999")
    assert items[17].group == "Storage"  # a bold line labels the entries under it
    assert _notes(parsed)[4].startswith("not an entry (a table-of-contents link)") and 5 in _notes(parsed)
    assert [(s.title, len(s.items)) for s in parsed.sections] == [("Serving", 7)]


def test_bold_titles_with_authors_links_dates_and_badges() -> None:
    items = _by_line(_read("bold-titles.md"))
    blockwise = items[3]
    assert _fields(blockwise) == ("paper", "Blockwise Decoding for Deep Autoregressive Models", "NIPS", 2018, "1811.00004", "")
    assert blockwise.authors == ("Ann Smith", "Bo Jones")
    assert (blockwise.url, blockwise.code_url) == ("https://arxiv.org/pdf/1811.00004.pdf", "https://github.com/someone/blockwise")
    assert (items[5].venue, items[5].year) == ("EMNLP findings", 2023)
    assert (items[7].venue, items[7].year) == ("", 2024)  # a submission badge is no venue; the date gives the year
    assert (items[12].kind, items[12].title, items[12].url) == ("webpage", "Lookahead Decoding Explained", "https://lab.example.org/blog/lookahead/")
    assert (items[14].kind, items[14].url) == ("software", "https://github.com/person/prompt-lookup")


def test_tables_with_a_paper_column_and_people_and_code_lines() -> None:
    parsed = _read("tables.md")
    items = _by_line(parsed)
    assert _fields(items[13]) == ("paper", "Hydra: Cold Starts for Serverless Serving", "NSDI", 2026, "2502.00006", "")
    assert items[13].code_url == "https://github.com/a/hydra"
    assert _fields(items[14]) == ("paper", "Memory Compaction for Serving", "SOSP", 2025, "", "10.1145/3731569.3700007")
    assert (items[15].kind, items[15].url) == ("software", "https://github.com/b/ring")
    # "code [Title OSDI'22](github)" with "paper [Title OSDI'22](pdf)" under it: one paper.
    assert _fields(items[18]) == ("paper", "Pipeline Training at Scale", "OSDI", 2022, "2201.00008", "")
    assert items[18].code_url == "https://github.com/c/pipeline"
    assert (items[21].kind, items[21].title) == ("webpage", "awesome training")  # another list
    assert _notes(parsed)[7].startswith("not an entry (a person)")
    assert sorted(items) == [13, 14, 15, 18, 21]


def test_numbered_entries_news_date_lines_and_details_blocks() -> None:
    parsed = _read("numbered-and-news.md")
    items = _by_line(parsed)
    assert _fields(items[6]) == ("paper", "Periodic Positions for Long Context", "ICML", 2026, "2605.00009", "")
    assert items[6].group == "2026.05.27"  # the date line groups the entries under it
    assert items[11].arxiv == "2604.00010"  # inside <details>
    assert _fields(items[17]) == ("paper", "A Survey on Long Text Modeling", "", 2023, "2302.00011", "")
    assert items[17].authors == ("Ann Smith", "Bo Jones")
    assert (items[19].venue, items[19].year) == ("ICLR", 2024)  # "ICLR 2024 Oral."
    assert {5, 10} <= set(_notes(parsed))


def test_dates_badges_parentheses_checkboxes_and_dois_in_text() -> None:
    parsed = _read("dated-and-plain.md")
    items = _by_line(parsed)
    assert _fields(items[4]) == ("paper", "Jailbreaking Models Through Concretization", "", 2025, "2509.00012", "")
    assert (items[5].venue, items[5].year) == ("ACL Findings", 2024)  # a venue badge; topic badges are not venues
    assert (items[6].kind, items[6].year) == ("webpage", 2023)  # a blog post
    assert (items[9].venue, items[9].year, items[9].code_url) == ("SIGMOD", 2018, "https://github.com/e/learned-index")
    assert (items[10].title, items[10].year) == ("A Cost Model for Queries", 2016)
    assert items[11].venue == "Knowledge and Information Systems"
    assert (items[12].title, items[12].venue, items[12].year) == ("Tuning Knobs Automatically", "VLDB", 2021)
    assert (items[13].title, items[13].venue) == ("A Checked Paper", "ICML")
    assert items[14].doi == "10.1101/2020.03.01.000014"  # bioRxiv's version suffix dropped
    assert (items[15].title, items[15].doi) == ("A Bioinformatics Preprint", "10.1234/abc.5678")
    assert _notes(parsed)[16].startswith("not an entry (a note to readers)")
    assert [s.title for s in parsed.sections] == ["Jailbreaks", "Learned Databases"]  # a setext heading too


@pytest.mark.parametrize("name", sorted(p.name for p in SHAPES.glob("*.md")))
def test_no_title_keeps_markup(name: str) -> None:
    for item in _read(name).items:
        assert not any(mark in item.title for mark in ("**", "](", "<br", "http", "![", "`")), item


def test_section_level_can_be_chosen() -> None:
    text = "# List\n## A\n### A1\n- One[ICML][2020]\n### A2\n- Two[ICML][2021]\n## B\n- Three[ICML][2022]\n"
    default = parse_reading_list(text)
    assert [s.title for s in default.sections] == ["A", "B"]
    assert _by_line(default)[4].topics == ("A1",)
    deeper = parse_reading_list(text, section_level=3)
    assert [s.title for s in deeper.sections] == ["A1", "A2", "B"]


def test_reference_links_breaks_and_continuation_lines() -> None:
    text = (
        "# Papers\n"
        "- [Reference Style Paper][ref] (ICML 2023)\n"
        "- A Title Broken\n  Over Two Lines (NSDI 2022)\n"
        "\n| Title | Paper |\n|---|---|\n| Cell Title<br>with a note | [pdf](https://arxiv.org/abs/2301.00015) |\n"
        "\n[ref]: https://arxiv.org/abs/2301.00016\n"
    )
    items = _by_line(parse_reading_list(text))
    assert (items[2].title, items[2].arxiv, items[2].venue) == ("Reference Style Paper", "2301.00016", "ICML")
    assert (items[3].title, items[3].venue, items[3].year) == ("A Title Broken Over Two Lines", "NSDI", 2022)
    assert (items[8].title, items[8].arxiv) == ("Cell Title", "2301.00015")


def test_titles_chosen_among_candidates_by_what_reads_as_a_title() -> None:
    parsed = _read("citation-lines.md")
    items = _by_line(parsed)
    # A bold short name, then the quoted title and an italic "Venue, Mon YYYY".
    assert _fields(items[5]) == ("paper", "Nimbus: Planning Robot Tasks with Language Models", "IJCAI", 2024, "2405.10001", "")
    assert (items[6].title, items[6].year) == ("Grounded Action Models for Household Robots", 2024)  # "June 24"
    assert _fields(items[7]) == ("paper", "A Survey of Embodied Planning Benchmarks", "", 2026, "2605.10003", "")  # arXiv is no venue
    assert items[5].authors == ()  # the italic venue and date are no people
    # Citation lines: the title ends at the sentence end or before the authors.
    assert (items[12].title, items[12].venue, items[12].year) == ("Learning Sparse Routers for Mixture Models", "ICLR", 2024)
    assert _fields(items[13]) == ("paper", "Compressing Caches with Low-Rank Projections", "NeurIPS", 2023, "2310.10005", "")
    assert items[14].title == "Reducing the size of activations with quantized networks"
    assert items[15].title == "Scheduling Many Adapters at Once"
    # After a link text that is a title already, the text after a colon is a note; after a name, the title's rest.
    assert items[19].title == "Speculative Sampling with Draft Trees for Faster Decoding"
    assert items[20].title == "Paged Attention for Long Prompts on Small GPUs"
    assert items[21].title == "FlashSort: Sorting Tokens on Accelerators in Linear Time"


def test_linked_paragraphs_kind_tags_and_a_table_whose_title_column_is_found() -> None:
    parsed = _read("citation-lines.md")
    items = _by_line(parsed)
    assert _fields(items[25]) == ("paper", "Graph Methods for Fraud Detection: A Survey", "", None, "2507.10009", "")
    assert (items[27].kind, items[27].venue) == ("software", "")  # "(OTD)" abbreviates the title: no venue
    assert (items[29].kind, items[29].title) == ("webpage", "Why Fraud Graphs Are Hard")  # "[Blog]" says what it is
    assert 31 not in items  # prose with a link
    # No header names the title column: the cell that reads as a title; tags and "(@org)" are not the title's.
    assert _fields(items[37]) == ("paper", "Batching Requests for Language Model Serving", "", 2024, "2405.10010", "")
    assert items[38].title == "Fused Kernels for Attention on Commodity Hardware"


def test_tagged_table_rows_whose_labels_say_what_their_links_are_and_date_only_bullets() -> None:
    parsed = _read("citation-lines.md")
    items = _by_line(parsed)
    line = next(number for number, item in items.items() if item.title.startswith("Hydra"))
    hydra, servekit, cache = items[line], items[line + 1], items[line + 2]
    # A [[blog]] or [[docs]] link in the Paper column is a page; "(@ExampleCorp)" is who, not a venue.
    assert (hydra.kind, hydra.title, hydra.url) == ("webpage", "Hydra: Decoding With Many Heads at Once", "https://sites.example.org/hydra")
    assert (servekit.kind, servekit.title, servekit.venue) == ("webpage", "ServeKit LLM", "")
    # A long tag before a title is a tag all the same.
    assert _fields(cache) == ("paper", "Exploring Cache Precision for Inference", "", 2023, "2309.10012", "")
    notes = _notes(parsed)
    assert all(notes[n].startswith("not an entry (a date or tag line)") for n in (line + 6, line + 7))


def test_tools_pages_and_courses_are_no_papers_without_evidence_of_one() -> None:
    items = {item.title: item for item in _read("citation-lines.md").items}
    assert items["Fastserve"].kind == items["Gateway"].kind == "software"
    assert items["Localrun"].kind == "webpage"  # no sign of its own; its neighbours are tools
    assert items["Serving Systems Lectures"].kind == "webpage"  # a video site


def test_a_venue_named_in_a_note_to_readers_is_not_the_entry_s() -> None:
    items = {item.title: item for item in _read("citation-lines.md").items}
    assert (items["Tuning-Papers"].kind, items["Tuning-Papers"].venue, items["Tuning-Papers"].year) == ("webpage", "", None)


def test_a_table_of_thousands_of_columns_is_cut_with_one_warning_and_its_rows_still_read() -> None:
    from refexport.readinglist import MAX_COLUMNS

    columns = 3000
    rows = ["|" + "|".join(["Title", "Venue", *(f"c{n}" for n in range(columns - 2))]) + "|",
            "|" + "|".join("---" for _ in range(columns)) + "|"]
    rows += ["|" + "|".join([f"A Study of Wide Tables Number {r}", "ICML 2023", *("x" * (columns - 2))]) + "|" for r in range(5)]
    listed = parse_reading_list("# Papers\n\n" + "\n".join(rows) + "\n| A Narrow Row After It | 2024 |\n", "wide.md")
    assert [item.title for item in listed.items][:5] == [f"A Study of Wide Tables Number {r}" for r in range(5)]
    assert listed.items[0].venue == "ICML" and listed.items[0].year == 2023
    (warning,) = [d for d in listed.diagnostics if "columns" in d.message]
    assert (warning.line, warning.level) == (3, "warning")
    assert f"a table of {columns} columns is cut to its first {MAX_COLUMNS} (lines 3-9)" in warning.message
