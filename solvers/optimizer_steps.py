"""Worked steps and stated conventions for an optimizer update, with the numbers put in."""

from __future__ import annotations

from solvers.base import Step
from solvers.numbers import format_number
from solvers.optimizer_compute import Record, run
from solvers.optimizer_problem import (
    ADAM_LIKE,
    Method,
    MomentumForm,
    NesterovForm,
    OptimizerProblem,
    Vec,
)

SHOWN_STEPS = 5  # updates written out in full; the rest are summarised


def num(x: float) -> str:
    return format_number(x, 6)


def vec(problem: OptimizerProblem, v: Vec) -> str:
    if not problem.shape:
        return num(v[0])
    return "[" + ", ".join(num(x) for x in v) + "]"


def tex(problem: OptimizerProblem, v: Vec, operand: bool = False) -> str:
    """A value in LaTeX; as an operand, a negative number is put in parentheses."""
    if not problem.shape:
        return f"({num(v[0])})" if operand and v[0] < 0 else num(v[0])
    return r"\left[" + ", ".join(num(x) for x in v) + r"\right]"


_GREEK_TEX = {"θ": r"\theta", "η": r"\eta", "β": r"\beta", "ε": r"\varepsilon", "ρ": r"\rho", "λ": r"\lambda"}


def tex_name(name: str) -> str:
    for letter, command in _GREEK_TEX.items():
        name = name.replace(letter, command + " ")
    return name.strip()


def _facts(problem: OptimizerProblem) -> list[tuple[str, str]]:
    """(words, LaTeX) for every number the update uses."""
    p, n = problem, tex_name(problem.name)
    facts = [(f"η = {num(p.lr)}", rf"\eta = {num(p.lr)}")]
    if p.method in (Method.MOMENTUM, Method.NESTEROV):
        facts.append((f"β = {num(p.beta)}", rf"\beta = {num(p.beta)}"))
    if p.method is Method.RMSPROP:
        facts.append((f"ρ = {num(p.beta)}", rf"\rho = {num(p.beta)}"))
    if p.method in ADAM_LIKE:
        facts.append((f"β1 = {num(p.beta1)}", rf"\beta_1 = {num(p.beta1)}"))
        facts.append((f"β2 = {num(p.beta2)}", rf"\beta_2 = {num(p.beta2)}"))
    if p.method in (Method.ADAGRAD, Method.RMSPROP, *ADAM_LIKE):
        facts.append((f"ε = {num(p.eps)}", rf"\varepsilon = {num(p.eps)}"))
    if p.weight_decay:
        facts.append((f"weight decay λ = {num(p.weight_decay)}", rf"\lambda = {num(p.weight_decay)}"))
    before = p.t0 - 1
    if p.has_start:
        facts.append((f"{p.name}_{before} = {vec(p, p.w0)}", rf"{n}_{{{before}}} = {tex(p, p.w0)}"))
    for key, value in p.state0:
        facts.append((f"{key}_{before} = {vec(p, value)}", rf"{key}_{{{before}}} = {tex(p, value)}"))
    if p.objective is not None:
        facts.append((f"f = {p.objective.source}", f"f = {p.objective.latex()}"))
    elif p.batch:
        listed = ", ".join(vec(p, g) for g in p.batch)
        facts.append((f"per-example gradients {listed}", rf"g_i = {', '.join(tex(p, g) for g in p.batch)}"))
    else:
        listed = ", ".join(vec(p, g) for g in p.gradients)
        latex = ",\\; ".join(rf"g_{{{p.t0 + i}}} = {tex(p, g)}" for i, g in enumerate(p.gradients))
        facts.append((f"g = {listed}", latex))
    return facts


def _read_step(problem: OptimizerProblem) -> Step:
    facts = _facts(problem)
    text = f"Given: {problem.method.value}; " + "; ".join(words for words, _ in facts) + "."
    return Step("Read the data", text, r",\quad ".join(latex for _, latex in facts))


def _objective_step(problem: OptimizerProblem) -> Step | None:
    objective = problem.objective
    if objective is None:
        return None
    names = [tex_name(n) for n in objective.variables.names]
    parts = objective.gradient_latex()
    if len(parts) == 1:
        latex = rf"f({names[0]}) = {objective.latex()},\quad f'({names[0]}) = {parts[0]}"
    else:
        rows = r" \\ ".join(parts)
        latex = rf"f = {objective.latex()},\quad \nabla f = \begin{{bmatrix}} {rows} \end{{bmatrix}}"
    text = "Differentiate the objective term by term; the gradient is evaluated at each new point."
    return Step("Gradient of the objective", text, latex)


def _gradient_lines(p: OptimizerProblem, r: Record, n: str) -> list[str]:
    t, g = r.t, tex(p, r.gradient)
    lines: list[str] = []
    if r.point != r.before:
        lines.append(
            rf"g_{{{t}}} = \nabla f({n}_{{{t - 1}}} + \beta v_{{{t - 1}}}) "
            rf"= \nabla f({tex(p, r.point)}) = {g}"
        )
    elif p.objective is not None or p.batch:
        lines.append(
            rf"g_{{{t}}} = \nabla f({tex(p, r.before)}) = {g}" if p.objective else rf"g_{{{t}}} = {g}"
        )
    if p.weight_decay and not p.rules.decoupled:
        lines.append(rf"g_{{{t}}} \leftarrow g_{{{t}}} + \lambda {n}_{{{t - 1}}} = {g}")
    return lines


