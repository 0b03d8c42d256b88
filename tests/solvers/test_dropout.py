"""The dropout solver: real exam wordings, refusals, the mistakes it diagnoses, and detection."""

from __future__ import annotations

import math
from typing import Any

import pytest

from solvers.base import Solution, Variant
from solvers.dropout import DropoutProblem, DropoutSolver
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize

SOLVER = DropoutSolver()

SEED_Q8 = (
    "8.What will be the output activations of this layer after applying dropout? "
    "(Show the final activation vector)\n\nGiven:\n\nActivations:\n\n   a = [2.0, 5.0, 7.12, 4.5, 6.0]\n\n"
    "Dropout mask:\n\nm = [1, 0, 0, 1, 1]\n"
)

SEED_Q8_WITH_ANSWER = (
    SEED_Q8
    + """
Applying Dropout

Dropout is applied by element-wise multiplication of activations and the mask:

a
′
=a⊙m

a′=[2.0×1, 5.0×0, 7.12×0, 4.5×1, 6.0×1]

Final Output Activations:

[2.0,0,0,4.5,6.0]
"""
)


def parse(question: str) -> DropoutProblem:
    return SOLVER.parse(normalize(question))


def solve(question: str) -> Solution:
    return SOLVER.solve(parse(question))


def close(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(close, got, expected))
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


