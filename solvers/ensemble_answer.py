"""Answers, worked steps and conventions of the four ensemble tasks."""

from __future__ import annotations

import math
from dataclasses import replace

from solvers.base import AnswerValue, PartSpec, Step, ValueKind
from solvers.ensemble_committee import committee_answer, committee_conventions, committee_steps
from solvers.ensemble_problem import (
    AdaBoost,
    Averaging,
    Bootstrap,
    Committee,
    Task,
    Voting,
    alpha,
    average_probabilities,
    bootstrap_values,
    ensemble_variance,
    hard_vote,
    model_labels,
    soft_vote,
    updated_weights,
    vote_counts,
    weighted_error,
)
from solvers.numbers import format_number

EXACT = 1e-9
_SPECS = {
    "inclusion_probability": PartSpec(
        "inclusion_probability",
        "Probability of being included",
        ValueKind.FRACTION,
        (
            "probability",
            "inclusion probability",
            "p",
            "included",
            "chance",
            "p(included)",
            "selected",
            "in the bootstrap sample",
            "at least once",
        ),
    ),
    "oob_probability": PartSpec(
        "oob_probability",
        "Probability of being left out",
        ValueKind.FRACTION,
        ("out-of-bag", "oob", "not included", "excluded", "left out", "oob fraction", "never selected"),
    ),
    "expected_unique": PartSpec(
        "expected_unique",
        "Expected unique examples",
        ValueKind.SCALAR,
        ("unique", "distinct", "expected unique", "unique samples", "unique examples", "different"),
    ),
    "expected_oob": PartSpec(
        "expected_oob",
        "Expected out-of-bag examples",
        ValueKind.SCALAR,
        ("expected out-of-bag", "oob samples", "out-of-bag samples", "left out samples", "number left out"),
    ),
    "hard_vote": PartSpec(
        "hard_vote",
        "Hard (majority) vote",
        ValueKind.SCALAR,
        ("hard voting", "hard", "majority", "majority vote", "hard vote", "voting"),
    ),
    "soft_vote": PartSpec("soft_vote", "Soft vote", ValueKind.SCALAR, ("soft voting", "soft", "soft vote")),
    "average_probabilities": PartSpec(
        "average_probabilities",
        "Averaged probabilities",
        ValueKind.VECTOR,
        ("average", "averaged probabilities", "mean probabilities", "average probability", "averages"),
    ),
    "vote_counts": PartSpec(
        "vote_counts", "Votes per class", ValueKind.VECTOR, ("votes", "counts", "vote counts")
    ),
    "weighted_sum": PartSpec(
        "weighted_sum",
        "Weighted sum",
        ValueKind.SCALAR,
        ("sum", "score", "f(x)", "weighted score", "sum of alpha h"),
    ),
    "error": PartSpec("error", "Weighted error", ValueKind.SCALAR, ("ε", "epsilon", "weighted error", "err")),
    "alpha": PartSpec(
        "alpha",
        "Classifier weight α",
        ValueKind.SCALAR,
        ("α", "alpha", "amount of say", "classifier weight", "say", "a_t"),
    ),
    "weights": PartSpec(
        "weights",
        "Updated sample weights",
        ValueKind.VECTOR,
        ("new weights", "updated weights", "w", "weights", "distribution", "d_2", "w_new"),
    ),
    "normalizer": PartSpec(
        "normalizer", "Normaliser Z", ValueKind.SCALAR, ("z", "normalization constant", "normaliser")
    ),
    "weight_misclassified": PartSpec(
        "weight_misclassified",
        "New weight of a misclassified example",
        ValueKind.SCALAR,
        ("misclassified", "misclassified weight", "wrong"),
    ),
    "weight_correct": PartSpec(
        "weight_correct",
        "New weight of a correctly classified example",
        ValueKind.SCALAR,
        ("correct", "correctly classified", "correct weight"),
    ),
    "ensemble_variance": PartSpec(
        "ensemble_variance",
        "Variance of the average",
        ValueKind.SCALAR,
        ("variance", "var", "ensemble variance", "σ^2", "expected squared error"),
    ),
    "majority_accuracy": PartSpec(
        "majority_accuracy",
        "Accuracy of the majority vote",
        ValueKind.FRACTION,
        (
            "accuracy",
            "ensemble accuracy",
            "majority accuracy",
            "probability correct",
            "p(correct)",
            "correct",
        ),
    ),
    "majority_error": PartSpec(
        "majority_error",
        "Error of the majority vote",
        ValueKind.FRACTION,
        ("error", "ensemble error", "error rate", "majority error", "p(wrong)", "misclassification rate"),
    ),
    "ensemble_std": PartSpec(
        "ensemble_std",
        "Standard deviation of the average",
        ValueKind.SCALAR,
        ("std", "standard deviation", "σ", "sigma"),
    ),
}


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    spec = _SPECS[name]
    if name in ("hard_vote", "soft_vote") and isinstance(value, str):
        return replace(spec, kind=ValueKind.CHOICE)
    if name == "average_probabilities" and not isinstance(value, list):
        return replace(spec, kind=ValueKind.FRACTION)
    if name in ("expected_unique", "expected_oob") or name == "vote_counts":
        return spec
    return spec


