"""Reading gradient-shape questions: declared shapes, mappings, a layer equation and the targets.

Everything here works on the normalised question text (see `solvers.normalize`), first tidied by
`prepare` (LaTeX fractions to `∂L/∂W`, braces around subscripts dropped, "w.r.t." spelled out).
The finders only report what the text says; `solvers.gradient_shape` decides what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.shapes import Dim

Dims = tuple[Dim, ...]

ROLES = ("weight", "bias", "input", "output", "parameters")

_FRAC = r"\\[dt]?frac\s*\{\s*(∂|d)\s*([^{}]{1,20}?)\s*\}\s*\{\s*(∂|d)\s*([^{}]{1,20}?)\s*\}"
_PREPARE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), replacement)
    for pattern, replacement, flags in (
        # a displayed matrix of entries (∂f/∂x_11 ...) is worked answer, not data or a target
        (r"\\begin\{([pbvBV]?matrix)\}.*?\\end\{\1\}", " (matrix) ", re.DOTALL),
        (r"\\mathcal\s*\{\s*([A-Za-z])\s*\}|\\mathcal\s*([A-Za-z])", r"\1\2", 0),
        (r"\\ell(?![A-Za-z])", "ℓ", 0),
        (r"\\nabla(?![A-Za-z])", "∇", 0),  # `\nabla_{x}`: the normaliser's `\b` misses it before `_`
        (r"\\partial(?![A-Za-z])", "∂", 0),
        (r"\\theta(?![A-Za-z])", "θ", 0),
        (r"\\Theta(?![A-Za-z])", "Θ", 0),
        (r"\\(?:vec|hat|bar)\s*\{\s*([A-Za-z])\s*\}", r"\1", 0),
        (r"_\s*\{\s*([A-Za-z0-9]+)\s*\}", r"_\1", 0),
        (r"\^\s*\{\s*\((\d)\)\s*\}", r"^(\1)", 0),
        (r"\^\s*\{\s*T\s*\}", "^T", 0),
        (_FRAC, r"\1\2/\3\4", 0),
        (r"\bw\s*\.\s*r\s*\.\s*t\b\.?|\bwrt\b", "with respect to", re.IGNORECASE),
        (r"\bi\s*\.\s*e\s*\.", "that is", re.IGNORECASE),
        (r"\be\s*\.\s*g\s*\.", "for example", re.IGNORECASE),
        # ℝⁿˣᵐ: NFKC flattens the superscript letters to `Rnxm` (and ℝ³ˣ⁴ to `R^3x^4`)
        (r"(∈\s*R)\s*\^?\s*([A-Za-z0-9])x\^?([A-Za-z0-9])(?![A-Za-z0-9])", r"\1^{\2×\3}", 0),
        (r"(∈\s*|→\s*|\bfrom\s+|\bto\s+)R([A-Za-z])(?![A-Za-z0-9])", r"\1R^\2", 0),
        (r"\bR([A-Za-z])(?=\s*(?:→|to\b|into\b))", r"R^\1", 0),
    )
)


def prepare(text: str) -> str:
    """Tidy normalised text for the finders below."""
    for pattern, replacement in _PREPARE:
        text = pattern.sub(replacement, text)
    return text


NAME = r"(?:[A-Za-zθΘℓ](?:_[A-Za-z0-9]+|\^\(\d\)|\d(?![\d.]))?)"
DIM = r"(?:\d{1,9}|[A-Za-z](?:_[A-Za-z0-9]+)?)"
_NAME_AT = rf"(?<![A-Za-z0-9_\\^'∂])({NAME})(?![A-Za-z0-9_'])"
_SEP = r"\s*(?:×|(?<=\s)x(?=\s)|(?<=\d)x(?=\d|\s)|(?<=[A-Za-z])x(?=\d)|-?\s*\bby\b\s*-?)\s*"
_SPEC = rf"(?:\{{([^{{}}]*)\}}|\(([^()]*)\)|({DIM}(?:\s*×\s*{DIM})*))"
_REAL = rf"R(?![A-Za-z])(?:\s*\^\s*{_SPEC})?"
_FUNCTION_WORDS = r"function|loss|cost|objective|criterion|error|risk"
_PROSE_STOP = {"a", "e", "I", "s", "o", "R", "T"}
_NOUNS = r"matrix|matrices|vectors?|tensors?|arrays?"


@dataclass(frozen=True)
class Declaration:
    name: str  # a variable name, or a role ("weight", "bias", ...) when the text names none
    dims: Dims
    start: int


@dataclass(frozen=True)
class Mapping:
    """`f: R^n → R^m`, "maps R^3 to R^2"."""

    function: str | None
    inputs: Dims
    outputs: Dims


@dataclass(frozen=True)
class Layer:
    """`out = op(left) op(right) + bias`, e.g. `y = Wx + b`, `Y = XW^T + b`."""

    output: str
    left: str
    left_t: bool
    right: str
    right_t: bool
    bias: str | None
    text: str


@dataclass(frozen=True)
class TargetRef:
    variable: str  # a name, or a role
    function: str | None
    notation: str  # "partial", "nabla", "gradient", "jacobian"
    start: int


@dataclass
class Reading:
    """What the question says, before any inference."""

    declarations: list[Declaration] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)
    function_outputs: dict[str, Dims] = field(default_factory=dict)
    function_args: dict[str, str] = field(default_factory=dict)
    function_values: dict[str, str] = field(default_factory=dict)  # f(x) = y: f's output is y
    functions: set[str] = field(default_factory=set)
    layer: Layer | None = None
    targets: list[TargetRef] = field(default_factory=list)
    assignments: dict[str, int] = field(default_factory=dict)
    jacobian: bool = False
    scalar_said: bool = False
    loss_said: bool = False


def canonical_name(name: str) -> str:
    return name.replace("{", "").replace("}", "").replace(" ", "")


def _dim(token: str) -> Dim:
    token = token.strip()
    return int(token) if token.isdigit() else token


def split_dims(body: str) -> Dims | None:
    """`n × m`, `3, 4`, `n x m`, `3 by 4` → dimensions; None when a piece is not a dimension."""
    parts = re.split(r"\s*(?:×|,|\bx\b|(?<=\d)x(?=\d)|-?\s*\bby\b\s*-?)\s*", body.strip())
    if not parts or not all(re.fullmatch(DIM, p.strip()) for p in parts):
        return None
    return tuple(_dim(p) for p in parts)


def _real_dims(match: re.Match[str], first_group: int) -> Dims | None:
    """The dimensions of a matched `R^…` (groups `first_group`..+2 hold the three spellings)."""
    groups = [match.group(first_group + i) for i in range(3)]
    body = next((g for g in groups if g is not None), None)
    return () if body is None else split_dims(body)


class _Spans:
    """Characters already explained by a finder, so later finders skip them."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size + 1)

    def add(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) < 0


