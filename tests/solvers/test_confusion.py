"""The binary confusion-matrix solver: real exam wordings, refusals, mistakes, routing scores.

Every expected number below is worked out by hand from the counts (the arithmetic is in the
comment next to it), never copied from the solver's output.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.confusion import ConfusionSolver
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.normalize import normalize

SOLVER = ConfusionSolver()

# Question 2 of seed 001, verbatim (the study notes' own worked answer included).
SEED_QUESTION = """###2.Define the evaluation metrics Accuracy, Precision, Recall, and F1 score.

Definitions:

- Accuracy: Proportion of total correct predictions.

- Precision: Proportion of correct positive predictions among all predicted positives.

- Recall (Sensitivity): Proportion of actual positives correctly identified.

- F1 Score: Harmonic mean of Precision and Recall, balancing both

Given Confusion Matrix:
   |                | Actual: Cancer | Actual: No Cancer |
   |----------------|---------------|------------------|
   | Predicted: Cancer | 80 | 80 |
   | Predicted: No Cancer | 20 | 820 |

TP = 80

FP = 80

FN = 20

TN = 820

Total = 1000

Calculations:

**Accuracy**

$$
\\text{Accuracy} = \\frac{TP + TN}{\\text{Total}}
= \\frac{80 + 820}{1000}
= 0.90 \\; (90\\%)
$$

**Precision**

$$
\\text{Precision} = \\frac{TP}{TP + FP}
= \\frac{80}{80 + 80}
= 0.50 \\; (50\\%)
$$

**Recall**

$$
\\text{Recall} = \\frac{TP}{TP + FN}
= \\frac{80}{80 + 20}
= 0.80 \\; (80\\%)
$$

**F1 Score**