def _label(task: Voting, label: str | None) -> AnswerValue:
    if label is None:
        return None
    if task.named_classes:
        return label
    try:
        return float(int(label))
    except ValueError:
        return label


# ---- answers ---------------------------------------------------------------------------------------------


def bootstrap_answer(task: Bootstrap, exact: bool = True) -> dict[str, AnswerValue]:
    found = bootstrap_values(task, exact)
    return {k: v for k, v in found.items()}


def voting_answer(
    task: Voting, weights: tuple[float, ...] | None = None, use_weights: bool = True
) -> dict[str, AnswerValue]:
    w = (weights or task.weights) if use_weights else None
    out: dict[str, AnswerValue] = {}
    winner, _ = hard_vote(task, w)
    out["hard_vote"] = _label(task, winner)
    soft = soft_vote(task, w)
    if soft is not None:
        out["soft_vote"] = _label(task, soft)
        averaged = average_probabilities(task, w)
        if averaged is not None:
            out["average_probabilities"] = averaged[1] if task.binary else averaged
    counts = vote_counts(task, w)
    out["vote_counts"] = [counts[c] for c in task.classes]
    if w is not None and set(task.classes) <= {"-1", "1"}:
        out["weighted_sum"] = sum(wi * float(label) for wi, label in zip(w, model_labels(task), strict=True))
    return out


def adaboost_answer(
    task: AdaBoost, half: bool | None = None, log: str = "ln", inverted: bool = False, normalise: bool = True,
    sign: float = 1.0, unweighted_error: bool = False,
) -> dict[str, AnswerValue]:  # fmt: skip
    half = task.half if half is None else half
    error = weighted_error(task)
    if unweighted_error and task.wrong is not None:
        error = sum(task.wrong) / len(task.wrong)
    assert error is not None
    a = alpha(error, half, log, inverted)
    out: dict[str, AnswerValue] = {"alpha": a}
    if task.weights is not None and task.wrong is not None:
        out["error"] = error
        update = updated_weights(task, alpha(error, True, log, inverted), normalise, sign)
        if update is not None:
            new, z = update
            out["weights"] = new
            out["normalizer"] = z
            wrong = [w for w, bad in zip(new, task.wrong, strict=True) if bad]
            right = [w for w, bad in zip(new, task.wrong, strict=True) if not bad]
            if wrong and max(wrong) - min(wrong) < 1e-12:
                out["weight_misclassified"] = wrong[0]
            if right and max(right) - min(right) < 1e-12:
                out["weight_correct"] = right[0]
    return out


def averaging_answer(task: Averaging, mistake: str = "") -> dict[str, AnswerValue]:
    variance = ensemble_variance(task, mistake)
    return {"ensemble_variance": variance, "ensemble_std": math.sqrt(max(variance, 0.0))}


def answer(task: Task) -> dict[str, AnswerValue]:
    if isinstance(task, Bootstrap):
        return bootstrap_answer(task)
    if isinstance(task, Voting):
        return voting_answer(task)
    if isinstance(task, AdaBoost):
        return adaboost_answer(task)
    if isinstance(task, Committee):
        return committee_answer(task)
    return averaging_answer(task)


# ---- steps and conventions -------------------------------------------------------------------------------


def _n(value: float, digits: int = 6) -> str:
    return format_number(value, digits)


def _vector(values: list[float]) -> str:
    return r"\left[" + ", ".join(_n(v, 4) for v in values) + r"\right]"


def steps(task: Task, found: dict[str, AnswerValue]) -> list[Step]:
    if isinstance(task, Bootstrap):
        return _bootstrap_steps(task, found)
    if isinstance(task, Voting):
        return _voting_steps(task, found)
    if isinstance(task, AdaBoost):
        return _adaboost_steps(task, found)
    if isinstance(task, Committee):
        return committee_steps(task, found)
    return _averaging_steps(task, found)


