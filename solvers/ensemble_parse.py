"""An ensemble question read into an `EnsembleProblem`: which task, its numbers, what is asked."""

from __future__ import annotations

import math
import re

from solvers.ensemble_committee import is_committee, read_committee
from solvers.ensemble_problem import AdaBoost, Averaging, Bootstrap, EnsembleProblem, Voting, weighted_error
from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood
from solvers.extract import find_arrays
from solvers.limits import MAX_ENTRIES
from solvers.numbers import NUMBER_PATTERN, find_numbers, parse_number
from solvers.tables import find_tables

NUM = rf"({NUMBER_PATTERN})"
INT = r"(\d{1,9})(?!\d|\.\d)"
_QUESTION_START = re.compile(
    r"^(?:what|which|compute|calculate|find|give|determine|derive|state|write|show|how|report|estimate|"
    r"evaluate|work out|obtain|list|provide|predict)\b"
)

BOOTSTRAP_WORDS = re.compile(r"bootstrap|bagging|out[\s-]of[\s-]bag|\boob\b|with replacement")
ADABOOST_WORDS = re.compile(r"adaboost|ada-boost|boosting|weak (?:learner|classifier)|amount of say")
AVERAGING_WORDS = re.compile(
    r"correlat|covariance|\bρ|\brho\b|independent (?:errors|models|predictions|estimators|regressors|networks)"
    r"|(?:errors?|models|predictions) (?:are |that are )?independent"
)
_INDEPENDENT = re.compile(r"\bindependent|\buncorrelated")
VOTING_WORDS = re.compile(
    r"vot(?:e|es|ing)|majority|ensemble|classifiers|models|committee|members|base learners|estimators"
)


def question_sentences(t: str) -> str:
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[a-z(])|\n+", t) if s.strip()]
    asking = [s for s in sentences if "?" in s or _QUESTION_START.match(s)]
    return " ".join(asking) if asking else t


def _number(t: str, *patterns: str) -> float | None:
    hits = []
    for pattern in patterns:
        match = re.search(pattern, t)
        if match is not None:
            group = next(g for g in match.groups() if g is not None)
            number = parse_number(group)
            if number is not None:
                hits.append((match.start(), number.value))
    return min(hits)[1] if hits else None


def _asked(ask: str, options: tuple[tuple[str, str], ...]) -> list[str]:
    hits = [(m.start(), name) for name, pattern in options if (m := re.search(pattern, ask))]
    return [name for _, name in sorted(hits)]


# ---- bootstrap -----------------------------------------------------------------------------------------

_BOOTSTRAP_ASKED = (
    (
        "expected_oob",
        r"(?:how many|number of|expected count|count of)[^.?]{0,50}(?:out[\s-]of[\s-]bag|left out|never|"
        r"not (?:be )?(?:selected|included|chosen|drawn|sampled))",
    ),
    (
        "expected_unique",
        r"(?:how many|number of|expected count|count of)[^.?]{0,50}(?:unique|distinct|different)",
    ),
    (
        "oob_probability",
        r"(?:probability|chance|likelihood|fraction|proportion|percent\w*|share)[^.?]{0,70}"
        r"(?:not (?:be )?(?:included|selected|chosen|drawn|picked|sampled|appear|in)|out[\s-]of[\s-]bag|"
        r"left out|never|excluded|\boob\b|missing)|(?:out[\s-]of[\s-]bag|oob) (?:fraction|probability|rate)",
    ),
    (
        "inclusion_probability",
        r"(?:probability|chance|likelihood|fraction|proportion|percent\w*|share)[^.?]{0,70}"
        r"(?:included|selected|chosen|appears?|drawn|in (?:the|a|each) bootstrap|picked|sampled|"
        r"at least once|contain)",
    ),
)


