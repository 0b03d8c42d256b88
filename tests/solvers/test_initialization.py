"""The initialization solver: real exam wordings, refusals, the mistakes it names, PyTorch's own values."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.initialization import InitializationSolver
from solvers.normalize import normalize
from tests.solvers.kit import SolverKit

KIT = SolverKit(InitializationSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variant = KIT.variant
REFERENCE = json.loads((Path(__file__).parents[1] / "reference" / "initialization.json").read_text())

SEED_Q19 = (
    "19. **Why is parameter initialization critical in deep learning? Compare random initialization, Xavier "
    "initialization, and He initialization.**"
)


# (question, expected parts, in the order asked); the arithmetic is in the comment above each case.
CASES: list[tuple[str, dict[str, float]]] = [
    # √(6 / (256 + 128)) = √0.015625 = 0.125
    (
        "A fully connected layer has 256 inputs and 128 outputs. Using Xavier (Glorot) uniform "
        "initialization, "
        "what is the limit a of U(-a, a)?",
        {"limit": 0.125},
    ),
    # √(2 / (300 + 100)) = √0.005 = 0.0707107
    ("Glorot normal: n_in = 300, n_out = 100. What is the standard deviation σ?", {"std": 0.070710678}),
    # LaTeX: √(6 / (400 + 200)) = √0.01 = 0.1
    (
        r"Xavier initialization draws $W_{ij} \sim U\left(-\sqrt{\frac{6}{n_{in}+n_{out}}}, "
        r"\sqrt{\frac{6}{n_{in}+n_{out}}}\right)$. For $n_{in} = 400$ and $n_{out} = 200$, compute the "
        r"bound.",
        {"limit": 0.1},
    ),
    # 2 / 1024 = 0.001953125
    (
        "Using He initialization, what is the variance of the weights of a layer with 1024 inputs and ReLU "
        "activations?",
        {"variance": 0.001953125},
    ),
    # √(6 / 600) = √0.01 = 0.1
    ("He (Kaiming) uniform init for a layer with fan-in 600: what is the limit?", {"limit": 0.1}),
    # mode fan_out: √(2 / 512) = 0.0625
    (
        "We call kaiming normal with mode='fan_out' on a layer with 256 inputs and 512 outputs. What is the "
        "std of the weights?",
        {"std": 0.0625},
    ),
    # gain² = 2 / (1 + 0.2²) = 1.9230769; Var = 1.9230769 / 200 = 0.0096154; σ = 0.0980581
    (
        "A layer with 200 inputs uses leaky ReLU with negative slope 0.2 and He normal initialization. What "
        "is "
        "the standard deviation?",
        {"std": 0.098058068},
    ),
    # fan_in = 3·5·5 = 75, fan_out = 16·5·5 = 400: √(6 / 475) = 0.1123903
    (
        "A convolutional layer has 5×5 filters, 3 input channels and 16 output channels. Using Xavier "
        "uniform "
        "initialization, find the limit.",
        {"limit": 0.11239029},
    ),
    # fan_in = 64·3·3 = 576: √(2/576) = 0.0589256
    (
        "conv = nn.Conv2d(64, 128, kernel_size=3)\nnn.init.kaiming_normal_(conv.weight, mode='fan_in', "
        "nonlinearity='relu')\nWhat is the standard deviation of conv.weight?",
        {"std": 0.058925565},
    ),
    # 1/√400 = 0.05 for weights and biases
    (
        "What range does PyTorch use by default to initialize the weights and the bias of nn.Linear(400, "
        "120)?",
        {"limit": 0.05, "bias_limit": 0.05},
    ),
    # Keras default glorot_uniform: √(6 / (90 + 10)) = √0.06 = 0.2449490
    (
        "In Keras, a Dense(10) layer on 90 inputs keeps the default kernel_initializer. What is the limit of "
        "the distribution its weights are drawn from?",
        {"limit": 0.24494897},
    ),
    # he_normal: √(2/512) = 0.0625
    (
        "tf.keras.layers.Dense(128, kernel_initializer='he_normal', input_shape=(512,)). What is the "
        "standard "
        "deviation of the kernel's initial values?",
        {"std": 0.0625},
    ),
    # √(1/400) = 0.05
    (
        "LeCun normal initialization (used with SELU), fan_in = 400: what is the standard deviation?",
        {"std": 0.05},
    ),
    # table: 2 / (784 + 256) = 0.0019230769
    (
        "| layer | inputs | outputs |\n|---|---|---|\n| fc1 | 784 | 256 |\n\nUsing Xavier normal "
        "initialization, give the variance of fc1's weights.",
        {"variance": 0.0019230769},
    ),
    # no scheme named: ReLU → He, √(2/512) = 0.0625
    (
        "A ReLU layer has 512 inputs and 256 outputs. How should its weights be initialized? Give the "
        "standard "
        "deviation.",
        {"std": 0.0625},
    ),
    # y = Wx: W is out × in, fan_in = 256: √(2/256) = 0.0883883
    ("W ∈ ℝ^{128×256} in y = Wx is initialized with He normal. What is σ?", {"std": 0.088388348}),
    # out × in assumed: fan_in = 400: √(2/400) = 0.0707107
    (
        r"Let $W \in \mathbb{R}^{100 \times 400}$ be initialized with Kaiming normal. Std?",
        {"std": 0.070710678},
    ),
    # 2 / (784 + 256) = 0.0019230769
    ("Xavier initialization for a 784 → 256 layer: what is the variance?", {"variance": 0.0019230769}),
    # Xavier √(2/250) = 0.0894427; He √(2/200) = 0.1
    (
        "For a layer with 200 inputs and 50 outputs, compute the standard deviation under Xavier and He "
        "initialization.",
        {"xavier_std": 0.089442719, "he_std": 0.1},
    ),
    # subscript letters: nᵢₙ = nₒᵤₜ = 256: 2/512 = 0.00390625
    ("Xavier/Glorot init with nᵢₙ = 256 and nₒᵤₜ = 256. Var(W) = ?", {"variance": 0.00390625}),
    # √(6 / 200) = √0.03 = 0.1732051
    (
        "Our network uses tanh activations and Glorot uniform initialization. For a hidden layer with 100 "
        "inputs "
        "and 100 outputs, what is the bound of the weights?",
        {"limit": 0.17320508},
    ),
    # gain √2, fan_in 5, fan_out 3: √2 · √(6/8) = √1.5 = 1.2247449
    (
        "w = torch.empty(3, 5)\nnn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('relu'))\nWhat is the "
        "bound a of the uniform distribution?",
        {"limit": 1.2247449},
    ),
    # fan_in = 32·3·3 = 288; σ = √(2/288) = 1/12 = 0.0833333
    (
        "What is the fan-in of a 3×3 convolution with 32 input channels and 64 filters, and what standard "
        "deviation does He normal initialization give it?",
        {"fan_in": 288.0, "std": 0.083333333},
    ),
    # √(3 / 300) = 0.1
    ("LeCun uniform initialization for a layer with 300 inputs: what is the limit?", {"limit": 0.1}),
    # Q&A style, fans from "from ... to": √(6 / (1000 + 500)) = √0.004 = 0.0632456
    (
        "Q: I'm initializing a linear layer that maps from 1000 to 500 features with Glorot uniform. What's "
        "the range of the initial weights?",
        {"limit": 0.063245553},
    ),
    # an RGB input, 7×7 kernels, 64 filters; He normal fan_in = 3·49 = 147: σ = √(2/147) = 0.1166424
    (
        "The first layer of a CNN applies 64 filters of size 7×7 to RGB images. Its weights use He normal "
        "initialization. Compute the standard deviation.",
        {"std": 0.11664237},
    ),
    # He without "initialization": √(2/1000) = 0.0447214
    ("For a ReLU network layer with n_in = 1000, what's the He std?", {"std": 0.044721360}),
    # "maps 512 features to 10 classes": √(2 / 522) = 0.0618984
    (
        "A dense layer maps 512 features to 10 classes. What is the Xavier normal standard deviation?",
        {"std": 0.061898446},
    ),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings(question: str, expected: dict[str, float]) -> None:
    solution = solve(question)
    assert list(solution.asked) == list(expected), solution.asked
    for name, value in expected.items():
        got = solution.answer[name]
        assert isinstance(got, float)
        assert math.isclose(got, value, rel_tol=1e-6), (name, got)
    assert solution.steps and solution.conventions
    assert set(solution.answer) <= set(solution.parts)


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_wordings_are_detected(question: str, expected: dict[str, float]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


REFUSED = [
    (SEED_Q19, "layer's size is missing"),
    ("Xavier initialization for a layer with 256 inputs: what is the std?", "fan-out"),
    ("Use He initialization. What is the standard deviation of the weights?", "layer's size is missing"),
    (
        "A layer has 256 inputs and 128 outputs. What is the std of the weights?",
        "name the initialization scheme",
    ),
    ("He normal initialization for a 3×3 convolution with 64 filters: what is the std?", "input channels"),
    ("Explain Xavier initialization.", "layer's size is missing"),
]


@pytest.mark.parametrize(("question", "message"), REFUSED)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood, match=message):
        parse(question)


def test_a_normal_distribution_has_no_limit() -> None:
    with pytest.raises(InvalidQuestion, match="no limit"):
        parse("Xavier normal initialization, 100 inputs and 100 outputs: what is the limit?")


# (question, mistake, expected wrong values)
MISTAKES = [
    # He instead of Xavier: √(6/256) = 0.1530931
    (CASES[0][0], "xavier_he_swapped", {"limit": 0.15309311}),
    # 1/1024 = 0.0009765625
    (CASES[3][0], "relu_gain_missing", {"variance": 0.0009765625}),
    # fan_in instead of fan_out: √(2/256) = 0.0883883
    (CASES[5][0], "fan_in_fan_out_swapped", {"std": 0.088388348}),
    # fan_in = 64 only: √(2/64) = 0.1767767
    (CASES[8][0], "kernel_size_ignored", {"std": 0.17677670}),
    # the variance 0.005 given as σ
    (CASES[1][0], "std_variance_swapped", {"std": 0.005}),
    # √(2/384) = 0.0721688: the 6 forgotten
    (CASES[0][0], "normal_formula_for_uniform", {"limit": 0.072168784}),
    # √(6/400) = 0.1224745 as σ
    (CASES[1][0], "uniform_formula_for_normal", {"std": 0.12247449}),
    # 6/384 = 0.015625, no root
    (CASES[0][0], "square_root_missing", {"limit": 0.015625}),
    # √(3/256) = 0.1082532: fan-in only
    (CASES[0][0], "xavier_fan_in_only", {"limit": 0.10825318}),
    # He uniform √(6/400) = 0.1224745 instead of 1/√400
    (CASES[9][0], "pytorch_default_as_he", {"limit": 0.12247449}),
    # ReLU gain instead of leaky: √(2/200) = 0.1
    (CASES[6][0], "leaky_slope_ignored", {"std": 0.1}),
    # LeCun doubled: √(2/400) = 0.0707107
    (CASES[12][0], "relu_gain_added", {"std": 0.070710678}),
]


@pytest.mark.parametrize(("question", "code", "expected"), MISTAKES)
def test_mistakes_reproduce_the_wrong_number(question: str, code: str, expected: dict[str, float]) -> None:
    found = variant(question, code)
    assert not found.accepted
    for name, value in expected.items():
        got = found.answer[name]
        assert isinstance(got, float) and math.isclose(got, value, rel_tol=1e-6), (name, got)


def test_the_other_weight_layout_is_accepted() -> None:
    # W ∈ R^{100×400} read as in × out: fan_in = 100, √(2/100) = 0.1414214
    found = variant(CASES[16][0], "weight_layout_in_by_out")
    assert found.accepted
    assert math.isclose(float(found.answer["std"]), 0.14142136, rel_tol=1e-6)  # type: ignore[arg-type]
    assert any("in × out" in c for c in solve(CASES[16][0]).conventions)


def test_grading_names_the_mistake() -> None:
    question = CASES[0][0]
    problem = parse(question)
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    assert grade_response(solution, variants, "a = 0.125").correct
    assert grade_response(solution, variants, "limit ≈ 0.1250").correct
    wrong = grade_response(solution, variants, "a = sqrt(2/384) = 0.0722")
    assert wrong.misconceptions == ["normal_formula_for_uniform"]
    swapped = grade_response(solution, variants, "the bound is 0.153")
    assert swapped.misconceptions == ["xavier_he_swapped"]


def test_grading_several_parts() -> None:
    question = CASES[18][0]
    problem = parse(question)
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    grade = grade_response(solution, variants, {"xavier_std": 0.0894, "he_std": 0.1})
    assert grade.correct
    grade = grade_response(solution, variants, {"xavier_std": 0.1, "he_std": 0.0894})
    assert grade.misconceptions == ["xavier_he_swapped"]


def test_conventions_are_stated() -> None:
    conventions = " ".join(solve(CASES[14][0]).conventions)
    assert "ReLU" in conventions and "He" in conventions
    assert "same for the uniform" in " ".join(solve(CASES[3][0]).conventions)


# ---- PyTorch's own values (tests/reference/make_initialization_reference.py) -----------------------------

_NAMES = {"limit": "the bound a of the uniform distribution", "std": "the standard deviation"}


def _torch_question(case: dict[str, Any]) -> str:
    kwargs = dict(case["kwargs"])
    args = []
    if "gain" in kwargs:
        args.append(f"gain=nn.init.calculate_gain('{kwargs.pop('gain')}')")
    args += [f"{k}={v!r}" for k, v in kwargs.items()]
    call = ", ".join(["w", *args])
    shape = ", ".join(map(str, case["shape"]))
    asked = _NAMES[case["quantity"]]
    return f"w = torch.empty({shape})\nnn.init.{case['function']}({call})\nWhat is {asked} of w?"


@pytest.mark.parametrize("case", REFERENCE["init"], ids=lambda c: f"{c['function']}{c['shape']}")
def test_agrees_with_pytorch_init(case: dict[str, Any]) -> None:
    solution = solve(_torch_question(case))
    assert math.isclose(float(solution.answer[case["quantity"]]), case["value"], rel_tol=1e-9)  # type: ignore[arg-type]
    assert math.isclose(float(solution.answer["std"]), case["std"], rel_tol=1e-9)  # type: ignore[arg-type]
    assert math.isclose(case["sample_std"], case["std"], rel_tol=0.05)
    assert solution.given["fan_in"] == case["fan_in"] and solution.given["fan_out"] == case["fan_out"]


@pytest.mark.parametrize("case", REFERENCE["modules"], ids=lambda c: f"{c['module']}{c['args']}")
def test_agrees_with_pytorch_module_defaults(case: dict[str, Any]) -> None:
    args = case["args"]
    call = f"nn.{case['module']}({', '.join(map(str, args))})"
    solution = solve(
        f"What bounds does PyTorch's default initialization give the weight and the bias of {call}?"
    )
    assert math.isclose(float(solution.answer["limit"]), case["weight_limit"], rel_tol=1e-9)  # type: ignore[arg-type]
    assert math.isclose(float(solution.answer["bias_limit"]), case["bias_limit"], rel_tol=1e-9)  # type: ignore[arg-type]


# ---- practice and detection ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(200))
def test_practice_questions_read_back(seed: int) -> None:
    question = SOLVER.practice(random.Random(seed))
    assert question == SOLVER.practice(random.Random(seed))
    text = normalize(question)
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    assert solution.asked
    assert all(math.isfinite(float(solution.answer[name])) for name in solution.asked)  # type: ignore[arg-type]


CONCEPTUAL = [
    SEED_Q19,
    "Explain Adam.",
    "Why does weight decay help?",
    "Why is He initialization preferred for ReLU networks?",
    "What happens if all weights are initialized to zero?",
    "Compare Xavier and He initialization.",
    "Describe the principle of early stopping.",
]


@pytest.mark.parametrize("question", CONCEPTUAL)
def test_conceptual_questions_are_not_claimed(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_other_solvers_examples_are_not_claimed() -> None:
    from solvers.registry import SOLVERS  # imported here: the other solvers' modules change independently

    others = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]
    assert others
    claimed = [q for q in others if SOLVER.detect(normalize(q)) >= 0.5]
    assert claimed == []
