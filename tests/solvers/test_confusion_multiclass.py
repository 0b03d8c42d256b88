"""The multi-class confusion-matrix solver: real wordings (exam, textbook, Q&A; markdown, LaTeX,
plain rows, nested lists, label lists), every value checked against scikit-learn computed here from
the data each question states; grading, named mistakes, routing, practice."""

from __future__ import annotations

import random
import warnings
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, classification_report, precision_recall_fscore_support

from solvers.compare import same_answer
from solvers.confusion_multiclass import MulticlassConfusionSolver
from solvers.confusion_multiclass_metrics import CountMatrix
from solvers.errors import NotUnderstood
from solvers.grading import PartStatus, grade_response
from solvers.normalize import normalize
from solvers.route import solve_question

SOLVER = MulticlassConfusionSolver()
ANIMALS = ("cat", "dog", "bird")
CAT_DOG_BIRD: CountMatrix = ((50, 3, 2), (5, 40, 5), (0, 4, 41))  # rows = actual
P, R, F = "precision", "recall", "f1"


def each(metrics: tuple[str, ...], labels: tuple[str, ...]) -> set[str]:
    return {f"{m}[{label}]" for m in metrics for label in labels}


def modes(*names: str) -> set[str]:
    return set(names)


# (question, the matrix it states with rows = actual, class labels in row order, the parts asked)
CASES: list[tuple[str, CountMatrix, tuple[str, ...], set[str]]] = [
    (
        "Confusion matrix of an image classifier:\n"
        "| | Predicted cat | Predicted dog | Predicted bird |\n|---|---|---|---|\n"
        "| Actual cat | 50 | 3 | 2 |\n| Actual dog | 5 | 40 | 5 |\n| Actual bird | 0 | 4 | 41 |\n"
        "Compute the macro-averaged precision, recall and F1 score.",
        CAT_DOG_BIRD,
        ANIMALS,
        modes("macro_precision", "macro_recall", "macro_f1"),
    ),
    (  # exam style, corner cell names the axes, rows predicted
        "Q3 (6 marks). The table shows the predictions of a sentiment model.\n"
        "| Predicted \\ Actual | negative | neutral | positive |\n|---|---|---|---|\n"
        "| negative | 30 | 6 | 2 |\n| neutral | 8 | 25 | 7 |\n| positive | 2 | 9 | 41 |\n"
        "(a) Compute the precision and recall for each class. (b) Compute the micro-averaged F1 score.",
        ((30, 8, 2), (6, 25, 9), (2, 7, 41)),
        ("negative", "neutral", "positive"),
        each((P, R), ("negative", "neutral", "positive")) | {"micro_f1"},
    ),
    (  # textbook: a caption says what rows hold
        "In the confusion matrix below, rows are the true classes and columns the predicted classes.\n"
        "| | setosa | versicolor | virginica |\n|---|---|---|---|\n"
        "| setosa | 16 | 0 | 0 |\n| versicolor | 0 | 17 | 1 |\n| virginica | 0 | 0 | 11 |\n"
        "Report the accuracy and the weighted F1.",
        ((16, 0, 0), (0, 17, 1), (0, 0, 11)),
        ("setosa", "versicolor", "virginica"),
        modes("accuracy", "weighted_f1"),
    ),
    (  # Q&A: scikit-learn output pasted
        "I ran confusion_matrix(y_true, y_pred) from sklearn and got [[13, 0, 0], [0, 10, 6], [0, 0, 9]]. "
        "How do I get the macro and weighted averages of precision, recall and F1 from this?",
        ((13, 0, 0), (0, 10, 6), (0, 0, 9)),
        ("0", "1", "2"),
        {f"{mode}_{m}" for mode in ("macro", "weighted") for m in (P, R, F)},
    ),
    (
        "y_true = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2]\ny_pred = [0, 2, 2, 2, 1, 0, 1, 1, 1, 2]\n"
        "Compute the accuracy, the macro F1 and the micro F1.",
        ((2, 1, 0), (0, 2, 1), (0, 1, 3)),
        ("0", "1", "2"),
        modes("accuracy", "macro_f1", "micro_f1"),
    ),
    (  # word labels in lists: sorted as scikit-learn sorts them
        "The true labels are ['cat', 'dog', 'cat', 'bird', 'bird', 'dog', 'cat', 'bird'] and the model's predictions are "
        "['cat', 'cat', 'cat', 'bird', 'dog', 'dog', 'bird', 'bird']. What are the precision and recall for class dog?",
        ((2, 0, 1), (1, 2, 0), (0, 1, 1)),  # bird, cat, dog
        ("bird", "cat", "dog"),
        each((P, R), ("dog",)),
    ),
    (  # LaTeX tabular with a multicolumn heading
        r"\begin{tabular}{c|ccc} & \multicolumn{3}{c}{Predicted} \\ Actual & car & truck & bus \\ \hline "
        r"car & 40 & 5 & 5 \\ truck & 10 & 30 & 0 \\ bus & 2 & 3 & 15 \end{tabular}"
        "\nCalculate the weighted-average precision and the macro-average recall.",
        ((40, 5, 5), (10, 30, 0), (2, 3, 15)),
        ("car", "truck", "bus"),
        modes("weighted_precision", "macro_recall"),
    ),
    (  # LaTeX bmatrix, unlabelled, orientation and class order in prose
        r"The confusion matrix $C = \begin{bmatrix} 5 & 1 & 0 \\ 2 & 6 & 1 \\ 0 & 1 & 4 \end{bmatrix}$ has rows "
        "for the true classes and columns for the predicted ones, with the classes A, B and C in that order. "
        "Find the F1 score of class B and the macro F1.",
        ((5, 1, 0), (2, 6, 1), (0, 1, 4)),
        ("A", "B", "C"),
        {"f1[B]", "macro_f1"},
    ),
    (  # plain rows, labels carry the axis words
        "Multi-class confusion matrix:\n"
        "           pred 0  pred 1  pred 2\n"
        "true 0       13       2       0\n"
        "true 1        1      10       6\n"
        "true 2        0       3       9\n"
        "What is the per-class recall?",
        ((13, 2, 0), (1, 10, 6), (0, 3, 9)),
        ("0", "1", "2"),
        each((R,), ("0", "1", "2")),
    ),
    (  # four classes, rows predicted in the labels
        "| | Actual sunny | Actual cloudy | Actual rainy | Actual snowy |\n|---|---|---|---|---|\n"
        "| Predicted sunny | 20 | 5 | 1 | 0 |\n| Predicted cloudy | 4 | 18 | 6 | 1 |\n"
        "| Predicted rainy | 0 | 3 | 15 | 2 |\n| Predicted snowy | 0 | 0 | 2 | 9 |\n"
        "Compute the micro-, macro- and weighted-averaged F1 scores.",
        ((20, 4, 0, 0), (5, 18, 3, 0), (1, 6, 15, 2), (0, 1, 2, 9)),
        ("sunny", "cloudy", "rainy", "snowy"),
        modes("micro_f1", "macro_f1", "weighted_f1"),
    ),
    (  # no metric named: the default set
        "Evaluate the classifier whose confusion matrix (rows = actual, columns = predicted) is\n"
        "| | A | B | C |\n|---|---|---|---|\n| A | 10 | 2 | 3 |\n| B | 1 | 12 | 0 |\n| C | 2 | 2 | 8 |",
        ((10, 2, 3), (1, 12, 0), (2, 2, 8)),
        ("A", "B", "C"),
        modes("accuracy", "macro_precision", "macro_recall", "macro_f1"),
    ),
    (  # a 2×2 table asking for averages comes here, not to the binary solver
        "For the binary confusion matrix\n| | Predicted yes | Predicted no |\n|---|---|---|\n"
        "| Actual yes | 40 | 10 |\n| Actual no | 5 | 45 |\nCompute the macro-averaged and the weighted F1 score.",
        ((40, 10), (5, 45)),
        ("yes", "no"),
        modes("macro_f1", "weighted_f1"),
    ),
    (  # a class never predicted: its precision is 0/0
        "Confusion matrix (rows: actual class, columns: predicted class):\n"
        "| | red | green | blue |\n|---|---|---|---|\n| red | 8 | 2 | 0 |\n| green | 1 | 9 | 0 |\n"
        "| blue | 3 | 2 | 0 |\nCompute the precision of each class and the macro precision.",
        ((8, 2, 0), (1, 9, 0), (3, 2, 0)),
        ("red", "green", "blue"),
        each((P,), ("red", "green", "blue")) | {"macro_precision"},
    ),
    (  # sklearn classification report asked for
        "Given cm = [[7, 1, 2], [0, 9, 1], [3, 0, 12]] (scikit-learn's confusion_matrix output), write down "
        "the classification report.",
        ((7, 1, 2), (0, 9, 1), (3, 0, 12)),
        ("0", "1", "2"),
        {"accuracy", "macro_precision", "macro_recall", "macro_f1", "weighted_precision", "weighted_recall"}
        | {"weighted_f1"}
        | each((P, R, F), ("0", "1", "2")),
    ),
    (  # five classes, macro average worded as "average" only
        "A digit classifier has this confusion matrix; rows are actual digits, columns predicted:\n"
        "| | 0 | 1 | 2 | 3 | 4 |\n|---|---|---|---|---|---|\n"
        "| 0 | 30 | 0 | 1 | 0 | 1 |\n| 1 | 0 | 28 | 2 | 1 | 0 |\n| 2 | 2 | 1 | 25 | 3 | 0 |\n"
        "| 3 | 0 | 2 | 1 | 27 | 2 |\n| 4 | 1 | 0 | 0 | 2 | 29 |\nWhat is the average F1 over the classes?",
        (
            (30, 0, 1, 0, 1),
            (0, 28, 2, 1, 0),
            (2, 1, 25, 3, 0),
            (0, 2, 1, 27, 2),
            (1, 0, 0, 2, 29),
        ),
        ("0", "1", "2", "3", "4"),
        modes("macro_f1"),
    ),
    (  # Q&A, plain labelled lists
        "True labels: spam ham ham promo spam promo ham spam\n"
        "Predicted labels: spam ham promo promo ham promo ham spam\n"
        "How do I compute the micro and macro precision?",
        ((2, 1, 0), (0, 2, 0), (1, 0, 2)),  # ham, promo, spam
        ("ham", "promo", "spam"),
        modes("micro_precision", "macro_precision"),
    ),
    (  # pmatrix with "true class" wording and class names listed as labels=[...]
        r"With labels=['low', 'mid', 'high'], the confusion matrix is "
        r"$\begin{pmatrix} 12 & 3 & 0 \\ 4 & 10 & 2 \\ 1 & 2 & 6 \end{pmatrix}$ (rows: true class). "
        "What is the recall of the 'mid' class, and the balanced accuracy?",
        ((12, 3, 0), (4, 10, 2), (1, 2, 6)),
        ("low", "mid", "high"),
        {"recall[mid]", "macro_recall"},
    ),
    (  # exam: support asked
        "| Actual \\ Predicted | A | B | C |\n|---|---|---|---|\n| A | 9 | 1 | 0 |\n| B | 2 | 14 | 4 |\n"
        "| C | 0 | 3 | 27 |\nGive the precision, recall, F1 and support of each class.",
        ((9, 1, 0), (2, 14, 4), (0, 3, 27)),
        ("A", "B", "C"),
        each((P, R, F, "support"), ("A", "B", "C")),
    ),
    (  # columns listed in another order than the rows
        "Rows are actual classes.\n| | dog | cat | bird |\n|---|---|---|---|\n"
        "| cat | 3 | 50 | 2 |\n| dog | 40 | 5 | 5 |\n| bird | 4 | 0 | 41 |\nCompute the macro recall.",
        CAT_DOG_BIRD,
        ANIMALS,
        modes("macro_recall"),
    ),
    (  # y_true / y_pred with per-class F1 of one class named by number
        "y_true = [1, 1, 2, 3, 3, 3, 2, 1, 2, 3]\ny_pred = [1, 2, 2, 3, 3, 1, 2, 1, 3, 3]\n"
        "What is the F1-score for class 3 and the weighted recall?",
        ((2, 1, 0), (0, 2, 1), (1, 0, 3)),
        ("1", "2", "3"),
        {"f1[3]", "weighted_recall"},
    ),
    (  # unlabelled matrix, no orientation: rows taken as actual
        "The confusion matrix of a 3-class problem is [[20, 4, 1], [3, 15, 2], [5, 0, 10]]. "
        "Compute the macro-averaged precision and F1 score.",
        ((20, 4, 1), (3, 15, 2), (5, 0, 10)),
        ("0", "1", "2"),
        modes("macro_precision", "macro_f1"),
    ),
    (  # per category, textbook style
        "A news classifier sorts articles into sport, politics and tech. Its confusion matrix, with actual "
        "categories in rows and predicted categories in columns:\n"
        "| | sport | politics | tech |\n|---|---|---|---|\n| sport | 45 | 3 | 2 |\n| politics | 4 | 38 | 8 |\n"
        "| tech | 1 | 6 | 43 |\nCompute precision per category, and the micro-averaged recall.",
        ((45, 3, 2), (4, 38, 8), (1, 6, 43)),
        ("sport", "politics", "tech"),
        each((P,), ("sport", "politics", "tech")) | {"micro_recall"},
    ),
    (  # imbalanced classes, a label with a space: macro and weighted far apart
        "Imbalanced test set (rows = actual, columns = predicted):\n| | common | rare | very rare |\n|---|---|---|---|\n"
        "| common | 90 | 5 | 5 |\n| rare | 10 | 8 | 2 |\n| very rare | 3 | 2 | 5 |\n"
        "Compute the macro F1, the weighted F1 and the weighted precision.",
        ((90, 5, 5), (10, 8, 2), (3, 2, 5)),
        ("common", "rare", "very rare"),
        modes("macro_f1", "weighted_f1", "weighted_precision"),
    ),
]


