"""Write `optimizer_step.json`: optimizer updates computed by PyTorch, the independent reference.

Run from the repository root with PyTorch installed (it is not a dependency of the project):
    python tests/reference/make_optimizer_step_reference.py
Each case pairs a question with the values torch.optim produces for it, in float64.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

OUT = Path(__file__).with_name("optimizer_step.json")
Tensor = torch.Tensor


def _value(t: Tensor) -> Any:
    values = t.detach().tolist()
    return values[0] if t.numel() == 1 and t.dim() == 1 else values


def run(
    make: Callable[[list[Tensor]], torch.optim.Optimizer],
    w0: list[float],
    steps: int,
    gradients: list[list[float]] | None = None,
    objective: Callable[[Tensor], Tensor] | None = None,
    state: dict[str, list[float]] | None = None,
    start_step: int = 0,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run `steps` updates; record w after each step and the named optimizer state at the end."""
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    optimizer = make([w])
    if state is not None:
        optimizer.state[w] = {"step": torch.tensor(float(start_step), dtype=torch.float64)}
        optimizer.state[w].update({k: torch.tensor(v, dtype=torch.float64) for k, v in state.items()})
    out: dict[str, Any] = {}
    for k in range(steps):
        optimizer.zero_grad()
        if objective is not None:
            objective(w).backward()
        else:
            assert gradients is not None
            w.grad = torch.tensor(gradients[k], dtype=torch.float64)
        optimizer.step()
        out[f"w_{start_step + k + 1}"] = _value(w)
    out["w"] = _value(w)
    for key, name in (names or {}).items():
        out[name] = _value(optimizer.state[w][key])
    if steps == 1:
        out.pop(f"w_{start_step + 1}")
    return out