# ---- functions and mappings -------------------------------------------------------------------

_FUNCTION_NAMED = re.compile(
    rf"(?:\b(?:{_FUNCTION_WORDS}|scalar|real-valued|scalar-valued|vector-valued)\s+(?:function\s+)?){_NAME_AT}",
    re.IGNORECASE,
)
_CALL = re.compile(rf"{_NAME_AT}\s*\(\s*({NAME})\s*(?:[,;][^()]*)?\)")
_CALL_IN = re.compile(rf"{_NAME_AT}\s*\(\s*({NAME})\s*\)\s*∈\s*{_REAL}")
_VALUE = re.compile(
    rf"{_NAME_AT}\s*=\s*({NAME})\s*\(\s*{NAME}\s*\)(?!\s*[-+*/^·])"
    rf"|(?<![A-Za-z0-9_\\^'∂])({NAME})\s*\(\s*{NAME}\s*\)\s*=\s*({NAME})(?![A-Za-z0-9_(])(?!\s*[-+*/^·(A-Za-z])"
)
_MAP_SYMBOL = re.compile(rf"(?:{_NAME_AT}\s*:\s*)?{_REAL}\s*→\s*{_REAL}")
_MAP_WORDS = re.compile(
    rf"\b(?:maps?|mapping|from|takes)\s+(?:inputs?\s+(?:in|from)\s+)?{_REAL}\s+(?:to|into|onto|→)\s+"
    rf"(?:outputs?\s+in\s+)?{_REAL}",
    re.IGNORECASE,
)


def _find_functions(text: str, reading: Reading, spans: _Spans) -> None:
    for match in _FUNCTION_NAMED.finditer(text):
        reading.functions.add(canonical_name(match.group(1)))
    for match in _CALL_IN.finditer(text):
        name = canonical_name(match.group(1))
        dims = _real_dims(match, 3)
        if dims is not None:
            reading.functions.add(name)
            reading.function_outputs[name] = dims
            reading.function_args[name] = canonical_name(match.group(2))
            spans.add(match.start(), match.end())
    for match in _CALL.finditer(text):
        name = canonical_name(match.group(1))
        if name not in _PROSE_STOP:
            reading.functions.add(name)
            reading.function_args.setdefault(name, canonical_name(match.group(2)))
    for match in _VALUE.finditer(text):
        function = canonical_name(match.group(2) or match.group(3))
        value = canonical_name(match.group(4) or match.group(1))
        reading.function_values[function] = value
    for match in _MAP_SYMBOL.finditer(text):
        ins, outs = _real_dims(match, 2), _real_dims(match, 5)
        if ins is not None and outs is not None:
            named = canonical_name(match.group(1)) if match.group(1) else None
            if named:
                reading.functions.add(named)
            reading.mappings.append(Mapping(named, ins, outs))
            spans.add(match.start(), match.end())
    for match in _MAP_WORDS.finditer(text):
        ins, outs = _real_dims(match, 1), _real_dims(match, 4)
        if ins is not None and outs is not None and spans.free(match.start(), match.end()):
            before = [n for n, _ in _names_in(text, _clause_start(text, match.start()), match.start())]
            mapped = next((n for n in reversed(before) if n in reading.functions), None)
            reading.mappings.append(Mapping(mapped, ins, outs))
            spans.add(match.start(), match.end())


