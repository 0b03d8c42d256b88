"""An initialization question read into an `InitProblem`: scheme, distribution, nonlinearity, fans, asked."""

from __future__ import annotations

import math
import re

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.initialization_layer import Layer, prepare, read_layer
from solvers.initialization_problem import GAINS, Distribution, InitProblem, Scheme

_SCHEMES = (
    (Scheme.XAVIER, re.compile(r"xavier|glorot")),
    (Scheme.HE, re.compile(r"kaiming|\bmsra\b|\bhe[_-]?(?:normal|uniform)|\bhe[_-]init|\bhe\s+et\s+al")),
    (Scheme.LECUN, re.compile(r"le\s?cun")),
)
# "He" as a name: capitalised, followed by a word that makes it an initialization scheme
_HE_NAME = re.compile(
    r"\bHe\b(?=[\s_-]*(?:et al|init|normal|uniform|\(|scheme|method|weight|'s|and|or|vs|,|/|\)|"
    r"initiali[sz]|rule|formula|std|standard deviation|variance|bound|limit|\?))"
)
_INIT_WORDS = re.compile(
    r"initiali[sz]|\binit\b|_init|initializer|weights? (?:are|is) (?:drawn|sampled)|draw\w* the weights|"
    r"sampl\w+ (?:the )?weights|kernel_initializer|reset_parameters"
)
_DEFAULT = re.compile(r"\bdefault\b|out of the box|without (?:specifying|an explicit)")
_PYTORCH = re.compile(r"pytorch|torch|\bnn\.")
_KERAS = re.compile(r"keras|tensorflow|\btf\.|kernel_initializer")

# Keras class names glue the scheme to the distribution: HeUniform, GlorotNormal, LecunUniform.
_UNIFORM = re.compile(r"(?<![a-z])uniform(?![a-z])|(?:he|glorot|lecun)uniform|\bu\s*\(\s*-|\bu\s*\[\s*-")
_NORMAL = re.compile(r"(?<![a-z])normal(?![a-z])|(?:he|glorot|lecun)normal|gaussian|\bn\s*\(\s*0\s*,")

_NONLINEARITY = (
    ("leaky_relu", re.compile(r"leaky[\s_-]?relu|leaky rectif")),
    ("relu", re.compile(r"(?<!leaky )(?<!leaky_)(?<!leaky-)\brelu\b|rectified linear")),
    ("tanh", re.compile(r"\btanh\b|hyperbolic tangent")),
    ("sigmoid", re.compile(r"\bsigmoid|logistic")),
    ("selu", re.compile(r"\bselu\b")),
    (
        "linear",
        re.compile(r"nonlinearity\s*=\s*'linear'|\blinear activation|\bidentity activation|no activation"),
    ),
)
_SLOPE = re.compile(
    r"(?:negative[\s_]slope|slope|alpha)\s*(?:=|of|:|is)?\s*(\d*\.\d+|\d+)|\ba\s*=\s*(\d*\.\d+|\d+)"
)
_GAIN = re.compile(r"gain\s*(?:=|of|:|is)\s*(\d*\.\d+|\d+|√\s*2|sqrt\(\s*2\s*\))")
_CALCULATE_GAIN = re.compile(r"calculate_gain\(\s*['\"](\w+)['\"]")
_MODE = re.compile(
    r"mode\s*=\s*['\"](fan_in|fan_out)['\"]|(fan[\s_-]?in|fan[\s_-]?out)\s+mode|mode\s+(fan[\s_-]?in|fan[\s_-]?out)"
)

_ASKED = (
    (
        "limit",
        re.compile(
            r"\blimits?\b|\bbounds?\b|\brange\b|\binterval\b|\bu\s*\(\s*-\s*a|boundar|\ba\s*=\s*\?|"
            r"between\s+-\s*a\b|\bvalue of a\b|maximum (?:absolute )?value"
        ),
    ),
    ("std", re.compile(r"standard deviation|\bstd\b|\bstddev\b|σ(?!\^)|\bsigma\b(?!\^)|std\.?\s*dev")),
    ("variance", re.compile(r"\bvariance|\bvar\b|\bvar\s*\(|σ\^2|sigma\^2|sigma squared")),
    (
        "fan_in",
        re.compile(
            r"(?:what|compute|find|calculate|determine|give)\b[^.?]*\bfan[\s_-]?in\b(?!\s*(?:=|of|is)\s*\d)"
        ),
    ),
    (
        "fan_out",
        re.compile(
            r"(?:what|compute|find|calculate|determine|give)\b[^.?]*\bfan[\s_-]?out\b(?!\s*(?:=|of|is)\s*\d)"
        ),
    ),
)
_QUESTION_START = re.compile(
    r"^(?:what|which|compute|calculate|find|give|determine|derive|state|write|show|how|report|estimate|"
    r"evaluate|work out|obtain|list|provide)\b"
)


