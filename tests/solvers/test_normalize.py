import pytest

from solvers.normalize import (
    NORMALIZERS,
    canonical_symbols,
    drop_thousands_separators,
    fix_mac_roman_mojibake,
    latex_to_plain,
    normalize,
    superscripts_to_carets,
)


@pytest.mark.parametrize(
    ("garbled", "clean"),
    [
        ("n√óm", "n×m"),
        ("‚àÇf/‚àÇX", "∂f/∂X"),
        ("Œª‚àë", "λ∑"),
        ("Overfitting ‚Üí High variance", "Overfitting → High variance"),
    ],
)
def test_mac_roman_mojibake_is_repaired(garbled, clean):
    assert fix_mac_roman_mojibake(garbled) == clean


def test_real_unicode_is_left_alone():
    assert fix_mac_roman_mojibake("∂f/∂X ∈ ℝ^{n×m} — λ") == "∂f/∂X ∈ ℝ^{n×m} — λ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("x²", "x^2"), ("10⁻³", "10^-3"), ("ℝⁿˣᵐ", "ℝ^{n×m}"), ("Wᵀx", "W^Tx")],
)
def test_superscripts(text, expected):
    assert superscripts_to_carets(text) == expected


def test_symbols_fold_to_one_spelling():
    assert canonical_symbols("−0.5 ✕ 2 ∈ ℝ") == "-0.5 × 2 ∈ R"


@pytest.mark.parametrize(
    ("latex", "plain"),
    [
        (r"$X \in \mathbb{R}^{n \times m}$", " X ∈ R^{n × m} "),
        (r"\text{Precision} = 0.5", "Precision = 0.5"),
        (r"\left( a \right)", "( a )"),
    ],
)
def test_latex_to_plain(latex, plain):
    assert latex_to_plain(latex) == plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total = 1,000 patients", "Total = 1000 patients"),
        ("a = [1,000, 2]", "a = [1,000, 2]"),
        ("100,000 unlabeled images", "100000 unlabeled images"),
        ("values 1,2,3", "values 1,2,3"),
    ],
)
def test_thousands_separators_only_outside_brackets(text, expected):
    assert drop_thousands_separators(text) == expected


def test_invisible_and_bidi_characters_are_removed():
    assert normalize("TP\u200b = 8\u202e0\x00") == "TP = 80"


def test_line_breaks_survive_for_tables():
    assert normalize("| a | b |\r\n|  1  |  2 |") == "| a | b |\n| 1 | 2 |"


def test_every_step_is_a_pure_str_function():
    for step in NORMALIZERS:
        assert step("plain text 1.5") == "plain text 1.5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("λ₁ = 0.05", "λ_1 = 0.05"),
        ("‖w‖₂²", "||w||_2^2"),
        ("nᵢₙ = 256, nₒᵤₜ = 128", "n_in = 256, n_out = 128"),
    ],
)
def test_subscripts_become_underscores(text: str, expected: str) -> None:
    assert normalize(text) == expected