# (question, expected parts); the arithmetic is in the comment above each case.
CASES: list[tuple[str, dict[str, Any]]] = [
    # the seed: [2.0×1, 5.0×0, 7.12×0, 4.5×1, 6.0×1]
    (SEED_Q8, {"output": [2.0, 0.0, 0.0, 4.5, 6.0]}),
    # the seed pasted with its worked answer: the data lists are still the first two
    (SEED_Q8_WITH_ANSWER, {"output": [2.0, 0.0, 0.0, 4.5, 6.0]}),
    # unbracketed lists, one per line
    (
        "Activations: 2.0, 5.0, 7.12, 4.5, 6.0\nMask: 1, 0, 0, 1, 1\nWhat is the output after dropout?",
        {"output": [2.0, 0.0, 0.0, 4.5, 6.0]},
    ),
    # [0.2×1, 0.9×1, 1.5×0, 0.4×1]
    (
        "Consider a layer with activations h = [0.2, 0.9, 1.5, 0.4] and dropout mask [1, 1, 0, 1]. "
        "Compute the output after dropout.",
        {"output": [0.2, 0.9, 0.0, 0.4]},
    ),
    # units 2 and 4 (1-based) zeroed: [3, 0, 4, 0, 5]
    (
        "The outputs of the layer are [3, 1, 4, 1, 5]. Units 2 and 4 are dropped. What is the output vector?",
        {"output": [3.0, 0.0, 4.0, 0.0, 5.0]},
    ),
    # the second neuron zeroed: [1, 0, 3]
    (
        "The hidden units have values x = [1.0, -2.0, 3.0]. The second neuron is dropped. "
        "Apply dropout and give the result.",
        {"output": [1.0, 0.0, 3.0]},
    ),
    # h2 and h3 zeroed: [0.1, 0, 0, 0.4]
    (
        "Neurons h2 and h3 are switched off by dropout. The layer activations are h = [0.1, 0.2, 0.3, 0.4]. "
        "What is the output?",
        {"output": [0.1, 0.0, 0.0, 0.4]},
    ),
    # only units 1 and 4 kept: [9, 0, 0, 6]
    (
        "Dropout keeps only the first and last units of a = [9, 8, 7, 6]. What is the resulting vector?",
        {"output": [9.0, 0.0, 0.0, 6.0]},
    ),
    # 0-based indices 0 and 2 zeroed: [0, 5, 0, 7]
    (
        "Indices 0 and 2 are dropped (0-based) in a = [4, 5, 6, 7]. What is the output after dropout?",
        {"output": [0.0, 5.0, 0.0, 7.0]},
    ),
    # True/False mask: [1.5×1, 2.5×0, 3.5×1]
    (
        "For a = [1.5, 2.5, 3.5] and the dropout mask m = [True, False, True], what is a ⊙ m?",
        {"output": [1.5, 0.0, 3.5]},
    ),
    # inverted, keep 0.8: [2/0.8, 0, 6/0.8, 8/0.8, 0] = [2.5, 0, 7.5, 10, 0]; scale 1/0.8 = 1.25
    (
        "Using inverted dropout with keep probability 0.8, the activation vector a = [2.0, 4.0, 6.0, 8.0, "
        "10.0] "
        "and mask [1, 0, 1, 1, 0]. What are the scaled activations?",
        {"output": [2.5, 0.0, 7.5, 10.0, 0.0], "scale": 1.25},
    ),
    # PyTorch p = 0.2 is the drop probability, keep 0.8: [1/0.8, 2/0.8, 0, 4/0.8, 5/0.8]
    (
        "A dropout layer with p = 0.2 (as in PyTorch's nn.Dropout in training mode) receives z = [1, 2, 3, "
        "4, 5] "
        "and samples the mask m = [1, 1, 0, 1, 1]. What does it output?",
        {"output": [1.25, 2.5, 0.0, 5.0, 6.25]},
    ),
    # Keras Dropout(0.2): rate 0.2, keep 0.8: [5/0.8, 10/0.8, 15/0.8, 0, 25/0.8]
    (
        "A Keras layer Dropout(0.2) is applied in training to x = [5, 10, 15, 20, 25] with the sampled mask "
        "[1, 1, 1, 0, 1]. What is the output?",
        {"output": [6.25, 12.5, 18.75, 0.0, 31.25]},
    ),
    # TensorFlow 1 keep_prob 0.8: [0, 2/0.8]
    (
        "tf.nn.dropout(x, keep_prob=0.8) is called on x = [1.0, 2.0] with mask [0, 1]. Compute the result.",
        {"output": [0.0, 2.5]},
    ),
    # drop 0.4, keep 0.6: [1/0.6, 0, 3/0.6, 4/0.6, 0] = [5/3, 0, 5, 20/3, 0]
    (
        "The probability of dropping a unit is 0.4. a = [1, 2, 3, 4, 5], mask = [1, 0, 1, 1, 0]. "
        "Using inverted dropout, what is the output?",
        {"output": [5 / 3, 0.0, 5.0, 20 / 3, 0.0]},
    ),
    # rate 0.5, keep 0.5: [4/0.5, 2/0.5, 0, 0]
    (
        "Dropout is applied with a rate of 0.5. The activations are [4, 2, 6, 8] and the mask is [1, 1, 0, "
        "0]. "
        "Compute the output as PyTorch does in training.",
        {"output": [8.0, 4.0, 0.0, 0.0]},
    ),
    # LaTeX column vectors, p = 0.5: [0, 4/0.5, 6/0.5]
    (
        r"Let $a = \begin{bmatrix} 2 \\ 4 \\ 6 \end{bmatrix}$ and $m = \begin{bmatrix} 0 \\ 1 \\ 1 "
        r"\end{bmatrix}$. "
        r"Apply dropout with $p=0.5$ using inverted dropout. What is the output?",
        {"output": [0.0, 8.0, 12.0]},
    ),
    # a markdown table (the unit-number row is not data): [2×1, 5×0, 7×1]
    (
        "| unit | 1 | 2 | 3 |\n|---|---|---|---|\n| activation | 2.0 | 5.0 | 7.0 |\n| mask | 1 | 0 | 1 |\n\n"
        "What is the output after dropout?",
        {"output": [2.0, 0.0, 7.0]},
    ),
    # a batch: row by row [[1, 0, 3], [0, 5, 6]]
    (
        "In a batch of two examples the activations are A = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]] and the "
        "dropout "
        "mask is M = [[1, 0, 1], [0, 1, 1]]. Compute the output of the dropout layer.",
        {"output": [[1.0, 0.0, 3.0], [0.0, 5.0, 6.0]]},
    ),
    # LaTeX matrices, inverted, rate 0.5: [[1/0.5, 0], [0, 4/0.5]]
    (
        r"$H = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$, mask $M = \begin{bmatrix} 1 & 0 \\ 0 & 1 "
        r"\end{bmatrix}$, inverted dropout with dropout rate 0.5. Compute the output.",
        {"output": [[2.0, 0.0], [0.0, 8.0]]},
    ),
    # draws below keep_prob 0.7 are kept: mask [1, 0, 1, 1]; [1/0.7, 0, 3/0.7, 4/0.7]
    (
        "Random numbers drawn for the dropout mask: d = [0.3, 0.9, 0.6, 0.1]; keep_prob = 0.7; activations "
        "a = [1, 2, 3, 4]. Using inverted dropout (d < keep_prob), compute a.",
        {"output": [1 / 0.7, 0.0, 3 / 0.7, 4 / 0.7]},
    ),
    # inverted: E = keep × a/keep = a = 4; at test time a is used as it is = 4
    (
        "A neuron has activation 4.0. With inverted dropout (keep_prob = 0.5), what is its expected output "
        "during training, and what does it output at test time?",
        {"expected_value": 4.0, "test_output": 4.0},
    ),
    # plain, drop 0.3: test factor 0.7; 0.7 × [1, 2, 3] = [0.7, 1.4, 2.1]
    (
        "With a dropout rate of 0.3 and no rescaling during training, what should the activations a = [1, "
        "2, 3] "
        "be multiplied by at test time? Give the test-time output.",
        {"test_scale": 0.7, "test_output": [0.7, 1.4, 2.1]},
    ),
    # original paper: p = 0.8 retained, test output 0.8 × [5, 10] = [4, 8]
    (
        "Each hidden unit is retained with probability p = 0.8 (Srivastava et al.). a = [5, 10], mask "
        "r = [1, 1]. What does the layer output at test time?",
        {"test_output": [4.0, 8.0]},
    ),
    # 20 % dropped, keep 0.8: 1/0.8 = 1.25
    (
        "The dropout probability is 20%. With inverted dropout, by what factor are the surviving activations "
        "multiplied?",
        {"scale": 1.25},
    ),
    # zeros in [1, 0, 0, 1]: 2 dropped; 2 of 4 kept = 0.5
    (
        "h = [0.5, 0.5, 0.5, 0.5], dropout mask r = [1, 0, 0, 1]. How many units are dropped, and what "
        "fraction of units is kept?",
        {"dropped_count": 2.0, "kept_fraction": 0.5},
    ),
    # plain: E = keep × a = 0.75 × [1, 2, 3, 4]
    (
        "Given activations a = [1, 2, 3, 4] and keep probability 0.75, what is the expected value of each "
        "unit's output under standard dropout (no scaling)?",
        {"expected_value": [0.75, 1.5, 2.25, 3.0]},
    ),
    # one unit: 0.9 × 3 = 2.7
    (
        "What is the expected value of the third unit's output if a = [1, 2, 3] and dropout keeps each unit "
        "with probability 0.9 (no rescaling)?",
        {"expected_value": 2.7},
    ),
    # two parts: [0, 3/0.5] in training; a = [1, 3] unchanged at test time
    (
        "During training a dropout layer (drop probability 0.5) receives a = [1, 3] and the mask m = [0, 1]. "
        "a) What is the output with inverted dropout? b) What is the output at test time?",
        {"output": [0.0, 6.0], "test_output": [1.0, 3.0]},
    ),
    # plain masking [1, 0, 3, 0]; the original method multiplies by keep 0.5 at test time
    (
        "Consider dropout with retain probability 0.5 applied to the hidden units h = [1, 2, 3, 4] with "
        "Bernoulli mask r = [1, 0, 1, 0]. Without scaling, what is the output? What should the weights be "
        "multiplied by at test time?",
        {"output": [1.0, 0.0, 3.0, 0.0], "test_scale": 0.5},
    ),
    # p defined as the retain probability in words: test output 0.8 × [1, 2, 3]
    (
        "In dropout, each hidden unit is retained with probability p. Let p = 0.8, a = [1, 2, 3] and mask "
        "r = [1, 0, 1]. What is the output at test time (weights scaled by p)?",
        {"test_output": [0.8, 1.6, 2.4]},
    ),
    # keep 1 − p = 0.8: [4/0.8, 0]
    (
        "Dropout with keep probability 1 - p = 0.8 and inverted scaling: a = [4, 8], m = [1, 0]. Output?",
        {"output": [5.0, 0.0]},
    ),
    # p explained right after it as the keep probability: [0, 8/0.8]
    (
        "Inverted dropout with p = 0.8 (the probability of keeping a unit): a = [4, 8], m = [0, 1]. "
        "What is the output?",
        {"output": [0.0, 10.0]},
    ),
    # "hidden state" is data, not a request: [1×0, 2×1, 3×1]
    (
        "The hidden state h = [1, 2, 3] goes through dropout with mask [0, 1, 1]. What is the output?",
        {"output": [0.0, 2.0, 3.0]},
    ),
    # Bernoulli(0.5) names the keep probability; no scaling asked: [0.7, −1.2, 0]
    (
        "A fully connected layer produces y = [0.7, -1.2, 0.4]. A Bernoulli(0.5) mask r = [1, 1, 0] is "
        "sampled. Compute r ⊙ y.",
        {"output": [0.7, -1.2, 0.0]},
    ),
    # drop 1/3, keep 2/3: [3 × 1.5, 0, 9 × 1.5]
    (
        "Let x = [3, 6, 9] be the input to a dropout layer with dropout probability 1/3. The mask is "
        "m = [1, 0, 1]. With inverted dropout, compute the output.",
        {"output": [4.5, 0.0, 13.5]},
    ),
    # terse, "(inverted)": p = 0.1, keep 0.9, each survivor ÷ 0.9
    (
        "Dropout layer, training mode, p=0.1: input [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "
        "mask [1,1,1,1,0,1,1,1,1,1]. Output (inverted)?",
        {"output": [100 / 9, 200 / 9, 300 / 9, 400 / 9, 0.0, 600 / 9, 700 / 9, 800 / 9, 100.0, 1000 / 9]},
    ),
    # "dropout vector" is the mask; keep 0.5: [0, 0.4/0.5, 0.6/0.5, 0]
    (
        "Suppose we apply dropout with a keep probability of 0.5 to the vector [0.2, 0.4, 0.6, 0.8]; the "
        "dropout vector is [0, 1, 1, 0]. What's the output with inverted dropout?",
        {"output": [0.0, 0.8, 1.2, 0.0]},
    ),
    # on average 0.5 × 100 = 50 units stay active
    (
        "A hidden layer has 100 neurons. With dropout at probability 0.5, how many neurons are active on "
        "average per training pass?",
        {"kept_count": 50.0},
    ),
    # 0.25 × 256 = 64 dropped on average; 1 − 0.25 = 0.75 kept
    (
        "A layer of 256 units uses a dropout rate of 0.25. How many units are dropped on average, and what "
        "fraction is kept?",
        {"dropped_count": 64.0, "kept_fraction": 0.75},
    ),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_answers(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    assert set(expected) <= set(solution.answer)
    for name, value in expected.items():
        assert close(solution.answer[name], value), (name, solution.answer[name], value)
    assert all(name in solution.parts for name in solution.answer)


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_detects_every_case(question: str, expected: dict[str, Any]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


def test_seed_solution_in_full() -> None:
    solution = solve(SEED_Q8)
    assert solution.kind == "dropout"
    assert solution.asked == ("output",)
    assert solution.answer == {"output": [2.0, 0.0, 0.0, 4.5, 6.0]}
    assert solution.given == {
        "activations": [2.0, 5.0, 7.12, 4.5, 6.0],
        "mask": [1.0, 0.0, 0.0, 1.0, 1.0],
        "drop_probability": None,
        "keep_probability": None,
        "inverted": False,
    }
    latex = [step.latex for step in solution.steps]
    assert r"a' = a \odot m" in latex
    assert any(r"7.12 \times 0" in formula for formula in latex)
    assert any("no scaling" in c or "does not ask for rescaling" in c for c in solution.conventions)
    assert "Mask entries are 1 for a kept unit and 0 for a dropped one." in solution.conventions


def test_parts_are_asked_in_the_question_order() -> None:
    two_parts = next(q for q, _ in CASES if q.startswith("During training a dropout layer"))
    counts = next(q for q, _ in CASES if q.startswith("h = [0.5, 0.5, 0.5, 0.5]"))
    assert solve(two_parts).asked == ("output", "test_output")
    assert solve(counts).asked == ("dropped_count", "kept_fraction")


def test_inverted_dropout_adds_the_scale_and_states_it() -> None:
    solution = solve("Apply inverted dropout with p = 0.5 to h = [1.0, 2.0] using the mask m = [1, 0].")
    # 1 / (1 − 0.5) = 2
    assert solution.answer["scale"] == 2.0
    assert any(c.startswith("Inverted dropout") for c in solution.conventions)
    assert any("Srivastava" in c for c in solution.conventions)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "Apply dropout to a = [1, 2, 3, 4] with p = 0.5. What is the output?",
            "the dropout mask is missing: the output depends on which units are dropped. Give the mask "
            '(e.g. m = [1, 0, 1, 1], 1 = keep) or name the dropped units ("units 2 and 3 are dropped")',
        ),
        (
            "With inverted dropout, what is the output for a = [1, 2] and the mask m = [1, 0]?",
            "inverted dropout divides the kept units by the keep probability, but the question gives no "
            "probability (e.g. p = 0.5 or keep_prob = 0.8)",
        ),
        (
            "In the original dropout, what does the layer output at test time for the activations a = [1, "
            "2]?",
            "this needs the keep probability (the original method multiplies by it at test time), but the "
            "question gives no probability (e.g. p = 0.5 or keep_prob = 0.8)",
        ),
        (
            "With a dropout rate of 0.2 on the input layer and a dropout rate of 0.5 on the hidden layer, "
            "what is "
            "the scaling factor of inverted dropout?",
            "the question gives several dropout probabilities (dropout rate of 0.2, dropout rate of 0.5); "
            "ask "
            "about one layer with one probability",
        ),
        (
            "Dropout mask m = [1, 0, 1]. What fraction of the units is kept with inverted dropout (p = 0.5) "
            "and what are the activations after dropout?",
            "the activations are missing: give them as a list, e.g. a = [2.0, 5.0, 7.12]",
        ),
    ],
)
def test_missing_data_is_named(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as refusal:
        parse(question)
    assert refusal.value.message == message


@pytest.mark.parametrize(
    "question",
    [
        "What is dropout?",
        "What is Dropout Layer and To which part of a neural network is dropout generally applied? how does "
        "it prevent overfitting",
        "Explain why inverted dropout divides by 1 - p during training.",
    ],
)
def test_conceptual_questions_are_refused(question: str) -> None:
    with pytest.raises(NotUnderstood):
        parse(question)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "a = [1, 2, 3] and the dropout mask m = [1, 0]. Apply dropout.",
            "the mask has 2 entries but the activations have 3; dropout multiplies them entry by entry, so "
            "they must match",
        ),
        (
            "A = [[1, 2], [3, 4]], dropout mask M = [[1, 0, 1], [0, 1, 1]]. Apply dropout.",
            "the mask has 2×3 entries but the activations have 2×2; dropout multiplies them entry by entry, "
            "so "
            "they must match",
        ),
        (
            "Dropout with p = 1.5 is applied to a = [1, 2], m = [1, 0]. Output?",
            "a probability must lie between 0 and 1; the question gives 1.5",
        ),
        (
            "Inverted dropout with drop probability 1 is applied to a = [1, 2], m = [0, 0]. What is the "
            "output?",
            "drop probability 1: every unit would be dropped; the drop probability must lie in [0, 1)",
        ),
        (
            "a = [1, 2, 3] and the dropout mask m = [1, 0.5, 1]. What is the output?",
            "a dropout mask holds only 0 (dropped) and 1 (kept); this one contains 0.5",
        ),
        (
            "The activations are a = [1, 2, 3]. Unit 7 is dropped. What is the output after dropout?",
            "unit 7 is named, but the activation vector has only 3 units (positions counted from 1)",
        ),
    ],
)
def test_invalid_data_is_explained(question: str, message: str) -> None:
    with pytest.raises(InvalidQuestion) as error:
        parse(question)
    assert error.value.message == message


