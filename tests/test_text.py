import pytest

from refexport.text import clean_latex, fold, normalize_title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"$\{$PipeSwitch$\}$: Fast pipelined context switching", "PipeSwitch: Fast pipelined context switching"),
        (r"concurrent $\{$GPU-accelerated$\}$$\{$DNN$\}$ inferences", "concurrent GPU-accelerated DNN inferences"),
        (r"H $ \_2 $ O: Heavy-Hitter Oracle", "H₂O: Heavy-Hitter Oracle"),
        (r"S$^3$: Increasing GPU Utilization", "S³: Increasing GPU Utilization"),
        (r"Self-attention Does Not Need O($n^2$) Memory", "Self-attention Does Not Need O(n²) Memory"),
        ("Proc.~USENIX OSDI", "Proc. USENIX OSDI"),
        (r"Accelerating Distributed $\{MoE\}$ Training", "Accelerating Distributed MoE Training"),
        (r"for $\{$Cost-Effective$\}$,$\{$SLO-Aware$\}$ Machine", "for Cost-Effective, SLO-Aware Machine"),
        ("Vicuna: 90%* ChatGPT Quality & more #1", "Vicuna: 90%* ChatGPT Quality & more #1"),
        (r"Caf\'e au lait", "Café au lait"),
        ("  many   spaces\there ", "many spaces here"),
        ("unbalanced { brace", "unbalanced brace"),
        (r"{\bf Bold} words", "Bold words"),
        (r"\cCaglar Gul\ccehre", "cCaglar Gulccehre"),  # mangled TeX: the letters are kept
        ("Cafe\u0301 in NFD", "Café in NFD"),
    ],
)
def test_clean_latex_reads_as_a_reader_would(raw: str, clean: str) -> None:
    assert clean_latex(raw) == clean


def test_normalize_title_ignores_case_punctuation_accents_and_latex() -> None:
    assert normalize_title(r"$\{$PipeSwitch$\}$: Fast") == normalize_title("pipeswitch -- FAST!") == "pipeswitch fast"
    assert normalize_title("Naïve Café") == "naive cafe"


def test_fold_gives_ascii() -> None:
    assert fold("Łukasz Müller S³") == "Lukasz Muller S3"
