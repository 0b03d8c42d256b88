"""Dropout applied to an activation vector or a batch matrix: the output, the scaling factor, expectations.

a′ = a ⊙ m (plain masking, the original method scales by the keep probability at test time) or
a′ = a ⊙ m / keep (inverted dropout, nothing to do at test time). Mask 1 = keep. A bare `p` is the
drop probability (PyTorch, Keras); the original paper's p is the keep probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from solvers import dropout_parse as read
from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.compare import same_answer
from solvers.dropout_parse import Grid
from solvers.errors import ExamgraderError, InvalidQuestion, NotUnderstood
from solvers.numbers import format_number

NEEDS_ACTIVATIONS = ("output", "expected_value", "test_output")
NEEDS_MASK = ("output", "dropped_count", "kept_count", "dropped_fraction", "kept_fraction")


@dataclass(frozen=True)
class DropoutProblem:
    """What a dropout question gives and asks for."""

    activations: Grid | None  # rows; a vector is one row, a single value one row of one entry
    form: str  # "vector", "matrix" or "scalar"
    mask: Grid | None  # 0/1, 1 = keep
    drop: float | None  # the drop probability, when the question gives one
    stated_as: str  # how the probability was written: "drop", "keep", "bare" (a p) or ""
    inverted: bool
    convention_stated: bool  # the question said inverted or plain
    asked: tuple[str, ...]
    units: tuple[tuple[str, int], ...] = ()  # (part, 0-based unit) when one unit is asked about
    mask_note: str = ""  # how the mask was read, when not given as a list
    other_mask: Grid | None = None  # the mask under the other reading of how it was described
    other_mask_note: str = ""
    size: int | None = None  # units in the layer, when only their number is given ("100 neurons")
    p_written: str = ""  # the probability as the question wrote it

    @property
    def keep(self) -> float | None:
        return None if self.drop is None else round(1.0 - self.drop, 15)

    def asked_any(self, *parts: str) -> bool:
        return any(part in self.asked for part in parts)


@dataclass(frozen=True)
class Rule:
    """How a unit is treated: survivors' factor in training, the factor at test time, E[a′]/a."""

    train_scale: float | None
    test_scale: float | None
    expected_factor: float | None
    flip_mask: bool = False
    mask_at_test: bool = False


def rule(keep: float | None, inverted: bool) -> Rule:
    if inverted:
        return Rule(None if keep is None else 1.0 / keep, 1.0, 1.0)
    return Rule(1.0, keep, keep)


# ---------------------------------------------------------------- arithmetic


def _clean(x: float) -> float:
    return round(x, 12) + 0.0  # no -0.0, no 0.30000000000000004


def combine(a: Grid, m: Grid, factor: float) -> Grid:
    return tuple(
        tuple(_clean(x * k * factor) for x, k in zip(ra, rm, strict=True))
        for ra, rm in zip(a, m, strict=True)
    )


def scaled(a: Grid, factor: float) -> Grid:
    return tuple(tuple(_clean(x * factor) for x in row) for row in a)


def flipped(m: Grid) -> Grid:
    return tuple(tuple(1.0 - k for k in row) for row in m)


def as_answer(grid: Grid, form: str, unit: int | None = None) -> AnswerValue:
    if unit is not None:
        return grid[0][unit]
    if form == "scalar":
        return grid[0][0]
    if form == "matrix":
        return [list(row) for row in grid]
    return list(grid[0])


