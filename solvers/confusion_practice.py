"""Fresh binary confusion-matrix questions: four counts drawn from `rng`, worded in one of several
styles (counts named in prose, a short story, a markdown table with rows = predicted or rows =
actual, a LaTeX tabular or bmatrix with its orientation stated, scikit-learn's layout, lists of
true and predicted labels), asking for one to four metrics.

Every question says which axis holds the actual classes and which class is positive, so only the
known mistakes can give a different answer. Counts are redrawn while two quantities a mistake
confuses (precision and recall, specificity and NPV, F1 and the mean of P and R, ...) are too
close to tell apart: FP = FN, for one, would hide a transposed table.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MIN_COUNT, MAX_COUNT = 5, 900
MIN_LIST_COUNT, MAX_LIST_COUNT = 2, 8  # a label list stays short enough to count by hand
MARGIN = 0.02  # confusable quantities differ by at least 2 % (twice the grading tolerance)
MAX_TRIES = 500


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def flagged(self) -> int:
        return self.tp + self.fp

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


# Counts that tell every mistake apart (P = 0.5, R = 0.8; P = 5/7, R = 5/11), used only if no draw does.
FALLBACK = Counts(80, 80, 20, 820)
SMALL_FALLBACK = Counts(5, 2, 6, 8)


@dataclass(frozen=True)
class Domain:
    """Class names as a table labels them, the items counted, the model, and the labels of a list."""

    positive: str
    negative: str
    items: str
    model: str
    labels: tuple[str, str]  # (positive, negative) as they appear in y_true / y_pred
    quoted: bool = True  # list labels written as strings


DOMAINS = (
    Domain("Cancer", "No cancer", "patients", "screening model", ("cancer", "healthy")),
    Domain("Spam", "Ham", "emails", "spam filter", ("spam", "ham")),
    Domain("Fraud", "Legit", "transactions", "fraud detector", ("fraud", "legit")),
    Domain("Positive", "Negative", "samples", "classifier", ("pos", "neg")),
    Domain("1", "0", "examples", "binary classifier", ("1", "0"), quoted=False),
)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


# ---------------------------------------------------------------- what is asked

COMMON = ("accuracy", "precision", "recall", "specificity", "f1")
RARE = ("npv", "fpr", "balanced_accuracy", "mcc", "f_beta")  # f_beta is always F2 here

_NAMES: dict[str, tuple[str, ...]] = {
    "accuracy": ("accuracy",),
    "precision": ("precision", "precision (positive predictive value)", "PPV"),
    "recall": ("recall", "sensitivity", "recall (sensitivity)", "true positive rate"),
    "specificity": ("specificity", "true negative rate"),
    "f1": ("F1 score", "F1-score", "F1"),
    "npv": ("negative predictive value", "NPV"),
    "fpr": ("false positive rate", "fall-out"),
    "balanced_accuracy": ("balanced accuracy",),
    "mcc": ("Matthews correlation coefficient (MCC)", "MCC"),
    "f_beta": ("F2 score", "F_2 score", "F-beta score with β = 2"),
}


def asked_for(rng: random.Random) -> tuple[str, ...]:
    """One to four metrics, mostly the common five, sometimes one of the rarer ones."""
    size = pick(rng, (1, 2, 2, 3, 3, 4))
    chosen = rng.sample(COMMON, size)
    if rng.random() < 0.35:
        chosen[rng.randrange(size)] = pick(rng, RARE)
    if chosen == ["mcc"]:  # no known mistake changes the MCC alone
        chosen.append(pick(rng, COMMON))
    return tuple(dict.fromkeys(chosen))


def listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def ask(rng: random.Random, asked: tuple[str, ...], subject: str = "") -> str:
    """ "Compute the precision, recall and F1 score." in one of a few phrasings."""
    names = listed([pick(rng, _NAMES[m]) for m in asked])
    of = f" of the {subject}" if subject else ""
    verb = "What is" if len(asked) == 1 else "What are"
    return pick(
        rng,
        (
            f"Compute the {names}{of}.",
            f"{verb} the {names}{of}?",
            f"Find the {names}.",
            f"Calculate the {names}{of}.",
        ),
    )


# ---------------------------------------------------------------- the counts


def _apart(a: float, b: float) -> bool:
    return abs(a - b) > MARGIN * max(abs(a), abs(b))


def telling(c: Counts, asked: tuple[str, ...]) -> bool:
    """Does every known mistake change some value far beyond the tolerance?"""
    tp, fp, fn, tn = c.tp, c.fp, c.fn, c.tn
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    specificity, npv = tn / (tn + fp), tn / (tn + fn)
    fpr, fnr = fp / (fp + tn), fn / (fn + tp)
    pairs = [
        (precision, recall),  # swapped; a transposed table
        (specificity, npv),  # specificity as NPV; a transposed table
        (specificity, fpr),
        (fpr, 1 - precision),  # FPR as 1 − precision
        (fpr, fn / (fn + tn)),  # a transposed table
        (fpr, fnr),  # the other class taken as positive
        (precision, npv),
        (recall, specificity),
        ((tp + tn) / c.total, tp / (tp + fp + fn)),  # accuracy without TN
        ((recall + specificity) / 2, (precision + npv) / 2),  # balanced accuracy, transposed
        (tp, tn),  # F1 with the other class positive
    ]
    if "f1" in asked or "f_beta" in asked:
        harmonic = 2 * precision * recall / (precision + recall)
        pairs.append((harmonic, (precision + recall) / 2))  # F1 as the arithmetic mean
    return all(_apart(a, b) for a, b in pairs)


def _count(rng: random.Random, low: int, high: int) -> int:
    """A count spread evenly over its orders of magnitude."""
    low, high = max(low, MIN_COUNT), min(max(high, MIN_COUNT), MAX_COUNT)
    spread: float = (high / low) ** rng.random()
    return round(low * spread)


def draw_counts(rng: random.Random, asked: tuple[str, ...]) -> Counts:
    """TP and TN the larger cells, FP and FN the errors; redrawn until every mistake shows."""
    for _ in range(MAX_TRIES):
        tp = _count(rng, 20, MAX_COUNT)
        tn = _count(rng, 20, MAX_COUNT)
        fp = _count(rng, MIN_COUNT, max(MIN_COUNT + 1, tn * 3 // 4))
        fn = _count(rng, MIN_COUNT, max(MIN_COUNT + 1, tp * 3 // 4))
        counts = Counts(tp, fp, fn, tn)
        if telling(counts, asked):
            return counts
    return FALLBACK


def draw_small_counts(rng: random.Random, asked: tuple[str, ...]) -> Counts:
    """Counts small enough to write out as label lists."""
    for _ in range(MAX_TRIES):
        counts = Counts(*(rng.randint(MIN_LIST_COUNT, MAX_LIST_COUNT) for _ in range(4)))
        if telling(counts, asked):
            return counts
    return SMALL_FALLBACK


# ---------------------------------------------------------------- counts named in prose

_CELL_WORDS = {
    "TP": "true positives",
    "FP": "false positives",
    "FN": "false negatives",
    "TN": "true negatives",
}


def named_counts(rng: random.Random) -> str:
    asked = asked_for(rng)
    c = draw_counts(rng, asked)
    cells = [("TP", c.tp), ("FP", c.fp), ("FN", c.fn), ("TN", c.tn)]
    if rng.random() < 0.3:
        rng.shuffle(cells)
    form = rng.randrange(4)
    if form == 0:
        named = listed([f"{name} = {value}" for name, value in cells])
        model = pick(rng, ("A classifier gives", "A binary classifier has", "Given"))
        return f"{model} {named}. {ask(rng, asked)}"
    if form == 1:
        named = listed([f"{value} {_CELL_WORDS[name]}" for name, value in cells])
        d = pick(rng, DOMAINS)
        return f"On a test set, the {d.model} produced {named}. {ask(rng, asked)}"
    if form == 2:
        bullets = "\n".join(f"- {_CELL_WORDS[name].title()} ({name}): {value}" for name, value in cells)
        return f"The evaluation of a model gives:\n{bullets}\n{ask(rng, asked)}"
    return " ".join(f"{name}: {value}" for name, value in cells) + f"\n{ask(rng, asked)}"


# ---------------------------------------------------------------- a story

# (the story, with `c` the counts; what "the ..." in the question refers to)
_STORIES = (
    (
        "A screening test for cancer is given to {c.total} patients, {c.positives} of whom have cancer. It "
        "correctly flags {c.tp} of the {c.positives} patients with cancer. It also flags {c.fp} healthy "
        "patients. The remaining {c.tn} healthy patients are correctly cleared.",
        "test",
    ),
    (
        "A screening test flagged {c.flagged} of {c.total} patients as having cancer. {c.tp} of the flagged "
        "patients actually have cancer, and {c.positives} of the {c.total} patients have cancer.",
        "test",
    ),
    (
        "A screening test flagged {c.flagged} patients, of whom {c.tp} have cancer. It missed {c.fn} "
        "patients with cancer. {c.total} patients were screened in total.",
        "test",
    ),
    (
        "A spam filter is tested on {c.total} emails, of which {c.positives} are spam. It flags {c.flagged} "
        "emails as spam, of which {c.tp} are actually spam.",
        "filter",
    ),
    (
        "Out of {c.positives} fraudulent transactions, the model detected {c.tp}, and it wrongly flagged "
        "{c.fp} of the {c.negatives} legitimate transactions as fraud.",
        "model",
    ),
    (
        "A diagnostic test was given to {c.total} people; {c.positives} of them have the disease. The test "
        "was positive for {c.tp} of the people with the disease and for {c.fp} of the people without the "
        "disease.",
        "test",
    ),
    (
        "The classifier missed {c.fn} of the {c.positives} positive cases and raised false alarms on {c.fp} "
        "of the {c.negatives} negative cases.",
        "classifier",
    ),
    (
        "A fraud detector flagged {c.flagged} transactions. {c.tp} of the flagged transactions were "
        "fraudulent. The detector missed {c.fn} fraudulent transactions. There were {c.total} transactions "
        "in total.",
        "detector",
    ),
    (
        "In a test set of {c.total} patients, {c.positives} patients have cancer. The model predicted cancer "
        "for {c.flagged} patients, {c.tp} of whom actually had cancer.",
        "model",
    ),
)


def story(rng: random.Random) -> str:
    asked = asked_for(rng)
    c = draw_counts(rng, asked)
    told, subject = pick(rng, _STORIES)
    return f"{told.format(c=c)} {ask(rng, asked, subject)}"


# ---------------------------------------------------------------- tables


def _grid(c: Counts, rows_actual: bool, positive_first: bool) -> list[list[int]]:
    """The four counts laid out as the table shows them."""
    first, second = ((c.tp, c.fn), (c.fp, c.tn)) if rows_actual else ((c.tp, c.fp), (c.fn, c.tn))
    grid = [list(first), list(second)]
    if not positive_first:
        grid = [row[::-1] for row in grid[::-1]]
    return grid


def _classes(d: Domain, positive_first: bool) -> tuple[str, str]:
    return (d.positive, d.negative) if positive_first else (d.negative, d.positive)


def _intro(rng: random.Random, d: Domain) -> str:
    return pick(
        rng,
        (
            "",
            f"The {d.model} is evaluated on a test set of {d.items}. Its confusion matrix:\n",
            "Given the confusion matrix:\n",
            f"Confusion matrix of a {d.model}:\n",
        ),
    )


def markdown_table(rng: random.Random, rows_actual: bool) -> str:
    asked = asked_for(rng)
    c = draw_counts(rng, asked)
    d = pick(rng, DOMAINS)
    positive_first = rng.random() < 0.7
    grid = _grid(c, rows_actual, positive_first)
    names = _classes(d, positive_first)
    rows_word, cols_word = ("Actual", "Predicted") if rows_actual else ("Predicted", "Actual")
    form = rng.randrange(3)
    caption = ""
    if form == 0:
        header = f"| | {cols_word}: {names[0]} | {cols_word}: {names[1]} |"
        labels = [f"{rows_word}: {n}" for n in names]
    elif form == 1:
        header = f"| {rows_word} \\ {cols_word} | {names[0]} | {names[1]} |"
        labels = list(names)
    else:
        held = "the actual classes" if rows_actual else "the model's predictions"
        other = "the predicted classes" if rows_actual else "the true classes"
        caption = f"In the table below, rows are {held} and columns {other}.\n"
        header = f"| | {names[0]} | {names[1]} |"
        labels = list(names)
    body = "\n".join(f"| {label} | {row[0]} | {row[1]} |" for label, row in zip(labels, grid, strict=True))
    intro = "" if caption else _intro(rng, d)
    return f"{intro}{caption}{header}\n|---|---|---|\n{body}\n{ask(rng, asked)}"


def rows_predicted(rng: random.Random) -> str:
    return markdown_table(rng, rows_actual=False)


def rows_actual(rng: random.Random) -> str:
    return markdown_table(rng, rows_actual=True)


def latex(rng: random.Random) -> str:
    asked = asked_for(rng)
    c = draw_counts(rng, asked)
    d = pick(rng, DOMAINS)
    rows_are_actual = rng.random() < 0.5
    rows_word, cols_word = ("Actual", "Predicted") if rows_are_actual else ("Predicted", "Actual")
    if rng.random() < 0.5:
        positive_first = rng.random() < 0.7
        (a, b), (e, f) = _grid(c, rows_are_actual, positive_first)
        first, second = _classes(d, positive_first)
        table = (
            rf"\begin{{tabular}}{{c|cc}} & \multicolumn{{2}}{{c}}{{{cols_word}}} \\ {rows_word} & {first} & "
            rf"{second} \\ \hline {first} & {a} & {b} \\ {second} & {e} & {f} \end{{tabular}}"
        )
        return f"{table}\n{ask(rng, asked)}"
    (a, b), (e, f) = _grid(c, rows_are_actual, positive_first=True)
    rows_held = "true labels" if rows_are_actual else "predicted labels"
    cols_held = "predicted labels" if rows_are_actual else "true labels"
    return (
        rf"The confusion matrix is $$C = \begin{{bmatrix}} {a} & {b} \\ {e} & {f} \end{{bmatrix}}$$ where "
        f"rows correspond to the {rows_held} and columns to the {cols_held}, with the positive class in the "
        f"first row and column. {ask(rng, asked)}"
    )


def sklearn(rng: random.Random) -> str:
    """scikit-learn's layout: rows are true labels in the order of `labels`, 0 before 1."""
    asked = asked_for(rng)
    c = draw_counts(rng, asked)
    matrix = f"[[{c.tn}, {c.fp}], [{c.fn}, {c.tp}]]"
    if rng.random() < 0.5:
        return (
            f"cm = {matrix} is the output of sklearn's confusion_matrix(y_true, y_pred) with labels [0, 1]. "
            f"{ask(rng, asked)}"
        )
    return (
        f"A classifier's confusion matrix is {matrix}, as returned by scikit-learn's "
        f"confusion_matrix(y_true, y_pred) with labels [0, 1] (class 1 is positive). {ask(rng, asked)}"
    )


