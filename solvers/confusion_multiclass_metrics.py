"""Multi-class confusion-matrix metrics, exactly, under a set of rules; and the parts they answer.

The matrix is always held with rows = actual classes and columns = predicted ones (scikit-learn's
layout). Class i's TP is the diagonal cell, FP the rest of its column, FN the rest of its row,
its support its row sum. A `Rules` with one field changed gives a classic mistake's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from solvers.base import AnswerValue, PartSpec, ValueKind
from solvers.confusion_multiclass_asked import METRICS, MODES, per_class_name

CountMatrix = tuple[tuple[int, ...], ...]  # rows = actual classes, columns = predicted classes


@dataclass(frozen=True)
class MulticlassProblem:
    matrix: CountMatrix
    labels: tuple[str, ...]
    asked: tuple[str, ...]
    orientation: str = "rows_actual"  # as the question laid it out: rows_actual | rows_predicted | labels
    orientation_assumed: bool = False
    description: str = ""
    conventions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """How the metrics are computed; a variant is the right computation with one rule changed."""

    undefined_as_zero: bool = False  # a per-class 0/0 reported as 0 rather than undefined
    skip_undefined: bool = False  # averages over the classes whose value is defined (zero_division=nan)
    swap_precision_recall: bool = False
    f1_arithmetic_mean: bool = False
    macro_f1_of_averages: bool = False  # macro F1 as the harmonic mean of macro P and macro R
    weights_by_predictions: bool = False  # weighted averages weighted by predicted counts
    accuracy_one_vs_rest: bool = False  # accuracy as the mean of the one-vs-rest accuracies


@dataclass(frozen=True)
class ClassCounts:
    label: str
    tp: int
    fp: int
    fn: int
    support: int  # actual instances: TP + FN

    @property
    def predicted(self) -> int:
        return self.tp + self.fp


def class_counts(matrix: CountMatrix, labels: Sequence[str]) -> list[ClassCounts]:
    columns = [sum(row[j] for row in matrix) for j in range(len(matrix))]
    return [
        ClassCounts(
            label, matrix[i][i], columns[i] - matrix[i][i], sum(matrix[i]) - matrix[i][i], sum(matrix[i])
        )
        for i, label in enumerate(labels)
    ]


def divide(num: int | Fraction, den: int | Fraction) -> Fraction | None:
    return None if den == 0 else Fraction(num) / den


def per_class_values(c: ClassCounts, rules: Rules) -> dict[str, Fraction | None]:
    """Precision, recall and F1 of one class against the rest (None: 0/0)."""
    precision, recall = divide(c.tp, c.tp + c.fp), divide(c.tp, c.tp + c.fn)
    if rules.swap_precision_recall:
        precision, recall = recall, precision
    if rules.f1_arithmetic_mean:
        f1 = None if precision is None or recall is None else (precision + recall) / 2
    else:
        f1 = divide(2 * c.tp, 2 * c.tp + c.fp + c.fn)
    values = {"precision": precision, "recall": recall, "f1": f1}
    if rules.undefined_as_zero:
        values = {k: Fraction(0) if v is None else v for k, v in values.items()}
    return values


def mean(values: Sequence[Fraction | None], weights: Sequence[int], skip_undefined: bool) -> Fraction | None:
    """A weighted mean; an undefined value counts as 0 (scikit-learn) or is left out (`skip_undefined`)."""
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None or not skip_undefined]
    total = sum(w for _, w in pairs)
    return divide(sum(((v or Fraction(0)) * w for v, w in pairs), Fraction(0)), total)


def harmonic(p: Fraction | None, r: Fraction | None) -> Fraction | None:
    if p is None or r is None:
        return None
    return divide(2 * p * r, p + r)


def averages(classes: list[ClassCounts], rules: Rules) -> dict[str, Fraction | None]:
    """Macro, micro and weighted precision, recall and F1, and the accuracy."""
    values = [per_class_values(c, rules) for c in classes]
    total = sum(c.support for c in classes)
    correct = sum(c.tp for c in classes)
    result: dict[str, Fraction | None] = {"accuracy": divide(correct, total)}
    if rules.accuracy_one_vs_rest:
        result["accuracy"] = divide(sum(total - c.fp - c.fn for c in classes), total * len(classes))
    weights = [c.predicted if rules.weights_by_predictions else c.support for c in classes]
    for metric in METRICS:
        column = [v[metric] for v in values]
        result[f"macro_{metric}"] = mean(column, [1] * len(classes), rules.skip_undefined)
        result[f"weighted_{metric}"] = mean(column, weights, rules.skip_undefined)
    if rules.macro_f1_of_averages:
        result["macro_f1"] = harmonic(result["macro_precision"], result["macro_recall"])
    pooled_fp = sum(c.fp for c in classes)
    pooled_fn = sum(c.fn for c in classes)
    micro_p, micro_r = divide(correct, correct + pooled_fp), divide(correct, correct + pooled_fn)
    if rules.swap_precision_recall:
        micro_p, micro_r = micro_r, micro_p
    result |= {"micro_precision": micro_p, "micro_recall": micro_r, "micro_f1": harmonic(micro_p, micro_r)}
    return result


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def compute(
    problem: MulticlassProblem, rules: Rules = Rules(), matrix: CountMatrix | None = None
) -> dict[str, AnswerValue]:
    """Every part: accuracy, per-class values (one part each and a vector each), averages, `per_class`."""
    classes = class_counts(problem.matrix if matrix is None else matrix, problem.labels)
    answer: dict[str, AnswerValue] = {k: _float(v) for k, v in averages(classes, rules).items()}
    rows: list[dict[str, AnswerValue]] = []
    for c in classes:
        values = per_class_values(c, rules)
        for metric in METRICS:
            answer[per_class_name(metric, c.label)] = _float(values[metric])
        answer[per_class_name("support", c.label)] = float(c.support)
        rows.append({"label": c.label, **{m: _float(values[m]) for m in METRICS}, "support": c.support})
    for metric in METRICS:  # in label order; a 0/0 shows as 0 in a vector, as scikit-learn reports it
        answer[metric] = [float(per_class_values(c, rules)[metric] or 0) for c in classes]
    answer["support"] = [float(c.support) for c in classes]
    answer["per_class"] = rows
    return answer


# ---------------------------------------------------------------- parts

_METRIC_LABELS = {"precision": "Precision", "recall": "Recall", "f1": "F1", "support": "Support"}
_SYNONYMS = {
    "precision": ("precision", "ppv"),
    "recall": ("recall", "sensitivity", "tpr"),
    "f1": ("f1", "f1 score", "f1-score", "f-score", "f score", "f-measure", "f1score"),
    "support": ("support",),
}
_MODE_FORMS = (
    "{mode} {m}",
    "{mode}-{m}",
    "{mode}-averaged {m}",
    "{mode} averaged {m}",
    "{mode} average {m}",
    "{mode} avg {m}",
    "{m} ({mode})",
    "{m} ({mode}-averaged)",
    "{m} ({mode} average)",
    "{mode}_{m}",
    "{m}_{mode}",
    "{m} {mode}",
)
_CLASS_FORMS = (
    "{m} for {c}",
    "{m} for class {c}",
    "{m} of {c}",
    "{m} of class {c}",
    "{m} ({c})",
    "{m} [{c}]",
    "{m}[{c}]",
    "{m}_{c}",
    "{c} {m}",
    "class {c} {m}",
    "{m} for the {c} class",
    "{m} of the {c} class",
    "{m} {c}",
)
_NUMERIC_CLASS_FORMS = (
    "{m} for class {c}",
    "{m} of class {c}",
    "class {c} {m}",
    "{m} [{c}]",
    "{m}[{c}]",
    "{m}_{c}",
    "{m} (class {c})",
    "{m} ({c})",
)


def _average_spec(mode: str, metric: str) -> PartSpec:
    label = f"{mode.capitalize()} {_METRIC_LABELS[metric].lower() if metric != 'f1' else 'F1'}"
    aliases = tuple(
        dict.fromkeys(form.format(mode=mode, m=m) for m in _SYNONYMS[metric] for form in _MODE_FORMS)
    )
    if mode == "macro" and metric == "recall":
        aliases += ("balanced accuracy",)
    return PartSpec(f"{mode}_{metric}", label, ValueKind.FRACTION, aliases)


def _class_spec(metric: str, label: str) -> PartSpec:
    short = label.lstrip("-").isdigit() or len(label) == 1  # "a precision of 0.8" names no class "a"
    forms = _NUMERIC_CLASS_FORMS if short else _CLASS_FORMS
    aliases = tuple(
        dict.fromkeys(form.format(m=m, c=label.lower()) for m in _SYNONYMS[metric] for form in forms)
    )
    kind = ValueKind.SCALAR if metric == "support" else ValueKind.FRACTION
    return PartSpec(per_class_name(metric, label), f"{_METRIC_LABELS[metric]} for {label}", kind, aliases)


def _vector_spec(metric: str) -> PartSpec:
    names = _SYNONYMS[metric]
    aliases = tuple(
        dict.fromkeys(
            form.format(m=m)
            for m in names
            for form in (
                "{m}",
                "{m}s",
                "per-class {m}",
                "per class {m}",
                "{m} per class",
                "class-wise {m}",
                "{m} by class",
                "{m} for each class",
            )
        )
    )
    return PartSpec(metric, f"{_METRIC_LABELS[metric]} per class", ValueKind.VECTOR, aliases)


def part_specs(labels: Sequence[str]) -> dict[str, PartSpec]:
    """Every part a multi-class answer has, for these class labels."""
    specs = [PartSpec("accuracy", "Accuracy", ValueKind.FRACTION, ("acc", "overall accuracy"))]
    specs += [_class_spec(m, label) for m in (*METRICS, "support") for label in labels]
    specs += [_average_spec(mode, m) for mode in MODES for m in METRICS]
    specs += [_vector_spec(m) for m in (*METRICS, "support")]
    # The whole table, for display: never asked, so never compared.
    specs.append(PartSpec("per_class", "Per-class metrics", ValueKind.VECTOR))
    return {spec.name: spec for spec in specs}