$$
\\text{F1 Score}
= 2 \\times \\frac{\\text{Precision} \\times \\text{Recall}}
{\\text{Precision} + \\text{Recall}}
= 2 \\times \\frac{0.5 \\times 0.8}{0.5 + 0.8}
= 0.615 \\; (61.5\\%)
$$
"""

SEED_TABLE = """Define the evaluation metrics Accuracy, Precision, Recall, and F1 score.
Given Confusion Matrix:
|                | Actual: Cancer | Actual: No Cancer |
|----------------|---------------|------------------|
| Predicted: Cancer | 80 | 80 |
| Predicted: No Cancer | 20 | 820 |"""

BARE_MATRIX = "The confusion matrix is [[50, 10], [5, 35]]. Compute precision and recall."
CAT_DOG = "| | Cat | Dog |\n|---|---|---|\n| Cat | 30 | 5 |\n| Dog | 10 | 55 |\nCompute precision and recall."


def solve(question: str):
    text = normalize(question)
    problem = SOLVER.parse(text)
    return problem, SOLVER.solve(problem)


def counts_of(solution) -> tuple:
    return tuple(solution.given[c] for c in ("tp", "fp", "fn", "tn"))


# (question, (TP, FP, FN, TN), asked, expected values)
CASES = [
    pytest.param(
        SEED_QUESTION,
        (80, 80, 20, 820),
        ("accuracy", "precision", "recall", "f1"),
        # 900/1000; 80/160; 80/100; 2·80/(160 + 80 + 20) = 160/260 = 8/13; 820/900
        {"accuracy": 0.9, "precision": 0.5, "recall": 0.8, "f1": 8 / 13, "specificity": 820 / 900},
        id="seed-001-q2-verbatim",
    ),
    pytest.param(
        SEED_TABLE,
        (80, 80, 20, 820),
        ("accuracy", "precision", "recall", "f1"),
        {"accuracy": 0.9, "precision": 0.5, "recall": 0.8, "f1": 8 / 13},
        id="seed-table-rows-predicted",
    ),
    pytest.param(
        "TP = 80, FP = 80, FN = 20, TN = 820. Compute the metrics.",
        (80, 80, 20, 820),
        ("accuracy", "precision", "recall", "specificity", "f1"),
        {"accuracy": 0.9, "specificity": 820 / 900},
        id="counts-default-metrics",
    ),
    pytest.param(
        "A model produced 80 true positives, 80 false positives, 20 false negatives and 820 true "
        "negatives. What are its precision and recall?",
        (80, 80, 20, 820),
        ("precision", "recall"),
        {"precision": 0.5, "recall": 0.8},
        id="counts-in-words",
    ),
    pytest.param(
        "TP: 45 FP: 5 FN: 10 TN: 40\nCalculate accuracy, precision, recall, specificity and F1 score.",
        (45, 5, 10, 40),
        ("accuracy", "precision", "recall", "specificity", "f1"),
        # 85/100; 45/50; 45/55; 40/45; 90/(90 + 5 + 10) = 90/105
        {"accuracy": 0.85, "precision": 0.9, "recall": 45 / 55, "specificity": 40 / 45, "f1": 90 / 105},
        id="counts-colons-one-line",
    ),
    pytest.param(
        "- True Positives (TP): 45\n- False Positives (FP): 5\n- False Negatives (FN): 10\n"
        "- True Negatives (TN): 40\nFind the F1 score.",
        (45, 5, 10, 40),
        ("f1",),
        {"f1": 90 / 105},
        id="counts-bullets",
    ),
    pytest.param(
        "TP = 45, FP = 5, FN = 10, TN = 40. What is the misclassification rate?",
        (45, 5, 10, 40),
        ("error_rate",),
        {"error_rate": 0.15},  # (5 + 10)/100
        id="error-rate",
    ),
    pytest.param(
        "The confusion matrix below has rows for the actual class and columns for the predicted class.\n"
        "| | Positive | Negative |\n|---|---|---|\n| Positive | 50 | 10 |\n| Negative | 5 | 35 |\n"
        "What is the recall?",
        (50, 5, 10, 35),
        ("recall",),
        {"recall": 50 / 60},
        id="caption-rows-actual",
    ),
    pytest.param(
        "| Actual \\ Predicted | Yes | No |\n|---|---|---|\n| Yes | 50 | 10 |\n| No | 5 | 35 |\n"
        "Compute precision and recall.",
        (50, 5, 10, 35),
        ("precision", "recall"),
        {"precision": 50 / 55, "recall": 50 / 60},
        id="corner-actual-predicted",
    ),
    pytest.param(
        "|            | Predicted Spam | Predicted Not Spam |\n|---|---|---|\n| Actual Spam | 40 | 10 |\n"
        "| Actual Not Spam | 5 | 45 |\nCompute precision.",
        (40, 5, 10, 45),
        ("precision",),
        {"precision": 40 / 45},
        id="spam-rows-actual",
    ),
    pytest.param(
        "Consider the confusion matrix\n                 Predicted\n              Positive  Negative\n"
        "Actual Positive   50       10\nActual Negative    5       35\n"
        "Compute accuracy, precision and recall.",
        (50, 5, 10, 35),
        ("accuracy", "precision", "recall"),
        {"accuracy": 0.85, "precision": 50 / 55, "recall": 50 / 60},  # 85/100
        id="plain-two-level-header",
    ),
    pytest.param(
        "The confusion matrix is\n$$\\begin{bmatrix} 50 & 10 \\\\ 5 & 35 \\end{bmatrix}$$\n"
        "where rows correspond to "
        "the true labels and columns to the predicted labels. Compute precision.",
        (50, 5, 10, 35),
        ("precision",),
        {"precision": 50 / 55},
        id="latex-bmatrix-with-sentence",
    ),
    pytest.param(
        BARE_MATRIX,
        (50, 5, 10, 35),
        ("precision", "recall"),
        {"precision": 50 / 55, "recall": 50 / 60},
        id="bare-matrix-rows-actual-assumed",
    ),
    pytest.param(
        "A classifier's confusion matrix is [[50, 10], [5, 35]], as returned by sklearn's confusion_matrix "
        "with labels [0, 1]. Compute precision and recall.",
        (35, 10, 5, 50),
        ("precision", "recall"),
        {"precision": 35 / 45, "recall": 35 / 40},  # [[TN, FP], [FN, TP]]
        id="sklearn-layout",
    ),
    pytest.param(
        "tn, fp, fn, tp = confusion_matrix(y_true, y_pred).ravel() gives the matrix [[820, 80], [20, 80]]. "
        "Compute precision, recall.",
        (80, 80, 20, 820),
        ("precision", "recall"),
        {"precision": 0.5, "recall": 0.8},
        id="sklearn-ravel",
    ),
    pytest.param(
        "Confusion matrix = [[TN, FP], [FN, TP]] = [[820, 80], [20, 80]]. Find the precision.",
        (80, 80, 20, 820),
        ("precision",),
        {"precision": 0.5},
        id="stated-layout",
    ),
    pytest.param(
        "\\begin{tabular}{c|cc} & \\multicolumn{2}{c}{Predicted} \\\\ Actual & Pos & Neg \\\\ \\hline "
        "Pos & 50 & 10 \\\\ Neg & 5 & 35 \\end{tabular}\nCompute the precision, recall and F1.",
        (50, 5, 10, 35),
        ("precision", "recall", "f1"),
        {"precision": 50 / 55, "recall": 50 / 60, "f1": 100 / 115},  # 2·50/(100 + 5 + 10)
        id="latex-tabular-multicolumn",
    ),
    pytest.param(
        "\\begin{array}{c|cc} & \\text{Predicted Yes} & \\text{Predicted No} \\\\ \\hline "
        "\\text{Actual Yes} & 60 & 15 \\\\ \\text{Actual No} & 10 & 115 \\end{array}\n"
        "Compute all the metrics.",
        (60, 10, 15, 115),
        ("accuracy", "precision", "recall", "specificity", "f1"),
        # 175/200; 60/70; 60/75; 115/125; 120/(120 + 10 + 15)
        {"accuracy": 0.875, "precision": 60 / 70, "recall": 0.8, "specificity": 0.92, "f1": 120 / 145},
        id="latex-array",
    ),
    pytest.param(
        "\\[ \\begin{pmatrix} 80 & 20 \\\\ 80 & 820 \\end{pmatrix} \\] (rows = actual, columns = predicted). "
        "Compute the F1 score.",
        (80, 80, 20, 820),
        ("f1",),
        {"f1": 8 / 13},
        id="pmatrix-parenthesised-caption",
    ),
    pytest.param(
        "| | Predicted 0 | Predicted 1 |\n|---|---|---|\n| Actual 0 | 50 | 10 |\n| Actual 1 | 5 | 35 |\n"
        "Compute precision and recall.",
        (35, 10, 5, 50),
        ("precision", "recall"),
        {"precision": 35 / 45, "recall": 35 / 40},  # class 1 is positive: second row and column
        id="zero-one-labels",
    ),
    pytest.param(
        "Rows are the actual labels and columns the predictions.\n"
        "| | 0 | 1 |\n|---|---|---|\n| 0 | 50 | 10 |\n"
        "| 1 | 5 | 35 |\nCompute precision and recall.",
        (35, 10, 5, 50),
        ("precision", "recall"),
        {"precision": 35 / 45, "recall": 35 / 40},
        id="numeric-class-headers",
    ),
    pytest.param(
        "| | Disease present | Disease absent |\n|---|---|---|\n| Test positive | 45 | 95 |\n"
        "| Test negative | 5 | 855 |\nCompute sensitivity and specificity.",
        (45, 95, 5, 855),
        ("recall", "specificity"),
        {"recall": 0.9, "specificity": 0.9},  # 45/50; 855/950
        id="diagnostic-test-table",
    ),
    pytest.param(
        "| Predicted \\ Ground truth | Fraud | Legit |\n|---|---|---|\n"
        "| Fraud | 150 | 50 |\n| Legit | 50 | 9750 |\n"
        "Compute precision.",
        (150, 50, 50, 9750),
        ("precision",),
        {"precision": 0.75},  # 150/200
        id="ground-truth-columns",
    ),
    pytest.param(
        "| | Predicted + | Predicted - | Total |\n|---|---|---|---|\n| Actual + | 50 | 10 | 60 |\n"
        "| Actual - | 5 | 35 | 40 |\n| Total | 55 | 45 | 100 |\nCompute the F1 score.",
        (50, 5, 10, 35),
        ("f1",),
        {"f1": 100 / 115},
        id="table-with-totals",
    ),
    pytest.param(
        CAT_DOG,
        (30, 10, 5, 55),
        ("precision", "recall"),
        {"precision": 0.75, "recall": 30 / 35},  # 30/40; 30/35
        id="unlabelled-axes-cat-dog",
    ),
    pytest.param(
        "Confusion matrix:\n50 10\n5 35\nCompute accuracy and precision.",
        (50, 5, 10, 35),
        ("accuracy", "precision"),
        {"accuracy": 0.85, "precision": 50 / 55},
        id="plain-bare-rows",
    ),
    pytest.param(
        "The rows of the matrix give the model's predictions.\n| | Spam | Ham |\n|---|---|---|\n"
        "| Spam | 40 | 5 |\n| Ham | 10 | 45 |\nCompute recall.",
        (40, 5, 10, 45),
        ("recall",),
        {"recall": 0.8},  # 40/50
        id="caption-rows-predictions",
    ),
    pytest.param(
        "y_true = [1, 0, 1, 1, 0, 1, 0, 0]\ny_pred = [1, 0, 0, 1, 1, 1, 0, 0]\n"
        "Compute the accuracy, precision and recall.",
        (3, 1, 1, 3),
        ("accuracy", "precision", "recall"),
        {"accuracy": 0.75, "precision": 0.75, "recall": 0.75},  # 6/8; 3/4; 3/4
        id="label-lists",
    ),
    pytest.param(
        "actual: 1 0 1 1 0 1; predicted: 1 1 0 1 0 1. Compute the F1 score.",
        (3, 1, 1, 1),
        ("f1",),
        {"f1": 0.75},  # 6/(6 + 1 + 1)
        id="label-lists-plain",
    ),
    pytest.param(
        "True labels: spam ham spam spam ham\nPredicted labels: spam spam ham spam ham\n"
        "Compute precision and recall.",
        (2, 1, 1, 1),
        ("precision", "recall"),
        {"precision": 2 / 3, "recall": 2 / 3},
        id="label-lists-words",
    ),
    pytest.param(
        "The true labels are [0, 0, 1, 1, 0] and the model's predictions are [0, 1, 1, 0, 0]. "
        "Treat 0 as the positive class. Compute precision.",
        (2, 1, 1, 1),
        ("precision",),
        {"precision": 2 / 3},  # pairs (0,0) (0,1) (1,1) (1,0) (0,0) with 0 positive
        id="label-lists-positive-zero",
    ),
    pytest.param(
        "A model screens 1000 patients, 100 of whom are sick. "
        "It correctly flags 80 of the 100 sick patients. It also flags 80 healthy patients as sick. "
        "The remaining 820 healthy patients are correctly cleared. "
        "Compute precision and recall.",
        (80, 80, 20, 820),
        ("precision", "recall"),
        {"precision": 0.5, "recall": 0.8},
        id="story-patients",
    ),
    pytest.param(
        "A spam filter is tested on 500 emails, of which 100 are spam. It flags 90 emails as spam, of which "
        "75 are actually spam. Find precision, recall and accuracy.",
        (75, 15, 25, 385),
        ("precision", "recall", "accuracy"),
        {"precision": 75 / 90, "recall": 0.75, "accuracy": 460 / 500},  # TN = 500 − 75 − 15 − 25
        id="story-spam-of-which",
    ),
    pytest.param(
        "Out of 200 fraudulent transactions, the model detected 150, and it wrongly flagged 50 of the 9800 "
        "legitimate transactions as fraud. Compute recall, precision and the false positive rate.",
        (150, 50, 50, 9750),
        ("recall", "precision", "fpr"),
        {"recall": 0.75, "precision": 0.75, "fpr": 50 / 9800},
        id="story-fraud-out-of",
    ),
    pytest.param(
        "A diagnostic test was given to 1000 people; 50 of them have the disease. The test was positive for "
        "45 of the people with the disease and for 95 of the people without the disease. Find the "
        "sensitivity, specificity and positive predictive value.",
        (45, 95, 5, 855),
        ("recall", "specificity", "precision"),
        {"recall": 0.9, "specificity": 0.9, "precision": 45 / 140},
        id="story-diagnostic-test",
    ),
    pytest.param(
        "A COVID test is used on 400 people. 40 people are infected. Of the infected people, 36 test "
        "positive. Of the 360 uninfected people, 18 test positive. Compute precision, recall, specificity.",
        (36, 18, 4, 342),
        ("precision", "recall", "specificity"),
        {"precision": 36 / 54, "recall": 0.9, "specificity": 0.95},  # 342/360
        id="story-covid",
    ),
    pytest.param(
        "A fraud detector flagged 120 transactions. 100 of the flagged transactions were fraudulent. "
        "The detector missed 25 fraudulent transactions. There were 10000 transactions in total. "
        "Compute precision, recall and accuracy.",
        (100, 20, 25, 9855),
        ("precision", "recall", "accuracy"),
        {"precision": 100 / 120, "recall": 0.8, "accuracy": 9955 / 10000},
        id="story-flagged-missed",
    ),
    pytest.param(
        "The classifier missed 10 of the 60 positive cases and raised false alarms on 5 of the 40 negative "
        "cases. Compute precision, recall, accuracy.",
        (50, 5, 10, 35),
        ("precision", "recall", "accuracy"),
        {"precision": 50 / 55, "recall": 50 / 60, "accuracy": 0.85},
        id="story-missed-false-alarms",
    ),
    pytest.param(
        "In a test set of 100 patients, 30 patients have cancer. The model predicted cancer for 25 patients, "
        "20 of whom actually had cancer. Compute precision and recall and specificity.",
        (20, 5, 10, 65),
        ("precision", "recall", "specificity"),
        {"precision": 0.8, "recall": 20 / 30, "specificity": 65 / 70},
        id="story-predicted-cancer",
    ),
    pytest.param(
        "In a screening of 500 people, 45 of the 50 people who have the disease test positive, and 30 of the "
        "450 healthy people also test positive. Compute precision and recall.",
        (45, 30, 5, 420),
        ("precision", "recall"),
        {"precision": 0.6, "recall": 0.9},  # 45/75; 45/50
        id="story-relative-clause",
    ),
    pytest.param(
        "The model correctly flagged 80 of the 100 sick patients. 80 healthy patients were flagged. "
        "820 healthy patients were correctly cleared. Compute precision and recall.",
        (80, 80, 20, 820),
        ("precision", "recall"),
        {"precision": 0.5, "recall": 0.8},  # FN = 100 − 80
        id="story-flagged-cleared",
    ),
    pytest.param(
        "Out of 100 actual positives, the model predicted 80 correctly; out of 900 actual negatives it "
        "predicted 850 correctly. Compute precision and recall.",
        (80, 50, 20, 850),
        ("precision", "recall"),
        {"precision": 80 / 130, "recall": 0.8},  # FP = 900 − 850
        id="story-out-of-without-comma",
    ),
    pytest.param(
        "TP = 40, FP = 10, FN = 20, TN = 30. Compute $F_{0.5}$.",
        (40, 10, 20, 30),
        ("f_beta",),
        {"f_beta": 50 / 65},
        id="f-half-latex",
    ),
    pytest.param(
        "TP = 40, FP = 10, FN = 20, TN = 30. Compute the TPR, FPR and the fall-out.",
        (40, 10, 20, 30),
        ("recall", "fpr"),
        {"recall": 40 / 60, "fpr": 0.25},  # 10/40
        id="rate-names",
    ),
    pytest.param(
        "TP = 30, FP = 10, FN = 5. Compute precision, recall and F1.",
        (30, 10, 5, None),
        ("precision", "recall", "f1"),
        {"precision": 0.75, "recall": 30 / 35, "f1": 0.8},  # 60/(60 + 10 + 5)
        id="no-tn-needed",
    ),
    pytest.param(
        "Given TP = 40, FP = 10, FN = 20, TN = 30, compute the F-beta score with β = 0.5.",
        (40, 10, 20, 30),
        ("f_beta",),
        {"f_beta": 50 / 65},  # 1.25·40 / (1.25·40 + 0.25·20 + 10)
        id="f-beta-half",
    ),
    pytest.param(
        "With TP = 40, FP = 10, FN = 20 and TN = 30, compute the F2 score and the MCC.",
        (40, 10, 20, 30),
        ("f_beta", "mcc"),
        # 5·40/(5·40 + 4·20 + 10) = 200/290; (40·30 − 10·20)/√(50·60·40·50) = 1000/√6,000,000
        {"f_beta": 200 / 290, "mcc": 1000 / math.sqrt(6_000_000)},
        id="f2-and-mcc",
    ),
    pytest.param(
        "Given TP = 40, FP = 10, FN = 20, TN = 30, compute the MCC and balanced accuracy, NPV, FNR.",
        (40, 10, 20, 30),
        ("mcc", "balanced_accuracy", "npv", "fnr"),
        # (40/60 + 30/40)/2; 30/50; 20/60
        {"balanced_accuracy": (40 / 60 + 0.75) / 2, "npv": 0.6, "fnr": 20 / 60},
        id="rarer-metrics",
    ),
]


@pytest.mark.parametrize(("question", "counts", "asked", "expected"), CASES)
def test_wordings(question, counts, asked, expected):
    _, solution = solve(question)
    assert counts_of(solution) == counts
    assert solution.asked == asked
    for name, value in expected.items():
        assert solution.answer[name] == pytest.approx(value, rel=1e-9), name
    assert set(solution.answer) <= set(solution.parts)


@pytest.mark.parametrize(("question", "counts", "asked", "expected"), CASES)
def test_wordings_route_here(question, counts, asked, expected):
    assert SOLVER.detect(normalize(question)) >= 0.6


def test_seed_solution_steps_and_conventions():
    _, solution = solve(SEED_QUESTION)
    assert solution.given == {
        "tp": 80,
        "fp": 80,
        "fn": 20,
        "tn": 820,
        "orientation": "rows_predicted",
        "positive_class": "Cancer",
    }
    assert solution.conventions[:2] == [
        "Rows are predicted classes and columns actual classes, as the table's labels say.",
        "“Cancer” is taken as the positive class (the label without a negation).",
    ]
    steps = {step.title: step for step in solution.steps}
    assert steps["Read the counts"].latex == r"TP = 80,\ FP = 80,\ FN = 20,\ TN = 820,\ N = 1000"
    assert steps["Precision"].latex == r"\text{Precision} = \frac{TP}{TP + FP} = \frac{80}{80 + 80} = 0.5"
    assert steps["F1"].latex.endswith(r"= \frac{8}{13} \approx 0.6154")
    assert steps["Specificity"].latex.endswith(r"= \frac{41}{45} \approx 0.9111")
    assert solution.parts["recall"].aliases[:2] == ("sensitivity", "tpr")


def test_bare_matrix_states_its_assumption():
    _, solution = solve(BARE_MATRIX)
    assert solution.given["orientation"] == "rows_actual"
    assert solution.conventions[0].startswith(
        "The table does not say which axis holds the actual classes; rows are taken as actual classes"
    )


def test_f_beta_part_is_labelled_with_its_beta():
    _, solution = solve("With TP = 40, FP = 10, FN = 20 and TN = 30, compute the F2 score and the MCC.")
    assert solution.parts["f_beta"].label == "F2 score"
    assert "f2" in solution.parts["f_beta"].aliases
    assert solution.given["beta"] == 2


def test_zero_over_zero_is_undefined_with_a_note():
    _, solution = solve("TP = 0, FP = 0, FN = 10, TN = 90. Compute precision, recall and F1.")
    assert solution.answer["precision"] is None
    assert solution.answer["recall"] == 0.0  # 0/10
    assert solution.answer["f1"] == 0.0  # 0/(0 + 0 + 10)
    assert solution.notes == [
        "Precision is undefined here (0/0); "
        "scikit-learn reports 0 (its zero_division default) with a warning."
    ]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "TP = 30, FP = 10, FN = 5. Compute accuracy.",
            "the question does not give TN, which accuracy needs",
        ),
        (
            "Model A: TP = 80, FP = 10. Model B: TP = 70, FP = 5. FN = 20 and TN = 800 for both. "
            "Compute precision.",
            "the question gives two different values for the same count (TP = 80; TP = 70); "
            "ask about one classifier at a time",
        ),
        (
            SEED_TABLE + "\nHere FP = 20. Compute precision.",
            "the table and the counts stated in the text (FP = 20) disagree",
        ),
        (
            "The confusion matrix is\n| | Pred A | Pred B | Pred C |\n|---|---|---|---|\n| A | 10 | 2 | 3 |\n"
            "| B | 1 | 12 | 2 |\n| C | 0 | 3 | 15 |\nCompute the accuracy.",
            "this is a 3×3 (multi-class) confusion matrix; this solver reads binary (2×2) ones",
        ),
        (
            "Two confusion matrices: [[50, 10], [5, 35]] and [[45, 15], [10, 30]]. "
            "Compute the precision of each.",
            "the question has 2 different confusion matrices; ask about one at a time",
        ),
        (
            "Given TP = 40, FP = 10, FN = 20, TN = 30, compute the F0.5 score and the F2 score.",
            "the question asks for F-scores with two different β; ask for one at a time",
        ),
        (
            "Given TP = 40, FP = 10, FN = 20, TN = 30, compute the F-beta score.",
            "the question asks for an F-beta score but does not give β",
        ),
        (
            "| | Actual Yes | Actual No |\n|---|---|---|\n| Actual Yes | 50 | 10 |\n| Actual No | 5 | 35 |\n"
            "Compute recall.",
            "the table's labels and the question disagree about which axis holds the actual classes; "
            "label the rows and columns as Predicted or Actual",
        ),
        (
            "The normalised confusion matrix is [[0.9, 0.1], [0.2, 0.8]] (rows: actual). Compute precision.",
            "the matrix is normalised per class (each row or column sums to 1); precision and accuracy "
            "need the counts, or the number of examples in each class",
        ),
        (
            "y_true = [0, 1, 2, 1]\ny_pred = [0, 2, 2, 1]\nCompute precision.",
            "the labels have 3 classes (0, 1, 2); this solver reads binary ones",
        ),
    ],
)
def test_ambiguous_or_incomplete_data_is_refused(question, message):
    with pytest.raises(NotUnderstood) as refusal:
        SOLVER.parse(normalize(question))
    assert refusal.value.message == message


@pytest.mark.parametrize(
    "question",
    [
        "What is dropout?",
        "Explain precision and recall.",
        "What is a confusion matrix? Explain TP, FP, FN and TN in a 2x2 matrix.",
        "Define the evaluation metrics Accuracy, Precision, Recall, and F1 score.",
        "A classifier has precision 0.8 and recall 0.5. What is its F1 score?",
        "The model was trained for 20 epochs on 1000 images. Compute accuracy.",
        "Why can a model with 99% accuracy be useless when only 1% of the 10000 patients are sick?",
        "A classifier was evaluated on 200 images. It classified 60 images as cats, of which 50 were "
        "actually cats. There were 70 cats in total. Compute precision and recall.",
    ],
)
def test_questions_without_readable_counts_are_refused(question):
    text = normalize(question)
    with pytest.raises(NotUnderstood):
        SOLVER.parse(text)
    assert SOLVER.detect(text) < 0.5


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "y_true = [1, 0, 1]\ny_pred = [1, 0]\nCompute the accuracy.",
            "the true labels (3) and the predictions (2) must be lists of the same length",
        ),
        (
            "TP = -5, FP = 10, FN = 5, TN = 20. Compute precision.",
            "confusion-matrix counts cannot be negative",
        ),
        (
            "TP = 0, FP = 0, FN = 0, TN = 0. Compute accuracy.",
            "every count is zero: there is nothing to evaluate",
        ),
    ],
)
def test_impossible_data_is_invalid(question, message):
    with pytest.raises(InvalidQuestion) as error:
        SOLVER.parse(normalize(question))
    assert error.value.message == message


# ---------------------------------------------------------------- known mistakes


def variants_of(question: str) -> dict:
    problem = SOLVER.parse(normalize(question))
    return {v.code: v for v in SOLVER.variants(problem)}


def test_seed_mistakes_reproduce_the_wrong_numbers():
    variants = variants_of(SEED_QUESTION)
    swapped = variants["precision_recall_swapped"]
    assert (swapped.answer["precision"], swapped.answer["recall"]) == (0.8, 0.5)
    assert variants["f1_arithmetic_mean"].answer["f1"] == pytest.approx(0.65)  # (0.5 + 0.8)/2
    transposed = variants["table_transposed"]  # FP = 20, FN = 80
    assert not transposed.accepted
    assert transposed.answer["precision"] == pytest.approx(0.8)  # 80/100
    assert transposed.answer["recall"] == pytest.approx(0.5)  # 80/160
    assert variants["accuracy_without_tn"].answer["accuracy"] == pytest.approx(80 / 180)
    other_class = variants["positive_class_swapped"]  # “No Cancer” positive: TP = 820, FP = 20, FN = 80
    assert other_class.answer["precision"] == pytest.approx(820 / 840)
    assert other_class.answer["recall"] == pytest.approx(820 / 900)
    assert "specificity_as_npv" not in variants  # specificity is not asked
    assert all(not v.accepted for v in variants.values())


def test_feedback_names_the_rule():
    variants = variants_of(SEED_QUESTION)
    assert variants["table_transposed"].feedback == (
        "You read the table the wrong way round, so FP and FN are swapped: here rows are predicted classes "
        "and columns actual classes."
    )
    assert variants["f1_arithmetic_mean"].feedback == (
        "F1 is the harmonic mean of precision and recall, 2PR / (P + R), not their average (P + R) / 2."
    )


def test_count_worded_question_has_fp_fn_swap_as_a_mistake():
    variants = variants_of("TP = 45, FP = 5, FN = 10, TN = 40. Compute precision and recall.")
    swapped = variants["table_transposed"]
    assert swapped.feedback.startswith("You swapped FP and FN")
    assert swapped.answer["precision"] == pytest.approx(45 / 55)  # FP read as 10
    assert "positive_class_swapped" not in variants


def test_specificity_and_fpr_mix_ups():
    variants = variants_of("TP = 45, FP = 5, FN = 10, TN = 40. Compute specificity and the FPR.")
    assert variants["specificity_as_npv"].answer["specificity"] == pytest.approx(0.8)  # 40/(40 + 10)
    assert variants["specificity_as_fpr"].answer["specificity"] == pytest.approx(5 / 45)
    assert variants["fpr_as_one_minus_precision"].answer["fpr"] == pytest.approx(0.1)  # 5/(45 + 5)


def test_f_beta_with_inverse_beta():
    variants = variants_of("With TP = 40, FP = 10, FN = 20 and TN = 30, compute the F2 score.")
    # F0.5 = 1.25·40/(1.25·40 + 0.25·20 + 10) = 50/65
    assert variants["f_beta_inverse_beta"].answer["f_beta"] == pytest.approx(50 / 65)


def test_assumed_orientation_accepts_the_transposed_reading():
    variants = variants_of(BARE_MATRIX)
    transposed = variants["table_transposed"]  # FP = 10, FN = 5
    assert transposed.accepted
    assert transposed.answer["precision"] == pytest.approx(50 / 60)
    assert transposed.answer["recall"] == pytest.approx(50 / 55)


def test_assumed_positive_class_accepts_the_other_class():
    other = variants_of(CAT_DOG)["positive_class_swapped"]  # Dog positive: TP = 55, FP = 5, FN = 10
    assert other.accepted
    assert other.answer["precision"] == pytest.approx(55 / 60)
    assert other.answer["recall"] == pytest.approx(55 / 65)


def test_undefined_precision_accepts_zero():
    variants = variants_of("TP = 0, FP = 0, FN = 10, TN = 90. Compute precision, recall and F1.")
    zero = variants["zero_division_as_zero"]
    assert zero.accepted
    assert zero.answer["precision"] == 0.0


def test_mistakes_that_change_nothing_are_left_out():
    # precision = recall = 3/4 here, so swapping them gives the right answer
    variants = variants_of(
        "y_true = [1, 0, 1, 1, 0, 1, 0, 0]\ny_pred = [1, 0, 0, 1, 1, 1, 0, 0]\nCompute precision and recall."
    )
    assert "precision_recall_swapped" not in variants


# ---------------------------------------------------------------- routing


@pytest.mark.parametrize(
    "question",
    [
        "What will be the output activations of this layer after applying dropout? "
        "Activations: a = [2.0, 5.0, 7.12, 4.5, 6.0] Dropout mask: m = [1, 0, 0, 1, 1]",
        "Assume that the inputs X to some scalar function f are n x m matrices. What is the dimensionality "
        "of the gradient of f with respect to X?",
        "The weights are W = [[0.5, 0.2], [0.1, 0.4]]. Compute the gradient.",
        "A layer has input x ∈ R^{3} and weight matrix W = [[1, 2, 3], [4, 5, 6]]. "
        "What is the shape of dL/dW?",
        "A dropout layer with p = 0.5 is applied to 100 neurons. How many neurons are kept on average?",
        "Compute the loss for predictions ŷ = [0.9, 0.2] and labels y = [1, 0].",
    ],
)
def test_other_kinds_score_low(question):
    assert SOLVER.detect(normalize(question)) < 0.5


def test_readable_but_incomplete_counts_route_here_to_explain_what_is_missing():
    assert 0.5 <= SOLVER.detect(normalize("TP = 30, FP = 10, FN = 5. Compute accuracy.")) < 0.6


def test_examples_solve_to_their_expected_values():
    for example in SOLVER.examples():
        _, solution = solve(example.question)
        for name, value in example.expected.items():
            assert solution.answer[name] == pytest.approx(value), (example.question, name)
    assert len(SOLVER.examples()) >= 6


# ---------------------------------------------------------------- invariants

count = st.integers(min_value=0, max_value=5000)


@settings(max_examples=60, deadline=None)
@given(tp=count, fp=count, fn=count, tn=count)
def test_counts_tables_and_transposed_tables_read_the_same(tp, fp, fn, tn):
    if tp + fp + fn + tn == 0:
        return
    by_counts = f"TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}. Compute the metrics."
    rows_actual = (
        "| | Predicted Positive | Predicted Negative |\n|---|---|---|\n"
        f"| Actual Positive | {tp} | {fn} |\n| Actual Negative | {fp} | {tn} |\nCompute the metrics."
    )
    rows_predicted = (
        "| | Actual Negative | Actual Positive |\n|---|---|---|\n"
        f"| Predicted Negative | {tn} | {fn} |\n| Predicted Positive | {fp} | {tp} |\nCompute the metrics."
    )
    answers = [solve(q)[1] for q in (by_counts, rows_actual, rows_predicted)]
    assert {counts_of(a) for a in answers} == {(tp, fp, fn, tn)}
    for value in answers[0].answer.values():
        assert value is None or 0.0 <= value <= 1.0


def test_agrees_with_scikit_learn_when_installed():
    from sklearn import metrics  # the independent reference (a test-only dependency)

    y_true = [1] * 80 + [0] * 80 + [1] * 20 + [0] * 820
    y_pred = [1] * 80 + [1] * 80 + [0] * 20 + [0] * 820
    _, solution = solve("TP = 80, FP = 80, FN = 20, TN = 820. Compute accuracy, precision, recall, F1, MCC.")
    answer = solution.answer
    assert answer["precision"] == pytest.approx(metrics.precision_score(y_true, y_pred))
    assert answer["recall"] == pytest.approx(metrics.recall_score(y_true, y_pred))
    assert answer["f1"] == pytest.approx(metrics.f1_score(y_true, y_pred))
    assert answer["accuracy"] == pytest.approx(metrics.accuracy_score(y_true, y_pred))
    assert answer["mcc"] == pytest.approx(metrics.matthews_corrcoef(y_true, y_pred))


@pytest.mark.parametrize(
    ("call", "part", "expected"),
    [
        ("fbeta_score(y_true, y_pred, beta=2)", "f_beta", 0.6896551724137931),
        ("f1_score(y_true, y_pred)", "f1", 8 / 11),
    ],
)
def test_scikit_learn_calls_name_the_metric_asked(call: str, part: str, expected: float) -> None:
    question = (
        f"from sklearn.metrics import {call.split('(')[0]}\n"
        "y_true = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1]\ny_pred = [1, 0, 0, 1, 1, 0, 1, 1, 0, 0]\n"
        f"What does {call} return?"
    )
    _, solution = solve(question)
    assert solution.asked == (part,)
    assert solution.answer[part] == pytest.approx(expected)


def test_marks_in_square_brackets_are_not_counts() -> None:
    # P = 40/50 = 0.8, R = 40/80 = 0.5: "[1]" and "[2 marks]" are marks, not counted e-mails
    question = (
        "A fraud detector was run on 1000 transactions. It flagged 50 transactions, and 40 of those were "
        "fraudulent. There were 80 fraudulent transactions in total.\n(a) Compute the precision. [1]\n"
        "(b) Compute the recall. [2 marks]"
    )
    _, solution = solve(question)
    assert solution.answer["precision"] == pytest.approx(0.8)
    assert solution.answer["recall"] == pytest.approx(0.5)
