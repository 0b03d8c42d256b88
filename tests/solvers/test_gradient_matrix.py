"""Gradients of matrix expressions: many wordings checked against finite differences, grading by
value, named mistakes, refusals, limits, the worker process and the no-eval rule."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from solvers.base import Solution
from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood, ResponseFormatError
from solvers.gradient_matrix import GradientMatrixSolver
from solvers.gradient_matrix_worker import WORKER, DerivationTimeout, SympyWorker, derive_gradient
from solvers.grading import GradeStatus, grade_response
from solvers.matrix_expr import MAX_DEPTH, parse_expression
from solvers.matrix_expr_numeric import draw_values, evaluate
from solvers.normalize import normalize
from solvers.route import Solved, solve_question

SOLVER = GradientMatrixSolver()
Arrays = dict[str, np.ndarray]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


# Independent references: each function written directly in numpy.
QUADRATIC: Callable[[Arrays], float] = lambda v: float((v["x"].T @ v["A"] @ v["x"])[0, 0])  # noqa: E731
LEAST_SQUARES: Callable[[Arrays], float] = lambda v: float(np.sum((v["X"] @ v["w"] - v["y"]) ** 2))  # noqa: E731

WORDINGS: list[tuple[str, str, Callable[[Arrays], float]]] = [
    # (question, variable, f in numpy)
    ("Let A ∈ R^{n×n} and x ∈ R^n. Compute the gradient of f(x) = xᵀAx with respect to x.", "x", QUADRATIC),
    ("∇ₓ(xᵀAx) = ?", "x", QUADRATIC),
    (
        r"Compute $\frac{\partial}{\partial \mathbf{x}} \left( \mathbf{x}^{\top} A \mathbf{x} \right)$ "
        r"where $A \in \mathbb{R}^{n \times n}$.",
        "x",
        QUADRATIC,
    ),
    ("f(x) = x'Ax. What is the gradient with respect to x?", "x", QUADRATIC),
    (
        r"A is a symmetric matrix. Derive $\nabla_{\mathbf{x}} (\mathbf{x}^\top A \mathbf{x})$.",
        "x",
        QUADRATIC,
    ),
    (
        "Find the gradient of f(X) = aᵀXb with respect to X, where X ∈ R^{m×n}.",
        "X",
        lambda v: float((v["a"].T @ v["X"] @ v["b"])[0, 0]),
    ),
    (
        r"Compute \frac{\partial f}{\partial X} for f(X) = \mathbf{a}^\top X \mathbf{b}.",
        "X",
        lambda v: float((v["a"].T @ v["X"] @ v["b"])[0, 0]),
    ),
    (r"Compute $\nabla_w \|Xw - y\|_2^2$ for $X \in \mathbb{R}^{m \times n}$.", "w", LEAST_SQUARES),
    ("Derive the gradient of L(w) = ||Xw - y||^2 with respect to w.", "w", LEAST_SQUARES),
    ("Differentiate the least-squares loss ‖Xw − y‖² with respect to w.", "w", LEAST_SQUARES),
    (
        r"Let $L(\mathbf{w}) = \frac{1}{2}\|X\mathbf{w} - \mathbf{y}\|^2$. Find $\nabla_{\mathbf{w}} L$.",
        "w",
        lambda v: 0.5 * LEAST_SQUARES(v),
    ),
    (
        "Compute the gradient of ||Wx - y||_2^2 with respect to W.",
        "W",
        lambda v: float(np.sum((v["W"] @ v["x"] - v["y"]) ** 2)),
    ),
    ("What is the derivative of tr(AX) with respect to X?", "X", lambda v: float(np.trace(v["A"] @ v["X"]))),
    ("What is ∂/∂X tr(AX)?", "X", lambda v: float(np.trace(v["A"] @ v["X"]))),
    (
        r"Derive $\nabla_W \operatorname{tr}(B W)$ where $W \in \mathbb{R}^{p \times q}$.",
        "W",
        lambda v: float(np.trace(v["B"] @ v["W"])),
    ),
    (
        "Differentiate f(x) = 1/2 x^T A x - b^T x with respect to x, where A is symmetric.",
        "x",
        lambda v: float((0.5 * v["x"].T @ v["A"] @ v["x"] - v["b"].T @ v["x"])[0, 0]),
    ),
    (
        "Derive the gradient of the softmax cross-entropy loss with respect to the logits z, "
        "where y is the one-hot label vector.",
        "z",
        lambda v: float(-np.sum(v["y"] * np.log(_softmax(v["z"])))),
    ),
    (
        r"Show that $\nabla_{\mathbf z} \left(-\sum_i y_i \log \mathrm{softmax}(\mathbf z)_i\right)$ "
        r"is the softmax minus the target for a one-hot $\mathbf y$.",
        "z",
        lambda v: float(-np.sum(v["y"] * np.log(_softmax(v["z"])))),
    ),
    (
        "For logits s and a one-hot target t, compute ∇_s CE(softmax(s), t).",
        "s",
        lambda v: float(-np.sum(v["t"] * np.log(_softmax(v["s"])))),
    ),
    (
        "Compute the gradient of g(v) = 3 vᵀBv + 2 cᵀv with respect to v.",
        "v",
        lambda v: float((3 * v["v"].T @ v["B"] @ v["v"] + 2 * v["c"].T @ v["v"])[0, 0]),
    ),
    (
        "Let p = softmax(z) be the predicted probabilities and L = -Σ_i y_i log p_i the loss, with y "
        "one-hot. Compute ∂L/∂z.",
        "z",
        lambda v: float(-np.sum(v["y"] * np.log(_softmax(v["z"])))),
    ),
    (
        r"With $\hat{y} = \mathrm{softmax}(\mathbf{z})$ and $L = -\sum_i t_i \log \hat{y}_i$ for a one-hot t, "
        r"find $\frac{\partial L}{\partial \mathbf{z}}$.",
        "z",
        lambda v: float(-np.sum(v["t"] * np.log(_softmax(v["z"])))),
    ),
    (
        "Let L = -y^T log softmax(Wx + b) with y one-hot. Find ∇_W L.",
        "W",
        lambda v: float(-np.sum(v["y"] * np.log(_softmax(v["W"] @ v["x"] + v["b"])))),
    ),
    (
        "Compute the gradient of CE(softmax(Wx), y) with respect to x.",
        "x",
        lambda v: float(-np.sum(v["y"] * np.log(_softmax(v["W"] @ v["x"])))),
    ),
    (
        "Derive ∇_X ||X||_F^2 for a matrix X ∈ R^{m×n}.",
        "X",
        lambda v: float(np.sum(v["X"] ** 2)),
    ),
]


def solve(question: str) -> Solved:
    return solve_question(question)


def _finite_difference(f: Callable[[Arrays], float], values: Arrays, variable: str) -> np.ndarray:
    step = 1e-6
    gradient = np.zeros_like(values[variable])
    for index in np.ndindex(*values[variable].shape):
        plus = {k: v.copy() for k, v in values.items()}
        minus = {k: v.copy() for k, v in values.items()}
        plus[variable][index] += step
        minus[variable][index] -= step
        gradient[index] = (f(plus) - f(minus)) / (2 * step)
    return gradient


def _answer_tree(solution: Solution) -> Any:
    names = frozenset(s.name for s in solution.parts["gradient"].context)
    return parse_expression(str(solution.answer["gradient"]), names)


@pytest.mark.parametrize(("question", "variable", "reference"), WORDINGS)
def test_the_gradient_matches_finite_differences(
    question: str, variable: str, reference: Callable[[Arrays], float]
) -> None:
    solved = solve(question)
    assert solved.kind == "gradient_matrix"
    solution = solved.solution
    table = solution.parts["gradient"].context
    tree = _answer_tree(solution)
    rng = np.random.default_rng(7)
    for _ in range(2):
        values = draw_values(table, rng)
        if "z" in values or "s" in values:  # softmax: keep the logits moderate
            values = {k: v if k not in ("z", "s") else v * 0.5 for k, v in values.items()}
        numeric = _finite_difference(reference, values, variable)
        assert np.allclose(evaluate(tree, values), numeric, atol=1e-4), (question, solution.answer)
    shape = solution.answer["shape"]
    symbol = next(s for s in table if s.name == variable)
    assert shape == ([symbol.rows] if symbol.cols == 1 else [symbol.rows, symbol.cols])


@pytest.mark.parametrize(
    ("question", "gradient", "shape"),
    [
        (
            "Let A ∈ R^{n×n} and x ∈ R^n. Compute the gradient of f(x) = xᵀAx with respect to x.",
            "(A + A^T) x",
            ["n"],
        ),
        (WORDINGS[4][0], "2 A x", ["n"]),
        (WORDINGS[5][0], "a b^T", ["m", "n"]),
        (WORDINGS[7][0], "2 X^T (X w - y)", ["n"]),
        (WORDINGS[12][0], "A^T", None),
        (WORDINGS[16][0], "softmax(z) - y", None),
        ("Compute ∇_x (xᵀAx) where A ∈ R^{3×3}.", "(A + A^T) x", [3]),
    ],
)
def test_readable_canonical_answers(question: str, gradient: str, shape: list[Any] | None) -> None:
    solution = solve(question).solution
    assert solution.answer["gradient"] == gradient
    if shape is not None:
        assert solution.answer["shape"] == shape
    assert solution.asked == ("gradient",)
    assert any("denominator layout" in c for c in solution.conventions)
    assert any(r"\nabla" in step.latex for step in solution.steps)


QUADRATIC_QUESTION = WORDINGS[0][0]


@pytest.mark.parametrize(
    ("question", "response", "score", "misconception"),
    [
        (QUADRATIC_QUESTION, "(A + A^T)x", 1.0, None),
        (QUADRATIC_QUESTION, "Ax + Aᵀx", 1.0, None),
        (QUADRATIC_QUESTION, r"A x + A^\top x", 1.0, None),
        (QUADRATIC_QUESTION, "∇f = A^T x + A x", 1.0, None),
        (QUADRATIC_QUESTION, "2Ax", 0.0, "symmetric_assumed"),
        (QUADRATIC_QUESTION, "x^T(A + A^T)", 0.0, "layout_transposed"),
        (QUADRATIC_QUESTION, "A x", 0.0, "product_rule_term_dropped"),
        (QUADRATIC_QUESTION, "2 A^T x", 0.0, None),
        (WORDINGS[4][0], "2Ax", 1.0, None),
        (WORDINGS[4][0], "Ax + A'x", 1.0, None),
        (WORDINGS[7][0], "2Xᵀ(Xw − y)", 1.0, None),
        (WORDINGS[7][0], "2X^TXw - 2X^Ty", 1.0, None),
        (WORDINGS[7][0], "X^T(Xw - y)", 0.0, "product_rule_term_dropped"),
        (WORDINGS[7][0], "2X(Xw - y)", 0.0, "transpose_dropped"),
        (WORDINGS[7][0], "2(Xw - y)^T X", 0.0, "layout_transposed"),
        (WORDINGS[12][0], "A^T", 1.0, None),
        (WORDINGS[12][0], "A", 0.0, "layout_transposed"),
        (WORDINGS[5][0], "a b^T", 1.0, None),
        (WORDINGS[5][0], "b a^T", 0.0, "layout_transposed"),
        (WORDINGS[16][0], "softmax(z) - y", 1.0, None),
        (WORDINGS[16][0], "y - softmax(z)", 0.0, "sign_flipped"),
        (WORDINGS[16][0], "softmax(z)", 0.0, "term_dropped"),
        (WORDINGS[20][0], "p - y", 1.0, None),  # p = softmax(z), as the question names it
        (WORDINGS[20][0], "y - p", 0.0, "sign_flipped"),
        (WORDINGS[21][0], "y - t", 1.0, None),  # ŷ (written \hat{y}) = softmax(z)
        (WORDINGS[22][0], "(softmax(Wx + b) - y) x^T", 1.0, None),
        (WORDINGS[22][0], "x (softmax(Wx + b) - y)^T", 0.0, "layout_transposed"),
        (WORDINGS[23][0], "W^T(softmax(Wx) - y)", 1.0, None),
        (WORDINGS[23][0], "W(softmax(Wx) - y)", 0.0, "transpose_dropped"),
    ],
)
def test_grading_by_value_with_named_mistakes(
    question: str, response: str, score: float, misconception: str | None
) -> None:
    solved = solve(question)
    grade = grade_response(solved.solution, list(solved.variants), response)
    assert grade.status is GradeStatus.GRADED
    assert grade.score == score, grade.feedback
    assert grade.parts[0].misconception == misconception, grade.parts[0].feedback


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ("(A + A^T x", "'(' is not closed"),
        ("A x +", "the expression ends too early"),
        ("foo x", "unknown name 'foo'"),
        ("A^{-1} x", "matrix inverses are not supported"),
    ],
)
def test_an_unreadable_response_is_withheld_not_wrong(response: str, message: str) -> None:
    solved = solve(QUADRATIC_QUESTION)
    grade = grade_response(solved.solution, list(solved.variants), response)
    assert grade.status is GradeStatus.UNREADABLE and grade.score is None
    assert message in grade.parts[0].feedback


def test_a_wrongly_shaped_response_is_wrong_with_the_reason() -> None:
    solved = solve(QUADRATIC_QUESTION)
    grade = grade_response(solved.solution, list(solved.variants), "A x^T")
    assert grade.score == 0.0
    assert "cannot multiply" in grade.parts[0].feedback


def test_the_error_points_at_the_bad_spot() -> None:
    with pytest.raises(ResponseFormatError) as caught:
        parse_expression("2 A x + ?", frozenset({"A", "x"}))
    assert caught.value.offset == 8
    assert caught.value.pointer() == "2 A x + ?\n        ^"


def test_deep_nesting_and_huge_expressions_are_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(InputTooLarge, match="nested more than"):
        parse_expression("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), frozenset({"x"}))
    with pytest.raises(InputTooLarge, match="characters"):
        parse_expression("x + " * 200 + "x", frozenset({"x"}))
    with pytest.raises(InputTooLarge, match="more than"):
        parse_expression("+".join(["A x"] * 90), frozenset({"A", "x"}))
    solved = solve(QUADRATIC_QUESTION)
    with pytest.raises(InputTooLarge):
        grade_response(solved.solution, list(solved.variants), "(" * 5000 + "x" + ")" * 5000)
    assert time.monotonic() - started < 2.0


def test_a_derivation_past_its_time_limit_raises_and_the_worker_is_replaced() -> None:
    worker = SympyWorker(timeout=0.0)
    request = ("derive", (("sym", "x")), "x", (("x", "n", "1", False, False),))
    try:
        with pytest.raises(DerivationTimeout, match="longer than"):
            worker.request(request)
        assert not worker.running  # killed, not left behind
        worker.timeout = 60.0
        status, _ = worker.request(("derive", ("mul", ("T", ("sym", "x")), ("sym", "x")), "x", request[3]))
        assert status == "ok" and worker.running
    finally:
        worker.shutdown()
    assert not worker.running and worker.pid is None


def test_the_shared_worker_stops_on_shutdown_and_restarts_on_demand() -> None:
    solve(WORDINGS[8][0])
    WORKER.shutdown()
    assert not WORKER.running
    derive_gradient.cache_clear()  # force a derivation, so the worker must start again
    assert solve(WORDINGS[8][0]).solution.answer["gradient"] == "2 X^T (X w - y)"
    assert WORKER.running


@pytest.mark.parametrize(
    ("question", "error"),
    [
        ("Compute the gradient of f(x) = A x with respect to x.", InvalidQuestion),  # a vector, not a scalar
        ("Compute the gradient of f with respect to x.", NotUnderstood),  # no function written
    ],
)
def test_refusals(question: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        SOLVER.parse(normalize(question))


def test_a_vector_valued_function_is_refused_by_this_kind_not_guessed_elsewhere() -> None:
    with pytest.raises(InvalidQuestion, match="not a scalar: its derivative is a Jacobian"):
        solve_question("Compute the gradient of f(x) = A x with respect to x.")


@pytest.mark.parametrize(
    "question",
    [
        "What is the shape of ∂f/∂x for f(x) = xᵀAx with x ∈ R^n?",
        "Let W ∈ R^{3×4} and let L be a scalar loss. What is the shape of ∂L/∂W?",
        "What are the dimensions of the gradient of tr(AX) with respect to X ∈ R^{m×n}?",
    ],
)
def test_shape_questions_go_to_gradient_shape(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5
    assert solve_question(question).kind == "gradient_shape"


def test_no_eval_sympify_or_parse_expr_in_the_sources() -> None:
    root = Path(__file__).resolve().parents[2] / "solvers"
    sources = [*root.glob("gradient_matrix*.py"), *root.glob("matrix_expr*.py")]
    assert len(sources) >= 8
    forbidden = re.compile(r"\b(?:eval|exec|sympify|parse_expr|S)\s*\(|\bsympy\.parsing\b|\blambdify\b")
    for source in sources:
        assert not forbidden.search(source.read_text()), source.name


def test_symmetry_stated_after_a_membership_is_used() -> None:
    # ∇(xᵀBx) = (B + Bᵀ)x = 2Bx when B = Bᵀ
    solved = solve("Let B ∈ R^{m×m} be symmetric. Find the gradient of xᵀBx with respect to x.")
    assert solved.solution.answer["gradient"] == "2 B x"
