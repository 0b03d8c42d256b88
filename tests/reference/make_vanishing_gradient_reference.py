"""Write `vanishing_gradient.json`: the input gradient of a deep scalar chain, by PyTorch's autograd.

Each layer computes a_l = act(w·a_{l−1} + b_l), with b_l chosen so that the pre-activation is the z the
question states; autograd then gives ∂a_L/∂a_0, the product of the layers' factors w·act'(z).
Run from the repository root with PyTorch installed (it is not a dependency of the project):
    python tests/reference/make_vanishing_gradient_reference.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import torch

OUT = Path(__file__).with_name("vanishing_gradient.json")


def chain_gradient(
    act: Callable[[torch.Tensor], torch.Tensor], weight: float, z: float, layers: int
) -> float:
    x = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    a = x
    for _ in range(layers):
        bias = z - weight * a.detach()  # pins the pre-activation at z; the bias is a constant
        a = act(weight * a + bias)
    a.backward()
    assert x.grad is not None
    return abs(x.grad.item())


CASES = [
    (
        "sigmoid_peak",
        "A 10-layer network uses sigmoid activations whose pre-activations are all z = 0, and every weight "
        "is 1. "
        "By what factor is the gradient multiplied when it reaches the first layer?",
        chain_gradient(torch.sigmoid, 1.0, 0.0, 10),
    ),
    (
        "tanh_z1",
        "A 4-layer tanh network has pre-activation z = 1 at every layer. Compute the product of the "
        "activation "
        "derivatives.",
        chain_gradient(torch.tanh, 1.0, 1.0, 4),
    ),
    (
        "sigmoid_weighted",
        "Sigmoid pre-activations equal 2 in each of 3 layers and every weight equals 0.5; compute the "
        "gradient "
        "scaling factor.",
        chain_gradient(torch.sigmoid, 0.5, 2.0, 3),
    ),
    (
        "relu_exploding",
        "With ReLU activations (all units active, pre-activations z = 1), weights of 1.2 and 10 layers, by "
        "what "
        "factor does the gradient grow?",
        chain_gradient(torch.relu, 1.2, 1.0, 10),
    ),
    (
        "sigmoid_large_weight",
        "Every weight is 5 and every sigmoid pre-activation is z = 0 in a 20-layer network. By what factor "
        "is the "
        "gradient multiplied?",
        chain_gradient(torch.sigmoid, 5.0, 0.0, 20),
    ),
]


def main() -> None:
    payload = {
        "generator": "torch " + torch.__version__.split("+")[0],
        "cases": [{"name": n, "question": q, "expected": {"factor": v}} for n, q, v in CASES],
    }
    OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
