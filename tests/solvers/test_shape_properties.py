"""A shape written in any of the forms students use reads back as the same dimensions; any text
reads as a shape or raises `ResponseFormatError`, nothing else."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from solvers.errors import ExamgraderError
from solvers.shapes import Dim, format_shape, parse_shape, same_shape

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_LETTER = st.sampled_from("abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ")  # x is a sign
_SYMBOL = st.builds(
    lambda letter, sub: letter + sub,
    _LETTER,
    st.sampled_from(["", "1", "12", "_in", "_out", "_{in}", "_2", "_{h}"]),
)
_DIM = st.integers(1, 999_999) | _SYMBOL


def _read(dim: Dim) -> Dim:
    """What a written dimension reads as: braces of a subscript dropped."""
    return dim.replace("{", "").replace("}", "") if isinstance(dim, str) else dim


def _forms(dims: list[Dim]) -> list[str]:
    written = [str(d) for d in dims]
    forms = [f"({', '.join(written)})", f"R^{{{'×'.join(written)}}}", f"R^({' × '.join(written)})"]
    if len(dims) >= 2:
        forms += [" x ".join(written), "×".join(written), " × ".join(written), " by ".join(written)]
    return forms


@PROPERTY
@given(st.lists(_DIM, min_size=1, max_size=4), st.sampled_from(["", "The shape is ", "W ∈ "]))
@example([5, 1, 1], "")  # `5×1×1` read as a scalar (its `1×1`)
@example(["d_{in}", "d_{out}"], "")  # `R^{d_{in}×d_{out}}`: nested braces were no shape
def test_every_written_form_reads_back(dims: list[Dim], before: str) -> None:
    expected = tuple(_read(d) for d in dims)
    for form in _forms(dims):
        shape = parse_shape(before + form + ".")
        assert shape.dims == expected, form
        assert same_shape(list(expected), shape.dims)


@PROPERTY
@given(st.lists(_DIM, min_size=2, max_size=4))
def test_the_formatted_shape_reads_back(dims: list[Dim]) -> None:
    expected = tuple(_read(d) for d in dims)
    assert parse_shape(format_shape(list(expected))).dims == expected


@PROPERTY
@given(st.lists(_DIM, min_size=1, max_size=3))
def test_a_vector_of_a_length_reads_as_one_dimension(dims: list[Dim]) -> None:
    dim = dims[0]
    assert parse_shape(f"a vector of length {dim}").dims == (_read(dim),)


@PROPERTY
@given(
    st.text(max_size=120)
    | st.lists(
        st.sampled_from(["x", "×", "by", "(", ")", ",", "R^{", "}", "n", "3", " ", "scalar", "1"]),
        max_size=20,
    ).map("".join)
)
def test_any_text_reads_or_raises_a_project_error(text: str) -> None:
    with contextlib.suppress(ExamgraderError):
        parse_shape(text)
