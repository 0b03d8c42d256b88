"""Binary confusion matrices: accuracy, precision, recall, specificity, F1 and friends, with steps.

Reading the question (counts, tables in either orientation, label lists, stories) lives in
`solvers.confusion_parse`; this module computes the metrics exactly (fractions), writes the worked
steps, and re-runs the computation with the classic mistakes to get the wrong variants.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.confusion_parse import (
    CELLS,
    DEFAULT_ASKED,
    METRIC_NEEDS,
    find_grids,
    named_facts,
    read_confusion,
)
from solvers.errors import InvalidQuestion, NotUnderstood

Counts = dict[str, Fraction | None]


@dataclass(frozen=True)
class ConfusionProblem:
    tp: Fraction | None
    fp: Fraction | None
    fn: Fraction | None
    tn: Fraction | None
    asked: tuple[str, ...] = DEFAULT_ASKED
    beta: Fraction | None = None
    orientation: str = "counts"
    positive_class: str = "positive"
    description: str = "Reading the counts stated in the question"
    conventions: tuple[str, ...] = ()
    orientation_assumed: bool = False
    positive_assumed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> Counts:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass(frozen=True)
class Rules:
    """How the metrics are computed; a variant is the right computation with one rule changed."""

    zero_division: Fraction | None = None  # the value of 0/0 (None: undefined)
    swap_precision_recall: bool = False
    f1_arithmetic_mean: bool = False
    accuracy_without_tn: bool = False
    specificity_as_npv: bool = False
    specificity_as_fpr: bool = False
    fpr_as_one_minus_precision: bool = False
    inverse_beta: bool = False


_RATIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "accuracy": (("tp", "tn"), ("tp", "fp", "fn", "tn")),
    "precision": (("tp",), ("tp", "fp")),
    "recall": (("tp",), ("tp", "fn")),
    "specificity": (("tn",), ("tn", "fp")),
    "npv": (("tn",), ("tn", "fn")),
    "fpr": (("fp",), ("fp", "tn")),
    "fnr": (("fn",), ("fn", "tp")),
    "error_rate": (("fp", "fn"), ("tp", "fp", "fn", "tn")),
}

PARTS: dict[str, PartSpec] = {
    spec.name: spec
    for spec in (
        PartSpec("accuracy", "Accuracy", ValueKind.FRACTION, ("acc",)),
        PartSpec("precision", "Precision", ValueKind.FRACTION, ("prec", "ppv", "positive predictive value")),
        PartSpec(
            "recall",
            "Recall",
            ValueKind.FRACTION,
            ("sensitivity", "tpr", "true positive rate", "hit rate", "rec"),
        ),
        PartSpec(
            "specificity",
            "Specificity",
            ValueKind.FRACTION,
            ("tnr", "true negative rate", "selectivity", "spec"),
        ),
        PartSpec(
            "f1",
            "F1",
            ValueKind.FRACTION,
            ("f1 score", "f1-score", "f-score", "f score", "f-measure", "f measure", "f1score"),
        ),
        PartSpec("npv", "NPV", ValueKind.FRACTION, ("negative predictive value",)),
        PartSpec(
            "fpr",
            "False positive rate",
            ValueKind.FRACTION,
            ("fpr", "fall-out", "fallout", "false alarm rate", "type i error rate"),
        ),
        PartSpec(
            "fnr", "False negative rate", ValueKind.FRACTION, ("fnr", "miss rate", "type ii error rate")
        ),
        PartSpec(
            "mcc",
            "MCC",
            ValueKind.SCALAR,
            ("matthews correlation coefficient", "matthews correlation", "phi coefficient"),
        ),
        PartSpec("balanced_accuracy", "Balanced accuracy", ValueKind.FRACTION, ("balanced acc", "bacc")),
        PartSpec("f_beta", "F-beta", ValueKind.FRACTION, ("f-beta", "fbeta", "f beta", "fβ", "f-beta score")),
        PartSpec(
            "error_rate",
            "Error rate",
            ValueKind.FRACTION,
            ("misclassification rate", "misclassification error", "error"),
        ),
    )
}

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


def _ratio_cells(name: str, rules: Rules) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if rules.swap_precision_recall and name in ("precision", "recall"):
        name = "recall" if name == "precision" else "precision"
    if name == "accuracy" and rules.accuracy_without_tn:
        return ("tp",), ("tp", "fp", "fn")
    if name == "specificity" and rules.specificity_as_npv:
        return ("tn",), ("tn", "fn")
    if name == "specificity" and rules.specificity_as_fpr:
        return ("fp",), ("fp", "tn")
    if name == "fpr" and rules.fpr_as_one_minus_precision:
        return ("fp",), ("tp", "fp")
    return _RATIOS[name]


def _total(counts: Counts, cells: tuple[str, ...]) -> Fraction:
    return sum((counts[c] or Fraction(0) for c in cells), Fraction(0))


def _divide(num: Fraction, den: Fraction, rules: Rules) -> Fraction | None:
    if den == 0:
        return rules.zero_division if num == 0 else None
    return num / den


def _f_beta(counts: Counts, beta: Fraction, rules: Rules) -> Fraction | None:
    b2 = beta * beta
    tp, fp, fn = (_total(counts, (c,)) for c in ("tp", "fp", "fn"))
    return _divide((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, rules)


def metric(name: str, counts: Counts, beta: Fraction | None, rules: Rules) -> float | None:
    """One metric's value (None when it is 0/0 and `rules.zero_division` is None)."""
    value: Fraction | None
    if name in _RATIOS:
        num, den = _ratio_cells(name, rules)
        value = _divide(_total(counts, num), _total(counts, den), rules)
    elif name == "f1" and rules.f1_arithmetic_mean:
        p, r = metric("precision", counts, beta, rules), metric("recall", counts, beta, rules)
        return None if p is None or r is None else (p + r) / 2
    elif name in ("f1", "f_beta"):
        b = Fraction(1) if name == "f1" else beta or Fraction(1)
        value = _f_beta(counts, 1 / b if rules.inverse_beta else b, rules)
    elif name == "balanced_accuracy":
        r, s = metric("recall", counts, beta, rules), metric("specificity", counts, beta, rules)
        return None if r is None or s is None else (r + s) / 2
    elif name == "mcc":
        tp, fp, fn, tn = (_total(counts, (c,)) for c in CELLS)
        product = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
        if product == 0:
            return None if rules.zero_division is None else float(rules.zero_division)
        return float(tp * tn - fp * fn) / math.sqrt(product)
    else:
        raise KeyError(name)
    return None if value is None else float(value)


