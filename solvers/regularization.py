"""Norm penalties: L1, L2 and elastic net values, total loss, penalty gradients, a regularised gradient
step (weight decay), the L1 proximal soft-threshold step, and vector norms.

The L2 convention (λΣw² or (λ/2)Σw²) is read from the question or stated, and the other accepted.
Reading: `regularization_read`, `regularization_asked`; arithmetic: `regularization_problem`; steps:
`regularization_steps`; mistakes: `regularization_variants`.
"""

from __future__ import annotations

import random
import re

from solvers.base import Example, Solution, Solver, Variant
from solvers.errors import ExamgraderError
from solvers.extract import find_arrays
from solvers.numbers import find_numbers
from solvers.optimizer_method import mentioned
from solvers.optimizer_problem import Method
from solvers.optimizer_text import prepare
from solvers.regularization_derived import derivations
from solvers.regularization_problem import RegularizationProblem, evaluate, part_spec
from solvers.regularization_read import has_penalty_formula, is_regularization, read_problem, weights_named
from solvers.regularization_steps import conventions, steps
from solvers.regularization_variants import variants

__all__ = ["RegularizationProblem", "RegularizationSolver"]

_OTHER_TOPICS = re.compile(
    r"\bclip|\bdropout|confusion\s+matrix|\bprecision\b|\brecall\b|vanishing|exploding|jacobian|\bshape\s+of\b",
    re.IGNORECASE,
)
_PENALTY_WORDS = re.compile(
    r"regulari[sz]|penalt|weight[\s_-]+decay|lasso|ridge|elastic[\s-]*net|soft[\s-]?thresh|proximal|\bl[12]\b",
    re.IGNORECASE,
)


class RegularizationSolver(Solver[RegularizationProblem]):
    kind = "regularization"
    title = "Norm penalties and weight decay"
    topic = "regularization"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if _OTHER_TOPICS.search(prepared) or not is_regularization(prepared):
            return 0.05
        if not find_numbers(prepared):
            return 0.1
        methods = set(mentioned(prepared)) - {Method.GD}
        if methods:
            return 0.3  # momentum, Adam and the like with weight decay: an optimizer question
        try:
            has_weights = weights_named(prepared, find_arrays(prepared)) is not None
        except ExamgraderError:
            return 0.3
        if _PENALTY_WORDS.search(prepared) or has_penalty_formula(prepared):
            return 0.9 if has_weights else 0.6
        return 0.75 if has_weights else 0.2  # norms of a vector

    def parse(self, text: str) -> RegularizationProblem:
        return read_problem(text)

    def solve(self, problem: RegularizationProblem) -> Solution:
        everything = evaluate(problem, problem.rules)
        extras = {"penalty", "l1_penalty", "l2_penalty", "decay_factor"}
        answer = {k: v for k, v in everything.items() if k in problem.asked or k in extras}
        given: dict[str, object] = {
            "penalty": problem.penalty.value,
            "weights": list(problem.weights),
            "lambda": problem.lam,
        }
        if problem.bias:
            given["bias"] = list(problem.bias)
        for key, value in (
            ("lambda1", problem.lam1),
            ("lambda2", problem.lam2),
            ("alpha", problem.alpha),
            ("l1_ratio", problem.l1_ratio),
            ("data_loss", problem.data_loss),
            ("learning_rate", problem.lr),
            ("threshold", problem.threshold),
        ):
            if value is not None:
                given[key] = value
        if problem.data_gradient is not None:
            given["data_gradient"] = list(problem.data_gradient)
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=answer,
            parts={name: part_spec(name, value) for name, value in answer.items()},
            steps=steps(problem, everything),
            conventions=conventions(problem),
            given=given,
            derived=derivations(problem),
        )

    def variants(self, problem: RegularizationProblem) -> list[Variant]:
        return variants(problem, self.solve(problem))

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