def _bootstrap_steps(task: Bootstrap, found: dict[str, AnswerValue]) -> list[Step]:
    inc = float(found["inclusion_probability"])  # type: ignore[arg-type]
    if task.n is None:
        return [
            Step(
                "The large-n limit",
                "(1 − 1/n)^n tends to 1/e, so a given example is left out with probability 1/e ≈ 0.368.",
                rf"\lim_{{n\to\infty}} 1 - \left(1 - \tfrac{{1}}{{n}}\right)^n = 1 - e^{{-1}} = {_n(inc)}",
            )
        ]
    n, m = task.n, task.draws
    out = [
        Step(
            "Left out of one draw, then of all draws",
            f"Each of the {m} draws picks one of {n} examples uniformly with replacement, so it misses a "
            "given "
            f"example with probability 1 − 1/{n}; the draws are independent.",
            rf"P(\text{{left out}}) = \left(1 - \tfrac{{1}}{{{n}}}\right)^{{{m}}} = {_n(1 - inc)}",
        ),
        Step(
            "Included at least once",
            "The complement: the example is drawn at least once.",
            rf"P(\text{{included}}) = 1 - \left(1 - \tfrac{{1}}{{{n}}}\right)^{{{m}}} = {_n(inc)}"
            rf"\quad (\to 1 - 1/e \approx 0.632)",
        ),
    ]
    if "expected_unique" in found:
        out.append(
            Step(
                "Expected counts",
                "By linearity of expectation, each example contributes its probability.",
                rf"E[\text{{unique}}] = {n} \cdot {_n(inc)} = {_n(float(found['expected_unique']), 6)},\quad "  # type: ignore[arg-type]
                rf"E[\text{{out of bag}}] = {n} \cdot {_n(1 - inc)} = {_n(float(found['expected_oob']), 6)}",  # type: ignore[arg-type]
            )
        )
    return out


def _voting_steps(task: Voting, found: dict[str, AnswerValue]) -> list[Step]:
    out: list[Step] = []
    labels = model_labels(task)
    counts = vote_counts(task, task.weights)
    weighted = "weighted " if task.weights else ""
    votes = ", ".join(f"{c}: {_n(counts[c], 4)}" for c in task.classes)
    out.append(
        Step(
            "Hard voting",
            f"Each model votes for its predicted class ({', '.join(labels)}); the class with the most "
            f"{weighted}votes "
            f"wins ({votes}).",
            r"\hat{y}_{\text{hard}} = \arg\max_c \sum_i "
            + (r"w_i\," if task.weights else "")
            + rf"[\hat{{y}}_i = c] = {found['hard_vote']}",
        )
    )
    if task.probabilities is not None and "soft_vote" in found:
        averaged = average_probabilities(task, task.weights)
        assert averaged is not None
        head = (
            r"\bar{p} = \frac{\sum_i w_i p_i}{\sum_i w_i}"
            if task.weights
            else r"\bar{p} = \frac{1}{k}\sum_i p_i"
        )
        shown = _n(averaged[1], 6) if task.binary else _vector(averaged)
        out.append(
            Step(
                "Soft voting",
                "Average the models' class probabilities and take the most probable class"
                + (" (P(class 1) ≥ 0.5)." if task.binary else "."),
                rf"{head} = {shown},\quad \hat{{y}}_{{\text{{soft}}}} = {found['soft_vote']}",
            )
        )
    if "weighted_sum" in found:
        out.append(
            Step(
                "Weighted sum",
                "With labels ±1, the weighted vote is the sign of Σ wᵢ hᵢ(x).",
                rf"\sum_i w_i h_i = {_n(float(found['weighted_sum']), 6)}",  # type: ignore[arg-type]
            )
        )
    return out


def _adaboost_steps(task: AdaBoost, found: dict[str, AnswerValue]) -> list[Step]:
    out: list[Step] = []
    a = float(found["alpha"])  # type: ignore[arg-type]
    error = weighted_error(task)
    assert error is not None
    if task.weights is not None and task.wrong is not None:
        wrong = [i + 1 for i, bad in enumerate(task.wrong) if bad]
        out.append(
            Step(
                "Weighted error",
                f"Add the weights of the misclassified examples ({', '.join(map(str, wrong))}).",
                rf"\varepsilon = \frac{{\sum_{{i \text{{ wrong}}}} w_i}}{{\sum_i w_i}} = {_n(error)}",
            )
        )
    half, written = (r"\tfrac{1}{2} ", "½ ") if task.half else ("", "")
    out.append(
        Step(
            "Classifier weight",
            f"The better the weak learner, the larger its say: α = {written}ln((1 − ε)/ε).",
            rf"\alpha = {half}\ln \frac{{1 - \varepsilon}}{{\varepsilon}} = {half}\ln "
            rf"\frac{{{_n(1 - error)}}}{{{_n(error)}}} = {_n(a)}",
        )
    )
    a = alpha(error)  # the update multiplies by e^{±½ ln((1 − ε)/ε)} whichever α is reported
    if "weights" in found and task.weights is not None and task.wrong is not None:
        raw = [w * math.exp(a if bad else -a) for w, bad in zip(task.weights, task.wrong, strict=True)]
        out.append(
            Step(
                "Update and normalise the sample weights",
                f"Misclassified examples are multiplied by e^α = {_n(math.exp(a), 4)}, correct ones by "
                f"e^−α = {_n(math.exp(-a), 4)}; dividing by their sum Z makes them a distribution again.",
                rf"w_i \leftarrow \frac{{w_i e^{{\mp\alpha}}}}{{Z}},\quad {_vector(raw)},\quad Z = "
                rf"{_n(sum(raw))},\quad "
                rf"w = {_vector(found['weights'])}",  # type: ignore[arg-type]
            )
        )
    return out


