"""Gradient clipping: exam wordings, refusals, named mistakes, conventions, detection, practice."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from solvers.clipping import ClippingSolver
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.registry import SOLVERS
from tests.solvers.kit import SolverKit
from tests.solvers.kit import close as kit_close

KIT = SolverKit(ClippingSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variants = KIT.variants


def close(got: Any, expected: Any, rel: float = 1e-5) -> bool:
    """PyTorch's 1e-6 in the denominator shifts clipped values by about 1e-6 relative."""
    return kit_close(got, expected, rel, 1e-9)


# (question, expected asked parts): the arithmetic is in the comment above each case.
WORDINGS: list[tuple[str, dict[str, Any]]] = [
    # ‖g‖ = 5 > 1: g × 1/(5 + 1e-6) ≈ [0.6, 0.8]
    (
        "The gradient g = [3, 4] is clipped to a maximum L2 norm of 1. What is the clipped gradient?",
        {"clipped": [0.6, 0.8]},
    ),
    # ‖g‖ = 10 > 5: g × 0.5 = [3, 4]
    (
        (
            "Gradient clipping by norm: if ||g|| > threshold, g ← threshold · g/||g||. Given g = [6, 8] and "
            "threshold 5, compute the clipped gradient."
        ),
        {"clipped": [3.0, 4.0]},
    ),
    # ‖g‖ = √(0.09 + 0.16) = 0.5 ≤ 1: unchanged
    (
        (
            "Let $\\mathbf{g} = (0.3, -0.4)^\\top$ and clipping threshold $c = 1$. Compute "
            "$\\|\\mathbf{g}\\|_2$ "
            "and the clipped gradient."
        ),
        {"norm": 0.5, "clipped": [0.3, -0.4]},
    ),
    # global: √(9 + 16 + 144) = 13; factor 6.5/13 = 0.5
    (
        (
            "```python\ntorch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=6.5)\n```\nThe model has "
            "two "
            "parameters with gradients g1 = [3, 4] and g2 = [12]. What total norm is returned and what are "
            "the "
            "clipped gradients?"
        ),
        {"global_norm": 13.0, "clipped_g1": [1.5, 2.0], "clipped_g2": [6.0]},
    ),
    # global: √4 = 2; factor 1/2 (TensorFlow divides by max(2, 1): the same)
    (
        (
            "Clip by global norm (tf.clip_by_global_norm with clip_norm = 1.0) the tensors t1 = [1, 1] and "
            "t2 = "
            "[1, 1]. Give the global norm and the clipped tensors."
        ),
        {"global_norm": 2.0, "clipped_t1": [0.5, 0.5], "clipped_t2": [0.5, 0.5]},
    ),
    # each on its own: ‖a‖ = 5 → [0.6, 0.8]; ‖b‖ = 0.5 ≤ 1 → unchanged
    (
        "Clip each gradient separately to norm 1: grad_a = [3, 4] and grad_b = [0.3, 0.4].",
        {"clipped_a": [0.6, 0.8], "clipped_b": [0.3, 0.4]},
    ),
    # clamp to [−0.5, 0.5]
    (
        (
            "torch.nn.utils.clip_grad_value_(params, clip_value=0.5) is applied to a gradient [0.2, -0.7, "
            "1.5, "
            "-0.1]. What is the gradient afterwards?"
        ),
        {"clipped": [0.2, -0.5, 0.5, -0.1]},
    ),
    # clamp to ±1
    ("Clamp each component of ∇L = [3.2, -0.4, -5.0] to ±1.", {"clipped": [1.0, -0.4, -1.0]}),
    # Frobenius norm √(9 + 16) = 5 > 2.5: × 0.5
    (
        "The gradient of W is [[3, 0], [0, 4]]; clip it to max norm 2.5.",
        {"clipped": [[1.5, 0.0], [0.0, 2.0]]},
    ),
    # a scalar: |12| > 5 → 5
    ("A scalar gradient of 12 is clipped with max_norm = 5. What is it after clipping?", {"clipped": 5.0}),
    # [6, −8] has norm 10 > 2: × 0.2 = [1.2, −1.6]; w = [1, 1] − 0.5 × [1.2, −1.6] = [0.4, 1.8]
    (
        (
            "Before the SGD step (learning rate 0.5) the gradient g = [6, -8] is clipped to norm 2. With "
            "weights w "
            "= [1, 1], what are the clipped gradient and the updated weights?"
        ),
        {"clipped": [1.2, -1.6], "w": [0.4, 1.8]},
    ),
    # only the norm given: factor 5/50 = 0.1
    (
        (
            "In an RNN the gradient norm is 50 and the clipping threshold is 5. By what factor is the "
            "gradient "
            "scaled?"
        ),
        {"scale": 0.1},
    ),
    # L∞ norm 3 > 1: × 1/3 = [1/6, −1, 2/3]
    (
        (
            "clip_grad_norm_(params, max_norm=1.0, norm_type=float('inf')) with a single gradient [0.5, "
            "-3.0, "
            "2.0]: what is the clipped gradient?"
        ),
        {"clipped": [1 / 6, -1.0, 2 / 3]},
    ),
    # ‖g‖ = √(0.01 + 0.04 + 0.04) = 0.3 ≤ 1: unchanged
    (
        "Clip g = [0.1, 0.2, 0.2] to a maximum norm of 1. What are its norm and the clipped gradient?",
        {"norm": 0.3, "clipped": [0.1, 0.2, 0.2]},
    ),
    # √(5 + 20 + 20) = √45 = 6.7082; factor 3/6.7082 = 0.44721
    (
        (
            "The gradients of three layers are [1, 2], [2, 4] and [4, 2]. With clip_grad_norm_(max_norm=3), "
            "find "
            "the global norm and the scaling factor."
        ),
        {"global_norm": 45**0.5, "scale": 3 / 45**0.5},
    ),
    # ‖g‖ = 2 > 0.5: × 0.25
    (
        (
            "My gradients explode. I call clip_grad_norm_ with max_norm=0.5 on a single parameter whose grad "
            "is "
            "[1.0, -1.0, 1.0, -1.0]. What does the grad become?"
        ),
        {"clipped": [0.25, -0.25, 0.25, -0.25]},
    ),
    # a table: √(25 + 144) = 13; factor 2.6/13 = 0.2
    (
        (
            "| tensor | gradient |\n|---|---|\n| u | [3, 4] |\n| v | [0, 12] |\nClip these gradients by "
            "their "
            "global L2 norm with max_norm = 2.6. What are the clipped gradients?"
        ),
        {"clipped_u": [0.6, 0.8], "clipped_v": [0.0, 2.4]},
    ),
    # Keras clipnorm: ‖g‖ = 2 > 1: × 0.5
    (
        (
            "Keras: optimizer = SGD(learning_rate=0.01, clipnorm=1.0). A gradient [2, 0, 0] arrives. What is "
            "it "
            "after clipping?"
        ),
        {"clipped": [1.0, 0.0, 0.0]},
    ),
    # element-wise at 1.0
    ("Clip the gradient [0.9, -1.2] element-wise with a clip value of 1.0.", {"clipped": [0.9, -1.0]}),
    # ‖g‖ = √(1 + 4 + 4 + 16) = 5 > 2.5: factor 0.5
    (
        (
            "Gradient clipping: g = [1, 2, 2, 4], threshold τ = 2.5. Compute ||g||, the clipping factor and "
            "the "
            "clipped gradient."
        ),
        {"norm": 5.0, "scale": 0.5, "clipped": [0.5, 1.0, 1.0, 2.0]},
    ),
    # no “clip”: ‖g‖ = √(144 + 25) = 13 > 6.5: × 0.5
    (
        (
            "To prevent exploding gradients, g = [-12, 5] is rescaled so that its norm is at most 6.5. What "
            "is the "
            "result?"
        ),
        {"clipped": [-6.0, 2.5]},
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


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        (WORDINGS[0][0], "min(1, c / (‖g‖ + 1e-6))"),
        (WORDINGS[3][0], "one norm over all tensors, one common factor"),
        (WORDINGS[14][0], "one norm over all tensors"),
        (WORDINGS[5][0], "Each tensor is clipped by its own norm"),
        (WORDINGS[6][0], "each entry is clamped to [−c, c]"),
        (WORDINGS[12][0], "L∞ norm"),
    ],
)
def test_conventions_are_stated(question: str, phrase: str) -> None:
    assert any(phrase in c for c in solve(question).conventions), solve(question).conventions