def expand(matrix: CountMatrix, labels: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The label lists a matrix with rows = actual counts."""
    pairs = [(t, p) for i, t in enumerate(labels) for j, p in enumerate(labels) for _ in range(matrix[i][j])]
    return [t for t, _ in pairs], [p for _, p in pairs]


def sklearn_answer(matrix: CountMatrix, labels: tuple[str, ...], zero_division: Any = 0) -> dict[str, float]:
    """Every part, computed by scikit-learn from the matrix's label lists."""
    y_true, y_pred = expand(matrix, labels)
    found = {"accuracy": float(accuracy_score(y_true, y_pred))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, s = precision_recall_fscore_support(
            y_true, y_pred, labels=list(labels), average=None, zero_division=zero_division
        )
        for i, label in enumerate(labels):
            found |= {f"precision[{label}]": p[i], f"recall[{label}]": r[i], f"f1[{label}]": f[i]}
            found[f"support[{label}]"] = float(s[i])
        for mode in ("macro", "micro", "weighted"):
            values = precision_recall_fscore_support(
                y_true, y_pred, labels=list(labels), average=mode, zero_division=zero_division
            )
            found |= {f"{mode}_{m}": float(v) for m, v in zip((P, R, F), values[:3], strict=True)}
    return found


def solved(question: str) -> Any:
    return SOLVER.solve(SOLVER.parse(normalize(question)))


@pytest.mark.parametrize(("question", "matrix", "labels", "asked"), CASES)
def test_reads_the_matrix_and_agrees_with_scikit_learn(question, matrix, labels, asked):
    solution = solved(question)
    assert solution.given["matrix"] == [list(row) for row in matrix]
    assert tuple(solution.given["labels"]) == labels
    assert set(solution.asked) == asked
    reference = sklearn_answer(matrix, labels)
    undefined = sklearn_answer(matrix, labels, zero_division=np.nan)
    for name, expected in reference.items():
        value = solution.answer[name]
        if np.isnan(undefined[name]):
            assert value is None, name  # 0/0: undefined, where scikit-learn reports 0
        else:
            assert value == pytest.approx(expected, rel=1e-12), name


@pytest.mark.parametrize(("question", "matrix", "labels", "asked"), CASES)
def test_wordings_route_here(question, matrix, labels, asked):
    assert solve_question(question).kind == "confusion_multiclass"


@pytest.mark.parametrize(
    ("wording", "asked"),
    [
        (
            "Compute the macro F1, the weighted F1 and the precision of each class.",
            {"macro_f1", "weighted_f1"} | each((P,), ANIMALS),
        ),
        (
            "the weighted-average precision and the macro-average recall",
            {"weighted_precision", "macro_recall"},
        ),
        (
            "Compute the precision, recall and F1 for each class, and the macro averages.",
            each((P, R, F), ANIMALS) | {"macro_precision", "macro_recall", "macro_f1"},
        ),
        ("What are the macro and weighted F1?", {"macro_f1", "weighted_f1"}),
        ("Give precision and recall, both macro-averaged.", {"macro_precision", "macro_recall"}),
        ("Find the precision and the recall of class dog.", each((P, R), ("dog",))),
        ("What is the balanced accuracy?", {"macro_recall"}),
        ("What is the average F1?", {"macro_f1"}),
        ("Compute the metrics.", {"accuracy", "macro_precision", "macro_recall", "macro_f1"}),
    ],
)
def test_what_is_asked(wording, asked):
    question = CASES[0][0].replace("Compute the macro-averaged precision, recall and F1 score.", wording)
    assert set(SOLVER.parse(normalize(question)).asked) == asked


def test_per_class_table_and_vectors_follow_label_order():
    solution = solved(CASES[0][0])
    rows = solution.answer["per_class"]
    assert [row["label"] for row in rows] == list(ANIMALS)
    assert [row["support"] for row in rows] == [55, 50, 45]
    assert solution.answer["precision"] == [solution.answer[f"precision[{x}]"] for x in ANIMALS]


def test_micro_averages_equal_accuracy():
    for question, *_ in CASES:
        answer = solved(question).answer
        assert answer["micro_f1"] == pytest.approx(answer["accuracy"])
        assert answer["micro_precision"] == pytest.approx(answer["micro_recall"])


def test_steps_show_each_class_then_the_averages():
    solution = solved(CASES[0][0])
    titles = [step.title for step in solution.steps]
    assert titles[:2] == ["Read the confusion matrix", "Count TP, FP and FN for each class"]
    assert {"Class cat", "Class dog", "Class bird", "Macro averages"} <= set(titles)
    assert r"\frac{50}{50 + 5}" in next(s.latex for s in solution.steps if s.title == "Class cat")
    assert any("scikit-learn" in c for c in solution.conventions)


def test_undefined_precision_is_stated_with_scikit_learn_behaviour():
    solution = solved(CASES[12][0])
    assert solution.answer["precision[blue]"] is None
    assert any("zero_division" in c for c in solution.conventions)
    grade = grade_response(
        solution,
        SOLVER.variants(SOLVER.parse(normalize(CASES[12][0]))),
        {
            "precision[red]": 8 / 12,
            "precision[green]": 9 / 13,
            "precision[blue]": 0,
            "macro_precision": (8 / 12 + 9 / 13) / 3,
        },
    )
    assert grade.correct, [p.feedback for p in grade.parts]


def test_orientation_unstated_is_said_and_the_transposed_reading_accepted():
    question = CASES[20][0]
    problem = SOLVER.parse(normalize(question))
    solution = SOLVER.solve(problem)
    assert "does not say which axis" in solution.conventions[0]
    transposed = next(v for v in SOLVER.variants(problem) if v.code == "table_transposed")
    assert transposed.accepted


def test_orientation_stated_makes_the_transposed_reading_a_mistake():
    problem = SOLVER.parse(normalize(CASES[1][0]))
    transposed = next(v for v in SOLVER.variants(problem) if v.code == "table_transposed")
    assert not transposed.accepted
    assert "rows are predicted classes" in transposed.feedback


# ---------------------------------------------------------------- grading


def _grade(question: str, response: Any) -> Any:
    problem = SOLVER.parse(normalize(question))
    return grade_response(SOLVER.solve(problem), SOLVER.variants(problem), response)


@pytest.mark.parametrize(
    "response",
    [
        "macro precision = 0.871, macro recall = 0.873, macro F1 = 0.872",
        "Macro-averaged precision: 87.1 %, macro-averaged recall: 87.3 %, macro-averaged F1: 87.2 %",
        {"macro_precision": 0.8714, "macro_recall": 0.8734, "macro_f1": "87.2%"},
    ],
)
def test_right_answers_in_several_forms(response):
    grade = _grade(CASES[0][0], response)
    assert grade.correct, [p.feedback for p in grade.parts]


@pytest.mark.parametrize(
    "response",
    [
        "precision for cat is 0.909, precision for dog is 0.851, precision for bird is 0.854; "
        "recall for cat 0.909, recall for dog 0.8, recall for bird 0.911",
        "precision: [0.909, 0.851, 0.854]\nrecall: [0.909, 0.8, 0.911]",
        "cat: precision 0.909, recall 0.909\ndog: precision 0.851, recall 0.8\nbird: precision 0.854, recall 0.911",
        {"precision": {"cat": 0.909, "dog": 0.851, "bird": 0.854}, "recall": [0.909, 0.8, 0.911]},
    ],
)
def test_per_class_answers_as_prose_vectors_rows_and_objects(response):
    question = CASES[0][0].replace(
        "the macro-averaged precision, recall and F1 score", "precision and recall for each class"
    )
    grade = _grade(question, response)
    assert grade.correct, [(p.name, p.feedback) for p in grade.parts]


def _report(labels: tuple[str, ...], matrix: CountMatrix) -> str:
    y_true, y_pred = expand(matrix, labels)
    return str(classification_report(y_true, y_pred, labels=list(labels), zero_division=0))


def test_a_pasted_classification_report_grades_every_part():
    question = CASES[0][0].replace(
        "the macro-averaged precision, recall and F1 score", "the classification report"
    )
    grade = _grade(question, _report(ANIMALS, CAT_DOG_BIRD))
    assert len(grade.parts) == 1 + 9 + 6
    assert grade.correct, [(p.name, p.feedback) for p in grade.parts]


def test_a_markdown_table_of_classes_is_read_row_by_row():
    question = CASES[0][0].replace(
        "the macro-averaged precision, recall and F1 score", "precision and recall for each class"
    )
    response = (
        "| class | precision | recall |\n|---|---|---|\n| cat | 0.909 | 0.909 |\n| dog | 0.851 | 0.80 |\n"
        "| bird | 0.8 | 0.911 |"
    )
    grade = _grade(question, response)
    assert [p.name for p in grade.parts if not p.correct] == ["precision[bird]"]


def test_a_vector_of_the_wrong_length_answers_no_class():
    question = CASES[0][0].replace(
        "the macro-averaged precision, recall and F1 score", "the precision for each class"
    )
    grade = _grade(question, "precision = [0.909, 0.851]")
    assert {p.status for p in grade.parts} == {PartStatus.MISSING}


def test_weighted_for_macro_is_named():
    question = CASES[22][0]
    answer = solved(question).answer
    macro, weighted = answer["macro_f1"], answer["weighted_f1"]
    assert isinstance(macro, float) and isinstance(weighted, float)
    assert abs(macro - weighted) > 0.02 * macro  # far enough apart to tell
    grade = _grade(question, {"macro_f1": weighted, "weighted_f1": macro, "weighted_precision": "0.5"})
    assert [(p.name, p.status, p.misconception) for p in grade.parts] == [
        ("macro_f1", PartStatus.WRONG, "macro_weighted_by_support"),
        ("weighted_precision", PartStatus.WRONG, None),
        ("weighted_f1", PartStatus.WRONG, "weighted_unweighted"),
    ]
    assert "support" in grade.parts[0].feedback


def test_micro_f1_as_the_macro_mean_is_named():
    answer = solved(CASES[4][0]).answer
    grade = _grade(
        CASES[4][0], f"accuracy 0.7, macro F1 {answer['macro_f1']:.4f}, micro F1 {answer['macro_f1']:.4f}"
    )
    assert grade.misconceptions == ["micro_as_macro"]


def test_swapped_precision_and_recall_is_named():
    question = CASES[1][0]
    answer = solved(question).answer
    labels = ("negative", "neutral", "positive")
    response = {f"precision[{x}]": answer[f"recall[{x}]"] for x in labels}
    response |= {f"recall[{x}]": answer[f"precision[{x}]"] for x in labels}
    response["micro_f1"] = answer["micro_f1"]
    grade = _grade(question, response)
    # neutral has as many predictions as examples (40): its precision equals its recall
    assert [p.name for p in grade.parts if p.correct] == ["precision[neutral]", "recall[neutral]", "micro_f1"]
    assert {p.misconception for p in grade.parts if not p.correct} == {"precision_recall_swapped"}
    assert "over its column" in grade.feedback


def test_macro_f1_from_macro_precision_and_recall_is_named():
    answer = solved(CASES[0][0]).answer
    p, r = answer["macro_precision"], answer["macro_recall"]
    assert isinstance(p, float) and isinstance(r, float)
    grade = _grade(
        CASES[0][0], f"macro precision {p:.4f}, macro recall {r:.4f}, macro F1 {2 * p * r / (p + r):.6f}"
    )
    assert (
        abs(2 * p * r / (p + r) - float(answer["macro_f1"] or 0)) < 1e-2
    )  # close: only rounding to 4 places tells
    part = next(x for x in grade.parts if x.name == "macro_f1")
    assert part.status in (PartStatus.WRONG, PartStatus.CORRECT)


def test_weighted_by_predictions_is_named():
    """Weighting by predicted counts gives the transposed table's weighted precision and F1; weighted
    recall is where it shows on its own."""
    question = CASES[22][0].replace(
        "the macro F1, the weighted F1 and the weighted precision", "the weighted recall"
    )
    problem = SOLVER.parse(normalize(question))
    assert problem.asked == ("weighted_recall",)
    wrong = next(v for v in SOLVER.variants(problem) if v.code == "weighted_by_predictions")
    grade = grade_response(
        SOLVER.solve(problem), SOLVER.variants(problem), {"weighted recall": wrong.answer["weighted_recall"]}
    )
    assert grade.misconceptions == ["weighted_by_predictions"]


# ---------------------------------------------------------------- routing and refusals


@pytest.mark.parametrize(
    "question",
    [
        "| | Predicted cat | Predicted dog |\n|---|---|---|\n| Actual cat | 40 | 10 |\n| Actual dog | 5 | 45 |\n"
        "Compute the precision and recall.",
        "y_true = [1, 0, 1, 1, 0, 1, 0, 0]\ny_pred = [1, 0, 0, 1, 1, 1, 0, 0]\nCompute accuracy, precision and recall.",
        "TP = 45, FP = 5, FN = 15, TN = 35. Compute the F1 score.",
    ],
)
def test_plain_binary_questions_stay_binary(question):
    assert SOLVER.detect(normalize(question)) < 0.5
    assert solve_question(question).kind == "confusion_binary"


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "| | cat | dog | bird |\n|---|---|---|---|\n| cat | 0.9 | 0.1 | 0.0 |\n| dog | 0.2 | 0.7 | 0.1 |\n"
            "| bird | 0.0 | 0.1 | 0.9 |\nRows are actual classes. Compute the macro F1.",
            "normalised per class",
        ),
        (
            "Rows are actual classes.\n| | cat | dog | bird |\n|---|---|---|---|\n| cat | 5 | 1 | 0 |\n"
            "| dog | 1 | 6 | 1 |\n| fish | 0 | 1 | 4 |\nCompute the macro F1.",
            "the rows name the classes",
        ),
    ],
)
def test_unreadable_matrices_are_refused_with_a_reason(question, message):
    with pytest.raises(NotUnderstood, match=message):
        solve_question(question)


def test_other_kinds_score_low():
    for question in (
        "What is dropout?",
        "Explain macro and micro averaging.",
        "A 3x3 convolution has 9 weights.",
    ):
        assert SOLVER.detect(normalize(question)) < 0.5


# ---------------------------------------------------------------- practice


def test_practice_is_deterministic_and_reads_back():
    for seed in range(60):
        question = SOLVER.practice(random.Random(seed))
        assert SOLVER.practice(random.Random(seed)) == question
        routed = solve_question(question)
        assert routed.kind == "confusion_multiclass", question
        answer = routed.solution.answer
        for name in routed.solution.asked:
            assert same_answer(routed.solution.spec(name), answer[name], answer[name])
