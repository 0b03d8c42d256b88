"""Multi-class confusion matrices: per-class precision, recall, F1 and support; macro, micro and
weighted averages; accuracy.

Reading is `solvers.confusion_multiclass_parse` (tables, label lists) and
`solvers.confusion_multiclass_asked`; the metrics are `solvers.confusion_multiclass_metrics`, their
steps `solvers.confusion_multiclass_steps`. A 2×2 matrix comes here only when the question asks for
averaged or per-class values; otherwise it is `confusion_binary`'s.
"""

from __future__ import annotations

import random

from solvers.base import Example, Solution, Solver, Variant
from solvers.confusion_lists import label_lists
from solvers.confusion_multiclass_asked import AVERAGING, asks_averages, read_asked
from solvers.confusion_multiclass_metrics import MulticlassProblem, compute, part_specs
from solvers.confusion_multiclass_parse import MIN_CLASSES, find_matrices, read_matrix
from solvers.confusion_multiclass_practice import practice_question
from solvers.confusion_multiclass_steps import steps
from solvers.confusion_multiclass_variants import known_mistakes
from solvers.errors import InvalidQuestion, NotUnderstood

_CONVENTIONS = (
    "Per-class precision, recall and F1 take each class in turn as the positive class (one vs rest).",
    "Macro averages are the unweighted mean over the classes; weighted averages weight each class by "
    "its support (its number of actual examples); micro averages pool TP, FP and FN over the classes, "
    "so for single-label data micro precision = micro recall = micro F1 = accuracy.",
    "Macro F1 is the mean of the per-class F1 scores, as scikit-learn's f1_score(average='macro') "
    "computes it. Some texts take the harmonic mean of macro precision and macro recall instead; that "
    "is a different number and is not accepted.",
    "Metrics are fractions between 0 and 1 (0.9 is 90 %).",
)
_ZERO_DIVISION = (
    "A class with no predictions (or no examples) has an undefined (0/0) precision (or recall); it is "
    "reported as undefined, and the averages count it as 0, as scikit-learn does by default "
    "(zero_division=0, with a warning). Reporting it as 0, or averaging over the other classes only "
    "(zero_division=np.nan), is accepted."
)


class MulticlassConfusionSolver(Solver[MulticlassProblem]):
    kind = "confusion_multiclass"
    title = "Multi-class confusion matrix metrics"
    topic = "evaluation"

    def detect(self, text: str) -> float:
        try:
            self.parse(text)
        except InvalidQuestion:
            return 0.8
        except NotUnderstood:
            return 0.6 if _looks_multiclass(text) else 0.0
        return 0.95

    def parse(self, text: str) -> MulticlassProblem:
        reading = read_matrix(text)
        size = len(reading.labels)
        if size < MIN_CLASSES:
            raise NotUnderstood("only one class appears; a confusion matrix needs two or more")
        if size == 2 and not asks_averages(text):
            raise NotUnderstood(
                "a 2×2 matrix with no averaged or per-class metric asked is a binary question"
            )
        if sum(map(sum, reading.matrix)) == 0:
            raise InvalidQuestion("every count is zero: there is nothing to evaluate")
        asked = read_asked(text, reading.labels)
        return MulticlassProblem(
            reading.matrix,
            reading.labels,
            asked.names,
            reading.orientation,
            reading.orientation_assumed,
            reading.description,
            (*reading.conventions, *_CONVENTIONS),
            asked.notes,
        )

    def solve(self, problem: MulticlassProblem) -> Solution:
        answer = compute(problem)
        undefined = [name for name in answer if answer[name] is None]
        conventions = list(problem.conventions)
        if undefined:
            conventions.append(_ZERO_DIVISION)
        notes = [*problem.notes, *(f"{name} is undefined (0/0)." for name in undefined)]
        given = {"matrix": [list(row) for row in problem.matrix], "labels": list(problem.labels)}
        given["orientation"] = problem.orientation
        return Solution(
            self.kind,
            problem.asked,
            answer,
            part_specs(problem.labels),
            steps(problem),
            conventions,
            given,
            notes,
        )

    def variants(self, problem: MulticlassProblem) -> list[Variant]:
        return known_mistakes(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


def _looks_multiclass(text: str) -> bool:
    """Multi-class data this solver should explain its refusal for, rather than stay silent."""
    if any(len(f.values) > 2 for f in find_matrices(text)):
        return True
    try:
        lists = label_lists(text)
    except (NotUnderstood, InvalidQuestion):
        return False
    return lists is not None and (len(set(lists[0]) | set(lists[1])) > 2 or bool(AVERAGING.search(text)))


_TABLE = (
    "| | Predicted cat | Predicted dog | Predicted bird |\n|---|---|---|---|\n"
    "| Actual cat | 50 | 3 | 2 |\n| Actual dog | 5 | 40 | 5 |\n| Actual bird | 0 | 4 | 41 |\n"
)
EXAMPLES: tuple[Example, ...] = (
    Example(
        _TABLE + "Compute the accuracy and the macro-averaged precision, recall and F1 score.",
        {
            "accuracy": 131 / 150,
            "macro_precision": (50 / 55 + 40 / 47 + 41 / 48) / 3,
            "macro_recall": (50 / 55 + 40 / 50 + 41 / 45) / 3,
        },
    ),
    Example(
        _TABLE + "What are the precision and recall for each class?",
        {"precision[cat]": 50 / 55, "recall[dog]": 0.8, "precision[bird]": 41 / 48},
    ),
    Example(
        "y_true = [0, 1, 2, 2, 1, 0, 2, 1]\ny_pred = [0, 2, 2, 2, 1, 0, 1, 1]\n"
        "Compute the micro and macro F1 scores.",
        {"micro_f1": 0.75, "macro_f1": (1 + 2 / 3 + 2 / 3) / 3},
    ),
    Example(
        r"The confusion matrix $\begin{bmatrix} 5 & 1 & 0 \\ 2 & 6 & 1 \\ 0 & 1 & 4 \end{bmatrix}$ has "
        "rows = true class and columns = predicted class. Find the weighted F1 score.",
        {"weighted_f1": (6 * (10 / 13) + 9 * (12 / 17) + 5 * (8 / 10)) / 20},
    ),
    Example(
        "Rows are predicted classes, columns actual.\n"
        "| | A | B | C |\n|---|---|---|---|\n| A | 10 | 2 | 3 |\n| B | 1 | 12 | 0 |\n| C | 2 | 2 | 8 |\n"
        "What is the recall of class A?",
        {"recall[A]": 10 / 13},
    ),
    Example(
        "For the binary confusion matrix\n| | Predicted yes | Predicted no |\n|---|---|---|\n"
        "| Actual yes | 40 | 10 |\n| Actual no | 5 | 45 |\nCompute the macro-averaged and weighted F1.",
        {"macro_f1": (80 / 95 + 90 / 105) / 2},
    ),
    Example(
        "cm = confusion_matrix(y_true, y_pred) gives [[13, 0, 0], [0, 10, 6], [0, 0, 9]]. "
        "Compute the accuracy and the weighted recall.",
        {"accuracy": 32 / 38, "weighted_recall": 32 / 38},
    ),
)
