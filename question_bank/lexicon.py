"""Word lists for grading free text: function words, negators, the field's synonyms and abbreviations.

Plain data plus one lookup each; :mod:`question_bank.text` applies them. Synonyms are folded on
Snowball stems, so every spelling of a word in a group (``neuron``, ``neurons``, ``unit``,
``nodes``) ends up as the group's first stem.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

_STEMMER = snowballstemmer.stemmer("english")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _words(
    """
    a an the and or but if then than else of to in on at by for with from into onto about as is are
    was were be been being am do does did doing done have has had having it its itself this that these
    those there here their theirs they them we us our ours you your yours i me my mine he she his her
    him hers what which who whom whose why how when where whether while can could would should will
    shall may might must so such also very just much some any each
    either one other others another up down out off again further once too
    s t d ll re ve e g eg ie etc via per whereas because since thus hence therefore however although
    though yet still even ever often sometimes over under above below before after during until
    through between against among within upon whose let lets
    use uses used using make makes made making get gets got getting take takes took taking become becomes
    became becoming thing things way ways kind sort basically actually really
    """
)
"""Function words: they carry no content for matching but show that a sentence is prose."""

NEGATORS = _words("not no never none nothing neither nor cannot without nobody nowhere hardly barely")
"""Words that deny what follows them (``n't`` is split off as ``not`` by the tokenizer)."""

NOT_NEGATING_AFTER = _words("only just merely simply")
"""``not only`` / ``not just`` announce an addition, not a denial."""

CONTRACTIONS = {"can": "can", "ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
"""Stems left in front of ``n't`` that are not words themselves (``ca|n't``, ``wo|n't``)."""

# English function words are the reference; these are the commonest function words of the
# languages students most often switch to, for the "mostly not English" check.
FOREIGN_FUNCTION_WORDS = _words(
    """
    le la les des du un une est et dans pour pas que qui avec sur sont ce cette ces aux au
    der die das und ist nicht ein eine mit von zu den dem sich auf für wird werden auch
    el los las es por para con una del lo se al como más pero sus
    il di che non sono della nel gli alla delle
    os da em um uma não são mais pelo pela
    het een van en zijn niet dat voor
    """
)

# -ise/-yse → -ize/-yze for these roots only (``supervise``, ``promise`` stay as they are).
_ISE = re.compile(
    r"^(normal|regular|optim|minim|maxim|initial|general|organ|recogn|util|visual|summar|emphas|token"
    r"|random|vector|categor|character|standard|stabil|special|penal|memor|priorit|parameter|real"
    r"|central|local|global|linear|symbol|theor|synthes|hypothes|quant|discret|binar|factor|neutral"
    r"|individual|sanit|polar|modular)is(e|es|ed|ing|ation|ations|er|ers|able)$"
)
_OUR = re.compile(r"^(neighb|behavi|col|fav|hum|lab|vap|flav|hon|rig)our(s|ed|ing|ly|al)?$")
_SPELLING = {
    "analyse": "analyze",
    "analysed": "analyzed",
    "analysing": "analyzing",
    "centre": "center",
    "centred": "centered",
    "modelled": "modeled",
    "modelling": "modeling",
    "labelled": "labeled",
    "labelling": "labeling",
    "grey": "gray",
    "fibre": "fiber",
}


def american(word: str) -> str:
    """British spellings of the field's words in their American form (``regularise`` → ``regularize``)."""
    if word in _SPELLING:
        return _SPELLING[word]
    word = _ISE.sub(r"\1iz\2", word)
    return _OUR.sub(r"\1or\2", word)


ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "sgd": ("stochastic", "gradient", "descent"),
    "gd": ("gradient", "descent"),
    "lr": ("learning", "rate"),
    "nn": ("neural", "network"),
    "nns": ("neural", "network"),
    "dnn": ("deep", "neural", "network"),
    "ann": ("neural", "network"),
    "cnn": ("convolutional", "network"),
    "cnns": ("convolutional", "network"),
    "convnet": ("convolutional", "network"),
    "rnn": ("recurrent", "network"),
    "rnns": ("recurrent", "network"),
    "params": ("parameters",),
    "param": ("parameter",),
    "grad": ("gradient",),
    "grads": ("gradients",),
    "backprop": ("backpropagation",),
    "init": ("initialization",),
    "wrt": ("with", "respect", "to"),
    "w.r.t": ("with", "respect", "to"),
    "aka": ("also", "known", "as"),
    "approx": ("approximately",),
    "glorot": ("xavier",),
    "lasso": ("l1",),
    "ridge": ("l2",),
    "err": ("error",),
    "var": ("variance",),
    "acc": ("accuracy",),
    "incl": ("including",),
}
"""Whole-word abbreviations, expanded before stemming."""

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("neuron", "unit", "node", "neurone"),
    ("weight", "parameter"),
    ("drop", "remove", "disable", "deactivate", "omit", "discard"),
    ("random", "randomly", "stochastic", "stochastically", "arbitrary"),
    ("overfitting", "overfit", "memorize", "memorization"),
    ("generalize", "generalization", "generalise", "generalisation"),
    ("average", "averaging"),
    ("big", "large", "huge", "bigger", "larger"),
    ("small", "tiny", "smaller"),
    ("reduce", "decrease", "lower", "lessen", "diminish", "shrink", "cut"),
    ("increase", "raise", "grow", "enlarge"),
    ("prevent", "avoid", "hinder", "discourage"),
    ("loss", "cost", "objective"),
    ("gradient", "derivative", "slope"),
    ("test", "inference", "testing"),
    ("model", "network", "net"),
    ("sample", "example", "instance", "observation"),
    ("label", "target"),
    ("penalty", "penalize", "penalise", "punish"),
    ("robust", "resilient", "robustness", "insensitive"),
    ("independent", "separate", "separately", "independently", "individual"),
    ("subnetwork", "submodel", "subnet"),
    ("ensemble", "committee"),
    ("data", "dataset"),
    ("many", "multiple", "several", "numerous"),
    ("fast", "quick", "faster", "quicker", "rapid", "rapidly"),
    ("slow", "slower", "sluggish"),
    ("noise", "noisy", "perturbation", "perturb"),
    ("zero", "zeros", "zeroed", "zeroes", "0"),
    ("minimum", "minima"),
    ("maximum", "maxima"),
    ("train", "training"),
    ("accuracy", "performance"),
    ("error", "mistake"),
    ("oscillate", "oscillation", "zigzag", "bounce"),
    ("converge", "convergence"),
    ("step", "update"),
    ("magnitude", "size"),
    ("evaporate", "evaporation", "vaporize"),
)
"""The field's words that mean the same for grading; each group folds to its first word's stem."""


@lru_cache(maxsize=65536)
def raw_stem(word: str) -> str:
    """Snowball stem of one lower-case word after American spelling."""
    stem: str = _STEMMER.stemWord(american(word))
    return stem


def _synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        canonical = raw_stem(group[0])
        for word in group:
            table.setdefault(raw_stem(word), canonical)
    return table


SYNONYMS = _synonym_table()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The canonical stem of a lower-case word: Snowball, then the synonym group it belongs to."""
    base = raw_stem(word)
    return SYNONYMS.get(base, base)


OPPOSING_WORDS = (
    "prevent",
    "break",
    "reduce",
    "decrease",
    "lower",
    "curb",
    "counter",
    "counteract",
    "eliminate",
    "suppress",
    "mitigate",
    "combat",
    "fight",
    "avoid",
    "lack",
    "fail",
    "instead",
    "rather",
    "unlike",
    "against",
)
"""Words that argue against what follows ("prevents co-adaptation"): a cue for the thing opposed is
still stated by "cannot co-adapt"; one denied after such a word ("does not prevent") is not."""

OPPOSING = frozenset(raw_stem(word) for word in OPPOSING_WORDS)
