"""Known penalty mistakes and the accepted other convention, each re-run through the arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Solution, Variant
from solvers.compare import same_answer
from solvers.regularization_problem import Penalty, RegularizationProblem, Rules, evaluate


@dataclass(frozen=True)
class Mistake:
    code: str
    feedback: str
    rules: Rules
    accepted: bool = False


def _l2(p: RegularizationProblem, rules: Rules) -> list[Mistake]:
    if p.penalty not in (Penalty.L2, Penalty.BOTH) and not (p.penalty is Penalty.ELASTIC and not p.sklearn):
        return []
    out: list[Mistake] = []
    other = 0.5 if rules.l2_factor == 1.0 else 1.0
    open_convention = "factor" not in p.stated
    if rules.l2_factor in (0.5, 1.0):
        if other == 0.5:
            feedback = "This uses the penalty (λ/2)Σw², whose gradient is λw"
        else:
            feedback = "This uses the penalty λΣw², whose gradient is 2λw"
        feedback += (
            "; the question does not fix the convention, so it is accepted."
            if open_convention
            else "; the question writes the penalty the other way."
        )
        code = "l2_half_lambda" if other == 0.5 else "l2_full_lambda"
        out.append(Mistake(code, feedback, replace(rules, l2_factor=other), open_convention))
    out.append(
        Mistake(
            "l2_norm_not_squared",
            "The L2 penalty uses the squared norm ‖w‖₂² = Σw², not the norm ‖w‖₂ itself.",
            replace(rules, squared=False),
        )
    )
    return out


def _l1(p: RegularizationProblem, rules: Rules) -> list[Mistake]:
    if p.penalty not in (Penalty.L1, Penalty.ELASTIC, Penalty.BOTH):
        return []
    out = [
        Mistake(
            "l1_sign_forgotten",
            "The L1 gradient is λ·sign(w): negative weights get −λ, not +λ.",
            replace(rules, l1_sign=False),
        ),
        Mistake(
            "l1_abs_forgotten",
            "The L1 penalty adds absolute values, Σ|w|; negative weights must not cancel positive ones.",
            replace(rules, abs_values=False),
        ),
        Mistake(
            "l1_subgradient_at_zero",
            "At w = 0 the L1 subgradient is taken as 0 (any value in [−λ, λ] is a subgradient; 0 is the "
            "usual choice), not λ.",
            replace(rules, sign_at_zero=1.0),
        ),
    ]
    if p.proximal or p.threshold is not None:
        out.append(
            Mistake(
                "hard_threshold",
                "Weights below the threshold were zeroed but the others were not shrunk: soft-thresholding "
                "also moves every surviving weight toward 0 by the threshold.",
                replace(rules, hard=True),
            )
        )
    if p.proximal:
        out.append(
            Mistake(
                "threshold_not_scaled_by_lr",
                "The threshold of the proximal step is ηλ (learning rate times λ), not λ.",
                replace(rules, threshold_lr=False),
            )
        )
        out.append(
            Mistake(
                "subgradient_instead_of_proximal",
                "This is a subgradient step w − η(∇L + λ·sign(w)); the question asks for the proximal "
                "(soft-threshold) step, which sets small weights exactly to 0.",
                replace(rules, proximal=False),
            )
        )
    if p.penalty is Penalty.ELASTIC and p.sklearn:
        out.append(
            Mistake(
                "l1_ratio_swapped",
                "l1_ratio weights the L1 part: α·l1_ratio·‖w‖₁ + ½α(1 − l1_ratio)‖w‖₂².",
                replace(rules, ratio_swapped=True),
            )
        )
        out.append(
            Mistake(
                "elastic_half_missing",
                "scikit-learn's elastic net has ½ on the L2 part: ½·α·(1 − l1_ratio)·‖w‖₂².",
                replace(rules, elastic_half=False),
            )
        )
    return out


def _common(p: RegularizationProblem, rules: Rules) -> list[Mistake]:
    out = [
        Mistake(
            "penalty_left_out",
            "The penalty was left out: the regularised loss (and its gradient) adds the penalty term.",
            replace(rules, add_penalty=False),
        )
    ]
    if p.bias:
        include = not rules.include_bias
        if include:
            feedback = "The bias was penalised too; the penalty applies to the weights only."
            accepted = "bias" not in p.stated
            if accepted:
                feedback = (
                    "The bias was penalised too; usually only the weights are, but the question does "
                    "not say, so it is accepted."
                )
        else:
            feedback, accepted = "The question penalises the bias as well; it was left out.", False
        out.append(
            Mistake(
                "bias_penalized" if include else "bias_left_out",
                feedback,
                replace(rules, include_bias=include),
                accepted,
            )
        )
    if p.lr is not None:
        out.append(
            Mistake(
                "wrong_sign", "The step went up the gradient: w ← w − η·(gradient).", replace(rules, sign=1.0)
            )
        )
        out.append(
            Mistake(
                "learning_rate_forgotten",
                "The learning rate η multiplies the whole gradient.",
                replace(rules, use_lr=False),
            )
        )
        if p.penalty is Penalty.L2 and not p.proximal:
            out.append(
                Mistake(
                    "decay_not_scaled_by_lr",
                    "The weight-decay term was not multiplied by the learning rate: w ← w − η(∇L + λw).",
                    replace(rules, decay_lr=False),
                )
            )
    out.append(
        Mistake(
            "l2_norm_not_rooted",
            "The L2 norm is the square root of the sum of squares; Σw² is the squared norm.",
            replace(rules, norm_root=False),
        )
    )
    return out


def variants(p: RegularizationProblem, solution: Solution) -> list[Variant]:
    rules = p.rules
    found: list[Variant] = []
    seen: list[dict[str, AnswerValue]] = []
    for mistake in _common(p, rules) + _l2(p, rules) + _l1(p, rules):
        wrong = evaluate(p, mistake.rules)
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
