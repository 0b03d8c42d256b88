"""Whatever the text, a solver's `detect` returns a score in [0, 1] and its `parse` either reads a
problem or raises one of the project's errors (`ExamgraderError`): never a `ValueError`,
`IndexError`, `KeyError`... that the HTTP edge would turn into a 500; a problem it reads is solved
and its mistakes re-run under the same rule. (`detect` may raise `InputTooLarge` for a number beyond
a float, like every reader of numbers.)

Two sources of text: arbitrary strings over the characters exam questions use, and every solver's
own example questions with tokens deleted, duplicated, swapped or replaced (numbers made zero,
negative, huge, fractional; words taken from other questions)."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers.base import Solver
from solvers.errors import ExamgraderError, InputTooLarge
from solvers.normalize import normalize
from solvers.registry import SOLVERS

MAX_EXAMPLES = 200
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Letters, digits and the punctuation, brackets, operators and symbols of exam questions.
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" \n\t.,;:!?()[]{}|-+*/=^_<>'\"\\$%&#~`@")
    + list("×−·√∑∏∂∇→∈≤≥≈±ℝσαβγεηλμρθω²³ⁿᵀ⊙½")
)
_WORDS = st.sampled_from(
    [
        "matrix",
        "mask",
        "dropout",
        "patience",
        "epoch",
        "gradient",
        "clip",
        "norm",
        "layer",
        "filter",
        "stride",
        "padding",
        "Adam",
        "momentum",
        "learning rate",
        "λ",
        "weights",
        "TP",
        "FP",
        "FN",
        "TN",
        "precision",
        "recall",
        "xavier",
        "He",
        "fan_in",
        "sigmoid",
        "tanh",
        "ReLU",
        "bootstrap",
        "AdaBoost",
        "vote",
        "variance",
        "L2",
        "L1",
        "weight decay",
        "max_norm",
        "val_loss",
        "units",
        "Conv2D",
        "LSTM",
        "nn.Linear(",
        "R^{",
        "×",
        "\\begin{bmatrix}",
        "\\end{bmatrix}",
        "&",
        "\\\\",
        "|",
        "---",
        "=",
        "[",
        "]",
        "(",
        ")",
        ",",
        "?",
        "0",
        "1",
        "-1",
        "0.5",
        "1e-8",
        "1e309",
        "nan",
        "inf",
        "10^{-3}",
        "1/3",
        "50%",
    ]
)
_NUMBERS = st.sampled_from(
    [
        "0",
        "-1",
        "-0.5",
        "1e309",
        "1e-320",
        "99999999999999999999",
        "0.0",
        "1/0",
        "nan",
        "inf",
        "3.",
        ".5",
        "2/3",
    ]
)


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"(\s+)", text) if t]


_EXAMPLE_TOKENS = {solver.kind: [_tokens(e.question) for e in solver.examples()] for solver in SOLVERS}
_ALL_TOKENS = sorted(
    {t for groups in _EXAMPLE_TOKENS.values() for tokens in groups for t in tokens if t.strip()}
)


@st.composite
def mutated_example(draw: st.DrawFn, kind: str) -> str:
    """One of the solver's example questions after a few random token edits."""
    tokens = list(draw(st.sampled_from(_EXAMPLE_TOKENS[kind])))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "number", "word", "truncate"]))
        if edit == "delete":
            del tokens[i]
        elif edit == "duplicate":
            tokens.insert(i, tokens[i])
        elif edit == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif edit == "number":
            tokens[i] = (
                re.sub(r"\d+(?:\.\d+)?", draw(_NUMBERS), tokens[i], count=1)
                if re.search(r"\d", tokens[i])
                else draw(_NUMBERS)
            )
        elif edit == "word":
            tokens[i] = draw(st.sampled_from(_ALL_TOKENS) | _WORDS)
        else:
            tokens = tokens[: i + 1]
    return "".join(tokens)


_RANDOM_TEXT = st.text(_ALPHABET, max_size=300) | st.lists(
    _WORDS | st.text(_ALPHABET, min_size=1, max_size=6), max_size=40
).map(" ".join)


def _check(solver: Solver[Any], question: str) -> None:
    text = normalize(question)
    try:
        score = solver.detect(text)
    except InputTooLarge:  # a number too large to read, whichever solver looks first
        return
    assert 0.0 <= score <= 1.0, score
    try:
        problem = solver.parse(text)
    except ExamgraderError:  # refusing is fine; any other exception is a bug
        return
    with contextlib.suppress(ExamgraderError):  # what was read is solved, and its mistakes re-run
        solver.solve(problem)
        solver.variants(problem)


@pytest.mark.parametrize("solver", SOLVERS, ids=lambda s: s.kind)
def test_arbitrary_text_raises_only_project_errors(solver: Solver[Any]) -> None:
    @FUZZ
    @given(_RANDOM_TEXT)
    def run(question: str) -> None:
        _check(solver, question)

    run()


@pytest.mark.parametrize("solver", SOLVERS, ids=lambda s: s.kind)
def test_mutated_examples_raise_only_project_errors(solver: Solver[Any]) -> None:
    @FUZZ
    @given(mutated_example(solver.kind))
    def run(question: str) -> None:
        _check(solver, question)

    run()