def test_steps_show_the_norm_and_the_factor() -> None:
    solution = solve(WORDINGS[19][0])
    latex = " ".join(s.latex for s in solution.steps)
    assert "\\sqrt{1^2 + 2^2 + 2^2 + 4^2} = 5" in latex
    assert "= 0.5" in latex


def test_unstated_multi_tensor_clipping_is_global() -> None:
    question = "Gradients a = [3, 4] and b = [0, 12] are clipped to norm 6.5. Give the clipped gradients."
    solution = solve(question)
    # global: √(25 + 144) = 13, factor 0.5
    assert close(solution.answer["clipped_a"], [1.5, 2.0])
    assert any("does not say per tensor" in c for c in solution.conventions)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("What is gradient clipping and why is it used?", "no numbers"),
        ("Clip the gradient g = [3, 4].", "threshold"),
        ("Clip g = [3, 4] by value to the range [-1, 2].", "symmetric"),
        ("Gradient clipping with max_norm = 1.", "no gradient"),
    ],
)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as refusal:
        parse(question)
    assert message in refusal.value.message


def test_invalid_threshold() -> None:
    with pytest.raises(InvalidQuestion, match="must be positive"):
        parse("Clip g = [3, 4] to a maximum norm of 0.")


@pytest.mark.parametrize(
    ("question", "code", "part", "wrong"),
    [
        # each tensor on its own: ‖g1‖ = 5 ≤ 6.5 stays; ‖g2‖ = 12 → 6.5
        (WORDINGS[3][0], "per_tensor_instead_of_global", "clipped_g2", [6.5]),
        # one global factor 1/√25.25 = 0.199007: b becomes [0.059702, 0.079603]
        (WORDINGS[5][0], "global_instead_of_per_tensor", "clipped_b", [0.0597022, 0.0796030]),
        # clamped to ±1 instead of rescaled
        (WORDINGS[0][0], "value_instead_of_norm", "clipped", [1.0, 1.0]),
        # L1 norm 7: [3/7, 4/7]
        (WORDINGS[0][0], "l1_norm_used", "clipped", [3 / 7, 4 / 7]),
        # squared norm 25: [0.12, 0.16]
        (WORDINGS[0][0], "squared_norm_used", "clipped", [0.12, 0.16]),
        # ‖g‖/c = 5: [15, 20]
        (WORDINGS[0][0], "scale_inverted", "clipped", [15.0, 20.0]),
        # scaled up to norm 1 though within: [1/3, 2/3, 2/3]
        (WORDINGS[13][0], "always_rescaled", "clipped", [1 / 3, 2 / 3, 2 / 3]),
        # rescaled by the norm √2.79 = 1.670329: × 0.299342
        (WORDINGS[6][0], "norm_instead_of_value", "clipped", [0.0598684, -0.2095393, 0.4490128, -0.0299342]),
    ],
)
def test_mistakes_reproduce_the_wrong_number(question: str, code: str, part: str, wrong: Any) -> None:
    found = variants(question)
    assert code in found, sorted(found)
    assert close(found[code].answer[part], wrong), found[code].answer
    assert found[code].feedback.strip()


