"""Known optimizer mistakes and accepted other conventions, each re-run through the update loop."""

from __future__ import annotations

from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Solution, Variant
from solvers.compare import same_answer
from solvers.optimizer_answer import answer
from solvers.optimizer_problem import (
    ADAM_LIKE,
    Method,
    MomentumForm,
    NesterovForm,
    OptimizerProblem,
    Rules,
)


@dataclass(frozen=True)
class Mistake:
    code: str
    feedback: str
    rules: Rules
    accepted: bool = False
    problem: OptimizerProblem | None = None  # when the mistake changes the data, not the rule


def _momentum(problem: OptimizerProblem, rules: Rules) -> list[Mistake]:
    out: list[Mistake] = []
    open_form = "momentum_form" not in problem.stated
    if problem.method is Method.MOMENTUM:
        feedback = {
            MomentumForm.ACCUMULATE: "This is momentum written v ← βv + g, w ← w − ηv (PyTorch's form).",
            MomentumForm.VELOCITY: "This is momentum written v ← βv − ηg, w ← w + v (the velocity "
            "includes η and the sign).",
            MomentumForm.AVERAGE: "This is momentum as an exponentially weighted average, v ← βv + (1 − β)g, "
            "which scales every step by (1 − β).",
        }
        for form in MomentumForm:
            if form is rules.momentum_form:
                continue
            tail = (
                " The question does not fix the form, so it is accepted."
                if open_form
                else f" The question uses {rules.momentum_form.value}."
            )
            out.append(
                Mistake(
                    f"momentum_form_{form.name.lower()}",
                    feedback[form] + tail,
                    replace(rules, momentum_form=form),
                    open_form,
                )
            )
        out.append(
            Mistake(
                "momentum_ignored",
                "The velocity was left out: this is a plain gradient step. Momentum keeps a running velocity "
                "v ← βv + g and moves w by ηv, so earlier gradients keep pushing.",
                replace(rules, momentum=False),
            )
        )
    if problem.method is Method.NESTEROV:
        open_form = "nesterov_form" not in problem.stated
        other = (
            NesterovForm.PYTORCH if rules.nesterov_form is NesterovForm.LOOKAHEAD else NesterovForm.LOOKAHEAD
        )
        tail = (
            " The question does not fix the form, so it is accepted."
            if open_form
            else " The question uses the other form."
        )
        out.append(
            Mistake(
                f"nesterov_{other.name.lower()}",
                f"This is Nesterov momentum in the form {other.value}.{tail}",
                replace(rules, nesterov_form=other),
                open_form,
            )
        )
        out.append(
            Mistake(
                "nesterov_as_plain_momentum",
                "This is plain momentum: Nesterov's method takes the gradient at the look-ahead point "
                "w + βv (in PyTorch's form, it adds βv to the gradient in the step).",
                replace(rules, lookahead=False),
            )
        )
    return out


def _adaptive(problem: OptimizerProblem, rules: Rules) -> list[Mistake]:
    out: list[Mistake] = []
    method = problem.method
    if method not in (Method.ADAGRAD, Method.RMSPROP, *ADAM_LIKE):
        return out
    eps_open = "eps" not in problem.stated
    out.append(
        Mistake(
            "eps_inside_root" if not rules.eps_inside else "eps_outside_root",
            (
                "ε was put inside the square root"
                if not rules.eps_inside
                else "ε was put outside the square root"
            )
            + (
                " — the other common placement, accepted."
                if eps_open
                else "; the question places it the other way."
            ),
            replace(rules, eps_inside=not rules.eps_inside),
            eps_open,
        )
    )
    out.append(
        Mistake(
            "square_root_missing",
            "The step was divided by the squared-gradient average itself; it is divided by its square root.",
            replace(rules, square_root=False),
        )
    )
    if method is Method.ADAGRAD:
        out.append(
            Mistake(
                "adagrad_last_gradient_only",
                "Only the current g² was used. AdaGrad adds every squared gradient so far: s ← s + g².",
                replace(rules, accumulate=False),
            )
        )
    if method is Method.RMSPROP:
        out.append(
            Mistake(
                "rmsprop_decay_weight_missing",
                "The new g² was added without the factor (1 − ρ): RMSProp keeps a moving average, "
                "s ← ρs + (1 − ρ)g².",
                replace(rules, average_weight=False),
            )
        )
        if "rho" not in problem.stated:
            out.append(
                Mistake(
                    "rmsprop_rho_0.99",
                    "This uses ρ = 0.99, PyTorch's default (alpha); the question does not give ρ, so it "
                    "is accepted.",
                    replace(rules, rho=0.99),
                    True,
                )
            )
    if method in ADAM_LIKE:
        if rules.bias_correction:
            out.append(
                Mistake(
                    "no_bias_correction",
                    "The bias correction was skipped. Adam divides m by 1 − β1^t and v by 1 − β2^t; at "
                    "the start, "
                    "when both are near 0, this matters a lot.",
                    replace(rules, bias_correction=False),
                )
            )
        else:
            out.append(
                Mistake(
                    "bias_correction_not_asked",
                    "The bias correction was applied, but the question asks for Adam without it.",
                    replace(rules, bias_correction=True),
                )
            )
        out.append(
            Mistake(
                "betas_swapped",
                "β1 and β2 were swapped: β1 (≈ 0.9) averages the gradients, β2 (≈ 0.999) the squared "
                "gradients.",
                replace(rules, swap_betas=True),
            )
        )
        out.append(
            Mistake(
                "adam_one_minus_beta_missing",
                "The new gradient terms were added without (1 − β1) and (1 − β2): m ← β1m + (1 − β1)g.",
                replace(rules, average_weight=False),
            )
        )
    return out


