"""Write `gradient_clipping.json`: clip_grad_norm_ and clip_grad_value_ run by PyTorch, the reference.

Run from the repository root with PyTorch installed (it is not a dependency of the project):
    python tests/reference/make_gradient_clipping_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

OUT = Path(__file__).with_name("gradient_clipping.json")


def clip_norm(
    grads: dict[str, list[Any]], max_norm: float, norm_type: float = 2.0, separately: bool = False
) -> dict[str, Any]:
    """clip_grad_norm_ on all tensors at once, or on each on its own; parts named as the solver names them."""
    params = {}
    for name, values in grads.items():
        p = torch.zeros(torch.tensor(values).shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(values, dtype=torch.float64)
        params[name] = p
    single = len(grads) == 1
    out: dict[str, Any] = {}
    if separately:
        for name, p in params.items():
            total = torch.nn.utils.clip_grad_norm_([p], max_norm, norm_type=norm_type)
            out[f"norm_{name}"] = total.item()
    else:
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm, norm_type=norm_type)
        out["norm" if single else "global_norm"] = total.item()
    for name, p in params.items():
        assert p.grad is not None
        out["clipped" if single else f"clipped_{name}"] = p.grad.tolist()
    return out


def clip_value(values: list[float], clip: float) -> dict[str, Any]:
    p = torch.zeros(len(values), dtype=torch.float64, requires_grad=True)
    p.grad = torch.tensor(values, dtype=torch.float64)
    torch.nn.utils.clip_grad_value_([p], clip)
    assert p.grad is not None
    return {"clipped": p.grad.tolist()}


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "norm_over",
        (
            "The gradient g = [3, 4] is clipped to a maximum L2 norm of 1. Give its norm and the clipped "
            "gradient."
        ),
        clip_norm({"1": [3.0, 4.0]}, 1.0),
    ),
    (
        "norm_under",
        "Clip g = [0.1, 0.2, 0.2] to a maximum norm of 1. What are its norm and the clipped gradient?",
        clip_norm({"1": [0.1, 0.2, 0.2]}, 1.0),
    ),
    (
        "global_two",
        "torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=6.5) on two gradients g1 = [3, 4] and "
        "g2 = [12, 0]. What total norm is returned and what are the clipped gradients?",
        clip_norm({"g1": [3.0, 4.0], "g2": [12.0, 0.0]}, 6.5),
    ),
    (
        "global_matrix_and_bias",
        "clip_grad_norm_ with max_norm = 1.0 is applied to the gradients W = [[0.5, -1.0], [2.0, 0.5]] and "
        "b = [1.5, -0.5]. Compute the global norm and the clipped gradients.",
        clip_norm({"W": [[0.5, -1.0], [2.0, 0.5]], "b": [1.5, -0.5]}, 1.0),
    ),
    (
        "separately",
        "Clip each gradient separately to norm 2: grad_a = [3, 4, 0] and grad_b = [1, -1, 1]. Give each norm "
        "and "
        "the clipped gradients.",
        clip_norm({"a": [3.0, 4.0, 0.0], "b": [1.0, -1.0, 1.0]}, 2.0, separately=True),
    ),
    (
        "inf_norm",
        "clip_grad_norm_(params, max_norm=1.0, norm_type=float('inf')) with a single gradient [0.5, -3.0, "
        "2.0]: "
        "what are the norm and the clipped gradient?",
        clip_norm({"1": [0.5, -3.0, 2.0]}, 1.0, norm_type=float("inf")),
    ),
    (
        "value",
        "torch.nn.utils.clip_grad_value_(params, clip_value=0.5) is applied to a gradient "
        "[0.2, -0.7, 1.5, -0.1, 0.5]. What is the gradient afterwards?",
        clip_value([0.2, -0.7, 1.5, -0.1, 0.5], 0.5),
    ),
]


def main() -> None:
    payload = {
        "generator": "torch " + torch.__version__.split("+")[0],
        "cases": [{"name": n, "question": q, "expected": e} for n, q, e in CASES],
    }
    OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
