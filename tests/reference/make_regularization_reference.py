"""Write `regularization.json`: penalties, their gradients (autograd), weight-decay steps (torch.optim.SGD),
soft-thresholding (softshrink) and norms (torch.linalg), computed by PyTorch as the independent reference.

Run from the repository root with PyTorch installed (it is not a dependency of the project):
    python tests/reference/make_regularization_reference.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

OUT = Path(__file__).with_name("regularization.json")
Tensor = torch.Tensor


def t(values: list[float]) -> Tensor:
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


def listed(x: Tensor) -> Any:
    return x.detach().tolist()


def penalty(w0: list[float], omega: Callable[[Tensor], Tensor]) -> tuple[float, list[float]]:
    w = t(w0)
    value = omega(w)
    value.backward()
    assert w.grad is not None
    return value.item(), listed(w.grad)


def sgd_step(w0: list[float], grad: list[float], lr: float, weight_decay: float) -> list[float]:
    w = t(w0)
    optimizer = torch.optim.SGD([w], lr=lr, weight_decay=weight_decay)
    w.grad = torch.tensor(grad, dtype=torch.float64)
    optimizer.step()
    return listed(w)


def l1(w: Tensor) -> Tensor:
    return w.abs().sum()


def sq(w: Tensor) -> Tensor:
    return (w**2).sum()


def cases() -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    value, grad = penalty([0.5, -1.0, 2.0, 0.0], lambda w: 0.1 * sq(w))
    out.append(
        (
            "l2_sum_of_squares",
            "For w = [0.5, -1.0, 2.0, 0.0] and the penalty λΣw_i^2 with λ = 0.1, compute the penalty and "
            "its gradient.",
            {"penalty": value, "penalty_gradient": grad},
        )
    )
    value, grad = penalty([3.0, -4.0], lambda w: 0.5 * 0.2 * sq(w))
    out.append(
        (
            "l2_half",
            (
                "The regularizer is (λ/2)||w||_2^2 with λ = 0.2 and w = [3, -4]. Find the penalty and its "
                "gradient."
            ),
            {"penalty": value, "penalty_gradient": grad},
        )
    )
    value, grad = penalty([0.3, -0.2, 0.0, 1.5], lambda w: 0.05 * l1(w))
    out.append(
        (
            "l1_subgradient",
            "L1 regularization with λ = 0.05 on w = [0.3, -0.2, 0.0, 1.5]: compute the penalty λ||w||_1 and "
            "its (sub)gradient.",
            {"penalty": value, "penalty_gradient": grad},
        )
    )
    value, grad = penalty([1.0, -2.0, 0.5], lambda w: 0.1 * l1(w) + 0.3 * sq(w))
    out.append(
        (
            "elastic_lambdas",
            "Elastic net with λ1 = 0.1 and λ2 = 0.3, penalty λ1||w||_1 + λ2||w||_2^2, at w = [1.0, -2.0, "
            "0.5]: "
            "compute the penalty and its gradient.",
            {"penalty": value, "penalty_gradient": grad},
        )
    )
    value, grad = penalty([2.0, -1.0, 0.0], lambda w: 0.4 * 0.25 * l1(w) + 0.5 * 0.4 * 0.75 * sq(w))
    out.append(
        (
            "elastic_sklearn",
            "An ElasticNet with alpha = 0.4 and l1_ratio = 0.25 has coefficients w = [2.0, -1.0, 0.0]. "
            "Compute "
            "the penalty and its gradient.",
            {"penalty": value, "penalty_gradient": grad},
        )
    )
    out.append(
        (
            "weight_decay_step",
            "torch.optim.SGD with lr = 0.1 and weight_decay = 0.01 updates w = [1.0, -2.0, 0.5] whose loss "
            "gradient is [0.3, -0.1, 0.0]. What are the new weights?",
            {"w": sgd_step([1.0, -2.0, 0.5], [0.3, -0.1, 0.0], 0.1, 0.01)},
        )
    )
    out.append(
        (
            "l2_step_sum_of_squares",
            "With L2 regularization λΣw² (λ = 0.05), learning rate 0.2 and data-loss gradient [0.4, 0.2], "
            "update w = [2.0, -1.0] by one gradient step.",
            {"w": sgd_step([2.0, -1.0], [0.4, 0.2], 0.2, 2 * 0.05)},
        )
    )
    z = torch.tensor([1.2, -0.3, 0.5, -2.0, 0.05], dtype=torch.float64)
    out.append(
        (
            "soft_threshold",
            "Apply soft-thresholding with threshold 0.4 to the vector z = [1.2, -0.3, 0.5, -2.0, 0.05].",
            {"w": listed(F.softshrink(z, 0.4))},
        )
    )
    w, g, lr, lam = [0.9, -0.4, 0.05, -1.5], [0.2, -0.1, 0.1, 0.3], 0.5, 0.3
    step = torch.tensor(w, dtype=torch.float64) - lr * torch.tensor(g, dtype=torch.float64)
    out.append(
        (
            "ista_step",
            f"One ISTA (proximal gradient) step for the lasso with λ = {lam} and learning rate {lr}: "
            f"w = {w}, gradient of the data loss {g}. What are the new weights?",
            {"w": listed(F.softshrink(step, lr * lam))},
        )
    )
    v = torch.tensor([3.0, -4.0, 12.0, 0.0], dtype=torch.float64)
    out.append(
        (
            "norms",
            "For the vector v = [3, -4, 12, 0], compute its L1 norm, L2 norm, squared L2 norm and L∞ norm.",
            {
                "l1_norm": torch.linalg.vector_norm(v, 1).item(),
                "l2_norm": torch.linalg.vector_norm(v, 2).item(),
                "l2_norm_squared": (torch.linalg.vector_norm(v, 2) ** 2).item(),
                "linf_norm": torch.linalg.vector_norm(v, float("inf")).item(),
            },
        )
    )
    value, _ = penalty([1.5, -0.5], lambda w: 0.02 * sq(w))
    out.append(
        (
            "total_loss_bias_excluded",
            "A model with weights w = [1.5, -0.5] and bias b = 3.0 has cross-entropy loss 0.45. The L2 "
            "penalty "
            "λΣw² with λ = 0.02 is applied to the weights only, not to the bias. What is the total loss?",
            {"total_loss": 0.45 + value},
        )
    )
    return out


def main() -> None:
    payload = {
        "generator": "torch " + torch.__version__.split("+")[0],
        "cases": [{"name": n, "question": q, "expected": e} for n, q, e in cases()],
    }
    OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