def _momentum_lines(p: OptimizerProblem, r: Record, n: str) -> list[str]:
    t, sign, eta, beta = r.t, "-" if p.rules.sign < 0 else "+", num(p.lr), num(p.beta)
    v, before, after = tex(p, r.state["v"]), tex(p, r.before), tex(p, r.w)
    w_t, w_prev = f"{n}_{{{t}}}", f"{n}_{{{t - 1}}}"
    if p.method is Method.NESTEROV and p.rules.nesterov_form is NesterovForm.PYTORCH:
        return [
            rf"v_{{{t}}} = {beta}\, v_{{{t - 1}}} + g_{{{t}}} = {v}",
            rf"{w_t} = {w_prev} {sign} {eta}\,(g_{{{t}}} + {beta}\, v_{{{t}}}) = {after}",
        ]
    form = p.rules.momentum_form if p.method is Method.MOMENTUM else MomentumForm.VELOCITY
    if form is MomentumForm.VELOCITY:
        return [
            rf"v_{{{t}}} = {beta}\, v_{{{t - 1}}} {sign} {eta}\, g_{{{t}}} = {v}",
            rf"{w_t} = {w_prev} + v_{{{t}}} = {before} + {tex(p, r.state['v'], True)} = {after}",
        ]
    average = rf" + (1 - {beta})\, g_{{{t}}}" if form is MomentumForm.AVERAGE else rf" + g_{{{t}}}"
    return [
        rf"v_{{{t}}} = {beta}\, v_{{{t - 1}}}{average} = {v}",
        rf"{w_t} = {w_prev} {sign} {eta}\, v_{{{t}}} = {before} {sign} {eta} \cdot "
        rf"{tex(p, r.state['v'], True)} = {after}",
    ]


def _adaptive_lines(p: OptimizerProblem, r: Record, n: str) -> list[str]:
    t, sign, after = r.t, "-" if p.rules.sign < 0 else "+", tex(p, r.w)
    root = r"\sqrt{%s + \varepsilon}" if p.rules.eps_inside else r"\sqrt{%s} + \varepsilon"
    state = {k: tex(p, v) for k, v in r.state.items()}
    w_t, w_prev = f"{n}_{{{t}}}", f"{n}_{{{t - 1}}}"
    if p.method in (Method.ADAGRAD, Method.RMSPROP):
        rho = num(p.beta)
        accumulate = (
            rf"s_{{{t - 1}}} + g_{{{t}}}^2"
            if p.method is Method.ADAGRAD
            else rf"{rho}\, s_{{{t - 1}}} + (1 - {rho})\, g_{{{t}}}^2"
        )
        denominator = root % f"s_{{{t}}}"
        return [
            rf"s_{{{t}}} = {accumulate} = {state['s']}",
            rf"{w_t} = {w_prev} {sign} \frac{{{num(p.lr)}\, g_{{{t}}}}}{{{denominator}}} = {after}",
        ]
    b1, b2, lines = num(p.beta1), num(p.beta2), []
    if p.rules.decoupled and p.weight_decay:
        decay = f"{num(p.lr)} \\cdot {num(p.weight_decay)}"
        lines.append(rf"{w_prev} \leftarrow (1 - {decay})\, {w_prev}")
    lines.append(rf"m_{{{t}}} = {b1}\, m_{{{t - 1}}} + (1 - {b1})\, g_{{{t}}} = {state['m']}")
    lines.append(rf"v_{{{t}}} = {b2}\, v_{{{t - 1}}} + (1 - {b2})\, g_{{{t}}}^2 = {state['v']}")
    if p.rules.bias_correction:
        lines.append(rf"\hat m_{{{t}}} = \frac{{m_{{{t}}}}}{{1 - {b1}^{{{t}}}}} = {state['m_hat']}")
        lines.append(rf"\hat v_{{{t}}} = \frac{{v_{{{t}}}}}{{1 - {b2}^{{{t}}}}} = {state['v_hat']}")
    denominator = root % rf"\hat v_{{{t}}}"
    lines.append(rf"{w_t} = {w_prev} {sign} \frac{{{num(p.lr)}\, \hat m_{{{t}}}}}{{{denominator}}} = {after}")
    return lines


_WORDS = {
    Method.GD: "Take a step of η times the gradient.",
    Method.MOMENTUM: "Update the velocity, then move the parameter by it.",
    Method.NESTEROV: "Update the velocity with the look-ahead gradient, then move the parameter.",
    Method.ADAGRAD: "Add the squared gradient to the running sum, then scale the step by its square root.",
    Method.RMSPROP: "Update the moving average of squared gradients, then scale the step by its square root.",
    Method.ADAM: "Update both moment estimates, correct their bias, then take the scaled step.",
    Method.ADAMW: "Decay the weight, update both moment estimates, correct their bias, then take the "
    "scaled step.",
}


