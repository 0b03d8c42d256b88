"""Vanishing and exploding gradients: exam wordings, refusals, named mistakes, detection, practice."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.registry import SOLVERS
from solvers.vanishing import VanishingSolver
from tests.solvers.kit import SolverKit
from tests.solvers.kit import close as kit_close

KIT = SolverKit(VanishingSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variants = KIT.variants

# Seed 001, question 5, and seed 000, question 17: asked in words, nothing to compute.
SEED_001_Q5 = (
    "5.Explain vanishing and exploding gradients, give reasons why they occur and how they can be prevented."
)
SEED_Q17 = (
    "17. What are the major challenges in neural network optimization (e.g., vanishing/exploding gradients, "
    "saddle points)?"
)


def close(got: Any, expected: Any) -> bool:
    return kit_close(got, expected, 1e-6, 1e-15)


# (question, expected asked parts): the arithmetic is in the comment above each case.
WORDINGS: list[tuple[str, dict[str, Any]]] = [
    # 0.25^10 = 9.5367e-7
    (
        (
            "A deep network has 10 layers with sigmoid activations. Using the maximum value of the sigmoid "
            "derivative, by what factor is the gradient multiplied by the time it reaches the first layer?"
        ),
        {"factor": 0.25**10},
    ),
    # 0.25^L < 1e-6 ⇔ L > 6 / log10(4) = 9.97 → 10
    (
        (
            "The derivative of the sigmoid is at most 0.25. After how many layers does the gradient fall "
            "below "
            "1e-6?"
        ),
        {"layers": 10.0},
    ),
    # |0.5 × 0.25| = 0.125; 0.125^5 = 3.0518e-5
    (
        (
            "In a 5-layer network each layer has weight w = 0.5 and sigmoid activation with σ'(z) = 0.25. "
            "What is "
            "the gradient factor?"
        ),
        {"factor": 0.125**5},
    ),
    # |5 × 0.25| = 1.25 > 1: exploding; 1.25^20 = 86.736
    (
        (
            "Weights w = 5, sigmoid at its maximum slope, 20 layers: does the gradient vanish or explode, "
            "and by "
            "what factor is it multiplied?"
        ),
        {"behaviour": "exploding", "factor": 1.25**20},
    ),
    # tanh'(1) = 1 − 0.761594² = 0.419974; ^4 = 0.0311094
    (
        (
            "A 4-layer tanh network has pre-activation z = 1 at every layer. Compute the product of the "
            "activation "
            "derivatives."
        ),
        {"factor": 0.0311093568},
    ),
    # σ'(0) = 0.25; 2.0 × 0.25^3 = 0.03125
    (
        (
            "Three sigmoid layers all have pre-activation z = 0, and the gradient at the output layer is "
            "2.0. What "
            "gradient reaches the first layer?"
        ),
        {"gradient": 0.03125},
    ),
    # ReLU active: 1.2^10 = 6.1917
    (
        (
            "With ReLU activations (all units active), weights of 1.2 and 10 layers, by what factor does the "
            "gradient grow?"
        ),
        {"factor": 1.2**10},
    ),
    # one inactive ReLU: 1 × 1 × 0 × 1 = 0
    (
        (
            "The local derivatives along a path through four ReLU layers are [1, 1, 0, 1]. What is the "
            "gradient "
            "factor?"
        ),
        {"factor": 0.0},
    ),
    # 0.2 × 0.25 × 0.1 × 0.15 = 0.00075
    (
        "The activation derivatives of four layers are 0.2, 0.25, 0.1 and 0.15. What is their product?",
        {"factor": 0.00075},
    ),
    # linear RNN: 0.9^50 = 0.0051538
    (
        (
            "An RNN with a linear activation has recurrent weight 0.9. Over 50 time steps, by what factor "
            "does the "
            "gradient shrink?"
        ),
        {"factor": 0.00515377520732012},
    ),
    # 1.5^L > 1000 ⇔ L > 3 / log10(1.5) = 17.04 → 18
    (
        "If each layer multiplies the gradient by 1.5, after how many layers does the gradient exceed 1000?",
        {"layers": 18.0},
    ),
    # 0.2^6 = 6.4e-5
    (
        "Compute $\\prod_{l=1}^{L} \\sigma'(z_l)$ for $L = 6$ layers with $\\sigma'(z_l) = 0.2$.",
        {"factor": 0.2**6},
    ),
    # 0.5^8 = 1/256 = 0.00390625
    (
        "Each of 8 layers multiplies the gradient by 0.5. What fraction of the gradient remains?",
        {"factor": 0.00390625},
    ),
    # a Q&A wording: 0.25^20 = 9.095e-13
    (
        (
            "Why does my 20-layer sigmoid net not train? If each sigmoid derivative is at most 1/4, how "
            "small can "
            "the first-layer gradient be relative to the last?"
        ),
        {"factor": 0.25**20},
    ),
    # σ(2) = 0.8807971, σ'(2) = 0.8807971 × 0.1192029 = 0.1049936; ^3 = 0.00115741285
    (
        "Sigmoid pre-activations equal 2 in each of 3 layers; compute the gradient scaling factor.",
        {"factor": 0.00115741285},
    ),
    # 0.5^L < 0.001 ⇔ L > 9.97 → 10
    (
        (
            "In a tanh network every derivative is 0.5: how many layers until the gradient is smaller than "
            "0.001?"
        ),
        {"layers": 10.0},
    ),
    # a table: (0.8 × 0.25)(1.5 × 0.2)(2 × 0.1) = 0.2 × 0.3 × 0.2 = 0.012
    (
        (
            "| layer | weight | derivative |\n|---|---|---|\n| 1 | 0.8 | 0.25 |\n| 2 | 1.5 | 0.2 |\n| 3 | "
            "2.0 | "
            "0.1 |\nWhat is the product of the factors |w·σ'| over the three layers?"
        ),
        {"factor": 0.012},
    ),
    # 0.1^6 = 1e-6 is not below 1e-6: 7 layers
    (
        "Each layer multiplies the gradient by 0.1. After how many layers is the gradient below 1e-6?",
        {"layers": 7.0},
    ),
    # |0.9 × 0.8| = 0.72; 1.0 × 0.72^4 = 0.26874
    (
        (
            "The gradient arriving at the output is 1.0. With 4 tanh layers, each with derivative 0.8 and "
            "weight "
            "0.9, what gradient reaches the first layer?"
        ),
        {"gradient": 0.72**4},
    ),
    # linear, weights 0.01: 0.01^3 = 1e-6
    (
        (
            "Weights initialized to 0.01 in a 3-layer network with linear activations: by what factor is the "
            "gradient scaled?"
        ),
        {"factor": 1e-06},
    ),
    # |2 × 0.25| = 0.5; 0.5^10 = 9.766e-4
    (
        "Vanishing gradient: weight 2 and σ' = 0.25 in each of 10 layers. What is the overall factor?",
        {"factor": 0.5**10},
    ),
]


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_wordings(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    assert set(solution.asked) == set(expected)
    for name, value in expected.items():
        assert close(solution.answer[name], value), (name, solution.answer[name], value)
    assert solution.steps and solution.conventions


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_detect_claims_every_wording(question: str, expected: dict[str, Any]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


def test_steps_and_conventions_of_the_sigmoid_bound() -> None:
    solution = solve(WORDINGS[0][0])
    assert any("at most 0.25" in c for c in solution.conventions)
    assert any("one factor" in c for c in solution.conventions)
    assert "0.25^{10}" in solution.steps[-1].latex


def test_threshold_step_shows_the_logarithm() -> None:
    solution = solve(WORDINGS[1][0])
    assert "\\ln 1e-06" in solution.steps[-1].latex
    assert "L = 10" in solution.steps[-1].text


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (SEED_001_Q5, "no numbers"),
        ("Why do gradients vanish in deep networks?", "no numbers"),
        ("A sigmoid network with weights 0.5: by what factor does the gradient shrink?", "number of layers"),
        ("Each layer multiplies the gradient by 0.5. After how many layers is it small?", "threshold"),
        ("A 10-layer network: by what factor does the gradient shrink?", "activation"),
    ],
)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as refusal:
        parse(question)
    assert message in refusal.value.message


def test_a_threshold_that_is_never_reached_is_invalid() -> None:
    with pytest.raises(InvalidQuestion, match="never falls below"):
        solve("Each layer multiplies the gradient by 1.5. After how many layers does it fall below 0.01?")


@pytest.mark.parametrize(
    ("question", "code", "part", "wrong"),
    [
        # 0.5 for the sigmoid's peak: 0.5^10 = 9.766e-4
        (WORDINGS[0][0], "sigmoid_derivative_half", "factor", 0.5**10),
        # nine factors: 0.25^9 = 3.815e-6
        (WORDINGS[0][0], "one_factor_fewer", "factor", 0.25**9),
        # rounded down: 9 layers (0.25^9 = 3.8e-6 is still above 1e-6)
        (WORDINGS[1][0], "threshold_count_rounded_down", "layers", 9.0),
        # equality counted as passing: 0.1^6 = 1e-6 → 6
        (WORDINGS[17][0], "threshold_reached_not_passed", "layers", 6.0),
        # weights left out: 0.25^5
        (WORDINGS[2][0], "weights_ignored", "factor", 0.25**5),
        # derivatives left out: 0.5^5
        (WORDINGS[2][0], "derivative_ignored", "factor", 0.5**5),
        # σ(2) instead of σ'(2): 0.8807971^3 = 0.68332545
        (WORDINGS[14][0], "activation_instead_of_derivative", "factor", 0.68332545),
    ],
)
def test_mistakes_reproduce_the_wrong_number(question: str, code: str, part: str, wrong: float) -> None:
    found = variants(question)
    assert code in found, sorted(found)
    assert math.isclose(float(found[code].answer[part]), wrong, rel_tol=1e-6)
    assert found[code].feedback.strip()


def test_grading_names_the_half_sigmoid_slope() -> None:
    problem = parse(WORDINGS[0][0])
    grade = grade_response(SOLVER.solve(problem), SOLVER.variants(problem), "0.000977")
    assert grade.misconceptions == ["sigmoid_derivative_half"]
    exploding = parse(WORDINGS[3][0])
    right = grade_response(SOLVER.solve(exploding), [], "behaviour: exploding, factor = 86.7")
    assert right.correct


@pytest.mark.parametrize("seed", range(200))
def test_practice_questions_read_back(seed: int) -> None:
    question = SOLVER.practice(random.Random(seed))
    assert question == SOLVER.practice(random.Random(seed))
    text = normalize(question)
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    assert solution.asked
    for name in solution.asked:
        value = solution.answer[name]
        assert isinstance(value, float) and math.isfinite(value)


def test_practice_uses_several_styles() -> None:
    starts = {SOLVER.practice(random.Random(seed)).split(" ")[0] for seed in range(40)}
    assert {"A", "Each", "In"} <= starts


OTHER_EXAMPLES = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]


@pytest.mark.parametrize(
    "question",
    [
        *OTHER_EXAMPLES,
        SEED_001_Q5,
        SEED_Q17,
        "Why do gradients vanish in deep networks?",
        "Which activation functions reduce vanishing gradients?",
        "Clip the gradient g = [3, 4] to a maximum norm of 1 to stop it exploding.",
        "Consider a linear layer y = Wx + b with W of shape 3 x 4. What is the shape of dL/dW?",
    ],
)
def test_detect_leaves_other_questions(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_answer_themselves() -> None:
    for example in SOLVER.examples():
        solution = solve(example.question)
        for name, value in example.expected.items():
            assert close(solution.answer[name], value) or math.isclose(
                float(solution.answer[name]),
                float(value),
                rel_tol=1e-8,  # type: ignore[arg-type]
            ), (example.question, name)
