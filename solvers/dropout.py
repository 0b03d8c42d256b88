"""Dropout applied to an activation vector or a batch matrix: the output, the scaling factor, expectations.

a′ = a ⊙ m (plain masking, the original method scales by the keep probability at test time) or
a′ = a ⊙ m / keep (inverted dropout, nothing to do at test time). Mask 1 = keep. A bare `p` is the
drop probability (PyTorch, Keras); the original paper's p is the keep probability.

Reading: `dropout_read` (from `dropout_vectors`, `dropout_mask`, `dropout_probability`,
`dropout_asked`); arithmetic: `dropout_compute`; steps: `dropout_steps`; mistakes: `dropout_variants`.
"""

from __future__ import annotations

import random
import re

from solvers.base import Example, Solution, Solver, Variant
from solvers.dropout_asked import asked_parts
from solvers.dropout_compute import as_answer, evaluate, rule, tidy
from solvers.dropout_derived import derivations
from solvers.dropout_mask import positions
from solvers.dropout_practice import practice_question
from solvers.dropout_probability import probability
from solvers.dropout_problem import DropoutProblem, part_spec
from solvers.dropout_read import read_problem
from solvers.dropout_steps import conventions, steps
from solvers.dropout_variants import variants
from solvers.dropout_vectors import candidates, pick_pair, scalar_activation
from solvers.errors import ExamgraderError

__all__ = ["DropoutProblem", "DropoutSolver"]


class DropoutSolver(Solver[DropoutProblem]):
    kind = "dropout"
    title = "Dropout on an activation vector"
    topic = "regularization"

    def detect(self, text: str) -> float:
        if not _DROPOUT_WORD.search(text):
            return 0.0
        try:
            act, mask = pick_pair(candidates(text))
            has_mask = mask is not None or positions(text) is not None
            has_act = act is not None or scalar_activation(text) is not None
            asked, _ = asked_parts(text)
        except ExamgraderError:
            return 0.3
        try:
            has_p = probability(text) is not None
        except ExamgraderError:
            has_p = True  # a probability is given, though not a usable one: the parse will say why
        numeric = bool(set(asked) - {"output"})
        if has_mask:
            return 0.95 if has_act else 0.8
        if has_act:
            return 0.8 if has_p else 0.55
        if has_p:
            return 0.7 if numeric else 0.45
        return 0.3

    def parse(self, text: str) -> DropoutProblem:
        return read_problem(text, suggestions=[e.question for e in self.examples()[:2]])

    def solve(self, problem: DropoutProblem) -> Solution:
        answer = evaluate(problem, rule(problem.keep, problem.inverted))
        also = {"scale"} if problem.inverted else set()  # inverted dropout always states its factor
        answer = {k: v for k, v in answer.items() if k in problem.asked or k in also}
        given = {
            "activations": None
            if problem.activations is None
            else as_answer(problem.activations, problem.form),
            "mask": None if problem.mask is None else as_answer(problem.mask, problem.form),
            "drop_probability": None if problem.drop is None else tidy(problem.drop),
            "keep_probability": None if problem.keep is None else tidy(problem.keep),
            "inverted": problem.inverted,
        }
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=answer,
            parts={name: part_spec(name, value) for name, value in answer.items()},
            steps=steps(problem, answer),
            conventions=conventions(problem),
            given=given,
            derived=derivations(problem),
        )

    def variants(self, problem: DropoutProblem) -> list[Variant]:
        return variants(problem, self.solve(problem))

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


_DROPOUT_WORD = re.compile(
    r"drop-?\s?out|\bdropp(?:ed|ing)\b|bernoulli\s*(?:mask|\()|keep[_\s]prob|(?:retained|kept)\s+with\s+probability",
    re.IGNORECASE,
)

EXAMPLES = (
    Example(
        "What will be the output activations of this layer after applying dropout? (Show the final "
        "activation vector)\nGiven:\nActivations:\na = [2.0, 5.0, 7.12, 4.5, 6.0]\nDropout mask:\n"
        "m = [1, 0, 0, 1, 1]",
        {"output": [2.0, 0.0, 0.0, 4.5, 6.0]},
    ),
    Example(
        "Apply inverted dropout with p = 0.5 to h = [1.0, 2.0, 3.0, 4.0] using the mask m = [1, 0, 1, 0]. "
        "What is the output?",
        {"output": [2.0, 0.0, 6.0, 0.0], "scale": 2.0},
    ),
    Example(
        "A hidden layer outputs a = [0.5, 1.2, -0.3, 2.0]. During training, dropout drops units 2 and 3. "
        "What are the activations after dropout?",
        {"output": [0.5, 0.0, 0.0, 2.0]},
    ),
    Example(
        "With inverted dropout and keep_prob = 0.8, by what factor are the kept activations scaled during "
        "training?",
        {"scale": 1.25},
    ),
    Example(
        "H = [[1, 2], [3, 4]] is a batch of activations and M = [[1, 0], [0, 1]] the dropout mask. Using "
        "inverted dropout with a dropout rate of 0.5, compute the output matrix.",
        {"output": [[2.0, 0.0], [0.0, 8.0]]},
    ),
    Example(
        "In the original (non-inverted) dropout with keep probability 0.8, a layer has activations "
        "a = [1, 2, 3]. What does the layer output at test time?",
        {"test_output": [0.8, 1.6, 2.4]},
    ),
    Example(
        "Dropout mask r = [True, False, True] is applied to y = [4, 5, 6] with inverted dropout, 20% of the "
        "units being dropped. Compute the scaled output and the expected value of each unit.",
        {"output": [5.0, 0.0, 7.5], "expected_value": [4.0, 5.0, 6.0]},
    ),
)
