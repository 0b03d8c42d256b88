"""Norm penalties and weight decay: exam wordings, refusals, named mistakes, conventions, detection."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.registry import SOLVERS
from solvers.regularization import RegularizationSolver
from solvers.route import solve_question
from tests.solvers.kit import SolverKit
from tests.solvers.kit import close as kit_close

KIT = SolverKit(RegularizationSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variants = KIT.variants

# The seed notes (seed 000, questions 1 and 2; seed 001, question 6) ask about penalties in words only.
SEED_Q1 = (
    "Explain how L1 and L2 norm penalties affect weight learning differently. Provide examples of scenarios "
    "where each is preferable."
)
SEED_Q2 = (
    "Describe how norm penalties can be seen as constrained optimization problems. Use the relationship "
    "between Lagrangian multipliers and regularization terms."
)
SEED_001_Q6 = "What is regularization ? Explain L1 and L2 regularization"


def close(got: Any, expected: Any, rel: float = 1e-9) -> bool:
    return kit_close(got, expected, rel)


# (question, expected asked parts): the arithmetic is in the comment above each case.
WORDINGS: list[tuple[str, dict[str, Any]]] = [
    # λΣw² written: Σ = 0.04 + 0.25 + 1 = 1.29; 0.7 + 0.01 × 1.29 = 0.7129
    (
        (
            "L2 regularization adds the sum of squared weights to the loss function: Loss = Original Loss + "
            "λ∑Wi^2. For W = [0.2, -0.5, 1.0], original loss 0.7 and λ = 0.01, compute the regularized loss."
        ),
        {"total_loss": 0.7129},
    ),
    # λΣ|w|: Σ|w| = 1.5 + 2 + 0 + 0.5 = 4; 2.0 + 0.1 × 4 = 2.4
    (
        (
            "Loss = Original Loss + λ∑|Wi|. With λ = 0.1 and weights W = [1.5, -2.0, 0.0, 0.5] and original "
            "loss 2.0, what is the new loss?"
        ),
        {"total_loss": 2.4},
    ),
    # Goodfellow's (α/2)‖w‖²: ‖w‖² = 1 + 4 + 4 = 9; 0.1 × 9 = 0.9
    ("Compute the L2 penalty (α/2)||w||_2^2 with α = 0.2 for w = (1, 2, 2).", {"penalty": 0.9}),
    # (λ/2)‖w‖² in LaTeX: ‖w‖² = 5, Ω = 0.25 × 5 = 1.25; ∇Ω = λw = [1, −0.5]
    (
        (
            "Let $\\Omega(\\mathbf{w}) = \\frac{\\lambda}{2}\\|\\mathbf{w}\\|_2^2$ with $\\lambda = 0.5$ and "
            "$\\mathbf{w} = [2, -1]^T$. Find $\\Omega(\\mathbf{w})$ and $\\nabla_{\\mathbf{w}}\\Omega$."
        ),
        {"penalty": 1.25, "penalty_gradient": [1.0, -0.5]},
    ),
    # a table, PyTorch weight decay: 0.8 − 0.1 × (0.3 + 0.05 × 0.8) = 0.766
    (
        (
            "| parameter | value |\n|---|---|\n| w | 0.8 |\n| ∂L/∂w | 0.3 |\n| learning rate | 0.1 |\n| "
            "weight "
            "decay | 0.05 |\nCompute the new weight after one SGD step with weight decay."
        ),
        {"w": 0.766},
    ),
    # the shrink factor alone: 1 − ηλ = 1 − 0.001 = 0.999
    (
        (
            "By what factor does weight decay shrink the weights each step if η = 0.1 and λ = 0.01 (ignoring "
            "the data loss)?"
        ),
        {"decay_factor": 0.999},
    ),
    # subgradient λ·sign(w), 0 at 0: 0.5 × [0, 1, −1]
    (
        "Compute the subgradient of λ||w||_1 for w = [0, 2, -3] with λ = 0.5 (use 0 at zero).",
        {"penalty_gradient": [0.0, 0.5, -0.5]},
    ),
    # λ1Σ|w| + λ2Σw²: 0.1 × 4 + 0.2 × 6 = 1.6; gradient 0.1·sign(w) + 0.4w = [0.5, −0.5, 0.9]
    (
        (
            "Elastic net penalty λ1||w||_1 + λ2||w||_2^2 with λ1 = 0.1, λ2 = 0.2 and w = [1, -1, 2]: compute "
            "the penalty and its gradient."
        ),
        {"penalty": 1.6, "penalty_gradient": [0.5, -0.5, 0.9]},
    ),
    # scikit-learn: 0.5 × 0.2 × 3 + ½ × 0.5 × 0.8 × 5 = 0.3 + 1.0 = 1.3
    (
        "sklearn's ElasticNet(alpha=0.5, l1_ratio=0.2) with coef_ = [2, -1]: what is the penalty term?",
        {"penalty": 1.3},
    ),
    # soft threshold 0.5: [0.7, 0, 0, −1.5]
    (
        "Apply the soft-thresholding operator with threshold τ = 0.5 to z = [1.2, -0.3, 0.5, -2.0].",
        {"w": [0.7, 0.0, 0.0, -1.5]},
    ),
    # ISTA: z = w − 1 × ∇L = [0.2, −1.0]; shrink by ηλ = 0.25: [0, −0.75]
    (
        (
            "Lasso via proximal gradient: w = [0.3, -1.2], ∇L(w) = [0.1, -0.2], step size 1, λ = 0.25. What "
            "is "
            "the next iterate?"
        ),
        {"w": [0.0, -0.75]},
    ),
    # bias excluded: 0.1 × (4 + 9) = 1.3; 1.5 + 1.3 = 2.8
    (
        (
            "A linear model has weights w = [2, -3] and bias b = 4. The unregularized loss is 1.5. Using L2 "
            "regularization with λ = 0.1 applied to the weights only (the bias is not regularized), what is "
            "the "
            "regularized loss?"
        ),
        {"total_loss": 2.8},
    ),
    # λ‖w‖² written, bias not mentioned as penalised: 0.5 × 2 = 1
    ("w = [1, 1], b = 2, λ = 0.5, L2 penalty λ||w||^2. What is the penalty?", {"penalty": 1.0}),
    # ‖x‖₁ = 5, ‖x‖₂ = √9 = 3, ‖x‖∞ = 2
    (
        "Let $x = (1, -2, 2)$. Compute $\\|x\\|_1$, $\\|x\\|_2$ and $\\|x\\|_\\infty$.",
        {"l1_norm": 5.0, "l2_norm": 3.0, "linf_norm": 2.0},
    ),
    # 4 × 0.25 = 1
    ("What is the squared L2 norm of v = [0.5, 0.5, 0.5, 0.5]?", {"l2_norm_squared": 1.0}),
    # default λΣw²: 2λw = 0.02 × [10, −5] = [0.2, −0.1]
    (
        "For L2 regularization with λ = 0.01, what is the gradient of the penalty for w = [10, -5]?",
        {"penalty_gradient": [0.2, -0.1]},
    ),
    # (λ/2)‖w‖² written: ∇ = [0.5, −0.5] + 0.1 × [1, 2] = [0.6, −0.3]; w = [1, 2] − 0.2 × that = [0.88, 2.06]
    (
        (
            "The loss is L(w) + (λ/2)||w||^2 with λ = 0.1. At w = [1.0, 2.0] the gradient of L is [0.5, "
            "-0.5]. "
            "With learning rate 0.2, compute the gradient of the regularized loss and the weights after one "
            "step."
        ),
        {"gradient": [0.6, -0.3], "w": [0.88, 2.06]},
    ),
    # L1 subgradient step: [0.4 − 0.5 × (0.2 + 0.1), −0.2 − 0.5 × (0.2 − 0.1)] = [0.25, −0.25]
    (
        (
            "With L1 regularization λ = 0.1 and learning rate 0.5, update w = [0.4, -0.2] given data "
            "gradient "
            "[0.2, 0.2]."
        ),
        {"w": [0.25, -0.25]},
    ),
    # Σ|w| = 3 → 0.6; Σw² = 0.25 + 2.25 + 1 = 3.5 → 0.7
    (
        "Compute both the L1 and the L2 penalty of w = [0.5, -1.5, 1.0] for λ = 0.2.",
        {"l1_penalty": 0.6, "l2_penalty": 0.7},
    ),
    # Ng's λ/(2m): 25 / (2 × 50) = 0.25; 0.6 + 0.25 = 0.85
    (
        (
            "In logistic regression the cost is J = (1/m)Σ loss + (λ/2m)Σ w_j^2. With m = 50 examples, λ = "
            "1, w "
            "= [3, 4] and unregularized cost 0.6, compute J."
        ),
        {"total_loss": 0.85},
    ),
    # weight decay alone: 2 × (1 − 0.01 × 5e-4) = 1.99999; factor 0.999995
    (
        (
            "Plain SGD with weight decay: η = 0.01, λ = 5e-4, w = 2.0, loss gradient 0 (apply the decay "
            "only). "
            "What is w after one step, and by what factor is it multiplied?"
        ),
        {"w": 1.99999, "decay_factor": 0.999995},
    ),
    # Keras l2(0.01) adds 0.01 × Σw² = 0.01 × 14 = 0.14
    (
        "kernel_regularizer=l2(0.01) on weights [1, 2, 3]: how much does the regularization add to the loss?",
        {"penalty": 0.14},
    ),
    # Frobenius: 0.05 × (1 + 1 + 4 + 0) = 0.3
    ("W = [[1, -1], [2, 0]], λ = 0.05. Compute the L2 (Frobenius) penalty λ||W||_F^2.", {"penalty": 0.3}),
    # Q&A style, no brackets: 2 × (0.25 + 0.0625) = 0.625
    (
        (
            "I'm computing ridge regression by hand. My coefficients are 0.5 and -0.25, alpha is 2. What's "
            "the "
            "ridge penalty term alpha * sum(w^2)?"
        ),
        {"penalty": 0.625},
    ),
]


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_wordings(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    assert set(solution.asked) == set(expected)
    for name, value in expected.items():
        assert close(solution.answer[name], value), (name, solution.answer[name], value)
    assert set(solution.asked) <= set(solution.answer) <= set(solution.parts)
    assert solution.steps and solution.conventions


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_detect_claims_every_wording(question: str, expected: dict[str, Any]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


def test_parts_come_in_the_question_order() -> None:
    assert solve(WORDINGS[16][0]).asked == ("gradient", "w")
    assert solve(WORDINGS[13][0]).asked == ("l1_norm", "l2_norm", "linf_norm")


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        (WORDINGS[0][0], "λΣw² as the question writes it"),
        (WORDINGS[15][0], "the other convention, (λ/2)Σw² (gradient λw), is also accepted"),
        (WORDINGS[4][0], "weight decay λ in PyTorch adds λw to the gradient"),
        (WORDINGS[6][0], "taken as 0 at w = 0"),
        (WORDINGS[8][0], "as in scikit-learn"),
        (WORDINGS[10][0], "soft-thresholding at ηλ"),
        (WORDINGS[11][0], "The bias is not penalised"),
        (WORDINGS[19][0], "(λ/2m)‖w‖² with m = 50"),
        (WORDINGS[16][0], "coupled L2 and decoupled weight decay give the same step"),
    ],
)
def test_conventions_are_stated(question: str, phrase: str) -> None:
    assert any(phrase in c for c in solve(question).conventions), solve(question).conventions


def test_steps_show_the_penalty_with_numbers() -> None:
    penalty = next(s for s in solve(WORDINGS[11][0]).steps if s.title == "Penalty")
    assert "0.1 \\cdot 13 = 1.3" in penalty.latex
    assert "J = L + \\Omega = 1.5 + 1.3 = 2.8" in penalty.latex
    assert "bias is not penalised" in penalty.text


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (SEED_Q1, "no numbers"),
        (SEED_Q2, "no numbers"),
        (SEED_001_Q6, "no numbers"),
        ("Compute the L2 penalty for w = [1, 2].", "strength λ is not given"),
        (
            "With L2 regularization λ = 0.1 and learning rate 0.1, update w = [1, 2].",
            "gradient of the data loss",
        ),
        ("Compute the elastic net penalty for w = [1, 2] with λ1 = 0.1.", "λ1 and λ2"),
        ("With L2 regularization λ = 0.1, what is the penalty?", "weights"),
        (
            "The cost has an extra term (λ/2m)Σw^2 with λ = 1 and w = [1, 2]. Compute the penalty.",
            "m (the number",
        ),
    ],
)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as refusal:
        parse(question)
    assert message in refusal.value.message


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Compute the L1 penalty for w = [1, 2] with λ = -0.1.", "must not be negative"),
        (
            "Elastic net with alpha = 1 and l1_ratio = 1.5 on w = [1, 2]: compute the penalty.",
            "not in [0, 1]",
        ),
        (
            "L2 regularization λ = 0.1, learning rate 0.1, w = [1, 2], data gradient [1, 2, 3]. Update w.",
            "3 entries",
        ),
    ],
)
def test_invalid_data_is_explained(question: str, message: str) -> None:
    with pytest.raises(InvalidQuestion) as invalid:
        parse(question)
    assert message in invalid.value.message


ISTA = SOLVER.examples()[4].question


@pytest.mark.parametrize(
    ("question", "code", "part", "wrong", "accepted"),
    [
        # bias penalised although the question excludes it: 0.1 × (4 + 9 + 16) = 2.9; 1.5 + 2.9 = 4.4
        (WORDINGS[11][0], "bias_penalized", "total_loss", 4.4, False),
        # bias not mentioned: penalising it is accepted: 0.5 × (1 + 1 + 4) = 3
        (WORDINGS[12][0], "bias_penalized", "penalty", 3.0, True),
        # λ/2 against the written λΣw²: 0.01 × 1.29 / 2 = 0.00645
        (WORDINGS[0][0], "l2_half_lambda", "penalty", 0.00645, False),
        # the other convention, unwritten: λw = [0.1, −0.05]
        (WORDINGS[15][0], "l2_half_lambda", "penalty_gradient", [0.1, -0.05], True),
        # weight decay read as λΣw²: penalty 0.05 × 0.64 = 0.032 (its step, 0.762, is within 1 % of 0.766)
        (WORDINGS[4][0], "l2_full_lambda", "penalty", 0.032, True),
        # the norm, not its square: 0.5 × √2 = 0.70710678
        (WORDINGS[12][0], "l2_norm_not_squared", "penalty", 0.5 * math.sqrt(2), False),
        # λ for every weight: 0.5 × [1, 1, 1]
        (WORDINGS[6][0], "l1_sign_forgotten", "penalty_gradient", [0.5, 0.5, 0.5], False),
        # λ at w = 0: [0.5, 0.5, −0.5]
        (WORDINGS[6][0], "l1_subgradient_at_zero", "penalty_gradient", [0.5, 0.5, -0.5], False),
        # Σw instead of Σ|w|: 0.5 − 1.5 + 1 = 0 → 0
        (WORDINGS[18][0], "l1_abs_forgotten", "l1_penalty", 0.0, False),
        # the penalty left out: total = data loss = 2.0
        (WORDINGS[1][0], "penalty_left_out", "total_loss", 2.0, False),
        # hard threshold at 0.5: [1.2, 0, 0, −2]
        (WORDINGS[9][0], "hard_threshold", "w", [1.2, 0.0, 0.0, -2.0], False),
        # threshold λ = 0.2 instead of ηλ = 0.1: z = [0.9, −0.3, 0.05] → [0.7, −0.1, 0]
        (ISTA, "threshold_not_scaled_by_lr", "w", [0.7, -0.1, 0.0], False),
        # subgradient step: [1 − 0.5 × 0.4, −0.5 − 0.5 × (−0.6), 0.05 − 0.5 × 0.2] = [0.8, −0.2, −0.05]
        (ISTA, "subgradient_instead_of_proximal", "w", [0.8, -0.2, -0.05], False),
        # l1_ratio swapped: 0.5 × 0.8 × 3 + ½ × 0.5 × 0.2 × 5 = 1.45
        (WORDINGS[8][0], "l1_ratio_swapped", "penalty", 1.45, False),
        # scikit-learn's ½ missing: 0.3 + 0.5 × 0.8 × 5 = 2.3
        (WORDINGS[8][0], "elastic_half_missing", "penalty", 2.3, False),
        # decay not times η: [1 − 0.1 − 0.1, 2 + 0.1 − 0.2] = [0.8, 1.9]
        (WORDINGS[16][0], "decay_not_scaled_by_lr", "w", [0.8, 1.9], False),
        # uphill: [0.4 + 0.15, −0.2 + 0.05] = [0.55, −0.15]
        (WORDINGS[17][0], "wrong_sign", "w", [0.55, -0.15], False),
        # Σx² for the L2 norm: 9
        (WORDINGS[13][0], "l2_norm_not_rooted", "l2_norm", 9.0, False),
    ],
)
def test_mistakes_reproduce_the_wrong_number(
    question: str, code: str, part: str, wrong: Any, accepted: bool
) -> None:
    found = variants(question)
    assert code in found, sorted(found)
    assert close(found[code].answer[part], wrong, 1e-9), found[code].answer
    assert found[code].accepted is accepted
    assert found[code].feedback.strip()


def test_grading_accepts_the_other_l2_convention_and_names_a_mistake() -> None:
    problem = parse(WORDINGS[15][0])
    solution = SOLVER.solve(problem)
    found = SOLVER.variants(problem)
    assert grade_response(solution, found, "[0.1, -0.05]").correct  # (λ/2)‖w‖² gives λw
    wrong = grade_response(solution, found, "[0.01, -0.005]")
    assert not wrong.correct
    sign = grade_response(
        SOLVER.solve(parse(WORDINGS[6][0])), SOLVER.variants(parse(WORDINGS[6][0])), "[0.5, 0.5, 0.5]"
    )
    assert sign.misconceptions == ["l1_sign_forgotten"]


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
    assert {"A", "Weights:", "Perform"} <= starts


OTHER_EXAMPLES = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]


@pytest.mark.parametrize(
    "question",
    [
        *OTHER_EXAMPLES,
        SEED_Q1,
        SEED_Q2,
        SEED_001_Q6,
        "Why does weight decay help?",
        "What is the L2 norm?",
        "Adam with weight decay 0.01 and lr 0.001: w = 1, g = 0.5. Compute w_1.",
        "SGD with momentum 0.9, weight decay 1e-4 and lr 0.1 updates w = 2 with gradient 0.5. New w?",
        "Clip the gradient g = [3, 4] to a maximum L2 norm of 1.",
        "Apply dropout with p = 0.5 to a = [1, 2, 3, 4] with mask [1, 0, 1, 0].",
    ],
)
def test_detect_leaves_other_questions(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_answer_themselves() -> None:
    for example in SOLVER.examples():
        solution = solve(example.question)
        for name, value in example.expected.items():
            assert close(solution.answer[name], value, 1e-9), (example.question, name)


def test_unicode_subscripts_name_the_elastic_net_strengths() -> None:
    # 0.05 × (1 + 2 + 0.5) + 0.02 × (1 + 4 + 0.25) = 0.175 + 0.105
    solution = solve(
        "Elastic net penalty: λ₁‖w‖₁ + λ₂‖w‖₂² with λ₁ = 0.05 and λ₂ = 0.02. Compute the penalty for w = [1, −2, 0.5]."
    )
    assert close(solution.answer["penalty"], 0.28)


@pytest.mark.parametrize(
    ("penalty", "lam", "expected"),
    [
        # w − η(g + λw) = 2 − 0.1·(0.5 + 0.1·2) = 1.93
        ("(λ/2) w²", 0.1, 1.93),
        # w − η(g + λ·sign(w)) = 2 − 0.1·(0.5 + 0.2) = 1.93
        ("λ|w|", 0.2, 1.93),
    ],
)
def test_a_penalty_on_a_single_weight_is_read(penalty: str, lam: float, expected: float) -> None:
    question = (
        f"The objective is J(w) = J_data(w) + {penalty} with λ = {lam}. At w = 2 the data-loss gradient is 0.5. "
        "What is w after one gradient descent step with learning rate 0.1?"
    )
    solved = solve_question(question)
    assert solved.kind == "regularization"
    assert kit_close(solved.solution.answer["w"], expected)


@pytest.mark.parametrize("owner", ["of a network", "of the classifier", "on this batch"])
def test_the_data_loss_is_read_with_its_owner_between_name_and_value(owner: str) -> None:
    # 1.2 + (0.1/2)·(1² + 3²) = 1.2 + 0.05·10 = 1.7
    question = (
        f"The data loss {owner} is 1.2 and the weights are w = [1.0, -3.0]. An L2 penalty (λ/2)‖w‖² "
        "with λ = 0.1 is added. What is the total loss?"
    )
    assert close(solve(question).answer["total_loss"], 1.7)
