"""Normalisation is a projection: normalising normalised text changes nothing, and it never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from solvers.normalize import normalize

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that some step rewrites: LaTeX wrappers and commands, superscripts, mojibake, odd spaces,
# thousands separators, minus signs and line ends, mixed with plain letters and digits.
_PIECES = st.sampled_from(
    [
        r"\mathbf{",
        r"\mathbb{",
        r"\text{",
        r"\operatorname{",
        r"\mathbb R",
        "{",
        "}",
        r"\times",
        r"\cdot",
        r"\left(",
        r"\right)",
        r"\,",
        r"\\",
        "\\",
        r"\%",
        r"\top",
        r"\lambda",
        "$",
        "²",
        "ⁿˣᵐ",
        "⁻³",
        "ᵀ",
        "ℝ",
        "√ó",
        "‚àÇ",
        "Œª",
        "×",
        "−",
        "\u00a0",
        "\u200b",
        "\u202e",
        "\t",
        "\r\n",
        "\r",
        "\n",
        "  ",
        " ",
        "1,000",
        ",000",
        "[",
        "]",
        "(",
        ")",
        ",",
        "ﬁ",
        "１２",
        "x",
        "n",
        "7",
        "0.5",
    ]
)
_TEXT = st.lists(_PIECES | st.text(max_size=4), max_size=30).map("".join) | st.text(max_size=200)


@PROPERTY
@given(_TEXT)
@example("²√ó")  # mojibake beside a superscript was repaired only on a second pass
@example(r"\text{\mathbf{x}} \mathbf{\mathbf{y}}")  # nested wrappers came off one a pass
@example("÷‚àÇ")  # the repair `‚àÇ` → `∂` made a new run, `÷∂`
@example("√óﬁ")  # one undecodable character kept a whole run from repair
@example("\\\\%")  # `\\%` lost a backslash a pass
@example("\\$\\mathbf{")  # `$` became a space after the escapes were read: `\ `
@example("\\\f0")  # a form feed became a space after the escapes were read
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@PROPERTY
@given(_TEXT)
def test_normalised_text_keeps_no_carriage_returns_nor_edge_spaces(text: str) -> None:
    for line in normalize(text).split("\n"):
        assert "\r" not in line
        assert line == line.strip(" \t")
