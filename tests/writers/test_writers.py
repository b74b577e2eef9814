"""Every writer's output read back by an independent reader gives back what was written."""

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import bibtexparser
import pytest
import rispy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse
from pylatexenc.latex2text import LatexNodes2Text

from refexport.csl import csl_to_record
from refexport.model import RECORD_TYPES, Name, Record, Work
from refexport.text import fold, normalize_title
from refexport.writers import BIBTEX, CSLJSON, RIS, Format
from refexport.writers.bibtex import entry_fields, protect_title
from refexport.writers.csljson import work_to_csl

from ..conftest import AWKWARD_RECORDS, make_work


def _renderer(form: Format) -> Callable[[Sequence[Work]], str]:
    """A whole file of one format, as the build joins it."""
    return form.file


render_bibtex, render_csljson, render_ris = _renderer(BIBTEX), _renderer(CSLJSON), _renderer(RIS)
WORKS = [make_work(record, key=f"key{n}", sections=("Sec & One", "Two")) for n, record in enumerate(AWKWARD_RECORDS)]
_LATEX2TEXT = LatexNodes2Text()


def _decode(latex: str) -> str:
    """LaTeX as a reader sees it (pylatexenc lacks the kernel's \\textbraceleft/right)."""
    return _LATEX2TEXT.latex_to_text(latex.replace(r"\textbraceleft", r"\{").replace(r"\textbraceright", r"\}"))


