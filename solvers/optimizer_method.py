"""Which optimizer a question names, and the conventions its wording or formulas fix."""

from __future__ import annotations

import re

from solvers.errors import NotUnderstood
from solvers.optimizer_problem import Method, MomentumForm, NesterovForm

_METHODS: tuple[tuple[Method, str], ...] = (
    (Method.ADAMW, r"\badam\s*-?\s*w\b|adam\s+with\s+decoupled\s+weight\s+decay"),
    (Method.ADAM, r"\badam\b(?!\s*-?\s*w\b)"),
    (Method.NESTEROV, r"\bnesterov\b|\bNAG\b"),
    (Method.RMSPROP, r"\brms\s*-?\s*prop\b"),
    (Method.ADAGRAD, r"\bada\s*-?\s*grad\b"),
    (Method.MOMENTUM, r"\bmomentum\b|heavy[\s-]ball|\bpolyak\b"),
    (
        Method.GD,
        r"gradient[\s-]+(?:descent|ascent)|\bsgd\b|\bgd\b|gradient\s+(?:step|update)|steepest\s+descent"
        r"|update\s+rule|\bupdate\s+(?:the|each)\s+(?:weight|parameter)"
        r"|(?:=|←|:=)\s*\S{1,12}\s*[-−]\s*(?:η|α|eta|alpha|lr)\s*[*·]?\s*(?:∇|grad\b|∂)",  # θ ← θ − η∇J
    ),
)
_SPECIFIC = (Method.ADAMW, Method.ADAM, Method.NESTEROV, Method.RMSPROP, Method.ADAGRAD)
_ACTION = (
    r"(?:using|use|with|apply|applying|perform|performing|run|running|of|by|an?|one|single|the|via|under)"
    r"\s+(?:(?:the|an?|one|single)\s+)?(?:{name})(?:\s+(?:optimi[sz]er|update|step|rule|algorithm))?"
)


def mentioned(text: str) -> list[Method]:
    """Every optimizer the text names, in a fixed order of specificity."""
    return [m for m, pattern in _METHODS if re.search(pattern, text, re.IGNORECASE)]


def read_method(text: str) -> Method | None:
    """The one optimizer the question asks to apply; NotUnderstood when it names several."""
    found = mentioned(text)
    specific = [m for m in found if m in _SPECIFIC]
    if Method.ADAMW in specific:
        return Method.ADAMW
    if len(specific) == 1:
        return specific[0]
    if len(specific) > 1:
        compared = re.search(r"\bcompar|\bversus\b|\bvs\.?(?!\w)|\bdifference\s+between\b", text, re.I)
        acting = (
            []
            if compared
            else [
                m for m in specific if re.search(_ACTION.format(name=dict(_METHODS)[m]), text, re.IGNORECASE)
            ]
        )
        if len(acting) == 1:
            return acting[0]
        names = ", ".join(m.value for m in specific)
        raise NotUnderstood(
            f"the question names several optimizers ({names}); ask for one update rule at a time",
            [f"Perform one {specific[0].value} step with ..."],
        )
    if Method.MOMENTUM in found:
        return Method.MOMENTUM
    if Method.GD in found:
        return Method.GD
    return None