def test_grading_names_per_tensor_clipping() -> None:
    problem = parse(WORDINGS[3][0])
    solution = SOLVER.solve(problem)
    grade = grade_response(
        solution, SOLVER.variants(problem), "global_norm = 13, clipped_g1 = [1.5, 2], clipped_g2 = [6.5]"
    )
    assert "per_tensor_instead_of_global" in grade.misconceptions


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
        flat = value if isinstance(value, list) else [value]
        assert all(isinstance(x, float) and math.isfinite(x) for x in flat)


def test_practice_uses_several_styles() -> None:
    starts = {SOLVER.practice(random.Random(seed)).split(" ")[0] for seed in range(40)}
    assert {"A", "```python\ntorch.nn.utils.clip_grad_norm_(model.parameters(),", "Clip"} <= starts


OTHER_EXAMPLES = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]


@pytest.mark.parametrize(
    "question",
    [
        *OTHER_EXAMPLES,
        "What is gradient clipping?",
        (
            "Explain vanishing and exploding gradients, give reasons why they occur and how they can be "
            "prevented."
        ),
        "A 10-layer sigmoid network: by what factor does the gradient shrink at most?",
        "Adam with lr 0.001: w = 1, g = 0.5. Compute w_1.",
        "Compute the L2 norm of w = [3, 4].",
    ],
)
def test_detect_leaves_other_questions(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_answer_themselves() -> None:
    for example in SOLVER.examples():
        solution = solve(example.question)
        for name, value in example.expected.items():
            assert close(solution.answer[name], value), (example.question, name)
