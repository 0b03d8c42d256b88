"""An early-stopping question read into a `StopProblem`: the monitored curve, patience, min_delta, asked.

The curve comes from a table (epoch / training / validation columns, either orientation), a list
(`val_loss = [0.9, 0.7, ...]`), training-log lines (`Epoch 3/20 ... val_loss: 0.45`) or prose
("epoch 1: 0.90, epoch 2: 0.85").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import find_arrays
from solvers.numbers import NUMBER_PATTERN, find_numbers, parse_number
from solvers.tables import find_tables

MAX_EPOCHS = 1000


@dataclass(frozen=True)
class StopProblem:
    values: tuple[float, ...]  # the monitored metric, one value per epoch
    epochs: tuple[int, ...]  # the epoch numbers (as labelled in the question, else 1, 2, ...)
    labelled: bool  # the question numbers the epochs itself
    mode: str  # "min" (a loss: lower is better) or "max" (accuracy: higher is better)
    metric: str  # "validation loss", "validation accuracy", ...
    patience: int | None
    patience_assumed: bool  # "stops as soon as it gets worse": patience 1
    min_delta: float
    restore_best: bool | None  # None: the question does not say
    asked: tuple[str, ...]
    training: tuple[float, ...] | None = None  # the training curve, when the question gives one


_VAL = re.compile(r"val|validation|dev\b|held[\s-]?out|test")
_TRAIN = re.compile(r"train")
_EPOCH = re.compile(r"epoch|\biter|\bstep")
_MAX_WORDS = re.compile(r"acc|auc|f1|precision|recall|score|map\b|bleu|iou|mode\s*=\s*['\"]max")
_MIN_WORDS = re.compile(r"loss|error|perplexity|mse|mae|rmse|cross[\s-]?entropy|nll|mode\s*=\s*['\"]min")


@dataclass(frozen=True)
class Curve:
    values: tuple[float, ...]
    epochs: tuple[int, ...] | None
    name: str  # the column or list name, lower case
    training: tuple[float, ...] | None = None


def _integer_labels(values: list[float]) -> tuple[int, ...] | None:
    if all(float(v).is_integer() for v in values) and all(b == a + 1 for a, b in itertools.pairwise(values)):
        return tuple(int(v) for v in values)
    return None


def _pick(columns: list[tuple[str, list[float]]]) -> Curve | None:
    """From named series pick the epochs, the monitored validation series and the training one."""
    epochs = next((v for name, v in columns if _EPOCH.search(name)), None)
    named = [(name, v) for name, v in columns if not _EPOCH.search(name)]
    monitored = [(name, v) for name, v in named if _VAL.search(name)] or [
        (name, v) for name, v in named if not _TRAIN.search(name)
    ]
    if not monitored:
        return None
    loss_first = sorted(monitored, key=lambda item: 0 if _MIN_WORDS.search(item[0]) else 1)
    name, values = loss_first[0]
    training = next((v for n, v in named if _TRAIN.search(n) and not _VAL.search(n)), None)
    return Curve(
        tuple(values),
        None if epochs is None else _integer_labels(epochs),
        name,
        None if training is None else tuple(training),
    )


def _from_tables(t: str) -> list[Curve]:
    curves: list[Curve] = []
    for table in find_tables(t):
        rows = [(label.lower(), list(values)) for label, values in table.rows]
        if len(rows) >= 2 and any(_EPOCH.search(label) or _VAL.search(label) for label, _ in rows):
            picked = _pick(rows)  # one series a row
        else:
            header = [h.lower() for h in table.header]
            cells = []
            for label, values in table.rows:
                number = parse_number(label) if label else None
                cells.append(([number.value] if number is not None else []) + list(values))
            width = len(cells[0])
            if not all(len(c) == width for c in cells) or len(header) < width:
                continue
            names = header[-width:]
            picked = _pick([(name, [c[i] for c in cells]) for i, name in enumerate(names)])
        if picked is not None:
            curves.append(picked)
    return curves


def _from_arrays(t: str) -> list[Curve]:
    arrays = [a for a in find_arrays(t) if not a.is_matrix and len(a.flat) >= 2]
    if not arrays:
        return []
    named = []
    for array in arrays:
        context = array.context.split("]")[-1]
        named.append((context, list(array.flat)))
    picked = _pick(named)
    return [picked] if picked is not None else []


_LOG_LINE = re.compile(r"epoch\s*(\d+)(?:\s*/\s*\d+)?\b([^\n]*?)(?=\bepoch\s*\d|\n|$)")
_VAL_VALUE = re.compile(
    rf"val(?:idation)?[_\s]?(?:loss|acc\w*|error|auc|f1)?\s*(?:[:=]|is|of|was)?\s*({NUMBER_PATTERN})"
)


_VALUE_AT = re.compile(rf"({NUMBER_PATTERN})\s+(?:at|in|after|for|on)\s+(?:the\s+)?epoch\s*(\d+)")


def _from_log(t: str) -> list[Curve]:
    """Log lines (`Epoch 3/20 - loss: 0.31 - val_loss: 0.45`), "epoch 1: 0.90" or "0.81 at epoch 1"."""
    at = [(int(m.group(2)), parse_number(m.group(1))) for m in _VALUE_AT.finditer(t)]
    if len(at) >= 2 and all(n is not None for _, n in at):
        epochs_at = tuple(e for e, _ in at)
        values_at = tuple(n.value for _, n in at if n is not None)
        labels = epochs_at if len(set(epochs_at)) == len(epochs_at) else None
        return [Curve(values_at, labels, t[: _VALUE_AT.search(t).start()][-60:])]  # type: ignore[union-attr]
    epochs: list[int] = []
    values: list[float] = []
    training: list[float] = []
    name = ""
    for match in _LOG_LINE.finditer(t):
        rest = match.group(2)
        val = _VAL_VALUE.search(rest)
        numbers = [n for n, _, _ in find_numbers(rest)]
        if val is not None:
            number = parse_number(val.group(1))
            if number is None:
                continue
            values.append(number.value)
            name = name or rest[val.start() : val.start() + 16]
            train = re.search(
                rf"\b(?:train\w*[_\s]?)?(?:loss|acc\w*)\s*[:=]\s*({NUMBER_PATTERN})", rest[: val.start()]
            )
            if train is not None and (parsed := parse_number(train.group(1))) is not None:
                training.append(parsed.value)
        elif numbers:
            values.append(numbers[0].value)
        else:
            continue
        epochs.append(int(match.group(1)))
    if len(values) < 2:
        return []
    context = t[: t.find("epoch")] if "epoch" in t else ""
    label = name or context[-60:]
    return [
        Curve(
            tuple(values),
            tuple(epochs) if len(set(epochs)) == len(epochs) else None,
            label,
            tuple(training) if len(training) == len(values) else None,
        )
    ]


_RUN = re.compile(rf"((?:{NUMBER_PATTERN})(?:\s*(?:,|;|→|->|\s)\s*(?:{NUMBER_PATTERN})){{2,}})")


def _from_runs(t: str) -> list[Curve]:
    """An unbracketed run of numbers after a name: "validation losses: 0.9, 0.7, 0.6, 0.65"."""
    best: Curve | None = None
    for match in _RUN.finditer(t):
        numbers = [n.value for n, _, _ in find_numbers(match.group(1))]
        if len(numbers) < 3 or all(float(v).is_integer() for v in numbers):
            continue
        context = t[max(0, match.start() - 60) : match.start()]
        curve = Curve(tuple(numbers), None, context)
        if best is None or (_VAL.search(context) and not _VAL.search(best.name)):
            best = curve
    return [best] if best is not None else []


def read_curve(t: str) -> Curve:
    for reader in (_from_tables, _from_log, _from_arrays, _from_runs):
        found = reader(t)
        if found:
            curve = found[0]
            if len(curve.values) > MAX_EPOCHS:
                raise InvalidQuestion(
                    f"the curve has {len(curve.values)} epochs; at most {MAX_EPOCHS} are read"
                )
            return curve
    raise NotUnderstood(
        "the validation curve is missing: give the validation loss (or accuracy) per epoch, e.g. "
        "'val_loss = [0.9, 0.7, 0.6, 0.62, 0.65]' or a table of epochs"
    )


# ---- settings and what is asked ------------------------------------------------------------------------

_PATIENCE = (
    r"patience\s*(?:p\s*)?(?:=|of|:|is|set to|equal to|parameter (?:of|is|=))?\s*(\d+)",
    r"(\d+)\s+epochs?\s+of\s+patience",
    r"(?:no|without|does not|doesn't|fails to|stops?) (?:show )?(?:any "
    r")?improv\w*\s+(?:for|in|over|after|within)\s+"
    r"(\d+)\s+(?:consecutive\s+|successive\s+)?epochs",
    r"waits?\s+(?:for\s+)?(\d+)\s+(?:more\s+|further\s+|extra\s+)?epochs",
    r"(\d+)\s+(?:consecutive\s+|successive\s+)?epochs\s+(?:without|with no)\s+improvement",
)
_FIRST_WORSE = re.compile(
    r"as soon as|first (?:time|epoch)[^.?]{0,40}(?:increase|worse|rise|drop)|immediately when|the moment"
)
_MIN_DELTA = (
    rf"min_delta\s*(?:=|of|:|is)?\s*({NUMBER_PATTERN})",
    rf"min(?:imum)?[\s_-]?delta\s*(?:=|of|:|is)?\s*({NUMBER_PATTERN})",
    rf"minimum (?:change|improvement|decrease)\s*(?:=|of|:|is)?\s*({NUMBER_PATTERN})",
    rf"improv\w+ (?:of|by) (?:at least|more than) ({NUMBER_PATTERN})",
    rf"(?:by|of) less than ({NUMBER_PATTERN})\s*(?:does not|doesn't|is not|isn't) count",
)
_RESTORE_TRUE = re.compile(
    r"restore_best_weights\s*=\s*true|restor\w+ (?:the )?best|(?:returns?|keeps?|rolls? back to|reverts? "
    r"to|reloads?) "
    r"(?:the )?(?:best|checkpoint)|best (?:weights|model|checkpoint) (?:are|is) "
    r"(?:restored|kept|saved|reloaded)"
)
_RESTORE_FALSE = re.compile(
    r"restore_best_weights\s*=\s*false|(?:does not|doesn't|do not|without|no) restor|keeps? the "
    r"(?:last|final) weights"
)
_ASKED = (
    (
        "stop_epoch",
        r"(?<!early )(?<!early-)(?<!early_)\bstop|\bhalt|terminat|end training|training "
        r"(?:end|finish)|interrupt|when (?:will|does|would) "
        r"(?:training|it) (?:end|finish)|last epoch",
    ),
    (
        "best_epoch",
        r"best epoch|(?:which|what) epoch[^.?]{0,40}(?:best|lowest|minimum|optimal|highest|peak)|"
        r"epoch[^.?]{0,20}(?:with|of|has|had|gives?|reach\w*) the (?:best|lowest|minimum|highest|optimal)|"
        r"(?:best|lowest|minimum|highest) (?:validation )?(?:loss|accuracy|error|value) "
        r"(?:occur\w*|happen\w*|"
        r"(?:is )?(?:reached|achieved) at|at epoch|epoch)",
    ),
    (
        "restored_epoch",
        r"restor|which (?:weights|model|parameters|checkpoint)|weights (?:are|will be|would be|do we) "
        r"(?:kept|used|returned|end up)|final (?:model|weights)|returned|model (?:is|will be) "
        r"(?:kept|saved|used)|"
        r"(?:model|network) (?:keeps?|retains?|ends? up with|uses?)|which epoch's weights|"
        r"weights[^.?]{0,30}(?:kept|keep|retain|used)",
    ),
    (
        "best_value",
        r"(?:what|value of) (?:is )?the (?:best|lowest|minimum|highest) (?:validation "
        r")?(?:loss|accuracy|error)|"
        r"best (?:validation )?(?:loss|accuracy|error) (?:value|achieved|reached)",
    ),
    ("epochs_run", r"how many epochs|number of epochs"),
)
_QUESTION_START = re.compile(
    r"^(?:what|which|when|at "
    r"what|compute|calculate|find|give|determine|state|write|show|how|report|list|identify)\b"
)


def question_sentences(t: str) -> str:
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[a-z(])|\n+", t) if s.strip()]
    asking = [s for s in sentences if "?" in s or _QUESTION_START.match(s)]
    return " ".join(asking) if asking else t


def _first_number(t: str, patterns: tuple[str, ...]) -> float | None:
    hits = []
    for pattern in patterns:
        match = re.search(pattern, t)
        if match is not None and (number := parse_number(match.group(1))) is not None:
            hits.append((match.start(), number.value))
    return min(hits)[1] if hits else None


def _mode(t: str, curve: Curve) -> tuple[str, str]:
    explicit = re.search(r"mode\s*=\s*['\"](min|max)['\"]", t)
    name = curve.name
    monitor = re.search(
        r"monitor\s*=\s*['\"](\w+)['\"]|monitor\w*\s+(?:the\s+)?([\w\s]{3,30}?)(?:\.|,|;| with| and|$)", t
    )
    if monitor is not None:
        name = monitor.group(1) or monitor.group(2) or name
    if explicit is not None:
        mode = explicit.group(1)
    elif _MAX_WORDS.search(name) and not _MIN_WORDS.search(name):
        mode = "max"
    elif _MIN_WORDS.search(name):
        mode = "min"
    else:
        mode = "max" if _MAX_WORDS.search(t) and not _MIN_WORDS.search(t) else "min"
    word = re.search(r"accuracy|\bacc\b|auc|f1|precision|recall|score|error|perplexity|loss", name)
    found = word.group(0) if word is not None else ("accuracy" if mode == "max" else "loss")
    found = {"acc": "accuracy"}.get(found, found)
    prefix = "training" if _TRAIN.search(name) and not _VAL.search(name) else "validation"
    return mode, f"{prefix} {found}"


def read_problem(t: str) -> StopProblem:
    """The problem in lower-cased normalised text `t`."""
    curve = read_curve(t)
    mode, metric = _mode(t, curve)
    patience_value = _first_number(t, _PATIENCE)
    assumed = patience_value is None and bool(_FIRST_WORSE.search(t))
    patience = 1 if assumed else None if patience_value is None else int(patience_value)
    if patience is not None and patience < 1:
        raise InvalidQuestion("patience must be at least 1 epoch")
    min_delta = _first_number(t, _MIN_DELTA) or 0.0
    restore = True if _RESTORE_TRUE.search(t) else False if _RESTORE_FALSE.search(t) else None
    ask = question_sentences(t)
    hits = [(m.end(), name) for name, pattern in _ASKED if (m := re.search(pattern, ask))]
    asked = [name for _, name in sorted(hits)]
    if not asked:
        asked = ["stop_epoch"]
    if patience is None and (
        {"stop_epoch", "epochs_run"} & set(asked) or ("restored_epoch" in asked and not restore)
    ):
        raise NotUnderstood(
            "the patience is missing: when training stops depends on how many epochs without improvement are "
            "allowed (e.g. 'patience = 3')"
        )
    epochs = curve.epochs or tuple(range(1, len(curve.values) + 1))
    return StopProblem(
        values=curve.values,
        epochs=epochs,
        labelled=curve.epochs is not None,
        mode=mode,
        metric=metric,
        patience=patience,
        patience_assumed=assumed,
        min_delta=abs(min_delta),
        restore_best=restore,
        asked=tuple(dict.fromkeys(asked)),
        training=curve.training,
    )