def _update_step(problem: OptimizerProblem, r: Record) -> Step:
    p, n = problem, tex_name(problem.name)
    lines = _gradient_lines(p, r, n)
    if p.method is Method.GD:
        sign = "-" if p.rules.sign < 0 else "+"
        g = tex(p, r.gradient, True)
        lines.append(
            rf"{n}_{{{r.t}}} = {n}_{{{r.t - 1}}} {sign} \eta\, g_{{{r.t}}} = {tex(p, r.before)} {sign} "
            rf"{num(p.lr)} \cdot {g} = {tex(p, r.w)}"
        )
    elif p.method in (Method.MOMENTUM, Method.NESTEROV):
        lines += _momentum_lines(p, r, n)
    else:
        lines += _adaptive_lines(p, r, n)
    text = f"{_WORDS[p.method]} {p.name} becomes {vec(p, r.w)}."
    return Step(f"Step {r.t}", text, r" \\ ".join(lines))


def steps(problem: OptimizerProblem) -> list[Step]:
    records = run(problem, problem.rules)
    out = [_read_step(problem)]
    objective = _objective_step(problem)
    if objective is not None:
        out.append(objective)
    if problem.batch:
        size, mean = len(problem.batch), vec(problem, records[0].gradient)
        out.append(
            Step(
                "Average the batch",
                f"The mini-batch gradient is the mean of the {size} per-example gradients: {mean}.",
                rf"g = \frac{{1}}{{{size}}} \sum_i g_i = {tex(problem, records[0].gradient)}",
            )
        )
    out += [_update_step(problem, record) for record in records[:SHOWN_STEPS]]
    if len(records) > SHOWN_STEPS:
        tail = "; ".join(f"{problem.name}_{r.t} = {vec(problem, r.w)}" for r in records[SHOWN_STEPS:])
        out.append(Step("Remaining steps", f"The same update repeated: {tail}.", ""))
    return out


_FORM_SOURCES = {
    MomentumForm.ACCUMULATE: "PyTorch's form",
    MomentumForm.VELOCITY: "the form of Sutskever et al. and Goodfellow et al.",
    MomentumForm.AVERAGE: "the exponentially weighted average form",
}


def conventions(problem: OptimizerProblem) -> list[str]:
    p, rules = problem, problem.rules
    notes: list[str] = []
    if rules.sign > 0:
        notes.append("Gradient ascent (maximising): the step is added to w; updates are element-wise.")
    else:
        notes.append("Descent: the step is subtracted from w (w ← w − η·…); updates are element-wise.")
    if p.method is Method.MOMENTUM:
        form = rules.momentum_form
        other = (
            ""
            if "momentum_form" in p.stated
            else (
                " The other common forms (v ← βv − ηg with w ← w + v, and v ← βv + (1 − β)g) are also "
                "accepted; "
                "the first gives the same w."
            )
        )
        notes.append(
            f"Momentum in {_FORM_SOURCES[form]}: {form.value}, with v starting at 0 unless given.{other}"
        )
    if p.method is Method.NESTEROV:
        nesterov = rules.nesterov_form
        name = (
            "the textbook look-ahead form"
            if nesterov is NesterovForm.LOOKAHEAD
            else "PyTorch's form (nesterov=True)"
        )
        other = "" if "nesterov_form" in p.stated else " The other form is also accepted."
        notes.append(f"Nesterov momentum in {name}: {nesterov.value}, v starting at 0.{other}")
    if p.method in (Method.ADAGRAD, Method.RMSPROP, *ADAM_LIKE):
        where = (
            "inside the square root, √(s + ε)"
            if rules.eps_inside
            else "outside the square root, √s + ε (PyTorch)"
        )
        notes.append(f"ε is added {where}; the squared-gradient state starts at 0 unless given.")
    if p.method in ADAM_LIKE:
        if rules.bias_correction:
            notes.append(
                "Adam's bias correction divides by 1 − β^t with t counted from 1 "
                f"(the first update is t = {p.t0})."
            )
        else:
            notes.append("No bias correction, as the question says: m and v are used as they are.")
    if p.weight_decay:
        if rules.decoupled:
            notes.append(
                "Decoupled weight decay (AdamW, PyTorch): w ← w − ηλw, then the optimizer step on the "
                "gradient alone."
            )
        else:
            notes.append("Weight decay as an L2 term in the gradient (PyTorch's weight_decay): g ← g + λw.")
    if p.objective is not None:
        notes.append("The gradient is worked out from the objective and re-evaluated at every new point.")
    if p.batch:
        notes.append("The mini-batch gradient is the mean of the per-example gradients.")
    if not p.has_start:
        notes.append("No starting value is given, so the update Δw (and the optimizer state) is reported.")
    if p.defaults:
        notes.append(
            "Not given in the question, so the usual defaults are used: " + ", ".join(p.defaults) + "."
        )
    return notes
