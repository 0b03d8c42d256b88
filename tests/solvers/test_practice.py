"""Practice questions: drawn from a seed, read back by the router as their own kind with the same
answer, regenerated exactly from their id, worded in several styles, never open to a known mistake."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache

import pytest

from solvers import confusion_practice
from solvers.base import Solution, Variant
from solvers.compare import same_answer
from solvers.errors import UnknownQuestion
from solvers.normalize import normalize
from solvers.practice import (
    MAX_SEED,
    PracticeQuestion,
    new_practice,
    practice_id,
    practice_solvers,
    regenerate,
)
from solvers.registry import solver_for
from solvers.route import solve_question

SEEDS = range(300)

# One line per kind with a practice generator: a pattern for each wording style it must produce.
STYLES: dict[str, tuple[str, ...]] = {
    "confusion_binary": (
        r"TP = \d+|\d+ true positives|\(TP\): \d+|^TP: \d+",  # counts named in prose
        r"^(?:A screening test|A spam filter is tested|Out of \d+ fraudulent|A diagnostic test"
        r"|The classifier missed|A fraud detector|In a test set of)",  # a story
        r"^\| Predicted|rows are the model's predictions",  # markdown, rows = predicted
        r"^\| Actual|rows are the actual classes",  # markdown, rows = actual
        r"\\begin\{tabular\}",  # LaTeX tabular
        r"\\begin\{bmatrix\}.*rows correspond to",  # LaTeX matrix, orientation stated
        r"confusion_matrix\(y_true, y_pred\) with labels \[0, 1\]",  # scikit-learn's layout
        r"^y_true = \[|^True labels:|^The true labels are \[",  # label lists
    ),
    "confusion_multiclass": (
        r"^\| \| Actual|^\| \| Predicted|rows are the actual classes|rows are the model's predictions",  # markdown
        r"\\begin\{tabular\}",  # LaTeX tabular
        r"\\begin\{bmatrix\}.*rows for the true classes",  # LaTeX matrix, orientation stated
        r"confusion_matrix\(y_true, y_pred, labels=\[",  # scikit-learn's nested list
        r"^true \S+ +\d",  # plain rows
        r"^y_true = \[",  # label lists
    ),
    "dropout": (
        r"^A hidden layer",  # exam prose
        r"^Given ",  # terse
        r"\\begin\{bmatrix\}",  # LaTeX
        r"nn\.Dropout\(p=|keras\.layers\.Dropout\(",  # framework code
        r"units? [\d, and]+ (?:is|are) dropped|neurons? (?:is|are) dropped",  # units named by position
        r"^(?:With|In the original).*factor",  # the factor alone
    ),
    "gradient_shape": (
        r"^Assume that the inputs|^Let \w be a|vector of length|^The cost function|two-layer",  # exam prose
        r"^Given [^$]",  # terse
        r"\\mathbb\{R\}\^\{\S+ \\times \S+\}|\\mathbb\{R\}\^\{\S+\} \\to",  # LaTeX
        r"nn\.Linear\(",  # PyTorch
        r"Jacobian",
        r"y = Wx \+ b",  # one example through a linear layer
        r"Y = XW \+ b",  # a batch
    ),
    "gradient_matrix": (
        r"^Let .* Compute the gradient of f",  # exam prose
        r"^Derive \$\\nabla_",  # LaTeX
        r"^∇_\w\(",  # unicode shorthand
        r"\\frac\{\\partial\}",  # ∂/∂ notation
        r"^What is the derivative of",  # plain words
        r"softmax",  # the softmax cross-entropy
    ),
    "initialization": (
        r"^A fully connected layer has",  # exam prose
        r"^A \d+×\d+ convolutional layer",  # a convolution
        r"nn\.init\.\w+_\(W",  # PyTorch
        r"kernel_initializer='",  # Keras
        r"^Given (?:fan_in|\$n_\{in\})",  # terse
        r"\\mathbb\{R\}\^\{\d+ \\times \d+\}|\\mathbb\{R\}\^\{\d+\} \\to",  # LaTeX
        r"^\| Layer \| Inputs \| Outputs \|",  # a table
    ),
    "architecture_count": (
        r"^An input image of size",  # output size in prose
        r"^A convolutional layer has \d+ filters",  # parameters in prose
        r"keras\.Sequential\(\[layers\.(?:LSTM|GRU|SimpleRNN)\(",  # Keras recurrent layer
        r"nn\.Conv2d\(",  # PyTorch
        r"^An MLP has layer sizes",  # an MLP
    ),
    "early_stopping": (
        r"^A model is trained with early stopping.*epoch 1: ",  # prose, epochs numbered
        r"^\| Epoch \| Validation",  # a table, one epoch a row
        r"^\| Epoch \| 1 \| 2 \|",  # a table, one epoch a column
        r"^EarlyStopping\(monitor=",  # the callback, then the log
        r"^Epoch 1/\d+ - (?:loss|accuracy): ",  # a log with the training curve
        r"^Given the validation \w+ [\d.]+ at epoch 1,",  # terse
    ),
    "ensemble": (
        r"^A bootstrap sample of size n",  # bootstrap: inclusion probability
        r"^In bagging, each bootstrap replicate",  # bootstrap: out-of-bag fraction
        r"^Bootstrapping a dataset",  # bootstrap: unique observations
        r"hard \(majority\) vote and the soft vote",  # voting
        r"^In the first round of AdaBoost",  # boosting
        r"pairwise correlation ρ",  # variance of an average
    ),
    "optimizer_step": (
        r"^Perform (?:one step|two steps) of",  # an objective in prose
        r"^Optimizer: ",  # a data list
        r"^Using .* update \$\\theta_0",  # LaTeX with the gradients
        r"optimizer = torch\.optim\.",  # framework code
        r"^I'm checking",  # a forum post
    ),
    "regularization": (
        r"^A network's weights are",  # penalty and total loss
        r"^Weights: w = ",  # a weight-decay step
        r"^Perform one proximal gradient step",  # soft-thresholding
        r"^Let \$w = \(",  # an L1 subgradient in LaTeX
        r"L1 norm, its L2 norm and its L∞ norm",  # vector norms
    ),
    "gradient_clipping": (
        r"^A gradient g = .* clipped to a maximum L2 norm",  # prose
        r"clip_grad_norm_\(",  # PyTorch
        r"^Clip the gradient \$g = .* by value",  # LaTeX, by value
        r"^- layer a: ",  # a list clipped per tensor
        r"^To prevent exploding gradients",  # no "clip" at all
    ),
    "vanishing_gradient": (
        r"^A \d+-layer network uses",  # prose
        r"^Each layer of a deep network multiplies",  # a threshold to cross
        r"\\prod_\{l=1\}",  # LaTeX
        r"^An RNN with a linear activation",  # a recurrent network
        r"^\| layer \| weight \| derivative \|",  # a table of layers
    ),
}
KINDS = list(STYLES)
CASES = [(kind, seed) for kind in KINDS for seed in SEEDS]


@cache
def drawn(kind: str, seed: int) -> PracticeQuestion:
    return new_practice(kind=kind, seed=seed)


def coinciding(
    solution: Solution, variants: tuple[Variant, ...] | list[Variant]
) -> list[tuple[str, tuple[str, ...]]]:
    """Known mistakes that would go unnoticed, with the asked parts they touch: right on every one.

    A mistake that gives a wrong value on some asked part is told apart by that part, even when it
    leaves another asked part right.
    """
    unnoticed = []
    for variant in variants:
        touched = tuple(name for name in solution.asked if name in variant.answer)
        if (
            not variant.accepted
            and touched
            and all(same_answer(solution.spec(n), solution.answer[n], variant.answer[n]) for n in touched)
        ):
            unnoticed.append((variant.code, touched))
    return unnoticed


def test_every_kind_with_a_generator_is_listed() -> None:
    assert {solver.kind for solver in practice_solvers()} == set(STYLES)


@pytest.mark.parametrize(("kind", "seed"), CASES)
def test_question_routes_back_to_its_kind_with_the_same_answer(kind: str, seed: int) -> None:
    practice = drawn(kind, seed)
    assert practice.kind == kind
    assert practice.question_id == practice_id(kind, seed)
    routed = solve_question(practice.question)
    assert routed.kind == kind, practice.question
    assert routed.solution.asked == practice.solution.asked
    assert routed.solution.answer == practice.solution.answer


@pytest.mark.parametrize(("kind", "seed"), CASES)
def test_same_seed_same_question_and_the_id_regenerates_it(kind: str, seed: int) -> None:
    practice = drawn(kind, seed)
    again = new_practice(kind=kind, seed=seed)
    assert again.question == practice.question
    regenerated = regenerate(practice.question_id)
    assert regenerated.question == practice.question
    assert regenerated.solution.answer == practice.solution.answer
    assert regenerated.variants == practice.variants


@pytest.mark.parametrize(("kind", "seed"), CASES)
def test_no_known_mistake_goes_unnoticed(kind: str, seed: int) -> None:
    practice = drawn(kind, seed)
    assert practice.solution.asked
    assert coinciding(practice.solution, practice.variants) == [], practice.question


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_draw_rarely_needs_redrawing(kind: str) -> None:
    solver = solver_for(kind)
    assert solver is not None
    redrawn = []
    for seed in SEEDS:
        question = solver.practice(random.Random(seed))
        problem = solver.parse(normalize(question))
        if coinciding(solver.solve(problem), solver.variants(problem)):
            redrawn.append(question)
    assert len(redrawn) <= len(SEEDS) // 50, redrawn[:3]


@pytest.mark.parametrize("kind", KINDS)
def test_questions_come_in_several_styles(kind: str) -> None:
    questions = [drawn(kind, seed).question for seed in SEEDS]
    assert len(STYLES[kind]) >= 4
    for style in STYLES[kind]:
        assert any(re.search(style, q, re.MULTILINE) for q in questions), f"no question matches {style!r}"
    assert len({q.split()[0] for q in questions}) >= 4


@pytest.mark.parametrize("kind", KINDS)
def test_generator_uses_only_its_own_rng(kind: str) -> None:
    solver = solver_for(kind)
    assert solver is not None
    random.seed(1)
    state = random.getstate()
    first = [solver.practice(random.Random(seed)) for seed in range(30)]
    assert random.getstate() == state
    random.seed(2)
    assert [solver.practice(random.Random(seed)) for seed in range(30)] == first


@pytest.mark.parametrize("kind", KINDS)
def test_a_topic_draws_a_kind_of_that_topic(kind: str) -> None:
    solver = solver_for(kind)
    assert solver is not None
    for seed in range(10):
        practice = new_practice(topic=solver.topic, seed=seed)
        assert practice.topic == solver.topic
        assert practice.question_id == practice_id(practice.kind, seed)


def test_confusion_questions_read_back_the_counts_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing back is not enough: the solver must read the very counts and metrics the generator drew."""
    drawn_counts: list[tuple[confusion_practice.Counts, tuple[str, ...]]] = []

    def recording(draw: Callable[[random.Random, tuple[str, ...]], confusion_practice.Counts]) -> object:
        def wrapper(rng: random.Random, asked: tuple[str, ...]) -> confusion_practice.Counts:
            counts = draw(rng, asked)
            drawn_counts.append((counts, asked))
            return counts

        return wrapper

    monkeypatch.setattr(confusion_practice, "draw_counts", recording(confusion_practice.draw_counts))
    monkeypatch.setattr(
        confusion_practice, "draw_small_counts", recording(confusion_practice.draw_small_counts)
    )
    solver = solver_for("confusion_binary")
    assert solver is not None
    for seed in SEEDS:
        drawn_counts.clear()
        question = solver.practice(random.Random(seed))
        ((counts, asked),) = drawn_counts
        solution = solver.solve(solver.parse(normalize(question)))
        read = tuple(solution.given[cell] for cell in ("tp", "fp", "fn", "tn"))
        assert read == (counts.tp, counts.fp, counts.fn, counts.tn), question
        assert solution.asked == asked, question


