"""Gradients of matrix expressions: ∇ₓ(xᵀAx), ∇_X(aᵀXb), ∇_w‖Xw − y‖², ∇_X tr(AX) and the softmax
cross-entropy with respect to the logits (or, by the chain rule, to W in softmax(Wx + b)), as an
expression and its shape.

The question is read by `gradient_matrix_parse` (our own grammar, never `eval`); sympy derives
the gradient in a separate process (`gradient_matrix_worker`); answers are compared by value on
random matrices (`matrix_expr_numeric`). Shapes only ("what is the shape of ∂f/∂x") belong to
`gradient_shape`.
"""

from __future__ import annotations

import random
import re

from solvers.base import Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.errors import ExamgraderError, InvalidQuestion
from solvers.extract import find_arrays
from solvers.gradient_matrix_parse import GradientProblem, prepare, read_problem
from solvers.gradient_matrix_practice import practice_question
from solvers.gradient_matrix_variants import find_variants
from solvers.gradient_matrix_worker import derive_gradient
from solvers.matrix_expr import Tree
from solvers.matrix_expr_render import positive_first, render, tidy
from solvers.matrix_expr_shapes import MatrixSymbol, answer_shape, lookup

_GRADIENT_WORDS = re.compile(r"∇|∂|\bgradients?\b|\bderivatives?\b|\bdifferentiat|\bderive\b", re.IGNORECASE)
_SHAPE_ONLY = re.compile(r"\bshapes?\b|\bdimensions?\b|\bdimensionality\b|\bsizes?\b", re.IGNORECASE)
_EXPRESSION_WORDS = re.compile(r"\bexpression\b|\bclosed[- ]form\b|\bformula\b", re.IGNORECASE)
_NUMERIC_TASK = re.compile(
    r"\blearning rate\b|\bstep size\b|\bdescent\b|\bupdate\b|\bclip|\bpenalty\b|\bmomentum\b|\bAdam\b"
    r"|(?<![\w^])[A-Za-zλαη]\w{0,3}\s*=\s*-?\d+(?:\.\d+)?\s*(?:$|[,;]|\.\s|\.$|\s+(?:and|with)\b)",
    re.IGNORECASE,
)


def gradient_expression_score(text: str) -> float:
    """How sure (0..1) that normalised `text` asks for a gradient expression (not only its shape)."""
    prepared = prepare(text)
    if not _GRADIENT_WORDS.search(prepared):
        return 0.05
    if _SHAPE_ONLY.search(prepared) and not _EXPRESSION_WORDS.search(prepared):
        return 0.2
    if find_arrays(prepared) or _NUMERIC_TASK.search(prepared):
        return 0.2
    try:
        read_problem(text)
    except InvalidQuestion:  # read, but not a gradient (a vector-valued function): refused here
        return 0.6
    except ExamgraderError:  # not readable as a gradient question (or too large to read)
        return 0.3
    return 0.9


def _declaration(symbol: MatrixSymbol) -> str:
    if symbol.definition is not None:
        return f"{symbol.name} = {render(symbol.definition)}"
    space = f"R^{symbol.rows}" if symbol.is_vector else f"R^({symbol.rows}×{symbol.cols})"
    flags = " symmetric" if symbol.symmetric else " one-hot" if symbol.one_hot else ""
    return f"{symbol.name} ∈ {space}{flags}"


def _gradient_spec(problem: GradientProblem) -> PartSpec:
    v = problem.variable
    aliases = ("gradient", f"∇_{v} f", f"∇_{v}", f"∇{v}", f"df/d{v}", f"∂f/∂{v}", "grad", "derivative")
    return PartSpec(
        "gradient", f"Gradient with respect to {v}", ValueKind.EXPRESSION, aliases, context=problem.table
    )


_SHAPE_SPEC = PartSpec("shape", "Shape of the gradient", ValueKind.SHAPE, ("gradient shape", "dimensions"))


