"""Reading a vanishing/exploding-gradient question: activation, derivative or pre-activation, weights,
depth, threshold, upstream gradient, and what is asked."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import find_arrays
from solvers.numbers import NUMBER_PATTERN, find_numbers, format_number, parse_number
from solvers.optimizer_asked import asking_text
from solvers.optimizer_text import WORD_NUMBER, count_of, link, prepare, scalar_named, word_number
from solvers.tables import Table, find_tables

EXAMPLES = [
    "A network has 10 layers with sigmoid activations. Using the maximum sigmoid derivative, by what factor "
    "is "
    "the gradient multiplied when it reaches the first layer?",
    "With σ'(z) ≤ 0.25 per layer, after how many layers does the gradient fall below 1e-6?",
]

ACTIVATIONS = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "linear": 1.0}  # the largest derivative of each


@dataclass(frozen=True)
class VanishingProblem:
    activation: str | None
    derivative: float | None  # σ'(z) per layer, when one value holds for every layer
    derivative_given: bool  # False: the activation's maximum is assumed
    z: float | None  # the pre-activation, when σ'(z) is to be worked out
    factors: tuple[float, ...]  # per-layer derivatives given one by one
    weight: float  # |w| per layer (1 when none is given)
    weights: tuple[float, ...]  # per-layer weights given one by one
    layers: int | None
    threshold: float | None
    above: bool  # the threshold is one to exceed (exploding)
    upstream: float | None
    asked: tuple[str, ...]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def activation_derivative(name: str, z: float) -> float:
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1 - s)
    if name == "tanh":
        return 1 - math.tanh(z) ** 2
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    return 1.0


def activation_value(name: str, z: float) -> float:
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return math.tanh(z)
    return max(z, 0.0) if name == "relu" else z


_ACTIVATION = (
    ("sigmoid", r"sigmoid|logistic|σ\s*\(|σ'|σ′"),
    ("tanh", r"\btanh\b|hyperbolic\s+tangent"),
    ("relu", r"\brelu\b|rectified\s+linear"),
    ("linear", r"\blinear\s+activation|\bidentity\s+activation|\b(?:activations?\s+(?:are|is)\s+)?linear\b"),
)
_DERIVATIVE = (
    r"(?:activation\s+|local\s+)?derivatives?(?:\s+of\s+(?:the\s+)?(?:sigmoid|tanh|activation)(?:\s+function)?)?"
    r"|σ'\s*(?:\(\s*z\w*\s*\))?|σ′\s*(?:\(\s*z\w*\s*\))?|sigmoid'\s*(?:\(\s*z\w*\s*\))?|f'\s*(?:\(\s*z\w*\s*\))?"
    r"|slope|local\s+gradients?|tanh'\s*(?:\(\s*z\w*\s*\))?"
)
_DERIVATIVE_LINK = (
    r"(?:\s*(?:[=:≈≤]|<=|\b(?:is|of|are|equals?|at\s+most|at\s+its\s+maximum\s+of|equal\s+to|maximum(?:\s+of)?"
    r"|max(?:imum)?\s+value(?:\s+of)?|bounded\s+by|only|about|value)\b))*\s*"
)
_PER_LAYER = re.compile(
    rf"(?:multipl(?:y|ies|ied)|scales?|scaled)\s+(?:the\s+)?(?:[\w-]+\s+)?gradients?\s+by\s+(?:a\s+factor\s+of\s+)?"
    rf"({NUMBER_PATTERN})"
    rf"|\|\s*w\s*[·*]?\s*σ'?\S*\s*\|\s*=\s*({NUMBER_PATTERN})|per[\s-]layer\s+factor\s+(?:of\s+|=\s*|is\s+)?({NUMBER_PATTERN})"
    rf"|factor\s+of\s+({NUMBER_PATTERN})\s+per\s+layer",
    re.IGNORECASE,
)
_Z = (
    r"pre-?activations?|z(?:_\w+)?|inputs?\s+to\s+(?:the\s+|each\s+)?(?:sigmoid|tanh|activation)"
    r"|net\s+inputs?"
)
_WEIGHT = (
    r"(?:recurrent\s+|each\s+|every\s+|all\s+(?:the\s+)?)?weights?(?:\s+matrix)?(?:\s+values?)?|\|w\||(?-i:w)"
    r"|weight\s+magnitude"
    r"|(?:recurrent\s+)?weights?\s+of\s+(?:the\s+|a\s+|an\s+|each\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:rnn|network|layer|neuron|unit|connection)s?"  # "the recurrent weight of a vanilla RNN is 0.5"
)
_WEIGHT_LINK = (
    r"(?:\s*(?:all|each|every)\b)?" + link(r"(?-i:w)|\|w\|") + r"(?:(?:all|each)\s+)?"
)  # "are all 0.9"
_Z_LINK = r"(?:\s*(?:all|every|each|always)\b)?" + link(r"z\w*")  # "pre-activations all equal to 0"
_DEPTH = re.compile(
    r"(\d{1,4})[\s-]*(?:hidden\s+)?layers?\b|(\d{1,4})\s+(?:time[\s-]?steps|steps\s+back|timesteps)"
    r"|\b(?:(?-i:L)|depth|n_layers|num_layers)\s*(?:=|of|is)\s*(\d{1,4})\b|\bover\s+(\d{1,4})\s+(?:layers|time)",
    re.IGNORECASE,
)
_BELOW = re.compile(
    rf"(?:below|under|less\s+than|smaller\s+than|lower\s+than|<)\s*({NUMBER_PATTERN})", re.IGNORECASE
)
_ABOVE = re.compile(
    rf"(?:exceeds?|above|greater\s+than|larger\s+than|more\s+than|bigger\s+than|>)\s*({NUMBER_PATTERN})",
    re.IGNORECASE,
)
_UPSTREAM_VALUE = re.compile(  # "a gradient of 1.0 at the output"
    rf"gradient\s+of\s+({NUMBER_PATTERN})\s+(?:at|arrives\s+at|arriving\s+at|from|reaching)\s+the\s+"
    r"(?:output|last|top|final)",
    re.IGNORECASE,
)
_REDUCED = re.compile(  # "reduced by a factor of at least 1000": below 1/1000
    rf"(?:reduced|shrunk|shrinks?|decreases?|decreased|drops?|dropped|diminishe[sd])\s+by\s+(?:a\s+factor\s+of\s+)?"
    rf"(?:at\s+least\s+|more\s+than\s+)?({NUMBER_PATTERN})",
    re.IGNORECASE,
)
_UPSTREAM = (
    r"(?:upstream|incoming|output|initial)\s+gradient|gradient\s+(?:at|of|arriving\s+at)\s+the\s+(?:output|last|top|final)"
    r"(?:\s+layer)?|∂L\s*/\s*∂a_?\{?L\}?|δ_?\{?L\}?|error\s+at\s+the\s+output"
)

_ASKED: tuple[tuple[str, str], ...] = (
    (
        "layers",
        r"how\s+many\s+(?:(?:sigmoid|tanh|relu|hidden|dense|recurrent|more)\s+)?(?:layers|time[\s-]?steps|steps)"
        r"|after\s+which\s+layer|number\s+of\s+layers|which\s+depth",
    ),
    (
        "behaviour",
        r"vanish\w*\s+or\s+explod\w*|explod\w*\s+or\s+vanish\w*|does\s+(?:it|the\s+gradient)\s+(?:vanish|explode)",
    ),
    ("per_layer", r"per[\s-]layer\s+factor|what\s+(?:does\s+)?each\s+layer\s+multipl|factor\s+per\s+layer"),
    (
        "gradient",
        r"gradient\s+(?:at|of|reaching|that\s+reaches|reaches|arriving\s+at)\s+(?:the\s+)?(?:first|input|bottom|earliest)"
        r"|what\s+gradient",
    ),
    (
        "factor",
        r"factor|product|scal\w*|how\s+small|how\s+large|fraction|shrink|multipl|magnitude|how\s+much",
    ),
)


def _activation(text: str) -> str | None:
    for name, pattern in _ACTIVATION:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    return None


_WORDED_DEPTH = re.compile(
    rf"\b({WORD_NUMBER})\s+(?:(?:sigmoid|tanh|relu|linear|hidden|dense|recurrent|stacked)\s+){{0,2}}"
    r"(?:layers|time[\s-]?steps|timesteps)\b",
    re.IGNORECASE,
)


def _depth(text: str) -> int | None:
    match = _DEPTH.search(text)
    if match is not None:
        return int(next(g for g in match.groups() if g))
    worded = _WORDED_DEPTH.search(text)
    if worded is not None:
        return word_number(worded.group(1))
    return count_of(text, r"layers?|time[\s-]?steps?|timesteps")


def _column(table: Table, words: str) -> tuple[float, ...]:
    header = [h.lower() for h in table.header]
    values = table.values
    offset = len(header) - len(values[0]) if header else 0
    for i, h in enumerate(header):
        if re.search(words, h) and 0 <= i - offset < len(values[0]):
            return tuple(row[i - offset] for row in values)
    return ()


def _table_columns(tables: list[Table]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-layer weights and derivatives from a table whose header names them."""
    for table in tables:
        derivatives = _column(table, r"deriv|σ'|slope|grad|f'")
        if derivatives:
            return _column(table, r"weight|^w"), derivatives
    return (), ()


