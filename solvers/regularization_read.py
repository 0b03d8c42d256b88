"""Reading a norm-penalty question: which penalty, its strength and convention, the weights, what is asked."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import Array, find_arrays
from solvers.numbers import NUMBER_PATTERN, find_numbers, format_number, parse_number
from solvers.optimizer_asked import asking_text
from solvers.optimizer_read import flat, number_run, read_gradients, shape_of
from solvers.optimizer_text import Found, find_named, link, prepare, scalar_named
from solvers.regularization_asked import ALL_PARTS, ASKED_PATTERNS, asked_parts, default_asked
from solvers.regularization_problem import Penalty, RegularizationProblem, Rules, Vec, evaluate

EXAMPLES = [
    "Compute the L2 penalty λΣw² for w = [0.5, -1.0, 2.0] with λ = 0.1.",
    (
        "With L1 regularization (λ = 0.1), learning rate 0.5 and data gradient [0.2, -0.4], update w = [1.0, "
        "-0.5]."
    ),
]

_L1 = re.compile(
    r"\bl\s*_?1\b(?!\s*_?ratio)|\blasso\b|absolute\s+values?\s+of\s+the\s+weights|sparsity[\s-]inducing", re.I
)
_L2 = re.compile(
    r"\bl\s*_?2\b|\bridge\b|weight[\s_-]+decay|tikhonov|squared\s+(?:weights|norm|l2)|frobenius", re.I
)
_ELASTIC = re.compile(
    r"elastic[\s-]*net|l1[\s_-]*ratio|\bλ_?\{?1\}?\b.*\bλ_?\{?2\}?\b|\blambda_?1\b", re.I | re.S
)
_DECAY = re.compile(r"weight[\s_-]+decay", re.I)
_PROX = re.compile(r"proximal|soft[\s-]?threshold|\bista\b|shrinkage\s+operator", re.I)
_BARE_PROX = re.compile(
    r"soft[\s-]?threshold|shrinkage\s+operator|\bprox(?:imal)?\s+(?:operator|mapping)|\bS_", re.I
)
_BOTH_PENALTIES = re.compile(r"\bl1\b[^.?]{0,40}\bl2\b|\bl2\b[^.?]{0,40}\bl1\b", re.I)
_NORM = re.compile(r"\bnorm\b|\|\|", re.I)
_REGULARIZATION = re.compile(
    r"regulari[sz]|penalt|weight[\s_-]+decay|lasso|ridge|elastic|soft[\s-]?thresh|proximal", re.I
)

_WEIGHTS = (
    r"weights?(?:\s+vector)?|(?-i:w|W|x|v|z)|θ|theta|parameters?(?:\s+vector)?|coefficients?|coef_?"
    r"|vector(?:\s+(?-i:w|v|x|z))?"
)
# Names that are the weights only when a vector or matrix follows (β is also a momentum or Adam constant).
_ARRAY_WEIGHTS = r"β|beta|kernel(?:\s+with)?|weight\s+matrix(?:\s+with)?|coefficient\s+vector"
_KERAS = re.compile(rf"\bl([12])\s*\(\s*(?:l[12]\s*=\s*)?({NUMBER_PATTERN})\s*\)", re.I)
_BIAS = r"bias(?:\s+term)?|(?-i:b)|intercept"
_LAMBDA = (
    r"λ|lambda|regulari[sz]ation\s+(?:strength|parameter|coefficient|constant|rate|weight|hyperparameter)"
    r"|penalty\s+(?:strength|coefficient|weight|parameter)|weight[\s_-]+decay(?:\s+(?:coefficient|rate|factor"
    r"|parameter|strength))?|wd|strength|reg(?:ularization)?\s+strength"
)
_LAMBDA1 = r"λ_?\{?1\}?|lambda_?1|l1\s+(?:strength|coefficient|weight|penalty\s+strength)"
_LAMBDA2 = r"λ_?\{?2\}?|lambda_?2|l2\s+(?:strength|coefficient|weight|penalty\s+strength)"
_ALPHA = r"α|alpha"
_RATIO = r"l1[\s_-]*ratio|ρ|rho|mixing\s+(?:parameter|ratio)"
_LR = r"learning[\s_-]+rates?|lr|η|eta|step[\s_-]*sizes?"
_LOSS_NAME = (
    r"(?:data|unregulari[sz]ed|original|training|base|empirical|prediction|cross[\s-]?entropy|mse|"
    r"squared[\s-]error|data[\s-]fit)\s+(?:loss|error|term|cost)|L_?\{?(?:data|0|D|emp)\}?|(?<!total\s)(?<!regularized\s)"
    r"(?<!regularised\s)\bloss(?:\s+value)?(?:\s+(?:without|before)\s+(?:the\s+)?(?:regulari[sz]ation|penalty))?"
)
# whose loss it is, between the name and its value: "the data loss of a model is 0.35"
_LOSS = (
    rf"(?:{_LOSS_NAME})(?:\s+(?:of|for|on)\s+(?:the|a|an|this|our|my)\s+(?:\w+\s+)?"
    r"(?:model|network|net|classifier|regressor|batch|example|sample|dataset))?"
)

_THRESHOLD = r"threshold(?:\s+(?:t|τ|λ))?|τ|tau"
_ZERO_GRADIENT = re.compile(
    r"(?:data|loss)\s+gradient\s+(?:is\s+)?(?:zero|0\b)|ignor\w+\s+(?:the\s+)?(?:data\s+)?loss|only\s+(?:the\s+)?"
    r"(?:penalty|regulari[sz]ation|weight\s+decay)|zero\s+(?:data|loss)\s+gradient|loss\s+gradient\s+of\s+zero",
    re.I,
)

_NORM_NAMES = re.compile(r"\bl\s*_?\{?[0-2∞]\}?[\s-]*norms?\b(?!\s+(?:penalty|regulari))", re.I)


_L1_FORMULA = re.compile(
    r"(?:λ|α|lambda|alpha)\S{0,4}\s*[·*]?\s*(?:\|\|\s*\w+\s*\|\|_?\{?1\}?(?![\d^])|[Σ∑]\s*_?\S{0,4}\s*\|"
    r"|\|\s*(?:w|θ)(?:_\w+)?\s*\|(?!\|))"  # a single weight: λ|w|
)
_L2_FORMULA = re.compile(
    r"(?:λ|α|lambda|alpha)\S{0,8}\s*[·*]?\s*(?:\|\|\s*\w+\s*\|\|(?:_?\{?(?:2|F)\}?)?\s*\^\s*\{?2|[Σ∑]\s*_?\S{0,6}?\s*\w+\^2"
    r"|sum\(\s*\w+\^2|(?:w|θ)(?:_\w+)?\s*\^\s*\{?2(?!\d))"  # a single weight: (λ/2) w²
)


def _penalty(text: str) -> Penalty:
    text = _NORM_NAMES.sub(" ", text)
    if _ELASTIC.search(text):
        return Penalty.ELASTIC
    l1 = bool(_L1.search(text) or _L1_FORMULA.search(text))
    l2 = bool(_L2.search(text) or _L2_FORMULA.search(text))
    if l1 and l2:
        return Penalty.BOTH if _BOTH_PENALTIES.search(text) else Penalty.ELASTIC
    if l1:
        return Penalty.L1
    if l2:
        return Penalty.L2
    if _PROX.search(text):
        return Penalty.L1
    return Penalty.NONE


def l2_factor(text: str) -> tuple[float, bool, str | None]:
    """c in c·λ‖w‖² as written (λ/2, ½λ, λ/(2m), 2λw, λw), whether it is written, and a note."""
    lam = r"(?:λ|α|lambda|alpha)(?:_?\{?[12]\}?)?"
    per_n = re.search(rf"{lam}\s*/\s*\(?\s*2\s*([mnN])\s*\)?|\(?{lam}\)?\s*/\s*\(2\s*([mnN])\)", text)
    if per_n:
        symbol = per_n.group(1) or per_n.group(2)
        n = scalar_named(text, rf"(?-i:{symbol})|number\s+of\s+(?:training\s+)?(?:examples|samples)")
        if n is None or n <= 0:
            raise NotUnderstood(
                f"the penalty is divided by 2{symbol}, but {symbol} (the number of examples) is not given"
            )
        return 1 / (2 * n), True, f"the penalty is (λ/2{symbol})‖w‖² with {symbol} = {format_number(n)}"
    if re.search(
        rf"\(?{lam}\)?\s*/\s*\(?2\)?|(?:1/2|0\.5|\(1\)/\(2\))\s*[·*]?\s*{lam}|\+\s*{lam}\s*[·*]?\s*w\b(?!\s*\^)"
        rf"|1\s*-\s*η\s*{lam}|{lam}\s*[·*]?\s*w_?\w?\s*\)",
        text,
    ):
        return 0.5, True, None
    if keras_form(text) or re.search(
        rf"2\s*[·*]?\s*{lam}\s*[·*]?\s*w|1\s*-\s*2\s*η\s*{lam}|{lam}\s*[·*]?\s*(?:Σ|∑|\|\||sum|w\^T|w_i\^2|w\^2)",
        text,
    ):
        return 1.0, True, None
    return (0.5 if _DECAY.search(text) else 1.0), False, None


def keras_form(text: str) -> bool:
    """Keras's `l2(0.01)` adds 0.01·Σw² (no ½)."""
    return bool(_KERAS.search(text) or re.search(r"kernel_regularizer|\bkeras\b", text, re.I))


