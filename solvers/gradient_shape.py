"""Shapes of gradients and Jacobians: `∂L/∂W` for W ∈ R^{m×n}, the Jacobian of f: Rⁿ → Rᵐ, and
the gradients of a linear layer `y = Wx + b` or `Y = XW + b` with respect to W, b and x.

The gradient of a scalar has the shape of the variable; a Jacobian is m × n (numerator layout).
Reading the question is `solvers.gradient_shape_parse`; the shapes, worked steps and known
mistakes are `gradient_shape_answer`, `_steps` and `_variants`.
"""

from __future__ import annotations

import random
import re

from solvers.base import Example, PartSpec, Solution, Solver, ValueKind, Variant
from solvers.extract import find_arrays
from solvers.gradient_matrix import gradient_expression_score
from solvers.gradient_shape_answer import answer, part_name
from solvers.gradient_shape_asked import D_TARGETS
from solvers.gradient_shape_parse import GradientShapeProblem, Target, build, read
from solvers.gradient_shape_practice import practice_question
from solvers.gradient_shape_steps import worked_steps
from solvers.gradient_shape_text import prepare
from solvers.gradient_shape_variants import find_variants

__all__ = ["GradientShapeProblem", "GradientShapeSolver"]


_ROLE_ALIASES = {
    "weight": ("weights", "weight", "weight matrix", "weight gradient", "grad weights"),
    "bias": ("bias", "biases", "bias vector", "bias gradient", "grad bias"),
    "input": ("input", "inputs", "input gradient", "grad input"),
    "output": ("output", "outputs"),
}


def _spec(problem: GradientShapeProblem, target: Target) -> PartSpec:
    n, f = target.name, target.function
    single = len(problem.targets) == 1
    # the name labels its part ("W: 3 x 5", {"x": "(5,)"}); responses read a one-letter label only
    # before ":" or "=". Kept out: the x of several parts, which test_layer_steps_show_backpropagation
    # still asserts (written when the x of "n x m" read as a label).
    aliases = [n]
    aliases += [f"d{f}/d{n}", f"∂{f}/∂{n}", f"grad {n}", f"grad_{n}", f"gradient of {n}"]
    aliases += [f"gradient wrt {n}", f"gradient with respect to {n}", f"∇_{n} {f}", f"∇_{n}", f"d{n}"]
    if target.jacobian:
        label = f"Shape of the Jacobian ∂{f}/∂{n}"
        aliases += ["jacobian", "jacobian shape", "jacobian matrix"] if single else []
    else:
        label = f"Shape of ∂{f}/∂{n}"
        aliases += (
            ["gradient", "gradient shape", "dimension", "dimensions", "dimensionality", "size"]
            if single
            else []
        )
    if not single:
        aliases += _ROLE_ALIASES.get(target.role or "", ())
    return PartSpec(part_name(problem, target), label, ValueKind.SHAPE, tuple(dict.fromkeys(aliases)))


def _conventions(problem: GradientShapeProblem) -> list[str]:
    notes: list[str] = []
    if any(not t.jacobian for t in problem.targets):
        notes.append(
            "The gradient of a scalar with respect to a variable has the variable's shape: one partial "
            "derivative per entry, arranged like the variable (the convention of deep-learning frameworks)."
        )
    if any(t.jacobian for t in problem.targets):
        notes.append(
            "Jacobians are given in numerator layout: one row per output, one column per input, so "
            "f: R^n → R^m has an m × n Jacobian; the denominator layout (n × m) is also accepted."
        )
    if problem.scalar_assumed:
        notes.append(
            "The question does not say the function is scalar-valued; a gradient is taken of a scalar, "
            "so it is read as one."
        )
    if problem.batch is not None and any(t.role in ("weight", "bias") for t in problem.targets):
        notes.append(
            "Parameter gradients are summed over the batch: each example contributes one term, so "
            "the gradient keeps the parameter's shape."
        )
    if problem.substitutions:
        given = ", ".join(f"{s} = {v}" for s, v in problem.substitutions)
        notes.append(
            f"The dimensions use the numbers the question gives ({given}); the symbols are also accepted."
        )
    return notes