EXAMPLES = (
    # λΣw² = 0.1 × (0.25 + 1 + 4) = 0.525
    Example("Compute the L2 penalty λΣw² for w = [0.5, -1.0, 2.0] with λ = 0.1.", {"penalty": 0.525}),
    # λΣ|w| = 0.01 × (0.5 + 1 + 2) = 0.035; total = 1.2 + 0.035 = 1.235
    Example(
        "A model with weights w = [0.5, -1.0, 2.0] has data loss 1.2. With L1 regularization λ = 0.01, what "
        "is the total loss?",
        {"total_loss": 1.235},
    ),
    # PyTorch weight decay: w − η(g + λw) = [1 − 0.1(0.2 + 0.01), −2 − 0.1(−0.4 − 0.02)] = [0.979, −1.958]
    Example(
        "SGD with learning rate 0.1 and weight decay λ = 0.01 updates w = [1.0, -2.0] whose loss gradient is "
        "[0.2, -0.4]. What are the new weights?",
        {"w": [0.979, -1.958]},
    ),
    # λ·sign(w) = 0.1 × [1, −1, 0] = [0.1, −0.1, 0]
    Example(
        "What is the gradient of the L1 penalty λ||w||_1 at w = [0.3, -0.2, 0.0] with λ = 0.1?",
        {"penalty_gradient": [0.1, -0.1, 0.0]},
    ),
    # z = w − 0.5·g = [1 − 0.1, −0.5 + 0.2, 0.05 − 0] = [0.9, −0.3, 0.05]; threshold ηλ = 0.1:
    # [0.8, −0.2, 0]
    Example(
        "One proximal gradient (ISTA) step for L1 regularization with λ = 0.2 and learning rate 0.5: "
        "w = [1.0, -0.5, 0.05], gradient of the data loss [0.2, -0.4, 0.0]. Give the new weights.",
        {"w": [0.8, -0.2, 0.0]},
    ),
    # α·ρ·Σ|w| + ½α(1 − ρ)Σw² = 0.1·0.5·3 + 0.5·0.1·0.5·5 = 0.15 + 0.125 = 0.275
    Example(
        "Compute the elastic net penalty (scikit-learn form) for w = [1, -2] with alpha = 0.1 and "
        "l1_ratio = 0.5.",
        {"penalty": 0.275},
    ),
    # ‖w‖₁ = 3 + 4 + 0 = 7, ‖w‖₂ = 5, ‖w‖∞ = 4
    Example(
        "For w = [3, -4, 0], compute the L1 norm, the L2 norm and the L∞ norm.",
        {"l1_norm": 7.0, "l2_norm": 5.0, "linf_norm": 4.0},
    ),
)


def _random_weights(rng: random.Random, size: int) -> list[float]:
    values = [round(rng.uniform(-2, 2), 1) for _ in range(size)]
    return [v if v != 0 else 0.5 for v in values]


def practice_question(rng: random.Random) -> str:
    """A question in one of five styles: a penalty and total loss, a weight-decay step, a proximal step,
    an L1 subgradient in LaTeX, or vector norms."""
    size = rng.randrange(2, 5)
    w = _random_weights(rng, size)
    lam = (0.01, 0.05, 0.1, 0.2)[rng.randrange(4)]
    style = rng.randrange(5)
    if style == 3:
        vector = ", ".join(str(x) for x in w)
        return (
            rf"Let $w = ({vector})$ and $\lambda = {lam}$. Compute the penalty $\Omega(w) = \lambda\|w\|_1$ "
            r"and its subgradient."
        )
    if style == 4:
        return f"For the weight vector w = {w}, compute its L1 norm, its L2 norm and its L∞ norm."
    if style == 0:
        kind = ("L1", "L2")[rng.randrange(2)]
        loss = round(rng.uniform(0.2, 2.0), 2)
        formula = "λΣ|w_i|" if kind == "L1" else "λΣw_i^2"
        return (
            f"A network's weights are w = {w} and its data loss is {loss}. With {kind} regularization "
            f"({formula}, λ = {lam}), compute the penalty and the total loss."
        )
    g = [round(rng.uniform(-1, 1), 2) for _ in range(size)]
    lr = (0.05, 0.1, 0.5)[rng.randrange(3)]
    if style == 1:
        return (
            f"Weights: w = {w}\nGradient of the data loss: {g}\nLearning rate: η = {lr}\n"
            f"L2 regularization: $\\frac{{\\lambda}}{{2}}\\|w\\|^2$ with $\\lambda = {lam}$\n"
            "Compute the updated weights after one gradient step."
        )
    return (
        f"Perform one proximal gradient step (soft-thresholding) for L1 regularization with λ = {lam} and "
        f"learning rate {lr}, starting from w = {w} with data-loss gradient {g}. What are the new weights?"
    )