def _decay(problem: OptimizerProblem, rules: Rules) -> list[Mistake]:
    if not problem.weight_decay:
        return []
    out = [
        Mistake(
            "weight_decay_ignored",
            "The weight decay was left out of the update.",
            rules,
            problem=replace(problem, weight_decay=0.0),
        )
    ]
    if problem.method is Method.ADAMW:
        out.append(
            Mistake(
                "l2_instead_of_decoupled",
                "The decay was added to the gradient (L2 regularisation, as in Adam). AdamW decouples it: "
                "w ← w − ηλw, and the adaptive step uses the gradient alone.",
                replace(rules, decoupled=False),
            )
        )
        out.append(
            Mistake(
                "decay_not_scaled_by_lr",
                "This applies the decay as w ← w − λw (the AdamW paper, with schedule multiplier 1); PyTorch "
                "multiplies it by the learning rate. Accepted.",
                replace(rules, decay_lr=False),
                True,
            )
        )
    elif problem.method is not Method.GD and "decay" not in problem.stated:
        out.append(
            Mistake(
                "decoupled_decay",
                "This decouples the weight decay (w ← w − ηλw, as AdamW does); the question's optimizer adds "
                "λw to the gradient (PyTorch's weight_decay). The reading is common, so it is accepted.",
                replace(rules, decoupled=True),
                True,
            )
        )
    return out


def _common(problem: OptimizerProblem, rules: Rules) -> list[Mistake]:
    out = [
        Mistake(
            "wrong_sign",
            (
                "The step went along the gradient (w + η·g): gradient descent subtracts, w − η·g."
                if rules.sign < 0
                else "The step went against the gradient: gradient ascent adds, w + η·g."
            ),
            replace(rules, sign=-rules.sign),
        ),
        Mistake(
            "learning_rate_forgotten",
            "The learning rate was left out: the step is η times the (scaled) gradient.",
            replace(rules, use_lr=False),
        ),
    ]
    if problem.objective is not None and problem.steps > 1:
        out.append(
            Mistake(
                "gradient_not_recomputed",
                "The first gradient was reused at every step; it must be evaluated again at each new point.",
                replace(rules, recompute=False),
            )
        )
    if problem.batch:
        out.append(
            Mistake(
                "batch_gradient_summed",
                "The per-example gradients were added up; the mini-batch gradient is their mean.",
                replace(rules, batch_mean=False),
            )
        )
    return out


def variants(problem: OptimizerProblem, solution: Solution) -> list[Variant]:
    rules = problem.rules
    mistakes = (
        _common(problem, rules)
        + _momentum(problem, rules)
        + _adaptive(problem, rules)
        + _decay(problem, rules)
    )
    found: list[Variant] = []
    seen: list[dict[str, AnswerValue]] = []
    for mistake in mistakes:
        wrong = answer(mistake.problem or problem, mistake.rules)
        differing = {
            name: value
            for name, value in wrong.items()
            if name in solution.parts and not same_answer(solution.spec(name), solution.answer[name], value)
        }
        if not differing or differing in seen:
            continue
        seen.append(differing)
        found.append(Variant(mistake.code, mistake.feedback, differing, mistake.accepted))
    return found