# ---- names in prose ---------------------------------------------------------------------------

_NAME_RE = re.compile(_NAME_AT)
_A_AS_NAME = re.compile(r"\s*(?:∈|\bbe\b|\bis\b|\bhas\b|=|,|\.|\)|$)")


def _names_in(
    text: str, start: int, end: int, spans: _Spans | None = None, calls: bool = False
) -> list[tuple[str, int]]:
    """Variable names written in `text[start:end]`, with their offsets: articles, `R^`, dimensions
    inside `spans` and (unless `calls`) function calls `f(x)` skipped."""
    found: list[tuple[str, int]] = []
    for match in _NAME_RE.finditer(text, start, end):
        name = match.group(1)
        after = text[match.end() : match.end() + 12]
        if name in _PROSE_STOP or (after.startswith("(") and not calls):
            continue
        if spans is not None and not spans.free(match.start(), match.end()):
            continue
        if name == "A" and not (_A_AS_NAME.match(after) or text.endswith("matrix ", 0, match.start())):
            continue
        found.append((canonical_name(name), match.start()))
    return found


_CLAUSE_END = re.compile(r"[?!;]|\.(?=\s|$)|\n\s*\n")


_CLAUSE_REACH = 240  # how far back a shape looks for its owner


def _clause_start(text: str, index: int) -> int:
    window = max(0, index - _CLAUSE_REACH)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, window, index)]
    return ends[-1] if ends else window


def _clause_end(text: str, index: int) -> int:
    stop = min(len(text), index + _CLAUSE_REACH)
    match = _CLAUSE_END.search(text, index, stop)
    return match.start() if match else stop


# ---- declarations -----------------------------------------------------------------------------

