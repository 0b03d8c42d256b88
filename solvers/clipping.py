"""Gradient clipping: by norm (each tensor), by global norm across tensors (PyTorch's clip_grad_norm_),
and by value (clip_grad_value_), with the optional SGD step that follows.

PyTorch's rule is followed and stated: scale = min(1, c / (‖g‖ + 1e-6)), one factor for all tensors
in global mode. Reading: `clipping_parse`; arithmetic and mistakes: `clipping_compute`; steps:
`clipping_steps`.
"""

from __future__ import annotations

import math
import random
import re

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, ValueKind, Variant
from solvers.clipping_compute import MISTAKES, Rules, evaluate, mistake_rules
from solvers.clipping_parse import ClipProblem, is_clipping, read_problem
from solvers.clipping_steps import conventions, steps
from solvers.compare import same_answer
from solvers.errors import ExamgraderError
from solvers.extract import find_arrays
from solvers.numbers import find_numbers
from solvers.optimizer_text import prepare

__all__ = ["ClipProblem", "ClippingSolver"]


_LABELS = {
    "norm": ("Gradient norm", ("||g||", "l2 norm", "original norm", "norm before clipping", "‖g‖")),
    "global_norm": ("Global norm", ("total norm", "total_norm", "combined norm", "norm")),
    "scale": (
        "Clipping factor",
        ("clip coefficient", "clip_coef", "scaling factor", "scale factor", "factor"),
    ),
    "clipped": ("Clipped gradient", ("clipped", "g_clipped", "new gradient", "result", "gradient", "g'")),
    "clipped_norm": ("Norm after clipping", ("new norm", "clipped norm", "norm after")),
    "w": ("Updated weights", ("w", "new weights", "updated weights", "w_new", "weights")),
}


def _finite(value: AnswerValue) -> bool:
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    kind = ValueKind.VECTOR if isinstance(value, list) else ValueKind.SCALAR
    base, _, suffix = (
        name.partition("_") if name.startswith(("clipped_", "norm_", "scale_")) else (name, "", "")
    )
    if name.startswith("clipped_norm"):
        base, suffix = "clipped_norm", name[len("clipped_norm_") :]
    if base in _LABELS and suffix:
        label = f"{_LABELS[base][0]} of {suffix}"
        named = (f"{base} {suffix}", f"{base}_{suffix}", f"clipped {suffix}", f"g_{suffix}", f"{suffix}")
        return PartSpec(name, label, kind, named if base == "clipped" else (f"{base} {suffix}",))
    label, aliases = _LABELS[name]
    return PartSpec(name, label, kind, aliases)


class ClippingSolver(Solver[ClipProblem]):
    kind = "gradient_clipping"
    title = "Gradient clipping"
    topic = "gradients"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if not is_clipping(prepared):
            return 0.0
        if not find_numbers(prepared):
            return 0.1
        try:
            has_vector = bool(find_arrays(prepared))
        except ExamgraderError:
            return 0.3
        if has_vector:
            return 0.9
        return 0.75 if re.search(r"\bgradient|\bnorm\b|\bgrad\b", prepared, re.IGNORECASE) else 0.5

    def parse(self, text: str) -> ClipProblem:
        return read_problem(text)

    def rules(self, problem: ClipProblem) -> Rules:
        return Rules(problem.mode, problem.norm_type, problem.eps)

    def solve(self, problem: ClipProblem) -> Solution:
        everything = evaluate(problem, self.rules(problem))
        extras = {"norm", "global_norm", "scale", "clipped"}
        answer = {
            k: v
            for k, v in everything.items()
            if k in problem.asked or (k.split("_")[0] in extras and "clipped_norm" not in k)
        }
        given: dict[str, object] = {
            "gradients": {t.name: list(t.values) for t in problem.tensors},
            "threshold": problem.threshold,
            "mode": problem.mode.value,
        }
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=answer,
            parts={name: part_spec(name, value) for name, value in answer.items()},
            steps=steps(problem, everything),
            conventions=conventions(problem),
            given=given,
        )

    def variants(self, problem: ClipProblem) -> list[Variant]:
        solution = self.solve(problem)
        feedback = dict(MISTAKES)
        found: list[Variant] = []
        seen: list[dict[str, AnswerValue]] = []
        for code, rules in mistake_rules(problem, self.rules(problem)).items():
            wrong = evaluate(problem, rules)
            if not all(_finite(value) for value in wrong.values()):
                continue  # a mistake that divides by a tiny threshold overflows: nobody answers that
            differing = {
                name: value
                for name, value in wrong.items()
                if name in solution.parts
                and not same_answer(solution.spec(name), solution.answer[name], value)
            }
            if differing and differing not in seen:
                seen.append(differing)
                found.append(Variant(code, feedback[code], differing))
        return found

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


