from refexport.assemble import assemble
from refexport.join import join
from refexport.keys import assign_keys, base_key, work_id
from refexport.lock import EMPTY
from refexport.maintain.review import lint
from refexport.model import Decision, Locked, LockFile, Name, Record, Status
from refexport.readinglist import parse_reading_list


def test_formula_family_year_first_significant_word() -> None:
    record = Record(type="paper-conference", title="Efficient Memory Management for LLM Serving",
                    authors=(Name("Kwon", "Woosuk"), Name("Li", "Zhuohan")), year=2023)
    assert base_key(record) == "kwon2023efficient"


def test_formula_folds_to_ascii_and_skips_stopwords() -> None:
    record = Record(type="article", title="The Ünïcode of Things", authors=(Name("Łukasiewicz-Müller", "Jan"),), year=2020)
    assert base_key(record) == "lukasiewiczmuller2020unicode"


def test_without_author_the_title_words_stand_in_and_organisations_count_whole() -> None:
    assert base_key(Record(type="software", title="Triton inference server", year=2024)) == "triton2024inference"
    assert base_key(Record(type="software", title="vLLM", year=2023)) == "vllm2023"
    assert base_key(Record(type="software", title="vLLM", authors=(Name(literal="vLLM Project"),), year=2023)) == "vllmproject2023vllm"
    assert base_key(Record(type="article", title="A Study", year=None)) == "study"


def test_collisions_get_letters_in_list_order_and_pinned_keys_are_reserved() -> None:
    def paper(title: str) -> Record:
        return Record(type="article", title=title, authors=(Name("Li", "A"),), year=2023)

    works = [(work_id(paper(t)), paper(t)) for t in ("Fast one", "Fast two", "Fast three", "Fast one")]
    assert list(assign_keys(works, {}).values()) == ["li2023fast", "li2023fasta", "li2023fastb"]
    pinned = {work_id(paper("Fast three")): "li2023fast"}
    assert list(assign_keys(works, pinned).values()) == ["li2023fasta", "li2023fastb", "li2023fast"]


def test_same_work_twice_shares_one_key_across_sections() -> None:
    text = (
        "# A\n- Sarathi: Efficient llm inference by piggybacking decodes[arXiv][2023]\n"
        "# B\n- SARATHI: Efficient LLM Inference by Piggybacking Decodes[arXiv][2023]\n"
        "- vLLM[Github][2023]\n- vLLM[arXiv][2023]\n"
    )
    listed = parse_reading_list(text)
    bib = assemble(join(listed, EMPTY, []))
    keys = [entry.key for entry in bib.entries]
    assert keys[0] == keys[1] == "sarathi2023efficient"
    assert keys[2] != keys[3]  # a repository and a paper of the same name are two works
    assert [(w.key, w.sections) for w in bib.works][0] == ("sarathi2023efficient", ("A", "B"))
    duplicates = [(f.line, f.message) for f in lint(listed, bib) if f.kind == "duplicate"]
    assert duplicates == [(4, "the same work as line 2 (sarathi2023efficient)")]


def test_keys_in_the_lock_never_change_unless_rekeyed() -> None:
    text = "# A\n- Attention is all you need[NeurIPS][2017]\n"
    record = Record(type="paper-conference", title="Attention is all you need", authors=(Name("Vaswani", "Ashish"),), year=2017)
    lock = LockFile([Locked(key="attention-old", decision=Decision(status=Status.RESOLVED, record=record), seed_title="Attention is all you need")])
    listed = parse_reading_list(text)
    assert assemble(join(listed, lock, [])).entries[0].key == "attention-old"
    assert assemble(join(listed, lock, []), rekey=True).entries[0].key == "vaswani2017attention"
    grown = parse_reading_list("# A\n- Attention: a new thing[NeurIPS][2017]\n- Attention is all you need[NeurIPS][2017]\n")
    assert assemble(join(grown, lock, [])).entries[1].key == "attention-old"


def test_bare_numbers_are_not_the_title_word() -> None:
    record = Record(type="article", title="The Case for 4-Bit Precision", year=2022)
    assert base_key(record) == "case2022bit"