_LIST_LABEL = re.compile(r"weights?|derivatives?|σ'|σ′|slopes?|local\s+gradients?", re.IGNORECASE)


def _listed(text: str, words: str) -> tuple[float, ...]:
    for array in find_arrays(text):
        labels = _LIST_LABEL.findall(array.context)  # the nearest label names the list
        if labels and re.search(words, labels[-1], re.IGNORECASE) and not array.is_matrix:
            return tuple(array.flat)
    match = (
        re.search(  # "the derivatives are 0.2, 0.25 and 0.1", "weights 2, 3 and 4" (not "0.25 and 10 layers")
            rf"(?:{words})\w*\s+(?:\w+\s+){{0,4}}(?:(?:are|is|=|:)\s*)?"
            rf"((?:{NUMBER_PATTERN}(?!\d|\.\d)\s*(?:,|and)?\s*){{2,}})"
            r"(?!\s*-?\s*(?:hidden\s+)?(?:layers?|time|steps))",
            text,
            re.IGNORECASE,
        )
    )
    if match is not None:
        values = tuple(n.value for n, _, _ in find_numbers(match.group(1)))
        if len(values) >= 2:
            return values
    return ()


def _asking(text: str) -> str:
    """The whole sentences that ask (a question mark or an imperative verb)."""
    sentences = re.split(r"(?<=[?!])\s+|(?<=\.)\s+(?=[A-Z(])|\n+", text)
    asking = [
        s
        for s in sentences
        if "?" in s or re.match(r"\s*(?:compute|calculate|find|give|determine|what|how)", s, re.I)
    ]
    return " \n ".join(asking) if asking else asking_text(text)