EXAMPLES = (
    # ‖g‖ = 5 > 1: g·1/(5 + 1e-6) = [0.6, 0.8]
    Example(
        "The gradient g = [3, 4] is clipped to a maximum L2 norm of 1. What is the clipped gradient?",
        {"clipped": [0.6, 0.8]},
    ),
    # ‖g‖ = √(1 + 4 + 4) = 3 ≤ 5: unchanged
    Example(
        "Clip g = [1, 2, -2] by norm with threshold 5. Give the norm and the clipped gradient.",
        {"norm": 3.0, "clipped": [1.0, 2.0, -2.0]},
    ),
    # clamp to [−1, 1]
    Example("Clip each entry of g = [0.5, -2.0, 1.2] to the range [-1, 1].", {"clipped": [0.5, -1.0, 1.0]}),
    # global: √(3² + 4² + 12²) = 13; factor 6.5/13 = 0.5: [1.5, 2], [6]
    Example(
        "torch.nn.utils.clip_grad_norm_ with max_norm = 6.5 is applied to two gradients, g1 = [3, 4] and "
        "g2 = [12]. What is the total norm, and what are the clipped gradients?",
        {"global_norm": 13.0, "clipped_g1": [1.5, 2.0], "clipped_g2": [6.0]},
    ),
    # ‖g‖ = 10 > 2: factor 0.2: [1.2, −1.6]; w = [1, 1] − 0.5·[1.2, −1.6] = [0.4, 1.8]
    Example(
        "Before the SGD step (learning rate 0.5) the gradient g = [6, -8] is clipped to norm 2. With weights "
        "w = [1, 1], what are the clipped gradient and the updated weights?",
        {"clipped": [1.2, -1.6], "w": [0.4, 1.8]},
    ),
    # per tensor: ‖a‖ = 5 → [0.6, 0.8]; ‖b‖ = 0.5 ≤ 1 → unchanged
    Example(
        "Clip each gradient separately to norm 1: grad_a = [3, 4] and grad_b = [0.3, 0.4].",
        {"clipped_a": [0.6, 0.8], "clipped_b": [0.3, 0.4]},
    ),
)


def practice_question(rng: random.Random) -> str:
    """Five styles: prose, PyTorch code, LaTeX by value, a list clipped per tensor, no 'clip' at all."""
    size = rng.randrange(2, 4)
    g = [rng.randrange(-9, 10) or 1 for _ in range(size)]
    style = rng.randrange(5)
    if style == 3:
        h = [rng.randrange(-9, 10) or 3 for _ in range(size)]
        c = (1.0, 2.0, 4.0)[rng.randrange(3)]
        return (
            f"Gradients:\n- layer a: {g}\n- layer b: {h}\nClip each gradient separately to a maximum L2 norm "
            f"of {c}. What are the clipped gradients?"
        )
    if style == 4:
        c = (1.0, 2.5, 5.0)[rng.randrange(3)]
        return (
            f"To prevent exploding gradients, the gradient g = {g} is rescaled so that its norm is at most "
            f"{c}. "
            "What is the rescaled gradient?"
        )
    if style == 0:
        c = (0.5, 1.0, 2.0, 5.0)[rng.randrange(4)]
        return (
            f"A gradient g = {g} is clipped to a maximum L2 norm of {c}. Compute its norm and the "
            f"clipped gradient."
        )
    if style == 1:
        h = [rng.randrange(-9, 10) or 2 for _ in range(rng.randrange(1, 3))]
        c = (1.0, 2.0, 5.0)[rng.randrange(3)]
        return (
            f"```python\ntorch.nn.utils.clip_grad_norm_(model.parameters(), max_norm={c})\n```\nThe model "
            f"has two "
            f"parameter tensors whose gradients are g1 = {g} and g2 = {h}. What total norm does the call "
            f"return, "
            "and what are the clipped gradients?"
        )
    c = (0.5, 1.0, 2.0)[rng.randrange(3)]
    return rf"Clip the gradient $g = {g}$ by value to $[-{c}, {c}]$. What is $g$ after clipping?"
