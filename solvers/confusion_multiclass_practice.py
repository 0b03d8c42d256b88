"""Fresh multi-class confusion-matrix questions: a k×k matrix drawn from `rng` (k = 3 to 5), laid
out as a markdown table (rows actual or rows predicted), a LaTeX tabular, a bmatrix, scikit-learn's
nested list, plain rows or lists of true and predicted labels, asking for averages or per-class
values in one of several phrasings.

Every question says which axis holds the actual classes, so only a known mistake gives another
answer; the matrix is redrawn while some known mistake would land within twice the tolerance of
the right value of every asked part it touches.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from solvers.base import AnswerValue
from solvers.confusion_multiclass_metrics import CountMatrix, MulticlassProblem, compute
from solvers.confusion_multiclass_variants import known_mistakes
from solvers.confusion_practice import listed, pick

MARGIN = 0.02
MAX_TRIES = 200
FALLBACK: CountMatrix = ((50, 3, 2), (5, 40, 5), (0, 4, 41))

CLASS_SETS = (
    ("cat", "dog", "bird", "fish", "horse"),
    ("setosa", "versicolor", "virginica"),
    ("negative", "neutral", "positive"),
    ("car", "truck", "bus", "bicycle", "motorbike"),
    ("sunny", "cloudy", "rainy", "snowy"),
    ("0", "1", "2", "3", "4"),
)
_METRIC_WORDS = {"precision": "precision", "recall": "recall", "f1": "F1 score"}
_MODE_WORDS = {
    "macro": ("macro-averaged", "macro", "macro-average"),
    "micro": ("micro-averaged", "micro"),
    "weighted": ("weighted", "support-weighted", "weighted-average"),
}


@dataclass(frozen=True)
class Ask:
    """What a question asks, as words and as the part names the solver should read from them."""

    words: str
    names: tuple[str, ...]


def _averages(rng: random.Random) -> Ask:
    modes = rng.sample(("macro", "micro", "weighted"), pick(rng, (1, 1, 2)))
    metrics = rng.sample(("precision", "recall", "f1"), pick(rng, (1, 2, 3)))
    metric_words = listed([_METRIC_WORDS[m] for m in metrics])
    if len(modes) == 1:
        words = f"the {pick(rng, _MODE_WORDS[modes[0]])} {metric_words}"
    else:
        words = f"the {modes[0]} and {modes[1]} {metric_words}"
    names = tuple(f"{mode}_{m}" for mode in modes for m in metrics)
    if rng.random() < 0.3:
        return Ask(f"the accuracy and {words}", ("accuracy", *names))
    return Ask(words, names)


def _one_class(rng: random.Random, labels: tuple[str, ...]) -> Ask:
    label = pick(rng, labels)
    metrics = rng.sample(("precision", "recall", "f1"), pick(rng, (1, 2)))
    named = f"class {label}" if label.isdigit() else pick(rng, (f"the class '{label}'", f"class {label}"))
    return Ask(
        f"the {listed([_METRIC_WORDS[m] for m in metrics])} of {named}",
        tuple(f"{m}[{label}]" for m in metrics),
    )


def _each_class(rng: random.Random, labels: tuple[str, ...]) -> Ask:
    metrics = rng.sample(("precision", "recall", "f1"), pick(rng, (2, 3)))
    words = pick(rng, ("for each class", "per class", "of every class"))
    return Ask(
        f"the {listed([_METRIC_WORDS[m] for m in metrics])} {words}",
        tuple(f"{m}[{label}]" for m in metrics for label in labels),
    )


def draw_ask(rng: random.Random, labels: tuple[str, ...]) -> Ask:
    roll = rng.random()
    if roll < 0.6:
        return _averages(rng)
    return _one_class(rng, labels) if roll < 0.85 else _each_class(rng, labels)


def sentence(rng: random.Random, ask: Ask) -> str:
    return pick(
        rng,
        (f"Compute {ask.words}.", f"What is {ask.words}?", f"Find {ask.words}.", f"Calculate {ask.words}."),
    )


def _apart(a: AnswerValue, b: AnswerValue) -> bool:
    if not isinstance(a, float) or not isinstance(b, float):
        return a != b
    return abs(a - b) > MARGIN * max(abs(a), abs(b))


def telling(problem: MulticlassProblem) -> bool:
    """Does every known mistake move some asked part it touches well beyond the tolerance?"""
    right = compute(problem)
    for variant in known_mistakes(problem):
        touched = [n for n in problem.asked if n in variant.answer]
        if touched and not any(_apart(right[n], variant.answer[n]) for n in touched):
            return False
    return True


def draw_matrix(rng: random.Random, labels: tuple[str, ...], ask: Ask, small: bool = False) -> CountMatrix:
    """Diagonal-heavy counts with unequal class sizes, redrawn until every mistake shows."""
    k = len(labels)
    for _ in range(MAX_TRIES):
        if small:
            rows = [[rng.randint(2, 6) if i == j else rng.randint(0, 2) for j in range(k)] for i in range(k)]
        else:
            scale = [rng.choice((1, 2, 3, 5)) for _ in range(k)]
            rows = [
                [rng.randint(8, 30) * scale[i] if i == j else rng.randint(0, 6 * scale[i]) for j in range(k)]
                for i in range(k)
            ]
        matrix = tuple(tuple(row) for row in rows)
        if telling(MulticlassProblem(matrix, labels, ask.names, "rows_actual")):
            return matrix
    return FALLBACK


def _draw(rng: random.Random, small: bool = False) -> tuple[tuple[str, ...], CountMatrix, Ask]:
    names = pick(rng, CLASS_SETS)
    labels = names[: rng.randint(3, min(5, len(names)))] if not small else names[:3]
    ask = draw_ask(rng, labels)
    matrix = draw_matrix(rng, labels, ask, small)
    if matrix is FALLBACK:
        labels, ask = ("cat", "dog", "bird"), Ask("the macro-averaged F1 score", ("macro_f1",))
    return labels, matrix, ask


# ---------------------------------------------------------------- layouts


def _transpose(matrix: CountMatrix) -> CountMatrix:
    return tuple(zip(*matrix, strict=True))


def markdown(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng)
    rows_actual = rng.random() < 0.6
    shown = matrix if rows_actual else _transpose(matrix)
    rows_word, cols_word = ("Actual", "Predicted") if rows_actual else ("Predicted", "Actual")
    lines = []
    if rng.random() < 0.5:
        header = "| | " + " | ".join(f"{cols_word} {x}" for x in labels) + " |"
        lines = [
            f"| {rows_word} {x} | " + " | ".join(map(str, row)) + " |"
            for x, row in zip(labels, shown, strict=True)
        ]
        intro = pick(
            rng, ("Confusion matrix of a classifier:\n", "A model is evaluated on a test set:\n", "")
        )
    else:
        header = "| | " + " | ".join(labels) + " |"
        lines = [f"| {x} | " + " | ".join(map(str, row)) + " |" for x, row in zip(labels, shown, strict=True)]
        held = "the actual classes" if rows_actual else "the model's predictions"
        intro = (
            f"In the confusion matrix below, rows are {held} and columns the {cols_word.lower()} classes.\n"
        )
    rule = "|---" * (len(labels) + 1) + "|"
    return f"{intro}{header}\n{rule}\n" + "\n".join(lines) + f"\n{sentence(rng, ask)}"


def latex_tabular(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng)
    k = len(labels)
    body = r" \\ ".join(f"{x} & " + " & ".join(map(str, row)) for x, row in zip(labels, matrix, strict=True))
    table = (
        rf"\begin{{tabular}}{{c|{'c' * k}}} & \multicolumn{{{k}}}{{c}}{{Predicted}} \\ Actual & "
        + " & ".join(labels)
        + rf" \\ \hline {body} \end{{tabular}}"
    )
    return f"{table}\n{sentence(rng, ask)}"


def bmatrix(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng)
    body = r" \\ ".join(" & ".join(map(str, row)) for row in matrix)
    return (
        rf"The confusion matrix $$C = \begin{{bmatrix}} {body} \end{{bmatrix}}$$ has rows for the true classes "
        f"and columns for the predicted ones, with the classes {listed(list(labels))} in that order. "
        f"{sentence(rng, ask)}"
    )


def sklearn_list(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng)
    quoted = ", ".join(f"'{x}'" for x in labels)
    nested = "[" + ", ".join("[" + ", ".join(map(str, row)) + "]" for row in matrix) + "]"
    return (
        f"scikit-learn's confusion_matrix(y_true, y_pred, labels=[{quoted}]) returns {nested}. "
        f"{sentence(rng, ask)}"
    )


def plain_rows(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng)
    width = max(len(x) for x in labels) + 8
    header = " " * width + "".join(f"pred {x}".rjust(width) for x in labels)
    rows = "\n".join(
        f"true {x}".ljust(width) + "".join(str(v).rjust(width) for v in row)
        for x, row in zip(labels, matrix, strict=True)
    )
    return f"Multi-class confusion matrix:\n{header}\n{rows}\n{sentence(rng, ask)}"


def label_lists(rng: random.Random) -> str:
    labels, matrix, ask = _draw(rng, small=True)
    pairs = [(t, p) for i, t in enumerate(labels) for j, p in enumerate(labels) for _ in range(matrix[i][j])]
    rng.shuffle(pairs)
    quote = "" if labels[0].isdigit() else "'"
    y_true = "[" + ", ".join(f"{quote}{t}{quote}" for t, _ in pairs) + "]"
    y_pred = "[" + ", ".join(f"{quote}{p}{quote}" for _, p in pairs) + "]"
    return f"y_true = {y_true}\ny_pred = {y_pred}\n{sentence(rng, ask)}"


STYLES: tuple[Callable[[random.Random], str], ...] = (
    markdown,
    latex_tabular,
    bmatrix,
    sklearn_list,
    plain_rows,
    label_lists,
)


def practice_question(rng: random.Random) -> str:
    return pick(rng, STYLES)(rng)
