"""Error carried forward: a later part worked out correctly from the student's own wrong earlier parts."""

import math
from collections.abc import Mapping

import pytest

from solvers.base import AnswerValue, Derivation, number_input
from solvers.grading import Grade, PartGrade, PartStatus, grade_response
from solvers.route import solve_question
from tests.solvers.fakes import METRIC_VARIANTS, metrics_solution

SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)
MOMENTUM = (
    "SGD with momentum β = 0.9 and learning rate 0.1 starts at w = 1.0 with zero velocity. The gradients "
    "at the first two steps are 0.5 and 0.3. Compute w after each step."
)
GD_THREE_STEPS = (
    "Run three steps of gradient descent on f(w) = (w - 3)^2 from w_0 = 1 with learning rate 0.1. "
    "Give w_1, w_2 and w_3."
)
ADAM = (
    "Adam optimizer with learning rate 0.01 and default β1 = 0.9, β2 = 0.999, ε = 1e-8. The parameter is "
    "w = 1.0 and the gradient is g = 0.2. Compute m_1, v_1, the bias-corrected estimates and w_1."
)
EARLY_STOPPING = (
    "Validation loss per epoch: [0.90, 0.70, 0.60, 0.62, 0.61, 0.65, 0.70]. Early stopping with "
    "patience = 2. At which epoch does training stop, and what is the best epoch?"
)
PENALTY = (
    "A model with weights w = [0.5, -1.0, 2.0] has data loss 1.2. With L1 regularization λ = 0.01, "
    "compute the penalty and the total loss."
)
L2_STEP = (
    "With L2 regularization λ = 0.1 (penalty λ||w||^2), weights w = [1.0, -2.0], data loss gradient "
    "[0.5, 0.5] and learning rate 0.1, compute the gradient of the penalty, the total gradient and the "
    "updated weights."
)
ADABOOST = (
    "AdaBoost: 4 training samples have equal weights 0.25. The weak learner misclassifies sample 3. "
    "Compute the weighted error, α and the updated weights."
)
DROPOUT = (
    "Inverted dropout with drop probability p = 0.2 is applied to activations a = [2.0, 5.0, 7.12, 4.5, 6.0] "
    "with mask m = [1, 0, 0, 1, 1]. What is the scale factor and the output?"
)


def grade(question: str, response: str | dict[str, object]) -> Grade:
    solved = solve_question(question)
    return grade_response(solved.solution, list(solved.variants), response)


def part(result: Grade, name: str) -> PartGrade:
    return next(p for p in result.parts if p.name == name)


def assert_carried(result: Grade, name: str, inputs: str, right: str) -> None:
    got = part(result, name)
    assert got.carried_forward and got.status is PartStatus.CORRECT and got.score == 1.0
    assert f"is consistent with your {inputs} (carried forward); with the right values it is {right}." in (
        got.feedback
    )
    assert got.label in result.feedback and "Carried forward" in result.feedback


def assert_not_carried(result: Grade, name: str) -> None:
    got = part(result, name)
    assert not got.carried_forward and got.status is not PartStatus.CORRECT and got.score != 1.0


