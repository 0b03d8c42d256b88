"""What a dropout question gives and asks for, and the parts an answer can hold."""

from __future__ import annotations

from dataclasses import dataclass, replace

from solvers.base import AnswerValue, PartSpec, ValueKind

Row = tuple[float, ...]
Grid = tuple[Row, ...]  # a vector is one row; a single value is one row of one entry


@dataclass(frozen=True)
class DropoutProblem:
    """What a dropout question gives and asks for."""

    activations: Grid | None
    form: str  # "vector", "matrix" or "scalar"
    mask: Grid | None  # 0/1, 1 = keep
    drop: float | None  # the drop probability, when the question gives one
    stated_as: str  # how the probability was written: "drop", "keep", "bare" (a p) or ""
    inverted: bool
    convention_stated: bool  # the question said inverted or plain
    asked: tuple[str, ...]
    units: tuple[tuple[str, int], ...] = ()  # (part, 0-based unit) when one unit is asked about
    mask_note: str = ""  # how the mask was read, when not given as a list
    other_mask: Grid | None = None  # the mask under the other reading of how it was described
    other_mask_note: str = ""
    size: int | None = None  # units in the layer, when only their number is given ("100 neurons")
    p_written: str = ""  # the probability as the question wrote it

    @property
    def keep(self) -> float | None:
        return None if self.drop is None else round(1.0 - self.drop, 15)

    def asked_any(self, *parts: str) -> bool:
        return any(part in self.asked for part in parts)


PARTS = {
    "output": PartSpec(
        "output",
        "Output activations",
        ValueKind.VECTOR,
        (
            "a'",
            "a′",
            "h'",
            "output",
            "outputs",
            "activations",
            "output activations",
            "output vector",
            "masked activations",
            "activations after dropout",
            "result",
            "final activations",
        ),
    ),
    "scale": PartSpec(
        "scale",
        "Scaling factor",
        ValueKind.SCALAR,
        ("scale factor", "scaling", "scale", "factor", "1/keep", "1/(1-p)", "multiplier"),
    ),
    "test_scale": PartSpec(
        "test_scale",
        "Test-time factor",
        ValueKind.SCALAR,
        ("test factor", "test-time scale", "test time factor", "inference factor"),
    ),
    "expected_value": PartSpec(
        "expected_value",
        "Expected value",
        ValueKind.VECTOR,
        ("expectation", "expected output", "e[a']", "mean", "expected activation"),
    ),
    "test_output": PartSpec(
        "test_output",
        "Test-time output",
        ValueKind.VECTOR,
        (
            "test output",
            "test time output",
            "inference output",
            "output at test time",
            "eval output",
            "test-time activations",
        ),
    ),
    "dropped_count": PartSpec(
        "dropped_count",
        "Dropped units",
        ValueKind.SCALAR,
        ("dropped", "number dropped", "units dropped", "zeroed units"),
    ),
    "kept_count": PartSpec(
        "kept_count",
        "Kept units",
        ValueKind.SCALAR,
        ("kept", "number kept", "units kept", "surviving units", "active units"),
    ),
    "kept_fraction": PartSpec(
        "kept_fraction",
        "Fraction kept",
        ValueKind.FRACTION,
        ("kept fraction", "fraction of units kept", "keep fraction", "survival rate"),
    ),
    "dropped_fraction": PartSpec(
        "dropped_fraction",
        "Fraction dropped",
        ValueKind.FRACTION,
        ("dropped fraction", "fraction of units dropped", "drop fraction"),
    ),
}
COUNT_PARTS = ("dropped_count", "kept_count", "kept_fraction", "dropped_fraction")


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    """The part's spec; a vector part asked about one unit is a scalar."""
    spec = PARTS[name]
    if spec.kind is ValueKind.VECTOR and not isinstance(value, list):
        return replace(spec, kind=ValueKind.SCALAR)
    return spec