def evaluate(problem: DropoutProblem, how: Rule) -> dict[str, AnswerValue]:
    """Every part computable from the problem under `how` (right or mistaken)."""
    a, m = problem.activations, problem.mask
    units = dict(problem.units)
    if m is not None and how.flip_mask:
        m = flipped(m)
    out: dict[str, AnswerValue] = {}
    if a is not None and m is not None and how.train_scale is not None:
        out["output"] = as_answer(combine(a, m, how.train_scale), problem.form)
    factor = how.train_scale if problem.inverted else how.test_scale
    if factor is not None and problem.keep is not None:
        out["scale"] = _clean(factor)
    if how.test_scale is not None:
        out["test_scale"] = _clean(how.test_scale)
    if a is not None and how.expected_factor is not None:
        out["expected_value"] = as_answer(
            scaled(a, how.expected_factor), problem.form, units.get("expected_value")
        )
    if a is not None and how.test_scale is not None:
        base = combine(a, m, 1.0) if how.mask_at_test and m is not None else a
        out["test_output"] = as_answer(scaled(base, how.test_scale), problem.form, units.get("test_output"))
    counts = _counts(problem, m)
    if counts is not None:
        kept, total = counts
        out["dropped_count"] = _clean(total - kept)
        out["kept_count"] = _clean(kept)
        out["kept_fraction"] = _clean(kept / total)
        out["dropped_fraction"] = _clean((total - kept) / total)
    return out


def _counts(problem: DropoutProblem, mask: Grid | None) -> tuple[float, int] | None:
    """(kept units, all units): counted in the mask, or expected from the keep probability."""
    if mask is not None:
        flat = [k for row in mask for k in row]
        return sum(flat), len(flat)
    if problem.size is not None and problem.keep is not None:
        return problem.size * problem.keep, problem.size
    return None


# ---------------------------------------------------------------- parts

_PARTS = {
    "output": PartSpec(
        "output",
        "Output activations",
        ValueKind.VECTOR,
        (
            "a'",
            "a′",
            "h'",
            "output",
            "outputs",
            "activations",
            "output activations",
            "output vector",
            "masked activations",
            "activations after dropout",
            "result",
            "final activations",
        ),
    ),
    "scale": PartSpec(
        "scale",
        "Scaling factor",
        ValueKind.SCALAR,
        ("scale factor", "scaling", "scale", "factor", "1/keep", "1/(1-p)", "multiplier"),
    ),
    "test_scale": PartSpec(
        "test_scale",
        "Test-time factor",
        ValueKind.SCALAR,
        ("test factor", "test-time scale", "test time factor", "inference factor"),
    ),
    "expected_value": PartSpec(
        "expected_value",
        "Expected value",
        ValueKind.VECTOR,
        ("expectation", "expected output", "e[a']", "mean", "expected activation"),
    ),
    "test_output": PartSpec(
        "test_output",
        "Test-time output",
        ValueKind.VECTOR,
        (
            "test output",
            "test time output",
            "inference output",
            "output at test time",
            "eval output",
            "test-time activations",
        ),
    ),
    "dropped_count": PartSpec(
        "dropped_count",
        "Dropped units",
        ValueKind.SCALAR,
        ("dropped", "number dropped", "units dropped", "zeroed units"),
    ),
    "kept_count": PartSpec(
        "kept_count",
        "Kept units",
        ValueKind.SCALAR,
        ("kept", "number kept", "units kept", "surviving units", "active units"),
    ),
    "kept_fraction": PartSpec(
        "kept_fraction",
        "Fraction kept",
        ValueKind.FRACTION,
        ("kept fraction", "fraction of units kept", "keep fraction", "survival rate"),
    ),
    "dropped_fraction": PartSpec(
        "dropped_fraction",
        "Fraction dropped",
        ValueKind.FRACTION,
        ("dropped fraction", "fraction of units dropped", "drop fraction"),
    ),
}


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    spec = _PARTS[name]
    if spec.kind is ValueKind.VECTOR and not isinstance(value, list):
        return replace(spec, kind=ValueKind.SCALAR)
    return spec


# ---------------------------------------------------------------- reading


# the mask, how it was read, the mask under another reading of the question, that reading
MaskReading = tuple[Grid | None, str, Grid | None, str]