def read_bootstrap(t: str) -> Bootstrap:
    ask = question_sentences(t)
    asked = _asked(ask, _BOOTSTRAP_ASKED)
    if "oob_probability" in asked and "inclusion_probability" in asked:
        oob = re.search(_BOOTSTRAP_ASKED[2][1], ask)
        inc = re.search(_BOOTSTRAP_ASKED[3][1], ask)
        if oob is not None and inc is not None and oob.start() == inc.start():
            asked.remove("inclusion_probability")  # one phrase, negated: "probability ... not included"
    if "expected_oob" in asked and "expected_unique" in asked:
        asked.remove("expected_unique") if "unique" not in ask and "distinct" not in ask else None
    asked = asked or ["inclusion_probability"]
    n = _number(
        t,
        rf"(?:dataset|data set|training "
        rf"set|sample|population)\s+(?:of|with|has|contains|containing)\s+(?:n\s*=\s*)?{INT}",
        rf"\bn\s*=\s*{INT}",
        rf"{INT}\s+(?:training\s+|distinct\s+|original\s+)?(?:samples|examples|observations|data "
        r"points|instances|"
        rf"rows|points|records|items)",
        rf"size\s+(?:n\s*=\s*)?{INT}",
    )
    m = _number(
        t,
        rf"bootstrap (?:sample|replicate)s?\s+(?:of|with)\s+(?:size\s+)?(?:m\s*=\s*)?{INT}",
        rf"\bm\s*=\s*{INT}",
        rf"draw(?:s|ing|n)?\s+{INT}\s+(?:samples|times|examples|points|draws)",
        rf"{INT}\s+draws",
    )
    limit = re.search(
        r"(?:→|->|tends to|goes to|approaches)\s*(?:∞|infinity|\\infty)|large n|\blimit\b|infinitely|asymptotic"
        r"|(?:dataset|data set|training set|data|sample size|\bn)\s+(?:is\s+)?(?:very\s+)?(?:large|big)\b"
        r"|(?:large|big|huge) (?:datasets?|data sets?|training sets?)",
        t,
    )
    if n is None and not limit:
        raise NotUnderstood(
            "the dataset size n is missing: the inclusion probability 1 − (1 − 1/n)^n depends on it (or ask "
            "for "
            "the large-n limit)"
        )
    if n is not None and n < 1:
        raise InvalidQuestion("the dataset must have at least one example")
    if m is not None and n is not None and m == n:
        m = None
    if limit and n is None and any(a in asked for a in ("expected_unique", "expected_oob")):
        raise NotUnderstood("the expected counts need the dataset size n")
    return Bootstrap(None if n is None else int(n), None if m is None else int(m), tuple(asked))


# ---- averaging -----------------------------------------------------------------------------------------


def read_averaging(t: str) -> Averaging:
    variance = _number(
        t,
        rf"(?<!co)variance\s*(?:σ\^2|v|of each \w+)?\s*(?:=|of|is|:)?\s*{NUM}",
        rf"σ\^2\s*=\s*{NUM}",
        rf"sigma\^2\s*=\s*{NUM}",
        rf"var\w*\s*\(\s*\w+\s*\)\s*=\s*{NUM}",
    )
    std = _number(
        t,
        rf"(?:standard deviation|std)\s*(?:σ)?\s*(?:=|of|is|:)\s*{NUM}",
        rf"σ(?!\^)\s*=\s*{NUM}",
        rf"sigma(?!\^)\s*=\s*{NUM}",
    )
    covariance = _number(t, rf"covariance\s*(?:c)?\s*(?:=|of|is|:)?\s*{NUM}", rf"\bc\s*=\s*{NUM}")
    rho = _number(
        t,
        rf"correlation(?: coefficient)?\s*(?:ρ|rho)?\s*(?:=|of|is|:)?\s*{NUM}",
        rf"(?:ρ|rho)\s*=\s*{NUM}",
        rf"correlated with (?:a )?(?:coefficient|correlation) (?:of )?{NUM}",
        rf"correlation[^.?\d]{{0,40}}?(?:is|of|=|equals)\s*{NUM}",
    )
    k = _number(
        t,
        rf"{INT}\s+(?:[a-z-]+\s+)?(?:models|networks|classifiers|learners|members|estimators|trees|predictors"
        r"|regressors)",
        rf"\bk\s*=\s*{INT}",
        rf"ensemble of (?:size )?{INT}",
        rf"averag\w+ (?:over )?{INT}\b",
    )
    infinite = re.search(
        r"(?:k|models?)\s*(?:→|->|tends to|goes to)\s*(?:∞|infinity|\\infty)|infinit\w+ (?:many|number)", t
    )
    sigma_given = variance is None and std is not None
    if variance is None and std is not None:
        variance = std * std
    if variance is None:
        raise NotUnderstood("the variance σ² of each model (or its standard deviation σ) is missing")
    from_covariance = rho is None and covariance is not None
    if rho is None and covariance is not None:
        rho = covariance / variance if variance else None
    if rho is None and _INDEPENDENT.search(t):
        rho = 0.0  # independent (uncorrelated) errors
    if rho is None:
        raise NotUnderstood("the correlation ρ between the models (or their covariance c) is missing")
    if not -1.0 <= rho <= 1.0:
        raise InvalidQuestion(f"a correlation must lie in [−1, 1]; {rho:g} was given")
    if k is None and not infinite:
        raise NotUnderstood("the number of models k in the ensemble is missing")
    if k is not None and k < 1:
        raise InvalidQuestion("an average needs at least one model")
    ask = question_sentences(t)
    asked = (
        ["ensemble_std"]
        if re.search(r"standard deviation|\bstd\b", ask) and "variance" not in ask
        else ["ensemble_variance"]
    )
    if re.search(r"standard deviation|\bstd\b", ask) and "variance" in ask:
        asked.append("ensemble_std")
    return Averaging(variance, rho, None if k is None else int(k), tuple(asked), from_covariance, sigma_given)


