"""PyTorch's own parameter counts and output shapes, written to `architecture.json`.

torch is not a dependency of the project or its tests: this script is run by hand where torch is
installed (`python tests/reference/make_architecture_reference.py`), and its output is committed.
Each case is a snippet of PyTorch code; the count is `sum(p.numel() for p in module.parameters())`
and the shape is that of the module applied to the input tensor `x` (when the snippet has one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

OUT = Path(__file__).with_name("architecture.json")
QUESTION = "How many parameters does the model have, and what is the output shape?"

# (code as a question would show it, the module, the input shape or None)
CASES: list[tuple[str, nn.Module, tuple[int, ...] | None]] = [
    (
        "conv = nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)\nx = torch.randn(1, 3, 64, 64)",
        nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1),
        (1, 3, 64, 64),
    ),
    (
        "conv = nn.Conv2d(64, 128, 3, padding=1, bias=False)\nx = torch.randn(2, 64, 32, 32)",
        nn.Conv2d(64, 128, 3, padding=1, bias=False),
        (2, 64, 32, 32),
    ),
    (
        "conv = nn.Conv2d(32, 32, 3, groups=32)\nx = torch.randn(1, 32, 16, 16)",
        nn.Conv2d(32, 32, 3, groups=32),
        (1, 32, 16, 16),
    ),
    (
        "up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\nx = torch.randn(1, 16, 16, 16)",
        nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1),
        (1, 16, 16, 16),
    ),
    (
        "conv = nn.Conv2d(3, 8, 3, dilation=2)\nx = torch.randn(1, 3, 32, 32)",
        nn.Conv2d(3, 8, 3, dilation=2),
        (1, 3, 32, 32),
    ),
    (
        "conv = nn.Conv2d(3, 8, 5, stride=3, padding=2)\nx = torch.randn(1, 3, 100, 100)",
        nn.Conv2d(3, 8, 5, stride=3, padding=2),
        (1, 3, 100, 100),
    ),
    (
        "conv = nn.Conv1d(4, 8, 5)\nx = torch.randn(1, 4, 100)",
        nn.Conv1d(4, 8, 5),
        (1, 4, 100),
    ),
    (
        "pool = nn.Sequential(nn.Conv2d(3, 96, 11, stride=4), nn.MaxPool2d(3, stride=2))\nx = "
        "torch.randn(1, 3, 227, 227)",
        nn.Sequential(nn.Conv2d(3, 96, 11, stride=4), nn.MaxPool2d(3, stride=2)),
        (1, 3, 227, 227),
    ),
    (
        "net = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5), "
        "nn.ReLU(),\n"
        "    nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), "
        "nn.ReLU(),\n"
        "    nn.Linear(84, 10))",
        nn.Sequential(
            nn.Conv2d(3, 6, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, 2),
            nn.Flatten(),
            nn.Linear(400, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10),
        ),
        None,
    ),
    ("fc = nn.Linear(784, 256)", nn.Linear(784, 256), None),
    ("fc = nn.Linear(512, 10, bias=False)", nn.Linear(512, 10, bias=False), None),
    ("rnn = nn.RNN(10, 20)", nn.RNN(10, 20), None),
    ("lstm = nn.LSTM(input_size=100, hidden_size=128)", nn.LSTM(input_size=100, hidden_size=128), None),
    ("gru = nn.GRU(32, 64)", nn.GRU(32, 64), None),
    ("gru = nn.GRU(50, 100, bias=False)", nn.GRU(50, 100, bias=False), None),
    (
        "lstm = nn.LSTM(300, 256, num_layers=2, bidirectional=True)",
        nn.LSTM(300, 256, num_layers=2, bidirectional=True),
        None,
    ),
    ("emb = nn.Embedding(1000, 64)", nn.Embedding(1000, 64), None),
    (
        "net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, "
        "10))",
        nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10)),
        None,
    ),
    (
        "bn = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32))\nx = torch.randn(4, 3, 28, "
        "28)",
        nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32)),
        (4, 3, 28, 28),
    ),
]


def _case(code: str, module: nn.Module, shape: tuple[int, ...] | None) -> dict[str, Any]:
    params = sum(p.numel() for p in module.parameters())
    out: dict[str, Any] = {"code": code, "question": QUESTION, "params": params}
    if shape is not None:
        with torch.no_grad():
            out["output_shape"] = list(module(torch.zeros(*shape)).shape)
    return out


def main() -> None:
    data = {"torch_version": torch.__version__, "cases": [_case(*case) for case in CASES]}
    OUT.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
