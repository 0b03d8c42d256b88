"""Text clean-up before routing and extraction: a tuple of small pure functions, applied in order.

Each step takes and returns a string. Line breaks are kept (tables need them); everything else is
folded to one canonical spelling: `×` for every multiplication/dimension sign, `-` for every
minus, `R` for the real numbers, plain digits for superscripts (`x²` becomes `x^2`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Step = Callable[[str], str]

# Runs of the characters Mac Roman gives bytes 0x80-0xFF (a `²` or `λ` next to a run is no part of it).
_MAC_ROMAN_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
_MOJIBAKE_RUN = re.compile(f"[{re.escape(_MAC_ROMAN_HIGH)}]{{2,}}")


def _utf8_length(lead: int) -> int:
    """How many bytes a UTF-8 sequence starting with `lead` takes (1: not a multi-byte lead)."""
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 1


def _repair(match: re.Match[str]) -> str:
    """Each UTF-8 sequence in the run's Mac Roman bytes, decoded; other characters kept (`√óﬁ` → `×ﬁ`)."""
    run = match.group(0)
    data = run.encode("mac_roman")  # one byte a character
    out: list[str] = []
    i = 0
    while i < len(data):
        length = _utf8_length(data[i])
        try:
            out.append(data[i : i + length].decode("utf-8") if length > 1 else run[i])
        except UnicodeDecodeError:
            length = 1
            out.append(run[i])
        i += length
    return "".join(out)