# ---- AdaBoost ------------------------------------------------------------------------------------------

_ADABOOST_ASKED = (
    (
        "alpha",
        r"α|alpha|amount of say|(?:classifier|learner|model)(?:'s)? weight|weight of (?:the |this )?(?:weak "
        r"|base )?"
        r"(?:classifier|learner|model|hypothesis)|\bsay\b|vote weight",
    ),
    ("error", r"(?:weighted )?error(?: rate)?(?! (?:of|is|=|rate of|ε) ?\d)|\bε\b"),
    (
        "weights",
        r"(?:new|updated|next)[^.?]{0,30}weights|weights after|sample weights|weight update|update the "
        r"weights|"
        r"re-?weight|distribution (?:over|of) (?:the )?(?:samples|examples)|new distribution",
    ),
    ("normalizer", r"normali[sz](?:ation|ing) (?:constant|factor)|\bz_?t?\b"),
    (
        "weight_misclassified",
        r"weight of (?:a |each |the )?misclassified|misclassified (?:sample|example|point)s?(?:'s)? "
        r"(?:new )?weight",
    ),
    (
        "weight_correct",
        r"(?:weight|and|,) of (?:a |each |the )?correctly|correctly classified "
        r"(?:sample|example|point)s?(?:'s)? "
        r"(?:new )?weight",
    ),
)
_SAMPLES = r"samples|examples|points|instances|observations"
_WRONG_INDICES = (
    r"(?:samples?|examples?|points?|instances?|observations?|x_?)\s*#?((?:\d+(?:\s*,\s*|\s+and\s+|\s+)?)+)\s+"
    r"(?:are|is|were|was|get|gets|got)\s+(?:mis-?classified|wrong|incorrect)",
    r"mis-?classif\w*\s+(?:samples?|examples?|points?|instances?|observations?)?\s*#?((?:\d+(?:\s*,\s*|\s+and\s+)?)+)",
)