def _averaging_steps(task: Averaging, found: dict[str, AnswerValue]) -> list[Step]:
    v, rho, k = task.variance, task.correlation, task.k
    var = float(found["ensemble_variance"])  # type: ignore[arg-type]
    given = ""
    if task.sigma_given:
        given = f"σ² = {_n(math.sqrt(v))}² = {_n(v)}; "
    if task.from_covariance:
        given += f"ρ = c/σ² = {_n(rho)}; "
    if k is None:
        latex = (
            rf"\lim_{{k\to\infty}} \left(\rho\sigma^2 + \frac{{(1-\rho)\sigma^2}}{{k}}\right) = "
            rf"\rho\sigma^2 = {_n(rho)} \cdot {_n(v)} = {_n(var)}"
        )
    else:
        latex = (
            rf"\operatorname{{Var}}\left(\tfrac{{1}}{{k}}\textstyle\sum_i \varepsilon_i\right) = "
            r"\rho\sigma^2 + "
            rf"\frac{{(1-\rho)\sigma^2}}{{k}} = {_n(rho)} \cdot {_n(v)} + "
            rf"\frac{{{_n(1 - rho)} \cdot {_n(v)}}}{{{k}}} = {_n(var)}"
        )
    out = [
        Step(
            "Variance of an average of correlated models",
            given + "The shared (correlated) part ρσ² does not average away; the rest shrinks as 1/k.",
            latex,
        )
    ]
    if "ensemble_std" in found:
        out.append(
            Step(
                "Standard deviation",
                "The square root of the variance.",
                rf"\sqrt{{{_n(var)}}} = {_n(math.sqrt(max(var, 0.0)))}",
            )
        )
    return out


def conventions(task: Task) -> list[str]:
    if isinstance(task, Bootstrap):
        return [
            "A bootstrap sample draws m examples (m = n unless stated) uniformly with replacement from the n "
            "examples; 'included' means drawn at least once."
        ]
    if isinstance(task, Voting):
        notes = [
            "Hard voting takes the class most models predict; soft voting averages the predicted "
            "probabilities "
            "and takes the most probable class (scikit-learn's VotingClassifier)."
        ]
        if task.weights:
            notes.append("The given weights multiply each model's vote and probabilities.")
        if task.binary:
            notes.append("Each probability is P(class 1); a model votes 1 when it is at least 0.5.")
        elif task.probabilities is not None and not task.named_classes:
            notes.append("Classes are numbered from 0 in the order given; numbering from 1 is also accepted.")
        _, tie = hard_vote(task, task.weights)
        if tie:
            notes.append("The hard vote is tied; the tie goes to the first class in order (numpy's argmax).")
        return notes
    if isinstance(task, AdaBoost) and not task.half:
        return [
            "α = ln((1 − ε)/ε), without the ½, as the question asks (AdaBoost.M1, Hastie, Tibshirani and "
            "Friedman); Freund and Schapire's ½ ln((1 − ε)/ε) is also accepted. The normalised sample weights "
            "are the same either way.",
        ]
    if isinstance(task, AdaBoost):
        return [
            "AdaBoost (Freund and Schapire): α = ½ ln((1 − ε)/ε); without the ½ (as in Hastie, Tibshirani "
            "and "
            "Friedman's AdaBoost.M1) α doubles and the normalised weights are the same; both are accepted.",
            "Sample weights: multiplied by e^α when misclassified and e^−α when correct, then normalised to "
            "sum 1.",
        ]
    if isinstance(task, Committee):
        return committee_conventions(task)
    return [
        "k models with errors of variance σ² and pairwise correlation ρ (covariance c = ρσ²): the average "
        "has "
        "variance ρσ² + (1 − ρ)σ²/k (Goodfellow et al., section 7.11)."
    ]
