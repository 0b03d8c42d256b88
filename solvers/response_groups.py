"""Per-class parts in a response: `precision[cat]` answered one by one, as a vector, as an object,
or as rows of a per-class table.

A group is a part `precision` whose members are the parts `precision[<label>]`, in the order the
solution lists them. A response may give the members by name ("precision for cat is 0.8"), the
group as a vector in label order ("precision: [0.8, 0.5, 0.6]"), an object of classes
(`{"precision": {"cat": 0.8}}`) or one line per class ("cat: precision 0.8, recall 0.5").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from solvers.base import Solution
from solvers.numbers import Number


def members(solution: Solution, group: str) -> dict[str, str]:
    """The member parts of `group`, label → part name, in the solution's order."""
    prefix = group + "["
    return {
        name[len(prefix) : -1]: name
        for name in solution.parts
        if name.startswith(prefix) and name.endswith("]")
    }


def groups(solution: Solution) -> dict[str, dict[str, str]]:
    found = {name: members(solution, name) for name in solution.parts if "[" not in name}
    return {name: labels for name, labels in found.items() if labels}


def flatten_objects(
    response: dict[str, Any], solution: Solution, resolve: Callable[[str, Solution], str | None]
) -> dict[str, Any]:
    """`{"precision": {"cat": 0.8}}` → `{"precision[cat]": 0.8}`; other keys unchanged.

    `resolve` maps a response key to a part name (or None), as the mapping reader does.
    """
    flat: dict[str, Any] = {}
    for key, value in response.items():
        group = resolve(key, solution) if isinstance(value, dict) else None
        labels = members(solution, group) if group else {}
        if not labels:
            flat[key] = value
            continue
        by_lower = {label.lower(): name for label, name in labels.items()}
        for label, item in value.items():
            flat[by_lower.get(str(label).strip().lower(), f"{key}[{label}]")] = item
    return flat


def vector_entries(values: dict[str, Any], solution: Solution) -> dict[str, Number]:
    """A group read as a vector with one number per class: each member's entry, by part name."""
    entries: dict[str, Number] = {}
    for group, labels in groups(solution).items():
        value = values.get(group)
        if (
            isinstance(value, list)
            and len(value) == len(labels)
            and all(isinstance(v, Number) for v in value)
        ):
            entries |= dict(zip(labels.values(), value, strict=True))
    return entries


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({n.lower() for n in names if len(n) > 1}, key=len, reverse=True)
    return re.compile(rf"(?<![\w\[])(?:{'|'.join(map(re.escape, ordered))})(?![\w\]])", re.IGNORECASE)


def label_rows(text: str, solution: Solution) -> str:
    """`cat: precision 0.8, recall 0.5` → `precision[cat] 0.8, recall[cat] 0.5`, one line per class."""
    found = groups(solution)
    if not found:
        return text
    labels = {label.lower(): label for members in found.values() for label in members}
    alternatives = "|".join(map(re.escape, sorted(labels, key=len, reverse=True)))
    row = re.compile(
        rf"^\s*(?:class\s+)?[\"'“‘]?(?P<label>{alternatives})[\"'”’]?\s*[:\-–—|]\s*(?P<rest>.+)$",
        re.IGNORECASE,
    )
    patterns = {group: _names_pattern(solution.spec(group).names) for group in found}
    lines = []
    for line in text.split("\n"):
        match = row.match(line)
        if match:
            label = labels[match["label"].lower()]
            rest = match["rest"]
            for group, pattern in patterns.items():
                if label in found[group]:
                    rest = pattern.sub(f"{group}[{label}]".replace("\\", "\\\\"), rest)
            line = rest
        lines.append(line)
    return "\n".join(lines)
