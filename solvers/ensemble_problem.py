"""The kinds of ensemble question and their arithmetic.

Bootstrap: a given example is in a bootstrap sample of m draws from n with probability
1 − (1 − 1/n)^m (→ 1 − 1/e ≈ 0.632 for m = n → ∞). Voting: hard (majority of labels, optionally
weighted) and soft (the class with the highest averaged probability). AdaBoost: α = ½ ln((1 − ε)/ε),
w_i ← w_i · e^{∓α} (down for correct, up for misclassified), then normalised. Averaging k models of
variance σ² and correlation ρ: Var = ρσ² + (1 − ρ)σ²/k. A majority vote of independent classifiers:
`ensemble_committee`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bootstrap:
    n: int | None  # None: the large-n limit
    m: int | None  # draws; None = n
    asked: tuple[str, ...]  # inclusion_probability, oob_probability, expected_unique, expected_oob

    @property
    def draws(self) -> int | None:
        return self.m if self.m is not None else self.n


@dataclass(frozen=True)
class Voting:
    labels: tuple[str, ...] | None  # each model's predicted label (hard votes given directly)
    probabilities: tuple[tuple[float, ...], ...] | None  # each model's class probabilities
    classes: tuple[str, ...]  # class names, in column order
    weights: tuple[float, ...] | None
    binary: bool  # probabilities given as P(positive) per model
    asked: tuple[str, ...]  # hard_vote, soft_vote, average_probabilities, vote_counts, weighted_sum
    named_classes: bool  # the question names the classes (else they are indices from 0)


@dataclass(frozen=True)
class AdaBoost:
    error: float | None  # ε given directly
    weights: tuple[float, ...] | None  # sample weights before the update
    wrong: tuple[bool, ...] | None  # which samples the weak learner misclassifies
    asked: tuple[str, ...]  # alpha, error, weights, normalizer, weight_misclassified, weight_correct
    half: bool = True  # α = ½ ln((1 − ε)/ε); False: the question asks for ln((1 − ε)/ε) (AdaBoost.M1)


@dataclass(frozen=True)
class Averaging:
    variance: float  # σ² of each model's error
    correlation: float  # ρ
    k: int | None  # None: infinitely many models
    asked: tuple[str, ...]  # ensemble_variance, ensemble_std
    from_covariance: bool = False
    sigma_given: bool = False  # the question gave σ, not σ²


@dataclass(frozen=True)
class Committee:
    """k independent classifiers, each right with probability `accuracy`, take a majority vote."""

    k: int  # odd: no tie
    accuracy: float
    error_given: bool  # the question gave the error rate, not the accuracy
    asked: tuple[str, ...]  # majority_accuracy, majority_error


Task = Bootstrap | Voting | AdaBoost | Averaging | Committee


@dataclass(frozen=True)
class EnsembleProblem:
    task: Task


# ---- bootstrap ------------------------------------------------------------------------------------------


def bootstrap_values(task: Bootstrap, exact: bool = True) -> dict[str, float]:
    if task.n is None or not exact:  # the large-n limit: 1 − e^{−m/n}
        share = 1.0 if task.n is None else (task.draws or task.n) / task.n
        out = 1.0 - math.exp(-share)
        values = {"inclusion_probability": out, "oob_probability": 1.0 - out}
        if task.n is not None:
            values |= {"expected_unique": task.n * out, "expected_oob": task.n * (1.0 - out)}
        return values
    miss = (1.0 - 1.0 / task.n) ** (task.draws or task.n)
    return {
        "inclusion_probability": 1.0 - miss,
        "oob_probability": miss,
        "expected_unique": task.n * (1.0 - miss),
        "expected_oob": task.n * miss,
    }


# ---- voting ---------------------------------------------------------------------------------------------


def model_labels(task: Voting) -> tuple[str, ...]:
    """Each model's hard vote: given, or the argmax of its probabilities (P ≥ 0.5 for binary)."""
    if task.labels is not None:
        return task.labels
    assert task.probabilities is not None
    return tuple(task.classes[_argmax(p)] for p in task.probabilities)


def _argmax(values: tuple[float, ...] | list[float]) -> int:
    best = max(values)
    return next(i for i, v in enumerate(values) if math.isclose(v, best, rel_tol=1e-12, abs_tol=1e-12))


def vote_counts(task: Voting, weights: tuple[float, ...] | None) -> dict[str, float]:
    labels = model_labels(task)
    counts = {c: 0.0 for c in task.classes}
    for i, label in enumerate(labels):
        counts[label] = counts.get(label, 0.0) + (1.0 if weights is None else weights[i])
    return counts


def hard_vote(task: Voting, weights: tuple[float, ...] | None) -> tuple[str, bool]:
    """(winner, tie); a tie goes to the first class in order, as numpy's argmax and scikit-learn do."""
    counts = vote_counts(task, weights)
    names = list(counts)
    totals = [counts[c] for c in names]
    best = max(totals)
    tie = sum(math.isclose(t, best, rel_tol=1e-12) for t in totals) > 1
    return names[_argmax(totals)], tie


def average_probabilities(task: Voting, weights: tuple[float, ...] | None) -> list[float] | None:
    if task.probabilities is None:
        return None
    w = weights or tuple(1.0 for _ in task.probabilities)
    total = sum(w)
    width = len(task.probabilities[0])
    return [sum(wi * p[j] for wi, p in zip(w, task.probabilities, strict=True)) / total for j in range(width)]


def soft_vote(task: Voting, weights: tuple[float, ...] | None) -> str | None:
    averaged = average_probabilities(task, weights)
    return None if averaged is None else task.classes[_argmax(averaged)]


# ---- AdaBoost -------------------------------------------------------------------------------------------


def weighted_error(task: AdaBoost) -> float | None:
    if task.weights is None or task.wrong is None:
        return task.error
    total = sum(task.weights)
    return sum(w for w, bad in zip(task.weights, task.wrong, strict=True) if bad) / total


def alpha(error: float, half: bool = True, log: str = "ln", inverted: bool = False) -> float:
    # ln(1 − ε) − ln ε, not ln((1 − ε)/ε): the ratio overflows for a tiny ε
    value = math.log1p(-error) - math.log(error)
    value = -value if inverted else value
    value = value / math.log(10) if log == "log10" else value
    return 0.5 * value if half else value


def updated_weights(
    task: AdaBoost, a: float, normalise: bool = True, sign: float = 1.0
) -> tuple[list[float], float] | None:
    """The new weights (normalised) and the normaliser Z, or None without weights and a mistake list."""
    if task.weights is None or task.wrong is None:
        return None
    raw = [w * math.exp(sign * (a if bad else -a)) for w, bad in zip(task.weights, task.wrong, strict=True)]
    z = sum(raw)
    return ([r / z for r in raw] if normalise else raw), z


# ---- averaging -----------------------------------------------------------------------------------------


def ensemble_variance(task: Averaging, mistake: str = "") -> float:
    v, rho = task.variance, task.correlation
    if mistake == "std_as_variance":
        v = math.sqrt(v)
    if task.k is None:  # infinitely many models: only the shared part is left
        return 0.0 if mistake == "correlation_ignored" else rho * v
    k = task.k
    if mistake == "correlation_ignored":
        return v / k
    if mistake == "only_shared_part":
        return rho * v
    if mistake == "one_minus_rho_forgotten":
        return rho * v + v / k
    return rho * v + (1.0 - rho) * v / k