_MEMBER = re.compile(rf"(?<![A-Za-z0-9_\\(])({NAME}(?:\s*,\s*{NAME})*)\s*∈\s*{_REAL}")
_CHAIN = re.compile(rf"(?<![A-Za-z0-9_^.])({DIM}(?:{_SEP}{DIM})+)(?![A-Za-z0-9_(])")
_TUPLE = re.compile(
    rf"(?:shape|size|dimensions?|dims?)\s*(?:of\s+|is\s+|=+\s*|:\s*)?[(\[]\s*({DIM}(?:\s*,\s*{DIM})*)\s*,?\s*[)\]]",
    re.IGNORECASE,
)
_ROWS_COLS = re.compile(rf"\b({DIM})\s+rows?\s+and\s+({DIM})\s+col(?:umn)?s?\b", re.IGNORECASE)
_VECTOR_PHRASES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b(?:of|with|has|having)\s+(?:an?\s+)?(?:length|dimension|dimensionality|size|dim)\s+"
        rf"(?:of\s+|=\s*|is\s+)?(?!a\b)({DIM})(?![A-Za-z0-9_]|\s*(?:×|\bx\b|\bby\b))",
        rf"(?<![A-Za-z0-9_.])({DIM})\s*-?\s*dim(?:ensional)?\b",
        rf"(?<![A-Za-z0-9_.])({DIM})\s*-\s*vector\b",
        rf"(?<![A-Za-z0-9_.])({DIM})\s+(?:entries|elements|components|features|coordinates|parameters|units|neurons)\b",
    )
)
_ROLE_COUNT = re.compile(
    rf"(?<![A-Za-z0-9_.])({DIM})\s+(inputs?|outputs?|(?:input|output)\s+(?:features|units|neurons)|classes)\b",
    re.IGNORECASE,
)
_CHAIN_CONTEXT_BEFORE = re.compile(
    r"(?:shape|size|dimensions?|dimensionality|\bis|\bare|\bbe|\bwas|\bwere|\bof|\bhas|\bhave|\bwith"
    r"|\bcontains?|:|\()\s*(?:of\s+|=\s*)?(?:an?\s+)?$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(rf"\s*(?:[A-Za-z-]+\s+){{0,2}}?(?:{_NOUNS})\b", re.IGNORECASE)
_NAME_AFTER = re.compile(
    rf"^\s*(?:(?:[A-Za-z-]+\s+){{0,2}}?(?:{_NOUNS})\s+(?:called\s+|named\s+|denoted\s+(?:by\s+)?)?)?({NAME})"
    rf"(?=\s*(?:[,.;:?)]|\band\b|\bof\b|\bwith\b|\bin\b|\bis\b|\bfor\b|$))"
)
_ROLE_WORD = re.compile(r"\b(weight|bias|input|output)(?:e?s)?\b", re.IGNORECASE)
_ROLE_REACH = 45
_LIST_GAP = re.compile(r"\s*(?:,\s*and|,|and|&)\s*")
_LOSSES = {"L", "J", "ℓ", "f", "E", "C"}


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    dims: Dims
    role: str | None = None  # "256 outputs" says whose size it is


def _shape_phrases(text: str, spans: _Spans) -> list[_Phrase]:
    phrases: list[_Phrase] = []

    def take(start: int, end: int, dims: Dims | None) -> None:
        if dims is not None and spans.free(start, end):
            phrases.append(_Phrase(start, end, dims))
            spans.add(start, end)

    for match in re.finditer(_REAL, text):
        bare = match.group(1) is None and match.group(2) is None and match.group(3) is None
        if not bare or re.search(r"\bin\s*$", text[max(0, match.start() - 4) : match.start()]):
            take(match.start(), match.end(), _real_dims(match, 1))
    for match in _TUPLE.finditer(text):
        take(match.start(1) - 1, match.end(), split_dims(match.group(1)))
    for match in _ROWS_COLS.finditer(text):
        take(match.start(), match.end(), (_dim(match.group(1)), _dim(match.group(2))))
    for match in _CHAIN.finditer(text):
        context_ok = _CHAIN_CONTEXT_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
        if context_ok or _NOUN_AFTER.match(text, match.end()):
            take(match.start(), match.end(), split_dims(match.group(1)))
    for match in _ROLE_COUNT.finditer(text):
        if spans.free(match.start(), match.end()):
            role = "input" if match.group(2).lower().startswith("input") else "output"
            phrases.append(_Phrase(match.start(), match.end(), (_dim(match.group(1)),), role))
            spans.add(match.start(), match.end())
    for pattern in _VECTOR_PHRASES:
        for match in pattern.finditer(text):
            take(match.start(), match.end(), (_dim(match.group(1)),))
    return sorted(phrases, key=lambda p: p.start)


def _owner(text: str, phrase: _Phrase, functions: set[str], spans: _Spans) -> list[str]:
    """Whose shape a phrase gives: a name right after ("a 3 × 4 matrix W"), else the nearest names
    or role word before it in the same clause ("W has shape (3, 4)", "X and Y are n × m matrices",
    "the inputs X ... are n x m")."""
    if phrase.role is not None:
        return [phrase.role]
    after = text[phrase.end : _clause_end(text, phrase.end)]
    named = _NAME_AFTER.match(after)
    if named and named.group(1) not in _PROSE_STOP and canonical_name(named.group(1)) not in functions:
        return [canonical_name(named.group(1))]
    clause = _clause_start(text, phrase.start)
    names = [(n, i) for n, i in _names_in(text, clause, phrase.start, spans) if n not in functions]
    roles = list(_ROLE_WORD.finditer(text, max(clause, phrase.start - _ROLE_REACH), phrase.start))
    if roles and (not names or roles[-1].start() > names[-1][1]):
        return [roles[-1].group(1).lower()]
    if names:
        owners = [names[-1]]
        for name, at in reversed(names[:-1]):  # "X and Y are ...", "w, x and z are ..."
            if not _LIST_GAP.fullmatch(text, at + len(name), owners[-1][1]):
                break
            owners.append((name, at))
        return [n for n, _ in reversed(owners)]
    role_after = _ROLE_WORD.search(after[:_ROLE_REACH])
    return [role_after.group(1).lower()] if role_after else []


def _find_declarations(text: str, reading: Reading, spans: _Spans) -> None:
    for match in _MEMBER.finditer(text):
        dims = _real_dims(match, 2)
        if dims is None or not spans.free(match.start(), match.end()):
            continue
        for name in re.split(r"\s*,\s*", match.group(1)):
            name = canonical_name(name)
            if name in reading.functions:
                reading.function_outputs.setdefault(name, dims)
            else:
                reading.declarations.append(Declaration(name, dims, match.start()))
        spans.add(match.start(), match.end())
    for phrase in _shape_phrases(text, spans):
        for owner in _owner(text, phrase, reading.functions, spans):
            reading.declarations.append(Declaration(owner, phrase.dims, phrase.start))


# ---- the layer equation -----------------------------------------------------------------------

_LAYER = re.compile(
    rf"{_NAME_AT}(?:\s*\(\s*{NAME}\s*\))?\s*=\s*(?:(?:[A-Za-z]+|σ)\s*\(\s*)?({NAME})(\^T)?\s*(?:·|\*|@|×)?\s*({NAME})(\^T)?"
    rf"(?:\s*\+\s*({NAME}))?(?![A-Za-z0-9_(])(?!\s*{NAME}(?![A-Za-z0-9_]))"
)


def _find_layer(text: str) -> Layer | None:
    for match in _LAYER.finditer(text):
        out, left, right = (canonical_name(match.group(i)) for i in (1, 2, 4))
        if len({out, left, right}) < 3:
            continue
        bias = canonical_name(match.group(6)) if match.group(6) else None
        return Layer(out, left, bool(match.group(3)), right, bool(match.group(5)), bias, match.group(0))
    return None


# ---- targets ----------------------------------------------------------------------------------

_PARTIAL = re.compile(
    rf"(?:∂\s*({NAME})\s*/\s*∂\s*({NAME})|(?<![A-Za-z])d\s*({NAME})\s*/\s*d\s*({NAME}))(?![A-Za-z0-9_])"
)
_NABLA_SUB = re.compile(rf"∇\s*_\s*({NAME})(?:\s*({NAME})(?![A-Za-z0-9_]))?")
_NABLA_CALL = re.compile(rf"∇\s*({NAME})\s*\(\s*({NAME})\s*\)")
_ITEM = re.compile(
    rf"\s*(?:(?:the|its|their|each\s+of(?:\s+the)?|all)\s+)?"
    rf"(?:(?P<role>weights?|weight\s+matri(?:x|ces)|weight\s+vectors?|bias(?:es)?(?:\s+vectors?|\s+terms?)?"
    rf"|inputs?(?:\s+vectors?|\s+matri(?:x|ces))?|outputs?|parameters|params)\b\s*)?"
    rf"(?:(?P<name>{NAME})(?![A-Za-z0-9_(]))?",
    re.IGNORECASE,
)
_ITEM_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+|&\s*|/\s*)")
_WRT = re.compile(
    r"\b(?P<word>gradients?|derivatives?|jacobian(?:\s+matri(?:x|ces))?|jacobians)\b"
    r"(?:\s+(?:of|for)\s+(?P<of>[^.?;:]{0,80}?))?\s*,?\s+with\s+respect\s+to\b",
    re.IGNORECASE,
)
_OF_LIST = re.compile(r"\b(?P<word>gradients?|derivatives?)\s+(?:of|for|on)\b", re.IGNORECASE)
_JACOBIAN_OF = re.compile(
    rf"\bjacobian(?:\s+matrix)?\s+(?:of\s+)?(?:(?:the|an?|its)\s+)?(?:(?:vector-valued|scalar|real-valued)\s+)?"
    rf"(?:function\s+|map(?:ping)?\s+)?{_NAME_AT}",
    re.IGNORECASE,
)