def weights_named(text: str, arrays: list[Array]) -> Found | None:
    between = link(r"(?-i:w|W)|θ")
    for hit in find_named(text, _WEIGHTS, arrays, between):
        before = text[max(0, hit.start - 25) : hit.start].lower()
        if re.search(r"(?:gradient|∇|∂|\bd)\s*(?:of|w\.?r\.?t\.?|with respect to)?\s*(?:the\s+)?$", before):
            continue
        if hit.scalar is not None and re.search(r"(?:weights|coefficients|parameters)\b", hit.text, re.I):
            values, end = number_run(text, hit.end - _value_length(text, hit))
            if len(values) > 1:
                return Found(values, hit.start, end, hit.text)  # "coefficients are 0.5 and -0.25"
        return hit
    for hit in find_named(text, _ARRAY_WEIGHTS, arrays):
        if hit.scalar is None:
            return hit
    return None


def _value_length(text: str, hit: Found) -> int:
    match = re.search(rf"{NUMBER_PATTERN}\s*$", text[hit.start : hit.end])
    return len(match.group(0)) if match else 0


_NORM_LIST = re.compile(  # "the L1 and L2 norms" → "the L1 norm and the L2 norm"
    r"\b(l\s*_?\{?[0-2∞]\}?(?:\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?l\s*_?\{?(?:[0-2∞]|inf(?:inity)?)\}?)+)"
    r"[\s-]+norms\b",
    re.I,
)