def _asked(text: str) -> tuple[str, ...]:
    asking = _asking(text)
    spots = []
    for name, pattern in _ASKED:
        match = re.search(pattern, asking, re.IGNORECASE)
        if match is not None:
            spots.append((match.start(), name))
    names = [n for _, n in sorted(spots)]
    if "layers" in names and "factor" in names and not re.search(r"\b(?:and|also)\b", asking, re.I):
        names.remove("factor")  # "by what factor … after how many layers": the count is asked
    if names[:2] == ["factor", "gradient"] and not re.search(r"\b(?:and|also)\b", asking, re.I):
        names.remove("gradient")  # "the factor by which the gradient reaching the first layer is scaled"
    return tuple(names) or ("factor",)


def read_problem(text: str) -> VanishingProblem:
    text = prepare(text)
    if not find_numbers(text):
        raise NotUnderstood(
            "the question gives no numbers: give the depth and the per-layer derivative", EXAMPLES
        )
    activation = _activation(text)
    weights_table, factors_table = _table_columns(find_tables(text))
    factors = factors_table or _listed(text, r"derivative|σ'|σ′|slope|local\s+gradient")
    weights = weights_table or _listed(text, r"weights")
    given_weight = bool(weights)
    per_layer = _PER_LAYER.search(text)
    derivative = scalar_named(text, _DERIVATIVE, None, _DERIVATIVE_LINK) if not factors else None
    z = scalar_named(text, _Z, None, _Z_LINK) if derivative is None and not factors else None
    weight = 1.0
    if not weights:
        found = scalar_named(text, _WEIGHT, None, _WEIGHT_LINK)
        weight = abs(found) if found is not None else 1.0
        given_weight = found is not None
    if per_layer is not None and derivative is None and not factors:
        written = parse_number(next(g for g in per_layer.groups() if g))
        derivative = None if written is None else written.value
        activation = activation or "linear"
    layers = _depth(text)
    if factors and layers is None:
        layers = len(factors)
    if derivative is None and z is None and not factors and activation is None:
        raise NotUnderstood(
            "the activation (sigmoid, tanh, ReLU) or its derivative per layer is not given", EXAMPLES
        )
    if derivative is None and z is None and not factors and activation != "sigmoid" and not given_weight:
        raise NotUnderstood(  # a linear or ReLU path with no weight: nothing shrinks or grows
            f"the weight per layer is not given: with {activation} activations the gradient is scaled by the "
            "weights alone",
            EXAMPLES,
        )
    derivative_given = derivative is not None or bool(factors)
    asked = _asked(text)
    threshold, above = _threshold(text, "layers" in asked)
    if "layers" in asked and threshold is None:
        raise NotUnderstood(
            "the threshold the gradient must cross (e.g. 'below 1e-6') is not given", EXAMPLES
        )
    if "layers" not in asked and layers is None:
        raise NotUnderstood("the number of layers (or time steps) is not given", EXAMPLES)
    if weights and layers is not None and len(weights) != layers and not factors:
        layers = len(weights)
    problem = VanishingProblem(
        activation=activation,
        derivative=derivative,
        derivative_given=derivative_given,
        z=z,
        factors=factors,
        weight=weight,
        weights=tuple(abs(w) for w in weights),
        layers=layers,
        threshold=threshold,
        above=above,
        upstream=_upstream(text),
        asked=asked,
    )
    if problem.upstream is not None and "factor" in asked and "gradient" not in asked:
        problem = replace(problem, asked=tuple("gradient" if a == "factor" else a for a in asked))
    return _checked(problem)


