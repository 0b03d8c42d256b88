import pytest

from solvers.base import PartSpec, ValueKind
from solvers.errors import InputTooLarge, ResponseFormatError
from solvers.numbers import Number
from solvers.responses import UNDEFINED, _find_labels, read_number, read_response
from solvers.shapes import Shape
from tests.solvers.fakes import metrics_solution, shape_solution, vector_solution


def values(parts):
    return {name: (p.value.value if isinstance(p.value, Number) else p.value) for name, p in parts.items()}


@pytest.mark.parametrize(
    "response",
    [
        "precision is 50%, recall 0.8, F1 = 8/13 and accuracy 90 %",
        "Accuracy: 0.9\nPrecision: 0.5\nRecall: 0.8\nF1: 0.615",
        "acc=0.90; prec=0.50; sensitivity=0.80; f-score=61.5%",
        "The precision = TP/(TP+FP) = 80/160 = 0.5, recall = 80/100 = 0.8, "
        "accuracy = 900/1000 = 0.9 and the F1 score ≈ 0.615",
        "0.9, 0.5, 0.8, 0.615",
    ],
)
def test_labelled_prose_and_ordered_lists(response):
    parts = read_response(response, metrics_solution())
    got = values(parts)
    assert got["accuracy"] == pytest.approx(0.9)
    assert got["precision"] == pytest.approx(0.5)
    assert got["recall"] == pytest.approx(0.8)
    assert got["f1"] == pytest.approx(0.615, rel=1e-2)


def test_unlabelled_list_is_flagged_as_read_in_order():
    parts = read_response("0.9, 0.5, 0.8, 0.615", metrics_solution())
    assert parts["precision"].note == "read in the order the parts were asked"


def test_json_parts_with_aliases():
    parts = read_response({"Precision": "50%", "TPR": 0.8, "f1-score": "8/13"}, metrics_solution())
    assert values(parts) == pytest.approx({"precision": 0.5, "recall": 0.8, "f1": 8 / 13})


def test_unlabelled_single_number_for_many_parts_is_a_format_error():
    parts = read_response("0.5", metrics_solution())
    error = parts["precision"].error
    assert error is not None
    assert error.message == (
        "this question has 4 parts; label each answer, e.g. 'accuracy = …, precision = …, recall = …, f1 = …'"
    )


def test_single_part_takes_the_whole_text():
    parts = read_response("≈ 0.62", metrics_solution(asked=("f1",)))
    assert values(parts)["f1"] == pytest.approx(0.62)


@pytest.mark.parametrize("text", ["undefined", "NaN", "0/0", "not defined", "N/A"])
def test_undefined_words(text):
    assert read_number(text) is UNDEFINED


def test_two_different_numbers_without_an_equals_is_a_format_error():
    with pytest.raises(ResponseFormatError, match="several numbers"):
        read_number("0.5 or 0.6")


def test_no_number_is_a_format_error():
    with pytest.raises(ResponseFormatError, match="no number found in 'banana'"):
        read_number("banana")


@pytest.mark.parametrize(
    "response",
    [
        "[2.0, 0, 0, 4.5, 6.0]",
        "2 0 0 4.5 6",
        "a' = [2, 0, 0, 4.5, 6]",
        "(2.0, 0.0, 0.0, 4.5, 6.0)",
        "output: 2.0 0 0 4.5 6.0",
    ],
)
def test_vectors(response):
    parts = read_response(response, vector_solution())
    value = parts["output"].value
    assert isinstance(value, list)
    assert [n.value for n in value] == [2.0, 0.0, 0.0, 4.5, 6.0]


@pytest.mark.parametrize(
    ("response", "dims"),
    [
        ("n x m", ("n", "m")),
        ("It has shape (n, m).", ("n", "m")),
        ("R^{n×m}", ("n", "m")),
        (r"$\mathbb{R}^{m \times n}$", ("m", "n")),
        ("a scalar", ()),
        ("n by m", ("n", "m")),
    ],
)
def test_shapes(response, dims):
    parts = read_response(response, shape_solution())
    assert parts["shape"].value == Shape(dims)


def test_empty_response_is_a_format_error():
    with pytest.raises(ResponseFormatError, match="the response is empty"):
        read_response("   ", metrics_solution())


def test_oversized_response_is_refused():
    with pytest.raises(InputTooLarge):
        read_response("1 " * 20_000, vector_solution())


def test_one_letter_labels_keep_their_case_and_need_a_colon_or_equals():
    solution = shape_solution()
    solution.parts["shape"] = PartSpec("shape", "Shape", ValueKind.SHAPE, ("X",))
    assert read_response("X: n x m", solution)["shape"].value == Shape(("n", "m"))
    # the x of "n x m" and a lower-case "x:" are not the label X
    assert read_response("x: m x n", solution)["shape"].value == Shape(("m", "n"))
    assert _find_labels("x: m x n", solution) == []
    assert [h[2] for h in _find_labels("X = n x m", solution)] == ["shape"]
