"""Worked examples and fresh practice questions for the optimizer solver."""

from __future__ import annotations

import random

from solvers.base import Example

# The arithmetic behind each expected value is in the comment above it.
EXAMPLES = (
    # f'(w) = 2(w − 3) = −4 at w = 1; w_1 = 1 − 0.1 × (−4) = 1.4
    Example(
        "Perform one step of gradient descent on f(w) = (w - 3)^2 starting from w_0 = 1 with learning "
        "rate 0.1. What is w_1?",
        {"w": 1.4},
    ),
    # v_1 = 0.5, w_1 = 1 − 0.1 × 0.5 = 0.95; v_2 = 0.9 × 0.5 + 0.3 = 0.75, w_2 = 0.95 − 0.075 = 0.875
    Example(
        "SGD with momentum β = 0.9 and learning rate 0.1 starts at w = 1.0 with zero velocity. The gradients "
        "at the first two steps are 0.5 and 0.3. Compute w after each step.",
        {"w_1": 0.95, "w_2": 0.875},
    ),
    # m = 0.1 × 0.2 = 0.02, v = 0.001 × 0.04 = 4e-5; m̂ = 0.2, v̂ = 0.04; w = 1 − 0.01 × 0.2 / 0.2 = 0.99
    Example(
        "Adam optimizer with learning rate 0.01 and default β1 = 0.9, β2 = 0.999, ε = 1e-8. The parameter is "
        "w = 1.0 and the gradient is g = 0.2. Compute m_1, v_1, the bias-corrected estimates and w_1.",
        {"m": 0.02, "v": 4e-05, "m_hat": 0.2, "v_hat": 0.04, "w": 0.99},
    ),
    # s = 0.1 × 0.01 = 0.001, √s = 0.0316228; w = 0.5 − 0.01 × 0.1 / 0.0316228 = 0.4683772
    Example(
        "RMSProp with decay rate ρ = 0.9, learning rate 0.01: the weight w = 0.5 has gradient 0.1 and the "
        "running average of squared gradients starts at 0. Find the updated weight.",
        {"w": 0.4683772},
    ),
    # s_1 = [0.25, 1], w_1 = [1 − 0.1, 2 + 0.1] = [0.9, 2.1]; s_2 = [0.5, 2],
    # w_2 = [0.9 − 0.05/√0.5, 2.1 − 0.1/√2] = [0.8292893, 2.0292893]
    Example(
        "Apply AdaGrad with learning rate 0.1 to w = [1, 2]. The gradients are g_1 = [0.5, -1] and "
        "g_2 = [0.5, 1]. What is w after two steps?",
        {"w": [0.8292893, 2.0292893]},
    ),
    # look-ahead at x = 1 (v = 0): g = 2, v_1 = −0.1 × 2 = −0.2, x_1 = 0.8
    Example(
        "Using Nesterov momentum with μ = 0.9 and η = 0.1 on f(x) = x^2 from x_0 = 1 (initial velocity 0), "
        "compute x_1.",
        {"w": 0.8},
    ),
    # decay: 2 × (1 − 0.1 × 0.1) = 1.98; Adam step at t = 1 is ≈ η·sign(g) = 0.1: w = 1.88
    Example(
        "AdamW with lr = 0.1, weight decay 0.1 and default betas updates w = 2.0 whose gradient is 0.5. "
        "What is the new w?",
        {"w": 1.88},
    ),
    # ∇f = Aw − b = [−1, −1] at w = 0; w_1 = 0 − 0.1 × [−1, −1] = [0.1, 0.1]
    Example(
        "Minimize f(w) = 1/2 w^T A w - b^T w with A = [[2, 0], [0, 4]] and b = [1, 1] by gradient descent "
        "with step size 0.1, starting at w_0 = [0, 0]. Give w_1.",
        {"w": [0.1, 0.1]},
    ),
)


def _pick(rng: random.Random, values: tuple[float, ...]) -> float:
    return values[rng.randrange(len(values))]


def _scalar(rng: random.Random, low: float, high: float, digits: int = 1) -> float:
    value = round(rng.uniform(low, high), digits)
    return value if value != 0 else round(high / 2, digits)


def _methods(rng: random.Random) -> str:
    return ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")[rng.randrange(7)]