def question_sentences(t: str) -> str:
    """The sentences that ask (a `?`, or an imperative opening); the whole text when none does."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[a-z(])|\n+", t) if s.strip()]
    asking = [s for s in sentences if "?" in s or _QUESTION_START.match(s)]
    return " ".join(asking) if asking else t


def _framework(t: str) -> str:
    if _KERAS.search(t):
        return "keras"
    return "pytorch" if _PYTORCH.search(t) else ""


def _schemes(text: str, t: str) -> list[tuple[int, Scheme]]:
    found: dict[Scheme, int] = {}
    for scheme, pattern in _SCHEMES:
        match = pattern.search(t)
        if match is not None:
            found[scheme] = match.start()
    he = _HE_NAME.search(text)
    if he is not None:
        found[Scheme.HE] = min(found.get(Scheme.HE, he.start()), he.start())
    return sorted((start, scheme) for scheme, start in found.items())


def _nonlinearity(t: str) -> tuple[str, bool, float | None]:
    hits = [(m.start(), name) for name, pattern in _NONLINEARITY if (m := pattern.search(t))]
    coded = re.search(r"nonlinearity\s*=\s*['\"](\w+)['\"]", t)
    if coded is not None:
        hits = [(-1, coded.group(1))]
    if not hits:
        return "relu", False, None
    name = min(hits)[1]
    slope = None
    if name == "leaky_relu":
        match = _SLOPE.search(t)
        slope = float(next(g for g in match.groups() if g is not None)) if match else 0.01
    return name, True, slope


def _explicit_gain(t: str) -> float | None:
    coded = _CALCULATE_GAIN.search(t)
    if coded is not None:
        return GAINS.get(coded.group(1))
    match = _GAIN.search(t)
    if match is None:
        return None
    value = match.group(1)
    return math.sqrt(2.0) if "2" in value and ("√" in value or "sqrt" in value) else float(value)


def _asked(t: str) -> list[str]:
    ask = question_sentences(t)
    hits = [(m.start(), name) for name, pattern in _ASKED if (m := pattern.search(ask))]
    return [name for _, name in sorted(hits)]


def _distribution(t: str) -> Distribution | None:
    uniform, normal = bool(_UNIFORM.search(t)), bool(_NORMAL.search(t))
    if uniform and not normal:
        return Distribution.UNIFORM
    if normal and not uniform:
        return Distribution.NORMAL
    return None


def is_initialization_text(text: str) -> bool:
    t = prepare(text)
    framework_default = _DEFAULT.search(t) and re.search(r"\bweights?\b|\bbias", t) and _framework(t)
    return bool(_INIT_WORDS.search(t) or _schemes(text, t) or framework_default)


def _scheme_choice(
    text: str, t: str, framework: str, nonlinearity: str, stated: bool
) -> tuple[list[Scheme], str]:
    named = [s for _, s in _schemes(text, t)]
    if named:
        return named, "named"
    if _DEFAULT.search(t) and framework == "pytorch":
        return [Scheme.TORCH_DEFAULT], "framework"
    if _DEFAULT.search(t) and framework == "keras":
        return [Scheme.XAVIER], "framework"
    if re.search(r"nn\.(?:linear|conv[123]d)\(", t) and not stated:
        return [Scheme.TORCH_DEFAULT], "framework"
    if stated and _INIT_WORDS.search(t):
        by_activation = {"relu": Scheme.HE, "leaky_relu": Scheme.HE, "tanh": Scheme.XAVIER}
        by_activation |= {"sigmoid": Scheme.XAVIER, "selu": Scheme.LECUN}
        if nonlinearity in by_activation:
            return [by_activation[nonlinearity]], "activation"
    return [], ""


def _check_fans(layer: Layer, schemes: list[Scheme], mode: str, suggestions: list[str]) -> None:
    if any(fan is not None and fan <= 0 for fan in (layer.fan_in, layer.fan_out)):
        raise InvalidQuestion("a layer needs at least one input and one output (its fans must be positive)")
    if layer.conv and (layer.units_in is None or layer.units_out is None) and layer.fan_in is None:
        missing = "the number of input channels" if layer.units_in is None else "the number of filters"
        if layer.units_in is None and layer.units_out is None:
            missing = "the numbers of input channels and filters"
        raise NotUnderstood(
            f"the question gives the kernel size but not {missing}: a convolution's fan-in is "
            "c_in · k_h · k_w and its fan-out c_out · k_h · k_w",
            suggestions,
        )
    needs_in = any(s in (Scheme.XAVIER, Scheme.TORCH_DEFAULT) for s in schemes) or mode == "fan_in"
    needs_out = Scheme.XAVIER in schemes or (
        mode == "fan_out" and any(s in (Scheme.HE, Scheme.LECUN) for s in schemes)
    )
    if layer.fan_in is None and layer.fan_out is None:
        raise NotUnderstood(
            "the layer's size is missing: give its inputs and outputs (e.g. '256 inputs and 128 outputs', "
            "'fan_in = 256', 'nn.Linear(256, 128)' or a 3×3 convolution with 64 input and 128 output "
            "channels)",
            suggestions,
        )
    if needs_in and layer.fan_in is None:
        raise NotUnderstood("the fan-in (number of inputs to the layer) is missing", suggestions)
    if needs_out and layer.fan_out is None:
        why = (
            "Xavier initialization averages fan-in and fan-out"
            if Scheme.XAVIER in schemes
            else "mode is fan_out"
        )
        raise NotUnderstood(f"the fan-out (number of outputs of the layer) is missing: {why}", suggestions)


def _default_quantity(distribution: Distribution | None) -> str:
    if distribution is Distribution.UNIFORM:
        return "limit"
    return "std" if distribution is Distribution.NORMAL else "variance"


def read_problem(text: str, suggestions: list[str]) -> InitProblem:
    t = prepare(text)
    framework = _framework(t)
    nonlinearity, stated, slope = _nonlinearity(t)
    schemes, source = _scheme_choice(text, t, framework, nonlinearity, stated)
    if not schemes:
        raise NotUnderstood(
            "name the initialization scheme (Xavier/Glorot, He/Kaiming, LeCun or a framework's default), "
            "or the activation it is chosen for",
            suggestions,
        )
    mode_match = _MODE.search(t)
    mode = "fan_in"
    if mode_match is not None:
        mode = "fan_out" if "out" in next(g for g in mode_match.groups() if g) else "fan_in"
    layer = read_layer(t, framework)
    _check_fans(layer, schemes, mode, suggestions)
    distribution = _distribution(t)
    if Scheme.TORCH_DEFAULT in schemes or (source == "framework" and framework == "keras"):
        distribution = Distribution.UNIFORM
    asked = _asked(t)
    if "bias" in question_sentences(t) and Scheme.TORCH_DEFAULT in schemes:
        asked.append("bias_limit")
    if not [q for q in asked if q not in ("fan_in", "fan_out")]:
        asked = asked or [_default_quantity(distribution)]
    if "limit" in asked and distribution is Distribution.NORMAL:
        raise InvalidQuestion(
            "a normal distribution has no limit: ask for its standard deviation or variance, or use the "
            "uniform version of the scheme"
        )
    return InitProblem(
        schemes=tuple(schemes),
        scheme_source=source,
        distribution=distribution,
        mode=mode,
        mode_stated=mode_match is not None,
        fan_in=layer.fan_in,
        fan_out=layer.fan_out,
        receptive=layer.receptive,
        units_in=layer.units_in,
        units_out=layer.units_out,
        conv=layer.conv,
        nonlinearity=nonlinearity,
        nonlinearity_stated=stated,
        slope=slope,
        explicit_gain=_explicit_gain(t),
        asked=tuple(dict.fromkeys(asked)),
        framework=framework,
        layout_assumed=layer.layout_assumed,
        layout_other=layer.layout_other,
        described=layer.described,
    )
