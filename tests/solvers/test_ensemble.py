"""The ensemble solver: bootstrap sampling, voting, AdaBoost rounds and averaging correlated models."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from solvers.ensemble import EnsembleSolver
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from tests.solvers.kit import SolverKit
from tests.solvers.kit import close as kit_close

KIT = SolverKit(EnsembleSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variant = KIT.variant

SEED_Q10 = "10. **Compare bagging with other ensemble methods like boosting.**"


def same(got: Any, expected: Any) -> bool:
    return kit_close(got, expected, 1e-7)


BOOT_5 = (
    "A bootstrap sample of size 5 is drawn with replacement from a dataset of 5 examples. What is the "
    "probability "
    "that a given example is included?"
)
SOFT_HARD = (
    "Three classifiers in an ensemble output the probabilities 0.9, 0.4 and 0.45 for the positive class. "
    "What does "
    "hard voting predict, and what does soft voting predict?"
)
ADA_ROUND = (
    "AdaBoost: 4 training samples have equal weights 0.25. The weak learner misclassifies sample 3. Compute "
    "α and "
    "the updated, normalised weights."
)
ADA_WEIGHTED = (
    "In AdaBoost the current sample weights are w = [0.1, 0.2, 0.3, 0.4]. The weak learner misclassifies "
    "samples 1 "
    "and 4. What is the weighted error, the learner's weight alpha, and the new weights?"
)
AVERAGE = (
    "An ensemble averages 10 models whose errors have variance σ^2 = 4 and pairwise correlation ρ = 0.5. "
    "What is "
    "the variance of the averaged prediction?"
)
THREE_CLASS = (
    "An ensemble of three models predicts class probabilities for classes cat, dog and bird:\n"
    "Model 1: [0.6, 0.3, 0.1]\nModel 2: [0.2, 0.5, 0.3]\nModel 3: [0.3, 0.45, 0.25]\n"
    "What are the soft voting and hard voting predictions?"
)

# (question, expected parts in the order asked); the arithmetic is in the comment above each case.
CASES: list[tuple[str, dict[str, Any]]] = [
    # 1 − (4/5)^5 = 1 − 0.32768 = 0.67232
    (BOOT_5, {"inclusion_probability": 0.67232}),
    # the limit: 1 − 1/e = 0.6321206
    (
        "As n → ∞, what fraction of the original examples appears in a bootstrap sample (bagging)?",
        {"inclusion_probability": 0.63212056},
    ),
    # (1 − 1/10)^10 = 0.9^10 = 0.3486784
    (
        "In bagging, each bootstrap replicate draws 10 times with replacement from 10 training samples. What "
        "fraction of the samples is expected to be out-of-bag?",
        {"oob_probability": 0.34867844},
    ),
    # 4 · (1 − (3/4)^4) = 4 · (1 − 0.31640625) = 2.734375
    (
        "Bootstrapping a dataset of 4 observations: how many unique observations does a bootstrap sample "
        "contain "
        "on average?",
        {"expected_unique": 2.734375},
    ),
    # m ≠ n: 1 − (1 − 1/100)^50 = 1 − 0.99^50 = 1 − 0.6050061 = 0.3949939
    (
        r"From $n = 100$ training points we draw a bootstrap sample of size $m = 50$. What is the "
        r"probability that "
        r"point $x_1$ is selected at least once?",
        {"inclusion_probability": 0.39499393},
    ),
    # n = 3: left out (2/3)^3 = 8/27 = 0.2962963; expected out of bag 3 · 8/27 = 0.8888889
    (
        "Random forest: a tree is trained on a bootstrap sample of a dataset with 3 examples. What is the "
        "probability that an example is out-of-bag, and how many examples are out-of-bag on average?",
        {"oob_probability": 0.2962963, "expected_oob": 0.88888889},
    ),
    # hard: votes 1, 0, 0 → 0; soft: (0.9 + 0.4 + 0.45)/3 = 0.5833 → 1
    (SOFT_HARD, {"hard_vote": 0.0, "soft_vote": 1.0}),
    # averages [0.3667, 0.4167, 0.2167] → dog; votes cat, dog, dog → dog
    (THREE_CLASS, {"soft_vote": "dog", "hard_vote": "dog"}),
    # names in prose: cat 3, dog 2 → cat
    (
        "Five models vote on an image. Model 1 predicts cat, model 2 predicts dog, model 3 predicts cat, "
        "model 4 "
        "predicts dog and model 5 predicts cat. What is the majority vote?",
        {"hard_vote": "cat"},
    ),
    # a list of votes: 1 appears 3 times, 0 twice → 1
    (
        "The predictions of 5 base classifiers for a test point are [1, 0, 1, 1, 0]. What does majority "
        "voting output?",
        {"hard_vote": 1.0},
    ),
    # weighted: class 1 gets 0.2 + 0.2 = 0.4, class 0 gets 0.6 → 0
    (
        "Three classifiers with weights [0.6, 0.2, 0.2] predict labels [0, 1, 1]. What is the weighted "
        "majority "
        "vote?",
        {"hard_vote": 0.0},
    ),
    # AdaBoost final vote: 0.5·1 + 0.3·(−1) + 0.8·(−1) = −0.6 → −1
    (
        "Three AdaBoost weak learners with alphas [0.5, 0.3, 0.8] predict [1, -1, -1] for x. What is the "
        "weighted "
        "sum and the final vote?",
        {"weighted_sum": -0.6, "hard_vote": -1.0},
    ),
    # a table of probabilities, one model a row: A (0.7 + 0.4 + 0.1)/3 = 0.4, B (0.3 + 0.6 + 0.9)/3 = 0.6 → B
    (
        "| Model | A | B |\n|---|---|---|\n| m1 | 0.7 | 0.3 |\n| m2 | 0.4 | 0.6 |\n| m3 | 0.1 | 0.9 |\n\n"
        "Using soft voting, which class does the ensemble predict?",
        {"soft_vote": "b"},
    ),
    # α = ½ ln(0.8/0.2) = ½ ln 4 = 0.6931472
    ("In AdaBoost, a weak learner has weighted error ε = 0.2. What is its weight α?", {"alpha": 0.69314718}),
    # ½ ln(0.65/0.35) = ½ · 0.6190392 = 0.3095196
    ("A classifier has error rate 0.35 in AdaBoost; compute alpha.", {"alpha": 0.30951960}),
    # α = ½ ln(0.7/0.3) = 0.4236489
    (
        r"AdaBoost round: $\epsilon_t = 0.3$. Compute $\alpha_t = "
        r"\frac{1}{2}\ln\frac{1-\epsilon_t}{\epsilon_t}$.",
        {"alpha": 0.42364893},
    ),
    # ε = 0.25, α = ½ ln 3 = 0.5493061; new weights [1/6, 1/6, 1/2, 1/6]
    (ADA_ROUND, {"alpha": 0.54930614, "weights": [1 / 6, 1 / 6, 0.5, 1 / 6]}),
    # ε = 0.1 + 0.4 = 0.5 → α = 0; weights × 1, Z = 1: unchanged
    (ADA_WEIGHTED, {"error": 0.5, "alpha": 0.0, "weights": [0.1, 0.2, 0.3, 0.4]}),
    # 10 samples, 2 wrong: ε = 0.2, α = ½ ln 4 = 0.6931; wrong 0.1·2 = 0.2 → /Z; Z = 2·0.2 + 8·0.05 = 0.8
    # → misclassified 0.25, correct 0.0625
    (
        "Ten training examples start with equal weights. The first weak classifier misclassifies examples 2 "
        "and 7. "
        "What is the new weight of a misclassified example and of a correctly classified example?",
        {"weight_misclassified": 0.25, "weight_correct": 0.0625},
    ),
    # 0.5·4 + 0.5·4/10 = 2 + 0.2 = 2.2
    (AVERAGE, {"ensemble_variance": 2.2}),
    # covariance form: v = 1, c = 0.25, k = 4: c + (v − c)/k = 0.25 + 0.75/4 = 0.4375
    (
        "Goodfellow 7.11: k = 4 models make errors with variance v = 1 ... E[ε_i^2] = v, and covariance c = "
        "0.25. "
        "What is the expected squared error (variance) of the ensemble average?",
        {"ensemble_variance": 0.4375},
    ),
    # σ = 2 → σ² = 4; ρ = 0.1, k = 20: 0.4 + 0.9·4/20 = 0.4 + 0.18 = 0.58; std √0.58 = 0.7615773
    (
        "Each of 20 models in a bagging ensemble has standard deviation σ = 2 and the models are correlated "
        "with "
        "ρ = 0.1. What are the variance and the standard deviation of the average?",
        {"ensemble_variance": 0.58, "ensemble_std": 0.76157731},
    ),
    # 0.2 · 1 + 0.8 · 1/5 = 0.2 + 0.16 = 0.36
    (
        "Suppose we average 5 models, each with variance 1, and the correlation between any two is 0.2. "
        "What is "
        "the variance of the average?",
        {"ensemble_variance": 0.36},
    ),
    # spam 2, ham 1 → spam
    ("Three models predict spam, ham, spam. What is the majority vote?", {"hard_vote": "spam"}),
    # infinitely many models: ρσ² = 0.3 · 2 = 0.6
    (
        "What variance remains when averaging infinitely many models with error variance 2 and correlation "
        "0.3?",
        {"ensemble_variance": 0.6},
    ),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    assert list(solution.asked) == list(expected), solution.asked
    for name, value in expected.items():
        assert same(solution.answer[name], value), (name, solution.answer[name])
    assert solution.steps and solution.conventions
    assert set(solution.answer) <= set(solution.parts)


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings_are_detected(question: str, expected: dict[str, Any]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


REFUSED = [
    (SEED_Q10, "weighted error is missing"),
    ("In AdaBoost, what is the weight of a weak learner?", "weighted error is missing"),
    ("An ensemble averages 10 models with correlation 0.5. What is the variance of the average?", "variance"),
    (
        "An ensemble averages models whose errors have variance 4 and correlation 0.5. What is the variance?",
        "number of models",
    ),
    ("Explain majority voting in ensembles.", "models' outputs are missing"),
]


@pytest.mark.parametrize(("question", "message"), REFUSED)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood, match=message):
        parse(question)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("AdaBoost: the weak learner's weighted error is ε = 0. What is α?", "strictly between 0 and 1"),
        (
            "Averaging 5 models with variance 1 and correlation 1.5: what is the ensemble variance?",
            "correlation",
        ),
    ],
)
def test_invalid_data_is_refused(question: str, message: str) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        parse(question)


MISTAKES = [
    # 1/5 = 0.2: one draw
    (BOOT_5, "one_draw_probability", {"inclusion_probability": 0.2}),
    # (4/5)^5 = 0.32768 given as the inclusion probability
    (BOOT_5, "complement_swapped", {"inclusion_probability": 0.32768}),
    # the limit 0.6321 for n = 5
    (BOOT_5, "large_n_limit_used", {"inclusion_probability": 0.63212056}),
    (SOFT_HARD, "hard_soft_swapped", {"hard_vote": 1.0, "soft_vote": 0.0}),
    # unweighted: 1 gets 2 votes, 0 gets 1 → 1
    (CASES[10][0], "weights_ignored", {"hard_vote": 1.0}),
    # model 1 is the most confident (0.6 for cat) → cat
    (THREE_CLASS, "most_confident_model", {"soft_vote": "cat"}),
    # log10: ½ log10 4 = 0.30103
    (CASES[13][0], "log10_used", {"alpha": 0.30103}),
    # inverted ratio: ½ ln(0.25) = −0.6931472
    (CASES[13][0], "ratio_inverted", {"alpha": -0.69314718}),
    # not normalised: 0.25·e^{−α} = 0.25/√3 = 0.1443376, 0.25·√3 = 0.4330127
    (ADA_ROUND, "weights_not_normalised", {"weights": [0.14433757, 0.14433757, 0.4330127, 0.14433757]}),
    # correct ones raised: [0.3, 0.3, 0.1, 0.3]
    (ADA_ROUND, "update_sign_swapped", {"weights": [0.3, 0.3, 0.1, 0.3]}),
    # the error counted, not weighted: 1 of 4 = 0.25 instead of 0.7
    (
        "AdaBoost with weights w = [0.1, 0.1, 0.1, 0.7]; the learner misclassifies sample 4. Give the error "
        "and alpha.",
        "error_not_weighted",
        {"error": 0.25},
    ),
    # σ²/k = 0.4
    (AVERAGE, "correlation_ignored", {"ensemble_variance": 0.4}),
    # ρσ² = 2
    (AVERAGE, "only_shared_part", {"ensemble_variance": 2.0}),
    # ρσ² + σ²/k = 2 + 0.4 = 2.4
    (AVERAGE, "one_minus_rho_forgotten", {"ensemble_variance": 2.4}),
    # σ = 2 used as the variance: 0.1·2 + 0.9·2/20 = 0.29
    (CASES[21][0], "std_used_as_variance", {"ensemble_variance": 0.29}),
]


@pytest.mark.parametrize(("question", "code", "expected"), MISTAKES)
def test_mistakes_reproduce_the_wrong_number(question: str, code: str, expected: dict[str, Any]) -> None:
    found = variant(question, code)
    assert not found.accepted
    for name, value in expected.items():
        assert same(found.answer[name], value), (name, found.answer[name])


def test_alpha_without_the_half_is_accepted() -> None:
    found = variant(CASES[13][0], "alpha_without_half")
    assert found.accepted and same(found.answer["alpha"], 1.38629436)  # ln 4
    assert "weights" not in variant(ADA_ROUND, "alpha_without_half").answer  # the same normalised weights


def test_class_numbers_from_one_are_accepted() -> None:
    question = (
        "Two models give class probabilities [0.2, 0.5, 0.3] and [0.1, 0.3, 0.6]. Which class does soft "
        "voting "
        "pick?"
    )
    # averages [0.15, 0.4, 0.45] → class 2 counted from 0
    assert solve(question).answer["soft_vote"] == 2.0
    found = variant(question, "classes_numbered_from_one")
    assert found.accepted and found.answer["soft_vote"] == 3.0


def test_grading() -> None:
    problem = parse(BOOT_5)
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    assert grade_response(solution, variants, "1 - (4/5)^5 = 0.672").correct
    assert grade_response(solution, variants, "67.2 %").correct
    assert grade_response(solution, variants, "0.632").misconceptions == ["large_n_limit_used"]
    problem = parse(THREE_CLASS)
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    assert grade_response(solution, variants, {"soft_vote": "dog", "hard_vote": "dog"}).correct


@pytest.mark.parametrize("seed", range(200))
def test_practice_questions_read_back(seed: int) -> None:
    question = SOLVER.practice(random.Random(seed))
    assert question == SOLVER.practice(random.Random(seed))
    text = normalize(question)
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    assert solution.asked
    for name in solution.asked:
        value = solution.answer[name]
        values = value if isinstance(value, list) else [value]
        assert all(isinstance(v, str) or (isinstance(v, float) and math.isfinite(v)) for v in values)


CONCEPTUAL = [
    SEED_Q10,
    "Explain Adam.",
    "Why does weight decay help?",
    "Why does bagging reduce variance?",
    "How does AdaBoost focus on hard examples?",
    "Explain why dropout can be seen as approximating an ensemble.",
    "What is the difference between hard and soft voting?",
]


@pytest.mark.parametrize("question", CONCEPTUAL)
def test_conceptual_questions_are_not_claimed(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_other_solvers_examples_are_not_claimed() -> None:
    from solvers.registry import SOLVERS  # imported here: the other solvers' modules change independently

    others = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]
    assert others
    assert [q for q in others if SOLVER.detect(normalize(q)) >= 0.5] == []


def test_a_learners_weight_in_the_final_classifier_is_its_alpha_not_a_vote() -> None:
    # α = ½ ln((1 − 0.25)/0.25) = ½ ln 3 ≈ 0.5493; no model outputs are given, so nothing is voted on
    question = (
        "In AdaBoost a weak classifier has weighted error 0.25. What is its weight α in the final classifier?"
    )
    assert kit_close(KIT.solve(question).answer["alpha"], 0.5 * math.log(3))


def test_a_vote_with_alphas_but_no_outputs_is_still_refused() -> None:
    question = (
        "In AdaBoost three weak learners have α = 0.5, 0.3 and 0.9. What does the final classifier predict?"
    )
    with pytest.raises(NotUnderstood, match="outputs are missing"):
        KIT.solve(question)


def test_a_count_of_misclassified_samples_among_equally_weighted_ones() -> None:
    # ε = 3/10; α = ½ ln(0.7/0.3) = 0.4236; each misclassified weight becomes 1/(2·3) after normalising
    solution = solve(
        "AdaBoost starts with 10 equally weighted samples and the first stump misclassifies 3 samples. "
        "Compute α and the normalized weight of each misclassified sample after the update."
    )
    assert same(solution.answer["alpha"], 0.5 * math.log(7 / 3))
    assert same(solution.answer["weight_misclassified"], 1 / 6)