def _role(word: str) -> str:
    word = word.lower()
    for role in ROLES:
        if word.startswith(role[:5]) or (role == "parameters" and word.startswith("param")):
            return role
    return word


def _items(text: str, start: int) -> list[tuple[str, int]]:
    """`W, b and x`, `the weights and the bias`: names or roles, from `start` on."""
    found: list[tuple[str, int]] = []
    position = start
    while True:
        match = _ITEM.match(text, position)
        if match is None or not (match.group("role") or match.group("name")):
            break
        name = match.group("name")
        if name and name not in _PROSE_STOP:
            found.append((canonical_name(name), match.start("name")))
        elif match.group("role"):
            found.append((_role(match.group("role")), match.start("role")))
        else:
            break
        separator = _ITEM_SEP.match(text, match.end())
        if separator is None:
            break
        position = separator.end()
    return found


def _function_in(phrase: str | None) -> str | None:
    if not phrase:
        return None
    names = [n for n, _ in _names_in(phrase, 0, len(phrase), calls=True)]
    if names:
        return names[0]
    if re.search(r"\bloss\b|\berror\b|\brisk\b", phrase, re.IGNORECASE):
        return "L"
    if re.search(r"\bcost\b|\bobjective\b", phrase, re.IGNORECASE):
        return "J"
    return None


def _find_targets(text: str, reading: Reading) -> None:
    refs: list[TargetRef] = []
    for match in _PARTIAL.finditer(text):
        fn, var = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        refs.append(TargetRef(canonical_name(var), canonical_name(fn), "partial", match.start()))
    for match in _NABLA_SUB.finditer(text):
        fn = match.group(2)
        fn = canonical_name(fn) if fn and fn not in _PROSE_STOP else None
        refs.append(TargetRef(canonical_name(match.group(1)), fn, "nabla", match.start()))
    for match in _NABLA_CALL.finditer(text):
        fn = canonical_name(match.group(1))
        refs.append(TargetRef(canonical_name(match.group(2)), fn, "nabla", match.start()))
    for match in _WRT.finditer(text):
        notation = "jacobian" if match.group("word").lower().startswith("jacobian") else "gradient"
        fn = _function_in(match.group("of"))
        for item, at in _items(text, match.end()):
            refs.append(TargetRef(item, fn, notation, at))
    if not refs:
        for match in _OF_LIST.finditer(text):
            items = [(n, at) for n, at in _items(text, match.end()) if n not in reading.functions | _LOSSES]
            refs.extend(TargetRef(n, None, "gradient", at) for n, at in items)
    if not refs:
        for match in _JACOBIAN_OF.finditer(text):
            fn = canonical_name(match.group(1))
            arg = reading.function_args.get(fn)
            refs.append(TargetRef(arg or "", fn, "jacobian", match.start()))
    named_functions = set(reading.functions)  # "scalar function f", "f(X)", "f: R^n → R"
    seen: set[str] = set()
    for ref in sorted(refs, key=lambda r: r.start):
        if ref.variable not in seen and ref.variable not in named_functions:
            seen.add(ref.variable)
            reading.targets.append(ref)
    reading.functions |= {r.function for r in reading.targets if r.function and r.function not in seen}