def _wrong_mask(t: str, size: int | None) -> tuple[bool, ...] | None:
    for array in find_arrays(t):
        context = array.context[-30:]
        flat = array.flat
        if re.search(r"mis-?classif|wrong|incorrect|error", context) and set(flat) <= {0.0, 1.0}:
            return tuple(v == 1.0 for v in flat)
        if re.search(r"correct", context) and set(flat) <= {0.0, 1.0}:
            return tuple(v == 0.0 for v in flat)
    labelled = [a for a in find_arrays(t) if set(a.flat) <= {-1.0, 1.0, 0.0}]
    truth = next((a for a in labelled if re.search(r"\by\b|label|true|target", a.context[-25:])), None)
    guess = next(
        (a for a in labelled if a is not truth and re.search(r"\bh\b|pred|output|classif", a.context[-25:])),
        None,
    )
    if truth is not None and guess is not None and len(truth.flat) == len(guess.flat):
        return tuple(a != b for a, b in zip(truth.flat, guess.flat, strict=True))
    counted = re.search(rf"mis-?classif\w*\s+{INT}\s+(?:{_SAMPLES})\b", t)  # a count, not sample numbers
    if counted is not None and size is not None:
        wrong = int(counted.group(1))
        if wrong > size:
            raise InvalidQuestion(f"{wrong} samples are misclassified but there are only {size} samples")
        return tuple(i < wrong for i in range(size))
    for pattern in _WRONG_INDICES:
        match = re.search(pattern, t)
        if match is not None and size is not None:
            indices = [int(v) for v in re.findall(r"\d+", match.group(1))]
            base = 0 if 0 in indices or re.search(r"x_?0|index 0|0-based|zero-based", t) else 1
            if any(not 0 <= i - base < size for i in indices):
                raise InvalidQuestion(
                    f"sample {max(indices)} is misclassified but there are only {size} samples"
                )
            return tuple((i + base) in indices for i in range(size))
    count = re.search(rf"misclassifies {INT} (?:of|out of) (?:the |its )?{INT}", t)
    if count is not None:
        wrong, total = int(count.group(1)), _sample_count(count.group(2))
        return tuple(i < wrong for i in range(total))
    return None


def _sample_count(written: str) -> int:
    """A number of training samples, each of which gets a weight: at least 1, at most `MAX_ENTRIES`."""
    n = int(written)
    if n == 0:
        raise InvalidQuestion("there must be at least one training sample")
    if n > MAX_ENTRIES:
        raise InputTooLarge(f"{n} samples: at most {MAX_ENTRIES} sample weights are worked out")
    return n


def _weights(t: str) -> tuple[float, ...] | None:
    for array in find_arrays(t):
        if (
            re.search(r"weights?|\bw\b|\bd_?\w*\s*=|distribution", array.context[-30:])
            and not array.is_matrix
        ):
            return tuple(array.flat)
    uniform = re.search(
        rf"(?<!classifies\s)(?<!classified\s){INT}\s+(?:(?:equally|uniformly)[\s-]+weighted\s+)?(?:training\s+)?"
        rf"(?:{_SAMPLES})",
        t,
    )
    if uniform is not None and re.search(r"equal(?:ly)?|uniform|same weight|1\s*/\s*n|initial", t):
        n = _sample_count(uniform.group(1))
        return tuple(1.0 / n for _ in range(n))
    return None


# α asked without the ½: "without the 1/2 factor", "α = ln((1 − ε)/ε)", AdaBoost.M1
_NO_HALF = re.compile(
    r"without\s+(?:the\s+)?(?:factor\s+(?:of\s+)?)?(?:½|1\s*/\s*2|\(1\s*/\s*2\)|half|one[\s-]half)"
    r"|(?:α|alpha)(?:_\{?\w\}?)?\s*=\s*(?:ln|log)\s*[(\\]|adaboost\.m1"
)