def fix_mac_roman_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as Mac Roman (`√ó` → `×`, `‚àÇ` → `∂`)."""
    return _MOJIBAKE_RUN.sub(_repair, text)


_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)


def drop_invisible(text: str) -> str:
    """Remove zero-width characters, soft hyphens and bidirectional overrides; NUL becomes a space."""
    return text.translate(_INVISIBLE).replace("\x00", " ")


_SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵀⁿᵐᵈᵏⁱʲᵇˣ"
_SUPERSCRIPTS = str.maketrans(_SUPERSCRIPT_CHARS, "0123456789-+Tnmdkijb×")
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPT_CHARS}]+")


def _caret(match: re.Match[str]) -> str:
    plain = match.group(0).translate(_SUPERSCRIPTS)
    return f"^{{{plain}}}" if "×" in plain else f"^{plain}"


def superscripts_to_carets(text: str) -> str:
    """`x²` → `x^2`, `10⁻³` → `10^-3`, `ℝⁿˣᵐ` → `ℝ^{n×m}` (before NFKC would flatten them to `x2`)."""
    return _SUPERSCRIPT_RUN.sub(_caret, text)


_SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ"
_SUBSCRIPTS = str.maketrans(_SUBSCRIPT_CHARS, "0123456789aeoxhklmnpstijruv")
_SUBSCRIPT_RUN = re.compile(f"[{_SUBSCRIPT_CHARS}]+")


def subscripts_to_underscores(text: str) -> str:
    """`λ₁` → `λ_1`, `‖w‖₂` → `‖w‖_2`, `nᵢₙ` → `n_in` (NFKC would glue them on: `‖w‖2` reads as a value)."""
    return _SUBSCRIPT_RUN.sub(lambda match: "_" + match.group(0).translate(_SUBSCRIPTS), text)


def unicode_compatibility(text: str) -> str:
    """NFKC: mathematical italic letters, full-width digits and ligatures to plain characters."""
    return unicodedata.normalize("NFKC", text)


_SYMBOLS = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00d7": "×",
        "\u2715": "×",
        "\u2a2f": "×",
        "\u22c5": "·",
        "\u2219": "·",
        "\u2217": "*",
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2248": "≈",
        "\u211d": "R",  # ℝ
        "\u2208": "∈",
        "\u2192": "→",
        "\u27f6": "→",
        "\u2223": "|",
        "\u2225": "||",
        "\u2016": "||",
        "\u2044": "/",  # fraction slash (NFKC turns ½ into 1⁄2)
    }
)


def canonical_symbols(text: str) -> str:
    """One spelling for minus signs, quotes, spaces, ℝ and the like."""
    return text.translate(_SYMBOLS)


_LATEX_REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (
            r"\\(?:mathbb|mathbf|mathrm|mathit|mathcal|mathsf|boldsymbol|bm|operatorname|vec|hat)\s*\{([^{}]*)\}",
            r"\1",
        ),
        (r"\\mathbb\s*([A-Za-z])", r"\1"),
        (r"\\(?:text|textbf|textit|mbox)\s*\{([^{}]*)\}", r"\1"),
        (r"\\(?:times|cross)(?![A-Za-z])", "×"),
        (r"\\cdot(?![A-Za-z])", "·"),
        (r"\\in(?![A-Za-z])", "∈"),
        (r"\\(?:to|rightarrow|longrightarrow|mapsto)(?![A-Za-z])", "→"),
        (r"\\(?:approx|simeq)(?![A-Za-z])", "≈"),
        (r"\\(?:partial)(?![A-Za-z])", "∂"),
        (r"\\(?:nabla)(?![A-Za-z])", "∇"),
        (r"\\(?:odot|circ)(?![A-Za-z])", "⊙"),
        (r"\\(?:left|right|big|Big|bigg|Bigg)(?![a-z])", ""),
        (r"(?<!\\)\\[,;:! \t\f\v]", " "),
        (r"\\(?:quad|qquad)(?![A-Za-z])", " "),
        (r"(?<!\\)\\%", "%"),
        (r"\\(?:lVert|rVert|Vert)(?![A-Za-z])", "||"),
        (r"\\(?:lvert|rvert|vert|mid)(?![A-Za-z])", "|"),
        (r"\\top(?![A-Za-z])|\\intercal(?![A-Za-z])", "T"),
        (r"\\(?:lambda)(?![A-Za-z])", "λ"),
        (r"\\(?:beta)(?![A-Za-z])", "β"),
        (r"\\(?:eta)(?![A-Za-z])", "η"),
        (r"\\(?:alpha)(?![A-Za-z])", "α"),
        (r"\\(?:epsilon|varepsilon)(?![A-Za-z])", "ε"),
        (r"\\(?:sigma)(?![A-Za-z])", "σ"),
        (r"\\(?:theta)(?![A-Za-z])", "θ"),
        (r"\\(?:ell)(?![A-Za-z])", "ℓ"),
    )
)


_WRAPPERS = 3  # the first replacements unwrap `\mathbf{…}`, `\mathbb R`, `\text{…}`
_MAX_WRAPPER_PASSES = 16  # wrappers nested deeper than this are left as written


def latex_to_plain(text: str) -> str:
    """Flatten inline LaTeX markup that carries no structure (`\\mathbb{R}`, `\\times`, `\\left(`)."""
    text = text.replace("$", " ")  # first: `\$` then reads as the space `\ `
    for _ in range(_MAX_WRAPPER_PASSES):  # `\text{\mathbf{x}}`: one wrapper comes off a pass
        unwrapped = text
        for pattern, replacement in _LATEX_REPLACEMENTS[:_WRAPPERS]:
            unwrapped = pattern.sub(replacement, unwrapped)
        if unwrapped == text:
            break
        text = unwrapped
    for pattern, replacement in _LATEX_REPLACEMENTS[_WRAPPERS:]:
        text = pattern.sub(replacement, text)
    return text


_SPACES = re.compile(r"[ \t\f\v]+")


def collapse_spaces(text: str) -> str:
    """Runs of spaces and tabs become one space; line breaks stay; CRLF becomes LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


_THOUSANDS = re.compile(r"(?<![\d.,\[(])(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)")


def drop_thousands_separators(text: str) -> str:
    """`1,000` → `1000` outside brackets (inside `[1,000]` the comma separates entries)."""
    out: list[str] = []
    depth = 0
    last = 0
    for match in _THOUSANDS.finditer(text):
        segment = text[last : match.start()]
        depth += segment.count("[") + segment.count("(") - segment.count("]") - segment.count(")")
        out.append(segment)
        out.append(match.group(0) if depth > 0 else match.group(0).replace(",", ""))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


NORMALIZERS: tuple[Step, ...] = (
    fix_mac_roman_mojibake,
    drop_invisible,
    superscripts_to_carets,
    subscripts_to_underscores,
    unicode_compatibility,
    canonical_symbols,
    latex_to_plain,
    drop_thousands_separators,
    collapse_spaces,
)


_MAX_PASSES = 4


def normalize(text: str, steps: tuple[Step, ...] = NORMALIZERS) -> str:
    """Apply every normalisation step in order; again while that leaves mojibake to repair (a later
    step can join a run: `÷‚àÇ` → `÷∂`, itself Mac Roman for `ֶ`), so normalised text stays as it is."""
    for _ in range(_MAX_PASSES):
        for step in steps:
            text = step(text)
        if fix_mac_roman_mojibake not in steps or fix_mac_roman_mojibake(text) == text:
            break
    return text