# ---------------------------------------------------------------- label lists


def label_lists(rng: random.Random) -> str:
    asked = asked_for(rng)
    c = draw_small_counts(rng, asked)
    d = pick(rng, DOMAINS)
    pos, neg = d.labels
    pairs = [(pos, pos)] * c.tp + [(neg, pos)] * c.fp + [(pos, neg)] * c.fn + [(neg, neg)] * c.tn
    rng.shuffle(pairs)
    y_true, y_pred = [t for t, _ in pairs], [p for _, p in pairs]
    form = rng.randrange(3)
    if form == 0:
        shown_true, shown_pred = _bracketed(y_true, d.quoted), _bracketed(y_pred, d.quoted)
        return f"y_true = {shown_true}\ny_pred = {shown_pred}\n{ask(rng, asked)}"
    if form == 1:
        return f"True labels: {' '.join(y_true)}\nPredicted labels: {' '.join(y_pred)}\n{ask(rng, asked)}"
    shown_true, shown_pred = _bracketed(y_true, d.quoted), _bracketed(y_pred, d.quoted)
    return (
        f"The true labels are {shown_true} and the {d.model}'s predictions are {shown_pred}, "
        f"with {pos} as the positive class. {ask(rng, asked)}"
    )


def _bracketed(labels: list[str], quoted: bool) -> str:
    return "[" + ", ".join(f"'{x}'" if quoted else x for x in labels) + "]"


STYLES: tuple[Callable[[random.Random], str], ...] = (
    named_counts,
    story,
    rows_predicted,
    rows_actual,
    latex,
    sklearn,
    label_lists,
)


def practice_question(rng: random.Random) -> str:
    """One question in one of the `STYLES`, its counts drawn from `rng`."""
    return pick(rng, STYLES)(rng)