def read_adaboost(t: str) -> AdaBoost:
    error = _number(
        t,
        rf"(?:weighted\s+)?error(?:\s+rate)?\s*(?:ε|epsilon|err|e)?(?:_\{{?\w+\}}?)?\s*(?:=|of|is|:)?\s*{NUM}",
        rf"ε(?:_?\{{?\w\}}?)?\s*=\s*{NUM}",
        rf"epsilon(?:_?\w)?\s*=\s*{NUM}",
        rf"{NUM}\s+(?:weighted\s+)?error",
    )
    weights = _weights(t)
    wrong = _wrong_mask(t, None if weights is None else len(weights))
    if wrong is not None and weights is None and re.search(r"equal(?:ly)?|uniform|same weight|initial", t):
        weights = tuple(1.0 / len(wrong) for _ in wrong)
    if weights is not None and wrong is not None and len(weights) != len(wrong):
        raise InvalidQuestion(f"{len(weights)} weights but {len(wrong)} samples are marked right or wrong")
    asked = _asked(question_sentences(t), _ADABOOST_ASKED)
    if error is not None and "error" in asked and not (weights and wrong):
        asked.remove("error")
    if not asked:
        asked = ["alpha"] + (["weights"] if weights is not None and wrong is not None else [])
    if error is None and (weights is None or wrong is None):
        raise NotUnderstood(
            "the weak learner's weighted error is missing: give ε (e.g. 'error = 0.2') or the sample "
            "weights and "
            "which samples are misclassified"
        )
    if error is not None and not 0.0 < error < 1.0:
        raise InvalidQuestion("the weighted error must lie strictly between 0 and 1 for α = ½ ln((1 − ε)/ε)")
    if {"weights", "normalizer", "weight_misclassified", "weight_correct"} & set(asked) and (
        weights is None or wrong is None
    ):
        raise NotUnderstood(
            "the weight update needs the current sample weights and which samples are misclassified"
        )
    if weights is not None and (any(w < 0 for w in weights) or sum(weights) <= 0):
        raise InvalidQuestion("sample weights must be non-negative and not all zero")
    half = not _NO_HALF.search(t)
    task = AdaBoost(error, weights, wrong, tuple(dict.fromkeys(asked)), half)
    weighted = weighted_error(task)
    if weighted is not None and not 0.0 < weighted < 1.0:
        raise InvalidQuestion(
            f"the weighted error is {weighted:g}: α = ½ ln((1 − ε)/ε) is infinite (AdaBoost stops when a weak "
            "learner is perfect, or always wrong)"
        )
    return task


# ---- voting --------------------------------------------------------------------------------------------

_VOTING_ASKED = (
    ("hard_vote", r"hard|majority|plurality|(?<!soft )vot(?:e|ing)(?! weight)|most votes"),
    (
        "soft_vote",
        r"soft|averag\w* (?:the )?(?:predicted )?probabilit|mean probabilit|probabilities are averaged",
    ),
    (
        "average_probabilities",
        r"averag\w* probabilit\w*\s*(?:vector|values|for each class|per class)|"
        r"(?:what|compute|give)[^.?]{0,30}(?:averaged|average|mean) probabilit",
    ),
    ("vote_counts", r"how many votes|vote counts?|number of votes|count the votes"),
    ("weighted_sum", r"weighted sum|score|sign\s*\(|f\s*\(\s*x\s*\)|h\s*\(\s*x\s*\)|final (?:score|output)"),
)
_CLASS_LIST = re.compile(
    r"classes?\s*(?:are|:|=)?\s*\(?\{?\s*((?:[a-z][\w-]*\s*(?:,\s*|\s+and\s+|\s+or\s+)){1,9}[a-z][\w-]*)"
)
_MODEL_LABEL = re.compile(
    r"(?:model|classifier|learner|tree|network|member|expert|voter|estimator|predictor|judge)\s*[\w#]{0,3}\s*"
    r"(?:\([^)]*\)\s*)?(?:(?:predicts?|says?|outputs?|votes?(?:\s+for)?|returns?|chooses?)\b|:|=)\s*"
    r"['\"‘’“”]?(?:class\s+)?['\"‘’“”]?([+-]?\d+|[a-z][\w-]*)"
)
_STOP = {
    "the",
    "a",
    "an",
    "that",
    "this",
    "which",
    "is",
    "are",
    "probability",
    "probabilities",
    "with",
    "it",
    "class",
}


def _classes(t: str) -> tuple[str, ...] | None:
    match = _CLASS_LIST.search(t)
    if match is None:
        return None
    names = [n.strip() for n in re.split(r",|\band\b|\bor\b", match.group(1)) if n.strip()]
    return tuple(names) if len(names) >= 2 else None