def _mask(
    text: str, found: read.Candidate | None, activations: Grid | None, form: str, drop: float | None
) -> MaskReading:
    """The mask from a 0/1 list, from random draws or from units named in words."""
    if found is not None and found.draws and not read.is_binary(found.grid):
        return _mask_from_draws(text, found.grid, drop)
    if found is not None:
        bad = next((x for row in found.grid for x in row if x not in (0.0, 1.0)), None)
        if bad is not None:
            raise InvalidQuestion(
                f"a dropout mask holds only 0 (dropped) and 1 (kept); this one contains {_f(bad)}"
            )
        return found.grid, "", None, ""
    named = read.positions(text)
    if named is None:
        return None, "", None, ""
    if activations is None or form != "vector":
        raise NotUnderstood("units are named by position, but no activation vector is given to apply them to")
    return _mask_from_positions(named, len(activations[0]))


def _mask_from_draws(text: str, draws: Grid, drop: float | None) -> MaskReading:
    if drop is None:
        raise NotUnderstood("random draws are given but no dropout probability to compare them with")
    stated = read.draws_rule(text)
    chosen = stated or "keep_below"
    note = (
        f"A unit is kept when its random draw is below the keep probability {_f(1 - drop)} "
        "(d = rand < keep_prob)."
        if chosen == "keep_below"
        else f"A unit is dropped when its random draw is below the drop probability {_f(drop)}."
    )
    other = None if stated else read.mask_from_draws(draws, drop, "drop_below")
    reading = f"dropping a unit when its draw is below the drop probability {_f(drop)}"
    return read.mask_from_draws(draws, drop, chosen), note, other, reading


def _mask_from_positions(named: read.Positions, size: int) -> MaskReading:
    mask = read.mask_from_positions(named, size, named.zero_based)
    note = f"Unit positions are counted from {0 if named.zero_based else 1}."
    if named.base_stated:
        return (mask,), note, None, ""
    try:
        other = read.mask_from_positions(named, size, zero_based=True)
    except InvalidQuestion:
        return (mask,), note, None, ""
    return (mask,), note, (other,), "counting unit positions from 0"


def _activations(text: str, found: read.Candidate | None) -> tuple[Grid | None, str]:
    if found is not None:
        return found.grid, "matrix" if found.is_matrix else "vector"
    value = read.scalar_activation(text)
    return (None, "vector") if value is None else (((value,),), "scalar")


def _units(problem: DropoutProblem, named: dict[str, int]) -> tuple[tuple[str, int], ...]:
    if problem.activations is None or problem.form != "vector":
        return ()
    size = len(problem.activations[0])
    out: list[tuple[str, int]] = []
    for part, position in named.items():
        index = size - 1 if position == -1 else position - 1
        if not 0 <= index < size:
            raise InvalidQuestion(f"unit {position} is asked about, but there are only {size} units")
        out.append((part, index))
    return tuple(out)


def _check(problem: DropoutProblem) -> None:
    """Refuse when an asked part cannot be computed from what the question gives."""
    asked = set(problem.asked)
    if asked & set(NEEDS_ACTIVATIONS) and problem.activations is None:
        raise NotUnderstood("the activations are missing: give them as a list, e.g. a = [2.0, 5.0, 7.12]")
    counted = problem.size is not None and problem.keep is not None
    if asked & set(NEEDS_MASK) and problem.mask is None and ("output" in asked or not counted):
        raise NotUnderstood(
            "the dropout mask is missing: the output depends on which units are dropped. Give the mask "
            '(e.g. m = [1, 0, 1, 1], 1 = keep) or name the dropped units ("units 2 and 3 are dropped")'
        )
    if problem.mask is not None and problem.activations is not None:
        a_shape = [len(row) for row in problem.activations]
        m_shape = [len(row) for row in problem.mask]
        if a_shape != m_shape:
            raise InvalidQuestion(
                f"the mask has {_shape(problem.mask)} entries but the activations have "
                f"{_shape(problem.activations)}; dropout multiplies them entry by entry, so they must match"
            )
    if problem.keep is not None:
        return
    if problem.inverted and asked & {"output", "scale"}:
        raise NotUnderstood(
            "inverted dropout divides the kept units by the keep probability, but the question "
            "gives no probability (e.g. p = 0.5 or keep_prob = 0.8)"
        )
    if not problem.inverted and asked & {"expected_value", "test_output", "scale", "test_scale"}:
        raise NotUnderstood(
            "this needs the keep probability (the original method multiplies by it at test time), "
            "but the question gives no probability (e.g. p = 0.5 or keep_prob = 0.8)"
        )


