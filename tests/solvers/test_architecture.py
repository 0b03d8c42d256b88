"""The architecture solver: output sizes and parameter counts, in prose, formulas, tables and code."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from solvers.architecture import ArchitectureSolver, ArchProblem
from solvers.base import Solution, Variant
from solvers.errors import NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize

SOLVER = ArchitectureSolver()
REFERENCE = json.loads((Path(__file__).parents[1] / "reference" / "architecture.json").read_text())

SEED_Q8 = "8. **Discuss the role of parameter tying and sharing in CNNs and RNNs.**"


def parse(question: str) -> ArchProblem:
    return SOLVER.parse(normalize(question))


def solve(question: str) -> Solution:
    return SOLVER.solve(parse(question))


def variant(question: str, code: str) -> Variant:
    found = {v.code: v for v in SOLVER.variants(parse(question))}
    assert code in found, sorted(found)
    return found[code]


def same(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(same, got, expected))
    return isinstance(got, int | float) and math.isclose(got, expected, rel_tol=1e-12)


LENET = (
    "Input 32×32×3 → CONV 5×5, 6 filters → MAXPOOL 2×2 stride 2 → CONV 5×5, 16 filters → MAXPOOL 2×2 stride "
    "2 "
    "→ FC 120 → FC 84 → FC 10. How many parameters does the network have in total?"
)
KERAS_CNN = (
    "model = Sequential([\n"
    "    Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),\n"
    "    MaxPooling2D((2, 2)),\n"
    "    Conv2D(64, (3, 3), activation='relu'),\n"
    "    MaxPooling2D((2, 2)),\n"
    "    Flatten(),\n"
    "    Dense(64, activation='relu'),\n"
    "    Dense(10, activation='softmax'),\n"
    "])\n"
    "What does model.summary() report as the total number of parameters?"
)

# (question, expected parts in the order asked); the arithmetic is in the comment above each case.
CASES: list[tuple[str, dict[str, Any]]] = [
    # ⌊(32 − 5)/1⌋ + 1 = 28
    (
        "An input image of size 32×32 is convolved with a 5×5 filter with stride 1 and no padding. What is "
        "the "
        "output size?",
        {"output_size": 28},
    ),
    # ⌊(64 + 2 − 3)/2⌋ + 1 = ⌊31.5⌋ + 1 = 32; depth = 32 filters
    (
        "Input: 64×64×3. Conv layer: 32 filters, 3×3, stride 2, padding 1. What is the output volume?",
        {"output_size": 32, "output_shape": [32, 32, 32]},
    ),
    # CS231n notation: (32 − 5 + 2·2)/1 + 1 = 32; 5·5·3·10 + 10 = 760
    (
        "W = 32, F = 5, S = 1, P = 2, K = 10. Compute the output volume and the number of parameters (CS231n "
        "notation). The input depth is 3.",
        {"output_size": 32, "output_shape": [32, 32, 10], "params": 760},
    ),
    # conv arithmetic guide notation: ⌊(5 + 2 − 3)/2⌋ + 1 = 3
    ("i = 5, k = 3, s = 2, p = 1. What is the output size o of the convolution?", {"output_size": 3}),
    # 'same' padding, stride 1: ⌈28/1⌉ = 28
    (
        "A 28×28 grayscale image goes through a 3×3 convolution with 'same' padding and stride 1. What is "
        "the "
        "spatial size of the output?",
        {"output_size": 28},
    ),
    # dilation 2: the kernel spans 2·(3 − 1) + 1 = 5; 32 − 5 + 1 = 28
    (
        "What is the output size of a dilated convolution with kernel size 3 and dilation 2 applied to a "
        "32×32 "
        "input with no padding and stride 1?",
        {"output_size": 28},
    ),
    # transposed: (16 − 1)·2 − 2·1 + (4 − 1) + 1 = 30 − 2 + 4 = 32
    (
        "A transposed convolution with kernel 4, stride 2 and padding 1 is applied to a 16×16 feature map. "
        "What "
        "is the output size?",
        {"output_size": 32},
    ),
    # 3·3·64·128 + 128 = 73,728 + 128 = 73,856
    (
        "A convolutional layer has 3×3 kernels, 64 input channels and 128 output channels. How many "
        "trainable "
        "parameters does it have?",
        {"params": 73856},
    ),
    # 5·5·3·16 + 16 = 1,200 + 16 = 1,216
    (
        "How many learnable parameters are there in a conv layer with 16 filters of size 5×5×3?",
        {"params": 1216},
    ),
    # ⌊(64 + 2 − 3)/2⌋ + 1 = 32 → (1, 16, 32, 32); 3·3·3·16 + 16 = 448
    (
        "conv = nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)\nx = torch.randn(1, 3, 64, 64)\nWhat "
        "is the "
        "output shape of conv(x), and how many parameters does conv have?",
        {"output_size": 32, "output_shape": [1, 16, 32, 32], "params": 448},
    ),
    # Keras SimpleRNN: 32·(32 + 10) + 32 = 1,344 + 32 = 1,376
    (
        "How many parameters does a Keras SimpleRNN(32) layer have if each time step is a 10-dimensional "
        "vector?",
        {"params": 1376},
    ),
    # textbook GRU: 3·(64·(64 + 32) + 64) = 3·(6,144 + 64) = 18,624
    ("A GRU layer has 64 hidden units and input size 32. How many parameters?", {"params": 18624}),
    # PyTorch GRU, two biases per gate: 3·(64·96 + 2·64) = 3·6,272 = 18,816
    ("gru = nn.GRU(input_size=32, hidden_size=64)\nCount its parameters.", {"params": 18816}),
    # 100·(100 + 50) + 100 = 15,100
    (
        "An RNN with hidden state of size 100 and input vectors of dimension 50: how many parameters "
        "(weights and "
        "biases)?",
        {"params": 15100},
    ),
    # 784·128 + 128 + 128·128 + 128 + 128·10 + 10 = 100,480 + 16,512 + 1,290 = 118,282
    (
        "A neural network has an input layer of 784 neurons, two hidden layers of 128 neurons each and an "
        "output "
        "layer of 10 neurons. How many parameters does it have?",
        {"params": 118282},
    ),
    # 1000·100 = 100,000 (no biases)
    (
        "How many weights (ignoring biases) does a fully connected layer from 1000 to 100 units have?",
        {"params": 100000},
    ),
    # LeNet-like: 456 + 0 + 2,416 + 0 + (400·120 + 120) + (120·84 + 84) + (84·10 + 10)
    # = 456 + 2,416 + 48,120 + 10,164 + 850 = 62,006
    (LENET, {"params": 62006}),
    # conv 5·5·3·6 + 6 = 456; dense (32·32·3)·(28·28·6) + 28·28·6 = 3,072·4,704 + 4,704 = 14,455,392
    (
        "A convolutional layer maps a 32×32×3 input to a 28×28×6 output using 5×5 filters. How many "
        "parameters "
        "does it have, and how many would a fully connected layer connecting the same input and output "
        "volumes "
        "need?",
        {"params": 456, "dense_params": 14455392},
    ),
    # shared 11·11·3·96 + 96 = 34,944; unshared 55·55·96·(11·11·3 + 1) = 290,400·364 = 105,705,600
    (
        "The first layer of AlexNet takes a 227×227×3 image and applies 96 filters of size 11×11 with "
        "stride 4 and "
        "no padding. How many parameters would it have without parameter sharing?",
        {"params": 34944, "unshared_params": 105705600},
    ),
    # Keras SeparableConv2D: 3·3·32 + 32·64 + 64 = 288 + 2,048 + 64 = 2,400
    (
        "A depthwise separable convolution with 3×3 kernels maps 32 channels to 64 channels. How many "
        "parameters "
        "does it have?",
        {"params": 2400},
    ),
    # 10,000·128 + 4·(64·(64 + 128) + 64) + (64 + 1) = 1,280,000 + 49,408 + 65 = 1,329,473
    (
        "model = keras.Sequential([\n  layers.Embedding(input_dim=10000, output_dim=128),\n  "
        "layers.LSTM(64),\n"
        "  layers.Dense(1, activation='sigmoid')\n])\nHow many parameters does the model have?",
        {"params": 1329473},
    ),
    # a table, one layer a row: 3·3·3·16 + 16 = 448; 2·2·16·32 + 32 = 2,080; total 2,528
    (
        "The input is a 32×32×3 image.\n\n| Layer | Type | Details |\n|---|---|---|\n| 1 | conv | 3×3, 16 "
        "filters |\n"
        "| 2 | conv | 2×2, 32 filters, stride 2 |\n\nHow many parameters does each layer have?",
        {"params_per_layer": [448, 2080]},
    ),
    # LaTeX: ⌊(224 + 6 − 7)/2⌋ + 1 = ⌊111.5⌋ + 1 = 112
    (
        r"Compute the output size $o = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1$ for $n = 224$, "
        r"$k = 7$, "
        r"$s = 2$, $p = 3$.",
        {"output_size": 112},
    ),
    # ⌊(55 − 3)/2⌋ + 1 = 27
    (
        "A max pooling layer with a 3×3 window and stride 2 is applied to a 55×55×96 volume. What is the "
        "output "
        "volume?",
        {"output_size": 27, "output_shape": [27, 27, 96]},
    ),
    # 'same' conv keeps 32, pooling halves it: 16×16×64
    (
        "model.add(Conv2D(64, kernel_size=(3, 3), padding='same', input_shape=(32, 32, 3)))\n"
        "model.add(MaxPooling2D(pool_size=(2, 2)))\nWhat is the output shape after the pooling layer?",
        {"output_size": 16, "output_shape": [16, 16, 64]},
    ),
    # layer 1: 2·4·(256·(256 + 300) + 2·256) = 8·142,848 = 1,142,784;
    # layer 2 (input 512): 2·4·(256·(256 + 512) + 512) = 8·197,120 = 1,576,960; total 2,719,744
    (
        "A bidirectional LSTM in PyTorch: nn.LSTM(300, 256, num_layers=2, bidirectional=True). How many "
        "parameters?",
        {"params": 2719744},
    ),
    # 320 + 0 + 18,496 + 0 + 0 + (1,600·64 + 64) + (64·10 + 10) = 320 + 18,496 + 102,464 + 650 = 121,930
    # (28 → 26 → 13 → 11 → 5; 5·5·64 = 1,600)
    (KERAS_CNN, {"params": 121930}),
    # Keras LSTM: 4·(128·(128 + 100) + 128) = 4·29,312 = 117,248
    (
        "How many trainable parameters does an LSTM layer with 128 hidden units have when its input has 100 "
        "features per time step?",
        {"params": 117248},
    ),
    # ⌊(227 − 11)/4⌋ + 1 = 55 → 55×55×96; 11·11·3·96 + 96 = 34,944
    (
        "The input volume is 227×227×3 and the layer uses 96 filters of size 11×11 with stride 4 and no "
        "padding. "
        "What is the output volume, and how many parameters does the layer have?",
        {"output_size": 55, "output_shape": [55, 55, 96], "params": 34944},
    ),
    # an RGB input of unstated size: 3·3·3·32 + 32 = 864 + 32 = 896
    (
        "Calculate the number of parameters in a CNN layer with 32 filters of size 3x3 applied to an RGB "
        "image.",
        {"params": 896},
    ),
    # ⌊(224 + 6 − 7)/2⌋ + 1 = 112 → 112×112×64; 7·7·3·64 + 64 = 9,408 + 64 = 9,472 (weights only: accepted)
    (
        "A CNN takes 224×224×3 images. The first conv layer has 64 filters of size 7×7, stride 2, padding 3. "
        "Compute the output dimensions and the number of weights.",
        {"output_size": 112, "output_shape": [112, 112, 64], "params": 9472},
    ),
    # 1-D: ⌊(100 − 5)/1⌋ + 1 = 96
    (
        "A 1D convolution with kernel size 5 and stride 1 is applied to a sequence of length 100. Output "
        "length?",
        {"output_size": 96},
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
    (SEED_Q8, "is missing"),
    (
        "A convolutional layer has 3×3 kernels and 128 filters. How many parameters does it have?",
        "input channels",
    ),
    ("What is the output size of a 3×3 convolution with stride 2 and padding 1?", "input size is missing"),
    ("An LSTM has 128 hidden units. How many parameters does it have?", "input size"),
    ("A conv layer with 64 filters is applied to a 32×32×3 input. What is the output size?", "kernel"),
    ("How many parameters does a dense layer with 100 inputs have?", "number of units"),
]


@pytest.mark.parametrize(("question", "message"), REFUSED)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood, match=message):
        parse(question)


# (question, mistake, expected wrong values)
MISTAKES = [
    # 3·3·64·128 = 73,728: no biases
    (CASES[7][0], "bias_forgotten", {"params": 73728}),
    # 3·3·128 + 128 = 1,280: input channels left out
    (CASES[7][0], "input_channels_forgotten", {"params": 1280}),
    # ⌊(32 − 5)/1⌋ = 27: no + 1
    (CASES[0][0], "plus_one_forgotten", {"output_size": 27}),
    # padding added once: ⌊(224 + 3 − 7)/2⌋ + 1 = 110 + 1 = 111
    (CASES[22][0], "padding_one_side", {"output_size": 111}),
    # stride ignored: 227 − 11 + 1 = 217
    (CASES[28][0], "stride_ignored", {"output_size": 217}),
    # ⌈(224 + 6 − 7)/2⌉ + 1 = 112 + 1 = 113
    (CASES[22][0], "rounded_up", {"output_size": 113}),
    # (224 + 6 − 7)/2 + 1 = 112.5
    (CASES[22][0], "not_rounded", {"output_size": 112.5}),
    # dilation ignored: 32 − 3 + 1 = 30
    (CASES[5][0], "dilation_ignored", {"output_size": 30}),
    # one gate block: 128·228 + 128 = 29,312
    (CASES[27][0], "gates_forgotten", {"params": 29312}),
    # no recurrent weights: 4·(128·100 + 128) = 51,712
    (CASES[27][0], "recurrent_weights_forgotten", {"params": 51712}),
    # PyTorch GRU with one bias per gate: 3·(64·96 + 64) = 18,624
    (CASES[12][0], "gru_bias_convention", {"params": 18624}),
]


@pytest.mark.parametrize(("question", "code", "expected"), MISTAKES)
def test_mistakes_reproduce_the_wrong_number(question: str, code: str, expected: dict[str, Any]) -> None:
    found = variant(question, code)
    assert not found.accepted
    for name, value in expected.items():
        assert same(found.answer[name], value), (name, found.answer[name])


def test_the_other_framework_bias_convention_is_accepted_when_none_is_named() -> None:
    # PyTorch's two bias vectors: 4·(128·228 + 256) = 117,760
    found = variant(CASES[27][0], "rnn_bias_convention")
    assert found.accepted and same(found.answer["params"], 117760)
    # textbook GRU asked without a framework: the two-bias count 3·(64·96 + 128) = 18,816 is accepted
    gru = variant(CASES[11][0], "gru_bias_convention")
    assert gru.accepted and same(gru.answer["params"], 18816)


def test_weights_without_biases_are_accepted_when_the_question_says_weights() -> None:
    found = variant(CASES[30][0], "weights_without_biases")
    assert found.accepted and same(found.answer["params"], 9408)


def test_the_other_channel_order_and_no_batch_are_accepted() -> None:
    assert variant(CASES[28][0], "channel_order").answer["output_shape"] == [96, 55, 55]
    assert variant(CASES[23][0], "channel_order").answer["output_shape"] == [96, 27, 27]
    assert variant(CASES[9][0], "batch_dimension_omitted").answer["output_shape"] == [16, 32, 32]


def test_grading_names_the_mistake() -> None:
    problem = parse(CASES[7][0])
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    assert grade_response(solution, variants, "73,856 parameters").correct
    assert grade_response(solution, variants, "3*3*64*128 + 128 = 73856").correct
    assert grade_response(solution, variants, "73728").misconceptions == ["bias_forgotten"]
    assert grade_response(solution, variants, "params = 1280").misconceptions == ["input_channels_forgotten"]


def test_grading_shapes_and_sizes() -> None:
    problem = parse(CASES[28][0])
    solution, variants = SOLVER.solve(problem), SOLVER.variants(problem)
    grade = grade_response(
        solution, variants, {"output_size": 55, "output_shape": "55x55x96", "params": 34944}
    )
    assert grade.correct
    grade = grade_response(
        solution, variants, {"output_size": 55, "output_shape": "96 x 55 x 55", "params": 34944}
    )
    assert grade.correct  # the other channel order
    grade = grade_response(
        solution, variants, {"output_size": 217, "output_shape": "55x55x96", "params": 34944}
    )
    assert grade.misconceptions == ["stride_ignored"]


def test_steps_show_the_formula_with_numbers() -> None:
    latex = " ".join(step.latex for step in solve(CASES[0][0]).steps)
    assert r"\left\lfloor \frac{32 + 2 \cdot 0 - (5 - 1) - 1}{1} \right\rfloor + 1 = 28" in latex
    total = solve(LENET).steps[-1]
    assert total.title == "Total" and "= 62006" in total.latex


# ---- PyTorch's own counts and shapes (tests/reference/make_architecture_reference.py) -------------------


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["code"].splitlines()[0][:40])
def test_agrees_with_pytorch(case: dict[str, Any]) -> None:
    question = case["code"] + "\n" + case["question"]
    solution = solve(question)
    assert solution.answer["params"] == case["params"], solution.answer["params"]
    if case.get("output_shape"):
        assert solution.answer["output_shape"] == case["output_shape"]


# ---- practice and detection ----------------------------------------------------------------------------


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
        assert all(isinstance(v, int | float) and math.isfinite(v) for v in values)


CONCEPTUAL = [
    SEED_Q8,
    "Explain Adam.",
    "Why does weight decay help?",
    "Why do CNNs share parameters across positions?",
    "What is the difference between an LSTM and a GRU?",
    "Explain how pooling gives translation invariance.",
    "What is a fully connected layer?",
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
