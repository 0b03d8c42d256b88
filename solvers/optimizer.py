"""One or several optimizer updates: gradient descent, momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW.

Gradients are given, or worked out from a polynomial objective (`(w - 3)^2`, `x^2 + 10y^2`,
`½ wᵀAw − bᵀw`). Conventions that change numbers (momentum and Nesterov forms, ε inside or outside
the root, bias correction, decoupled weight decay) are read from the question or stated, and the
other common reading is accepted.

Reading: `optimizer_read`, `optimizer_method`, `optimizer_asked`, `optimizer_hyper`, `optimizer_build`
(named values in `optimizer_text`, the objective grammar in `optimizer_polynomial` and
`optimizer_objective`); arithmetic: `optimizer_compute`, `optimizer_answer`; steps: `optimizer_steps`;
mistakes: `optimizer_variants`; examples and practice: `optimizer_practice`.
"""

from __future__ import annotations

import random
import re

from solvers.base import Example, Solution, Solver, Variant
from solvers.errors import ExamgraderError
from solvers.extract import find_arrays
from solvers.numbers import find_numbers
from solvers.optimizer_answer import answer
from solvers.optimizer_build import build
from solvers.optimizer_derived import derivations
from solvers.optimizer_method import mentioned
from solvers.optimizer_practice import EXAMPLES, practice_question
from solvers.optimizer_problem import Method, OptimizerProblem, part_spec
from solvers.optimizer_read import find_objective, read_gradients
from solvers.optimizer_steps import conventions, steps
from solvers.optimizer_text import prepare, scalar_named
from solvers.optimizer_variants import variants

__all__ = ["OptimizerProblem", "OptimizerSolver"]

_OTHER_TOPICS = re.compile(
    r"\bclip|\bdropout|confusion\s+matrix|\bprecision\b|\brecall\b|vanishing|exploding|\bshape\s+of\b",
    re.IGNORECASE,
)
_REGULARIZATION = re.compile(
    r"\bl[12]\b|regulari[sz]|penalty|weight[\s_-]+decay|\blasso\b|\bridge\b|elastic\s+net|soft[\s-]?threshold|proximal",
    re.IGNORECASE,
)
_UPDATE = re.compile(r"\bupdat|\bnew\s+(?:weight|parameter|value)|\bnext\s+(?:weight|iterate)|\bstep\b", re.I)
_LR = r"learning[\s-]+rates?|lr|η|eta|step[\s-]*sizes?|α|alpha"


class OptimizerSolver(Solver[OptimizerProblem]):
    kind = "optimizer_step"
    title = "Optimizer update step"
    topic = "optimization"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if _OTHER_TOPICS.search(prepared):
            return 0.1
        methods = mentioned(prepared)
        if not find_numbers(prepared):
            return 0.15 if methods else 0.0
        try:
            has_lr = scalar_named(prepared, _LR) is not None
            arrays = find_arrays(prepared)
            has_gradient = bool(read_gradients(prepared, arrays)[0]) or find_objective(prepared) is not None
        except ExamgraderError:
            return 0.3
        plain = set(methods) <= {Method.GD, Method.MOMENTUM} and Method.MOMENTUM not in methods
        if plain and _REGULARIZATION.search(prepared):
            return 0.4  # a weight-decay or penalty step with plain gradient descent: the regularization kind
        if not methods:
            return 0.55 if has_lr and has_gradient and _UPDATE.search(prepared) else 0.1
        adaptive = bool(set(methods) & {Method.ADAM, Method.ADAMW})
        if has_gradient and (has_lr or adaptive):
            return 0.9
        if has_gradient or has_lr:
            return 0.6
        return 0.3

    def parse(self, text: str) -> OptimizerProblem:
        return build(prepare(text))

    def solve(self, problem: OptimizerProblem) -> Solution:
        values = answer(problem)
        parts = {name: part_spec(problem, name, value) for name, value in values.items()}
        given: dict[str, object] = {
            "method": problem.method.value,
            "learning_rate": problem.lr,
            "steps": problem.steps,
            "w0": list(problem.w0) if problem.shape else problem.w0[0],
        }
        if problem.objective is not None:
            given["objective"] = problem.objective.source
        else:
            given["gradients"] = [list(g) for g in (problem.batch or problem.gradients)]
        if problem.method in (Method.MOMENTUM, Method.NESTEROV, Method.RMSPROP):
            given["beta"] = problem.beta
        if problem.method in (Method.ADAM, Method.ADAMW):
            given.update(beta1=problem.beta1, beta2=problem.beta2)
        if problem.weight_decay:
            given["weight_decay"] = problem.weight_decay
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=values,
            parts=parts,
            steps=steps(problem),
            conventions=conventions(problem),
            given=given,
            derived=derivations(problem),
        )

    def variants(self, problem: OptimizerProblem) -> list[Variant]:
        return variants(problem, self.solve(problem))

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)
