"""Gradient and Jacobian shapes: many wordings, refusals, known mistakes and detection."""

from typing import Any

import pytest

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.gradient_shape import GradientShapeSolver
from solvers.grading import grade_response
from solvers.normalize import normalize

SOLVER = GradientShapeSolver()

# The seed question, verbatim (seed 001, question 1).
SEED = (
    "Assume that the inputs X to some scalar function f are n x m matrices. What is the dimensionality "
    "of the gradient of f with respect to X? Give reasons to justify your answer."
)


def solve(question: str) -> Any:
    return SOLVER.solve(SOLVER.parse(normalize(question)))


WORDINGS: list[tuple[str, dict[str, list[Any]]]] = [
    # a scalar's gradient has the variable's shape: X is n × m, so ∂f/∂X is n × m
    (SEED, {"shape": ["n", "m"]}),
    # LaTeX as pasted from a course page: W ∈ R^{3×4} → 3 × 4
    (
        r"Let $W \in \mathbb{R}^{3\times 4}$ and let L be a scalar loss. What is the shape of "
        r"$\frac{\partial L}{\partial W}$?",
        {"shape": [3, 4]},
    ),
    # superscripts as typed on a phone: ℝⁿˣᵐ → n × m
    ("X ∈ ℝⁿˣᵐ. What is the shape of ∇_X f?", {"shape": ["n", "m"]}),
    # a vector of length 5 → a gradient of 5 entries
    (
        "x is a vector of length 5 and f is a scalar function. "
        "What is the shape of the gradient of f w.r.t. x?",
        {"shape": [5]},
    ),
    # "W of size 128 × 784" → 128 × 784
    ("Consider a weight matrix W of size 128 × 784. What is the size of dL/dW?", {"shape": [128, 784]}),
    # NumPy-style shape tuple → 3 × 4
    ("The weights W have shape (3, 4). What is the shape of dL/dW?", {"shape": [3, 4]}),
    # "3-by-4" → 3 × 4
    (
        "W is a 3-by-4 matrix. What are the dimensions of the gradient of the loss with respect to W?",
        {"shape": [3, 4]},
    ),
    # rows and columns spelled out → 3 × 4
    (
        "X has 3 rows and 4 columns and f is a scalar function of X. What is the shape of ∂f/∂X?",
        {"shape": [3, 4]},
    ),
    # symbolic subscripts written in LaTeX → d_in × d_out
    (
        r"Compute the dimensions of ∂L/∂W for $W \in \mathbb{R}^{d_{\text{in}} \times d_{\text{out}}}$.",
        {"shape": ["d_in", "d_out"]},
    ),
    # \nabla with a bold subscript and a calligraphic loss → d
    (
        r"Let $\mathbf{x} \in \mathbb{R}^{d}$ and let $\mathcal{L}$ be a scalar loss. What is the dimension "
        r"of $\nabla_{\mathbf{x}} \mathcal{L}$?",
        {"shape": ["d"]},
    ),
    # θ with n components → n
    (
        "The cost function J(θ) depends on a parameter vector θ with n components. "
        "What is the shape of the gradient ∇_θ J?",
        {"shape": ["n"]},
    ),
    # a 4-d convolution kernel keeps its 4 dimensions: 3 × 3 × 16 × 32
    (
        "In a CNN, the kernel K has shape 3 × 3 × 16 × 32. What is the shape of ∂L/∂K?",
        {"shape": [3, 3, 16, 32]},
    ),
    # a layer index in the name: W^(1) ∈ R^{h×d} → h × d
    (
        r"Let $W^{(1)} \in \mathbb{R}^{h \times d}$. "
        r"What is the shape of $\frac{\partial L}{\partial W^{(1)}}$?",
        {"shape": ["h", "d"]},
    ),
    # Jacobian of f: R^3 → R^2 is 2 × 3 (rows = outputs)
    ("A function f maps R^3 to R^2. What are the dimensions of the Jacobian of f?", {"shape": [2, 3]}),
    ("Let f: ℝ³ → ℝ². What is the shape of its Jacobian?", {"shape": [2, 3]}),
    # g: R^5 → R^3 → 3 × 5
    ("What is the size of the Jacobian matrix of a function g: R^5 → R^3?", {"shape": [3, 5]}),
    # f(x) ∈ R^4 for x ∈ R^10 → 4 × 10
    (
        "Suppose x ∈ R^{10} and f(x) ∈ R^{4}. What is the size of the Jacobian of f with respect to x?",
        {"shape": [4, 10]},
    ),
    # y = Wx, W ∈ R^{m×n}: y has m entries, x has n → m × n
    (
        "What is the shape of the Jacobian of y = Wx with respect to x, where W ∈ R^{m×n}?",
        {"shape": ["m", "n"]},
    ),
    # layer y = Wx + b, W ∈ R^{m×n}: x has n entries, b and y have m
    (
        "Consider a linear layer y = Wx + b with W ∈ ℝ^{m×n}. What are the shapes of ∂L/∂W, ∂L/∂b and ∂L/∂x?",
        {"shape_W": ["m", "n"], "shape_b": ["m"], "shape_x": ["n"]},
    ),
    # W inferred from x ∈ R^n and y ∈ R^m: W must be m × n; "the parameters" are W and b
    (
        "Consider y = Wx + b, with x ∈ R^n and y ∈ R^m. What are the shapes of the gradients of the loss "
        "with respect to the parameters?",
        {"shape_W": ["m", "n"], "shape_b": ["m"]},
    ),
    # 10-dimensional input, 5 outputs → W is 5 × 10
    (
        "The input to a layer is a 10-dimensional vector x and the layer output is y = Wx + b with y ∈ R^5. "
        "What are the dimensions of ∂L/∂W?",
        {"shape": [5, 10]},
    ),
    # "gradients of W and b": W ∈ R^{3×5} → b has 3 entries
    (
        "For y = Wx + b with W ∈ R^{3×5}, what are the shapes of the gradients of W and b?",
        {"shape_W": [3, 5], "shape_b": [3]},
    ),
    # activation around the layer: x ∈ R^784, h ∈ R^128 → W_1 is 128 × 784, b_1 has 128
    (
        "Let h = σ(W_1 x + b_1) where x ∈ R^{784} and h ∈ R^{128}. What are the shapes of the gradients "
        "of the loss with respect to W_1 and b_1?",
        {"shape_W_1": [128, 784], "shape_b_1": [128]},
    ),
    # batched Y = XW + b: X is B × d, W is d × k → b has k, grads keep each shape
    (
        "A batch X ∈ ℝ^{B×d} goes through Y = XW + b with W ∈ ℝ^{d×k}. Give the shapes of the gradients "
        "of the loss with respect to W, b and X.",
        {"shape_W": ["d", "k"], "shape_b": ["k"], "shape_X": ["B", "d"]},
    ),
    # PyTorch Linear Y = XW^T + b: W is 10 × 784, so b has 10 entries
    (
        "Y = XW^T + b where X has shape (32, 784) and W has shape (10, 784). Give the shapes of the "
        "gradients of the loss with respect to W, b and X.",
        {"shape_W": [10, 784], "shape_b": [10], "shape_X": [32, 784]},
    ),
    # column batch Y = WX + b: X is d × N, W is k × d → b has k (one per output row)
    (
        "Y = WX + b, where X ∈ R^{d×N} holds N examples as columns and W ∈ R^{k×d}. "
        "Shapes of ∂L/∂W, ∂L/∂b and ∂L/∂X?",
        {"shape_W": ["k", "d"], "shape_b": ["k"], "shape_X": ["d", "N"]},
    ),
    # numbers given for the symbols: d = 784, k = 10 → W is 784 × 10, b has 10
    (
        "Given X ∈ R^{B×d} with B = 32 and d = 784, and Y = XW + b with W ∈ R^{d×k}, k = 10, what are "
        "the shapes of ∂L/∂W and ∂L/∂b?",
        {"shape_W": [784, 10], "shape_b": [10]},
    ),
    # logistic regression z = w^T x + b: w has 10 entries, b is a scalar
    (
        "Consider z = w^T x + b where w and x are 10-dimensional vectors. "
        "What are the shapes of ∂L/∂w and ∂L/∂b?",
        {"shape_w": [10], "shape_b": []},
    ),
    # no names, only roles: weight (10, 784) and bias (10,)
    (
        "A linear layer nn.Linear(784, 10) has weight of shape (10, 784) and bias of shape (10,). For an "
        "input batch of shape (64, 784), what are the shapes of the gradients of the loss w.r.t. the weight "
        "and the bias?",
        {"shape_weight": [10, 784], "shape_bias": [10]},
    ),
    # the only matrix in the question, 2 × 3
    (
        "A scalar function f takes a 2 × 3 matrix as input. What is the dimension of its gradient?",
        {"shape": [2, 3]},
    ),
    # f(x) = x^T A x is a scalar; x ∈ R^n → n
    (
        "Let x ∈ R^n and f(x) = x^T A x with A ∈ R^{n×n}. What is the dimension of the gradient of f "
        "with respect to x?",
        {"shape": ["n"]},
    ),
    # exam style with a distractor: W is 3 × 5, the claim "5 × 3" is what is being tested
    (
        "True or false: if W is 3 × 5 then dL/dW is 5 × 3. What is the correct shape of dL/dW?",
        {"shape": [3, 5]},
    ),
    # a gradient of f: R^{n×m} → R with no variable named: the input is n × m
    ("Let f: R^{n×m} → R. What is the shape of the gradient of f?", {"shape": ["n", "m"]}),
    # f(x) = y with x ∈ R^n, y ∈ R^m → m × n
    ("Let x ∈ R^n, y ∈ R^m and f(x) = y. What is the Jacobian's shape?", {"shape": ["m", "n"]}),
    # f(x) = Ax + b with A an m × n matrix: x has n entries, f has m → m × n
    (
        "Let f(x) = Ax + b where A is an m×n matrix. What is the size of the Jacobian of f?",
        {"shape": ["m", "n"]},
    ),
    # sizes as counts: 512-dimensional input, 256 outputs → W is 256 × 512, b has 256
    (
        "A fully connected layer maps a 512-dimensional input to 256 outputs: y = Wx + b. What are the "
        "shapes of the gradients with respect to W and b?",
        {"shape_W": [256, 512], "shape_b": [256]},
    ),
    # "form a 64 × 32 matrix W" → 64 × 32
    (
        "If the output of a network is a scalar loss L and the weights of the first layer form a 64 × 32 "
        "matrix W, what is the dimension of ∂L/∂W?",
        {"shape": [64, 32]},
    ),
    # the whole seed block pasted with its worked answer: the displayed matrix is not a target
    (
        SEED + "\n\nLet\n\nf(X) be a scalar-valued function, where the input\nX is an\nn√óm matrix. "
        "The gradient of\nf with respect to\nX, denoted as\n‚àÇX/\n‚àÇf, has the same dimensionality as\nX.\n"
        "$$\n\\frac{\\partial f}{\\partial X} =\n\\begin{bmatrix}\n\\frac{\\partial f}{\\partial x_{11}} & "
        "\\cdots \\\\\n\\end{bmatrix}\n$$",
        {"shape": ["n", "m"]},
    ),
]


