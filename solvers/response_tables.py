"""A per-class table in a response, such as scikit-learn's classification report pasted as text or
a markdown table, rewritten as labelled parts (`precision[cat] = 0.91`, `macro avg recall = 0.87`).

A heading line names the columns (precision, recall, f1-score, support); each row below it starts
with a class label, `macro avg` / `weighted avg` / `micro avg`, or `accuracy`, then its numbers.
"""

from __future__ import annotations

import re

from solvers.base import Solution
from solvers.numbers import NUMBER
from solvers.response_groups import groups

_AVERAGE_ROW = re.compile(r"^(macro|micro|weighted)[\s-]*(?:avg|average|averaged)?$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s|:+-]*$")


def _cells(line: str) -> tuple[str, list[str]]:
    """A row's label and the numbers after it (`| cat | 0.91 | 0.9 |` or `cat  0.91  0.90`)."""
    numbers = [m.group(0) for m in NUMBER.finditer(line)]
    first = NUMBER.search(line)
    label = line[: first.start()] if first else line
    return " ".join(label.replace("|", " ").split()), numbers


def _heading(line: str, columns: dict[str, str]) -> list[str] | None:
    """The groups a heading line names, in order; None unless it names two or more and holds no number."""
    if NUMBER.search(line):
        return None
    cells = [c for c in re.split(r"\||\s{2,}|\t", line.strip().lower()) if c.strip()]
    if len(cells) < 2:
        cells = line.lower().split()
    named = [columns.get(c.strip()) for c in cells]
    found = [g for g in named if g]
    return found if len(found) >= 2 and found == [g for g in named if g is not None] else None


def table_rows(text: str, solution: Solution) -> str:
    """Rows of a per-class table rewritten as one labelled part per cell; other lines unchanged."""
    found = groups(solution)
    if not found:
        return text
    columns = {name.lower(): group for group in found for name in solution.spec(group).names}
    labels = {label.lower(): label for members in found.values() for label in members}
    header: list[str] | None = None
    lines: list[str] = []
    for line in text.split("\n"):
        heading = _heading(line, columns)
        if heading is not None:
            header = heading
            continue
        if header is None or _SEPARATOR.match(line):
            lines.append(line if header is None else "")
            continue
        label, numbers = _cells(line)
        lines.append(_rewritten(label, numbers, header, labels, found) or line)
    return "\n".join(lines)


def _rewritten(
    label: str,
    numbers: list[str],
    header: list[str],
    labels: dict[str, str],
    found: dict[str, dict[str, str]],
) -> str:
    """One table row as labelled parts, or "" when the row is not one of the table's."""
    if label.lower() == "accuracy" and numbers:
        return f"accuracy = {numbers[0]}"
    average = _AVERAGE_ROW.match(label)
    if average and len(numbers) == len(header):
        mode = average.group(1).lower()
        return "; ".join(f"{mode} {g} = {n}" for g, n in zip(header, numbers, strict=True) if g != "support")
    key = re.sub(r"^class\s+", "", label.lower()).strip("'\"")
    if key in labels and len(numbers) == len(header):
        name = labels[key]
        return "; ".join(
            f"{found[g][name]} = {n}" for g, n in zip(header, numbers, strict=True) if name in found[g]
        )
    return ""
