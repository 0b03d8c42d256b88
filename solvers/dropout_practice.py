"""Fresh dropout questions: activations, a mask and a probability drawn from `rng`, worded in one of
several styles (exam prose, a terse "Given ..., compute ...", LaTeX, PyTorch or Keras code, units
named by position, a question about the scaling factor alone).

Every question states its convention (inverted or original dropout, what p means), so only the
known mistakes can give a different answer. When the drop/keep reading changes the answer, p = 0.5
is not drawn: reading it the wrong way round would give the right number.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

DROP_PROBABILITIES = (0.1, 0.2, 0.25, 0.3, 0.4, 0.5)
MIN_UNITS, MAX_UNITS = 4, 8
MAX_BATCH_UNITS = 5  # per example, so a batch matrix stays readable
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")

Row = list[float]
T = TypeVar("T")


@dataclass(frozen=True)
class Draw:
    """The data of one question: activations (one row per example), mask (1 = keep), drop probability."""

    activations: list[Row]
    mask: list[list[int]]
    drop: float

    @property
    def keep(self) -> float:
        return round(1.0 - self.drop, 2)


def pick(rng: random.Random, options: tuple[T, ...]) -> T:
    return options[rng.randrange(len(options))]


def activation_row(rng: random.Random, size: int) -> Row:
    """Activations with one decimal, none zero (a zero hides whether its unit was kept)."""
    return [rng.randint(1, 99) / 10 for _ in range(size)]


def mask_row(rng: random.Random, size: int) -> list[int]:
    """A 0/1 mask with at least one kept and one dropped unit."""
    mask = [0, 1] + [rng.randint(0, 1) for _ in range(size - 2)]
    rng.shuffle(mask)
    return mask


def drop_probability(rng: random.Random, reading_matters: bool) -> float:
    """A drop probability; never 0.5 when mistaking it for the keep probability would go unnoticed."""
    options = tuple(p for p in DROP_PROBABILITIES if p != 0.5 or not reading_matters)
    return pick(rng, options)


def draw(rng: random.Random, asked: tuple[str, ...], inverted: bool, rows: int = 1) -> Draw:
    size = rng.randint(MIN_UNITS, MAX_UNITS if rows == 1 else MAX_BATCH_UNITS)
    activations = [activation_row(rng, size) for _ in range(rows)]
    mask = [mask_row(rng, size) for _ in range(rows)]
    reading_matters = inverted or asked != ("output",)
    return Draw(activations, mask, drop_probability(rng, reading_matters))


def listed(values: list[float] | list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


# ---------------------------------------------------------------- what is asked

# The parts asked, for each method. `solvers.practice` rejects a question when a known mistake leaves
# an asked part unchanged, so inverted dropout never asks for E[a′] or the test-time output (both
# are a itself, whatever the probability: reading p the wrong way round would not show there), and
# the original method never pairs the training output (which ignores p) with a part that uses p.
_ASKED_INVERTED = (("output",), ("output", "scale"))
_ASKED_PLAIN = (("output",), ("expected_value", "test_output"), ("test_output",), ("expected_value",))

_QUESTIONS = {
    "output": ("what are the output activations", "what is the output of the dropout layer"),
    "scale": ("by what factor are the kept activations scaled during training",),
    "expected_value": (
        "what is the expected value of each unit after dropout during training",
        "what is E[a′], the expected output of each unit in training",
    ),
    "test_output": ("what does the layer output at test time", "what are the activations at inference"),
}
_TERSE = {
    "output": ("the output a′", "the activations after dropout"),
    "scale": ("the scaling factor",),
    "expected_value": ("E[a′]", "the expected output"),
    "test_output": ("the test-time output",),
}


def ask(rng: random.Random, asked: tuple[str, ...]) -> str:
    """ "What are the output activations, and what does the layer output at test time?" """
    clauses = [pick(rng, _QUESTIONS[part]) for part in asked]
    sentence = ", and ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "?"


def ask_terse(rng: random.Random, asked: tuple[str, ...]) -> str:
    return " and ".join(pick(rng, _TERSE[part]) for part in asked)


def asked_for(rng: random.Random, inverted: bool) -> tuple[str, ...]:
    return pick(rng, _ASKED_INVERTED if inverted else _ASKED_PLAIN)


# ---------------------------------------------------------------- how p and the method are said


def probability_words(rng: random.Random, d: Draw) -> str:
    return pick(
        rng,
        (
            f"dropout is applied with a drop probability of {d.drop}",
            f"each unit is dropped with probability {d.drop}",
            f"each unit is kept with probability {d.keep}",
            f"dropout uses a keep probability of {d.keep}",
            f"{percent(d.drop)} of the units are dropped",
        ),
    )


def method_words(rng: random.Random, inverted: bool) -> str:
    if inverted:
        return pick(rng, ("The network uses inverted dropout.", "Inverted dropout is used."))
    return pick(
        rng,
        (
            "The network uses the original dropout: no rescaling during training.",
            "Standard dropout is used, without scaling during training.",
        ),
    )


# ---------------------------------------------------------------- the styles


def exam(rng: random.Random) -> str:
    inverted = rng.random() < 0.5
    asked = asked_for(rng, inverted)
    d = draw(rng, asked, inverted)
    (a,), (m,) = d.activations, d.mask
    return (
        f"A hidden layer with {len(a)} units produces the activations a = {listed(a)}. During training, "
        f"{probability_words(rng, d)}, and the sampled dropout mask is m = {listed(m)} (1 = keep, 0 = drop). "
        f"{method_words(rng, inverted)} {ask(rng, asked)}"
    )


def terse(rng: random.Random) -> str:
    inverted = rng.random() < 0.6
    asked = asked_for(rng, inverted)
    d = draw(rng, asked, inverted)
    (a,), (m,) = d.activations, d.mask
    p = pick(rng, (f"keep_prob = {d.keep}", f"dropout rate {d.drop}", f"p_drop = {d.drop}"))
    method = "inverted dropout" if inverted else "plain dropout (no rescaling in training)"
    symbol = pick(rng, ("a", "h"))
    return (
        f"Given {symbol} = {listed(a)}, mask m = {listed(m)}, {p} and {method}, "
        f"compute {ask_terse(rng, asked)}."
    )


def bmatrix(rows: list[Row] | list[list[int]], column: bool = False) -> str:
    if column:
        body = r" \\ ".join(str(v) for v in rows[0])
    else:
        body = r" \\ ".join(" & ".join(str(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def latex(rng: random.Random) -> str:
    inverted = rng.random() < 0.7
    rows = pick(rng, (1, 1, 2, 3))
    asked: tuple[str, ...] = ("output",) if rows > 1 else asked_for(rng, inverted)
    d = draw(rng, asked, inverted, rows)
    column = rows == 1 and rng.random() < 0.5
    if rows > 1:
        data = (
            f"A batch of {rows} examples has the activations $H = {bmatrix(d.activations)}$ and the dropout "
            f"mask $M = {bmatrix(d.mask)}$"
        )
    else:
        data = (
            rf"Let $\mathbf{{h}} = {bmatrix(d.activations, column)}$ and let the dropout mask be "
            rf"$\mathbf{{m}} = {bmatrix(d.mask, column)}$"
        )
    p = pick(rng, (f"$p = {d.drop}$ (the drop probability)", f"keep probability $q = {d.keep}$"))
    method = "inverted dropout" if inverted else r"the original dropout (no scaling during training)"
    return f"{data}. With {method} and {p}: {ask(rng, asked)}"


def framework(rng: random.Random) -> str:
    """PyTorch or Keras code: both drop with probability p and scale the survivors by 1/(1 − p)."""
    asked = pick(rng, (("output",), ("output", "scale"), ("scale",)))
    d = draw(rng, asked, inverted=True)
    (a,), (m,) = d.activations, d.mask
    torch = rng.random() < 0.6
    layer = f"nn.Dropout(p={d.drop})" if torch else f"tf.keras.layers.Dropout({d.drop})"
    if asked == ("scale",):
        return f"By what factor does {layer} scale the elements it keeps during training?"
    if torch:
        code = f"drop = {layer}\nx = torch.tensor({listed(a)})\n"
        run = f"In training mode the sampled mask is {listed(m)}. What does drop(x) output?"
        later = " By what factor are the kept elements scaled?"
    else:
        code = f"drop = {layer}\nx = np.array({listed(a)})\n"
        run = f"Called with training=True, the layer samples the mask {listed(m)}. What does drop(x) output?"
        later = " By what factor does it scale the elements it keeps?"
    return code + run + (later if "scale" in asked else "")


def positions(rng: random.Random) -> str:
    """The dropped units named by position, counted from 1."""
    inverted = rng.random() < 0.5
    d = draw(rng, ("output",), inverted)
    (a,), (m,) = d.activations, d.mask
    dropped = [i for i, k in enumerate(m) if k == 0]
    if rng.random() < 0.5:
        named = ("unit " if len(dropped) == 1 else "units ") + joined([str(i + 1) for i in dropped])
    else:
        named = (
            "the " + joined([ORDINALS[i] for i in dropped]) + (" neuron" if len(dropped) == 1 else " neurons")
        )
    verb = "is" if len(dropped) == 1 else "are"
    method = (
        f"Inverted dropout with drop probability {d.drop} is used."
        if inverted
        else "No rescaling is applied during training."
    )
    return (
        f"The layer outputs x = {listed(a)}. During a training step, {named} {verb} dropped (units counted "
        f"from 1). {method} What is the output vector?"
    )


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def factor(rng: random.Random) -> str:
    """The scaling factor alone: inverted dropout in training, or the original method at test time."""
    drop = drop_probability(rng, reading_matters=True)
    keep = round(1.0 - drop, 2)
    if rng.random() < 0.5:
        said = pick(rng, (f"a keep probability of {keep}", f"a dropout rate of {drop}"))
        return (
            f"With inverted dropout and {said}, by what factor are the kept activations scaled during "
            "training?"
        )
    said = pick(
        rng, (f"each unit is kept with probability {keep}", f"each unit is dropped with probability {drop}")
    )
    return (
        f"In the original dropout method, {said} and nothing is rescaled during training. "
        "By what factor must the activations be multiplied at test time?"
    )


STYLES: tuple[Callable[[random.Random], str], ...] = (exam, terse, latex, framework, positions, factor)


def practice_question(rng: random.Random) -> str:
    """One question in one of the `STYLES`, its numbers drawn from `rng`."""
    return pick(rng, STYLES)(rng)
