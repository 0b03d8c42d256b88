"""The known mistakes of multi-class metrics, each found by re-running the computation with it.

Formula mistakes change a `Rules` field; averaging mistakes put the right values under the wrong
average (macro ↔ weighted, micro as macro); a transposed table swaps each class's precision and
recall. Undefined (0/0) values reported another common way are accepted variants.
"""

from __future__ import annotations

from solvers.base import AnswerValue, Variant
from solvers.confusion_multiclass_asked import METRICS
from solvers.confusion_multiclass_metrics import MulticlassProblem, Rules, compute

# Mistakes in the formulas: (code, feedback, the rules that make the mistake).
_FORMULA_MISTAKES: tuple[tuple[str, str, Rules], ...] = (
    (
        "precision_recall_swapped",
        "You swapped precision and recall: a class's precision is TP / (TP + FP), over its column "
        "(everything predicted as it); its recall is TP / (TP + FN), over its row (all its actual examples).",
        Rules(swap_precision_recall=True),
    ),
    (
        "f1_arithmetic_mean",
        "A class's F1 is the harmonic mean of its precision and recall, 2PR / (P + R); the plain "
        "average (P + R) / 2 overstates it whenever the two differ.",
        Rules(f1_arithmetic_mean=True),
    ),
    (
        "macro_f1_of_macro_averages",
        "Macro F1 is the mean of the per-class F1 scores (scikit-learn's average='macro'); the harmonic "
        "mean of macro precision and macro recall is a different quantity.",
        Rules(macro_f1_of_averages=True),
    ),
    (
        "weighted_by_predictions",
        "Weighted averages weight each class by its support, the number of actual examples (its row "
        "sum), not by how often it was predicted.",
        Rules(weights_by_predictions=True),
    ),
    (
        "accuracy_mean_one_vs_rest",
        "Accuracy is the diagonal over all examples, Σ C_ii / N; the mean of the one-vs-rest "
        "accuracies counts each correct rejection too and comes out higher.",
        Rules(accuracy_one_vs_rest=True),
    ),
)


def known_mistakes(problem: MulticlassProblem) -> list[Variant]:
    """Every known mistake (and accepted other convention) that changes an asked part."""
    right = compute(problem)
    found: list[Variant] = []

    def add(code: str, feedback: str, answer: dict[str, AnswerValue], accepted: bool = False) -> None:
        answer = {k: v for k, v in answer.items() if k != "per_class"}
        if any(answer.get(n) != right[n] for n in problem.asked if n in answer):
            found.append(Variant(code, feedback, answer, accepted))

    if any(v is None for v in right.values()):
        add(
            "zero_division_as_zero",
            "an undefined 0/0 reported as 0, as scikit-learn does.",
            compute(problem, Rules(undefined_as_zero=True)),
            accepted=True,
        )
        add(
            "undefined_classes_left_out",
            "averages over the classes whose value is defined (scikit-learn's zero_division=np.nan).",
            compute(problem, Rules(skip_undefined=True)),
            accepted=True,
        )
    transposed = tuple(zip(*problem.matrix, strict=True))
    for code, feedback, rules in _FORMULA_MISTAKES:
        add(code, feedback, compute(problem, rules))
    feedback, accepted = _transposed_feedback(problem)
    add("table_transposed", feedback, compute(problem, matrix=transposed), accepted)
    for code, feedback, answer in _averaging_mistakes(right):
        add(code, feedback, answer)
    return found


def _transposed_feedback(problem: MulticlassProblem) -> tuple[str, bool]:
    if problem.orientation_assumed:
        return "the table read with rows as predicted classes and columns as actual ones.", True
    if problem.orientation == "rows_predicted":
        where = "rows are predicted classes and columns actual ones"
    else:
        where = "rows are actual classes and columns predicted ones"
    return (
        f"You read the matrix the wrong way round, so each class's precision and recall swap: here {where}.",
        False,
    )


def _averaging_mistakes(right: dict[str, AnswerValue]) -> list[tuple[str, str, dict[str, AnswerValue]]]:
    """Right values put under the wrong average: macro ↔ weighted, micro as macro."""

    def moved(source: str, target: str) -> dict[str, AnswerValue]:
        return {f"{target}_{m}": right[f"{source}_{m}"] for m in METRICS}

    return [
        (
            "macro_weighted_by_support",
            "Macro averaging gives every class the same weight; you weighted the classes by their "
            "support, which is the weighted average.",
            moved("weighted", "macro"),
        ),
        (
            "weighted_unweighted",
            "The weighted average weights each class by its support (number of actual examples); you "
            "took the plain (macro) mean.",
            moved("macro", "weighted"),
        ),
        (
            "micro_as_macro",
            "Micro averaging pools TP, FP and FN over the classes before dividing; it does not average "
            "the per-class values (that is macro). For single-label data micro P = micro R = micro F1 = accuracy.",
            moved("macro", "micro"),
        ),
    ]