_V = r"v(?:_?\{?(?:t|t[+-]1|k|k[+-]1|\d)\}?)?"
_COEF = r"(?:β|μ|γ|ρ|α|beta|mu|gamma|rho|alpha|0?\.\d+|m)"
_GRAD = r"(?:g|∇|grad|dw|dθ|∂|dL|dJ|\(?1\s*-)"
_ASSIGN = r"\s*(?:=|←|:=|<-)\s*"
_FORM_PATTERNS: tuple[tuple[MomentumForm, str], ...] = (
    (MomentumForm.AVERAGE, rf"{_V}{_ASSIGN}{_COEF}\s*[·*×]?\s*{_V}\s*\+\s*\(\s*1\s*-\s*{_COEF}\s*\)"),
    (MomentumForm.AVERAGE, r"exponentially\s+weighted\s+(?:moving\s+)?average|\bEWMA\b|\bEMA\b"),
    (MomentumForm.VELOCITY, rf"{_V}{_ASSIGN}{_COEF}\s*[·*×]?\s*{_V}\s*-\s*(?:η|α|ε|lr|learning|eta)"),
    (MomentumForm.VELOCITY, rf"(?:w|θ|x)\S{{0,8}}{_ASSIGN}(?:w|θ|x)\S{{0,8}}\s*\+\s*{_V}(?![\w(])"),
    (MomentumForm.ACCUMULATE, rf"{_V}{_ASSIGN}{_COEF}\s*[·*×]?\s*{_V}\s*\+\s*{_GRAD}"),
    (
        MomentumForm.ACCUMULATE,
        rf"(?:w|θ|x)\S{{0,8}}{_ASSIGN}(?:w|θ|x)\S{{0,8}}\s*-\s*(?:η|α|lr|eta)\s*[·*×]?\s*{_V}",
    ),
    (MomentumForm.ACCUMULATE, r"\bpytorch\b|torch\.optim|dampening"),
)


_SYMBOL = r"(?P<{}>[α-ωa-z])"
_WRITTEN = re.compile(
    rf"{_V}{_ASSIGN}{_SYMBOL.format('beta')}\s*[·*×]?\s*{_V}\s*[-+]\s*(?:\(1\s*-\s*[α-ωa-z]\)\s*)?"
    rf"{_SYMBOL.format('lr')}?\s*[·*×]?\s*(?:g|∇|grad|dw|dθ|∂)",
    re.IGNORECASE,
)


def written_symbols(text: str) -> tuple[str, str | None] | None:
    """The symbols a written momentum rule uses: `v ← αv − εg` → ("α", "ε") (Goodfellow's letters)."""
    match = _WRITTEN.search(text)
    if match is None:
        return None
    return match.group("beta"), match.group("lr")


def momentum_form(text: str) -> MomentumForm | None:
    """The momentum form the question writes out or names; None when it leaves it open."""
    for form, pattern in _FORM_PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            return form
    return None


def nesterov_form(text: str) -> NesterovForm | None:
    if re.search(r"\bpytorch\b|torch\.optim|nesterov\s*=\s*true", text, re.IGNORECASE):
        return NesterovForm.PYTORCH
    lookahead = rf"look[\s-]?ahead|(?:w|θ|x)\S{{0,6}}\s*[+-]\s*{_COEF}\s*[·*×]?\s*{_V}"
    if re.search(lookahead, text, re.IGNORECASE):
        return NesterovForm.LOOKAHEAD
    return None


def eps_inside(text: str) -> bool | None:
    """True for √(s + ε), False for √s + ε, None when the question does not write it."""
    if re.search(r"(?:sqrt|√)\s*\(?[^()+]*\+\s*(?:ε|epsilon|eps|δ)\s*\)", text, re.IGNORECASE):
        return True
    if re.search(
        r"(?:sqrt|√)\s*(?:\([^()]*\)|\{[^{}]*\}|\S+)\s*\+\s*(?:ε|epsilon|eps|δ)", text, re.IGNORECASE
    ):
        return False
    return None


def bias_correction(text: str) -> bool | None:
    if re.search(
        r"\b(?:without|no|ignor\w*|skip\w*|omit\w*|neglect\w*|drop\w*)\s+(?:the\s+|any\s+)?bias[\s-]correct"
        r"|bias[\s-]correction\s+(?:is\s+)?(?:not\s+(?:used|applied)|ignored|omitted|skipped|disabled)",
        text,
        re.IGNORECASE,
    ):
        return False
    if re.search(
        r"\bwith\s+(?:the\s+)?bias[\s-]correct|bias[\s-]corrected|apply\w*\s+bias", text, re.IGNORECASE
    ):
        return True
    return None


def is_ascent(text: str) -> bool:
    return bool(re.search(r"gradient\s+ascent|\bmaximi[sz]", text, re.IGNORECASE))