def _steps(problem: GradientProblem, raw: Tree, gradient: Tree) -> list[Step]:
    v = problem.variable
    symbol = lookup(problem.table, v)
    assert symbol is not None
    shape = " × ".join(str(d) for d in answer_shape(symbol))
    declarations = ", ".join(_declaration(s) for s in problem.table)
    steps = [
        Step(
            "Read the function",
            f"f = {render(problem.function)}, with {declarations}.",
            render(problem.function, True),
        ),
        Step(
            "Differentiate",
            f"Differentiate with respect to {v} (product rule, one term per occurrence of {v}; "
            f"trace and norm rules), giving ∇_{v} f = {render(positive_first(raw))}.",
            rf"\nabla_{{{v}}} f = {render(positive_first(raw), True)}",
        ),
    ]
    if problem.stated_symmetric:
        names = ", ".join(sorted(problem.stated_symmetric))
        steps.append(Step("Use symmetry", f"{names} is symmetric, so its transpose is itself.", ""))
    steps.append(
        Step("Simplify", f"∇_{v} f = {render(gradient)}.", rf"\nabla_{{{v}}} f = {render(gradient, True)}")
    )
    column = f" (a column of {shape} entries)" if symbol.is_vector else ""
    steps.append(Step("Shape", f"The gradient has the shape of {v}: {shape}{column}.", ""))
    return steps


_CONVENTIONS = (
    "The gradient of a scalar has the shape of the variable (denominator layout): entry i, j of ∇_X f "
    "is ∂f/∂X_ij; the numerator layout would give the transpose.",
    "Vectors are columns: x ∈ R^n is n × 1. A letter the question does not declare is a column vector "
    "(lowercase) or a matrix (uppercase), with dimensions fixed by the products it appears in.",
    "An answer is graded by value: it is right when it equals the gradient for every matrix of the "
    "declared shapes (checked on random matrices), so (A + A^T) x and A x + A^T x are the same answer.",
)


class GradientMatrixSolver(Solver[GradientProblem]):
    kind = "gradient_matrix"
    title = "Gradient of a matrix expression"
    topic = "gradients"

    def detect(self, text: str) -> float:
        return gradient_expression_score(text)

    def parse(self, text: str) -> GradientProblem:
        return read_problem(text)

    def solve(self, problem: GradientProblem) -> Solution:
        raw = derive_gradient(problem.function, problem.variable, problem.table)
        gradient = tidy(raw)
        symbol = lookup(problem.table, problem.variable)
        assert symbol is not None
        return Solution(
            kind=self.kind,
            asked=("gradient",),
            answer={"gradient": render(gradient), "shape": answer_shape(symbol)},
            parts={"gradient": _gradient_spec(problem), "shape": _SHAPE_SPEC},
            steps=_steps(problem, raw, gradient),
            conventions=[*_CONVENTIONS, *problem.notes],
            given={
                "function": render(problem.function),
                "variable": problem.variable,
                "symbols": {s.name: [s.rows, s.cols] for s in problem.table},
                "symmetric": sorted(problem.stated_symmetric),
                "latex": render(gradient, True),
            },
        )

    def variants(self, problem: GradientProblem) -> list[Variant]:
        return find_variants(problem, derive_gradient(problem.function, problem.variable, problem.table))

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


EXAMPLES = (
    Example(
        "Let A ∈ R^{n×n} and x ∈ R^n. Compute the gradient of f(x) = xᵀAx with respect to x.",
        {"gradient": "(A + A^T) x", "shape": ["n"]},
    ),
    Example(
        r"A is a symmetric matrix. Derive $\nabla_{\mathbf{x}} (\mathbf{x}^\top A \mathbf{x})$.",
        {"gradient": "2 A x"},
    ),
    Example(
        "Find the gradient of f(X) = aᵀXb with respect to X, where X ∈ R^{m×n}.",
        {"gradient": "a b^T", "shape": ["m", "n"]},
    ),
    Example(
        r"Compute $\nabla_w \|Xw - y\|_2^2$ for $X \in \mathbb{R}^{m \times n}$.",
        {"gradient": "2 X^T (X w - y)", "shape": ["n"]},
    ),
    Example("What is the derivative of tr(AX) with respect to X?", {"gradient": "A^T"}),
    Example(
        "Derive the gradient of the softmax cross-entropy loss with respect to the logits z, "
        "where y is the one-hot label vector.",
        {"gradient": "softmax(z) - y"},
    ),
)
