"""PyTorch's own initialization bounds and standard deviations, written to `initialization.json`.

torch is not a dependency of the project or its tests: this script is run by hand where torch is
installed (`python tests/reference/make_initialization_reference.py`), and its output is committed.
It records the exact arguments torch passes to `Tensor.uniform_` / `Tensor.normal_` (the limit a of
U(−a, a) or the standard deviation σ), and the sample standard deviation of the drawn weights.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch
from torch import nn

OUT = Path(__file__).with_name("initialization.json")
captured: list[tuple[str, float]] = []
_uniform = torch.Tensor.uniform_
_normal = torch.Tensor.normal_


def _spy_uniform(
    self: torch.Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None
) -> torch.Tensor:
    captured.append(("limit", float(b)))
    return _uniform(self, a, b, generator=generator)


def _spy_normal(
    self: torch.Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None
) -> torch.Tensor:
    captured.append(("std", float(std)))
    return _normal(self, mean, std, generator=generator)


torch.Tensor.uniform_ = _spy_uniform  # type: ignore[method-assign]
torch.Tensor.normal_ = _spy_normal  # type: ignore[method-assign]

# (function, weight shape (PyTorch layout: out, in, *kernel), keyword arguments)
INIT_CASES: list[tuple[str, tuple[int, ...], dict[str, Any]]] = [
    ("xavier_uniform_", (128, 256), {}),
    ("xavier_normal_", (50, 200), {}),
    ("xavier_uniform_", (64, 192), {"gain": "relu"}),
    ("xavier_uniform_", (16, 3, 5, 5), {}),
    ("xavier_normal_", (32, 16, 3, 3), {}),
    ("kaiming_uniform_", (256, 784), {"mode": "fan_in", "nonlinearity": "relu"}),
    ("kaiming_normal_", (128, 512), {"mode": "fan_in", "nonlinearity": "relu"}),
    ("kaiming_normal_", (128, 512), {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", (100, 300), {"a": 0.2, "mode": "fan_in", "nonlinearity": "leaky_relu"}),
    ("kaiming_uniform_", (64, 100), {"mode": "fan_in", "nonlinearity": "tanh"}),
    ("kaiming_normal_", (128, 64, 3, 3), {"mode": "fan_in", "nonlinearity": "relu"}),
    ("kaiming_normal_", (64, 32, 3, 3), {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_uniform_", (10, 1000), {"mode": "fan_in", "nonlinearity": "relu"}),
]
MODULE_CASES: list[tuple[str, tuple[int, ...]]] = [
    ("Linear", (100, 50)),
    ("Linear", (784, 10)),
    ("Conv2d", (3, 16, 3)),
    ("Conv2d", (64, 128, 5)),
]


def _init_case(name: str, shape: tuple[int, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    weight = torch.empty(*shape)
    call = dict(kwargs)
    if "gain" in call:
        call["gain"] = nn.init.calculate_gain(call["gain"])
    captured.clear()
    getattr(nn.init, name)(weight, **call)
    ((quantity, value),) = captured
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(weight)
    return {
        "function": name,
        "shape": list(shape),
        "kwargs": kwargs,
        "fan_in": fan_in,
        "fan_out": fan_out,
        "quantity": quantity,
        "value": value,
        "std": value if quantity == "std" else value / math.sqrt(3.0),
        "sample_std": float(weight.std()),
    }


def _module_case(name: str, args: tuple[int, ...]) -> dict[str, Any]:
    captured.clear()
    getattr(nn, name)(*args)
    (_, weight_limit), (_, bias_limit) = captured
    return {"module": name, "args": list(args), "weight_limit": weight_limit, "bias_limit": bias_limit}


def main() -> None:
    torch.manual_seed(0)
    data = {
        "torch_version": torch.__version__,
        "init": [_init_case(*case) for case in INIT_CASES],
        "modules": [_module_case(*case) for case in MODULE_CASES],
    }
    OUT.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