def _shape(grid: Grid) -> str:
    return f"{len(grid)}×{len(grid[0])}" if len(grid) > 1 else str(len(grid[0]))


# ---------------------------------------------------------------- steps


def _f(x: float) -> str:
    return format_number(x, 4)


def _latex(grid: Grid, form: str) -> str:
    if form == "scalar":
        return _f(grid[0][0])
    if form == "matrix":
        return (
            r"\begin{bmatrix} "
            + r" \\ ".join(" & ".join(_f(x) for x in row) for row in grid)
            + r" \end{bmatrix}"
        )
    return r"\left[" + r",\ ".join(_f(x) for x in grid[0]) + r"\right]"


def _products(a: Grid, m: Grid, form: str, divisor: float | None) -> str:
    def one(x: float, k: float) -> str:
        product = f"{_f(x)} \\times {_f(k)}"
        return product if divisor is None else rf"\tfrac{{{product}}}{{{_f(divisor)}}}"

    rows = [[one(x, k) for x, k in zip(ra, rm, strict=True)] for ra, rm in zip(a, m, strict=True)]
    if form == "matrix":
        return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{bmatrix}"
    return r"\left[" + r",\ ".join(rows[0]) + r"\right]"


def _probability_text(problem: DropoutProblem) -> str:
    if problem.drop is None:
        return "No dropout probability is given."
    read_from = f"From “{problem.p_written}”: d" if problem.p_written else "D"
    return (
        f"{read_from}rop probability p = {_f(problem.drop)}, keep probability 1 − p = {_f(1 - problem.drop)}."
    )