def f1_of(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


# ---- confusion_binary: F1 from precision and recall ----------------------------------------------------------


def test_f1_consistent_with_wrong_precision_is_credited():
    result = grade(SEED_Q2, f"accuracy 0.9, precision 0.4, recall 0.8, F1 = {f1_of(0.4, 0.8):.4f}")
    assert_carried(result, "f1", "precision", "0.6154")
    assert part(result, "precision").status is PartStatus.WRONG
    assert result.score == pytest.approx(0.75) and not result.correct


def test_f1_carried_forward_from_percentages_and_json():
    assert part(
        grade(SEED_Q2, "precision 40 %, recall 80 %, accuracy 90 %, F1 53.33 %"), "f1"
    ).carried_forward
    result = grade(SEED_Q2, {"precision": 0.4, "recall": 0.7, "accuracy": 0.9, "f1": f1_of(0.4, 0.7)})
    assert_carried(result, "f1", "precision and recall", "0.6154")


def test_f1_inconsistent_with_the_wrong_inputs_gets_nothing():
    assert_not_carried(grade(SEED_Q2, "accuracy 0.9, precision 0.4, recall 0.8, F1 = 0.45"), "f1")


def test_wrong_f1_from_right_inputs_is_simply_wrong():
    result = grade(SEED_Q2, "accuracy 0.9, precision 0.5, recall 0.8, F1 = 0.5")
    assert_not_carried(result, "f1")
    assert part(result, "f1").feedback == "F1 should be 0.6154."


def test_the_same_wrong_number_everywhere_is_not_credited():
    # 2·0.4·0.4 / 0.8 = 0.4: consistent, but a copy of the inputs proves no working
    assert_not_carried(grade(SEED_Q2, "accuracy 0.4, precision 0.4, recall 0.4, F1 = 0.4"), "f1")


def test_a_named_mistake_in_f1_stays_named_when_the_inputs_are_right():
    result = grade(SEED_Q2, "accuracy 0.9, precision 0.5, recall 0.8, F1 = 0.65")
    assert part(result, "f1").misconception == "f1_arithmetic_mean"


# ---- optimizer_step: each step from the previous one; Adam's step from m̂ and v̂ ------------------------------


def test_momentum_second_step_from_a_wrong_first_step():
    # w_1 = 0.9 is wrong (0.95); then v_2 = 0.9·0.5 + 0.3 = 0.75 and w_2 = 0.9 − 0.1·0.75 = 0.825
    result = grade(MOMENTUM, "w_1 = 0.9, w_2 = 0.825")
    assert_carried(result, "w_2", "w after step 1", "0.875")
    assert part(result, "w_1").status is PartStatus.WRONG


def test_momentum_inconsistent_or_right_input_cases():
    assert_not_carried(grade(MOMENTUM, "w_1 = 0.9, w_2 = 0.8"), "w_2")
    assert_not_carried(grade(MOMENTUM, "w_1 = 0.95, w_2 = 0.825"), "w_2")


def test_gradient_descent_chain_carries_through_every_step():
    # f'(w) = 2(w − 3): from a wrong w_1 = 1.2, w_2 = 1.2 + 0.2·1.8 = 1.56 and w_3 = 1.56 + 0.2·1.44 = 1.848
    result = grade(GD_THREE_STEPS, "w_1 = 1.2, w_2 = 1.56, w_3 = 1.848")
    assert_carried(result, "w_2", "w after step 1", "1.72")
    assert_carried(result, "w_3", "w after step 2", "1.976")
    assert result.score == pytest.approx(2 / 3)


def test_adam_step_from_wrong_bias_corrected_moments():
    # v̂ = 0.01 is wrong (0.04): w = 1 − 0.01 · 0.2 / (√0.01 + 1e-8) = 0.98
    result = grade(ADAM, "m = 0.02, v = 0.00004, m_hat = 0.2, v_hat = 0.01, w = 0.98")
    assert_carried(result, "w", "bias-corrected second moment", "0.99")
    assert_not_carried(grade(ADAM, "m = 0.02, v = 0.00004, m_hat = 0.2, v_hat = 0.01, w = 0.97"), "w")


def test_adam_bias_correction_from_a_wrong_first_moment():
    # m = 0.04 is wrong (0.02): m̂ = 0.04 / (1 − 0.9) = 0.4
    result = grade(ADAM, "m = 0.04, v = 0.00004, m_hat = 0.4, v_hat = 0.04, w = 0.98")
    assert_carried(result, "m_hat", "first moment estimate", "0.2")
    assert_carried(result, "w", "bias-corrected first moment", "0.99")


def test_adam_right_moments_and_a_wrong_step_is_wrong():
    assert_not_carried(grade(ADAM, "m = 0.02, v = 0.00004, m_hat = 0.2, v_hat = 0.04, w = 0.98"), "w")


# ---- early_stopping: the stop epoch from the best epoch ------------------------------------------------------


def test_stop_epoch_from_a_wrong_best_epoch():
    result = grade(EARLY_STOPPING, "best epoch = 5, training stops at epoch 7")
    assert_carried(result, "stop_epoch", "best epoch", "5")


def test_stop_epoch_inconsistent_or_from_the_right_best_epoch():
    assert_not_carried(grade(EARLY_STOPPING, "best epoch = 4, training stops at epoch 7"), "stop_epoch")
    assert_not_carried(grade(EARLY_STOPPING, "best epoch = 3, training stops at epoch 6"), "stop_epoch")


def test_stop_epoch_past_the_end_of_the_curve_is_not_carried():
    # best epoch 6 + patience 2 = 8: the curve has 7 epochs, so no stop epoch follows from it
    assert_not_carried(grade(EARLY_STOPPING, "best epoch = 6, training stops at epoch 8"), "stop_epoch")


# ---- regularization: the total loss from the penalty, the step from the gradient ------------------------------


def test_total_loss_from_a_wrong_penalty():
    # the penalty without λ: 3.5, so the total loss is 1.2 + 3.5 = 4.7
    result = grade(PENALTY, "penalty = 3.5, total loss = 4.7")
    assert_carried(result, "total_loss", "penalty", "1.235")
    assert_not_carried(grade(PENALTY, "penalty = 3.5, total loss = 5"), "total_loss")
    assert_not_carried(grade(PENALTY, "penalty = 0.035, total loss = 2"), "total_loss")


def test_gradient_and_step_carried_from_a_wrong_penalty_gradient():
    # ∂Ω = λw = [0.1, −0.2] (the ½ convention, a mistake here): total [0.6, 0.3], w − 0.1·total
    result = grade(L2_STEP, "penalty gradient = [0.1, -0.2], total gradient = [0.6, 0.3], w = [0.94, -2.03]")
    assert part(result, "penalty_gradient").misconception == "l2_half_lambda"
    assert_carried(result, "gradient", "gradient of the penalty", "[0.7, 0.1]")
    assert_carried(result, "w", "gradient of the total loss", "[0.93, -2.01]")
    inconsistent = "penalty gradient = [0.1, -0.2], total gradient = [0.6, 0.3], w = [0.9, -2.1]"
    assert_not_carried(grade(L2_STEP, inconsistent), "w")


# ---- ensemble (AdaBoost): α from ε, the weights from α --------------------------------------------------------


def adaboost_weights(a: float) -> list[float]:
    raw = [0.25 * math.exp(a if i == 2 else -a) for i in range(4)]
    return [r / sum(raw) for r in raw]


def test_adaboost_alpha_and_weights_carried_forward():
    error = 0.3
    a = 0.5 * math.log((1 - error) / error)
    result = grade(ADABOOST, {"error": error, "alpha": a, "weights": adaboost_weights(a)})
    assert_carried(result, "alpha", "weighted error", "0.5493")
    assert_carried(result, "weights", "classifier weight α", "[0.1667, 0.1667, 0.5, 0.1667]")


def test_adaboost_weights_inconsistent_or_from_the_right_alpha():
    right_alpha = 0.5 * math.log(3)
    wrong = {"error": 0.25, "alpha": 0.7, "weights": adaboost_weights(0.9)}
    assert_not_carried(grade(ADABOOST, wrong), "weights")
    assert_not_carried(
        grade(ADABOOST, {"error": 0.25, "alpha": right_alpha, "weights": adaboost_weights(0.7)}), "weights"
    )


# ---- dropout: the output from the scale ----------------------------------------------------------------------


def test_dropout_output_from_a_wrong_scale():
    result = grade(DROPOUT, "scale = 1.5, output = [3, 0, 0, 6.75, 9]")
    assert_carried(result, "output", "scaling factor", "[2.5, 0, 0, 5.625, 7.5]")
    assert_not_carried(grade(DROPOUT, "scale = 1.5, output = [3, 0, 0, 6, 9]"), "output")
    assert_not_carried(grade(DROPOUT, "scale = 1.25, output = [3, 0, 0, 6.75, 9]"), "output")


# ---- architecture_count: unshared count from the output size, totals and savings from counts -----------------

ALEXNET_UNSHARED = (
    "The first layer of AlexNet takes a 227×227×3 image and applies 96 filters of size 11×11 with stride 4 "
    "and no padding. What is the output size, and how many parameters would it have without parameter "
    "sharing? How many parameters are saved by sharing?"
)
TWO_CONVS = (
    "The input is a 32×32×3 image.\n\n| Layer | Type | Details |\n|---|---|---|\n| 1 | conv | 3×3, 16 filters |\n"
    "| 2 | conv | 2×2, 32 filters, stride 2 |\n\nHow many parameters does each layer have, and how many in total?"
)


def test_unshared_count_and_saving_from_a_wrong_output_size():
    # the + 1 left out: 54, so 54·54·96 output units with 11·11·3 + 1 = 364 parameters each
    unshared = 54 * 54 * 96 * 364
    response = f"output size = 54, parameters = 34944, unshared = {unshared}, saved = {unshared - 34944}"
    result = grade(ALEXNET_UNSHARED, response)
    assert part(result, "output_size").misconception == "plus_one_forgotten"
    assert_carried(result, "unshared_params", "output size", "105705600")
    assert_carried(result, "saving", "parameters without sharing", "105670656")
    inconsistent = f"output size = 54, parameters = 34944, unshared = {unshared + 96}, saved = 1"
    assert_not_carried(grade(ALEXNET_UNSHARED, inconsistent), "unshared_params")
    assert_not_carried(grade(ALEXNET_UNSHARED, inconsistent), "saving")


def test_total_from_wrong_per_layer_counts():
    # the first layer's 16 biases left out: 432 + 2,080 = 2,512
    assert_carried(
        grade(TWO_CONVS, "per layer = [432, 2080], total = 2512"), "params", "parameters per layer", "2528"
    )
    assert_not_carried(grade(TWO_CONVS, "per layer = [432, 2080], total = 2500"), "params")
    assert_not_carried(grade(TWO_CONVS, "per layer = [448, 2080], total = 2512"), "params")


# ---- odd values never break grading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (SEED_Q2, "accuracy 0.9, precision 0, recall 0, F1 = 0"),
        (SEED_Q2, "accuracy 0.9, precision -3, recall 3, F1 = 0.5"),
        (MOMENTUM, "w_1 = 1e300, w_2 = 1e300"),
        (MOMENTUM, "w_1 = [1, 2], w_2 = 0.5"),
        (ADAM, "m = 0.02, v = 0.00004, m_hat = 0.2, v_hat = -1, w = 0.5"),
        (EARLY_STOPPING, "best epoch = 2.5, training stops at epoch 4.5"),
        (EARLY_STOPPING, "best epoch = 40, training stops at epoch 42"),
        (ADABOOST, {"error": 1.5, "alpha": 0.1, "weights": [0.25, 0.25, 0.25, 0.25]}),
        (ADABOOST, {"error": 0.0, "alpha": 1e308, "weights": [0, 0, 1, 0]}),
        (DROPOUT, "scale = 1e308, output = [1e308, 0, 0, 1e308, 1e308]"),
        (ALEXNET_UNSHARED, "output size = -4, parameters = 34944, unshared = 0, saved = 0"),
        (L2_STEP, "penalty gradient = [1, 2, 3], total gradient = [1, 2, 3], w = [1, 2, 3]"),
    ],
)
def test_odd_inputs_carry_nothing_and_raise_nothing(question, response):
    result = grade(question, response)
    assert not any(p.carried_forward for p in result.parts)


