"""Early stopping on a validation curve: the epoch training stops, the best epoch, what is restored.

Keras and PyTorch Lightning: an epoch improves when its value beats the best so far by more than
min_delta (lower for a loss, higher for an accuracy); otherwise a counter grows, and training
stops at the epoch where it reaches the patience. Epochs are counted from 1 unless the question
numbers them. Reading: `early_stopping_parse`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.early_stopping_derived import derivations
from solvers.early_stopping_parse import StopProblem, read_problem
from solvers.errors import ExamgraderError, NotUnderstood
from solvers.numbers import format_number

__all__ = ["EarlyStoppingSolver", "StopProblem"]

EXACT = 1e-9
PARTS = {
    "stop_epoch": PartSpec(
        "stop_epoch",
        "Epoch training stops",
        ValueKind.SCALAR,
        (
            "stop",
            "stops",
            "stopped",
            "stop epoch",
            "stopping epoch",
            "training stops",
            "halts",
            "last epoch",
            "terminates",
            "stops at",
            "stopped at",
        ),
        rtol=EXACT,
    ),
    "best_epoch": PartSpec(
        "best_epoch",
        "Best epoch",
        ValueKind.SCALAR,
        ("best", "best epoch", "lowest", "optimal epoch", "minimum", "checkpoint", "best model"),
        rtol=EXACT,
    ),
    "restored_epoch": PartSpec(
        "restored_epoch",
        "Weights restored from epoch",
        ValueKind.SCALAR,
        (
            "restored",
            "restore",
            "weights from",
            "weights restored",
            "final weights",
            "model from epoch",
            "restored epoch",
            "kept",
        ),
        rtol=EXACT,
    ),
    "best_value": PartSpec(
        "best_value",
        "Best value",
        ValueKind.SCALAR,
        (
            "best loss",
            "lowest validation loss",
            "best accuracy",
            "minimum loss",
            "best validation loss",
            "value",
        ),
    ),
    "epochs_run": PartSpec(
        "epochs_run",
        "Epochs trained",
        ValueKind.SCALAR,
        ("epochs trained", "number of epochs", "epochs run", "epochs", "trained for"),
        rtol=EXACT,
    ),
}
EPOCH_PARTS = ("stop_epoch", "best_epoch", "restored_epoch")


@dataclass(frozen=True)
class Scan:
    """One pass over the curve, epoch by epoch."""

    best: int  # index of the best epoch (when training stops)
    stop: int  # index of the last epoch trained
    early: bool  # stopped before the curve ends
    rows: tuple[tuple[float, float, int, bool], ...]  # (value, best so far, wait, improved)


def scan(values: tuple[float, ...], mode: str, patience: int | None, min_delta: float) -> Scan:
    best_index, best, wait = 0, values[0], 0
    rows: list[tuple[float, float, int, bool]] = [(values[0], values[0], 0, True)]
    for i, value in enumerate(values[1:], 1):
        better = value < best - min_delta if mode == "min" else value > best + min_delta
        if better:
            best_index, best, wait = i, value, 0
        else:
            wait += 1
        rows.append((value, best, wait, better))
        if patience is not None and wait >= patience:
            return Scan(best_index, i, True, tuple(rows))
    return Scan(best_index, len(values) - 1, False, tuple(rows))


def _first_worse(values: tuple[float, ...], mode: str) -> int | None:
    for i in range(1, len(values)):
        if (values[i] > values[i - 1]) if mode == "min" else (values[i] < values[i - 1]):
            return i
    return None


def evaluate(
    problem: StopProblem, result: Scan | None = None, restore: bool | None = None
) -> dict[str, AnswerValue]:
    found = result or scan(problem.values, problem.mode, problem.patience, problem.min_delta)
    restored = problem.restore_best is not False if restore is None else restore
    return {
        "stop_epoch": float(problem.epochs[found.stop]),
        "best_epoch": float(problem.epochs[found.best]),
        "restored_epoch": float(problem.epochs[found.best if restored else found.stop]),
        "best_value": problem.values[found.best],
        "epochs_run": float(found.stop + 1),
    }


def _shown(problem: StopProblem, values: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    keep = set(problem.asked) | {"best_epoch"}
    if problem.patience is not None:
        keep.add("stop_epoch")
    if problem.restore_best is not None or "restored_epoch" in problem.asked:
        keep.add("restored_epoch")
    return {k: v for k, v in values.items() if k in keep}


class EarlyStoppingSolver(Solver[StopProblem]):
    kind = "early_stopping"
    title = "Early stopping on a validation curve"
    topic = "regularization"

    def detect(self, text: str) -> float:
        t = text.lower()
        if not re.search(r"early[\s_-]?stopping|earlystopping|\bpatience\b", t):
            return 0.0
        try:
            self.parse(text)
        except ExamgraderError:
            return 0.55 if len(re.findall(r"\d*\.\d+", t)) >= 3 else 0.15
        return 0.92

    def parse(self, text: str) -> StopProblem:
        try:
            return read_problem(text.lower())
        except NotUnderstood as refusal:
            raise NotUnderstood(refusal.message, [e.question for e in EXAMPLES[:2]]) from None

    def solve(self, problem: StopProblem) -> Solution:
        found = scan(problem.values, problem.mode, problem.patience, problem.min_delta)
        answer = _shown(problem, evaluate(problem, found))
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=answer,
            parts={name: PARTS[name] for name in answer},
            steps=steps(problem),
            conventions=conventions(problem),
            given={
                "values": list(problem.values),
                "epochs": list(problem.epochs),
                "mode": problem.mode,
                "patience": problem.patience,
                "min_delta": problem.min_delta,
                "restore_best_weights": problem.restore_best,
            },
            derived=derivations(problem, found.early),
        )

    def variants(self, problem: StopProblem) -> list[Variant]:
        return variants(problem)

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


# ---- steps and conventions -------------------------------------------------------------------------------


def _n(value: float) -> str:
    return format_number(value, 6)


def steps(problem: StopProblem) -> list[Step]:
    result = scan(problem.values, problem.mode, problem.patience, problem.min_delta)
    better = "lower" if problem.mode == "min" else "higher"
    delta = f" by more than min_delta = {_n(problem.min_delta)}" if problem.min_delta else ""
    rows = []
    for i, (value, best, wait, improved) in enumerate(result.rows):
        mark = r"\checkmark" if improved else str(wait)
        rows.append(rf"{problem.epochs[i]} & {_n(value)} & {_n(best)} & {mark} \\")
    table = (
        r"\begin{array}{cccc} \text{epoch} & \text{" + problem.metric + r"} & \text{best so far} & "
        r"\text{epochs without improvement} \\ \hline " + " ".join(rows) + r" \end{array}"
    )
    out = [
        Step(
            "Scan the curve",
            f"An epoch improves when its {problem.metric} is {better} than the best so far{delta}; "
            "otherwise the "
            "count of epochs without improvement grows by one (an improvement resets it).",
            table,
        )
    ]
    stop, best = problem.epochs[result.stop], problem.epochs[result.best]
    if problem.patience is not None:
        text = (
            f"The count reaches the patience ({problem.patience}) at epoch {stop}: training stops there."
            if result.early
            else f"The count never reaches the patience ({problem.patience}): training runs to the last "
            f"epoch, {stop}."
        )
        out.append(Step("When training stops", text, rf"\text{{stop}} = {stop}"))
    out.append(
        Step(
            "Best epoch",
            f"The best {problem.metric} up to then is {_n(problem.values[result.best])}, at epoch {best}.",
            rf"\text{{best}} = {best},\quad \text{{value}} = {_n(problem.values[result.best])}",
        )
    )
    if "restored_epoch" in problem.asked or problem.restore_best is not None:
        restored = best if problem.restore_best is not False else stop
        why = (
            "restore_best_weights puts back the best epoch's weights"
            if problem.restore_best is not False
            else "without restore_best_weights the weights of the last epoch trained are kept"
        )
        out.append(
            Step(
                "Weights kept",
                f"{why[0].upper()}{why[1:]}: epoch {restored}.",
                rf"\text{{restored}} = {restored}",
            )
        )
    return out


def conventions(problem: StopProblem) -> list[str]:
    notes = [
        "An epoch counts as an improvement when it beats the best value so far by more than min_delta"
        + (" (0 here)" if not problem.min_delta else "")
        + "; training stops at the epoch where the number of epochs without improvement reaches the patience "
        "(Keras EarlyStopping, PyTorch Lightning).",
        f"The monitored quantity is the {problem.metric}: "
        + ("lower is better." if problem.mode == "min" else "higher is better."),
    ]
    if not problem.labelled:
        notes.append("Epochs are counted from 1; counting from 0 is also accepted.")
    if problem.patience_assumed:
        notes.append("Stopping as soon as the curve gets worse is read as patience 1.")
    if problem.restore_best is None and "restored_epoch" in problem.asked:
        notes.append(
            "The question does not say whether the best weights are restored: the best epoch's weights are "
            "taken (restore_best_weights=True, the textbook algorithm); the last epoch's (Keras' default "
            "restore_best_weights=False) is also accepted."
        )
    return notes


# ---- mistakes ------------------------------------------------------------------------------------------


def variants(problem: StopProblem) -> list[Variant]:
    right = _shown(problem, evaluate(problem))
    out: list[Variant] = []

    def add(code: str, feedback: str, wrong: dict[str, AnswerValue], accepted: bool = False) -> None:
        changed = {k: v for k, v in wrong.items() if k in right and v != right[k]}
        if changed:
            out.append(Variant(code, feedback, changed, accepted))

    if not problem.labelled:
        add(
            "epochs_from_zero",
            "You counted epochs from 0; counting from 1 is used here, and counting from 0 is also accepted.",
            {k: float(v) - 1 for k, v in right.items() if k in EPOCH_PARTS and isinstance(v, float)},
            accepted=True,
        )
    if problem.restore_best is None and "restored_epoch" in problem.asked:
        add(
            "last_weights_kept",
            "You kept the last epoch's weights (Keras' default, restore_best_weights=False); the question "
            "does "
            "not say, so this is also accepted.",
            evaluate(problem, restore=False),
            accepted=True,
        )
    first = _first_worse(problem.values, problem.mode)
    if first is not None and problem.patience is not None:
        wrong = evaluate(problem, Scan(max(first - 1, 0), first, True, ()))
        add(
            "stopped_at_first_increase",
            "You stopped at the first epoch that got worse, ignoring the patience: training goes on until "
            f"{problem.patience} epoch(s) in a row bring no improvement over the best value.",
            {"stop_epoch": wrong["stop_epoch"], "epochs_run": wrong["epochs_run"]},
        )
    if problem.patience is not None:
        later = scan(problem.values, problem.mode, problem.patience + 1, problem.min_delta)
        add(
            "patience_off_by_one",
            "You waited one epoch too many: training stops at the epoch where the count of epochs without "
            "improvement reaches the patience, not the one after.",
            evaluate(problem, later),
        )
        if problem.patience > 1:
            earlier = scan(problem.values, problem.mode, problem.patience - 1, problem.min_delta)
            add(
                "patience_off_by_one_early",
                "You stopped one epoch too early: the count of epochs without improvement must reach the "
                "patience "
                "itself.",
                evaluate(problem, earlier),
            )
    if problem.min_delta:
        add(
            "min_delta_ignored",
            f"You ignored min_delta = {_n(problem.min_delta)}: an improvement smaller than that does not "
            "count, "
            "so it neither resets the count nor becomes the best epoch.",
            evaluate(problem, scan(problem.values, problem.mode, problem.patience, 0.0)),
        )
    if problem.restore_best:
        add(
            "last_weights_kept",
            "restore_best_weights=True puts back the weights of the best epoch, not those of the last one.",
            evaluate(problem, restore=False),
        )
    elif problem.restore_best is False and "restored_epoch" in problem.asked:
        add(
            "best_weights_assumed",
            "Without restore_best_weights the model keeps the weights of the last epoch trained.",
            evaluate(problem, restore=True),
        )
    other_mode = "max" if problem.mode == "min" else "min"
    add(
        "direction_swapped",
        f"You treated the {problem.metric} the wrong way round: "
        + ("for a loss lower is better." if problem.mode == "min" else "for an accuracy higher is better."),
        evaluate(replace(problem, mode=other_mode)),
    )
    if problem.training is not None and len(problem.training) == len(problem.values):
        add(
            "training_curve_used",
            "You watched the training curve; early stopping monitors the validation curve.",
            evaluate(replace(problem, values=problem.training, training=None)),
        )
    return out


# ---- practice ------------------------------------------------------------------------------------------


def _curve(rng: random.Random, n: int, accuracy: bool) -> list[float]:
    value = rng.uniform(0.8, 1.2) if not accuracy else rng.uniform(0.5, 0.6)
    out = []
    turn = rng.randint(3, n - 4)
    for i in range(n):
        step = rng.uniform(0.02, 0.12)
        if i < turn:
            value = value - step if not accuracy else value + step / 3
        else:
            value = value + rng.uniform(-0.03, 0.06) if not accuracy else value - rng.uniform(-0.01, 0.02)
        out.append(round(value, 3))
    return out


def practice_question(rng: random.Random) -> str:
    """A curve in one of six wordings. Every wording numbers its epochs: with a bare list, counting
    from 0 is accepted, and it would hide stopping one epoch early (both give the stop epoch − 1)."""
    n = rng.randint(8, 12)
    accuracy = rng.random() < 0.25
    values = _curve(rng, n, accuracy)
    patience = rng.randint(2, 4)
    name = "validation accuracy" if accuracy else "validation loss"
    style = rng.randrange(6)
    ask = "At which epoch does training stop, and which epoch's weights are restored?"
    key = "val_accuracy" if accuracy else "val_loss"
    if style == 0:
        listed = ", ".join(f"epoch {i}: {format_number(v)}" for i, v in enumerate(values, 1))
        return (
            f"A model is trained with early stopping (patience = {patience}, restore_best_weights=True) on "
            "the "
            f"{name}. Its {name} per epoch: {listed}.\n{ask}"
        )
    if style == 1:
        rows = "\n".join(f"| {i} | {format_number(v)} |" for i, v in enumerate(values, 1))
        return (
            f"| Epoch | {name.capitalize()} |\n|---|---|\n{rows}\n\nEarly stopping monitors the {name} with "
            "a "
            f"patience of {patience} and restores the best weights. {ask}"
        )
    if style == 2:
        lines = "\n".join(f"Epoch {i}/{n} - {key}: {format_number(v)}" for i, v in enumerate(values, 1))
        mode = "max" if accuracy else "min"
        return (
            f"EarlyStopping(monitor='{key}', mode='{mode}', patience={patience}, "
            f"restore_best_weights=True)\n{lines}\n"
            f"{ask}"
        )
    if style == 3:
        return _training_log(rng, values, accuracy, patience)
    delta = rng.choice([0.0, 0.005, 0.01, 0.02])
    restore = rng.choice([True, False])
    if style == 4:
        listed = ", ".join(f"{format_number(v)} at epoch {i}" for i, v in enumerate(values, 1))
        setting = f"patience = {patience}" + (f", min_delta = {delta:g}" if delta else "")
        return (
            f"Given the {name} {listed}, early stopping uses {setting} and restore_best_weights={restore}. "
            "At which epoch does training stop, and which epoch's weights does the model keep?"
        )
    epochs = " | ".join(str(i) for i in range(1, n + 1))
    cells = " | ".join(format_number(v) for v in values)
    setting = f"patience {patience}" + (f" and min_delta {delta:g}" if delta else "")
    weights = "restores the best weights" if restore else "keeps the last weights (no restoring)"
    return (
        f"| Epoch | {epochs} |\n|{'---|' * (n + 1)}\n| {key} | {cells} |\n\nEarly stopping with {setting} "
        f"{weights}. When does training stop, and which epoch's weights does the model end up with?"
    )


def _training_log(rng: random.Random, values: list[float], accuracy: bool, patience: int) -> str:
    """A Keras log with the training curve beside the validation one, the callback named after it."""
    n = len(values)
    # the training curve keeps improving: each epoch closes part of the gap to a perfect fit
    remaining = (1 - values[0] if accuracy else values[0]) * rng.uniform(0.85, 0.95)
    training = []
    for _ in values:
        training.append(round(1 - remaining if accuracy else remaining, 3))
        remaining *= rng.uniform(0.8, 0.95)
    train_key, key = ("accuracy", "val_accuracy") if accuracy else ("loss", "val_loss")
    lines = "\n".join(
        f"Epoch {i}/{n} - {train_key}: {format_number(t)} - {key}: {format_number(v)}"
        for i, (t, v) in enumerate(zip(training, values, strict=True), 1)
    )
    restore = rng.choice([True, False])
    return (
        f"{lines}\nThe callback is EarlyStopping(monitor='{key}', patience={patience}) with "
        f"restore_best_weights={restore}. At which epoch did training stop and which epoch's weights does "
        "the model keep?"
    )


EXAMPLES = (
    Example(
        # best 0.60 at epoch 3; epochs 4 (0.62) and 5 (0.61) bring no improvement: count 2 at epoch 5
        "Validation loss per epoch: [0.90, 0.70, 0.60, 0.62, 0.61, 0.65, 0.70]. Early stopping with "
        "patience = 2. "
        "At which epoch does training stop, and what is the best epoch?",
        {"stop_epoch": 5.0, "best_epoch": 3.0},
    ),
    Example(
        # accuracy: best 0.85 at epoch 3; 4, 5, 6 below it → count 3 at epoch 6; best weights restored: 3
        "EarlyStopping(monitor='val_accuracy', patience=3, restore_best_weights=True). Validation accuracy: "
        "[0.70, 0.80, 0.85, 0.84, 0.85, 0.83, 0.86]. When does training stop and which weights are restored?",
        {"stop_epoch": 6.0, "restored_epoch": 3.0},
    ),
    Example(
        # min_delta 0.01: 0.795 is not an improvement on 0.80 (needs < 0.79); epochs 4, 5 → stop at 5
        "Early stopping with patience 2 and min_delta = 0.01 monitors the validation loss "
        "[1.00, 0.90, 0.80, 0.795, 0.81, 0.70]. At which epoch does training stop?",
        {"stop_epoch": 5.0},
    ),
    Example(
        # best 0.41 at epoch 4; 5, 6, 7 worse → count 3 at epoch 7
        "| Epoch | Train loss | Val loss |\n|---|---|---|\n| 1 | 0.80 | 0.75 |\n| 2 | 0.60 | 0.55 |\n"
        "| 3 | 0.45 | 0.47 |\n| 4 | 0.35 | 0.41 |\n| 5 | 0.30 | 0.43 |\n| 6 | 0.25 | 0.44 |\n| 7 | 0.20 | "
        "0.46 |\n"
        "| 8 | 0.16 | 0.48 |\n\nWith early stopping (patience 3), at which epoch does training stop?",
        {"stop_epoch": 7.0},
    ),
    Example(
        # best 0.5012 at epoch 3; 4 and 5 worse → patience 2 reached at epoch 5; last weights kept: 5
        "Epoch 1/20 - loss: 0.7012 - val_loss: 0.6523\nEpoch 2/20 - loss: 0.5534 - val_loss: 0.5478\n"
        "Epoch 3/20 - loss: 0.4811 - val_loss: 0.5012\nEpoch 4/20 - loss: 0.4120 - val_loss: 0.5103\n"
        "Epoch 5/20 - loss: 0.3607 - val_loss: 0.5230\nThe callback is EarlyStopping(patience=2) with "
        "restore_best_weights=False. At which epoch did training stop and which epoch's weights does the "
        "model "
        "keep?",
        {"stop_epoch": 5.0, "restored_epoch": 5.0},
    ),
    Example(
        # the count never reaches 4: training runs all 6 epochs; best epoch 6
        "Validation losses: 0.9, 0.8, 0.82, 0.81, 0.83, 0.79. Early stopping uses patience 4. At which "
        "epoch does "
        "training stop?",
        {"stop_epoch": 6.0, "best_epoch": 6.0},
    ),
)
