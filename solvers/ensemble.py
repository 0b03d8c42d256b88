"""Ensembles: bootstrap inclusion probabilities, hard and soft voting, one AdaBoost round, and the
variance of an average of correlated models.

Arithmetic: `ensemble_problem`; reading: `ensemble_parse`; answers, steps and conventions:
`ensemble_answer`.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace

from solvers.base import AnswerValue, Example, Solution, Solver, Variant
from solvers.compare import same_answer
from solvers.ensemble_answer import (
    adaboost_answer,
    answer,
    averaging_answer,
    bootstrap_answer,
    conventions,
    part_spec,
    steps,
    voting_answer,
)
from solvers.ensemble_committee import committee_mistakes
from solvers.ensemble_derived import derivations
from solvers.ensemble_parse import (
    ADABOOST_WORDS,
    AVERAGING_WORDS,
    BOOTSTRAP_WORDS,
    VOTING_WORDS,
    read_problem,
)
from solvers.ensemble_problem import (
    AdaBoost,
    Averaging,
    Bootstrap,
    Committee,
    EnsembleProblem,
    Voting,
    model_labels,
)
from solvers.errors import ExamgraderError, NotUnderstood

__all__ = ["EnsembleProblem", "EnsembleSolver"]

# Who is averaged: models, not a running average of gradients (RMSProp, Adam) or a moving average.
_MODELS = re.compile(
    r"ensemble|\bmodels?\b|predictors|estimators|regressors|classifiers|networks|learners|committee|members"
)
_DATA = re.compile(
    r"\d*\.\d+|\[\s*-?\d|\b\d+\s+(?:samples|examples|models|classifiers|observations|points)|=\s*-?\d"
)


class EnsembleSolver(Solver[EnsembleProblem]):
    kind = "ensemble"
    title = "Ensembles: bootstrap, voting, AdaBoost, averaging correlated models"
    topic = "ensembles"

    def detect(self, text: str) -> float:
        t = text.lower()
        topical = ADABOOST_WORDS.search(t) or BOOTSTRAP_WORDS.search(t)
        topical = topical or (AVERAGING_WORDS.search(t) and _MODELS.search(t))
        topical = topical or (re.search(r"ensemble|vot(?:e|ing)|majority", t) and VOTING_WORDS.search(t))
        if not topical:
            return 0.0
        try:
            self.parse(text)
        except ExamgraderError:
            return 0.55 if _DATA.search(t) else 0.15
        return 0.9 if _DATA.search(t) else 0.6

    def parse(self, text: str) -> EnsembleProblem:
        try:
            return read_problem(text.lower())
        except NotUnderstood as refusal:
            raise NotUnderstood(refusal.message, [e.question for e in EXAMPLES[:3]]) from None

    def solve(self, problem: EnsembleProblem) -> Solution:
        task = problem.task
        found = answer(task)
        asked = tuple(name for name in task.asked if name in found)
        if not asked:
            raise NotUnderstood("nothing that was asked could be computed from the data given")
        shown = shown_answer(problem)
        return Solution(
            kind=self.kind,
            asked=asked,
            answer=shown,
            parts={name: part_spec(name, value) for name, value in shown.items()},
            steps=steps(task, found),
            conventions=conventions(task),
            given=_given(task),
            derived={k: d for k, d in derivations(task).items() if k in asked},
        )

    def variants(self, problem: EnsembleProblem) -> list[Variant]:
        return variants(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


def shown_answer(problem: EnsembleProblem) -> dict[str, AnswerValue]:
    """The asked parts and a few helpful others (both probabilities, both votes, α)."""
    task = problem.task
    extra = _EXTRA.get(type(task).__name__, ())
    return {k: v for k, v in answer(task).items() if k in task.asked or k in extra}


_EXTRA = {
    "Bootstrap": ("inclusion_probability", "oob_probability"),
    "Voting": ("hard_vote", "soft_vote"),
    "AdaBoost": ("alpha", "error"),
    "Averaging": ("ensemble_variance",),
    "Committee": ("majority_accuracy", "majority_error"),
}


def _given(task: object) -> dict[str, object]:
    if isinstance(task, Bootstrap):
        return {"task": "bootstrap", "n": task.n, "m": task.draws}
    if isinstance(task, Voting):
        return {
            "task": "voting",
            "labels": list(model_labels(task)),
            "probabilities": None if task.probabilities is None else [list(p) for p in task.probabilities],
            "classes": list(task.classes),
            "weights": None if task.weights is None else list(task.weights),
        }
    if isinstance(task, AdaBoost):
        return {
            "task": "adaboost",
            "error": task.error,
            "weights": None if task.weights is None else list(task.weights),
            "misclassified": None
            if task.wrong is None
            else [i + 1 for i, bad in enumerate(task.wrong) if bad],
        }
    if isinstance(task, Committee):
        return {"task": "majority vote", "k": task.k, "accuracy": task.accuracy}
    assert isinstance(task, Averaging)
    return {"task": "averaging", "variance": task.variance, "correlation": task.correlation, "k": task.k}


# ---- mistakes ------------------------------------------------------------------------------------------


def _changed(problem: EnsembleProblem, wrong: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    right = shown_answer(problem)
    out: dict[str, AnswerValue] = {}
    for name, value in wrong.items():
        if name not in right or value is None:
            continue
        spec = part_spec(name, right[name])
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if not same_answer(spec, right[name], value):
            out[name] = value
    return out


def variants(problem: EnsembleProblem) -> list[Variant]:
    task = problem.task
    found: list[tuple[str, str, dict[str, AnswerValue], bool]] = []
    if isinstance(task, Bootstrap) and task.n is not None:
        n, m = task.n, task.draws or task.n
        found.append(
            (
                "one_draw_probability",
                f"You gave the chance of being picked in one draw (1/{n}); over {m} "
                "draws with replacement the chance of being picked at least once is 1 − (1 − 1/n)^m.",
                {"inclusion_probability": 1.0 / n, "oob_probability": 1.0 - 1.0 / n},
                False,
            )
        )
        found.append(
            (
                "complement_swapped",
                "You swapped the two probabilities: (1 − 1/n)^m is the chance of being "
                "left out; being included is 1 minus that.",
                {
                    "inclusion_probability": bootstrap_answer(task)["oob_probability"],
                    "oob_probability": bootstrap_answer(task)["inclusion_probability"],
                },
                False,
            )
        )
        found.append(
            (
                "large_n_limit_used",
                "You used the large-n limit 1 − 1/e ≈ 0.632; for this n the exact value is 1 − (1 − 1/n)^m.",
                bootstrap_answer(task, exact=False),
                False,
            )
        )
        found.append(
            (
                "m_over_n",
                "You divided the draws by the dataset size (m/n); draws with replacement repeat "
                "examples, so the chance is 1 − (1 − 1/n)^m.",
                {"inclusion_probability": min(m / n, 1.0), "expected_unique": float(min(m, n))},
                False,
            )
        )
    elif isinstance(task, Voting):
        right = voting_answer(task)
        if "soft_vote" in right and right["soft_vote"] != right["hard_vote"]:
            found.append(
                (
                    "hard_soft_swapped",
                    "You swapped the rules: hard voting counts the predicted labels, soft "
                    "voting averages the probabilities and takes the most probable class.",
                    {"hard_vote": right["soft_vote"], "soft_vote": right["hard_vote"]},
                    False,
                )
            )
        if task.weights is not None:
            found.append(
                (
                    "weights_ignored",
                    "You ignored the models' weights: each vote (and probability) counts with its weight.",
                    voting_answer(task, use_weights=False),
                    False,
                )
            )
        if task.probabilities is not None:
            peak = max(range(len(task.probabilities)), key=lambda i: max(task.probabilities[i]))  # type: ignore[index]
            row = task.probabilities[peak]
            label = task.classes[row.index(max(row))]
            found.append(
                (
                    "most_confident_model",
                    "You followed the single most confident model; soft voting "
                    "averages all models' probabilities.",
                    {"soft_vote": _as_label(task, label)},
                    False,
                )
            )
            if not task.named_classes and not task.binary:
                shifted = {
                    k: v + 1
                    for k, v in right.items()
                    if k in ("hard_vote", "soft_vote") and isinstance(v, float)
                }
                found.append(
                    (
                        "classes_numbered_from_one",
                        "You numbered the classes from 1; numbering from 0 is "
                        "used here, and from 1 is also accepted.",
                        dict(shifted),
                        True,
                    )
                )
    elif isinstance(task, AdaBoost):
        found.append(
            (
                "alpha_without_half",
                "You left out the ½: α = ln((1 − ε)/ε) is the convention of AdaBoost.M1 "
                "(Hastie et al.), also accepted; with it the normalised weights are the same.",
                adaboost_answer(task, half=False),
                True,
            )
            if task.half
            else (
                "alpha_with_half",
                "You kept the ½ of Freund and Schapire's α = ½ ln((1 − ε)/ε); the question asks for "
                "ln((1 − ε)/ε), but the other convention is accepted.",
                adaboost_answer(task, half=True),
                True,
            )
        )
        found.append(
            (
                "log10_used",
                "You used log base 10; α uses the natural logarithm: ½ ln((1 − ε)/ε).",
                adaboost_answer(task, log="log10"),
                False,
            )
        )
        found.append(
            (
                "ratio_inverted",
                "You inverted the ratio: α = ½ ln((1 − ε)/ε), positive for a learner better than chance.",
                adaboost_answer(task, inverted=True),
                False,
            )
        )
        if task.weights is not None and task.wrong is not None:
            found.append(
                (
                    "weights_not_normalised",
                    "You did not normalise: after multiplying by e^{±α}, divide by "
                    "their sum Z so that the weights sum to 1.",
                    adaboost_answer(task, normalise=False),
                    False,
                )
            )
            found.append(
                (
                    "update_sign_swapped",
                    "You raised the weights of the correct examples; AdaBoost raises the "
                    "misclassified ones (× e^α) and lowers the correct ones (× e^−α).",
                    adaboost_answer(task, sign=-1.0),
                    False,
                )
            )
            if len(set(task.weights)) > 1:
                found.append(
                    (
                        "error_not_weighted",
                        "You counted the misclassified examples; the error is the sum of their weights.",
                        adaboost_answer(task, unweighted_error=True),
                        False,
                    )
                )
    elif isinstance(task, Committee):
        found += [(code, feedback, wrong, False) for code, feedback, wrong in committee_mistakes(task)]
    elif isinstance(task, Averaging):
        found.append(
            (
                "correlation_ignored",
                "You divided σ² by k as if the models were independent; correlated "
                "errors do not average away: ρσ² + (1 − ρ)σ²/k.",
                averaging_answer(task, "correlation_ignored"),
                False,
            )
        )
        found.append(
            (
                "only_shared_part",
                "You kept only the shared part ρσ²; the independent part (1 − ρ)σ²/k "
                "remains for finitely many models.",
                averaging_answer(task, "only_shared_part"),
                False,
            )
        )
        found.append(
            (
                "one_minus_rho_forgotten",
                "You added σ²/k instead of (1 − ρ)σ²/k: the independent part of "
                "each error has variance (1 − ρ)σ².",
                averaging_answer(task, "one_minus_rho_forgotten"),
                False,
            )
        )
        if task.sigma_given:
            found.append(
                (
                    "std_used_as_variance",
                    "You put σ where σ² belongs: square the standard deviation first.",
                    averaging_answer(replace(task, variance=math.sqrt(task.variance))),
                    False,
                )
            )
        if "ensemble_std" in task.asked:
            right = averaging_answer(task)
            found.append(
                (
                    "variance_given_as_std",
                    "You gave the variance; the standard deviation is its square root.",
                    {"ensemble_std": right["ensemble_variance"]},
                    False,
                )
            )
    out: list[Variant] = []
    for code, feedback, wrong, accepted in found:
        changed = _changed(problem, wrong)
        if changed:
            out.append(Variant(code, feedback, changed, accepted))
    return out


def _as_label(task: Voting, label: str) -> AnswerValue:
    if task.named_classes:
        return label
    try:
        return float(int(label))
    except ValueError:
        return label


# ---- practice ------------------------------------------------------------------------------------------


def _split_vote(rng: random.Random, k: int) -> list[float]:
    """Probabilities on which hard and soft voting disagree (otherwise swapping the two rules would go
    unnoticed), none of them, nor their mean, at the 0.5 threshold."""
    while True:
        probs = [round(rng.uniform(0.05, 0.95), 2) for _ in range(k)]
        mean = sum(probs) / k
        hard = sum(p > 0.5 for p in probs) > k / 2
        if all(abs(p - 0.5) >= 0.03 for p in probs) and abs(mean - 0.5) >= 0.02 and hard != (mean > 0.5):
            return probs


def practice_question(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        n = rng.choice([3, 4, 5, 6, 8, 10, 20])
        style = rng.randrange(3)
        if style == 0:
            return (
                f"A bootstrap sample of size n is drawn with replacement from a dataset of n = {n} "
                "examples. What "
                "is the probability that a particular example appears in the bootstrap sample?"
            )
        if style == 1:
            return (
                f"In bagging, each bootstrap replicate draws {n} times with replacement from {n} training "
                "samples. "
                "What fraction of the samples is expected to be out-of-bag?"
            )
        return (
            f"Bootstrapping a dataset of {n} observations: how many unique observations does a bootstrap "
            "sample "
            "contain on average?"
        )
    if kind == 1:
        k = rng.choice([3, 5])
        probs = _split_vote(rng, k)
        listed = ", ".join(f"{p:.2f}" for p in probs)
        return (
            f"An ensemble of {k} classifiers outputs the probabilities {listed} for the positive class. "
            "What are "
            "the hard (majority) vote and the soft vote?"
        )
    if kind == 2:
        n = rng.choice([4, 5, 6, 8, 10])
        wrong = sorted(rng.sample(range(1, n + 1), rng.randint(1, max(1, n // 3))))
        listed = ", ".join(map(str, wrong[:-1])) + (" and " if len(wrong) > 1 else "") + str(wrong[-1])
        word = "sample" if len(wrong) == 1 else "samples"
        verb = "is" if len(wrong) == 1 else "are"
        return (
            f"In the first round of AdaBoost, {n} training samples have equal weights. The weak learner's "
            f"{word} "
            f"{listed} {verb} misclassified. Compute the learner's weight alpha and the updated sample "
            "weights."
        )
    # the shared part ρσ² alone must not round to the answer: the rest, (1 − ρ)σ²/k, is 3 % of it or more
    while True:
        k = rng.choice([2, 4, 5, 10, 20])
        rho = rng.choice([0.0, 0.1, 0.25, 0.3, 0.5, 0.8])
        if (1 - rho) / (k * rho + 1 - rho) >= 0.03:
            break
    var = rng.choice([1.0, 2.0, 4.0, 0.5, 9.0])
    return (
        f"An ensemble averages {k} models whose errors each have variance σ^2 = {var:g} and pairwise "
        "correlation "
        f"ρ = {rho:g}. What is the variance of the ensemble's error?"
    )


EXAMPLES = (
    Example(
        # 1 − (1 − 1/5)^5 = 1 − 0.8^5 = 1 − 0.32768 = 0.67232
        "A bootstrap sample of size 5 is drawn with replacement from a dataset of 5 examples. What is the "
        "probability that a given example is included?",
        {"inclusion_probability": 0.67232},
    ),
    Example(
        # 1 − 1/e = 0.6321206
        "As n → ∞, what fraction of the original examples appears in a bootstrap sample (bagging)?",
        {"inclusion_probability": 0.63212056},
    ),
    Example(
        # hard: 0.9 → 1, 0.4 → 0, 0.45 → 0: majority 0; soft: (0.9 + 0.4 + 0.45)/3 = 0.5833 → 1
        "Three classifiers in an ensemble output the probabilities 0.9, 0.4 and 0.45 for the positive "
        "class. What "
        "does hard voting predict, and what does soft voting predict?",
        {"hard_vote": 0.0, "soft_vote": 1.0},
    ),
    Example(
        # α = ½ ln(0.8/0.2) = ½ ln 4 = 0.6931472
        "In AdaBoost, a weak learner has weighted error ε = 0.2. What is its weight α?",
        {"alpha": 0.69314718},
    ),
    Example(
        # ε = 1/4; α = ½ ln 3 = 0.5493061; wrong: 0.25·√3 = 0.4330, right: 0.25/√3 = 0.1443; Z = 0.8660;
        # normalised: wrong 0.5, right 1/6 each
        "AdaBoost: 4 training samples have equal weights 0.25. The weak learner misclassifies sample 3. "
        "Compute α "
        "and the updated, normalised weights.",
        {"alpha": 0.54930614, "weights": [1 / 6, 1 / 6, 0.5, 1 / 6]},
    ),
    Example(
        # 0.5·4 + 0.5·4/10 = 2 + 0.2 = 2.2
        "An ensemble averages 10 models whose errors have variance σ^2 = 4 and pairwise correlation ρ = "
        "0.5. What "
        "is the variance of the averaged prediction?",
        {"ensemble_variance": 2.2},
    ),
    Example(
        # counts: cat 3, dog 2 → cat
        "Five models vote on an image. Model 1 predicts cat, model 2 predicts dog, model 3 predicts cat, "
        "model 4 "
        "predicts dog and model 5 predicts cat. What is the majority vote?",
        {"hard_vote": "cat"},
    ),
)
