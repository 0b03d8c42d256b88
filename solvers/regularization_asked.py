"""What a norm-penalty question asks: the penalty, total loss, gradients, the step, norms, in order."""

from __future__ import annotations

import re

from solvers.optimizer_asked import asking_text
from solvers.regularization_problem import RegularizationProblem

# What is asked, looked for in the asking sentences.
_ASKED: tuple[tuple[str, str], ...] = (
    (
        "total_loss",
        r"total\s+(?:loss|cost|objective)|regulari[sz]ed\s+(?:loss|objective|cost)|overall\s+loss"
        r"|new\s+loss|loss\s+(?:with|including|after\s+adding)\s+(?:the\s+)?(?:regulari[sz]ation|penalty)",
    ),
    (
        "penalty_gradient",
        r"∇\S{0,4}\s*Ω|∂\s*Ω|gradient\s+of\s+(?:the\s+)?(?:l[12]\s+)?(?:penalty|regulari[sz](?:ation|er)(?:\s+term)?)"
        r"|penalty(?:'s)?\s+gradient|\bits\s+(?:\(sub\)\s*|sub)?gradient|(?:sub)?gradient\s+of\s+(?:λ|the\s+l1)|regulari[sz]ation\s+gradient|subgradient",
    ),
    (
        "gradient",
        r"gradient\s+of\s+(?:the\s+)?(?:total|regulari[sz]ed|full)\s+(?:loss|objective)|total\s+gradient"
        r"|regulari[sz]ed\s+gradient",
    ),
    (
        "penalty",
        r"\bΩ\s*(?:\(\s*w\s*\))?(?!\s*=)|add(?:s|ed)?\s+to\s+the\s+loss|(?<!gradient of the )(?<!gradient of "
        r")\b(?:l[12]\s+|elastic[\s-]net\s+)?(?:penalty|regulari[sz]ation\s+"
        r"(?:term|loss|cost|value)|regulari[sz]er)(?!\s+(?:strength|coefficient|gradient|parameter))",
    ),
    (
        "w",
        r"updated\s+(?:weights?|parameters?|w|vector)|new\s+(?:weights?|parameters?|value|w)|\bupdate\b|after\s+"
        r"(?:one|a|the)\s+(?:gradient|sgd|descent|update|proximal|ista)?\s*step|soft[\s-]?threshold|proximal|\bw\s*←"
        r"|\bresult\b|\bapply|next\s+iterate|\bw\s+after",
    ),
    ("decay_factor", r"(?:decay|shrink(?:age)?|multiplicative)\s+factor|what\s+factor|multiplied\s+by"),
    ("l1_norm", r"\bl\s*_?1[\s-]+norm|\|\|\s*\w+\s*\|\|_?\{?1\}?(?![\d^])|manhattan|taxicab"),
    (
        "l2_norm_squared",
        r"squared\s+(?:l2|euclidean)?\s*norm|\|\|\s*\w+\s*\|\|_?\{?2?\}?\s*\^\s*\{?2|l2[\s-]+norm\s+squared",
    ),
    (
        "l2_norm",
        r"\bl\s*_?2[\s-]+norm(?!\s+squared)|euclidean\s+(?:norm|length)|\|\|\s*\w+\s*\|\|_?\{?2\}?(?!\s*\^)",
    ),
    (
        "linf_norm",
        r"l\s*_?\{?(?:∞|inf(?:inity)?)\}?[\s-]*norm|infinity[\s-]norm|max(?:imum)?[\s-]norm|chebyshev"
        r"|\|\|\s*\w+\s*\|\|_?\{?(?:∞|inf)",
    ),
    ("l0_norm", r"\bl\s*_?0[\s-]+norm|\|\|\s*\w+\s*\|\|_?\{?0\b|non-?zero\s+(?:weights|entries)"),
)


ASKED_PATTERNS = dict(_ASKED)
ALL_PARTS = frozenset(ASKED_PATTERNS)  # every part a question can ask for


_FORMULA_BEFORE = re.compile(r"λ|α|lambda|alpha")  # `λ||w||_1` is a penalty's formula, not a norm asked for


def asked_parts(text: str, problem_parts: set[str]) -> tuple[str, ...]:
    asking = asking_text(text)
    matches = [
        (match.start(), match.end(), name)
        for name, pattern in _ASKED
        for match in re.finditer(pattern, asking, re.IGNORECASE)
        if not ("_norm" in name and _FORMULA_BEFORE.search(asking[max(0, match.start() - 8) : match.start()]))
    ]
    spots: list[tuple[int, str]] = []
    claimed: list[tuple[int, int]] = []
    for start, end, name in sorted(matches, key=lambda m: m[0] - m[1]):  # longest first
        if not any(start < e and s < end for s, e in claimed):
            spots.append((start, name))
            claimed.append((start, end))
    names = [n for _, n in sorted(spots)]
    if (
        "penalty" in names
        and "penalty" not in problem_parts
        and {"l1_penalty", "l2_penalty"} <= problem_parts
    ):
        index = names.index("penalty")
        names[index : index + 1] = ["l1_penalty", "l2_penalty"]
    if not names and re.search(r"\bgradient\b", asking, re.I):
        names.append("gradient" if "gradient" in problem_parts else "penalty_gradient")
    if "l2_norm" in names and "l2_norm_squared" in names:
        both = re.search(r"\bl2[\s-]+norm\b.*\bsquared\b|\bsquared\b.*\bl2[\s-]+norm\b", asking, re.I | re.S)
        if not both and re.search(r"\|\|\s*\w+\s*\|\|_?\{?2?\}?\s*\^\s*\{?2", asking):
            names.remove("l2_norm")
    return tuple(dict.fromkeys(n for n in names if n in problem_parts))


def default_asked(problem: RegularizationProblem, available: set[str]) -> tuple[str, ...]:
    for name in ("w", "total_loss", "penalty", "l1_penalty"):
        if name in available:
            return ("l1_penalty", "l2_penalty") if name == "l1_penalty" else (name,)
    return ()