# ---------------------------------------------------------------- variants


def variants(question: str) -> dict[str, Variant]:
    return {v.code: v for v in SOLVER.variants(parse(question))}


INVERTED_QUESTION = (
    "Using inverted dropout with a drop probability of 0.2, the activations are a = [2.0, 4.0, 6.0] and the "
    "mask "
    "is m = [1, 0, 1]. Compute the output, the expected value of each unit and the output at test time."
)


def test_inverted_question_answer() -> None:
    solution = solve(INVERTED_QUESTION)
    assert solution.asked == ("output", "expected_value", "test_output")
    # keep 0.8: [2/0.8, 0, 6/0.8]; E = a; test = a
    assert close(solution.answer["output"], [2.5, 0.0, 7.5])
    assert close(solution.answer["expected_value"], [2.0, 4.0, 6.0])
    assert close(solution.answer["test_output"], [2.0, 4.0, 6.0])


@pytest.mark.parametrize(
    ("code", "part", "wrong"),
    [
        # kept the dropped unit: [0, 4/0.8, 0]
        ("mask_inverted", "output", [0.0, 5.0, 0.0]),
        # no 1/keep: [2, 0, 6]; expectation keep × a = [1.6, 3.2, 4.8]; factor 1
        ("scaling_missing", "output", [2.0, 0.0, 6.0]),
        ("scaling_missing", "expected_value", [1.6, 3.2, 4.8]),
        ("scaling_missing", "scale", 1.0),
        # × keep instead of ÷ keep: [1.6, 0, 4.8]; factor 0.8; E = 0.8 × 0.8 × a = [1.28, 2.56, 3.84]
        ("scaled_by_keep", "output", [1.6, 0.0, 4.8]),
        ("scaled_by_keep", "scale", 0.8),
        ("scaled_by_keep", "expected_value", [1.28, 2.56, 3.84]),
        # 0.2 used as the keep probability: [2/0.2, 0, 6/0.2] = [10, 0, 30]; factor 5
        ("drop_keep_confused", "output", [10.0, 0.0, 30.0]),
        ("drop_keep_confused", "scale", 5.0),
        # the mask kept at test time: [2, 0, 6]
        ("test_time_mask_applied", "test_output", [2.0, 0.0, 6.0]),
        # scaled by keep at test time although training already rescaled: 0.8 × a
        ("test_time_scaling_wrong", "test_output", [1.6, 3.2, 4.8]),
    ],
)
def test_inverted_mistakes(code: str, part: str, wrong: Any) -> None:
    variant = variants(INVERTED_QUESTION)[code]
    assert not variant.accepted
    assert close(variant.answer[part], wrong)


