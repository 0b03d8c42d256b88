"""A hand-built solution for testing the response reader and the grader without a solver."""

from solvers.base import PartSpec, Solution, Step, ValueKind, Variant

FRACTION_PARTS = {
    "accuracy": PartSpec("accuracy", "Accuracy", ValueKind.FRACTION, ("acc",)),
    "precision": PartSpec("precision", "Precision", ValueKind.FRACTION, ("prec", "ppv")),
    "recall": PartSpec("recall", "Recall", ValueKind.FRACTION, ("sensitivity", "tpr")),
    "f1": PartSpec("f1", "F1", ValueKind.FRACTION, ("f1 score", "f-score", "f1-score", "f-measure")),
}


def metrics_solution(asked: tuple[str, ...] = ("accuracy", "precision", "recall", "f1")) -> Solution:
    return Solution(
        kind="confusion_binary",
        asked=asked,
        answer={"accuracy": 0.9, "precision": 0.5, "recall": 0.8, "f1": 8 / 13},
        parts=dict(FRACTION_PARTS),
        steps=[Step("Counts", "TP = 80")],
        conventions=["rows are predicted"],
    )


METRIC_VARIANTS = [
    Variant(
        "precision_recall_swapped", "You swapped precision and recall.", {"precision": 0.8, "recall": 0.5}
    ),
    Variant("f1_arithmetic_mean", "F1 is the harmonic mean, not the arithmetic mean.", {"f1": 0.65}),
]


def vector_solution() -> Solution:
    return Solution(
        kind="dropout",
        asked=("output",),
        answer={"output": [2.0, 0.0, 0.0, 4.5, 6.0]},
        parts={"output": PartSpec("output", "Output", ValueKind.VECTOR, ("a'", "activations"))},
        steps=[],
        conventions=[],
    )


def shape_solution() -> Solution:
    return Solution(
        kind="gradient_shape",
        asked=("shape",),
        answer={"shape": ["n", "m"]},
        parts={"shape": PartSpec("shape", "Shape", ValueKind.SHAPE, ("gradient", "dimensionality"))},
        steps=[],
        conventions=[],
    )


SHAPE_VARIANTS = [
    Variant("shape_transposed", "That is the transpose.", {"shape": ["m", "n"]}),
    Variant("shape_scalar", "The gradient of a scalar is not a scalar.", {"shape": []}),
    Variant("shape_flattened", "Keep the matrix's layout.", {"shape": ["n*m"]}),
]
