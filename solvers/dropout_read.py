"""A dropout question read into a `DropoutProblem`, refused when an asked part cannot be computed."""

from __future__ import annotations

import re
from dataclasses import replace

from solvers.dropout_asked import asked_parts, convention
from solvers.dropout_mask import read_mask
from solvers.dropout_probability import probability
from solvers.dropout_problem import COUNT_PARTS, DropoutProblem, Grid
from solvers.dropout_vectors import Candidate, candidates, pick_pair, scalar_activation, unit_count
from solvers.errors import InvalidQuestion, NotUnderstood

# The layer is said to run at test time ("in eval mode", "model.eval()", "training=False"): what it
# outputs then is the test-time output, which needs no mask.
_EVAL_MODE = re.compile(
    r"\beval(?:uation)?\s+mode|\.eval\(\)|training\s*=\s*false|\bin\s+(?:inference|test(?:ing)?)\s+mode"
    r"|\bnot\s+in\s+training\s+mode",
    re.IGNORECASE,
)
NEEDS_ACTIVATIONS = frozenset({"output", "expected_value", "test_output"})
NEEDS_MASK = frozenset({"output", *COUNT_PARTS})
_NO_PROBABILITY = "the question gives no probability (e.g. p = 0.5 or keep_prob = 0.8)"


def _activations(text: str, found: Candidate | None) -> tuple[Grid | None, str]:
    """The activations and their form: "vector", "matrix" or "scalar"."""
    if found is not None:
        return found.grid, "matrix" if found.is_matrix else "vector"
    value = scalar_activation(text)
    return (None, "vector") if value is None else (((value,),), "scalar")


def _units(problem: DropoutProblem, named: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """(part, 0-based unit) for the parts asked about one unit, counted from 1 as written."""
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


def _shape(grid: Grid) -> str:
    return f"{len(grid)}×{len(grid[0])}" if len(grid) > 1 else str(len(grid[0]))


def _check(problem: DropoutProblem) -> None:
    """Refuse when an asked part cannot be computed from what the question gives."""
    asked = set(problem.asked)
    if asked & NEEDS_ACTIVATIONS and problem.activations is None:
        raise NotUnderstood("the activations are missing: give them as a list, e.g. a = [2.0, 5.0, 7.12]")
    counted = problem.size is not None and problem.keep is not None
    if asked & NEEDS_MASK and problem.mask is None and ("output" in asked or not counted):
        raise NotUnderstood(
            "the dropout mask is missing: the output depends on which units are dropped. Give the mask "
            '(e.g. m = [1, 0, 1, 1], 1 = keep) or name the dropped units ("units 2 and 3 are dropped")'
        )
    a, m = problem.activations, problem.mask
    if a is not None and m is not None and [len(row) for row in a] != [len(row) for row in m]:
        raise InvalidQuestion(
            f"the mask has {_shape(m)} entries but the activations have {_shape(a)}; dropout multiplies "
            "them entry by entry, so they must match"
        )
    if problem.keep is not None:
        return
    if problem.inverted and asked & {"output", "scale"}:
        raise NotUnderstood(
            f"inverted dropout divides the kept units by the keep probability, but {_NO_PROBABILITY}"
        )
    if not problem.inverted and asked & {"expected_value", "test_output", "scale", "test_scale"}:
        raise NotUnderstood(
            "this needs the keep probability (the original method multiplies by it at test time), "
            f"but {_NO_PROBABILITY}"
        )


def read_problem(text: str, suggestions: list[str]) -> DropoutProblem:
    """The problem in the normalised `text`; `suggestions` go with a refusal to guess what is asked."""
    act, mask_found = pick_pair(candidates(text))
    found_p = probability(text)
    drop = None if found_p is None else found_p.drop
    activations, form = _activations(text, act)
    mask = read_mask(text, mask_found, activations, form, drop)
    asked, named_units = asked_parts(text)
    if not asked:
        if mask.mask is None:
            raise NotUnderstood(
                "say what to compute: the output after dropout (give the mask), the scaling factor, the "
                "expected value or the test-time output",
                suggestions,
            )
        asked = ["output"]
    if mask.mask is None and _EVAL_MODE.search(text):
        asked = list(dict.fromkeys("test_output" if name == "output" else name for name in asked))
    stated = convention(text)
    problem = DropoutProblem(
        activations=activations,
        form=form,
        mask=mask.mask,
        drop=drop,
        stated_as="" if found_p is None else found_p.stated_as,
        inverted=bool(stated),
        convention_stated=stated is not None,
        asked=tuple(asked),
        mask_note=mask.note,
        other_mask=mask.other,
        other_mask_note=mask.other_note,
        size=None if mask.mask is not None or activations is not None else unit_count(text),
        p_written="" if found_p is None else found_p.text,
    )
    _check(problem)
    return replace(problem, units=_units(problem, named_units))
