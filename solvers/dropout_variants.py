"""Known dropout mistakes and accepted other readings, each re-run through the arithmetic."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Solution, Variant
from solvers.compare import same_answer
from solvers.dropout_compute import Rule, evaluate, rule
from solvers.dropout_problem import COUNT_PARTS, DropoutProblem
from solvers.numbers import format_number

TRAINING_PARTS = frozenset({"output", "scale", "expected_value"})
TEST_PARTS = frozenset({"test_output", "test_scale"})
MASK_PARTS = frozenset({"output", *COUNT_PARTS})


@dataclass(frozen=True)
class Mistake:
    """A known mistake or another accepted reading: the problem and rule it amounts to, what it touches."""

    code: str
    feedback: str
    problem: DropoutProblem
    rule: Rule
    accepted: bool = False
    parts: frozenset[str] | None = None  # None: every part


def _scaling_mistakes(problem: DropoutProblem) -> list[Mistake]:
    keep, inverted = problem.keep, problem.inverted
    out: list[Mistake] = []
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
                "You divided the kept units by the keep probability (inverted dropout); "
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
    return out


def _probability_mistake(problem: DropoutProblem, drop: float) -> Mistake:
    swapped = replace(problem, drop=1.0 - drop)
    if problem.stated_as == "bare":
        return Mistake(
            "p_read_as_keep",
            "You read p as the keep probability, as the original dropout "
            "paper (Srivastava et al., 2014) does; PyTorch and Keras use p for the drop "
            "probability. Both readings are accepted.",
            swapped,
            rule(drop, problem.inverted),
            True,
        )
    return Mistake(
        "drop_keep_confused",
        "You swapped the drop and keep probabilities: the keep "
        f"probability is 1 − (drop probability) = {format_number(1 - drop)}.",
        swapped,
        rule(drop, problem.inverted),
    )


def _test_time_mistakes(problem: DropoutProblem) -> list[Mistake]:
    keep, inverted = problem.keep, problem.inverted
    right = rule(keep, inverted)
    return [
        Mistake(
            "test_time_mask_applied",
            "At test time no unit is dropped: the mask is used only in training.",
            problem,
            replace(right, mask_at_test=True),
            parts=TEST_PARTS,
        ),
        Mistake(
            "test_time_scaling_wrong",
            "Inverted dropout needs no scaling at test time (it already rescaled during training)."
            if inverted
            else "The original method multiplies by the keep "
            "probability at test time, so the outputs match their training expectation.",
            problem,
            replace(right, test_scale=keep if inverted else 1.0),
            parts=TEST_PARTS,
        ),
    ]


def mistakes(problem: DropoutProblem) -> list[Mistake]:
    """Every known mistake or other reading that applies to `problem`."""
    right = rule(problem.keep, problem.inverted)
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
    out.extend(_scaling_mistakes(problem))
    if problem.drop is not None and problem.drop > 0.0:
        out.append(_probability_mistake(problem, problem.drop))
    out.extend(_test_time_mistakes(problem))
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


def _finite(value: AnswerValue) -> bool:
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def variants(problem: DropoutProblem, right: Solution) -> list[Variant]:
    """The mistakes that change at least one part of the right answer, with the answers they give."""
    out: list[Variant] = []
    for mistake in mistakes(problem):
        values = evaluate(mistake.problem, mistake.rule)
        answer = {
            k: values[k]
            for k in right.answer
            if k in values and (mistake.parts is None or k in mistake.parts)
        }
        if not all(_finite(v) for v in answer.values()):
            continue  # dividing by a vanishing probability overflows: no one answers that
        if any(not same_answer(right.parts[k], right.answer[k], v) for k, v in answer.items()):
            out.append(Variant(mistake.code, mistake.feedback, answer, mistake.accepted))
    return out