def _label_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _voting_weights(t: str, count: int) -> tuple[float, ...] | None:
    for array in find_arrays(t):
        if re.search(r"weight|α|alpha|say", array.context[-30:]) and len(array.flat) == count:
            return tuple(array.flat)
    match = re.search(
        rf"(?:weights?|α\w*|alphas?)\s*(?:of|=|:|are)?\s*((?:{NUMBER_PATTERN}(?:\s*,\s*|\s+and\s+|\s+)){{1,}}"
        rf"{NUMBER_PATTERN})",
        t,
    )
    if match is not None:
        values = tuple(n.value for n, _, _ in find_numbers(match.group(1)))
        if len(values) == count:
            return values
    # "classifier a (weight 0.5) predicts spam, classifier b (weight 0.3) ..."
    each = re.findall(rf"\(\s*(?:weight|α|alpha)\s*(?:=|:|of|is)?\s*({NUMBER_PATTERN})\s*\)", t)
    read = [number.value for number in map(parse_number, each) if number is not None]
    return tuple(read) if len(read) == count else None


def read_voting(t: str) -> Voting:
    named = _classes(t)
    distributions = [
        a
        for a in find_arrays(t)
        if not a.is_matrix
        and len(a.flat) >= 2
        and all(0.0 <= v <= 1.0 for v in a.flat)
        and abs(sum(a.flat) - 1.0) < 0.02
    ]
    table = next(
        (tb for tb in find_tables(t) if len(tb.rows) >= 2 and all(abs(sum(v) - 1) < 0.02 for v in tb.values)),
        None,
    )
    probabilities: tuple[tuple[float, ...], ...] | None = None
    labels: tuple[str, ...] | None = None
    binary = False
    classes: tuple[str, ...]
    if len(distributions) >= 2 and len({len(a.flat) for a in distributions}) == 1:
        probabilities = tuple(tuple(a.flat) for a in distributions)
    elif table is not None:
        probabilities = tuple(tuple(row) for row in table.values)
        header = [h.lower() for h in table.header][-len(probabilities[0]) :]
        if named is None and len(header) == len(probabilities[0]) and all(header):
            named = tuple(header)
    if probabilities is not None:
        width = len(probabilities[0])
        classes = named if named is not None and len(named) == width else tuple(str(i) for i in range(width))
    else:
        positive = re.search(
            rf"(?:probabilit\w*|p\s*\(\s*(?:y\s*=|class|label)\s*1[^)]*\)|confidence|scores?)[^.?\d]{{0,60}}?"
            rf"((?:{NUMBER_PATTERN}(?:\s*,\s*|\s+and\s+|\s+)){{1,}}{NUMBER_PATTERN})",
            t,
        )
        values = [n.value for n, _, _ in find_numbers(positive.group(1))] if positive else []
        if (
            len(values) >= 2
            and all(0.0 <= v <= 1.0 for v in values)
            and not re.search(r"class(?:es)?\s*[:=]", t)
        ):
            probabilities = tuple((1.0 - v, v) for v in values)
            classes, binary = ("0", "1"), True
        else:
            labels = _hard_labels(t)
            if labels is None:
                raise NotUnderstood(
                    "the models' outputs are missing: give each model's predicted class (e.g. 'model A "
                    "predicts "
                    "class 1') or its class probabilities (e.g. [0.7, 0.3])"
                )
            order = list(named) if named is not None else []
            for label in labels:
                if label not in order:
                    order.append(label)
            if named is None and all(re.fullmatch(r"[+-]?\d+", x) for x in order):
                order.sort(key=int)
            classes = tuple(order)
    count = len(probabilities) if probabilities is not None else len(labels or ())
    if count < 2:
        raise NotUnderstood("a vote needs the outputs of at least two models")
    weights = _voting_weights(t, count)
    ask = question_sentences(t)
    asked = _asked(ask, _VOTING_ASKED)
    if "weighted_sum" in asked and not (weights and set(classes) <= {"-1", "1", "+1"}):
        asked.remove("weighted_sum")
    if probabilities is None:
        asked = [a for a in asked if a in ("hard_vote", "vote_counts", "weighted_sum")] or ["hard_vote"]
    elif not asked or asked == ["average_probabilities"]:
        asked = [*asked, "soft_vote"]
    if weights is not None and any(w < 0 or not math.isfinite(w) for w in weights):
        raise InvalidQuestion("voting weights must be finite and not negative")
    if probabilities is not None and any(not math.isfinite(p) for row in probabilities for p in row):
        raise InvalidQuestion("class probabilities must be finite numbers")
    return Voting(
        labels, probabilities, classes, weights, binary, tuple(dict.fromkeys(asked)), named is not None
    )