_ASSIGNMENT = re.compile(r"(?<![A-Za-z0-9_^])([A-Za-z](?:_[A-Za-z0-9]+)?)\s*=\s*(\d{1,9})(?![\d.])")


def read(text: str) -> Reading:
    """Everything a gradient-shape question states; `text` is the prepared text."""
    reading = Reading()
    spans = _Spans(len(text))
    reading.jacobian = bool(re.search(r"\bjacobian", text, re.IGNORECASE))
    reading.scalar_said = bool(re.search(r"\bscalar|\breal-valued", text, re.IGNORECASE))
    reading.loss_said = bool(re.search(r"\b(?:loss|cost|objective|error|risk)\b", text, re.IGNORECASE))
    _find_functions(text, reading, spans)
    _find_targets(text, reading)
    reading.layer = _find_layer(text)
    if reading.layer is not None:
        reading.functions.discard(reading.layer.output)
    _find_declarations(text, reading, spans)
    reading.assignments = {m.group(1): int(m.group(2)) for m in _ASSIGNMENT.finditer(text)}
    return reading


# ---- from what the text says to the problem ---------------------------------------------------

SCALAR_NAMES = frozenset({"L", "J", "ℓ", "E", "C"})
_WEIGHT_LIKE = re.compile(r"^(?:[Ww]|θ|Θ)")
_DATA_LIKE = re.compile(r"^[XxHhA]")


@dataclass(frozen=True)
class Target:
    """One asked derivative: of `function` (output shape `output`) with respect to `name`."""

    name: str
    function: str
    shape: Dims  # the variable's shape
    output: Dims  # the function's output shape; () for a scalar
    jacobian: bool
    role: str | None = None


@dataclass(frozen=True)
class GradientShapeProblem:
    targets: tuple[Target, ...]
    variables: tuple[tuple[str, Dims], ...]  # every shape known, declared or inferred
    inferred: tuple[str, ...]  # names whose shape came from the layer equation
    layer: Layer | None = None
    batch: Dim | None = None  # the batch dimension of a batched layer
    substitutions: tuple[tuple[str, int], ...] = ()  # `d = 784`: symbols the question gives numbers for
    scalar_assumed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def shapes(self) -> dict[str, Dims]:
        return dict(self.variables)


class _Unify:
    """Dimension slots made equal by a product; a slot may carry a known value."""

    def __init__(self, layer: Layer) -> None:
        self.parent: list[int] = []
        self.value: dict[int, Dim] = {}
        self.layer = layer

    def new(self, count: int) -> list[int]:
        start = len(self.parent)
        self.parent.extend(range(start, start + count))
        return list(range(start, start + count))

    def find(self, slot: int) -> int:
        while self.parent[slot] != slot:
            slot = self.parent[slot]
        return slot

    def _conflict(self, first: Dim, second: Dim) -> InvalidQuestion:
        return InvalidQuestion(
            f"the shapes do not fit {self.layer.text}: a dimension is both {first} and {second}"
        )

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a == b:
            return
        if a in self.value and b in self.value and self.value[a] != self.value[b]:
            raise self._conflict(self.value[a], self.value[b])
        self.parent[b] = a
        if b in self.value:
            self.value.setdefault(a, self.value.pop(b))

    def set(self, slot: int, dim: Dim) -> None:
        root = self.find(slot)
        if root in self.value and self.value[root] != dim:
            raise self._conflict(self.value[root], dim)
        self.value[root] = dim

    def get(self, slot: int) -> Dim | None:
        return self.value.get(self.find(slot))


def _rank(name: str, declared: dict[str, Dims]) -> int:
    if name in declared:
        return len(declared[name])
    return 1 if name[:1].islower() else 2


@dataclass(frozen=True)
class _LayerSlots:
    left: list[int]
    right: list[int]
    output: list[int]
    bias: list[int]
    batch: int | None
    data_left: bool