@pytest.mark.parametrize(("question", "expected"), WORDINGS, ids=[q[:40] for q, _ in WORDINGS])
def test_wordings(question: str, expected: dict[str, list[Any]]) -> None:
    solution = solve(question)
    assert solution.answer == expected
    assert solution.asked == tuple(expected)
    assert set(solution.parts) == set(expected)
    assert all(step.latex for step in solution.steps)
    assert solution.conventions


def test_seed_solution_explains_the_shape() -> None:
    solution = solve(SEED)
    assert solution.given == {"variables": {"X": ["n", "m"]}, "target": "X", "of": "f"}
    latex = " ".join(step.latex for step in solution.steps)
    assert r"\frac{\partial f}{\partial x_{1m}}" in latex
    assert r"\in \mathbb{R}^{n \times m}" in latex
    assert "one partial derivative per entry" in solution.conventions[0]
    assert "dimensionality" in solution.parts["shape"].aliases


def test_jacobian_states_the_layout() -> None:
    solution = solve("Let f: R^3 → R^2. What is the shape of its Jacobian?")
    assert any("numerator layout" in c for c in solution.conventions)
    assert "jacobian" in solution.parts["shape"].aliases
    assert solution.given["outputs"] == [2]


def test_layer_steps_show_backpropagation() -> None:
    solution = solve(
        "Consider a linear layer y = Wx + b with W ∈ R^{m×n}. What are the shapes of ∂L/∂W, ∂L/∂b and ∂L/∂x?"
    )
    latex = " ".join(step.latex for step in solution.steps)
    # ∂L/∂W = δ x^T: (m × 1)(1 × n)
    assert r"\underbrace{\delta}_{m \times 1}\,\underbrace{x^\top}_{1 \times n}" in latex
    assert r"\underbrace{W^\top}_{n \times m}" in latex
    assert solution.given["layer"] == "y = Wx + b"
    assert "weights" in solution.parts["shape_W"].aliases
    assert "bias" in solution.parts["shape_b"].aliases
    assert "W" in solution.parts["shape_W"].aliases
    assert "x" in solution.parts["shape_x"].aliases  # a label only before ":" or "=", case kept


