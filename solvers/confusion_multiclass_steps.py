"""The worked steps of a multi-class solution: the matrix, each class's TP/FP/FN, its metrics, the averages."""

from __future__ import annotations

from fractions import Fraction

from solvers.base import Step
from solvers.confusion_multiclass_asked import METRICS, MODES
from solvers.confusion_multiclass_metrics import (
    ClassCounts,
    MulticlassProblem,
    Rules,
    averages,
    class_counts,
    per_class_values,
)

_SYMBOLS = {"precision": "P", "recall": "R", "f1": "F"}


def _symbol(metric: str, mode: str) -> str:
    """`P_{\\text{macro}}`, `F_{1,\\text{weighted}}`."""
    one = "1," if metric == "f1" else ""
    return f"{_SYMBOLS[metric]}_{{{one}\\text{{{mode}}}}}"


def _text(label: str) -> str:
    return r"\text{" + label.replace("\\", "").replace("{", "").replace("}", "").replace("_", r"\_") + "}"


def _value(q: Fraction | None) -> str:
    return r"\text{undefined } (0/0)" if q is None else f"{float(q):.4g}"


def _matrix_step(problem: MulticlassProblem) -> Step:
    header = " & ".join(_text(label) for label in problem.labels)
    rows = [
        " & ".join([_text(label), *(str(v) for v in row)])
        for label, row in zip(problem.labels, problem.matrix, strict=True)
    ]
    body = r" \\ ".join([r"\text{actual} \backslash \text{predicted} & " + header, *rows])
    latex = r"\begin{array}{l|" + "r" * len(problem.labels) + "}" + body + r"\end{array}"
    total = sum(map(sum, problem.matrix))
    return Step("Read the confusion matrix", f"{problem.description}; N = {total} examples.", latex)


def _counts_step(classes: list[ClassCounts]) -> Step:
    rows = [f"{_text(c.label)} & {c.tp} & {c.fp} & {c.fn} & {c.support}" for c in classes]
    latex = (
        r"\begin{array}{l|rrrr}\text{class} & TP & FP & FN & \text{support} \\ "
        + r" \\ ".join(rows)
        + r"\end{array}"
    )
    return Step(
        "Count TP, FP and FN for each class",
        "Each class in turn is the positive one: TP is its diagonal cell, FP the rest of its column "
        "(predicted as it, actually another class), FN the rest of its row (actually it, predicted as "
        "another), support its row sum.",
        latex,
    )


def _class_step(c: ClassCounts) -> Step:
    v = per_class_values(c, Rules())
    latex = (
        f"P = \\frac{{TP}}{{TP + FP}} = \\frac{{{c.tp}}}{{{c.tp} + {c.fp}}} = {_value(v['precision'])},\\quad "
        f"R = \\frac{{TP}}{{TP + FN}} = \\frac{{{c.tp}}}{{{c.tp} + {c.fn}}} = {_value(v['recall'])},\\quad "
        f"F_1 = \\frac{{2\\,TP}}{{2\\,TP + FP + FN}} = \\frac{{{2 * c.tp}}}{{{2 * c.tp} + {c.fp} + {c.fn}}}"
        f" = {_value(v['f1'])}"
    )
    return Step(f"Class {c.label}", f"Precision, recall and F1 of class {c.label} against the rest.", latex)


def _accuracy_step(classes: list[ClassCounts]) -> Step:
    correct = sum(c.tp for c in classes)
    total = sum(c.support for c in classes)
    diagonal = " + ".join(str(c.tp) for c in classes)
    return Step(
        "Accuracy",
        "The diagonal (correct predictions) over all examples.",
        f"\\text{{Accuracy}} = \\frac{{\\sum_i C_{{ii}}}}{{N}} = \\frac{{{diagonal}}}{{{total}}} = "
        f"{_value(Fraction(correct, total) if total else None)}",
    )


def _mode_step(mode: str, classes: list[ClassCounts]) -> Step:
    values = [per_class_values(c, Rules()) for c in classes]
    result = averages(classes, Rules())
    k, total = len(classes), sum(c.support for c in classes)
    lines = []
    for metric in METRICS:
        shown = [0.0 if v[metric] is None else float(v[metric] or 0) for v in values]
        if mode == "macro":
            terms = " + ".join(f"{x:.4g}" for x in shown)
            lines.append(
                f"{_symbol(metric, mode)} = \\frac{{{terms}}}{{{k}}} = {_value(result[f'macro_{metric}'])}"
            )
        elif mode == "weighted":
            terms = " + ".join(f"{c.support} \\times {x:.4g}" for c, x in zip(classes, shown, strict=True))
            lines.append(
                f"{_symbol(metric, mode)} = \\frac{{{terms}}}{{{total}}} = {_value(result[f'weighted_{metric}'])}"
            )
    if mode == "micro":
        tp, fp, fn = (sum(getattr(c, cell) for c in classes) for cell in ("tp", "fp", "fn"))
        lines.append(
            f"{_symbol('precision', mode)} = \\frac{{\\sum TP}}{{\\sum TP + \\sum FP}} = \\frac{{{tp}}}{{{tp} + {fp}}} = "
            f"{_value(result['micro_precision'])},\\quad {_symbol('recall', mode)} = \\frac{{{tp}}}{{{tp} + {fn}}} = "
            f"{_value(result['micro_recall'])},\\quad {_symbol('f1', mode)} = {_value(result['micro_f1'])}"
        )
    explain = {
        "macro": "The unweighted mean over the classes: every class counts the same. Macro F1 is the mean "
        "of the per-class F1 scores (not the F1 of macro P and macro R).",
        "weighted": "Each class's value weighted by its support (number of actual examples), over N.",
        "micro": "TP, FP and FN pooled over the classes. Every wrong prediction is one FP (its predicted "
        "class) and one FN (its actual class), so ΣFP = ΣFN and micro P = micro R = micro F1 = accuracy.",
    }[mode]
    return Step(f"{mode.capitalize()} averages", explain, r" \\ ".join(lines))


def steps(problem: MulticlassProblem) -> list[Step]:
    classes = class_counts(problem.matrix, problem.labels)
    asked = set(problem.asked)
    found = [_matrix_step(problem), _counts_step(classes)]
    found += [_class_step(c) for c in classes]
    if "accuracy" in asked or any(name.startswith("micro_") for name in asked):
        found.append(_accuracy_step(classes))
    found += [_mode_step(mode, classes) for mode in MODES if any(n.startswith(f"{mode}_") for n in asked)]
    return found