# ---- the mechanism, on a hand-built solution -------------------------------------------------------------------


def f1_from(values: Mapping[str, AnswerValue]) -> AnswerValue:
    return f1_of(number_input(values, "precision"), number_input(values, "recall"))


def with_f1_derivation(asked: tuple[str, ...] = ("precision", "recall", "f1")):
    solution = metrics_solution(asked)
    solution.derived = {"f1": Derivation(("precision", "recall"), f1_from)}
    return solution


def test_no_credit_without_every_input_answered():
    result = grade_response(with_f1_derivation(), METRIC_VARIANTS, "precision = 0.4, F1 = 0.5333")
    assert_not_carried(result, "f1")


def test_no_credit_when_an_input_is_not_asked():
    result = grade_response(
        with_f1_derivation(("precision", "f1")), METRIC_VARIANTS, "precision 0.4, F1 0.5333"
    )
    assert_not_carried(result, "f1")


def test_a_derivation_that_cannot_be_computed_carries_nothing():
    # 2PR / (P + R) with P = R = 0 divides by zero
    result = grade_response(with_f1_derivation(), METRIC_VARIANTS, "precision = 0, recall = 0, F1 = 0")
    assert_not_carried(result, "f1")
    undefined = grade_response(
        with_f1_derivation(), METRIC_VARIANTS, "precision = undefined, recall 0.8, F1 0.5"
    )
    assert_not_carried(undefined, "f1")


def test_solutions_without_derivations_grade_as_before():
    result = grade_response(
        metrics_solution(), METRIC_VARIANTS, "accuracy 0.9, precision 0.4, recall 0.8, F1 0.5333"
    )
    assert_not_carried(result, "f1")
    assert part(result, "f1").feedback == "F1 should be 0.6154."


def test_inputs_right_by_rounding_do_not_carry_a_wrong_dependent_part():
    # precision 18/117 = 0.1538 written 0.15 (right, rounded); F1 from 0.15 and 0.9 is 0.2571, 2 % off 0.2628
    question = "TP = 18, FP = 99, FN = 2 and TN = 100. Compute precision, recall and F1."
    result = grade(question, "precision = 0.15, recall = 0.9, F1 = 0.2571")
    assert part(result, "precision").correct
    assert_not_carried(result, "f1")