@pytest.mark.parametrize(
    ("counts", "asked", "telling"),
    [
        ((80, 80, 20, 820), ("precision", "recall", "f1"), True),  # P = 0.5, R = 0.8
        ((50, 10, 10, 30), ("precision",), False),  # FP = FN: P = R, a transposed table would pass
        ((60, 20, 8, 100), ("recall", "f1"), False),  # P = 0.75, R ≈ 0.882: F1 ≈ 0.811 ≈ (P + R)/2 ≈ 0.816
        ((60, 20, 8, 100), ("recall",), True),  # the same counts, F1 not asked
        ((100, 50, 20, 9000), ("specificity",), False),  # TN/(TN + FP) ≈ TN/(TN + FN)
    ],
)
def test_confusion_counts_that_would_hide_a_mistake_are_redrawn(
    counts: tuple[int, int, int, int], asked: tuple[str, ...], telling: bool
) -> None:
    assert confusion_practice.telling(confusion_practice.Counts(*counts), asked) is telling


def test_any_kind_without_a_filter() -> None:
    practice = new_practice(seed=11)
    assert regenerate(practice.question_id).question == practice.question


@pytest.mark.parametrize(
    ("kind", "topic"),
    [("no_such_kind", None), (None, "no_such_topic"), ("dropout", "gradients")],
)
def test_unknown_kind_or_topic_raises(kind: str | None, topic: str | None) -> None:
    with pytest.raises(UnknownQuestion, match="no practice questions for"):
        new_practice(kind=kind, topic=topic, seed=1)


@pytest.mark.parametrize(
    "question_id",
    [
        "",
        "practice",
        "practice:dropout",
        "practice:dropout:",
        "practice:dropout:abc",
        "practice:dropout:-1",
        "practice:dropout:1.5",
        "practice:dropout:1:2",
        f"practice:dropout:{MAX_SEED + 1}",
        "quiz:dropout:1",
    ],
)
def test_malformed_ids_raise(question_id: str) -> None:
    with pytest.raises(UnknownQuestion, match="is not a practice question id"):
        regenerate(question_id)


def test_an_id_of_an_unknown_kind_raises() -> None:
    with pytest.raises(UnknownQuestion, match="no practice questions of kind 'no_such_kind'"):
        regenerate("practice:no_such_kind:1")
