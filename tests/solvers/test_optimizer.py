"""Optimizer updates: exam wordings, refusals, the mistakes it names, conventions, detection, practice."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.optimizer import OptimizerSolver
from solvers.optimizer_text import count_of
from solvers.registry import SOLVERS
from tests.solvers.kit import SolverKit
from tests.solvers.kit import close as kit_close

KIT = SolverKit(OptimizerSolver())
SOLVER = KIT.solver
parse = KIT.parse
solve = KIT.solve
variants = KIT.variants

# The seed notes ask these conceptually (seed 000, questions 18 and 20): no numbers, nothing to compute.
SEED_Q18 = "Compare basic algorithms for training deep models: gradient descent, SGD, and momentum."
SEED_Q20 = (
    "Discuss the importance of adaptive learning rate algorithms (e.g., AdaGrad, RMSProp, Adam). Compare "
    "their strengths and weaknesses."
)


def close(got: Any, expected: Any, rel: float = 1e-6) -> bool:
    return kit_close(got, expected, rel, 1e-9)


# (question, expected parts): the arithmetic is in the comment above each case.
WORDINGS: list[tuple[str, dict[str, Any]]] = [
    # textbook: f'(x) = 2x; x_1 = 2 − 0.25·4 = 1; x_2 = 1 − 0.25·2 = 0.5
    (
        "Consider f(x) = x^2. Starting at x_0 = 2 with learning rate α = 0.25, perform two iterations of "
        "gradient descent. Give x_1 and x_2.",
        {"w_1": 1.0, "w_2": 0.5},
    ),
    # L'(w) = 6w − 2 = 4 at w = 1; w = 1 − 0.1·4 = 0.6
    ("Gradient descent with η = 0.1 on L(w) = 3w^2 - 2w + 1, w = 1. What's the new w?", {"w": 0.6}),
    # f' = 2aw + b = 4w − 4 = −4 at 0; w_1 = 0 − 0.25·(−4) = 1
    (
        "Consider f(w) = a w^2 + b w + c with a = 2, b = -4, c = 1. Take one gradient descent step from "
        "w_0 = 0 with learning rate 0.25.",
        {"w": 1.0, "gradient": -4.0},
    ),
    # ∇f = (2x, 20y) = (2, 20); (1, 1) − 0.05·(2, 20) = (0.9, 0)
    (
        "f(x, y) = x^2 + 10y^2. Starting from (x, y) = (1, 1), do one step of gradient descent with "
        "learning rate 0.05.",
        {"w": [0.9, 0.0]},
    ),
    # ½wᵀAw − bᵀw: ∇ = Aw − b = (−1, −1) at 0; w_1 = (0.1, 0.1)
    (
        "Minimize f(w) = ½ wᵀAw − bᵀw with A = [[2, 0], [0, 4]] and b = [1, 1] by gradient descent with "
        "step size 0.1, starting at w_0 = [0, 0]. Give w_1.",
        {"w": [0.1, 0.1]},
    ),
    # ||w||² in LaTeX: ∇ = 2w = (2, 4); w_1 = (1, 2) − 0.25·(2, 4) = (0.5, 1)
    (
        r"Let $\mathcal{L}(\mathbf{w}) = \|\mathbf{w}\|^2$ with $\mathbf{w}_0 = [1, 2]^\top$. One step of "
        r"gradient descent with $\eta = 0.25$ gives $\mathbf{w}_1 = ?$",
        {"w": [0.5, 1.0]},
    ),
    # ascent: f' = −2w + 4 = 4 at 0; w = 0 + 0.1·4 = 0.4
    (
        "Use gradient ascent to maximize f(w) = -w^2 + 4w from w = 0 with learning rate 0.1. What is w "
        "after one step?",
        {"w": 0.4},
    ),
    # mini-batch: mean(0.2, 0.4, 0.9) = 0.5; w = 1.5 − 0.1·0.5 = 1.45
    (
        "A mini-batch has three examples with per-example gradients 0.2, 0.4 and 0.9 for the weight "
        "w = 1.5. One SGD step with learning rate 0.1 gives what new weight?",
        {"w": 1.45, "gradient": 0.5},
    ),
    # vectors: w − 0.5·g = [0.5 − 0.05, −0.3 + 0.1, 1.2 − 0.2] = [0.45, −0.2, 1.0]
    (
        "Weights w = [0.5, -0.3, 1.2], gradient ∇L = [0.1, -0.2, 0.4], learning rate 0.5. Compute the "
        "updated weights after one SGD step.",
        {"w": [0.45, -0.2, 1.0]},
    ),
    # a matrix: W − 1·∂L/∂W
    (
        "W = [[1, 2], [3, 4]] and ∂L/∂W = [[0.1, 0.2], [0.3, 0.4]]; with learning rate 1, what is W after "
        "one gradient descent step?",
        {"w": [[0.9, 1.8], [2.7, 3.6]]},
    ),
    # a written rule: w − 0.05·(−2) = 0.9
    (
        "Update rule w ← w − η ∂L/∂w with η = 0.05, w = 0.8 and ∂L/∂w = -2. What is the new weight?",
        {"w": 0.9},
    ),
    # momentum (PyTorch form, v_0 = 0): v_1 = 1, w_1 = −0.1; v_2 = 1.9, w_2 = −0.29; v_3 = 2.71, w_3 = −0.561
    (
        "SGD with momentum 0.9, lr 0.1; the gradient stays constant at 1.0. Starting from w = 0, compute "
        "w after 3 steps.",
        {"w": -0.561, "v": 2.71},
    ),
    # Sutskever form written in LaTeX, f = θ²: g = 2, v_1 = −0.2, θ_1 = 0.8; g = 1.6, v_2 = −0.18 − 0.16
    # = −0.34, θ_2 = 0.46
    (
        r"Using momentum $v_{t} = \mu v_{t-1} - \eta \nabla f(\theta_{t-1})$, $\theta_t = \theta_{t-1} + "
        r"v_t$ "
        r"with $\mu = 0.9$, $\eta = 0.1$, $\theta_0 = 1$, $v_0 = 0$ and $f(\theta) = \theta^2$, compute "
        r"$\theta_2$.",
        {"w": 0.46, "v": -0.34},
    ),
    # Goodfellow's letters (α momentum, ε learning rate): v_1 = −0.2, θ_1 = 0.8; v_2 = −0.18 − 0.1 = −0.28,
    # θ_2 = 0.52
    (
        "Goodfellow's momentum: v ← αv − εg, θ ← θ + v with α = 0.9 and ε = 0.1. Starting from θ = 1 with "
        "v = 0, the gradients are g_1 = 2 and g_2 = 1. Compute θ_2.",
        {"w": 0.52},
    ),
    # exponentially weighted form (Ng): v = 0.1·1 = 0.1; W = 2 − 0.1·0.1 = 1.99
    (
        "Momentum with β = 0.9 computes v = βv + (1 − β)dW and W = W − αv. With α = 0.1, W = 2, v = 0 and "
        "dW = 1, what are v and W after one update?",
        {"v": 0.1, "w": 1.99},
    ),
    # per-step vectors: v_1 = (1, 1), θ_1 = (0.8, −1.2); v_2 = (1, 0), θ_2 = (0.6, −1.2)
    (
        "A parameter vector θ = (1, -1) is trained with momentum 0.5 and learning rate 0.2 on gradients "
        "g_1 = (1, 1), g_2 = (0.5, -0.5). Report the velocity and θ after each step.",
        {"v_1": [1.0, 1.0], "w_1": [0.8, -1.2], "v_2": [1.0, 0.0], "w_2": [0.6, -1.2]},
    ),
    # Nesterov, textbook look-ahead (v = 0): g = 2, v_1 = −0.2, x_1 = 0.8
    (
        "Using Nesterov momentum with μ = 0.9 and η = 0.1 on f(x) = x^2 from x_0 = 1 (initial velocity 0), "
        "compute x_1.",
        {"w": 0.8},
    ),
    # PyTorch's Nesterov: v = 2, w = 1 − 0.1·(2 + 0.9·2) = 0.62
    (
        "torch.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True). A parameter w = 1.0 has gradient "
        "2.0 at the first step. What is w after the step?",
        {"w": 0.62},
    ),
    # AdaGrad from a table: s_1 = 0.16, w_1 = 1 − 0.5·0.4/0.4 = 0.5; s_2 = 0.25, w_2 = 0.5 − 0.5·0.3/0.5 = 0.2
    (
        "| Quantity | Value |\n|---|---|\n| learning rate | 0.5 |\n| w | 1.0 |\n| g_1 | 0.4 |\n| g_2 | 0.3 "
        "|\n"
        "Using AdaGrad (ε = 0), compute w_1 and w_2.",
        {"w_1": 0.5, "w_2": 0.2, "s": 0.25},
    ),
    # AdaGrad with a running sum given: G = 3 + 1 = 4; Δw = −0.4·1/2 = −0.2
    (
        "AdaGrad: the accumulated squared gradient so far is G = 3.0, the current gradient is 1.0, w = 2, "
        "η = 0.4. What is the update of w?",
        {"update": -0.2},
    ),
    # RMSProp, ε inside the root: s = 0.1·0.25 = 0.025; θ = 1 − 0.001·0.5/√0.025001 = 0.99683779
    (
        "RMSProp: E[g^2]_t = 0.9 E[g^2]_{t-1} + 0.1 g_t^2, θ_{t+1} = θ_t − η g_t / sqrt(E[g^2]_t + ε). "
        "η = 0.001, ε = 1e-6, θ = 1, g = 0.5, E[g^2] = 0. Find θ after one step.",
        {"w": 0.99683779},
    ),
    # PyTorch's alpha is the decay: s = 0.01·(0.01, 0.04); √s = (0.01, 0.02); step = 0.01·(10, 10)
    (
        "torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8): w = [1.0, -1.0], grad = [0.1, 0.2]. "
        "Give w after one step.",
        {"w": [0.9, -1.1]},
    ),
    # Adam, t = 1: m = 0.02, v = 4e-5, m̂ = 0.2, v̂ = 0.04; w = 1 − 0.01·0.2/0.2 = 0.99
    (
        "Adam optimizer with learning rate 0.01 and default β1 = 0.9, β2 = 0.999, ε = 1e-8. The parameter "
        "is w = 1.0 and the gradient is g = 0.2. Compute m_1, v_1, the bias-corrected estimates and w_1.",
        {"m": 0.02, "v": 4e-05, "m_hat": 0.2, "v_hat": 0.04, "w": 0.99},
    ),
    # Adam mid-training: m_3 = 0.09 + 0.02 = 0.11, v_3 = 0.00999 + 0.00004 = 0.01003,
    # m̂ = 0.11/0.271 = 0.405904, v̂ = 0.01003/0.002997001 = 3.346679, θ_3 = 0.5 − 0.01·0.405904/1.829393
    (
        "At step t = 3 of Adam, m_2 = 0.1, v_2 = 0.01, the gradient is g_3 = 0.2, θ_2 = 0.5, lr = 0.01, "
        "β1 = 0.9, β2 = 0.999. Compute θ_3.",
        {"w": 0.4977812, "m": 0.11, "v": 0.01003},
    ),
    # no bias correction: m = 0.05, v = 0.00025, w = 1 − 0.1·0.05/0.0158114 = 0.683772
    (
        "Adam without bias correction: lr = 0.1, β1 = 0.9, β2 = 0.999, w = 1, g = 0.5. Compute the new w.",
        {"w": 0.683772},
    ),
    # code, Q&A style: the first Adam step is η·g/|g|: w = 2 + 0.01 = 2.01
    (
        "optimizer = torch.optim.Adam([w], lr=0.01)\nw = 2.0, loss gradient w.grad = -0.4\nAfter "
        "optimizer.step(), what is w?",
        {"w": 2.01},
    ),
    # no starting value: only the update, η·sign(g) at t = 1: Δθ = +0.001
    (
        "In Adam (default β's, lr = 0.001), the first gradient is g = -3. What is the size of the first "
        "update Δθ?",
        {"update": 0.001},
    ),
    # two Adam steps on x²: x_1 = 0.9; g = 1.8, m = 0.36, v = 0.007236, m̂ = 1.894737, v̂ = 3.619810,
    # x_2 = 0.9 − 0.1·1.894737/1.902580 = 0.800412
    ("Run two steps of Adam (lr 0.1, default hyperparameters) on f(x) = x^2 from x = 1.", {"w": 0.800412}),
    # coupled L2 in PyTorch's Adam: g = 0.5 + 0.5·1 = 1; first step ≈ η: w = 0.9
    (
        "With PyTorch's Adam (lr = 0.1, weight_decay = 0.5), the weight w = 1 has loss gradient 0.5. What "
        "is w after one step?",
        {"w": 0.9},
    ),
    # AdamW: decay 2·(1 − 0.01) = 1.98, then ≈ η: w = 1.88
    (
        "AdamW with lr = 0.1, weight decay 0.1 and default betas updates w = 2.0 whose gradient is 0.5. "
        "What is the new w?",
        {"w": 1.88},
    ),
    # the gradient named at the current point: 2 − 0.1 × 0.5 = 1.95
    (
        "Gradient descent with learning rate 0.1: the gradient of the loss at w = 2 is 0.5. "
        "What is the new w?",
        {"w": 1.95},
    ),
    # momentum, first step (v = g): [1, 2] − 0.1 × [0.5, −0.5] = [0.95, 2.05]
    (
        "Momentum 0.9, lr 0.1. The gradient at θ = [1, 2] is [0.5, -0.5]. Find θ after one step.",
        {"w": [0.95, 2.05]},
    ),
    # a data list: RMSProp ρ = 0.9, s = 0.1·(0.25, 0.01) = (0.025, 0.001);
    # step = 0.1·(0.5/0.158114, 0.1/0.0316228) = (0.316228, 0.316228)
    (
        "Optimizer: RMSProp\nHyperparameters: learning rate 0.1, decay rate ρ = 0.9 and ε = 1e-8\n"
        "Current weights: w = [1.0, 0.0]\nGradient of the loss: g = [0.5, 0.1]\n"
        "Compute the updated weights after one step.",
        {"w": [0.6837722, -0.3162278]},
    ),
]


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_wordings(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    for name, value in expected.items():
        assert close(solution.answer[name], value), (name, solution.answer[name], value)
    assert set(solution.asked) <= set(solution.answer) <= set(solution.parts)
    assert solution.steps and solution.conventions


@pytest.mark.parametrize(("question", "expected"), WORDINGS)
def test_detect_claims_every_wording(question: str, expected: dict[str, Any]) -> None:
    assert SOLVER.detect(normalize(question)) >= 0.6


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (WORDINGS[0][0], ("w_1", "w_2")),
        (WORDINGS[15][0], ("v_1", "w_1", "v_2", "w_2")),
        (WORDINGS[22][0], ("m", "v", "m_hat", "v_hat", "w")),
        (WORDINGS[19][0], ("update",)),
        (
            "PyTorch SGD with lr = 0.1 and momentum = 0.9 updates w = 1.0 with the gradients 0.5, 0.3 and "
            "-0.2 "
            "on three successive steps. Give w after each step and the final momentum buffer v.",
            ("w_1", "w_2", "w_3", "v"),
        ),
    ],
)
def test_parts_are_asked_in_the_question_order(question: str, asked: tuple[str, ...]) -> None:
    assert solve(question).asked == asked


def test_steps_show_the_numbers() -> None:
    solution = solve(WORDINGS[22][0])
    update = solution.steps[-1]
    assert update.title == "Step 1"
    assert r"\hat m_{1} = \frac{m_{1}}{1 - 0.9^{1}} = 0.2" in update.latex
    assert "w_{1} = w_{0} - " in update.latex


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("SGD with momentum 0.9, lr 0.1, w = 1, gradient 0.5. Find the new w.", "PyTorch's form"),
        (WORDINGS[12][0], "Sutskever"),
        (WORDINGS[16][0], "look-ahead"),
        (WORDINGS[17][0], "nesterov=True"),
        (WORDINGS[20][0], "inside the square root"),
        (WORDINGS[22][0], "bias correction divides by 1 − β^t"),
        (WORDINGS[24][0], "No bias correction"),
        (WORDINGS[29][0], "Decoupled weight decay"),
        (WORDINGS[28][0], "L2 term in the gradient"),
        (WORDINGS[26][0], "update Δw"),
        ("Adam: w = 1, g = 0.5, lr 0.1. Compute w_1.", "β1 = 0.9, β2 = 0.999, ε = 1e-8"),
        ("RMSProp with learning rate 0.01: w = 1, g = 0.5. Compute w_1.", "ρ = 0.9"),
    ],
)
def test_conventions_are_stated(question: str, phrase: str) -> None:
    assert any(phrase in c for c in solve(question).conventions), solve(question).conventions


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (SEED_Q18, "no numbers"),
        (SEED_Q20, "no numbers"),
        ("Explain how Adam works.", "no numbers"),
        ("Perform one step of gradient descent with learning rate 0.1 starting from w = 2.", "no gradient"),
        ("Gradient descent with learning rate 0.1: the gradient is 0.5. Compute the new weight.", "w = …"),
        ("Gradient descent on f(w) = e^w from w = 0 with learning rate 0.1.", "not a polynomial"),
        ("Compare one step of Adam and RMSProp with lr 0.1, w = 1, g = 0.5.", "several optimizers"),
        ("SGD: w = 1, g = 0.5. Compute the new w.", "learning rate"),
        (
            "SGD with momentum 0.9, lr 0.1, w = 1: the gradients are 0.5 and 0.3. Compute w after 3 steps.",
            "gradients for 2 step(s) are given but 3 steps",
        ),
        ("Gradient descent on f(w) = a w^2 from w = 1 with lr 0.1.", "the value of a"),
        ("w = 2, gradient 0.5, learning rate 0.1. What is w after one update?", "no optimizer"),
    ],
)
def test_refusals_say_what_is_missing(question: str, message: str) -> None:
    with pytest.raises(NotUnderstood) as refusal:
        parse(question)
    assert message in refusal.value.message


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Adam: w = 1, g = 0.5, lr = 0.1, β1 = 1.5. Compute w_1.", "β1 = 1.5 is not in [0, 1)"),
        ("Gradient descent with learning rate -0.1: w = 1, g = 2. Find w_1.", "must be positive"),
        ("SGD: w = [1, 2], g = [1, 2, 3], learning rate 0.1. Find the new w.", "3 entries"),
    ],
)
def test_invalid_data_is_explained(question: str, message: str) -> None:
    with pytest.raises(InvalidQuestion) as invalid:
        parse(question)
    assert message in invalid.value.message


ADAM = WORDINGS[22][0]
RMSPROP = (
    "RMSProp with decay rate ρ = 0.9, learning rate 0.01: w = 0.5 has gradient 0.1. Find the updated weight."
)
RMSPROP_NO_RHO = "RMSProp with learning rate 0.01: w = 0.5 has gradient 0.1. Find the updated weight."
ADAGRAD = (
    "Apply AdaGrad with learning rate 0.1 to w = [1, 2]. The gradients are g_1 = [0.5, -1] and g_2 = [0.5, "
    "1]. "
    "What is w after two steps?"
)
MOMENTUM = "SGD with momentum β = 0.9 and learning rate 0.1 starts at w = 1.0; the gradients are 0.5 and 0.3."


@pytest.mark.parametrize(
    ("question", "code", "part", "wrong", "accepted"),
    [
        # m = 0.02, v = 4e-5 uncorrected: w = 1 − 0.01·0.02/0.0063246 = 0.9683772
        (ADAM, "no_bias_correction", "w", 0.9683772, False),
        # swapped: m = (1 − 0.999)·0.2 = 2e-4 (its bias correction gives m̂ = 0.2 again, so w barely moves)
        (ADAM, "betas_swapped", "m", 0.0002, False),
        # s = ρ·0 + g² = 0.01 (no 1 − ρ): w = 0.5 − 0.01·0.1/0.1 = 0.49
        (RMSPROP, "rmsprop_decay_weight_missing", "w", 0.49, False),
        # ρ not given, PyTorch's 0.99: s = 1e-4, √s = 0.01: w = 0.5 − 0.01·0.1/0.01 = 0.4
        (RMSPROP_NO_RHO, "rmsprop_rho_0.99", "w", 0.4, True),
        # the sum of squares left out: s_2 = g_2² = (0.25, 1): w_2 = (0.9 − 0.1, 2.1 − 0.1) = (0.8, 2.0)
        (ADAGRAD, "adagrad_last_gradient_only", "w", [0.8, 2.0], False),
        # divided by s, not √s: w_1 = (1 − 0.1·0.5/0.25, 2 + 0.1·1/1) = (0.8, 2.1);
        # w_2 = (0.8 − 0.1·0.5/0.5, 2.1 − 0.1·1/2) = (0.7, 2.05)
        (ADAGRAD, "square_root_missing", "w", [0.7, 2.05], False),
        # v ← βv − ηg: v_2 = 0.9·(−0.05) − 0.03 = −0.075 (w is the same)
        (MOMENTUM, "momentum_form_velocity", "v", -0.075, True),
        # v ← βv + (1 − β)g: v_1 = 0.05, w_1 = 0.995; v_2 = 0.045 + 0.03 = 0.075, w_2 = 0.9875
        (MOMENTUM, "momentum_form_average", "w", 0.9875, True),
        # plain SGD: 1 − 0.05 − 0.03 = 0.92
        (MOMENTUM, "momentum_ignored", "w", 0.92, False),
        # PyTorch Nesterov instead of the look-ahead: 0.62 (see the wording above)
        (WORDINGS[16][0], "nesterov_pytorch", "w", 0.62, True),
        # plain momentum in PyTorch's form: w = 1 − 0.1·2 = 0.8
        (WORDINGS[17][0], "nesterov_as_plain_momentum", "w", 0.8, False),
        # one gradient reused: x_1 = 1 − 0.25·4 ... f = x², x_0 = 2: x_2 = 1 − 0.25·4 = 0
        (WORDINGS[0][0], "gradient_not_recomputed", "w_2", 0.0, False),
        # sum, not mean: 1.5 − 0.1·1.5 = 1.35
        (WORDINGS[7][0], "batch_gradient_summed", "w", 1.35, False),
        # w + ηg: 1 − 0.1·(−4) ... f = a w² + …: 0 + 0.25·(−4) = −1
        (WORDINGS[2][0], "wrong_sign", "w", -1.0, False),
        # η left out: 0 + 4 = 4
        (WORDINGS[2][0], "learning_rate_forgotten", "w", 4.0, False),
        # AdamW as Adam + L2: g = 0.5 + 0.2 = 0.7, first step ≈ η: w = 2 − 0.1 = 1.9
        (WORDINGS[29][0], "l2_instead_of_decoupled", "w", 1.9, False),
        # decay not times η: 2·(1 − 0.1) = 1.8, then − 0.1 = 1.7
        (WORDINGS[29][0], "decay_not_scaled_by_lr", "w", 1.7, True),
        # coupled question, decoupled answer: 1·(1 − 0.05) − 0.1 = 0.85
        (WORDINGS[28][0], "decoupled_decay", "w", 0.85, True),
    ],
)
def test_mistakes_reproduce_the_wrong_number(
    question: str, code: str, part: str, wrong: Any, accepted: bool
) -> None:
    found = variants(question)
    assert code in found, sorted(found)
    assert close(found[code].answer[part], wrong), found[code].answer
    assert found[code].accepted is accepted
    assert found[code].feedback.strip()


def test_stated_momentum_form_makes_the_others_mistakes() -> None:
    found = variants(WORDINGS[12][0])  # the velocity form is written out
    assert not found["momentum_form_average"].accepted


def test_negligible_conventions_are_not_listed() -> None:
    assert "eps_inside_root" not in variants(ADAM)  # ε = 1e-8 changes nothing at 1 % tolerance


def test_grading_names_adam_without_bias_correction() -> None:
    problem = parse(ADAM)
    solution = SOLVER.solve(problem)
    found = SOLVER.variants(problem)
    right = grade_response(solution, found, "m = 0.02, v = 0.00004, m_hat = 0.2, v_hat = 0.04, w = 0.99")
    assert right.correct
    wrong = grade_response(
        solution, found, "m = 0.02, v = 0.00004, m_hat = 0.02, v_hat = 0.00004, w = 0.9684"
    )
    assert "no_bias_correction" in wrong.misconceptions


def test_grading_accepts_the_other_momentum_velocity() -> None:
    question = "SGD with momentum 0.9 and lr 0.1: w = 1, v = 0, gradient 0.5. Compute v and w after one step."
    problem = parse(question)
    solution = SOLVER.solve(problem)
    # PyTorch form: v = 0.5, w = 0.95; velocity form: v = −0.05
    grade = grade_response(solution, SOLVER.variants(problem), "v = -0.05, w = 0.95")
    assert grade.correct


@pytest.mark.parametrize("seed", range(200))
def test_practice_questions_read_back(seed: int) -> None:
    question = SOLVER.practice(random.Random(seed))
    assert question == SOLVER.practice(random.Random(seed))
    text = normalize(question)
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    for name in solution.asked:
        value = solution.answer[name]
        flat = value if isinstance(value, list) else [value]
        assert all(isinstance(x, float) and math.isfinite(x) for x in flat)


def test_practice_uses_several_styles() -> None:
    starts = {SOLVER.practice(random.Random(seed)).split(" ")[0] for seed in range(40)}
    assert {"Perform", "Optimizer:", "Using"} <= starts


OTHER_EXAMPLES = [e.question for s in SOLVERS if s.kind != SOLVER.kind for e in s.examples()]


@pytest.mark.parametrize(
    "question",
    [
        *OTHER_EXAMPLES,
        SEED_Q18,
        SEED_Q20,
        "Explain Adam.",
        "What is momentum in SGD?",
        "Why does weight decay help?",
        "What is the learning rate?",
        "Explain gradient descent with an example.",
        "SGD with L2 regularization λ = 0.01 and learning rate 0.1: w = 2, gradient of the loss 0.5. "
        "What is the updated weight?",
        "Clip the gradient g = [3, 4] to a maximum norm of 1 before the SGD step with learning rate 0.1.",
    ],
)
def test_detect_leaves_other_questions(question: str) -> None:
    assert SOLVER.detect(normalize(question)) < 0.5


def test_examples_answer_themselves() -> None:
    for example in SOLVER.examples():
        solution = solve(example.question)
        for name, value in example.expected.items():
            assert close(solution.answer[name], value, 1e-5), (example.question, name)


def test_exponent_of_a_number_is_not_a_step_count() -> None:
    assert count_of("ε = 1e-8 updates a weight", r"steps?|updates?") is None
    assert count_of("ε = 1E+6 steps later", r"steps?|updates?") is None
    assert count_of("then 3 updates follow", r"steps?|updates?") == 3


# Worked with numpy. RMSProp: s1 = 0.05·0.09 = 0.0045, w1 = 2 − 0.05·0.3/(√0.0045 + 1e-6);
# s2 = 0.95·0.0045 + 0.05·0.25 = 0.016775, w2 = w1 − 0.05·0.5/(√0.016775 + 1e-6).
# AdaGrad: s1 = (1, 0.25), s2 = (1.04, 0.41); w2 = w1 − 0.2·g2/(√s2 + 1e-8).
GRADIENT_PER_STEP = [
    (
        "RMSProp with η = 0.05, ρ = 0.95 and ε = 1e-6 updates a parameter w0 = 2.0 (the cache starts at 0). "
        "Its gradients in the first two iterations are 0.3 and 0.5. What is w after the second iteration?",
        {"w_2": 1.5833751667145781},
    ),
    (
        "Apply AdaGrad with learning rate 0.2 to the weights w = [0.5, 3]. The gradient at iteration 1 is "
        "[1.0, -0.5], and at iteration 2 it is [-0.2, 0.4]. Find the weights after iteration 2.",
        {"w_2": [0.3392232286430214, 3.0750609884403346], "s_2": [1.04, 0.41]},
    ),
]


@pytest.mark.parametrize(("question", "expected"), GRADIENT_PER_STEP)
def test_one_gradient_per_numbered_step(question: str, expected: dict[str, Any]) -> None:
    solution = solve(question)
    for name, value in expected.items():
        assert close(solution.answer[name], value), (name, solution.answer[name], value)