def _layer_slots(layer: Layer, declared: dict[str, Dims], unify: _Unify) -> _LayerSlots:
    ranks = (_rank(layer.left, declared), _rank(layer.right, declared))
    if max(ranks) > 2 or min(ranks) < 1:
        raise NotUnderstood(f"only vectors and matrices are read in {layer.text}")
    left, right = unify.new(ranks[0]), unify.new(ranks[1])
    a = left[::-1] if layer.left_t and ranks[0] == 2 else left
    b = right[::-1] if layer.right_t and ranks[1] == 2 else right
    data_left = bool(_WEIGHT_LIKE.match(layer.right) or _DATA_LIKE.match(layer.left))
    batch = None
    if ranks == (2, 2):
        unify.union(a[1], b[0])
        output, bias = [a[0], b[1]], [b[1]] if data_left else [a[0]]
        batch = a[0] if data_left else b[1]
    elif ranks == (2, 1):
        unify.union(a[1], b[0])
        output, bias = [a[0]], [a[0]]
    elif ranks == (1, 2):
        unify.union(a[0], b[0])
        output, bias = [b[1]], [b[1]]
    else:
        unify.union(a[0], b[0])
        output, bias = [], []
    return _LayerSlots(left, right, output, bias, batch, data_left)


def _fit(unify: _Unify, slots: list[int], dims: Dims, name: str, layer: Layer) -> None:
    """Put a declared shape on a variable's slots (a bias given as 1 × k or k × 1 fits k)."""
    if len(dims) != len(slots):
        squeezed = tuple(d for d in dims if d != 1)
        if len(squeezed) != len(slots):
            raise InvalidQuestion(f"{name} has shape {dims}, which does not fit {layer.text}")
        dims = squeezed
    for slot, dim in zip(slots, dims, strict=True):
        unify.set(slot, dim)


def infer_layer(
    layer: Layer, declared: dict[str, Dims]
) -> tuple[dict[str, Dims], Dim | None, dict[str, str]]:
    """Shapes of every variable in the layer equation that can be worked out, the batch
    dimension (None when not batched) and the roles (weight, input, bias, output) → names."""
    unify = _Unify(layer)
    slots = _layer_slots(layer, declared, unify)
    names = {layer.left: slots.left, layer.right: slots.right, layer.output: slots.output}
    if layer.bias:
        names[layer.bias] = slots.bias
    for name, name_slots in names.items():
        if name in declared:
            _fit(unify, name_slots, declared[name], name, layer)
    shapes: dict[str, Dims] = {}
    for name, name_slots in names.items():
        dims = [unify.get(slot) for slot in name_slots]
        if all(d is not None for d in dims):
            shapes[name] = declared.get(name, tuple(d for d in dims if d is not None))
    weight, data = (layer.right, layer.left) if slots.data_left else (layer.left, layer.right)
    if _rank(layer.left, declared) == 1 and _rank(layer.right, declared) == 2:
        weight, data = layer.right, layer.left
    roles = {"weight": weight, "input": data, "output": layer.output}
    if layer.bias:
        roles["bias"] = layer.bias
    batch = unify.get(slots.batch) if slots.batch is not None else None
    return shapes, batch, roles