def _threshold(text: str, counting: bool) -> tuple[float | None, bool]:
    """The value the gradient must fall below (or exceed), and whether it is one to exceed: in the asking
    sentences ("the derivative never exceeds 0.25" is no threshold), or anywhere when a count is asked."""
    for where in (_asking(text), text) if counting else (_asking(text),):
        below, above = _BELOW.search(where), _ABOVE.search(where)
        found = below or above
        if found is not None:
            number = parse_number(found.group(1))
            if number is not None:
                return number.value, above is not None and (below is None or above.start() < below.start())
        reduced = _REDUCED.search(where)
        if reduced is not None:
            number = parse_number(reduced.group(1))
            if number is not None and number.value > 1:
                return 1 / number.value, False
    return None, False


def _upstream(text: str) -> float | None:
    found = _UPSTREAM_VALUE.search(text)
    number = None if found is None else parse_number(found.group(1))
    return number.value if number is not None else scalar_named(text, _UPSTREAM, None)


def _checked(problem: VanishingProblem) -> VanishingProblem:
    numbers = (problem.derivative, problem.z, problem.weight, problem.threshold, problem.upstream)
    if any(x is not None and not math.isfinite(x) for x in (*numbers, *problem.factors, *problem.weights)):
        raise InvalidQuestion("every number in the question must be finite")
    if problem.layers is not None and not 1 <= problem.layers <= 10_000:
        raise InvalidQuestion(f"{problem.layers} layers: between 1 and 10000 are worked out")
    if problem.threshold is not None and problem.threshold <= 0:
        raise InvalidQuestion(f"the threshold {format_number(problem.threshold)} must be positive")
    if problem.derivative is not None and problem.derivative < 0:
        raise InvalidQuestion("a derivative magnitude cannot be negative")
    return problem


def mentions_depth_and_derivative(text: str) -> tuple[bool, bool]:
    depth = _depth(text)
    per_layer = len(_listed(text, r"derivative|σ'|σ′|slope|local\s+gradient")) > 1  # one per layer
    has_depth = (
        (depth is not None and depth > 1)
        or per_layer
        or bool(
            re.search(
                r"how\s+many\s+(?:(?:sigmoid|tanh|relu|hidden|dense|recurrent|more)\s+)?(?:layers|time)",
                text,
                re.I,
            )
        )
    )
    has_derivative = bool(
        _activation(text)
        or re.search(
            r"derivative|σ'|slope|(?:multipl|scal)\w*\s+(?:the\s+)?(?:[\w-]+\s+)?gradient", text, re.I
        )
    )
    return has_depth, has_derivative