def _words(text: str) -> str:
    """Text compared as words only (the title is plain text: no LaTeX to interpret in it)."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text).lower()).strip()


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_bibtexparser_reads_every_field_as_written() -> None:
    library = bibtexparser.parse_string(render_bibtex(WORKS))
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == [work.key for work in WORKS]
    for entry, work in zip(library.entries, WORKS, strict=True):
        entry_type, fields = entry_fields(work.record, work.sections)
        assert entry.entry_type == entry_type
        assert [(field.key, field.value) for field in entry.fields] == fields


def test_decoded_bibtex_titles_and_names_are_the_originals() -> None:
    library = bibtexparser.parse_string(render_bibtex(WORKS))
    for entry, work in zip(library.entries, WORKS, strict=True):
        decoded = _decode(entry.fields_dict["title"].value)
        assert normalize_title(decoded) == normalize_title(work.record.title)
        if work.record.title.isascii():
            assert _plain(decoded) == _plain(work.record.title)
    first = library.entries[0]
    assert _decode(first.fields_dict["author"].value) == "Müller, Jörg and Kaiser, Łukasz and Ørsted & Sons, Inc."


def test_pybtex_reads_entries_persons_and_fields() -> None:
    data = pybtex_parse(render_bibtex(WORKS), "bibtex")
    assert list(data.entries) == [work.key for work in WORKS]
    long_list = data.entries["key1"]
    assert len(long_list.persons["author"]) == 60
    assert str(long_list.persons["author"][59]) == "Author59, Given59"
    organisation = data.entries["key0"].persons["author"][2]
    assert organisation.last_names == ["{\\O}rsted {\\&} Sons, Inc."] or organisation.last_names == ["{{\\O}rsted {\\&} Sons, Inc.}"]
    preprint = data.entries["key2"].fields
    assert (preprint["eprint"], preprint["archiveprefix"], preprint["primaryclass"]) == ("2309.06180", "arXiv", "cs.LG")
    assert data.entries["key0"].fields["pages"] == "10--20"
    assert data.entries["key0"].fields["doi"] == "10.1145/3600006.3613165"


def test_bibtex_protects_acronyms_camelcase_and_proper_nouns_only() -> None:
    assert protect_title("PipeSwitch: Fast pipelined context switching on GPUs") == (
        "{PipeSwitch}: Fast pipelined context switching on {GPUs}"
    )
    assert protect_title("Semantic parsing on Freebase from question-answer pairs") == (
        "Semantic parsing on {Freebase} from question-answer pairs"
    )
    assert protect_title("Attention Is All You Need") == "Attention Is All You Need"
    assert protect_title("GPU-accelerated DNN inference") == "{GPU}-accelerated {DNN} inference"


def test_bibtex_entry_types() -> None:
    types = {record.type: entry_fields(record, ())[0] for record in AWKWARD_RECORDS}
    assert types == {"paper-conference": "inproceedings", "article-journal": "article", "article": "misc",
                     "software": "misc", "webpage": "misc"}


def test_rispy_reads_every_record_back() -> None:
    text = render_ris(WORKS)
    assert not text.startswith("\ufeff")
    assert "\n" not in text.replace("\r\n", "")
    records = rispy.loads(text)
    assert len(records) == len(WORKS)
    for parsed, work in zip(records, WORKS, strict=True):
        record = work.record
        assert parsed["id"] == work.key
        assert parsed["title"] == _plain(record.title)
        assert parsed.get("authors", []) == [
            name.literal or (f"{name.family}, {name.given}" if name.given else name.family) for name in record.authors
        ]
        assert parsed["keywords"] == ["Sec & One", "Two"]
        if record.doi:
            assert parsed["doi"] == record.doi
        if record.url:
            assert parsed["urls"] == [record.url]
    conference, journal, preprint, software, webpage, generic = records
    assert (conference["type_of_reference"], conference["secondary_title"], conference["custom3"]) == (
        "CONF", "A&B 2021", "Proceedings of the 1st Workshop on A&B")
    assert (conference["start_page"], conference["end_page"]) == ("10", "20")
    assert (journal["type_of_reference"], journal["secondary_title"], journal["volume"], journal["number"]) == (
        "JOUR", "Journal of Things", "12", "3")
    assert (preprint["type_of_reference"], preprint["accession_number"], preprint["secondary_title"]) == (
        "UNPB", "arXiv:2309.06180", "arXiv preprint arXiv:2309.06180")
    assert [r["type_of_reference"] for r in (software, webpage, generic)] == ["COMP", "ELEC", "UNPB"]


def test_csljson_round_trips_and_keeps_zotero_safe_types() -> None:
    items = json.loads(render_csljson(WORKS))
    assert [item["id"] for item in items] == [work.key for work in WORKS]
    for item, work in zip(items, WORKS, strict=True):
        assert item["keyword"] == "Sec & One, Two"
        if work.record.type != "software":  # the arXiv category, and a published paper's id, stay in the lock
            assert csl_to_record({k: v for k, v in item.items() if k not in ("id", "keyword")}) == (
                work.record.with_changes(arxiv_class="", arxiv=work.record.arxiv if work.record.is_preprint else ""))
    software = items[3]
    assert (software["type"], software["genre"], software["container-title"]) == ("webpage", "Software", "GitHub")
    preprint = items[2]
    assert (preprint["type"], preprint["number"], preprint["publisher"]) == ("article", "arXiv:2309.06180", "arXiv")
    assert items[0]["author"][2] == {"literal": "Ørsted & Sons, Inc."}


_CSL_TYPES = set(RECORD_TYPES) - {"software"}
_CSL_NAME_KEYS = {"family", "given", "literal"}


#: CSL-JSON items as the CSL 1.0.2 specification defines them, a schema written for these tests (tests/data/csl/make_schema.py).
CSL_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "csl" / "csl-items.schema.json"


def test_csljson_shape_follows_csl() -> None:
    for item in json.loads(render_csljson(WORKS)):
        assert item["type"] in _CSL_TYPES
        assert isinstance(item["id"], str) and isinstance(item["title"], str)
        for name in item.get("author", []):
            assert set(name) <= _CSL_NAME_KEYS and all(isinstance(v, str) for v in name.values())
        if "issued" in item:
            assert all(isinstance(part, int) for part in item["issued"]["date-parts"][0])


def test_csljson_is_valid_against_the_csl_variables_and_types() -> None:
    import jsonschema

    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(render_csljson(WORKS)), schema)


def test_csljson_joined_from_items_is_what_json_dumps_gives() -> None:
    assert render_csljson(WORKS) == json.dumps([work_to_csl(w) for w in WORKS], indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_ris_joined_from_records_is_what_rispy_gives_for_the_list() -> None:
    from refexport.writers.ris import _ris_writer, record_to_ris

    assert render_ris(WORKS) == _ris_writer().formats([record_to_ris(w.record, w.key, w.sections) for w in WORKS])


def test_empty_inputs_give_empty_but_valid_files() -> None:
    assert render_bibtex([]) == ""
    assert json.loads(render_csljson([])) == []
    assert render_ris([]) == ""


_ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), include_characters="{}\\$%&#_~^@\n"),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip())
# Text as titles are written: ASCII with TeX's specials, accented Latin, typography, CJK, scripts.
_TITLE_TEXT = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(32, 127)] + list("éèüöäßçñåøłŁØÉÜ–—“”‘’…αβγ²³₂日本語") + ["\n"]
    ),
    min_size=1,
    max_size=60,
).filter(lambda t: any(c.isalnum() for c in t))


def _works_for(title: str, family: str) -> list:
    record = Record(type="paper-conference", title=title, authors=(Name(family=family, given="A"),), year=2020,
                    container_title=title)
    return [make_work(record, key="k1"), make_work(Record(type="article", title="Next"), key="k2")]


@settings(max_examples=150, deadline=None)
@given(title=_ANY_TEXT, family=_ANY_TEXT)
@example(title="x", family=",,")  # pybtex: "Too many commas" while the family name was unbraced
@example(title="x", family="Smith and Jones")  # BibTeX's separator inside one name
def test_any_text_stays_one_entry_in_every_format(title: str, family: str) -> None:
    works = _works_for(title, family)
    library = bibtexparser.parse_string(render_bibtex(works))
    assert library.failed_blocks == [] and [e.key for e in library.entries] == ["k1", "k2"]
    parsed = pybtex_parse(render_bibtex(works), "bibtex").entries
    assert list(parsed) == ["k1", "k2"] and len(parsed["k1"].persons["author"]) == 1
    ris = rispy.loads(render_ris(works))
    assert [r["id"] for r in ris] == ["k1", "k2"] and ris[0]["title"] == _plain(title)
    assert [item["title"] for item in json.loads(render_csljson(works))] == [title, "Next"]


@settings(max_examples=150, deadline=None)
@given(title=_TITLE_TEXT)
def test_any_title_decodes_back_from_bibtex(title: str) -> None:
    library = bibtexparser.parse_string(render_bibtex(_works_for(title, "Doe")))
    decoded = _decode(library.entries[0].fields_dict["title"].value)
    assert _words(decoded) == _words(title)


@pytest.mark.parametrize(
    ("written", "read"),
    [(r"Jean-Fran\ccois", "Jean-François"), (r"Fran\c cois", "François"), (r"Fran\c{c}ois", "François"),
     (r'M{\"o}ller', "Möller"), (r'M\"{o}ller', "Möller"), (r"Ren\'e", "René"), (r"Dvo\vr\'ak", "Dvořák")],
)
def test_tex_accents_in_source_names_are_decoded_in_every_spelling(written: str, read: str) -> None:
    from refexport.names import clean_name
    from refexport.resolve.sources.arxiv import split_name

    assert clean_name(written) == read
    assert split_name(f"A {written}").family == read


def test_a_person_split_into_two_one_word_names_is_joined_and_groups_are_not() -> None:
    from refexport.names import joined_names, single_word_people

    people = (Name("Kwon", "Woosuk"), Name(literal="Michael"), Name(literal="Pokorny"), Name("Li", "Zhuohan"))
    assert joined_names(people)[1] == Name(family="Pokorny", given="Michael")
    groups = (Name(literal="NVIDIA"), Name(literal="Microsoft"))
    assert joined_names(groups) == groups  # no people around them: organisations stay
    odd = Record(type="article", title="t", authors=(Name("Kwon", "Woosuk"), Name(literal="Cher")))
    assert single_word_people(odd) == ["Cher"]
