"""Gradient clipping: by norm (each tensor), by global norm across tensors (PyTorch's clip_grad_norm_),
and by value (clip_grad_value_), with the optional SGD step that follows.

PyTorch's rule is followed and stated: scale = min(1, c / (‖g‖ + 1e-6)), one factor for all tensors
in global mode. Reading lives in `solvers.clipping_parse`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.clipping_parse import ClipProblem, Mode, Tensor, is_clipping, read_problem
from solvers.compare import same_answer
from solvers.errors import ExamgraderError
from solvers.extract import find_arrays
from solvers.numbers import find_numbers, format_number
from solvers.optimizer_text import prepare

__all__ = ["ClipProblem", "ClippingSolver"]


@dataclass(frozen=True)
class Rules:
    mode: Mode
    norm_type: float = 2.0
    eps: float = 1e-6
    clamp: bool = True  # the factor never exceeds 1 (False: every gradient rescaled to norm c)
    squared: bool = False  # the squared norm used as the norm
    inverted: bool = False  # multiplied by ‖g‖/c instead of c/‖g‖


def tidy(x: float) -> float:
    return float(f"{x:.12g}")


def norm(values: tuple[float, ...], rules: Rules) -> float:
    if rules.norm_type == math.inf:
        return max((abs(x) for x in values), default=0.0)
    if rules.norm_type == 1:
        return sum(abs(x) for x in values)
    squares = float(sum(abs(x) ** rules.norm_type for x in values))
    return squares if rules.squared else float(squares ** (1 / rules.norm_type))


def factor(total: float, c: float, rules: Rules) -> float:
    if rules.inverted:
        return total / c if total > c else 1.0
    coefficient = c / (total + rules.eps)
    return min(coefficient, 1.0) if rules.clamp else c / total if total else 1.0


def shaped(t: Tensor, values: tuple[float, ...]) -> AnswerValue:
    if not t.shape:
        return tidy(values[0])
    if len(t.shape) == 2:
        rows, cols = t.shape
        return [[tidy(values[r * cols + k]) for k in range(cols)] for r in range(rows)]
    return [tidy(x) for x in values]


def evaluate(problem: ClipProblem, rules: Rules) -> dict[str, AnswerValue]:
    c, several = problem.threshold, len(problem.tensors) > 1
    out: dict[str, AnswerValue] = {}

    def key(name: str, t: Tensor) -> str:
        return f"{name}_{t.name}" if several else name

    clipped: dict[str, tuple[float, ...]] = {}
    if rules.mode is Mode.VALUE:
        for t in problem.tensors:
            clipped[t.name] = tuple(max(-c, min(c, x)) for x in t.values)
    elif rules.mode is Mode.GLOBAL:
        norms = [norm(t.values, replace(rules, squared=False)) for t in problem.tensors]
        total = norm(tuple(norms), rules)
        scale = factor(total, c, rules)
        out["global_norm"], out["scale"] = tidy(total), tidy(scale)
        for t in problem.tensors:
            clipped[t.name] = tuple(scale * x for x in t.values)
    else:
        for t in problem.tensors:
            own = norm(t.values, rules)
            scale = factor(own, c, rules)
            out[key("norm", t)], out[key("scale", t)] = tidy(own), tidy(scale)
            clipped[t.name] = tuple(scale * x for x in t.values)
    for t in problem.tensors:
        out[key("clipped", t)] = shaped(t, clipped[t.name])
        if rules.mode is not Mode.VALUE:
            out[key("clipped_norm", t)] = tidy(norm(clipped[t.name], replace(rules, squared=False)))
    if problem.weights is not None and problem.lr is not None and not several:
        t = problem.tensors[0]
        out["w"] = shaped(
            t, tuple(w - problem.lr * g for w, g in zip(problem.weights, clipped[t.name], strict=True))
        )
    return out


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


def _num(x: float) -> str:
    return format_number(x, 6)


def _vec(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(_num(x) for x in values) + "]" if len(values) != 1 else _num(values[0])


def steps(problem: ClipProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    c = _num(problem.threshold)
    listed = "; ".join(f"g_{t.name} = {_vec(t.values)}" for t in problem.tensors)
    out = [Step("Read the data", f"Given: {listed}; threshold {c}; mode: {problem.mode.value}.", "")]
    p = {2.0: "2", 1.0: "1", math.inf: r"\infty"}.get(problem.norm_type) or _num(problem.norm_type)
    several = len(problem.tensors) > 1
    if problem.mode is Mode.VALUE:
        for t in problem.tensors:
            name = f"clipped_{t.name}" if several else "clipped"
            out.append(
                Step(
                    f"Clamp g_{t.name}",
                    f"Every entry is clamped to [−{c}, {c}]; the direction may change.",
                    rf"\mathrm{{clip}}(g, -{c}, {c}) = {_vec(tuple(_flat(answer[name])))}",
                )
            )
        return out
    if problem.mode is Mode.GLOBAL:
        squares = " + ".join(rf"\|g_{{{t.name}}}\|_{p}^{p}" for t in problem.tensors)
        total, scale = answer["global_norm"], answer["scale"]
        out.append(
            Step(
                "Global norm",
                "One norm over all tensors together, as clip_grad_norm_ computes it.",
                rf"\|g\| = \left({squares}\right)^{{1/{p}}} = {_num(float(total))}",  # type: ignore[arg-type]
            )
        )
        out.append(_scale_step("every tensor", float(total), float(scale), c))  # type: ignore[arg-type]
        return out
    for t in problem.tensors:
        suffix = f"_{t.name}" if several else ""
        own, scale = float(answer[f"norm{suffix}"]), float(answer[f"scale{suffix}"])  # type: ignore[arg-type]
        entries = " + ".join(f"{_num(x)}^2" if x >= 0 else f"({_num(x)})^2" for x in t.values)
        latex = (
            rf"\|g_{{{t.name}}}\|_{p} = \sqrt{{{entries}}} = {_num(own)}"
            if p == "2"
            else (
                rf"\|g\|_{p} "
                rf"= "
                rf"{_num(own)}"
            )
        )
        out.append(Step(f"Norm of g_{t.name}", "The norm of the gradient vector.", latex))
        out.append(_scale_step(f"g_{t.name}", own, scale, c))
    return out


def _flat(value: AnswerValue) -> list[float]:
    if isinstance(value, list):
        return [float(x) for row in value for x in (row if isinstance(row, list) else [row])]
    return [float(value)] if isinstance(value, int | float) else []


def _scale_step(what: str, total: float, scale: float, c: str) -> Step:
    if scale >= 1.0:
        text = f"The norm {_num(total)} is within {c}, so {what} is left unchanged."
    else:
        text = f"The norm {_num(total)} exceeds {c}: {what} is multiplied by c/(‖g‖ + 1e-6) = {_num(scale)}."
    return Step(
        "Clipping factor",
        text,
        (
            rf"s = \min\left(1, \frac{{{c}}}{{{_num(total)} + 10^{{-6}}}}\right) = {_num(scale)},\quad g "
            rf"\leftarrow s\,g"
        ),
    )


def conventions(problem: ClipProblem) -> list[str]:
    notes = []
    if problem.mode is Mode.VALUE:
        notes.append(

                f"Clipping by value (clip_grad_value_): each entry is clamped to [−c, c] with c = "
                f"{_num(problem.threshold)}."

        )
    else:
        notes.append(
            "PyTorch's rule: scale = min(1, c / (‖g‖ + 1e-6)); a gradient already within the threshold is "
            "left "
            "unchanged, and the 1e-6 (which guards against division by zero) is negligible here."
        )
    if problem.mode is Mode.GLOBAL:
        stated = (
            ""
            if problem.mode_stated
            else (" The question does not say per tensor, so the usual global clipping is used.")
        )
        notes.append("Global norm (clip_grad_norm_): one norm over all tensors, one common factor." + stated)
    if problem.mode is Mode.NORM and len(problem.tensors) > 1:
        notes.append("Each tensor is clipped by its own norm, as the question asks.")
    if problem.norm_type != 2:
        notes.append(

                f"The norm is the L{'∞' if problem.norm_type == math.inf else _num(problem.norm_type)} "
                f"norm, as given."

        )
    return notes


_MISTAKES: tuple[tuple[str, str], ...] = (
    (
        "per_tensor_instead_of_global",
        (
            "Each tensor was clipped by its own norm; clip_grad_norm_ uses one "
            "global norm over all tensors and one common factor."
        ),
    ),
    (
        "global_instead_of_per_tensor",
        ("All tensors were clipped with one global factor; the question clips each tensor by its own norm."),
    ),
    (
        "value_instead_of_norm",
        (
            "The entries were clamped one by one (clipping by value); clipping by norm "
            "rescales the whole vector and keeps its direction."
        ),
    ),
    (
        "norm_instead_of_value",
        ("The vector was rescaled by its norm; clipping by value clamps each entry to [−c, c]."),
    ),
    (
        "always_rescaled",
        (
            "The gradient was rescaled to norm c even though it was already within the "
            "threshold; clipping only ever shrinks."
        ),
    ),
    ("l1_norm_used", "The L1 norm (sum of absolute values) was used; clipping by norm uses the L2 norm."),
    ("squared_norm_used", "The squared norm was used; the norm is the square root of the sum of squares."),
    (
        "scale_inverted",
        ("The gradient was multiplied by ‖g‖/c; it is multiplied by c/‖g‖ to bring its norm down to c."),
    ),
)


def _mistake_rules(problem: ClipProblem, rules: Rules) -> dict[str, Rules]:
    several = len(problem.tensors) > 1
    found: dict[str, Rules] = {}
    if rules.mode is Mode.GLOBAL:
        found["per_tensor_instead_of_global"] = replace(rules, mode=Mode.NORM)
    if rules.mode is Mode.NORM and several:
        found["global_instead_of_per_tensor"] = replace(rules, mode=Mode.GLOBAL)
    if rules.mode is Mode.VALUE:
        found["norm_instead_of_value"] = replace(rules, mode=Mode.GLOBAL if several else Mode.NORM)
        return found
    found["value_instead_of_norm"] = replace(rules, mode=Mode.VALUE)
    found["always_rescaled"] = replace(rules, clamp=False)
    if rules.norm_type == 2:
        found["l1_norm_used"] = replace(rules, norm_type=1.0)
        found["squared_norm_used"] = replace(rules, squared=True)
    found["scale_inverted"] = replace(rules, inverted=True)
    return found


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
        return 0.9 if has_vector else 0.6

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
        feedback = dict(_MISTAKES)
        found: list[Variant] = []
        seen: list[dict[str, AnswerValue]] = []
        for code, rules in _mistake_rules(problem, self.rules(problem)).items():
            wrong = evaluate(problem, rules)
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
    size = rng.randrange(2, 4)
    g = [rng.randrange(-9, 10) or 1 for _ in range(size)]
    style = rng.randrange(3)
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