def _hard_labels(t: str) -> tuple[str, ...] | None:
    found = [m.group(1) for m in _MODEL_LABEL.finditer(t) if m.group(1) not in _STOP]
    if len(found) >= 2:
        return tuple("1" if x == "+1" else x for x in found)
    for array in find_arrays(t):
        context = array.context.split("]")[-1]
        if (
            re.search(r"predict|vote|label|output|\bclass\b", context)
            and not array.is_matrix
            and len(array.flat) >= 2
        ):
            return tuple(_label_text(v) for v in array.flat)
    words = re.search(
        r"(?:predict\w*|votes?|labels?|outputs?)\s*(?:are|:|=)?\s*\[?\s*"
        r"((?:[a-z][\w-]*\s*(?:,|\band\b)\s*){1,20}[a-z][\w-]*)",
        t,
    )
    if words is not None:
        return tuple(w.strip() for w in re.split(r",|\band\b", words.group(1)) if w.strip())
    numbers = re.search(  # "they vote +1, +1, -1", "the predicted labels are 0, 1, 1, 0"
        r"(?:predict\w*|votes?|labels?|outputs?)\s*(?:are|:|=)?\s*"
        r"((?:[+-]?\d+\s*(?:,|\band\b)\s*){1,20}[+-]?\d+)\b(?!\.\d)",
        t,
    )
    if numbers is not None:
        found = [w.strip() for w in re.split(r",|\band\b", numbers.group(1)) if w.strip()]
        return tuple("1" if x == "+1" else x for x in found)
    return None


# ---- which task -----------------------------------------------------------------------------------------


_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20, "twenty-one": 21,
    "twenty-five": 25, "hundred": 100,
}  # fmt: skip
_COUNTED = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    r"(?=\s+(?:training\s+|base\s+|weak\s+|independent\s+|binary\s+)?(?:examples|samples|models|"
    r"classifiers|learners|observations|points|trees|networks|members|instances))"
)
_FINAL_VOTE = re.compile(
    r"final (?:vote|prediction|classifier|output|class)|weighted (?:sum|vote)|sign\s*\(|strong "
    r"classifier|combined"
)


def read_problem(t: str) -> EnsembleProblem:
    t = _COUNTED.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), t)
    if is_committee(t):
        return EnsembleProblem(read_committee(t, question_sentences(t)))
    if ADABOOST_WORDS.search(t) and re.search(r"alphas?|α", t) and _FINAL_VOTE.search(question_sentences(t)):
        try:
            return EnsembleProblem(read_voting(t))
        except NotUnderstood as no_vote:
            # "its weight α in the final classifier" with no model outputs: one round's α, not a vote
            try:
                return EnsembleProblem(read_adaboost(t))
            except (NotUnderstood, InvalidQuestion):
                raise no_vote from None
    if ADABOOST_WORDS.search(t):
        return EnsembleProblem(read_adaboost(t))
    if BOOTSTRAP_WORDS.search(t) and not AVERAGING_WORDS.search(t):
        return EnsembleProblem(read_bootstrap(t))
    if AVERAGING_WORDS.search(t) and re.search(r"varian|σ|sigma|standard deviation", t):
        return EnsembleProblem(read_averaging(t))
    if VOTING_WORDS.search(t) or re.search(r"probabilit", t):
        return EnsembleProblem(read_voting(t))
    raise NotUnderstood(
        "say what the ensemble question is about: bootstrap sampling, voting over model outputs, an AdaBoost "
        "round, or the variance of an average of correlated models"
    )