def _roles_by_name(names: list[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for role, pattern in (
        ("weight", r"^(?:[Ww]|θ|Θ)"),
        ("bias", r"^b"),
        ("input", r"^[Xx]"),
        ("output", r"^[Yy]"),
    ):
        found = next((n for n in names if re.match(pattern, n)), None)
        if found:
            roles[role] = found
    return roles


def _resolve(name: str, roles: dict[str, str]) -> list[str]:
    if name == "parameters":
        return [roles[r] for r in ("weight", "bias") if r in roles]
    if name in ROLES:
        return [roles[name]] if name in roles else []
    return [name]


def _default_function(reading: Reading) -> str:
    named = sorted(reading.functions & SCALAR_NAMES) or sorted(reading.functions)
    if named:
        return named[0]
    return "L" if reading.loss_said else "f"


def _mapping_for(reading: Reading, function: str) -> Mapping | None:
    exact = [m for m in reading.mappings if m.function == function]
    loose = [m for m in reading.mappings if m.function is None]
    found = exact or loose
    return found[0] if found else None


def _output(reading: Reading, function: str, shapes: dict[str, Dims]) -> tuple[Dims, bool]:
    """The function's output shape, and whether scalar was assumed for want of any word on it."""
    if function in reading.function_outputs:
        return reading.function_outputs[function], False
    mapping = _mapping_for(reading, function)
    if mapping is not None:
        return mapping.outputs, False
    if function in shapes:
        return shapes[function], False
    value = reading.function_values.get(function)
    if value is not None and value in shapes:
        return shapes[value], False
    said = reading.scalar_said or reading.loss_said or function in SCALAR_NAMES
    return (), not said


def _target_names(reading: Reading, shapes: dict[str, Dims]) -> list[TargetRef]:
    refs = list(reading.targets)
    if refs:
        return refs
    mapping = reading.mappings[0] if reading.mappings else None
    notation = "jacobian" if reading.jacobian else "gradient"
    if mapping is not None:
        return [TargetRef("", mapping.function, notation, 0)]
    args = [(f, a) for f, a in reading.function_args.items() if a in shapes and f not in shapes]
    if len(args) == 1:
        return [TargetRef(args[0][1], args[0][0], notation, 0)]
    if len(reading.declarations) == 1 and reading.layer is None and not reading.mappings:
        return [TargetRef(reading.declarations[0].name, None, "gradient", 0)]
    raise NotUnderstood(
        "no variable to differentiate with respect to: name it, e.g. "
        "'the gradient of L with respect to W' or '∂L/∂W'",
        ["What is the shape of ∂L/∂W if W ∈ R^{3×4}?"],
    )


def _variable_shape(
    reading: Reading, name: str, function: str, shapes: dict[str, Dims], layer: Layer | None
) -> tuple[str, Dims]:
    if name in shapes:
        return name, shapes[name]
    mapping = _mapping_for(reading, function)
    argument = reading.function_args.get(function)
    if mapping is None and name:  # x, the argument of f: R^n → R^m, is in R^n
        owner = next(
            (f for f, a in reading.function_args.items() if a == name and _mapping_for(reading, f)), None
        )
        mapping, argument = (_mapping_for(reading, owner), name) if owner else (None, argument)
    if mapping is not None and (not name or name == argument or argument is None):
        return name or argument or ("x" if len(mapping.inputs) < 2 else "X"), mapping.inputs
    if not name:
        raise NotUnderstood(
            f"the input and output sizes of {function} are not given: "
            f"state them, e.g. '{function}: R^n → R^m'"
        )
    where = f" and cannot be inferred from {layer.text}" if layer else ""
    raise NotUnderstood(
        f"the shape of {name} is not given{where}: state it, e.g. '{name} ∈ R^(n×m)' or "
        f"'{name} is a 3 × 4 matrix'",
        [f"Let {name} ∈ R^(n×m). What is the shape of the gradient of L with respect to {name}?"],
    )


def _substitutions(reading: Reading, targets: list[Target], batch: Dim | None) -> tuple[tuple[str, int], ...]:
    used = {d for t in targets for d in (*t.shape, *t.output, batch) if isinstance(d, str)}
    return tuple((s, v) for s, v in reading.assignments.items() if s in used)


def _shapes(reading: Reading) -> tuple[dict[str, Dims], tuple[str, ...], Dim | None, dict[str, str]]:
    """Every variable's shape (declared, or inferred from the layer equation), the inferred names,
    the batch dimension and the roles → names."""
    declared: dict[str, Dims] = {}
    role_shapes: dict[str, Dims] = {}
    for declaration in reading.declarations:
        bucket = role_shapes if declaration.name in ROLES else declared
        bucket.setdefault(declaration.name, declaration.dims)
    layer = reading.layer
    if layer is None:
        roles = _roles_by_name(list(declared))
        for role, dims in role_shapes.items():
            declared.setdefault(role, dims)
            roles.setdefault(role, role)
        return declared, (), None, roles
    _, _, layer_roles = infer_layer(layer, declared)
    for role, dims in role_shapes.items():
        if role in layer_roles:
            declared.setdefault(layer_roles[role], dims)
    inferred_shapes, batch, roles = infer_layer(layer, declared)
    inferred = tuple(n for n in inferred_shapes if n not in declared)
    return {**declared, **inferred_shapes}, inferred, batch, roles


def _target(reading: Reading, ref: TargetRef, name: str, shapes: dict[str, Dims]) -> tuple[Target, bool]:
    function = ref.function or _default_function(reading)
    output, assumed = _output(reading, function, shapes)
    var, dims = _variable_shape(reading, name, function, shapes, reading.layer)
    if output and ref.notation in ("gradient", "nabla") and not reading.jacobian:
        raise NotUnderstood(
            f"{function} is not a scalar: it has {' × '.join(map(str, output))} outputs, so its derivative "
            f"with respect to {var} is a Jacobian, not a gradient; ask for the Jacobian of {function}"
        )
    if ref.notation == "jacobian" and assumed:
        raise NotUnderstood(
            f"the output size of {function} is not given: state it, e.g. '{function}: R^n → R^m' or "
            f"'{function}({var or 'x'}) ∈ R^m'"
        )
    return Target(var, function, dims, output, bool(output) or ref.notation == "jacobian"), assumed


def build(reading: Reading) -> GradientShapeProblem:
    """Work out every asked shape from what the question says, or say what is missing."""
    shapes, inferred, batch, roles = _shapes(reading)
    targets: list[Target] = []
    scalar_assumed = False
    for ref in _target_names(reading, shapes):
        names = _resolve(ref.variable, roles)
        if not names:
            raise NotUnderstood(f"the question asks about the {ref.variable} but names no variable for it")
        for name in names:
            target, assumed = _target(reading, ref, name, shapes)
            scalar_assumed |= assumed
            role = next((r for r, n in roles.items() if n == target.name), None)
            if all(t.name != target.name for t in targets):
                targets.append(replace(target, role=role))
    return GradientShapeProblem(
        targets=tuple(targets),
        variables=tuple(shapes.items()),
        inferred=inferred,
        layer=reading.layer,
        batch=batch,
        substitutions=_substitutions(reading, targets, batch),
        scalar_assumed=scalar_assumed,
    )