def sgd(**kw: Any) -> Callable[[list[Tensor]], torch.optim.Optimizer]:
    return lambda p: torch.optim.SGD(p, **kw)


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "gd_objective",
        "Do two steps of gradient descent on f(w) = (w - 3)^2 from w_0 = 1 with learning rate 0.1. "
        "Give w after each step.",
        run(sgd(lr=0.1), [1.0], 2, objective=lambda w: ((w - 3) ** 2).sum()),
    ),
    (
        "momentum_pytorch_buffer",
        "PyTorch SGD with lr = 0.1 and momentum = 0.9 updates w = 1.0 with the gradients 0.5, 0.3 and -0.2 "
        "on three successive steps. Give w after each step and the final momentum buffer v.",
        run(
            sgd(lr=0.1, momentum=0.9),
            [1.0],
            3,
            gradients=[[0.5], [0.3], [-0.2]],
            names={"momentum_buffer": "v"},
        ),
    ),
    (
        "momentum_vector",
        "SGD with momentum 0.8 and learning rate 0.05: w = [1.0, -2.0], g_1 = [0.4, -0.6], g_2 = [0.1, 0.3]. "
        "Compute w_1 and w_2.",
        run(sgd(lr=0.05, momentum=0.8), [1.0, -2.0], 2, gradients=[[0.4, -0.6], [0.1, 0.3]]),
    ),
    (
        "nesterov_pytorch",
        "Using torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True) on f(x) = x^2 from x_0 = 1, "
        "compute x_1 and x_2.",
        run(sgd(lr=0.1, momentum=0.9, nesterov=True), [1.0], 2, objective=lambda w: (w**2).sum()),
    ),
    (
        "adagrad_vector",
        "Apply AdaGrad with learning rate 0.5 and ε = 1e-10 to w = [1.0, 2.0] with gradients "
        "g_1 = [0.3, -0.4] and g_2 = [0.1, 0.2]. Give w after each step and the accumulated squared "
        "gradient.",
        run(
            lambda p: torch.optim.Adagrad(p, lr=0.5, eps=1e-10),
            [1.0, 2.0],
            2,
            gradients=[[0.3, -0.4], [0.1, 0.2]],
            names={"sum": "s"},
        ),
    ),
    (
        "rmsprop_objective",
        "Run three steps of RMSProp (learning rate 0.01, decay ρ = 0.9, ε = 1e-8) on f(x, y) = x^2 + 10y^2 "
        "starting from (x, y) = (1, 1). What is the point after three steps?",
        run(
            lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
            [1.0, 1.0],
            3,
            objective=lambda w: w[0] ** 2 + 10 * w[1] ** 2,
        ),
    ),
    (
        "rmsprop_pytorch_alpha",
        "torch.optim.RMSprop(params, lr=0.001, alpha=0.99, eps=1e-8): the weight w = 0.5 has gradient -0.2. "
        "Find w after one step and the running average of squared gradients.",
        run(
            lambda p: torch.optim.RMSprop(p, lr=0.001, alpha=0.99, eps=1e-8),
            [0.5],
            1,
            gradients=[[-0.2]],
            names={"square_avg": "s"},
        ),
    ),
    (
        "adam_objective_three_steps",
        "Minimise f(w) = (w - 3)^2 with Adam (learning rate 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8) from "
        "w_0 = 0. Compute w after each of the first three steps, and the final m and v.",
        run(
            lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.9, 0.999), eps=1e-8),
            [0.0],
            3,
            objective=lambda w: ((w - 3) ** 2).sum(),
            names={"exp_avg": "m", "exp_avg_sq": "v"},
        ),
    ),
    (
        "adam_vector_default",
        "Adam with lr = 0.01 and default hyperparameters: w = [0.5, -1.5, 2.0], gradient g = [0.1, -0.3, "
        "0.0]. "
        "Compute the updated weights.",
        run(lambda p: torch.optim.Adam(p, lr=0.01), [0.5, -1.5, 2.0], 1, gradients=[[0.1, -0.3, 0.0]]),
    ),
    (
        "adam_mid_training",
        "At step t = 3 of Adam (lr = 0.01, β1 = 0.9, β2 = 0.999, ε = 1e-8) the moments are m_2 = 0.1 and "
        "v_2 = 0.01, the parameter is θ_2 = 0.5 and the new gradient is g_3 = 0.2. Compute m_3, v_3 and θ_3.",
        run(
            lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
            [0.5],
            1,
            gradients=[[0.2]],
            state={"exp_avg": [0.1], "exp_avg_sq": [0.01]},
            start_step=2,
            names={"exp_avg": "m", "exp_avg_sq": "v"},
        ),
    ),
    (
        "adam_coupled_weight_decay",
        "PyTorch's Adam with lr = 0.05 and weight_decay = 0.1 (added to the gradient) updates w = [1.0, "
        "-2.0] "
        "twice with gradients g_1 = [0.2, 0.2] and g_2 = [-0.1, 0.4]. What is w after two steps?",
        run(
            lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1),
            [1.0, -2.0],
            2,
            gradients=[[0.2, 0.2], [-0.1, 0.4]],
        ),
    ),
    (
        "adamw_decoupled",
        "AdamW (lr = 0.01, weight decay 0.1, β1 = 0.9, β2 = 0.999) updates w = [2.0, -1.0] with the "
        "gradients "
        "g_1 = [0.5, 0.1] and g_2 = [0.4, -0.2]. Give w after each step.",
        run(
            lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
            [2.0, -1.0],
            2,
            gradients=[[0.5, 0.1], [0.4, -0.2]],
        ),
    ),
    (
        "sgd_maximize",
        "Use gradient ascent with step size 0.2 to maximize f(w) = -(w - 2)^2 + 1 from w_0 = 0.5 for two "
        "steps. "
        "Give w_1 and w_2.",
        run(sgd(lr=0.2, maximize=True), [0.5], 2, objective=lambda w: (-((w - 2) ** 2) + 1).sum()),
    ),
    (
        "quadratic_form",
        "Minimize f(w) = 1/2 w^T A w - b^T w with A = [[3, 1], [1, 2]] and b = [1, -1] by gradient descent "
        "with learning rate 0.1 from w_0 = [0, 0]. Compute w_1 and w_2.",
        run(
            sgd(lr=0.1),
            [0.0, 0.0],
            2,
            objective=lambda w: (
                0.5 * w @ torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64) @ w
                - torch.tensor([1.0, -1.0], dtype=torch.float64) @ w
            ),
        ),
    ),
]


def main() -> None:
    cases = [{"name": name, "question": question, "expected": expected} for name, question, expected in CASES]
    payload = {"generator": "torch " + torch.__version__.split("+")[0], "cases": cases}
    OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
