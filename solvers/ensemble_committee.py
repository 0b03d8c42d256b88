"""A majority vote of independent classifiers (Condorcet's jury theorem; Tan, Steinbach and Kumar's
"25 base classifiers with error 0.35"): k classifiers, each right with probability p, err
independently; the vote is right when more than half are, P = Σ_{i > k/2} C(k, i) pⁱ (1 − p)^{k−i}.

Reading, answer, steps, conventions and the known mistakes of that task; `ensemble_parse`,
`ensemble_answer` and `solvers.ensemble` dispatch to them.
"""

from __future__ import annotations

import math
import re

from solvers.base import AnswerValue, Step
from solvers.ensemble_problem import Committee
from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood
from solvers.limits import MAX_ENTRIES
from solvers.numbers import NUMBER_PATTERN, format_number, parse_number

NUM = rf"({NUMBER_PATTERN})"
_INDEPENDENT = re.compile(r"\bindependent(?:ly)?\b|\buncorrelated\b|\bindependence\b")
_VOTE = re.compile(r"majority|\bvot(?:e|es|ing)\b|committee|\bjury\b")
_MEMBERS = r"classifiers|models|learners|voters|experts|judges|members|predictors|estimators|jurors"
_COUNT = (
    rf"(\d{{1,9}})\s+(?:independent\s+|identical\s+|base\s+|binary\s+|weak\s+|different\s+){{0,3}}(?:{_MEMBERS})\b",
    r"(?:ensemble|committee|jury)\s+of\s+(?:size\s+)?(\d{1,9})\b",
    r"\bk\s*=\s*(\d{1,9})\b",
)
_RIGHT = (
    rf"(?:correct|right|accurate)\s+with\s+(?:a\s+)?probability\s+(?:of\s+)?(?:p\s*=\s*)?{NUM}",
    rf"probability\s+of\s+(?:being\s+)?(?:correct|right|a\s+correct\s+prediction)\s*(?:is\s+|of\s+|=\s*)?{NUM}",
    rf"accuracy\s*(?:of\s+|=\s*|is\s+|:\s*)?(?:p\s*=\s*)?{NUM}",
    rf"{NUM}\s+accura(?:te|cy)",
)
_WRONG = (
    rf"error(?:\s+rate)?\s*(?:of\s+|=\s*|is\s+|:\s*)?(?:ε\s*=\s*|epsilon\s*=\s*)?{NUM}",
    rf"\bε\s*=\s*{NUM}",
    rf"(?:wrong|incorrect|mistaken)\s+with\s+(?:a\s+)?probability\s+(?:of\s+)?{NUM}",
    rf"misclassif\w*\s+(?:\w+\s+)?with\s+(?:a\s+)?probability\s+(?:of\s+)?{NUM}",
)


def is_committee(t: str) -> bool:
    """Independent classifiers, a vote, and how often each is right (or wrong) — no outputs to count."""
    return bool(_INDEPENDENT.search(t) and _VOTE.search(t) and _first(t, *_RIGHT, *_WRONG) is not None)


def _first(t: str, *patterns: str) -> float | None:
    hits: list[tuple[int, float]] = []
    for pattern in patterns:
        match = re.search(pattern, t)
        if match is not None:
            number = parse_number(match.group(1))
            if number is not None:
                hits.append((match.start(), number.value))
    return min(hits)[1] if hits else None


def read_committee(t: str, ask: str) -> Committee:
    """`t`: the lower-cased question; `ask`: its asking sentences."""
    k = _first(t, *_COUNT)
    if k is None:
        raise NotUnderstood(
            "the number of classifiers that vote is missing (e.g. '25 independent classifiers')"
        )
    if k > MAX_ENTRIES:
        raise InputTooLarge(f"{k:g} classifiers: at most {MAX_ENTRIES} are worked out")
    if k < 1:
        raise InvalidQuestion("a vote needs at least one classifier")
    if k % 2 == 0:
        raise NotUnderstood(
            f"with {k:g} classifiers the vote can tie ({k / 2:g} against {k / 2:g}): say how a tie is broken"
        )
    right, wrong = _first(t, *_RIGHT), _first(t, *_WRONG)
    p = right if right is not None else None if wrong is None else 1.0 - wrong
    if p is None:
        raise NotUnderstood("how often each classifier is right (its accuracy or error rate) is missing")
    if not 0.0 <= p <= 1.0:
        raise InvalidQuestion("a classifier's accuracy and error rate lie between 0 and 1")
    asks_error = re.search(r"error|wrong|misclassif|incorrect|mistake", ask)
    asks_right = re.search(
        r"accura|correct|\bright\b|probability that (?:the )?(?:majority|vote|ensemble)", ask
    )
    asked = ["majority_error"] if asks_error and not asks_right else ["majority_accuracy"]
    if asks_error and asks_right:
        asked.append("majority_error")
    return Committee(int(k), p, right is None, tuple(asked))