PLAIN_QUESTION = (
    "Standard dropout without rescaling: keep probability 0.25, h = [4, 8], mask [0, 1]. What is the output, "
    "and what does the layer output at test time?"
)


@pytest.mark.parametrize(
    ("code", "part", "wrong"),
    [
        # right: output [0, 8], test 0.25 × [4, 8] = [1, 2]
        # 1/keep applied although plain masking was asked: [0, 8/0.25] = [0, 32]
        ("scaling_not_asked", "output", [0.0, 32.0]),
        # × keep at training: [0, 2]
        ("scaled_by_keep", "output", [0.0, 2.0]),
        # the dropped unit kept: [4, 0]
        ("mask_inverted", "output", [4.0, 0.0]),
        # keep 0.75 used at test time: [3, 6]
        ("drop_keep_confused", "test_output", [3.0, 6.0]),
        # no test-time factor: [4, 8]
        ("test_time_scaling_wrong", "test_output", [4.0, 8.0]),
        # the mask at test time: 0.25 × [0, 8] = [0, 2]
        ("test_time_mask_applied", "test_output", [0.0, 2.0]),
    ],
)
def test_plain_mistakes(code: str, part: str, wrong: Any) -> None:
    solution = solve(PLAIN_QUESTION)
    assert close(solution.answer["output"], [0.0, 8.0])
    assert close(solution.answer["test_output"], [1.0, 2.0])
    variant = variants(PLAIN_QUESTION)[code]
    assert not variant.accepted
    assert close(variant.answer[part], wrong)


