import pytest

from solvers.base import ValueKind, Variant
from solvers.compare import match_number
from solvers.grading import GradeStatus, PartStatus, grade_response
from solvers.numbers import parse_number
from tests.solvers.fakes import (
    METRIC_VARIANTS,
    SHAPE_VARIANTS,
    metrics_solution,
    shape_solution,
    vector_solution,
)

F1 = metrics_solution(asked=("f1",))


@pytest.mark.parametrize("response", ["8/13", "61.5 %", "0.615", "6.15e-1", "≈ 0.62", "0.6154", "61.54%"])
def test_equivalent_forms_of_f1_are_accepted(response):
    grade = grade_response(F1, METRIC_VARIANTS, response)
    assert grade.status is GradeStatus.GRADED
    assert grade.score == 1.0 and grade.correct


def test_percentage_without_sign_is_accepted_with_a_note():
    grade = grade_response(F1, METRIC_VARIANTS, "61.5")
    assert grade.correct
    assert grade.parts[0].feedback == "F1 is correct (61.5 was read as 61.5 %)."


@pytest.mark.parametrize("response", ["0.6", "0.7", "60%"])
def test_too_coarse_or_wrong_values_are_wrong(response):
    grade = grade_response(F1, METRIC_VARIANTS, response)
    assert grade.score == 0.0
    assert grade.parts[0].status is PartStatus.WRONG


def test_near_miss_gets_a_rounding_hint():
    grade = grade_response(F1, METRIC_VARIANTS, "0.63")
    assert grade.parts[0].feedback.endswith("check your rounding (keep at least three significant figures).")


def test_swapped_precision_and_recall_are_named():
    grade = grade_response(
        metrics_solution(), METRIC_VARIANTS, "accuracy 0.9, precision 0.8, recall 0.5, f1 0.615"
    )
    assert grade.score == pytest.approx(0.5)
    assert grade.misconceptions == ["precision_recall_swapped"]
    assert grade.feedback == (
        "2 of 4 parts correct. Precision: You swapped precision and recall. The right value is 0.5. "
        "The same mistake affects Recall."
    )
    precision = grade.parts[1]
    assert precision.feedback == "Precision: You swapped precision and recall. The right value is 0.5."
    assert "You swapped precision and recall." in grade.feedback


def test_f1_as_arithmetic_mean_is_named():
    grade = grade_response(F1, METRIC_VARIANTS, "0.65")
    assert grade.parts[0].misconception == "f1_arithmetic_mean"


def test_mistake_that_coincides_with_the_right_value_is_not_diagnosed():
    variants = [Variant("same", "Would be wrong.", {"f1": 8 / 13})]
    grade = grade_response(F1, variants, "0.5")
    assert grade.parts[0].misconception is None


def test_accepted_convention_earns_full_credit_with_its_name():
    variants = [
        Variant(
            "other_orientation", "the table read with rows as actual classes.", {"f1": 0.5}, accepted=True
        )
    ]
    grade = grade_response(F1, variants, "0.5")
    assert grade.correct
    assert grade.parts[0].feedback == (
        "F1 is correct under another convention: the table read with rows as actual classes."
    )


def test_missing_parts_score_zero_and_say_so():
    grade = grade_response(metrics_solution(), METRIC_VARIANTS, "precision = 0.5")
    assert grade.score == pytest.approx(0.25)
    assert [p.status for p in grade.parts] == [
        PartStatus.MISSING,
        PartStatus.CORRECT,
        PartStatus.MISSING,
        PartStatus.MISSING,
    ]
    assert grade.parts[0].feedback == "Accuracy was not answered; it is 0.9."


def test_unreadable_part_withholds_the_score():
    grade = grade_response(F1, METRIC_VARIANTS, "I think it is high")
    assert grade.status is GradeStatus.UNREADABLE
    assert grade.score is None
    assert grade.parts[0].status is PartStatus.UNREADABLE
    assert grade.feedback == "Could not read F1: nothing was graded. Fix the format and submit again."


def test_vector_partial_credit_per_entry():
    grade = grade_response(vector_solution(), [], "[2, 5, 0, 4.5, 6]")
    part = grade.parts[0]
    assert part.status is PartStatus.PARTIAL
    assert part.score == pytest.approx(0.8)
    assert part.feedback == "Output is partly right (entries 2 are wrong); it is [2, 0, 0, 4.5, 6]."


def test_vector_of_wrong_length():
    grade = grade_response(vector_solution(), [], "[2, 0, 4.5, 6]")
    assert grade.parts[0].feedback == "Output should be [2, 0, 0, 4.5, 6] (expected 5 entries, got 4)."


@pytest.mark.parametrize(
    ("response", "code"),
    [
        ("m x n", "shape_transposed"),
        ("a scalar", "shape_scalar"),
        ("n*m", "shape_flattened"),
        ("(n·m,)", "shape_flattened"),
        ("nm", "shape_flattened"),
        ("m*n", "shape_flattened"),
    ],
)
def test_shape_mistakes_are_named(response, code):
    grade = grade_response(shape_solution(), SHAPE_VARIANTS, response)
    assert grade.parts[0].misconception == code


@pytest.mark.parametrize("response", ["n x m", "N × M", "(n, m)", "R^(n×m)", "n by m"])
def test_shape_forms(response):
    assert grade_response(shape_solution(), SHAPE_VARIANTS, response).correct


def test_undefined_is_right_only_when_expected_undefined():
    fraction = ValueKind.FRACTION
    undefined = parse_number("0")
    assert undefined is not None
    assert match_number(None, undefined, fraction, 0.01).score == 0.0