def majority_right(task: Committee, smallest: int | None = None) -> float:
    """P(more than half right); `smallest` overrides the least number of right votes that wins."""
    k, p = task.k, task.accuracy
    start = k // 2 + 1 if smallest is None else smallest
    return math.fsum(math.comb(k, i) * p**i * (1.0 - p) ** (k - i) for i in range(start, k + 1))


def committee_answer(task: Committee, smallest: int | None = None) -> dict[str, AnswerValue]:
    right = majority_right(task, smallest)
    return {"majority_accuracy": right, "majority_error": 1.0 - right}


def _n(value: float) -> str:
    return format_number(value, 6)


def committee_steps(task: Committee, found: dict[str, AnswerValue]) -> list[Step]:
    k, p = task.k, task.accuracy
    m = k // 2 + 1
    right = float(found["majority_accuracy"])  # type: ignore[arg-type]
    terms = [rf"\binom{{{k}}}{{{i}}} {_n(p)}^{{{i}}} \cdot {_n(1 - p)}^{{{k - i}}}" for i in range(m, k + 1)]
    shown = (
        " + ".join(terms)
        if len(terms) <= 4
        else rf"\sum_{{i={m}}}^{{{k}}} \binom{{{k}}}{{i}} {_n(p)}^i {_n(1 - p)}^{{{k}-i}}"
    )
    out = [
        Step(
            "What a majority needs",
            f"The vote is right when more than half of the {k} classifiers are right: at least {m} of them.",
            rf"m = \left\lfloor {k}/2 \right\rfloor + 1 = {m}",
        ),
        Step(
            "Binomial sum",
            f"The classifiers err independently, so the number that are right is Binomial({k}, {_n(p)}).",
            rf"P(\text{{majority right}}) = {shown} = {_n(right)}",
        ),
    ]
    if "majority_error" in task.asked:
        out.append(
            Step(
                "The ensemble's error",
                "The vote is wrong exactly when it is not right.",
                rf"1 - {_n(right)} = {_n(1 - right)}",
            )
        )
    return out


def committee_conventions(task: Committee) -> list[str]:
    given = "error rate ε (accuracy 1 − ε)" if task.error_given else "accuracy p"
    return [
        f"Each of the {task.k} classifiers has the same {given} and errs independently of the others, as the "
        "question says; the ensemble predicts what most of them vote for (k is odd, so there is no tie)."
    ]


def committee_mistakes(task: Committee) -> list[tuple[str, str, dict[str, AnswerValue]]]:
    """(code, feedback, answer) of the known mistakes."""
    k, p = task.k, task.accuracy
    single: dict[str, AnswerValue] = {"majority_accuracy": p, "majority_error": 1.0 - p}
    swapped = committee_answer(task)
    out: list[tuple[str, str, dict[str, AnswerValue]]] = [
        (
            "single_classifier",
            "You gave one classifier's accuracy; the vote is right whenever more than half of the "
            f"{k} independent classifiers are, which is more likely when each is right more often than not.",
            single,
        ),
        (
            "accuracy_error_swapped",
            "You swapped the vote's accuracy and its error: P(majority right) sums the cases with more than "
            "half the classifiers right; the error is 1 minus that.",
            {"majority_accuracy": swapped["majority_error"], "majority_error": swapped["majority_accuracy"]},
        ),
        (
            "all_must_be_right",
            f"You required all {k} classifiers to be right (p^k); a majority needs only {k // 2 + 1} of them.",
            {"majority_accuracy": p**k, "majority_error": 1.0 - p**k},
        ),
    ]
    if k > 1:
        out.append(
            (
                "half_counted_as_majority",
                f"You counted {k // 2} right votes as a majority; out of {k} a majority is at least {k // 2 + 1}.",
                committee_answer(task, smallest=k // 2),
            )
        )
    return out