def test_bare_p_accepts_the_original_paper_reading() -> None:
    question = (
        "Apply dropout with p = 0.2 to a = [1, 2, 3, 4, 5] using the mask m = [1, 1, 0, 1, 1]. Give the "
        "output "
        "and the expected value of each output unit."
    )
    solution = solve(question)
    # no scaling asked: the output is a ⊙ m; E = (1 − 0.2) a
    assert close(solution.answer["output"], [1.0, 2.0, 0.0, 4.0, 5.0])
    assert close(solution.answer["expected_value"], [0.8, 1.6, 2.4, 3.2, 4.0])
    found = variants(question)
    # p read as keep (Srivastava et al.): E = 0.2 a
    assert found["p_read_as_keep"].accepted
    assert close(found["p_read_as_keep"].answer["expected_value"], [0.2, 0.4, 0.6, 0.8, 1.0])
    # inverted dropout was not asked, nor refused: [1/0.8, 2/0.8, 0, 4/0.8, 5/0.8] is accepted
    assert found["scaling_not_asked"].accepted
    assert close(found["scaling_not_asked"].answer["output"], [1.25, 2.5, 0.0, 5.0, 6.25])
    assert "drop_keep_confused" not in found


def test_p_as_keep_variant_when_inverted() -> None:
    found = variants(next(q for q, _ in CASES if "PyTorch's nn.Dropout" in q))
    # p = 0.2 read as keep: [1/0.2, 2/0.2, 0, 4/0.2, 5/0.2]
    assert close(found["p_read_as_keep"].answer["output"], [5.0, 10.0, 0.0, 20.0, 25.0])
    assert found["p_read_as_keep"].accepted