def test_a_batched_bias_is_summed_over_the_batch() -> None:
    solution = solve(
        "A batch X ∈ R^{B×d} goes through Y = XW + b with W ∈ R^{d×k}. Give the shapes of the gradients "
        "of the loss with respect to W, b and X."
    )
    latex = " ".join(step.latex for step in solution.steps)
    assert r"\underbrace{X^\top}_{d \times B}\,\underbrace{\delta}_{B \times k}" in latex
    assert r"\sum_{i} \delta_{i}" in latex
    assert any("summed over the batch" in c for c in solution.conventions)


VECTOR_X = (
    "x is a vector of length 5 and f is a scalar function. What is the shape of the gradient of f w.r.t. x?"
)
LAYER_W_B = "For y = Wx + b with W ∈ R^{3×5}, what are the shapes of the gradients of W and b?"
BATCHED = (
    "A batch X ∈ R^{B×d} goes through Y = XW + b with W ∈ R^{d×k}. Give the shapes of the gradients "
    "of the loss with respect to W, b and X."
)


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (VECTOR_X, {"x": "(5,)"}),
        (VECTOR_X, "x: 5"),
        ("Let W ∈ R^{3×5}. What is the shape of ∂L/∂W?", "W: 3 x 5"),
        (LAYER_W_B, "W: 3 x 5, b: 3"),
        (LAYER_W_B, "W = 3 x 5; b = (3,)"),
        (LAYER_W_B, {"W": "3 x 5", "b": "(3,)"}),
        (BATCHED, "W: d x k, b: k, X: B x d"),
    ],
)
def test_one_letter_names_label_parts(question: str, response: str | dict[str, str]) -> None:
    problem = SOLVER.parse(normalize(question))
    grade = grade_response(SOLVER.solve(problem), SOLVER.variants(problem), response)
    assert grade.correct
    assert grade.score == 1.0