def _given(problem: GradientShapeProblem) -> dict[str, object]:
    names = [t.name for t in problem.targets]
    given: dict[str, object] = {
        "variables": {n: list(d) for n, d in problem.variables},
        "target": names[0] if len(names) == 1 else names,
        "of": problem.targets[0].function,
    }
    if problem.layer is not None:
        given["layer"] = problem.layer.text
    if any(t.jacobian for t in problem.targets):
        given["outputs"] = list(problem.targets[0].output)
    if problem.substitutions:
        given["dimensions"] = dict(problem.substitutions)
    return given


_GRADIENT_WORDS = re.compile(
    r"\bgradients?\b|\bjacobian|∂|∇|(?<![A-Za-z])d[A-Za-zℓ]\s*/\s*d[A-Za-z]|\bderivatives?\b|\.grad\b",
    re.IGNORECASE,
)
_SHAPE_TUPLE = re.compile(r"(?:shape|size|dim\w*)\s*(?:of|is|=+|:)?\s*$")
_SHAPE_WORDS = re.compile(
    r"\bshapes?\b|\bdimensions?\b|\bdimensionality\b|\bhow many (?:rows|columns|entries)\b"
    r"|\b(?:what|the) size\b|\bsizes? of\b",
    re.IGNORECASE,
)


class GradientShapeSolver(Solver[GradientShapeProblem]):
    kind = "gradient_shape"
    title = "Shape of a gradient or Jacobian"
    topic = "gradients"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if not (_GRADIENT_WORDS.search(prepared) or D_TARGETS.search(prepared)):
            return 0.05
        reading = read(prepared)
        has_data = bool(reading.declarations or reading.functions.mappings or reading.functions.outputs)
        asks_shape = bool(_SHAPE_WORDS.search(text))
        if not asks_shape and gradient_expression_score(text) >= 0.5:
            return 0.2  # the gradient itself is asked for: `gradient_matrix`
        if has_data and any(not _SHAPE_TUPLE.search(a.context) for a in find_arrays(prepared)):
            return 0.7 if asks_shape else 0.2
        if has_data and asks_shape:
            return 0.9 if reading.targets or reading.jacobian else 0.75
        if has_data and (reading.jacobian or reading.targets):
            return 0.65
        return 0.45 if has_data else (0.35 if asks_shape else 0.15)

    def parse(self, text: str) -> GradientShapeProblem:
        return build(read(prepare(text)))

    def solve(self, problem: GradientShapeProblem) -> Solution:
        parts = {part_name(problem, t): _spec(problem, t) for t in problem.targets}
        return Solution(
            kind=self.kind,
            asked=tuple(parts),
            answer=dict(answer(problem)),
            parts=parts,
            steps=worked_steps(problem),
            conventions=_conventions(problem),
            given=_given(problem),
        )

    def variants(self, problem: GradientShapeProblem) -> list[Variant]:
        return find_variants(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


EXAMPLES = (
    Example(
        "Assume that the inputs X to some scalar function f are n x m matrices. What is the "
        "dimensionality of the gradient of f with respect to X? Give reasons to justify your answer.",
        {"shape": ["n", "m"]},
    ),
    Example(
        r"Let $W \in \mathbb{R}^{3 \times 4}$ and let L be a scalar loss. What is the shape of "
        r"$\frac{\partial L}{\partial W}$?",
        {"shape": [3, 4]},
    ),
    Example(
        "x is a vector of length 5 and f is a scalar function. What is the shape of the gradient "
        "of f w.r.t. x?",
        {"shape": [5]},
    ),
    Example("A function f maps R^3 to R^2. What are the dimensions of the Jacobian of f?", {"shape": [2, 3]}),
    Example(
        "Consider a linear layer y = Wx + b with W ∈ ℝ^{m×n}. What are the shapes of ∂L/∂W, ∂L/∂b "
        "and ∂L/∂x, where L is the scalar loss?",
        {"shape_W": ["m", "n"], "shape_b": ["m"], "shape_x": ["n"]},
    ),
    Example(
        "A batch X ∈ ℝ^{B×d} goes through Y = XW + b with W ∈ ℝ^{d×k}. Give the shapes of the "
        "gradients of the loss with respect to W, b and X.",
        {"shape_W": ["d", "k"], "shape_b": ["k"], "shape_X": ["B", "d"]},
    ),
    Example(
        "In PyTorch, nn.Linear computes Y = XW^T + b. X has shape (32, 784) and W has shape (10, 784). "
        "What are the shapes of the gradients of the loss with respect to W and b?",
        {"shape_W": [10, 784], "shape_b": [10]},
    ),
)