def steps(problem: DropoutProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    a, m, form, keep = problem.activations, problem.mask, problem.form, problem.keep
    data = []
    if a is not None:
        data.append(f"a = {_latex(a, form)}")
    if m is not None:
        data.append(f"m = {_latex(m, form)}")
    if problem.size is not None:
        data.append(f"n = {problem.size}")
    mask_words = "Mask entries are 1 for a kept unit and 0 for a dropped one. " if m is not None else ""
    out = [Step("Read the data", mask_words + _probability_text(problem), r",\quad ".join(data))]
    if "output" in problem.asked and a is not None and m is not None:
        divisor = keep if problem.inverted else None
        if divisor is None:
            out.append(
                Step("Apply the mask", "Multiply each activation by its mask entry.", r"a' = a \odot m")
            )
        else:
            out.append(
                Step(
                    "Apply the mask and rescale",
                    "Inverted dropout multiplies each activation by its mask entry and divides the "
                    "survivors by the keep probability.",
                    rf"a' = \frac{{a \odot m}}{{1 - p}} = \frac{{a \odot m}}{{{_f(divisor)}}}",
                )
            )
        out.append(
            Step("Element by element", "Write out each product.", f"a' = {_products(a, m, form, divisor)}")
        )
        result = combine(a, m, 1.0 / divisor if divisor else 1.0)
        out.append(Step("Result", "The output activations.", f"a' = {_latex(result, form)}"))
    if "scale" in answer and keep is not None:
        if problem.inverted:
            out.append(
                Step(
                    "Scaling factor",
                    "Survivors are divided by the keep probability during training.",
                    rf"s = \frac{{1}}{{1 - p}} = \frac{{1}}{{{_f(keep)}}} = {_f(1 / keep)}",
                )
            )
        else:
            out.append(
                Step(
                    "Scaling factor",
                    "The original method keeps training outputs as they are and "
                    "multiplies by the keep probability at test time.",
                    rf"s = 1 - p = {_f(keep)}",
                )
            )
    if "expected_value" in problem.asked and a is not None:
        out.append(_expected_step(problem, answer["expected_value"]))
    if problem.asked_any("test_output", "test_scale"):
        out.append(_test_step(problem, answer.get("test_output")))
    if problem.asked_any("dropped_count", "kept_count", "kept_fraction", "dropped_fraction"):
        out.append(_count_step(problem))
    return out


def _count_step(problem: DropoutProblem) -> Step:
    counts = _counts(problem, problem.mask)
    kept, total = counts if counts is not None else (0.0, 1)
    if problem.mask is not None:
        return Step(
            "Count the units",
            "Count the zeros (dropped) and ones (kept) of the mask.",
            rf"\#\{{m_i = 0\}} = {_f(total - kept)},\quad \#\{{m_i = 1\}} = {_f(kept)},\quad "
            rf"\tfrac{{{_f(kept)}}}{{{total}}} = {_f(kept / total)}",
        )
    return Step(
        "Expected counts",
        "Each unit is kept independently with probability 1 − p, so on average (1 − p)·n units are kept.",
        rf"E[\#\text{{kept}}] = (1-p)\,n = {_f(kept / total)} \times {total} = "
        rf"{_f(kept)},\quad E[\#\text{{dropped}}] = p\,n = {_f(total - kept)}",
    )


def _value_latex(value: AnswerValue) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return (
                r"\begin{bmatrix} "
                + r" \\ ".join(" & ".join(_f(x) for x in r) for r in value)
                + r" \end{bmatrix}"
            )
        return r"\left[" + r",\ ".join(_f(x) for x in value) + r"\right]"
    return _f(value) if isinstance(value, float) else str(value)


def _expected_step(problem: DropoutProblem, value: AnswerValue) -> Step:
    if problem.inverted:
        return Step(
            "Expected value",
            "A unit survives with probability 1 − p and is then divided by 1 − p, "
            "so its expected training output equals its activation.",
            rf"E[a'_i] = (1-p)\cdot\frac{{a_i}}{{1-p}} + p \cdot 0 = a_i = {_value_latex(value)}",
        )
    return Step(
        "Expected value",
        "A unit survives with probability 1 − p and is left unscaled.",
        rf"E[a'_i] = (1-p)\,a_i = {_f(problem.keep or 0.0)}\,a_i = {_value_latex(value)}",
    )


def _test_step(problem: DropoutProblem, value: AnswerValue) -> Step:
    shown = "" if value is None else f" = {_value_latex(value)}"
    if problem.inverted:
        return Step(
            "Test time",
            "Inverted dropout already rescaled during training: at test time no unit is "
            "dropped and nothing is scaled.",
            rf"a_{{\text{{test}}}} = a{shown}",
        )
    return Step(
        "Test time",
        "No unit is dropped at test time; the original method multiplies by the keep "
        "probability so each unit's output matches its training expectation.",
        rf"a_{{\text{{test}}}} = (1-p)\,a = {_f(problem.keep or 0.0)}\,a{shown}",
    )


def conventions(problem: DropoutProblem) -> list[str]:
    out = ["Mask entries are 1 for a kept unit and 0 for a dropped one."]
    if problem.drop is not None and problem.stated_as == "bare":
        out.append(
            f"p = {_f(problem.drop)} is read as the drop probability, as in PyTorch and Keras (keep "
            f"probability {_f(1 - problem.drop)}); the original dropout paper (Srivastava et al., 2014) "
            "uses p for the keep probability, and that reading is accepted where it changes the answer."
        )
    if problem.inverted:
        out.append(
            "Inverted dropout: kept units are divided by the keep probability during training, so the "
            "layer is used unchanged at test time."
        )
    elif problem.convention_stated:
        out.append(
            "Plain dropout, as the question asks: the mask is applied without rescaling; the original "
            "method multiplies by the keep probability at test time instead."
        )
    else:
        accepted = (
            " Scaling the kept units by 1/(1 − p) (inverted dropout, as PyTorch and Keras do) is "
            "accepted too."
            if problem.keep is not None
            else ""
        )
        out.append(
            "The question does not ask for rescaling, so the mask is applied as it is (a′ = a ⊙ m), as "
            "in the original dropout, which scales by the keep probability at test time instead." + accepted
        )
    if problem.mask_note:
        out.append(problem.mask_note)
    return out


# ---------------------------------------------------------------- variants

TRAINING_PARTS = frozenset({"output", "scale", "expected_value"})
TEST_PARTS = frozenset({"test_output", "test_scale"})
MASK_PARTS = frozenset({"output", "dropped_count", "kept_count", "kept_fraction", "dropped_fraction"})


@dataclass(frozen=True)
class Mistake:
    """A known mistake or another accepted reading: the problem and rule it amounts to, what it touches."""

    code: str
    feedback: str
    problem: DropoutProblem
    rule: Rule
    accepted: bool = False
    parts: frozenset[str] | None = None  # None: every part


def mistakes(problem: DropoutProblem) -> list[Mistake]:
    """Every known mistake or other reading that applies to `problem`."""
    keep, drop, inverted = problem.keep, problem.drop, problem.inverted
    right = rule(keep, inverted)
    out: list[Mistake] = []
    if problem.mask is not None:
        out.append(
            Mistake(
                "mask_inverted",
                "You kept the dropped units and zeroed the kept ones: a mask entry "
                "of 1 means keep, so a′ = a ⊙ m, not a ⊙ (1 − m).",
                problem,
                replace(right, flip_mask=True),
                parts=MASK_PARTS,
            )
        )
    if inverted:
        out.append(
            Mistake(
                "scaling_missing",
                "Inverted dropout also divides the kept units by the keep "
                "probability 1 − p during training; the mask alone is not enough.",
                problem,
                Rule(1.0, 1.0, keep),
                parts=TRAINING_PARTS,
            )
        )
    elif keep is not None:
        accepted = not problem.convention_stated
        out.append(
            Mistake(
                "scaling_not_asked",
                "You divided the kept units by the keep probability (inverted "
                "dropout); "
                + (
                    "that convention is also common and is accepted."
                    if accepted
                    else "the question asks for plain masking, a′ = a ⊙ m, with no rescaling."
                ),
                problem,
                rule(keep, True),
                accepted,
                None if accepted else TRAINING_PARTS,
            )
        )
    if keep is not None and keep != 1.0:
        out.append(
            Mistake(
                "scaled_by_keep",
                "You multiplied by the keep probability during training: that is "
                "the test-time rule of the original method. Inverted dropout divides the survivors by "
                "1 − p; plain dropout leaves them unscaled.",
                problem,
                Rule(keep, 1.0 if inverted else keep, keep * keep),
                parts=TRAINING_PARTS,
            )
        )
    if drop is not None and drop > 0.0:
        swapped = replace(problem, drop=1.0 - drop)
        if problem.stated_as == "bare":
            out.append(
                Mistake(
                    "p_read_as_keep",
                    "You read p as the keep probability, as the original dropout "
                    "paper (Srivastava et al., 2014) does; PyTorch and Keras use p for the drop "
                    "probability. Both readings are accepted.",
                    swapped,
                    rule(drop, inverted),
                    True,
                )
            )
        else:
            out.append(
                Mistake(
                    "drop_keep_confused",
                    "You swapped the drop and keep probabilities: the keep "
                    f"probability is 1 − (drop probability) = {_f(1 - drop)}.",
                    swapped,
                    rule(drop, inverted),
                )
            )
    out.append(
        Mistake(
            "test_time_mask_applied",
            "At test time no unit is dropped: the mask is used only in training.",
            problem,
            replace(right, mask_at_test=True),
            parts=TEST_PARTS,
        )
    )
    out.append(
        Mistake(
            "test_time_scaling_wrong",
            "Inverted dropout needs no scaling at test time (it already rescaled during training)."
            if inverted
            else "The original method multiplies by the keep "
            "probability at test time, so the outputs match their training expectation.",
            problem,
            replace(right, test_scale=keep if inverted else 1.0),
            parts=TEST_PARTS,
        )
    )
    if problem.other_mask is not None:
        out.append(
            Mistake(
                "mask_other_reading",
                f"You built the mask by {problem.other_mask_note}; the question "
                "does not say which convention it uses, so this reading is accepted.",
                replace(problem, mask=problem.other_mask),
                right,
                True,
            )
        )
    return out


# ---------------------------------------------------------------- the solver


class DropoutSolver(Solver[DropoutProblem]):
    kind = "dropout"
    title = "Dropout on an activation vector"
    topic = "regularization"

    def detect(self, text: str) -> float:
        if not _DROPOUT_WORD.search(text):
            return 0.0
        try:
            act, mask = read.pick_pair(read.candidates(text))
            has_mask = mask is not None or read.positions(text) is not None
            has_act = act is not None or read.scalar_activation(text) is not None
            asked, _ = read.asked_parts(text)
        except ExamgraderError:
            return 0.3
        try:
            has_p = read.probability(text) is not None
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
        act, mask_found = read.pick_pair(read.candidates(text))
        found_p = read.probability(text)
        drop = None if found_p is None else found_p.drop
        activations, form = _activations(text, act)
        mask, note, other, other_note = _mask(text, mask_found, activations, form, drop)
        asked, named_units = read.asked_parts(text)
        if not asked:
            if mask is None:
                raise NotUnderstood(
                    "say what to compute: the output after dropout (give the mask), the scaling factor, the "
                    "expected value or the test-time output",
                    [e.question for e in self.examples()[:2]],
                )
            asked = ["output"]
        stated = read.convention(text)
        problem = DropoutProblem(
            activations=activations,
            form=form,
            mask=mask,
            drop=drop,
            stated_as="" if found_p is None else found_p.stated_as,
            inverted=bool(stated),
            convention_stated=stated is not None,
            asked=tuple(asked),
            mask_note=note,
            other_mask=other,
            other_mask_note=other_note,
            size=None if mask is not None or activations is not None else read.unit_count(text),
            p_written="" if found_p is None else found_p.text,
        )
        _check(problem)
        return replace(problem, units=_units(problem, named_units))

    def solve(self, problem: DropoutProblem) -> Solution:
        answer = evaluate(problem, rule(problem.keep, problem.inverted))
        keep_extra = {"scale"} if problem.inverted else set()
        answer = {k: v for k, v in answer.items() if k in problem.asked or k in keep_extra}
        given = {
            "activations": None
            if problem.activations is None
            else as_answer(problem.activations, problem.form),
            "mask": None if problem.mask is None else as_answer(problem.mask, problem.form),
            "drop_probability": None if problem.drop is None else _clean(problem.drop),
            "keep_probability": None if problem.keep is None else _clean(problem.keep),
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
        )

    def variants(self, problem: DropoutProblem) -> list[Variant]:
        right = self.solve(problem)
        out: list[Variant] = []
        for mistake in mistakes(problem):
            values = evaluate(mistake.problem, mistake.rule)
            answer = {
                k: values[k]
                for k in right.answer
                if k in values and (mistake.parts is None or k in mistake.parts)
            }
            if any(not same_answer(right.parts[k], right.answer[k], v) for k, v in answer.items()):
                out.append(Variant(mistake.code, mistake.feedback, answer, mistake.accepted))
        return out

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES


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