def test_a_transposed_labelled_part_is_diagnosed() -> None:
    problem = SOLVER.parse(normalize(LAYER_W_B))
    grade = grade_response(SOLVER.solve(problem), SOLVER.variants(problem), "W: 5 x 3, b: 3")
    assert grade.score == 0.5
    assert grade.misconceptions == ["shape_transposed"]


REFUSED = [
    ("What is the shape of the gradient of the loss with respect to W?", "the shape of W is not given"),
    (
        "What is the dimensionality of the gradient of a scalar function with respect to a matrix?",
        "no variable",
    ),
    ("What is dropout?", "no variable"),
    ("Explain precision and recall.", "no variable"),
    (
        "Let f: R^n → R^m. What is the dimension of the gradient of f with respect to x?",
        "f is not a scalar: it has m outputs",
    ),
    (
        "Let y = Wx with W ∈ R^{2×3}. What is the shape of the gradient of y with respect to x?",
        "derivative with respect to x is a Jacobian",
    ),
    (
        "Consider y = Wx + b with b ∈ R^m. What are the shapes of ∂L/∂W and ∂L/∂x?",
        "the shape of W is not given and cannot be inferred from y = Wx + b",
    ),
    (
        "What is the shape of the Jacobian of f with respect to x, where x ∈ R^n?",
        "the output size of f is not given",
    ),
    ("What is the Jacobian of f?", "the input and output sizes of f are not given"),
    ("Let the loss be L = ||y - Wx||^2 with x ∈ R^5, y ∈ R^3. What is the shape of ∂L/∂W?", "W is not given"),
]


@pytest.mark.parametrize(("question", "message"), REFUSED, ids=[q[:40] for q, _ in REFUSED])
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as caught:
        SOLVER.parse(normalize(question))
    assert message in caught.value.message


def test_shapes_that_do_not_fit_the_layer_are_invalid() -> None:
    with pytest.raises(InvalidQuestion, match="do not fit y = Wx"):
        SOLVER.parse(normalize("Let y = Wx + b with W ∈ R^{3×4} and x ∈ R^5. What is the shape of ∂L/∂b?"))


def variants(question: str) -> dict[str, Any]:
    problem = SOLVER.parse(normalize(question))
    return {v.code: v for v in SOLVER.variants(problem)}