def test_test_time_without_a_convention_accepts_both_methods() -> None:
    question = "What is the output of a dropout layer at test time if a = [2, 4] and p = 0.5?"
    # original method: (1 − 0.5) × [2, 4] = [1, 2]; inverted dropout: [2, 4] unchanged
    assert close(solve(question).answer["test_output"], [1.0, 2.0])
    found = variants(question)
    assert found["scaling_not_asked"].accepted
    assert close(found["scaling_not_asked"].answer["test_output"], [2.0, 4.0])


def test_seed_has_only_the_mask_mistake() -> None:
    found = variants(SEED_Q8)
    assert set(found) == {"mask_inverted"}
    # a ⊙ (1 − m) = [0, 5.0, 7.12, 0, 0]
    assert close(found["mask_inverted"].answer["output"], [0.0, 5.0, 7.12, 0.0, 0.0])


def test_index_without_a_base_accepts_both_counts() -> None:
    question = (
        "For a = [4, 5, 6, 7], the elements at index 1 and 3 are dropped. What is the output after dropout?"
    )
    # 1-based: positions 1 and 3 zeroed → [0, 5, 0, 7]; 0-based: [4, 0, 6, 0]
    assert close(solve(question).answer["output"], [0.0, 5.0, 0.0, 7.0])
    other = variants(question)["mask_other_reading"]
    assert other.accepted
    assert close(other.answer["output"], [4.0, 0.0, 6.0, 0.0])


