"""The early-stopping solver: curves as lists, tables, logs and prose; patience, min_delta, restoring."""

from __future__ import annotations

import math
import random

import pytest

from solvers.early_stopping import EarlyStoppingSolver
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from tests.solvers.kit import SolverKit

KIT = SolverKit(EarlyStoppingSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variant = KIT.variant

SEED_Q7 = "7. **Describe the principle of early stopping and why it is considered a form of regularization.**"


LIST_Q = (
    "Validation loss per epoch: [0.90, 0.70, 0.60, 0.62, 0.61, 0.65, 0.70]. Early stopping with patience = "
    "2. "
    "At which epoch does training stop, and what is the best epoch?"
)
TABLE_Q = (
    "| Epoch | Train loss | Val loss |\n|---|---|---|\n| 1 | 0.80 | 0.75 |\n| 2 | 0.60 | 0.55 |\n"
    "| 3 | 0.45 | 0.47 |\n| 4 | 0.35 | 0.41 |\n| 5 | 0.30 | 0.43 |\n| 6 | 0.25 | 0.44 |\n| 7 | 0.20 | 0.46 "
    "|\n"
    "| 8 | 0.16 | 0.48 |\n\nWith early stopping (patience 3), at which epoch does training stop?"
)
LOG_Q = (
    "Epoch 1/20 - loss: 0.7012 - val_loss: 0.6523\nEpoch 2/20 - loss: 0.5534 - val_loss: 0.5478\n"
    "Epoch 3/20 - loss: 0.4811 - val_loss: 0.5012\nEpoch 4/20 - loss: 0.4120 - val_loss: 0.5103\n"
    "Epoch 5/20 - loss: 0.3607 - val_loss: 0.5230\nThe callback is EarlyStopping(patience=2) with "
    "restore_best_weights=False. At which epoch did training stop and which epoch's weights does the model "
    "keep?"
)
DELTA_Q = (
    "Early stopping with patience 2 and min_delta = 0.01 monitors the validation loss "
    "[1.00, 0.90, 0.80, 0.795, 0.81, 0.70]. At which epoch does training stop?"
)
ACCURACY_Q = (
    "EarlyStopping(monitor='val_accuracy', patience=3, restore_best_weights=True). Validation accuracy: "
    "[0.70, 0.80, 0.85, 0.84, 0.85, 0.83, 0.86]. When does training stop and which weights are restored?"
)

# (question, expected parts in the order asked); the reasoning is in the comment above each case.
CASES: list[tuple[str, dict[str, float]]] = [
    # best 0.60 at 3; 4 (0.62) count 1, 5 (0.61 > 0.60) count 2 = patience → stop at 5
    (LIST_Q, {"stop_epoch": 5, "best_epoch": 3}),
    # best 0.41 at 4; 5, 6, 7 worse → count 3 at 7
    (TABLE_Q, {"stop_epoch": 7}),
    # best 0.5012 at 3; 4, 5 worse → stop at 5; restore_best_weights=False keeps epoch 5
    (LOG_Q, {"stop_epoch": 5, "restored_epoch": 5}),
    # 0.795 is not below 0.80 − 0.01 → no improvement; 4, 5 → stop at 5
    (DELTA_Q, {"stop_epoch": 5}),
    # accuracy: best 0.85 at 3; 4 (0.84), 5 (0.85, not higher), 6 (0.83) → count 3 at 6; restores 3
    (ACCURACY_Q, {"stop_epoch": 6, "restored_epoch": 3}),
    # the count never reaches 4: all 6 epochs run
    (
        "Validation losses: 0.9, 0.8, 0.82, 0.81, 0.83, 0.79. Early stopping uses patience 4. At which "
        "epoch does "
        "training stop?",
        {"stop_epoch": 6},
    ),
    # plain labelled rows: best 0.50 at 3; 4, 5, 6 → count 3 at 6
    (
        "Epoch: 1 2 3 4 5 6 7\nVal loss: 0.80 0.60 0.50 0.55 0.52 0.58 0.40\nUsing early stopping with a "
        "patience "
        "of 3 epochs, when does training stop?",
        {"stop_epoch": 6},
    ),
    # epochs numbered from 0 in the table: best 0.3 at epoch 2; 3, 4 → stop at epoch 4
    (
        "| epoch | val_loss |\n|---|---|\n| 0 | 0.5 |\n| 1 | 0.4 |\n| 2 | 0.3 |\n| 3 | 0.35 |\n| 4 | 0.32 |\n"
        "| 5 | 0.2 |\n\nEarly stopping, patience=2. Stop epoch?",
        {"stop_epoch": 4},
    ),
    # prose per epoch: best 0.62 at 3; 4, 5 → stop at 5
    (
        "The validation loss was 0.81 at epoch 1, 0.70 at epoch 2, 0.62 at epoch 3, 0.64 at epoch 4 and "
        "0.66 at "
        "epoch 5. With early stopping and patience 2, at what epoch does training halt?",
        {"stop_epoch": 5},
    ),
    # "as soon as it increases": patience 1 → 0.55 at 4 > 0.52 → stop at 4
    (
        "Training stops as soon as the validation loss increases. The validation losses are [0.71, 0.60, "
        "0.52, "
        "0.55, 0.50]. At which epoch does early stopping halt training?",
        {"stop_epoch": 4},
    ),
    # best epoch only (no patience needed): lowest 0.33 at epoch 4
    (
        "Early stopping picks the model with the lowest validation loss. Validation losses: [0.52, 0.41, "
        "0.36, 0.33, "
        "0.35, 0.38]. Which epoch has the best model?",
        {"best_epoch": 4},
    ),
    # best value and epoch: 0.33 at 4
    (
        "Given val_loss = [0.52, 0.41, 0.36, 0.33, 0.35, 0.38] and early stopping with patience 2, what is "
        "the best "
        "validation loss reached, and at which epoch does training stop?",
        {"best_value": 0.33, "stop_epoch": 6},
    ),
    # how many epochs run: best 0.4 at 2; 3, 4, 5 → stop at 5: 5 epochs
    (
        "With EarlyStopping(patience=3) and val_loss = [0.5, 0.4, 0.45, 0.42, 0.41, 0.3], how many epochs "
        "are "
        "trained?",
        {"epochs_run": 5},
    ),
    # restored not stated: best weights assumed (epoch 2)
    (
        "Patience is 2. Validation loss: 0.9, 0.6, 0.7, 0.8, 0.5. Which epoch's weights are restored?",
        {"restored_epoch": 2},
    ),
    # LaTeX tabular: best 0.40 at 3; 4, 5 → stop 5
    (
        r"\begin{tabular}{c|c} Epoch & Validation loss \\ \hline 1 & 0.60 \\ 2 & 0.45 \\ 3 & 0.40 \\ 4 & "
        r"0.42 \\ "
        r"5 & 0.41 \\ 6 & 0.39 \end{tabular} Early stopping uses a patience of 2. When does it stop "
        r"training?",
        {"stop_epoch": 5},
    ),
    # accuracy in prose, mode max: best 0.91 at 4; 5, 6 → stop 6
    (
        "A model's validation accuracy over epochs is 0.82, 0.87, 0.90, 0.91, 0.905, 0.90, 0.93. Early "
        "stopping "
        "with patience 2 monitors the validation accuracy. At which epoch does training stop?",
        {"stop_epoch": 6},
    ),
    # min_delta with accuracy: 0.805 is not > 0.80 + 0.01; best stays 0.80 at 2; 3, 4 → stop 4
    (
        "EarlyStopping(monitor='val_acc', mode='max', min_delta=0.01, patience=2). val_acc = [0.75, 0.80, "
        "0.805, "
        "0.809, 0.83]. At which epoch does training stop and what is the best epoch?",
        {"stop_epoch": 4, "best_epoch": 2},
    ),
    # a stem on one line and the question apart: best 1.10 at 3; 4, 5, 6 → stop 6; restored 3
    (
        "Q: I set patience=3 and restore_best_weights=True.\nval_loss: [1.40, 1.21, 1.10, 1.12, 1.15, 1.11, "
        "1.05]\n"
        "Which epoch will the final model's weights come from, and when will training stop?",
        {"restored_epoch": 3, "stop_epoch": 6},
    ),
    # improvements reset the count: best 0.58 at 2, 0.57 at 4, 0.56 at 6; 7, 8 → stop 8
    (
        "val_loss = [0.60, 0.58, 0.59, 0.57, 0.58, 0.56, 0.57, 0.58, 0.50]; early stopping with patience 2. "
        "At "
        "which epoch does training stop?",
        {"stop_epoch": 8},
    ),
    # Keras log with accuracy: best 0.74 at 3; 4, 5 → stop 5
    (
        "EarlyStopping(monitor='val_accuracy', patience=2)\nEpoch 1/30 - accuracy: 0.61 - val_accuracy: "
        "0.65\n"
        "Epoch 2/30 - accuracy: 0.70 - val_accuracy: 0.72\nEpoch 3/30 - accuracy: 0.76 - val_accuracy: 0.74\n"
        "Epoch 4/30 - accuracy: 0.80 - val_accuracy: 0.73\nEpoch 5/30 - accuracy: 0.83 - val_accuracy: 0.74\n"
        "On which epoch does training stop?",
        {"stop_epoch": 5},
    ),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings(question: str, expected: dict[str, float]) -> None:
    solution = solve(question)
    assert list(solution.asked) == list(expected), solution.asked
    for name, value in expected.items():
        got = solution.answer[name]
        assert isinstance(got, float) and math.isclose(got, value, rel_tol=1e-12), (name, got)
    assert solution.steps and solution.conventions


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings_are_detected(question: str, expected: dict[str, float]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


REFUSED = [
    (SEED_Q7, "validation curve is missing"),
    ("Early stopping with patience 3. When does training stop?", "validation curve is missing"),
    (
        "Validation loss: [0.9, 0.7, 0.6, 0.65, 0.7]. With early stopping, at which epoch does training "
        "stop?",
        "patience",
    ),
]


@pytest.mark.parametrize(("question", "message"), REFUSED)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood, match=message):
        parse(question)


def test_patience_must_be_positive() -> None:
    with pytest.raises(InvalidQuestion, match="at least 1"):
        parse("Early stopping with patience = 0 on val_loss = [0.5, 0.4, 0.45]. When does it stop?")


MISTAKES = [
    # stopping at the first increase: epoch 4 (0.62 > 0.60)
    (LIST_Q, "stopped_at_first_increase", {"stop_epoch": 4}),
    # one epoch too late: count 3 reached at 6
    (LIST_Q, "patience_off_by_one", {"stop_epoch": 6}),
    # without min_delta 0.795 improves: best at 4; 5 count 1, 6 improves… never stops: 6
    (DELTA_Q, "min_delta_ignored", {"stop_epoch": 6}),
    # restore_best_weights=True, but the last epoch's weights given
    (ACCURACY_Q, "last_weights_kept", {"restored_epoch": 6}),
    # restore_best_weights=False, but the best epoch's weights given
    (LOG_Q, "best_weights_assumed", {"restored_epoch": 3}),
    # accuracy read as a loss: 0.70 at epoch 1 stays "best"; epochs 2, 3, 4 are "worse" → count 3 at epoch 4
    (ACCURACY_Q, "direction_swapped", {"stop_epoch": 4}),
    # the training column (always falling) never triggers: runs all 8 epochs
    (TABLE_Q, "training_curve_used", {"stop_epoch": 8}),
    # patience 3 − 1 = 2: best 0.41 at 4; 5, 6 → 6
    (TABLE_Q, "patience_off_by_one_early", {"stop_epoch": 6}),
]


@pytest.mark.parametrize(("question", "code", "expected"), MISTAKES)
def test_mistakes_reproduce_the_wrong_epoch(question: str, code: str, expected: dict[str, float]) -> None:
    found = variant(question, code)
    assert not found.accepted
    for name, value in expected.items():
        assert found.answer[name] == value, (name, found.answer[name])


def test_counting_from_zero_is_accepted_for_unnumbered_epochs() -> None:
    found = variant(LIST_Q, "epochs_from_zero")
    assert found.accepted and found.answer == {"stop_epoch": 4.0, "best_epoch": 2.0}
    numbered = {v.code for v in SOLVER.variants(parse(TABLE_Q))}
    assert "epochs_from_zero" not in numbered  # the table numbers its epochs


def test_keeping_the_last_weights_is_accepted_when_restoring_is_not_stated() -> None:
    found = variant(CASES[13][0], "last_weights_kept")
    assert found.accepted and found.answer == {"restored_epoch": 4.0}


def test_grading() -> None:
    problem = parse(LIST_Q)
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    assert grade_response(solution, variants, "Training stops at epoch 5; the best epoch is 3.").correct
    assert grade_response(solution, variants, {"stop_epoch": 4, "best_epoch": 2}).correct  # counted from 0
    numbered = parse(TABLE_Q)  # the table numbers the epochs: no other counting to accept
    solution, variants = SOLVER.solve(numbered), SOLVER.variants(numbered)
    grade = grade_response(solution, variants, "stop epoch = 5")
    assert grade.misconceptions == ["stopped_at_first_increase"]


def test_steps_show_the_scan() -> None:
    table = solve(LIST_Q).steps[0].latex
    assert r"\begin{array}" in table and r"5 & 0.61 & 0.6 & 2 \\" in table


@pytest.mark.parametrize("seed", range(200))
def test_practice_questions_read_back(seed: int) -> None:
    question = SOLVER.practice(random.Random(seed))
    assert question == SOLVER.practice(random.Random(seed))
    text = normalize(question)
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    assert solution.asked == ("stop_epoch", "restored_epoch")
    assert all(math.isfinite(float(solution.answer[name])) for name in solution.asked)  # type: ignore[arg-type]


CONCEPTUAL = [
    SEED_Q7,
    "Explain Adam.",
    "Why does weight decay help?",
    "What is the patience parameter in early stopping?",
    "Why is early stopping a form of regularization?",
    "Describe the principle of early stopping.",
]


@pytest.mark.parametrize("question", CONCEPTUAL)
def test_conceptual_questions_are_not_claimed(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_other_solvers_examples_are_not_claimed() -> None:
    from solvers.registry import SOLVERS  # imported here: the other solvers' modules change independently

    others = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]
    assert others
    assert [q for q in others if SOLVER.detect(normalize(q)) >= 0.5] == []
