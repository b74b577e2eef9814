import re
from pathlib import Path

import pytest

from refexport.readinglist import UNSECTIONED, parse_reading_list


def _bullet_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*[-*+]\s", line)]


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-list.md"


def test_every_item_line_of_the_real_list_is_an_item(real_list_text: str) -> None:
    parsed = parse_reading_list(real_list_text)
    assert [item.line for item in parsed.items] == _bullet_lines(real_list_text)
    assert parsed.diagnostics == ()


def test_sections_labels_and_empty_headings() -> None:
    parsed = parse_reading_list(SAMPLE.read_text(encoding="utf-8"))
    assert [(s.title, s.line, len(s.items)) for s in parsed.sections] == [("Serving", 3, 9)]
    assert parsed.empty_headings == ((16, "Agents"), (18, "Training"))  # the list's title has entries below it
    assert parsed.diagnostics == ()


def test_items_keep_line_raw_venue_year_and_group() -> None:
    items = {item.line: item for item in parse_reading_list(SAMPLE.read_text(encoding="utf-8")).items}
    tensorflow = items[6]
    assert tensorflow.raw == "- TensorFlow: A system for Large-Scale machine learning[Proc.~USENIX OSDI][2016]"
    assert (tensorflow.title, tensorflow.venue_raw, tensorflow.venue, tensorflow.year) == (
        "TensorFlow: A system for Large-Scale machine learning",
        "Proc.~USENIX OSDI",
        "Proc. USENIX OSDI",
        2016,
    )
    assert items[5].venue == "" and items[5].venue_raw == ""  # [None]
    assert items[14].venue == "" and items[14].year == 2014  # - Title[2014]
    assert items[7].title == "PipeSwitch: Fast pipelined context switching for deep learning applications"
    assert items[12].title.startswith("H₂O: Heavy-Hitter Oracle")
    assert items[8].title.startswith("S³: Increasing")
    assert items[13].title == "Self-attention Does Not Need O(n²) Memory"
    assert items[8].group == "" and items[11].group == "Second batch"
    assert items[11].venue == "Github"


def test_broken_lines_are_warnings_with_line_numbers_and_no_entry_is_lost() -> None:
    text = "\n".join(
        [
            "- before any heading[2020]",
            "# Papers",
            "- Good one[ICML][2020]",
            "- No year here[ICML]",
            "- [Linked title](https://example.org/p)[arXiv][2021]",
            "  * nested bullet[2019]",
            "some stray prose",
            "---",
            "- ",
            "Later:",
            "- Labelled[2022]",
            "## Empty",
        ]
    )
    parsed = parse_reading_list(text, "list.md")
    assert [item.line for item in parsed.items] == [1, 3, 4, 5, 6, 11]
    messages = [(d.line, d.level, d.message) for d in parsed.diagnostics]
    assert (1, "note", f"an entry before any heading: put in '{UNSECTIONED}': '- before any heading[2020]'") in messages
    assert (7, "warning", "not an item, heading or label: 'some stray prose'") in messages  # joined to line 6's item
    assert (9, "warning", "a list item with no title: '-'") in messages
    assert all(d.path == "list.md" for d in parsed.diagnostics)
    assert 8 not in [line for line, _, _ in messages]  # a thematic break is not a problem
    by_line = {item.line: item for item in parsed.items}
    assert (by_line[4].title, by_line[4].venue, by_line[4].year) == ("No year here", "ICML", None)
    assert (by_line[5].title, by_line[5].url) == ("Linked title", "https://example.org/p")
    assert (by_line[6].title, by_line[6].year) == ("nested bullet", 2019)
    assert by_line[11].group == "Later"
    assert [s.title for s in parsed.sections] == [UNSECTIONED, "Papers"]
    assert parsed.empty_headings == ((12, "Empty"),)


def test_a_megabyte_line_is_one_item() -> None:
    title = "word " * 200_000
    parsed = parse_reading_list(f"# S\n- {title}[arXiv][2020]\n- {'[' * 100_000}\n")
    assert len(parsed.items) == 2
    assert parsed.items[0].year == 2020 and len(parsed.items[0].title) == 1999  # cut, with a warning
    assert any("is cut to 2000" in d.message for d in parsed.diagnostics)


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("\ufeff# A\n- One[ICML][2020]\n", ["One"]),  # a byte-order mark
        ("# A\r\n- One[ICML][2020]\r\n- Two (VLDB 2021)\r\n", ["One", "Two"]),  # CRLF
        ("# A\r- One[ICML][2020]\r- Two (VLDB 2021)\r", ["One", "Two"]),  # old Mac line ends
        ("# A\n- " + "[" * 50_000 + "\n- Fine (ICML 2020)\n", ["[" * 2_000, "Fine"]),  # unbalanced brackets, cut
        ("# A\n- **bold [link](https://arxiv.org/abs/2401.00001\n- Next (ICML 2020)\n", None),  # unclosed markup
        ("# A\n<div>\n- <b>Tag soup [T](https://x.org)\n\n- After (ICML 2020)\n", None),  # unbalanced HTML
        ("# A\n- " + "**[2020]** " * 2_000 + "Title\n", ["Title"]),  # many prefixes
        ("# A\n- " + "[a](https://x.org/a) " * 5_000 + "\n", None),  # many links on one line
    ],
)
def test_hostile_text_never_raises_and_keeps_line_numbers(text: str, titles: list[str] | None) -> None:
    parsed = parse_reading_list(text, "list.md")
    if titles is not None:
        assert [item.title for item in parsed.items] == titles
    assert all(1 <= item.line <= text.count("\n") + text.count("\r") + 1 for item in parsed.items)
    assert all(d.path == "list.md" for d in parsed.diagnostics)
