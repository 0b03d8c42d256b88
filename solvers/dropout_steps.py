"""The worked steps of a dropout solution, and the conventions it states."""

from __future__ import annotations

from solvers.base import AnswerValue, Step
from solvers.dropout_compute import as_answer, combine, counts
from solvers.dropout_problem import COUNT_PARTS, DropoutProblem, Grid
from solvers.numbers import format_number


def _bracketed(rows: list[list[str]], matrix: bool) -> str:
    if matrix:
        return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(row) for row in rows) + r" \end{bmatrix}"
    return r"\left[" + r",\ ".join(rows[0]) + r"\right]"


def _value_latex(value: AnswerValue) -> str:
    if isinstance(value, list):
        matrix = bool(value) and isinstance(value[0], list)
        rows = value if matrix else [value]
        return _bracketed([[format_number(x) for x in row] for row in rows], matrix)
    return format_number(value) if isinstance(value, float) else str(value)


def _grid_latex(grid: Grid, form: str) -> str:
    return _value_latex(as_answer(grid, form))


def _products(a: Grid, m: Grid, form: str, divisor: float | None) -> str:
    def one(x: float, k: float) -> str:
        product = f"{format_number(x)} \\times {format_number(k)}"
        return product if divisor is None else rf"\tfrac{{{product}}}{{{format_number(divisor)}}}"

    rows = [[one(x, k) for x, k in zip(ra, rm, strict=True)] for ra, rm in zip(a, m, strict=True)]
    return _bracketed(rows, form == "matrix")


def _probability_text(problem: DropoutProblem) -> str:
    if problem.drop is None:
        return "No dropout probability is given."
    read_from = f"From “{problem.p_written}”: d" if problem.p_written else "D"
    return (
        f"{read_from}rop probability p = {format_number(problem.drop)}, "
        f"keep probability 1 − p = {format_number(1 - problem.drop)}."
    )


def _data_step(problem: DropoutProblem) -> Step:
    data = []
    if problem.activations is not None:
        data.append(f"a = {_grid_latex(problem.activations, problem.form)}")
    if problem.mask is not None:
        data.append(f"m = {_grid_latex(problem.mask, problem.form)}")
    if problem.size is not None:
        data.append(f"n = {problem.size}")
    mask_words = (
        "Mask entries are 1 for a kept unit and 0 for a dropped one. " if problem.mask is not None else ""
    )
    return Step("Read the data", mask_words + _probability_text(problem), r",\quad ".join(data))


def _output_steps(problem: DropoutProblem, a: Grid, m: Grid) -> list[Step]:
    divisor = problem.keep if problem.inverted else None
    if divisor is None:
        apply = Step("Apply the mask", "Multiply each activation by its mask entry.", r"a' = a \odot m")
    else:
        apply = Step(
            "Apply the mask and rescale",
            "Inverted dropout multiplies each activation by its mask entry and divides the "
            "survivors by the keep probability.",
            rf"a' = \frac{{a \odot m}}{{1 - p}} = \frac{{a \odot m}}{{{format_number(divisor)}}}",
        )
    result = combine(a, m, 1.0 / divisor if divisor else 1.0)
    return [
        apply,
        Step(
            "Element by element",
            "Write out each product.",
            f"a' = {_products(a, m, problem.form, divisor)}",
        ),
        Step("Result", "The output activations.", f"a' = {_grid_latex(result, problem.form)}"),
    ]


def _scale_step(problem: DropoutProblem, keep: float) -> Step:
    if problem.inverted:
        return Step(
            "Scaling factor",
            "Survivors are divided by the keep probability during training.",
            rf"s = \frac{{1}}{{1 - p}} = \frac{{1}}{{{format_number(keep)}}} = {format_number(1 / keep)}",
        )
    return Step(
        "Scaling factor",
        "The original method keeps training outputs as they are and "
        "multiplies by the keep probability at test time.",
        rf"s = 1 - p = {format_number(keep)}",
    )


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
        rf"E[a'_i] = (1-p)\,a_i = {format_number(problem.keep or 0.0)}\,a_i = {_value_latex(value)}",
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
        rf"a_{{\text{{test}}}} = (1-p)\,a = {format_number(problem.keep or 0.0)}\,a{shown}",
    )


def _count_step(problem: DropoutProblem) -> Step:
    counted = counts(problem, problem.mask)
    kept, total = counted if counted is not None else (0.0, 1)
    dropped, fraction = format_number(total - kept), format_number(kept / total)
    if problem.mask is not None:
        return Step(
            "Count the units",
            "Count the zeros (dropped) and ones (kept) of the mask.",
            rf"\#\{{m_i = 0\}} = {dropped},\quad \#\{{m_i = 1\}} = {format_number(kept)},\quad "
            rf"\tfrac{{{format_number(kept)}}}{{{total}}} = {fraction}",
        )
    return Step(
        "Expected counts",
        "Each unit is kept independently with probability 1 − p, so on average (1 − p)·n units are kept.",
        rf"E[\#\text{{kept}}] = (1-p)\,n = {fraction} \times {total} = "
        rf"{format_number(kept)},\quad E[\#\text{{dropped}}] = p\,n = {dropped}",
    )


def steps(problem: DropoutProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    a, m = problem.activations, problem.mask
    out = [_data_step(problem)]
    if "output" in problem.asked and a is not None and m is not None:
        out.extend(_output_steps(problem, a, m))
    if "scale" in answer and problem.keep is not None:
        out.append(_scale_step(problem, problem.keep))
    if "expected_value" in problem.asked and a is not None:
        out.append(_expected_step(problem, answer["expected_value"]))
    if problem.asked_any("test_output", "test_scale"):
        out.append(_test_step(problem, answer.get("test_output")))
    if problem.asked_any(*COUNT_PARTS):
        out.append(_count_step(problem))
    return out


def _method_convention(problem: DropoutProblem) -> str:
    if problem.inverted:
        return (
            "Inverted dropout: kept units are divided by the keep probability during training, so the "
            "layer is used unchanged at test time."
        )
    if problem.convention_stated:
        return (
            "Plain dropout, as the question asks: the mask is applied without rescaling; the original "
            "method multiplies by the keep probability at test time instead."
        )
    accepted = (
        " Scaling the kept units by 1/(1 − p) (inverted dropout, as PyTorch and Keras do) is accepted too."
        if problem.keep is not None
        else ""
    )
    return (
        "The question does not ask for rescaling, so the mask is applied as it is (a′ = a ⊙ m), as "
        "in the original dropout, which scales by the keep probability at test time instead." + accepted
    )


def conventions(problem: DropoutProblem) -> list[str]:
    out = ["Mask entries are 1 for a kept unit and 0 for a dropped one."]
    if problem.drop is not None and problem.stated_as == "bare":
        out.append(
            f"p = {format_number(problem.drop)} is read as the drop probability, as in PyTorch and Keras "
            f"(keep probability {format_number(1 - problem.drop)}); the original dropout paper "
            "(Srivastava et al., 2014) uses p for the keep probability, and that reading is accepted "
            "where it changes the answer."
        )
    out.append(_method_convention(problem))
    if problem.mask_note:
        out.append(problem.mask_note)
    return out
