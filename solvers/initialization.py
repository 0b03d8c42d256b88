"""Weight initialization: the limit, standard deviation and variance of Xavier/Glorot, He/Kaiming,
LeCun and the frameworks' defaults, for dense and convolutional layers.

Reading: `initialization_parse` (the layer: `initialization_layer`); formulas and parts:
`initialization_problem`; worked steps and conventions: `initialization_steps`.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from solvers.base import AnswerValue, Example, Solution, Solver, Step, Variant
from solvers.errors import ExamgraderError
from solvers.initialization_layer import prepare
from solvers.initialization_parse import _ASKED, is_initialization_text, question_sentences, read_problem
from solvers.initialization_problem import (
    Distribution,
    InitProblem,
    Scheme,
    answer,
    asked_parts,
    part_name,
    part_spec,
    values,
)
from solvers.initialization_steps import conventions, fan_step, scheme_steps

__all__ = ["InitProblem", "InitializationSolver"]

_LAYER_NUMBER = re.compile(
    r"\d+\s*(?:inputs?|outputs?|units|neurons|nodes|channels|filters|features)|fan[\s_-]?(?:in|out)|"
    r"n_?\{?(?:in|out)|nn\.|dense\(|conv\w*\(|∈\s*r\^|\d\s*(?:→|->)\s*\d|torch\.empty"
)


class InitializationSolver(Solver[InitProblem]):
    kind = "initialization"
    title = "Weight initialization (Xavier, He, LeCun, framework defaults)"
    topic = "initialization"

    def detect(self, text: str) -> float:
        if not is_initialization_text(text):
            return 0.0
        try:
            self.parse(text)
        except ExamgraderError:
            t = prepare(text)
            asks = any(p.search(question_sentences(t)) for _, p in _ASKED[:3])
            return 0.55 if asks and _LAYER_NUMBER.search(t) else 0.2
        return 0.92

    def parse(self, text: str) -> InitProblem:
        return read_problem(text, [e.question for e in EXAMPLES[:2]])

    def solve(self, problem: InitProblem) -> Solution:
        found = answer(problem)
        steps: list[Step] = [fan_step(problem)]
        for scheme in problem.schemes:
            steps += scheme_steps(problem, scheme)
        given: dict[str, object] = {
            "schemes": [s.value for s in problem.schemes],
            "distribution": None if problem.distribution is None else problem.distribution.value,
            "fan_in": problem.fan_in,
            "fan_out": problem.fan_out,
            "mode": problem.mode,
            "nonlinearity": problem.nonlinearity,
        }
        if problem.conv:
            given |= {
                "in_channels": problem.units_in,
                "out_channels": problem.units_out,
                "kernel": problem.receptive,
            }
        return Solution(
            kind=self.kind,
            asked=asked_parts(problem),
            answer=dict(found),
            parts={name: part_spec(name) for name in found},
            steps=steps,
            conventions=conventions(problem),
            given=given,
        )

    def variants(self, problem: InitProblem) -> list[Variant]:
        return variants(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


# ---- mistakes ----------------------------------------------------------------------------------------


def _swap_values(problem: InitProblem, first: str, second: str) -> dict[str, float]:
    right = answer(problem)
    out: dict[str, float] = {}
    for scheme in problem.schemes:
        a, b = part_name(problem, scheme, first), part_name(problem, scheme, second)
        if a in right and b in right:
            out[a], out[b] = right[b], right[a]
    return out


def _map(problem: InitProblem, mapping: dict[Scheme, Scheme]) -> tuple[Scheme, ...]:
    return tuple(mapping.get(s, s) for s in problem.schemes)


def variants(problem: InitProblem) -> list[Variant]:
    out: list[Variant] = []

    def rerun(
        code: str,
        feedback: str,
        computed: InitProblem | None = None,
        schemes: tuple[Scheme, ...] | None = None,
        accepted: bool = False,
    ) -> None:
        try:
            wrong = answer(problem, computed, schemes)
        except ZeroDivisionError:
            return
        if wrong and wrong != answer(problem):
            out.append(Variant(code, feedback, dict(wrong), accepted))

    if problem.layout_other is not None:
        fi, fo = problem.layout_other
        rerun(
            "weight_layout_in_by_out",
            "You read W as in × out (y = xW, as in Keras kernels); the question's W is also commonly read "
            "that way, so this is accepted.",
            replace(problem, fan_in=fi, fan_out=fo),
            accepted=True,
        )
    schemes = set(problem.schemes)
    if schemes & {Scheme.XAVIER, Scheme.HE} and problem.fan_out is not None and problem.fan_in is not None:
        rerun(
            "xavier_he_swapped",
            "You used the other scheme: Xavier (Glorot) is Var(W) = 2 / (fan_in + fan_out), made for tanh "
            "and "
            "sigmoid; He (Kaiming) is Var(W) = 2 / fan_in, made for ReLU.",
            schemes=_map(problem, {Scheme.XAVIER: Scheme.HE, Scheme.HE: Scheme.XAVIER}),
        )
    if Scheme.HE in schemes:
        rerun(
            "relu_gain_missing",
            "You left out He's factor 2 (the ReLU gain √2): ReLU zeroes half of its inputs, so He doubles "
            "the "
            "variance, Var(W) = 2 / fan_in; 1 / fan_in is LeCun's rule.",
            schemes=_map(problem, {Scheme.HE: Scheme.LECUN}),
        )
        if problem.nonlinearity == "leaky_relu":
            rerun(
                "leaky_slope_ignored",
                "You used the plain ReLU gain; with leaky ReLU of slope a the gain is √(2 / (1 + a²)).",
                replace(problem, nonlinearity="relu"),
            )
    if Scheme.LECUN in schemes:
        rerun(
            "relu_gain_added",
            "You doubled the variance as He does for ReLU; LeCun's rule is Var(W) = 1 / fan_in.",
            replace(problem, nonlinearity="relu"),
            _map(problem, {Scheme.LECUN: Scheme.HE}),
        )
    if Scheme.XAVIER in schemes and problem.fan_in is not None:
        rerun(
            "xavier_fan_in_only",
            "You scaled by the fan-in alone (1 / fan_in, LeCun's rule and Caffe's 'xavier' filler); Glorot "
            "and "
            "Bengio average fan-in and fan-out: Var(W) = 2 / (fan_in + fan_out).",
            schemes=_map(problem, {Scheme.XAVIER: Scheme.LECUN}),
        )
    if Scheme.TORCH_DEFAULT in schemes:
        rerun(
            "pytorch_default_as_he",
            "You used He uniform (√(6 / fan_in)); PyTorch's default calls kaiming_uniform_ with a = √5, "
            "which gives the bound 1/√fan_in.",
            schemes=_map(problem, {Scheme.TORCH_DEFAULT: Scheme.HE}),
        )
    if problem.fan_in is not None and problem.fan_out is not None and problem.fan_in != problem.fan_out:
        used = "fan-out" if problem.mode == "fan_in" else "fan-in"
        rule = problem.mode.replace("_", "-")
        rerun(
            "fan_in_fan_out_swapped",
            f"You used the {used} where the rule takes the {rule}: "
            "fan-in is the number of inputs to a unit, fan-out the number of units it feeds.",
            replace(problem, fan_in=problem.fan_out, fan_out=problem.fan_in, mode=problem.mode),
        )
    if problem.conv and problem.units_in is not None and problem.receptive > 1:
        rerun(
            "kernel_size_ignored",
            "You counted only the channels; a convolution's fan-in is c_in · k_h · k_w (and its fan-out "
            "c_out · k_h · k_w), every kernel weight being one input connection.",
            replace(problem, fan_in=problem.units_in, fan_out=problem.units_out),
        )
    swapped = _swap_values(problem, "std", "variance")
    if swapped:
        out.append(
            Variant(
                "std_variance_swapped",
                "You gave the variance where the standard deviation was asked, or the reverse: σ = √Var(W).",
                dict[str, AnswerValue](swapped),
            )
        )
    right = answer(problem)
    limits = {part_name(problem, s, "limit"): s for s in problem.schemes}
    stds = {part_name(problem, s, "std"): s for s in problem.schemes}
    no_six = {name: right[part_name(problem, s, "std")] for name, s in limits.items() if name in right}
    if no_six:
        out.append(
            Variant(
                "normal_formula_for_uniform",
                "You gave the normal distribution's standard deviation as the uniform limit (e.g. "
                "√(2/(n_in+n_out)) "
                "instead of √(6/(n_in+n_out))): U(−a, a) has variance a²/3, so a = √(3 · Var(W)).",
                dict[str, AnswerValue](no_six),
            )
        )
    limits_of = {s: values(problem, s).get("limit") for s in problem.schemes}
    with_six: dict[str, float] = {}
    for name, s in stds.items():
        limit = limits_of[s]
        if limit is not None and name in right:
            with_six[name] = limit
            with_six[part_name(problem, s, "variance")] = limit**2
        out.append(
            Variant(
                "uniform_formula_for_normal",
                "You used the uniform limit (with the 6, e.g. √(6/(n_in+n_out))) as the standard deviation; "
                "the "
                "standard deviation is √Var(W) (with the 2).",
                dict[str, AnswerValue](with_six),
            )
        )
    no_root = {name: right[name] ** 2 for name in limits if name in right}
    if no_root:
        out.append(
            Variant(
                "square_root_missing",
                "You left out the square root: the limit is a = √(3 · Var(W)), not 3 · Var(W).",
                dict[str, AnswerValue](no_root),
            )
        )
    return out


# ---- practice -----------------------------------------------------------------------------------------

_QUANTITY_WORDS = {
    "limit": (
        "the limit a of U(−a, a)",
        "the bound of the uniform distribution",
        "the range ±a of the weights",
    ),
    "std": ("the standard deviation of the weights", "σ", "the std of the weight distribution"),
    "variance": ("the variance of the weights", "Var(W)", "the weight variance"),
}
_NAMES = {Scheme.XAVIER: ("Xavier", "Glorot", "Xavier/Glorot"), Scheme.HE: ("He", "Kaiming", "He (Kaiming)")}
_TORCH_FN = {Scheme.XAVIER: "xavier", Scheme.HE: "kaiming", Scheme.LECUN: "lecun"}
_KERAS_FN = {Scheme.XAVIER: "glorot", Scheme.HE: "he", Scheme.LECUN: "lecun"}


def _fans(rng: random.Random, ins: tuple[int, ...], outs: tuple[int, ...]) -> tuple[int, int]:
    """Fan-in and fan-out far enough apart that Xavier, He and fan-in-only rules give different values:
    not within 10 % of each other (Xavier would equal 1/fan_in), nor fan_out below 5 % of fan_in
    (Xavier would equal He)."""
    while True:
        fan_in, fan_out = rng.choice(ins), rng.choice(outs)
        if not 0.9 <= fan_out / fan_in <= 1.1 and fan_out / fan_in >= 0.05:
            return fan_in, fan_out


_DENSE_IN = (64, 100, 128, 200, 256, 300, 384, 512, 784, 1000, 1024)
_DENSE_OUT = (10, 32, 50, 64, 100, 128, 256, 500)


def practice_question(rng: random.Random) -> str:
    scheme = rng.choice([Scheme.XAVIER, Scheme.HE, Scheme.HE, Scheme.LECUN])
    distribution = rng.choice([Distribution.UNIFORM, Distribution.NORMAL])
    quantity = rng.choice(
        ["limit", "std", "variance"] if distribution is Distribution.UNIFORM else ["std", "variance"]
    )
    words = rng.choice(_QUANTITY_WORDS[quantity])
    name = rng.choice(_NAMES.get(scheme, ("LeCun",)))
    style = rng.randrange(7)
    fan_in, fan_out = _fans(rng, _DENSE_IN, _DENSE_OUT)
    if style == 0:
        return (
            f"A fully connected layer has {fan_in} inputs and {fan_out} outputs. Its weights are "
            "initialized with "
            f"{name} {distribution.value} initialization. What is {words}?"
        )
    if style == 1:
        k = rng.choice([1, 3, 5, 7])
        c_in, c_out = _fans(rng, (1, 3, 16, 32, 64), (8, 16, 32, 64, 128))
        if c_in * k * k < 9:  # fan-in 1 or 2: the variance would equal the standard deviation
            k = 3
        return (
            f"A {k}×{k} convolutional layer maps {c_in} input channels to {c_out} output channels. The "
            "kernel is "
            f"initialized with {name} {distribution.value} initialization. Compute {words}."
        )
    if style == 2 and scheme is not Scheme.LECUN:
        fn = f"{_TORCH_FN[scheme]}_{distribution.value}_"
        args = ", mode='fan_in', nonlinearity='relu'" if scheme is Scheme.HE else ""
        return (
            f"W = torch.empty({fan_out}, {fan_in})\nnn.init.{fn}(W{args})\n"
            f"In PyTorch, what is {words} W is drawn from?"
        )
    if style == 3:
        symbol = rng.choice(["fan_in = {} and fan_out = {}", "$n_{{in}} = {}$ and $n_{{out}} = {}$"])
        return (
            f"Given {symbol.format(fan_in, fan_out)}, what is {words} under {name} {distribution.value} "
            "initialization?"
        )
    if style == 4:
        # Not W ∈ R^{out×in} with y = Wx: the other layout of W is accepted even then, so swapping the
        # fans would go unnoticed. y = xW and f: R^n → R^m leave no doubt.
        if rng.random() < 0.5:
            matrix = rf"$W \in \mathbb{{R}}^{{{fan_in} \times {fan_out}}}$"
            layer = f"{matrix} be the weight matrix of a layer $y = xW$"
        else:
            layer = (
                rf"$f: \mathbb{{R}}^{{{fan_in}}} \to \mathbb{{R}}^{{{fan_out}}}$ be a fully connected layer"
            )
        return (
            f"Let {layer}. Its weights are initialized with {name} {distribution.value} initialization. "
            f"What is {words}?"
        )
    if style == 5:
        layer = rng.choice(["fc1", "hidden", "dense_2"])
        return (
            f"| Layer | Inputs | Outputs |\n|---|---|---|\n| {layer} | {fan_in} | {fan_out} |\n\n"
            f"The weights of {layer} use {name} {distribution.value} initialization. What is {words}?"
        )
    fn = f"{_KERAS_FN[scheme]}_{distribution.value}"
    return (
        f"In Keras, layers.Dense({fan_out}, kernel_initializer='{fn}') receives {fan_in}-dimensional inputs. "
        f"Give {words}."
    )


EXAMPLES = (
    Example(
        # a = √(6 / (256 + 128)) = √(6/384) = √0.015625 = 0.125
        "A fully connected layer has 256 inputs and 128 outputs. Using Xavier (Glorot) uniform "
        "initialization, "
        "what is the limit a of U(-a, a)?",
        {"limit": 0.125},
    ),
    Example(
        # σ = √(2/512) = √(1/256) = 0.0625
        "He normal initialization is used for a ReLU layer with fan_in = 512. What is the standard "
        "deviation?",
        {"std": 0.0625},
    ),
    Example(
        # fan_in = 64·3·3 = 576; σ = √(2/576) = 0.0589256
        "A 3×3 convolution with 64 input channels and 128 filters is initialized with Kaiming normal "
        "(mode fan_in, ReLU). Compute the standard deviation of its weights.",
        {"std": 0.058925565},
    ),
    Example(
        # a = 1/√100 = 0.1
        "What is the bound of the uniform distribution PyTorch uses by default for the weights of "
        "nn.Linear(100, 50)?",
        {"limit": 0.1},
    ),
    Example(
        # glorot_uniform: √(6 / (192 + 64)) = √(6/256) = 0.1530931
        "A Keras Dense(64) layer with the default kernel initializer receives 192-dimensional inputs. What "
        "is "
        "the limit of the uniform distribution its weights are drawn from?",
        {"limit": 0.15309311},
    ),
    Example(
        # 1/100
        "With LeCun normal initialization and n_in = 100, what is the variance of the weights?",
        {"variance": 0.01},
    ),
    Example(
        # Xavier σ = √(2/250) = 0.0894427; He σ = √(2/200) = 0.1
        "Compute the standard deviation of the weights under Xavier and He initialization for a layer with "
        "200 inputs and 50 outputs.",
        {"xavier_std": 0.089442719, "he_std": 0.1},
    ),
)