def _one_norm_each(text: str) -> str:
    def spell(match: re.Match[str]) -> str:
        names = re.split(r"\s*(?:,\s*(?:and\s+)?|\band\s+)(?:the\s+)?", match.group(1))
        return " and the ".join(f"{name.strip()} norm" for name in names)

    return _NORM_LIST.sub(spell, text)


def read_problem(text: str) -> RegularizationProblem:
    text = _one_norm_each(prepare(text))
    if not find_numbers(text):
        raise NotUnderstood("the question gives no numbers: a penalty needs weights and λ", EXAMPLES)
    arrays = find_arrays(text)
    penalty = _penalty(text)
    found = weights_named(text, arrays)
    asks_factor = bool(re.search(ASKED_PATTERNS["decay_factor"], asking_text(text), re.I))
    if found is None and asks_factor:
        found = Found(1.0, 0, 0, "")  # the shrink factor of weight decay does not depend on w
    if found is None:
        raise NotUnderstood("the weights (w = [...]) are not given", EXAMPLES)
    weights, shape = flat(found.value), shape_of(found.value)
    bias_hit = next((h for h in find_named(text, _BIAS, arrays) if h.start != found.start), None)
    bias = flat(bias_hit.value) if bias_hit is not None else ()
    lam = scalar_named(text, _LAMBDA, arrays, link(r"λ|α"))
    keras = _KERAS.search(text)
    if lam is None and keras is not None and (written := parse_number(keras.group(2))) is not None:
        lam = written.value
    alpha = scalar_named(text, _ALPHA, arrays)
    lam1 = scalar_named(text, _LAMBDA1, arrays)
    lam2 = scalar_named(text, _LAMBDA2, arrays)
    ratio = scalar_named(text, _RATIO, arrays)
    sklearn = penalty is Penalty.ELASTIC and ratio is not None
    if lam is None and alpha is not None and not sklearn:
        lam = alpha
    if penalty is Penalty.ELASTIC and not sklearn and (lam1 is None or lam2 is None):
        raise NotUnderstood("an elastic net needs λ1 and λ2, or α and l1_ratio", EXAMPLES)
    if sklearn and alpha is None:
        alpha = lam
        if alpha is None:
            raise NotUnderstood("the elastic net's α (overall strength) is not given", EXAMPLES)
    if ratio is not None and not 0 <= ratio <= 1:
        raise InvalidQuestion(f"l1_ratio = {format_number(ratio)} is not in [0, 1]")
    threshold = scalar_named(text, _THRESHOLD, arrays) if _PROX.search(text) else None
    if penalty in (Penalty.L1, Penalty.L2, Penalty.BOTH) and lam is None and threshold is None:
        raise NotUnderstood("the regularization strength λ is not given", EXAMPLES)
    for name, value in (("λ", lam), ("λ1", lam1), ("λ2", lam2), ("α", alpha)):
        if value is not None and value < 0:
            raise InvalidQuestion(f"{name} = {format_number(value)} must not be negative")
    lr = scalar_named(text, _LR, arrays, link(_LR))
    gradients, _ = read_gradients(text, arrays)
    data_gradient: Vec | None = None
    if gradients:
        data_gradient = flat(gradients[0])
        if len(data_gradient) != len(weights):
            raise InvalidQuestion(f"the gradient has {len(data_gradient)} entries but w has {len(weights)}")
    elif lr is not None and (_ZERO_GRADIENT.search(text) or asks_factor):
        data_gradient = (0.0,) * len(weights)  # the shrink factor 1 − ηλ does not depend on the data gradient
    proximal = bool(_PROX.search(text)) and penalty in (Penalty.L1, Penalty.ELASTIC)
    if threshold is not None and lam is not None and lr is not None:
        threshold = None  # "soft-threshold at ηλ": the threshold is worked out, not given
    if threshold is None and lam is not None and lr is None and not gradients and _BARE_PROX.search(text):
        threshold = lam  # the proximal operator of λ‖w‖₁ alone is S_λ(w): soft-thresholding at λ
    if lr is not None and data_gradient is None and threshold is None and penalty is not Penalty.NONE:
        if re.search(
            r"updat|new\s+weight|after\s+one|step|soft[\s-]?thresh|proximal", asking_text(text), re.I
        ):
            raise NotUnderstood(
                "the gradient of the data loss is not given (say 'the loss gradient is zero' to apply the "
                "penalty alone)",
                EXAMPLES,
            )
        lr = None
    factor, factor_stated, note = l2_factor(text)
    bias_stated = bool(re.search(r"bias|intercept", text, re.I)) and bool(
        re.search(
            r"(?:not|n't|never|excluding|except|without)\b[^.]{0,40}(?:bias|intercept)|(?:bias|intercept)"
            r"[^.]{0,40}(?:not|n't|never|excluded|unregulari[sz]ed)|including\s+the\s+(?:bias|intercept)"
            r"|(?:bias|intercept)[^.]{0,30}(?:also|too|as\s+well)\s+(?:regulari[sz]ed|penali[sz]ed)",
            text,
            re.I,
        )
    )
    include_bias = bool(
        re.search(
            r"including\s+the\s+(?:bias|intercept)|(?:bias|intercept)[^.]{0,30}(?:also|too|as\s+"
            r"well)\s+(?:regulari[sz]ed|penali[sz]ed)|all\s+parameters",
            text,
            re.I,
        )
    )
    rules = Rules(l2_factor=factor, include_bias=include_bias and bool(bias))
    stated = {name for name, flag in (("factor", factor_stated), ("bias", bias_stated)) if flag}
    problem = RegularizationProblem(
        penalty=penalty,
        weights=weights,
        shape=shape,
        bias=bias,
        lam=lam,
        lam1=lam1,
        lam2=lam2,
        sklearn=sklearn,
        l1_ratio=ratio,
        alpha=alpha,
        data_loss=scalar_named(text, _LOSS, arrays),
        data_gradient=data_gradient,
        lr=lr,
        threshold=threshold,
        proximal=proximal,
        weight_decay=bool(_DECAY.search(text)),
        rules=rules,
        stated=frozenset(stated),
        asked=(),
        notes=(note,) if note else (),
    )
    everything = evaluate(problem, rules)
    if not all(_finite(value) for value in everything.values()):
        raise InvalidQuestion("the numbers given overflow: a penalty or step comes out infinite")
    available = set(everything)
    asked = asked_parts(text, available)
    wanted = asked_parts(text, set(ALL_PARTS))
    if wanted and not asked:
        raise NotUnderstood(
            f"{', '.join(wanted)} cannot be worked out from the data given: " + _missing(problem, wanted),
            EXAMPLES,
        )
    asked = asked or default_asked(problem, available)
    if not asked:
        raise NotUnderstood(
            "no quantity this solver computes is asked (penalty, total loss, gradient, update, norm)"
        )
    return replace(problem, asked=asked)


def _missing(problem: RegularizationProblem, wanted: tuple[str, ...]) -> str:
    """What the question would need to give for `wanted`, in words."""
    if "w" in wanted or "gradient" in wanted:
        if problem.lr is None:
            return "a step needs the learning rate (and the gradient of the data loss)"
        return "a step needs the gradient of the data loss"
    if "total_loss" in wanted:
        return "the total loss needs the data (unregularized) loss"
    return "give the weights and the regularization strength λ"


def _finite(value: object) -> bool:
    if isinstance(value, list | tuple):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def has_penalty_formula(text: str) -> bool:
    return bool(_L1_FORMULA.search(text) or _L2_FORMULA.search(text))


def is_regularization(text: str) -> bool:
    return bool(
        _REGULARIZATION.search(text) or _L1.search(text) or _L2.search(text) or _NORM.search(text)
    ) or has_penalty_formula(text)
