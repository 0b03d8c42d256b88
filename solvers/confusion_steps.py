"""The worked steps of a confusion-matrix solution: the counts, then each formula with numbers."""

from __future__ import annotations

from fractions import Fraction

from solvers.base import Step
from solvers.confusion_facts import CELLS, Counts
from solvers.confusion_metrics import (
    RATIOS,
    ConfusionProblem,
    Rules,
    f_beta,
    metric,
    number_text,
    part_label,
    total,
)

_LATEX_LABEL = {
    "accuracy": r"\text{Accuracy}",
    "precision": r"\text{Precision}",
    "recall": r"\text{Recall}",
    "specificity": r"\text{Specificity}",
    "npv": r"\text{NPV}",
    "fpr": r"\text{FPR}",
    "fnr": r"\text{FNR}",
    "error_rate": r"\text{Error rate}",
}
_EXPLAIN = {
    "accuracy": "Correct predictions (TP + TN) over all cases.",
    "precision": "Of everything predicted positive, the share that is actually positive.",
    "recall": "Of all actual positives, the share the model finds (sensitivity, true positive rate).",
    "specificity": "Of all actual negatives, the share predicted negative (true negative rate).",
    "npv": "Of everything predicted negative, the share that is actually negative.",
    "fpr": "Of all actual negatives, the share wrongly predicted positive (1 − specificity).",
    "fnr": "Of all actual positives, the share the model misses (1 − recall).",
    "error_rate": "Wrong predictions (FP + FN) over all cases (1 − accuracy).",
    "f1": "The harmonic mean of precision and recall; with counts it is 2TP / (2TP + FP + FN).",
    "f_beta": "The weighted harmonic mean of precision and recall; β > 1 weighs recall more.",
    "mcc": "The correlation between actual and predicted classes, from −1 to 1 (0: no better than chance).",
    "balanced_accuracy": "The mean of recall and specificity; predicting only the majority class earns 0.5.",
}


def _result(q: Fraction | None) -> str:
    """`0.5`, or `\\frac{41}{45} \\approx 0.9111` when the decimal does not stop within four places."""
    if q is None:
        return r"\text{undefined } (0/0)"
    decimal = f"{float(q):.6f}".rstrip("0").rstrip(".")
    if Fraction(decimal) == q:
        return decimal
    return f"\\frac{{{q.numerator}}}{{{q.denominator}}} \\approx {float(q):.4g}"


def _sum(counts: Counts, cells: tuple[str, ...]) -> str:
    return " + ".join(number_text(counts[c] or Fraction(0)) for c in cells)


def _ratio_step(name: str, counts: Counts) -> str:
    num, den = RATIOS[name]
    symbolic = f"\\frac{{{' + '.join(c.upper() for c in num)}}}{{{' + '.join(c.upper() for c in den)}}}"
    top, bottom = total(counts, num), total(counts, den)
    value = None if bottom == 0 else top / bottom
    numbers = f"\\frac{{{_sum(counts, num)}}}{{{_sum(counts, den)}}}"
    return f"{_LATEX_LABEL[name]} = {symbolic} = {numbers} = {_result(value)}"


def _fmt(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.4g}"


def _step_latex(name: str, problem: ConfusionProblem) -> str:
    counts = problem.counts
    if name in RATIOS:
        return _ratio_step(name, counts)
    tp, fp, fn, tn = (number_text(counts[c] or Fraction(0)) for c in CELLS)
    if name in ("f1", "f_beta"):
        return _f_step(name, problem)
    if name == "mcc":
        return (
            r"\text{MCC} = \frac{TP \cdot TN - FP \cdot FN}{\sqrt{(TP+FP)(TP+FN)(TN+FP)(TN+FN)}} = "
            f"\\frac{{{tp} \\times {tn} - {fp} \\times {fn}}}"
            f"{{\\sqrt{{({tp}+{fp})({tp}+{fn})({tn}+{fp})({tn}+{fn})}}}}"
            f" = {_fmt(metric('mcc', counts, None, Rules()))}"
        )
    r, s = metric("recall", counts, None, Rules()), metric("specificity", counts, None, Rules())
    return (
        r"\text{Balanced accuracy} = \frac{\text{Recall} + \text{Specificity}}{2} = "
        f"\\frac{{{_fmt(r)} + {_fmt(s)}}}{{2}} = {_fmt(metric('balanced_accuracy', counts, None, Rules()))}"
    )


def _f_step(name: str, problem: ConfusionProblem) -> str:
    counts = problem.counts
    beta = Fraction(1) if name == "f1" else problem.beta or Fraction(1)
    b2 = beta * beta
    tp, fp, fn = (number_text(counts[c] or Fraction(0)) for c in ("tp", "fp", "fn"))
    p, r = metric("precision", counts, beta, Rules()), metric("recall", counts, beta, Rules())
    head = "F_1" if name == "f1" else f"F_{{{number_text(beta)}}}"
    weight = "2" if name == "f1" else number_text(1 + b2)
    times_b2 = "" if name == "f1" else number_text(b2) + r" \times "
    dot_b2 = "" if name == "f1" else number_text(b2) + r" \cdot "
    harmonic = ""
    if p is not None and r is not None and p + r > 0:
        harmonic = (
            f" = \\frac{{{weight} \\cdot P \\cdot R}}{{{dot_b2}P + R}}"
            f" = \\frac{{{weight} \\times {_fmt(p)} \\times {_fmt(r)}}}{{{times_b2}{_fmt(p)} + {_fmt(r)}}}"
        )
    counted = (
        f"\\frac{{{weight}\\,TP}}{{{weight}\\,TP + FP + {dot_b2}FN}}"
        f" = \\frac{{{weight} \\times {tp}}}{{{weight} \\times {tp} + {fp} + {times_b2}{fn}}}"
    )
    return f"{head}{harmonic} = {counted} = {_result(f_beta(counts, beta, Rules()))}"


def steps(problem: ConfusionProblem, names: tuple[str, ...]) -> list[Step]:
    counts = problem.counts
    shown = [f"{c.upper()} = {number_text(v)}" for c, v in counts.items() if v is not None]
    if all(v is not None for v in counts.values()):
        shown.append(f"N = {number_text(total(counts, CELLS))}")
    first = Step("Read the counts", problem.description + ".", r",\ ".join(shown))
    return [first, *(Step(part_label(n, problem), _EXPLAIN[n], _step_latex(n, problem)) for n in names)]
