"""An optimizer-step problem as read from a question, the update rules it uses, and its answer parts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from solvers.base import PartSpec, ValueKind
from solvers.optimizer_objective import Objective

Vec = tuple[float, ...]


class Method(StrEnum):
    GD = "gradient descent"
    MOMENTUM = "momentum"
    NESTEROV = "Nesterov momentum"
    ADAGRAD = "AdaGrad"
    RMSPROP = "RMSProp"
    ADAM = "Adam"
    ADAMW = "AdamW"


ADAPTIVE = (Method.ADAGRAD, Method.RMSPROP, Method.ADAM, Method.ADAMW)
ADAM_LIKE = (Method.ADAM, Method.ADAMW)


class MomentumForm(StrEnum):
    ACCUMULATE = "v ← βv + g, w ← w − ηv"  # PyTorch (dampening 0)
    VELOCITY = "v ← βv − ηg, w ← w + v"  # Sutskever et al., Goodfellow et al.
    AVERAGE = "v ← βv + (1 − β)g, w ← w − ηv"  # exponentially weighted average


class NesterovForm(StrEnum):
    LOOKAHEAD = "v ← βv − η∇f(w + βv), w ← w + v"  # the textbook look-ahead
    PYTORCH = "v ← βv + ∇f(w), w ← w − η(∇f(w) + βv)"  # torch.optim.SGD(nesterov=True)


@dataclass(frozen=True)
class Rules:
    """How an update is computed. The right rules come from the question; a mistake is other rules."""

    momentum_form: MomentumForm = MomentumForm.ACCUMULATE
    nesterov_form: NesterovForm = NesterovForm.LOOKAHEAD
    eps_inside: bool = False  # ε inside the square root: √(s + ε)
    bias_correction: bool = True
    sign: float = -1.0  # −1: descent; +1: ascent
    use_lr: bool = True
    accumulate: bool = True  # AdaGrad: running sum of g² (False: only the last g²)
    average_weight: bool = True  # RMSProp / Adam: (1 − ρ) on the new term
    square_root: bool = True
    decoupled: bool = True  # weight decay on w directly (AdamW); False: λw added to the gradient
    decay_lr: bool = True  # decoupled decay multiplied by the learning rate (PyTorch)
    recompute: bool = True  # an objective's gradient re-evaluated at every step
    lookahead: bool = True  # Nesterov's correction (False: plain momentum)
    momentum: bool = True  # False: the velocity is ignored (plain gradient descent)
    swap_betas: bool = False
    rho: float | None = None  # replaces the problem's ρ (another default)
    batch_mean: bool = True  # per-example gradients averaged (False: summed)


@dataclass(frozen=True)
class OptimizerProblem:
    method: Method
    w0: Vec
    shape: tuple[int, ...]  # () scalar, (n,) vector, (r, c) matrix
    steps: int
    lr: float
    gradients: tuple[Vec, ...]  # one per step; empty when the objective gives them
    objective: Objective | None
    beta: float  # momentum coefficient, or RMSProp's decay ρ
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    t0: int  # the step number of the first update (Adam's bias correction)
    state0: tuple[tuple[str, Vec], ...]  # the optimizer state before the first update
    rules: Rules
    stated: frozenset[str]  # conventions the question fixes ("momentum_form", "bias_correction"...)
    defaults: tuple[str, ...]  # hyperparameters the question leaves out, filled in by default
    asked: tuple[str, ...]
    name: str  # the parameter as the question names it: "w", "θ", "x"
    batch: tuple[Vec, ...] = ()  # per-example gradients of one mini-batch (averaged)
    has_start: bool = True  # False: no starting value given, only the update is reported

    @property
    def size(self) -> int:
        return len(self.w0)

    def initial(self, key: str) -> Vec:
        return dict(self.state0).get(key, (0.0,) * self.size)


def state_names(method: Method) -> tuple[str, ...]:
    if method in (Method.MOMENTUM, Method.NESTEROV):
        return ("v",)
    if method in (Method.ADAGRAD, Method.RMSPROP):
        return ("s",)
    if method in ADAM_LIKE:
        return ("m", "v", "m_hat", "v_hat")
    return ()


_STATE_LABELS = {
    ("v", Method.MOMENTUM): ("Velocity", ("velocity", "momentum buffer", "momentum term", "buf", "v_t")),
    ("v", Method.NESTEROV): ("Velocity", ("velocity", "momentum buffer", "momentum term", "buf", "v_t")),
    ("s", Method.ADAGRAD): (
        "Accumulated squared gradient",
        ("G", "r", "cache", "accumulator", "sum of squared gradients", "s_t", "G_t", "r_t"),
    ),
    ("s", Method.RMSPROP): (
        "Moving average of squared gradients",
        ("E[g^2]", "v", "r", "cache", "mean square", "running average", "s_t", "v_t", "r_t", "E[g²]"),
    ),
    ("m", None): (
        "First moment estimate",
        ("first moment", "m_t", "mean of gradients", "first moment estimate"),
    ),
    ("v", None): (
        "Second moment estimate",
        ("second moment", "v_t", "second moment estimate", "uncentered variance"),
    ),
    ("m_hat", None): (
        "Bias-corrected first moment",
        ("m hat", "m̂", "mhat", "m̂_t", "corrected m", "bias-corrected m", "bias corrected first moment"),
    ),
    ("v_hat", None): (
        "Bias-corrected second moment",
        ("v hat", "v̂", "vhat", "v̂_t", "corrected v", "bias-corrected v", "bias corrected second moment"),
    ),
}


def _state_label(key: str, method: Method) -> tuple[str, tuple[str, ...]]:
    if (key, method) in _STATE_LABELS:
        return _STATE_LABELS[(key, method)]
    return _STATE_LABELS[(key, None)]


def split_part(name: str) -> tuple[str, int | None]:
    """`w_2` → ("w", 2); `m_hat` → ("m_hat", None); `v_hat_3` → ("v_hat", 3)."""
    head, _, tail = name.rpartition("_")
    if head and tail.isdigit():
        return head, int(tail)
    return name, None


def part_spec(problem: OptimizerProblem, name: str, value: object) -> PartSpec:
    """How each answer part is named, labelled and compared."""
    kind = ValueKind.VECTOR if isinstance(value, list) else ValueKind.SCALAR
    key, step = split_part(name)
    n, single = problem.name, problem.steps == 1
    last = problem.t0 + problem.steps - 1
    if key == "w":
        if step is None:
            aliases = [
                "updated parameter",
                "new parameter",
                "updated weight",
                "updated weights",
                "new weight",
            ]
            aliases += ["new weights", "final weight", "final weights", "final parameter", "result", "weight"]
            aliases += [n, f"{n}_new", f"{n}_{{new}}", f"new {n}", f"updated {n}", f"final {n}", "parameter"]
            if single:
                aliases += [f"{n}_{last}", f"{n}{last}", f"{n}_{{{last}}}", f"{n}^({last})", f"w_{last}"]
                aliases += [f"θ_{last}", f"x_{last}", "w'", f"{n}'"]
            return PartSpec(name, f"Updated {n}", kind, tuple(dict.fromkeys(aliases)))
        aliases = [f"{n}_{step}", f"{n}{step}", f"{n}_{{{step}}}", f"{n}^({step})", f"w_{step}", f"w{step}"]
        aliases += [f"θ_{step}", f"x_{step}", f"after step {step}", f"step {step}", f"iteration {step}"]
        return PartSpec(name, f"{n} after step {step}", kind, tuple(dict.fromkeys(aliases)))
    fixed: tuple[str, ...]
    if key == "gradient":
        fixed = ("grad", "g", "∇f", "∇l", "∇", "df/dw", "dl/dw", "f'", "derivative", "g_1", "g_0")
        return PartSpec(name, "Gradient", kind, fixed)
    if key == "update":
        fixed = ("step", "Δw", "Δθ", "delta w", "change", "update vector", "update step", "Δx", "step size")
        return PartSpec(name, "Update Δw", kind, fixed)
    if key == "effective_lr":
        fixed = (
            "effective learning rate",
            "effective step size",
            "adaptive learning rate",
            "per-parameter lr",
        )
        return PartSpec(name, "Effective learning rate", kind, fixed)
    label, base_aliases = _state_label(key, problem.method)
    if step is None:
        aliases = list(base_aliases)
        if single:
            aliases += [f"{key}_{last}", f"{key}{last}"]
        return PartSpec(name, label, kind, tuple(dict.fromkeys(aliases)))
    return PartSpec(name, f"{label} after step {step}", kind, (f"{key}_{step}", f"{key}{step}"))