def test_seed_mistakes() -> None:
    found = variants(SEED)
    assert found["shape_transposed"].answer == {"shape": ["m", "n"]}
    assert found["shape_scalar"].answer == {"shape": []}
    assert found["shape_flattened"].answer == {"shape": ["n*m"]}
    assert not any(v.accepted for v in found.values())
    assert "transpose" in found["shape_transposed"].feedback


def test_numeric_flattening_multiplies_out() -> None:
    found = variants("Consider a weight matrix W of size 128 × 784. What is the size of dL/dW?")
    assert found["shape_flattened"].answer == {"shape": [100352]}  # 128 · 784 = 100352
    assert found["shape_transposed"].answer == {"shape": [784, 128]}


def test_square_matrix_has_no_transposed_mistake() -> None:
    found = variants("Let W ∈ R^{3×3}. What is the shape of ∂L/∂W?")
    assert "shape_transposed" not in found


def test_batch_dimension_kept() -> None:
    found = variants(
        "A batch X ∈ R^{B×d} goes through Y = XW + b with W ∈ R^{d×k}. Give the shapes of the gradients "
        "of the loss with respect to W, b and X."
    )
    kept = found["batch_dimension_kept"]
    assert kept.answer == {"shape_W": ["B", "d", "k"], "shape_b": ["B", "k"], "shape_X": ["B", "d"]}
    assert "not summed over the batch" in kept.feedback
    assert not kept.accepted


def test_jacobian_denominator_layout_is_accepted() -> None:
    found = variants("A function f maps R^3 to R^2. What are the dimensions of the Jacobian of f?")
    layout = found["jacobian_layout"]
    assert layout.accepted
    assert layout.answer == {"shape": [3, 2]}
    assert "shape_transposed" not in found  # the transpose of a Jacobian is the other layout


def test_symbolic_answer_is_accepted_when_numbers_are_given() -> None:
    found = variants(
        "Given X ∈ R^{B×d} with B = 32 and d = 784, and Y = XW + b with W ∈ R^{d×k}, k = 10, what are "
        "the shapes of ∂L/∂W and ∂L/∂b?"
    )
    assert found["symbolic_dimensions"].accepted
    assert found["symbolic_dimensions"].answer == {"shape_W": ["d", "k"], "shape_b": ["k"]}
    assert found["shape_flattened"].answer == {"shape_W": [7840], "shape_b": [10]}  # 784 · 10 = 7840
    assert found["batch_dimension_kept"].answer == {"shape_W": [32, 784, 10], "shape_b": [32, 10]}


@pytest.mark.parametrize("question", [q for q, _ in WORDINGS])
def test_detect_claims_every_wording(question: str) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


@pytest.mark.parametrize(
    "question",
    [
        "What is dropout?",
        "Explain precision and recall.",
        "What is a Jacobian matrix?",
        "Explain the vanishing gradient problem.",
        "Why does the gradient have the same shape as the weights?",
        "What is the dimensionality of the gradient of a scalar function with respect to a matrix?",
        "Define the evaluation metrics Accuracy, Precision, Recall, and F1 score. "
        "Predicted: Cancer | 80 | 80",
        "Apply dropout with p = 0.5 to the vector [2, 4, 6, 8] using the mask [1, 0, 1, 0].",
        "During backpropagation through dropout with mask m = [1, 0, 1, 1] and upstream gradient "
        "g = [0.5, 0.2, 0.1, 0.4], compute the gradient with respect to the input vector of length 4.",
        "Given W ∈ R^{2×2} = [[1, 2], [3, 4]] and x = [1, 1], "
        "compute the gradient of L = sum(Wx) with respect to W.",
    ],
)
def test_detect_leaves_other_questions(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_answer_themselves() -> None:
    examples = SOLVER.examples()
    assert len(examples) >= 6
    for example in examples:
        assert solve(example.question).answer == example.expected


def test_the_verb_do_is_not_a_gradient_name_and_a_shape_may_follow_its_name() -> None:
    # Z = XW + c with X 16 × 8 and W 8 × 4: ∂L/∂W has W's shape 8 × 4, ∂L/∂c has c's 4 entries
    question = (
        "A layer computes Z = XW + c with X being 16x8 and W 8x4 (c has 4 entries). "
        "What shapes do dL/dW and dL/dc have?"
    )
    assert solve(question).answer == {"shape_W": [8, 4], "shape_c": [4]}