def answer_parts(problem: ConfusionProblem) -> tuple[str, ...]:
    """The asked parts, then the usual five when the counts allow them."""
    known = {c for c, v in problem.counts.items() if v is not None}
    extras = [m for m in DEFAULT_ASKED if METRIC_NEEDS[m] <= known]
    return tuple(dict.fromkeys((*problem.asked, *extras)))


def compute(
    problem: ConfusionProblem, rules: Rules = Rules(), counts: Counts | None = None
) -> dict[str, AnswerValue]:
    counts = problem.counts if counts is None else counts
    return {name: metric(name, counts, problem.beta, rules) for name in answer_parts(problem)}


# ---------------------------------------------------------------- worked steps


def _num(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{float(q):g}"


def _result(q: Fraction | None) -> str:
    """`0.5`, or `\\frac{41}{45} \\approx 0.9111` when the decimal does not stop within four places."""
    if q is None:
        return r"\text{undefined } (0/0)"
    decimal = f"{float(q):.6f}".rstrip("0").rstrip(".")
    if Fraction(decimal) == q:
        return decimal
    return f"\\frac{{{q.numerator}}}{{{q.denominator}}} \\approx {float(q):.4g}"


def _sum(counts: Counts, cells: tuple[str, ...]) -> str:
    return " + ".join(_num(counts[c] or Fraction(0)) for c in cells)


def _ratio_step(name: str, counts: Counts) -> str:
    num, den = _RATIOS[name]
    symbolic = f"\\frac{{{' + '.join(c.upper() for c in num)}}}{{{' + '.join(c.upper() for c in den)}}}"
    top, bottom = _total(counts, num), _total(counts, den)
    value = None if bottom == 0 else top / bottom
    numbers = f"\\frac{{{_sum(counts, num)}}}{{{_sum(counts, den)}}}"
    return f"{_LATEX_LABEL[name]} = {symbolic} = {numbers} = {_result(value)}"


def _fmt(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.4g}"


def _step_latex(name: str, problem: ConfusionProblem) -> str:
    counts = problem.counts
    if name in _RATIOS:
        return _ratio_step(name, counts)
    tp, fp, fn, tn = (_num(counts[c] or Fraction(0)) for c in CELLS)
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
    tp, fp, fn = (_num(counts[c] or Fraction(0)) for c in ("tp", "fp", "fn"))
    p, r = metric("precision", counts, beta, Rules()), metric("recall", counts, beta, Rules())
    head = "F_1" if name == "f1" else f"F_{{{_num(beta)}}}"
    weight = "2" if name == "f1" else _num(1 + b2)
    times_b2 = "" if name == "f1" else _num(b2) + r" \times "
    dot_b2 = "" if name == "f1" else _num(b2) + r" \cdot "
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
    return f"{head}{harmonic} = {counted} = {_result(_f_beta(counts, beta, Rules()))}"


def _label(name: str, problem: ConfusionProblem) -> str:
    if name == "f_beta" and problem.beta is not None:
        return f"F{_num(problem.beta)} score"
    return PARTS[name].label


def steps(problem: ConfusionProblem, names: tuple[str, ...]) -> list[Step]:
    counts = problem.counts
    shown = [f"{c.upper()} = {_num(v)}" for c, v in counts.items() if v is not None]
    if all(v is not None for v in counts.values()):
        shown.append(f"N = {_num(_total(counts, CELLS))}")
    first = Step("Read the counts", problem.description + ".", r",\ ".join(shown))
    return [first, *(Step(_label(n, problem), _EXPLAIN[n], _step_latex(n, problem)) for n in names)]


# ---------------------------------------------------------------- the solver

_EVIDENCE_WORDS = re.compile(
    r"confusion\s+matri|precision|recall|accuracy|specificity|sensitivity|f1|f-score|true\s+positive"
    r"|false\s+positive",
    re.IGNORECASE,
)

# Mistakes in the formulas: (code, feedback, the rules that make the mistake).
_FORMULA_MISTAKES: tuple[tuple[str, str, Rules], ...] = (
    (
        "precision_recall_swapped",
        "You swapped precision and recall: precision is TP / (TP + FP), over everything predicted "
        "positive; recall is TP / (TP + FN), over all actual positives.",
        Rules(swap_precision_recall=True),
    ),
    (
        "f1_arithmetic_mean",
        "F1 is the harmonic mean of precision and recall, 2PR / (P + R), not their average (P + R) / 2.",
        Rules(f1_arithmetic_mean=True),
    ),
    (
        "accuracy_without_tn",
        "Accuracy counts every correct prediction, true negatives included: (TP + TN) / (TP + FP + FN + TN).",
        Rules(accuracy_without_tn=True),
    ),
    (
        "specificity_as_npv",
        "Specificity is TN / (TN + FP), over all actual negatives; TN / (TN + FN) is the negative "
        "predictive value.",
        Rules(specificity_as_npv=True),
    ),
    (
        "specificity_as_fpr",
        "That is the false positive rate FP / (FP + TN) = 1 − specificity; specificity is TN / (TN + FP).",
        Rules(specificity_as_fpr=True),
    ),
    (
        "fpr_as_one_minus_precision",
        "The false positive rate is FP / (FP + TN), over actual negatives; "
        "1 − precision = FP / (TP + FP) is the false discovery rate.",
        Rules(fpr_as_one_minus_precision=True),
    ),
)


class ConfusionSolver(Solver[ConfusionProblem]):
    kind = "confusion_binary"
    title = "Binary confusion matrix metrics"
    topic = "evaluation"

    def detect(self, text: str) -> float:
        try:
            parsed = read_confusion(text)
        except InvalidQuestion:
            return 0.8
        except NotUnderstood:
            if any(len(f.cells) == 1 for f in named_facts(text)) or find_grids(text):
                return 0.55  # confusion data that cannot be read for sure: say what is missing
            return 0.3 if _EVIDENCE_WORDS.search(text) else 0.0
        return 0.75 if parsed.reading.told_in_words else 0.9

    def parse(self, text: str) -> ConfusionProblem:
        parsed = read_confusion(text)
        reading = parsed.reading
        conventions = list(reading.conventions)
        if "f_beta" in parsed.asked and parsed.beta is not None:
            conventions.append(
                f"The F-beta score uses β = {_num(parsed.beta)}: recall counts β² = "
                f"{_num(parsed.beta**2)} times as much as precision."
            )
        conventions.append("Metrics are fractions between 0 and 1 (0.9 is 90 %).")
        counts = reading.counts
        return ConfusionProblem(
            counts["tp"],
            counts["fp"],
            counts["fn"],
            counts["tn"],
            asked=parsed.asked,
            beta=parsed.beta,
            orientation=reading.orientation,
            positive_class=reading.positive_class,
            description=reading.description,
            conventions=tuple(conventions),
            orientation_assumed=reading.orientation_assumed,
            positive_assumed=reading.positive_assumed,
            notes=parsed.notes,
        )

    def solve(self, problem: ConfusionProblem) -> Solution:
        answer = compute(problem)
        names = tuple(answer)
        notes = list(problem.notes)
        notes += [
            f"{_label(name, problem)} is undefined here (0/0); scikit-learn reports 0 "
            "(its zero_division default) with a warning."
            for name in names
            if answer[name] is None
        ]
        parts = {name: PARTS[name] for name in names}
        if "f_beta" in parts and problem.beta is not None:
            b = _num(problem.beta)
            spec = parts["f_beta"]
            parts["f_beta"] = replace(
                spec,
                label=_label("f_beta", problem),
                aliases=(*spec.aliases, f"f{b}", f"f{b} score", f"f_{b}"),
            )
        given: dict[str, object] = {c: _json(v) for c, v in problem.counts.items()}
        given |= {"orientation": problem.orientation, "positive_class": problem.positive_class}
        if problem.beta is not None:
            given["beta"] = _json(problem.beta)
        return Solution(
            self.kind,
            problem.asked,
            answer,
            parts,
            steps(problem, names),
            list(problem.conventions),
            given,
            notes,
        )

    def variants(self, problem: ConfusionProblem) -> list[Variant]:
        right = compute(problem)
        found: list[Variant] = []

        def add(code: str, feedback: str, answer: dict[str, AnswerValue], accepted: bool = False) -> None:
            if any(_differs(answer.get(n), right[n]) for n in problem.asked if n in answer):
                found.append(Variant(code, feedback, answer, accepted))

        if any(v is None for v in right.values()):
            add(
                "zero_division_as_zero",
                "an undefined 0/0 reported as 0, as scikit-learn does (zero_division=0).",
                compute(problem, Rules(zero_division=Fraction(0))),
                accepted=True,
            )
        for code, feedback, rules in _FORMULA_MISTAKES:
            add(code, feedback, compute(problem, rules))
        transposed = dict(problem.counts, fp=problem.fn, fn=problem.fp)
        feedback, accepted = _transposed_feedback(problem)
        add("table_transposed", feedback, compute(problem, counts=transposed), accepted)
        if problem.beta is not None:
            add(
                "f_beta_inverse_beta",
                f"With β = {_num(problem.beta)} recall weighs β² times as much as precision: "
                "F_β = (1 + β²)·P·R / (β²·P + R); you used 1/β.",
                compute(problem, Rules(inverse_beta=True)),
            )
        if problem.positive_class != "positive":
            swapped = {"tp": problem.tn, "fp": problem.fn, "fn": problem.fp, "tn": problem.tp}
            feedback = (
                "the other class taken as the positive one."
                if problem.positive_assumed
                else f"You took the other class as positive; here the positive class is "
                f"“{problem.positive_class}”, so TP counts the cases predicted and actually "
                f"“{problem.positive_class}”."
            )
            add(
                "positive_class_swapped", feedback, compute(problem, counts=swapped), problem.positive_assumed
            )
        return found

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES


def _transposed_feedback(problem: ConfusionProblem) -> tuple[str, bool]:
    if problem.orientation_assumed:
        return "the table read with rows as predicted classes and columns as actual ones.", True
    if problem.orientation in ("rows_predicted", "rows_actual"):
        rows = problem.orientation.removeprefix("rows_")
        cols = "actual" if rows == "predicted" else "predicted"
        return (
            "You read the table the wrong way round, so FP and FN are swapped: "
            f"here rows are {rows} classes and columns {cols} classes.",
            False,
        )
    return (
        "You swapped FP and FN: a false positive is predicted positive but actually negative; "
        "a false negative is predicted negative but actually positive.",
        False,
    )


def _differs(a: AnswerValue, b: AnswerValue) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) > 1e-9 * max(1.0, abs(b))
    return a != b