def _hyper(rng: random.Random, method: str) -> tuple[str, str]:
    """The hyperparameters in words and in LaTeX."""
    lr = _pick(rng, (0.01, 0.05, 0.1, 0.2))
    if method in ("momentum", "nesterov"):
        beta = _pick(rng, (0.5, 0.8, 0.9))
        return f"learning rate {lr} and momentum {beta}", rf"$\eta = {lr}$ and $\beta = {beta}$"
    if method == "rmsprop":
        rho = _pick(rng, (0.9, 0.95, 0.99))
        return (
            f"learning rate {lr}, decay rate ρ = {rho} and ε = 1e-8",
            rf"$\eta = {lr}$, $\rho = {rho}$, $\epsilon = 10^{{-8}}$",
        )
    if method in ("adam", "adamw"):
        decay = f", weight decay {_pick(rng, (0.01, 0.1))}" if method == "adamw" else ""
        return (
            f"learning rate {lr}, β1 = 0.9, β2 = 0.999, ε = 1e-8{decay}",
            rf"$\alpha = {lr}$, $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{{-8}}${decay}",
        )
    if method == "adagrad":
        return f"learning rate {lr} and ε = 1e-8", rf"$\eta = {lr}$, $\epsilon = 10^{{-8}}$"
    return f"learning rate {lr}", rf"$\eta = {lr}$"


_NAMES = {
    "gd": "gradient descent",
    "momentum": "SGD with momentum",
    "nesterov": "Nesterov momentum",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adamw": "AdamW",
}


_TORCH = {
    "gd": "torch.optim.SGD([w], lr={lr})",
    "momentum": "torch.optim.SGD([w], lr={lr}, momentum=0.9)",
    "nesterov": "torch.optim.SGD([w], lr={lr}, momentum=0.9, nesterov=True)",
    "adagrad": "torch.optim.Adagrad([w], lr={lr}, eps=1e-8)",
    "rmsprop": "torch.optim.RMSprop([w], lr={lr}, alpha=0.9, eps=1e-8)",
    "adam": "torch.optim.Adam([w], lr={lr})",
    "adamw": "torch.optim.AdamW([w], lr={lr}, weight_decay=0.01)",
}


def _code(rng: random.Random, method: str) -> str:
    lr = _pick(rng, (0.01, 0.05, 0.1))
    w = _scalar(rng, -2, 2, 2)
    g = _scalar(rng, -1, 1, 2)
    call = _TORCH[method].format(lr=lr)
    return (
        f"```python\noptimizer = {call}\n```\nThe parameter is w = {w} and after loss.backward() its "
        f"gradient is w.grad = {g}. What is w after optimizer.step()?"
    )


def _forum(rng: random.Random, method: str, words: str) -> str:
    w = _scalar(rng, -2, 2, 2)
    g = _scalar(rng, -1, 1, 2)
    return (
        f"I'm checking {_NAMES[method]} by hand ({words}). My weight is currently w = {w} and its gradient "
        f"is "
        f"{g}. What should the new weight be after one update?"
    )


def practice_question(rng: random.Random) -> str:
    """One question in one of five styles: an objective in prose, a data list, LaTeX with gradients,
    framework code, or a forum post."""
    method = _methods(rng)
    words, latex = _hyper(rng, method)
    style = rng.randrange(5)
    name = _NAMES[method]
    if style == 3:
        return _code(rng, method)
    if style == 4:
        return _forum(rng, method, words)
    if style == 0:
        a = _pick(rng, (1.0, 2.0, 0.5, 3.0))
        c = _scalar(rng, -3, 3)
        w0 = _scalar(rng, -2, 4)
        if w0 == c:
            w0 = round(c + 1.5, 1)
        steps = rng.randrange(1, 3)
        count = "one step" if steps == 1 else "two steps"
        ask = "What is w after the update?" if steps == 1 else "Give w after each step."
        sign = "-" if c >= 0 else "+"
        return (
            f"Perform {count} of {name} on f(w) = {a}(w {sign} {abs(c)})^2 starting from w_0 = {w0}, "
            f"with {words}. {ask}"
        )
    if style == 1:
        size = rng.randrange(2, 4)
        w = [_scalar(rng, -2, 2) for _ in range(size)]
        g = [_scalar(rng, -1, 1, 2) for _ in range(size)]
        return (
            f"Optimizer: {name}\nHyperparameters: {words}\nCurrent weights: w = {w}\n"
            f"Gradient of the loss: g = {g}\nCompute the updated weights after one step."
        )
    w0 = _scalar(rng, -2, 2, 2)
    grads = [_scalar(rng, -1, 1, 2) for _ in range(rng.randrange(1, 4))]
    listed = ", ".join(f"$g_{i + 1} = {g}$" for i, g in enumerate(grads))
    steps = len(grads)
    ask = r"What is $\theta_1$?" if steps == 1 else rf"Compute $\theta_{{{steps}}}$."
    return (
        f"Using {name} with {latex}, update $\\theta_0 = {w0}$ for {steps} step{'s' if steps > 1 else ''}; "
        f"the gradients are {listed}. {ask}"
    )