def test_draws_without_a_stated_rule_accept_both_thresholds() -> None:
    question = (
        "Dropout with keep_prob = 0.7 draws the random numbers u = [0.3, 0.9, 0.6, 0.1] for a = [1, 2, 3, "
        "4]. "
        "What is the output after dropout?"
    )
    # kept when u < 0.7: mask [1, 0, 1, 1] → [1, 0, 3, 4]
    assert close(solve(question).answer["output"], [1.0, 0.0, 3.0, 4.0])
    # dropped when u < 0.3: mask [1, 1, 1, 0] → [1, 2, 3, 0]
    other = variants(question)["mask_other_reading"]
    assert other.accepted
    assert close(other.answer["output"], [1.0, 2.0, 3.0, 0.0])


def test_grading_names_the_inverted_mask() -> None:
    problem = parse(SEED_Q8)
    solution = SOLVER.solve(problem)
    found = SOLVER.variants(problem)
    assert grade_response(solution, found, "[2.0, 0, 0, 4.5, 6.0]").correct
    wrong = grade_response(solution, found, "[0, 5.0, 7.12, 0, 0]")
    assert wrong.misconceptions == ["mask_inverted"]


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "question",
    [
        "What is dropout?",
        "What is Dropout Layer and To which part of a neural network is dropout generally applied? how does "
        "it "
        "prevent overfitting",
        "Explain how dropout reduces overfitting. Why can dropout be seen as approximating an ensemble?",
        "Explain precision and recall.",
        "What is regularization? Explain L1 and L2 regularization",
        "TP = 80, FP = 80, FN = 20, TN = 820. Compute the precision and recall.",
        "Assume that the inputs X to some scalar function f are n x m matrices. What is the dimensionality "
        "of the "
        "gradient of f with respect to X?",
        "What is the shape of the gradient of the loss with respect to the dropout mask m ∈ R^{n×m}?",
        "Why does dropout with p = 0.5 work well for hidden layers?",
    ],
)
def test_detect_is_low_without_dropout_data(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_solve_to_their_expected_values() -> None:
    for example in SOLVER.examples():
        solution = solve(example.question)
        for name, value in example.expected.items():
            assert close(solution.answer[name], value), (example.question, name)


@pytest.mark.parametrize("lead", ["At test time,", "During inference,", "In evaluation,"])
def test_a_test_time_lead_in_makes_the_output_asked_the_test_time_output(lead: str) -> None:
    # original dropout multiplies by the keep probability at test time: 0.8 · [2, 5, -1] = [1.6, 4, -0.8]
    question = (
        "Original dropout keeps each unit with probability 0.8 and does not scale during training. "
        f"{lead} what values does the layer output for h = [2.0, 5.0, -1.0]?"
    )
    assert close(solve(question).answer["test_output"], [1.6, 4.0, -0.8])


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # drop 0.25 → keep 0.75: 0.75 · [4, 8, -2] = [3, 6, -1.5]
        ("zeroing each neuron with probability 0.25", [3.0, 6.0, -1.5]),
        ("dropping every unit with a probability of 0.25", [3.0, 6.0, -1.5]),
        # keep 0.6: 0.6 · [4, 8, -2] = [2.4, 4.8, -1.2]
        ("keeping each hidden unit with probability 0.6", [2.4, 4.8, -1.2]),
    ],
)
def test_a_gerund_before_with_probability_names_what_the_probability_is(
    phrase: str, expected: list[float]
) -> None:
    question = (
        f"A model was trained with standard (non-inverted) dropout, {phrase}. Nothing is dropped at "
        "inference. For activations h = (4, 8, -2), what does the layer output at test time?"
    )
    assert close(solve(question).answer["test_output"], expected)