def _json(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


EXAMPLES: tuple[Example, ...] = (
    Example(
        "Define the evaluation metrics Accuracy, Precision, Recall, and F1 score.\nGiven Confusion Matrix:\n"
        "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
        "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |",
        {"accuracy": 0.9, "precision": 0.5, "recall": 0.8, "f1": 8 / 13},
    ),
    Example(
        "A classifier gives TP = 45, FP = 5, FN = 15 and TN = 35. Compute precision, recall and F1.",
        {"precision": 0.9, "recall": 0.75, "f1": 90 / 110},
    ),
    Example(
        "cm = [[50, 10], [5, 35]] is the output of sklearn's confusion_matrix(y_true, y_pred) "
        "with labels [0, 1]. "
        "What are the precision and recall?",
        {"precision": 35 / 45, "recall": 35 / 40},
    ),
    Example(
        "y_true = [1, 0, 1, 1, 0, 1, 0, 0]\ny_pred = [1, 0, 0, 1, 1, 1, 0, 0]\n"
        "Compute accuracy, precision and recall.",
        {"accuracy": 0.75, "precision": 0.75, "recall": 0.75},
    ),
    Example(
        "A spam filter is tested on 500 emails, of which 100 are spam. "
        "It flags 90 emails as spam, of which 75 are "
        "actually spam. Find the precision, recall and accuracy of the filter.",
        {"precision": 75 / 90, "recall": 0.75, "accuracy": 460 / 500},
    ),
    Example(
        "With TP = 40, FP = 10, FN = 20 and TN = 30, compute the F2 score and the MCC.",
        {"f_beta": 200 / 290, "mcc": 1000 / math.sqrt(6_000_000)},
    ),
    Example(
        "Rows are actual classes.\n| | Spam | Not spam |\n|---|---|---|\n"
        "| Spam | 30 | 10 |\n| Not spam | 5 | 55 |\n"
        "Compute the specificity and the false positive rate.",
        {"specificity": 55 / 60, "fpr": 5 / 60},
    ),
)
