"""The free-text grader on any text: a score in [0, 1], only project errors, the same grade twice;
for bank rubrics and for rubrics built from a reference answer."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.grading import KeyPointGrader, build_grader
from question_bank.loader import QuestionBank, load_bank
from question_bank.rubric import Rubric, rubric_from_reference
from solvers.errors import ExamgraderError

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORDS = st.sampled_from(
    [
        "dropout",
        "neurons",
        "not",
        "never",
        "zero",
        "weights",
        "ensemble",
        "overfitting",
        "variance",
        "bias",
        "gradient",
        "vanishing",
        "ReLU",
        "sigmoid",
        "because",
        "however",
        "always",
        ".",
        ",",
        ";",
        "\n",
        "-",
        "1.",
        "*",
        "•",
        "(",
        ")",
        "?",
        "no",
        "it",
        "is",
        "the",
        "of",
        "Die",
        "Gewichte",
        "ニューロン",
        "<b>",
        "`code`",
        "$x^2$",
        "https://example.com",
        "!!!",
        "\u202e",
        "\x00",
    ]
)
_RESPONSES = st.lists(_WORDS, max_size=60).map(" ".join) | st.text(max_size=300)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


@pytest.fixture(scope="module")
def grader(bank: QuestionBank) -> KeyPointGrader:
    return build_grader(bank=bank, fallback=False)


@pytest.fixture(scope="module")
def rubrics(grader: KeyPointGrader, bank: QuestionBank) -> list[Rubric]:
    conceptual = [entry for entry in bank if entry.kind == "conceptual"]
    assert len(conceptual) >= 6
    reference = rubric_from_reference(
        "Why does dropout reduce overfitting?",
        "Dropout zeroes random neurons during training, so they cannot co-adapt. It acts like an ensemble.",
    )
    return [grader.rubric_for(entry) for entry in conceptual[:6]] + [reference]


def _grade(grader: KeyPointGrader, rubric: Rubric, response: str) -> str:
    try:
        result = grader.grade(rubric, response)
    except ExamgraderError as error:
        return f"{type(error).__name__}: {error.message}"
    assert 0.0 <= result.score <= 1.0 and not math.isnan(result.score), result.score
    assert 0.0 <= result.confidence <= 1.0, result.confidence
    return repr(result)


def test_any_text_gets_a_score_in_range_or_a_project_error(
    grader: KeyPointGrader, rubrics: list[Rubric]
) -> None:
    @PROPERTY
    @given(st.sampled_from(rubrics), _RESPONSES)
    def run(rubric: Rubric, response: str) -> None:
        with contextlib.suppress(ExamgraderError):
            _grade(grader, rubric, response)

    run()


def test_grading_is_deterministic(grader: KeyPointGrader, rubrics: list[Rubric]) -> None:
    @PROPERTY
    @given(st.sampled_from(rubrics), _RESPONSES)
    def run(rubric: Rubric, response: str) -> None:
        assert _grade(grader, rubric, response) == _grade(grader, rubric, response)

    run()
