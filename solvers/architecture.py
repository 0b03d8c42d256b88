"""Counting in network architectures: convolution and pooling output sizes, parameters of dense,
convolutional and recurrent layers (and whole networks), and what parameter sharing saves.

Layers and arithmetic: `architecture_layers`; reading: `architecture_parse` (prose:
`architecture_prose`, Keras/PyTorch code: `architecture_code`); answer: `architecture_answer`;
steps: `architecture_steps`.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from solvers.architecture_answer import (
    asked_parts,
    channel_order_swapped,
    default_rules,
    evaluate,
    part_spec,
    unanswered,
)
from solvers.architecture_derived import derivations
from solvers.architecture_layers import RECURRENT_GATES, SPATIAL, Rules
from solvers.architecture_parse import ArchProblem, read_problem
from solvers.architecture_steps import compare_step, conventions, layer_steps, total_step
from solvers.base import AnswerValue, Example, Solution, Solver, Variant
from solvers.compare import same_answer
from solvers.errors import ExamgraderError, NotUnderstood

__all__ = ["ArchProblem", "ArchitectureSolver"]

_LAYER_WORDS = re.compile(
    r"conv|pool|\bfilters?\b|\bkernels?\b|\bstride|padding|fully[\s-]connected|\bdense\b|\blstm|\bgru\b|\brnn|"
    r"recurrent|simplernn|\bmlp\b|perceptron|\b[fk]\s*=\s*\d|nn\.(?:linear|conv|lstm|gru|rnn)|embedding|"
    r"hidden (?:layer|units)",
    re.IGNORECASE,
)
_COUNT_WORDS = re.compile(
    r"param\w*|output (?:size|shape|volume|dimension)|how many weights|feature map|learnable|trainable|"
    r"spatial|resulting|dimensions? of|size of",
    re.IGNORECASE,
)


class ArchitectureSolver(Solver[ArchProblem]):
    kind = "architecture_count"
    title = "Output sizes and parameter counts of layers and networks"
    topic = "architecture"

    def detect(self, text: str) -> float:
        if not _LAYER_WORDS.search(text) or not re.search(r"\d", text):
            return 0.0
        if re.search(
            r"initiali[sz]|xavier|glorot|kaiming|\bhe (?:normal|uniform|init)|uniform distribution|"
            r"standard deviation|variance|\bstd\b|\bbounds?\b",
            text,
            re.IGNORECASE,
        ) and not re.search(r"param\w*|output (?:size|shape|volume)", text, re.IGNORECASE):
            return 0.1
        try:
            self.parse(text)
        except ExamgraderError:
            numbers = re.findall(r"\d+", re.sub(r"^\W*\d+\s*[.)]", "", text))
            return 0.55 if _COUNT_WORDS.search(text) and len(numbers) >= 2 else 0.2
        return 0.9 if _COUNT_WORDS.search(text) else 0.6

    def parse(self, text: str) -> ArchProblem:
        try:
            problem = read_problem(text)
            answer = evaluate(problem, default_rules(problem))
            if not asked_parts(problem, answer):
                missing = " and ".join(unanswered(problem, answer))
                raise NotUnderstood(f"{missing} cannot be worked out from the layers given")
        except NotUnderstood as refusal:
            raise NotUnderstood(refusal.message, [e.question for e in EXAMPLES[:3]]) from None
        return problem

    def solve(self, problem: ArchProblem) -> Solution:
        rules = default_rules(problem)
        answer = evaluate(problem, rules)
        asked = asked_parts(problem, answer)
        if not asked:
            raise NotUnderstood(
                "nothing asked could be computed: ask for the output size or the number of parameters"
            )
        steps = layer_steps(problem)
        for extra in (total_step(problem, answer), compare_step(problem, answer)):
            if extra is not None:
                steps.append(extra)
        given: dict[str, object] = {
            "layers": [layer.name for layer in problem.layers],
            "input": None
            if problem.start is None
            else {"spatial": list(problem.start.spatial), "channels": problem.start.channels},
            "framework": problem.framework or None,
        }
        return Solution(
            kind=self.kind,
            asked=asked,
            answer=answer,
            parts={name: part_spec(name) for name in answer},
            steps=steps,
            conventions=conventions(problem),
            given=given,
            notes=[
                f"Not answered: {what} cannot be worked out from the layers given."
                for what in unanswered(problem, answer)
            ],
            derived=derivations(problem, rules, answer, asked),
        )

    def variants(self, problem: ArchProblem) -> list[Variant]:
        return variants(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


# ---- mistakes ----------------------------------------------------------------------------------------


def _kinds(problem: ArchProblem) -> set[str]:
    return {layer.kind for layer in problem.layers}


def _mistake_rules(problem: ArchProblem) -> list[tuple[str, str, Rules, bool]]:
    """(code, feedback, rules, accepted) for every mistake that applies to this problem."""
    base = default_rules(problem)
    kinds = _kinds(problem)
    spatial = [x for x in problem.layers if x.kind in SPATIAL]
    out: list[tuple[str, str, Rules, bool]] = []
    if any(x.kind in ("conv", "tconv", "separable") for x in problem.layers):
        out.append(
            (
                "input_channels_forgotten",
                "You left out the input channels: each filter spans all input channels, so a convolution has "
                "k_h · k_w · c_in · c_out weights (plus c_out biases).",
                replace(base, input_channels=False),
                False,
            )
        )
    out.append(
        (
            "bias_forgotten",
            "You counted the weights but not the biases: each filter (or unit) has one bias, so add c_out "
            "(or the number of units).",
            replace(base, bias=False),
            False,
        )
    )
    if spatial and problem.start is not None and problem.start.spatial:
        out.append(
            (
                "plus_one_forgotten",
                "You left out the + 1: the output size is ⌊(n + 2p − k)/s⌋ + 1 (the first position counts "
                "too).",
                replace(base, plus_one=False),
                False,
            )
        )
        if any(not isinstance(x.padding, str) and any(x.padding) for x in spatial):
            out.append(
                (
                    "padding_one_side",
                    "You added the padding once; it is added on both sides of the input: n + 2p.",
                    replace(base, both_sides_padding=False),
                    False,
                )
            )
        if any((x.stride and max(x.stride) > 1) or (x.kind == "pool" and max(x.kernel) > 1) for x in spatial):
            out.append(
                (
                    "stride_ignored",
                    "You ignored the stride: the window moves s positions at a time, so divide (n + 2p − k) "
                    "by s "
                    "before adding 1.",
                    replace(base, stride=False),
                    False,
                )
            )
        if any(x.dilation > 1 for x in spatial):
            out.append(
                (
                    "dilation_ignored",
                    "You ignored the dilation: a k-wide kernel with dilation d spans d(k − 1) + 1 inputs.",
                    replace(base, dilation=False),
                    False,
                )
            )
        out.append(
            (
                "rounded_up",
                "You rounded up; a window that does not fit is dropped, so the size rounds down: ⌊(n + 2p − "
                "k)/s⌋ + 1.",
                replace(base, rounding="ceil"),
                False,
            )
        )
        out.append(
            (
                "not_rounded",
                "The output size is a whole number: round (n + 2p − k)/s down before adding 1.",
                replace(base, rounding="none"),
                False,
            )
        )
    if kinds & {"lstm", "gru"}:
        out.append(
            (
                "gates_forgotten",
                "You counted one gate; an LSTM has 4 gate blocks and a GRU 3, each with its own h(h + x) + "
                "bias "
                "parameters.",
                replace(base, gates=False),
                False,
            )
        )
    if kinds & set(RECURRENT_GATES):
        out.append(
            (
                "recurrent_weights_forgotten",
                "You left out the recurrent weights: each gate has h·h hidden-to-hidden weights besides its "
                "h·x "
                "input weights.",
                replace(base, recurrent_weights=False),
                False,
            )
        )
    if kinds & {"rnn", "lstm"}:
        other = 1 if base.rnn_biases == 2 else 2
        accepted = not problem.framework
        feedback = (
            "You counted two bias vectors per gate (PyTorch's b_ih and b_hh); that convention is also "
            "accepted."
            if accepted and other == 2
            else "You used the other framework's bias convention: Keras has one bias vector per gate, "
            f"PyTorch two (b_ih and b_hh); the question is about {problem.framework or 'Keras'}."
        )
        out.append(("rnn_bias_convention", feedback, replace(base, rnn_biases=other), accepted))
    if "gru" in kinds:
        other = 1 if base.gru_biases == 2 else 2
        accepted = not problem.framework
        feedback = (
            "You counted two bias vectors per GRU gate (PyTorch, Keras' reset_after=True); that is also "
            "accepted."
            if accepted
            else "You used the other GRU bias convention: PyTorch and Keras' default reset_after=True have "
            "two bias vectors per gate, the textbook GRU (Keras reset_after=False) one."
        )
        out.append(("gru_bias_convention", feedback, replace(base, gru_biases=other), accepted))
    return out


def variants(problem: ArchProblem) -> list[Variant]:
    right = evaluate(problem, default_rules(problem))
    found: list[Variant] = []
    for code, feedback, rules, accepted in _mistake_rules(problem):
        wrong = evaluate(problem, rules)
        changed = {k: v for k, v in wrong.items() if k in right and not _same(k, right[k], v)}
        if changed:
            found.append(Variant(code, feedback, changed, accepted))
    shape = right.get("output_shape")
    if isinstance(shape, list) and len(shape) > 1:
        other = evaluate(channel_order_swapped(problem), default_rules(problem)).get("output_shape")
        if other != shape:
            found.append(
                Variant(
                    "channel_order",
                    "You wrote the channels on the other side (C × H × W vs H × W × C); both orders are "
                    "accepted.",
                    {"output_shape": other},
                    accepted=True,
                )
            )
    if isinstance(shape, list) and problem.batch is not None:
        found.append(
            Variant(
                "batch_dimension_omitted",
                "You left out the batch dimension; the shape of one example is also accepted.",
                {"output_shape": shape[1:]},
                accepted=True,
            )
        )
    if problem.weights_word and isinstance(right.get("weights"), float) and right.get("biases"):
        found.append(
            Variant(
                "weights_without_biases",
                "You counted the weights without the biases; the question says 'weights', so that reading is "
                "accepted (the parameters include the biases).",
                {"params": right["weights"]},
                accepted=True,
            )
        )
    return found


def _same(name: str, first: AnswerValue, second: AnswerValue) -> bool:
    return same_answer(part_spec(name), first, second)


# ---- practice ------------------------------------------------------------------------------------------


def practice_question(rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:
        n = rng.choice([28, 32, 64, 96, 128, 224, 227])
        k = rng.choice([3, 5, 7, 11])
        s = rng.choice([1, 2, 4])
        p = rng.choice([0, 1, 2, 3])
        return (
            f"An input image of size {n}×{n} is convolved with a {k}×{k} filter using stride {s} and "
            f"padding {p}. "
            "What is the spatial size of the output?"
        )
    if style == 1:
        k = rng.choice([1, 3, 5, 7])
        c_in, c_out = rng.choice([1, 3, 16, 32, 64]), rng.choice([8, 16, 32, 64, 128, 256])
        return (
            f"A convolutional layer has {c_out} filters of size {k}×{k} and its input has {c_in} channels. "
            "How many "
            "trainable parameters does the layer have (including biases)?"
        )
    if style == 2:
        layer = rng.choice(["LSTM", "GRU", "SimpleRNN"])
        h, x = rng.choice([16, 32, 50, 64, 128, 256]), rng.choice([10, 20, 50, 100, 300])
        return (
            f"model = keras.Sequential([layers.{layer}({h}, input_shape=(None, {x}))])\n"
            f"How many parameters does the {layer} layer have?"
        )
    if style == 3:
        c_in, c_out = rng.choice([1, 3]), rng.choice([8, 16, 32, 64])
        k, s, p = rng.choice([3, 5]), rng.choice([1, 2]), rng.choice([0, 1, 2])
        n = rng.choice([28, 32, 64, 224])
        return (
            f"conv = nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p})\n"
            f"x = torch.randn(1, {c_in}, {n}, {n})\nWhat is the output shape of conv(x) and how many "
            "parameters "
            "does conv have?"
        )
    widths = [rng.choice([784, 1024, 100, 64, 3072])] + [
        rng.choice([512, 256, 128, 64, 32]) for _ in range(rng.randint(1, 2))
    ]
    widths.append(rng.choice([10, 2, 5, 100]))
    return f"An MLP has layer sizes {'-'.join(map(str, widths))}. How many parameters does it have in total?"


EXAMPLES = (
    Example(
        # ⌊(32 − 5)/1⌋ + 1 = 28
        "An input image of size 32×32 is convolved with a 5×5 filter with stride 1 and no padding. What is "
        "the "
        "output size?",
        {"output_size": 28.0},
    ),
    Example(
        # ⌊(227 − 11)/4⌋ + 1 = 55; 11·11·3·96 + 96 = 34,848 + 96 = 34,944
        "The input volume is 227×227×3 and the layer uses 96 filters of size 11×11 with stride 4 and no "
        "padding. "
        "What is the output volume, and how many parameters does the layer have?",
        {"output_size": 55.0, "output_shape": [55, 55, 96], "params": 34944.0},
    ),
    Example(
        # 784·256 + 256 = 200,704 + 256 = 200,960
        "How many parameters does a fully connected layer with 784 inputs and 256 outputs have?",
        {"params": 200960.0},
    ),
    Example(
        # 4·(128·(128 + 100) + 128) = 4·29,312 = 117,248
        "How many trainable parameters does an LSTM layer with 128 hidden units have when its input has 100 "
        "features per time step?",
        {"params": 117248.0},
    ),
    Example(
        # 4·(128·228 + 2·128) = 4·29,440 = 117,760
        "lstm = nn.LSTM(input_size=100, hidden_size=128)\nHow many parameters does lstm have?",
        {"params": 117760.0},
    ),
    Example(
        # 784·512 + 512 + 512·256 + 256 + 256·10 + 10 = 401,920 + 131,328 + 2,570 = 535,818
        "An MLP has layer sizes 784-512-256-10. How many parameters does it have in total?",
        {"params": 535818.0},
    ),
    Example(
        # ⌊(28 − 2)/2⌋ + 1 = 14
        "What is the output size of 2×2 max pooling with stride 2 applied to a 28×28×6 volume?",
        {"output_size": 14.0},
    ),
    Example(
        # conv 3·3·1·32 + 32 = 320; pool 26 → 13; dense 13·13·32·10 + 10 = 54,090; total 54,410
        "model = Sequential([\n  Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),\n"
        "  MaxPooling2D((2, 2)),\n  Flatten(),\n  Dense(10, activation='softmax')\n])\n"
        "How many trainable parameters does this model have?",
        {"params": 54410.0},
    ),
)
