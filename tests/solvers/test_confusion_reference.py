"""The confusion solver against scikit-learn, an independent reference, on generated counts."""

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics

from solvers.route import solve_question

count = st.integers(min_value=0, max_value=400)


def labels(tp: int, fp: int, fn: int, tn: int) -> tuple[list[int], list[int]]:
    y_true = [1] * tp + [0] * fp + [1] * fn + [0] * tn
    y_pred = [1] * tp + [1] * fp + [0] * fn + [0] * tn
    return y_true, y_pred


@settings(max_examples=60, deadline=None)
@given(tp=count, fp=count, fn=count, tn=count)
def test_metrics_match_scikit_learn(tp, fp, fn, tn):
    if min(tp + fn, fp + tn, tp + fp, fn + tn) == 0:
        return  # a 0/0 somewhere: covered by the undefined-value tests
    question = (
        f"TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}. Compute accuracy, precision, recall, "
        "specificity, F1, balanced accuracy, MCC and the F2 score."
    )
    answer = solve_question(question).solution.answer
    y_true, y_pred = labels(tp, fp, fn, tn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = {
            "accuracy": metrics.accuracy_score(y_true, y_pred),
            "precision": metrics.precision_score(y_true, y_pred),
            "recall": metrics.recall_score(y_true, y_pred),
            "specificity": metrics.recall_score(y_true, y_pred, pos_label=0),
            "f1": metrics.f1_score(y_true, y_pred),
            "balanced_accuracy": metrics.balanced_accuracy_score(y_true, y_pred),
            "mcc": metrics.matthews_corrcoef(y_true, y_pred),
            "f_beta": metrics.fbeta_score(y_true, y_pred, beta=2),
        }
    for name, value in expected.items():
        assert answer[name] == pytest.approx(value, abs=1e-9), name


def test_label_lists_match_scikit_learn_confusion_matrix():
    y_true = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]
    y_pred = [1, 1, 0, 1, 0, 0, 1, 1, 1, 0]
    question = f"y_true = {y_true}\ny_pred = {y_pred}\nCompute precision and recall."
    given_counts = solve_question(question).solution.given
    tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred).ravel()
    assert (given_counts["tp"], given_counts["fp"], given_counts["fn"], given_counts["tn"]) == (
        tp,
        fp,
        fn,
        tn,
    )
