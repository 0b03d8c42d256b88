"""Recognise a bank question asked in other words, refuse what the bank does not cover, and search it.

The approach is lexical (standard library and Snowball stems) and everything about the bank is
computed once, when a :class:`BankMatcher` is built; matching one question then takes well under a
millisecond.

* **Analysis.** Text is flattened with :func:`solvers.normalize.normalize` (LaTeX, Unicode, plus
  ``\\nabla``, ``\\partial``, ``\\ell_1`` and ``\\|w\\|_2``), exam decorations are stripped
  (``Q3.``, ``(d)``, ``[E]``, ``(6 marks)``), British spellings become American, prefixes are
  joined (``mini-batch``, ``mini batch`` → ``minibatch``), the field's abbreviations and synonyms
  are folded to one spelling (``SGD`` → ``stochastic gradient descent``, ``lasso`` → ``l1``,
  ``weight decay`` → ``l2``, ``BN`` → ``batchnorm``, ``L1 loss`` → ``mae``), stop words and exam
  directives ("explain", "discuss", "difference between") are dropped and the rest is stemmed.
* **Index.** Each entry weighs each term by the strongest field it occurs in: title and prompt
  1.0, tags 0.8, key points and their cues 0.6, model answer 0.4, misconceptions 0.3. A term's
  IDF is computed over the bank from those weights.
* **Query terms.** Each distinct word of the question weighs its IDF. A word the bank never uses
  (``attention``, ``GAN``, ``warmup``) weighs as much as a word only one entry uses, so a question
  about a concept the bank lacks cannot reach the bar on the words it shares with an entry.
  Words every deep-learning question uses ("network", "training", "model") weigh a third.
  An unknown word is first corrected to a bank word one edit away (two for long words) or split
  into two bank words (``tangentprop``); the field's own out-of-bank terms are never corrected.
* **Score** (the reported confidence, 0..1) = 0.5 × coverage (share of the question's weight found
  anywhere in the entry, field-weighted) + 0.3 × core coverage (share found in the entry's own
  question: title, prompt, tags at half weight) + 0.1 × precision (share of the entry's own
  question that the question asks) + 0.1 × the same for the title alone. A question that asks
  for a comparison ("difference", "vs") ranks entries framed as comparisons a little higher.
* **Acceptance.** The best entry is returned only if the question says enough (total weight of
  its terms), its score, coverage and core coverage reach their bars, and it leads the runner-up
  clearly (by score, or by asking much more of its own question), unless the runner-up is linked
  to it as ``related`` (then either is a fair answer). Otherwise ``entry`` is ``None`` and the
  nearest entries are the suggestions.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from question_bank.loader import QuestionBank
from question_bank.models import QuestionEntry
from solvers.normalize import normalize

__all__ = ["MAX_QUESTION_CHARS", "BankMatch", "BankMatcher"]

MAX_QUESTION_CHARS = 2000
"""Longer input is not one exam question: it is refused without being analysed."""

MAX_ALTERNATIVES = 3

MAX_WORD_CHARS = 24
"""Longer tokens are not words (hashes, runs of letters) and are ignored."""

MAX_TERMS = 40
"""Distinct words of one question that are analysed; exam questions use far fewer."""

MAX_CORRECTIONS = 12
"""Unknown words of one question that the typo step tries to correct (bounds the time of garbage input)."""

# Field weights: how strongly a term found in a field ties an entry to it.
W_TITLE = 1.0
W_PROMPT = 1.0
W_TAGS = 0.8
W_KEY_POINTS = 0.6
W_MISCONCEPTIONS = 0.3
W_ANSWER = 0.4

CORE_TAGS = 0.5
"""Weight of the tags in the entry's own question (title and prompt weigh 1)."""

GENERIC_WEIGHT = 0.35
"""Share of its IDF that a generic word of the field ("network", "training") keeps in a question."""

# Score: coverage of the question by the whole entry, by the entry's own question, the share of the
# entry's own question that the question asks, and the same share of its title.
RANK_COVERAGE = 0.5
RANK_CORE = 0.3
RANK_PRECISION = 0.1
RANK_TITLE = 0.1

RANK_COMPARISON = 0.08
"""Ranking only: a question asking for a comparison leans towards entries framed as one."""

ACCEPT_SCORE = 0.45
"""Least score (the reported confidence) of an accepted entry."""

ACCEPT_COVERAGE = 0.5
"""Least share of the question's weighted terms the entry must cover."""

ACCEPT_CORE = 0.2
"""Least share of the question's weighted terms the entry's own question must cover."""

ACCEPT_MARGIN = 0.04
"""Least lead of the best entry over an unrelated runner-up..."""

PRECISION_LEAD = 1.5
"""...unless it asks this many times more of the best entry's own question than of the runner-up's."""

MIN_INFORMATION = 1.2
"""Least total weight of a question's terms: "What is training?" says too little to pick an entry."""


@dataclass(frozen=True)
class BankMatch:
    """The entry a question asks (``None`` when nothing in the bank is close enough).

    ``confidence`` is the entry's score in 0..1 (for a refusal, the best score found);
    ``alternatives`` are the next best ids with their scores, best first (for a refusal: the
    nearest entries, as suggestions).
    """

    entry: QuestionEntry | None
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)


# --- text analysis --------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = _word_set(
    """
    a an the and or but nor if then than else of to in on at by for with without within from into onto
    about as is are was were be been being am do does did doing done have has had having it its itself
    this that these those there here their theirs they them we us our you your yours i me my mine he
    she his her him what whats which who whom whose why how when where whether while can could would
    should will shall may might must not no so such also very just only more most less least much many
    some any all each every both either neither one two three four five first second third other
    others another same own up down out off again further once s t v eg ie etc e g i w r wrt
    don doesn didn isn aren wasn weren won wouldn shouldn couldn haven hasn hadn
    explain explained explaining explanation discuss discussion describe described description define
    defined definition outline state list mention name give provide show prove justify illustrate
    elaborate briefly brief detail details detailed short note notes write answer answers question
    questions mark marks point points example examples suitable relevant overview summary summarize
    concise clearly clear yes okay ok please interview exam quiz respectively
    difference differences differ differs differing different differently between compare compared
    comparing comparison contrast contrasted contrasting distinguish differentiate versus vs
    role roles importance important significance significant purpose concept concepts idea ideas
    meaning mean means term terms sense use uses used using usage work works working worked help helps
    helpful relate relates related relation relationship link links linked main key major basic basics
    simple simply general generally typical typically usually usual common commonly way ways reason
    reasons intuition intuitive intuitively happen happens happening affect affects effect effects let
    assume suppose consider considered given find compute calculate computed calculated say tell know
    see get gets make makes made take takes need needs needed kind kinds type types thing things like
    well good better best bad really actually exactly practice practical real world scenario scenarios
    case cases able called call seen view viewed regarded treat treated think thought try trying
    around across through throughout over under above below before after during until since because
    therefore thus hence however although though yet still even ever never always often sometimes
    something anything everything nothing someone anyone technique techniques approach approaches
    strategy strategies problem problems issue issues
    """
)


# Prefixes joined to the next word whether written with a hyphen, a space or nothing.
_PREFIXES = frozenset({"mini", "multi", "semi", "non", "pre", "co", "hyper", "sub", "self", "un"})
_FIT_PREFIXES = frozenset({"over", "under"})

# -ise/-yse → -ize/-yze only for these roots (``supervise``, ``promise`` stay as they are).
_ISE = re.compile(
    r"^(normal|regular|optim|minim|maxim|initial|general|organ|recogn|util|visual|summar|emphas|token"
    r"|random|vector|categor|character|standard|stabil|special|penal|memor|priorit|parameter|real"
    r"|central|local|global|personal|formal|final|equal|linear|serial|parallel|symbol|theor|critic"
    r"|synthes|hypothes|quant|discret|binar|decentral|factor|modular|polar|neutral|capital|mobil"
    r"|custom|author|familiar|sanit|energ|individual|conceptual|contextual|operational)"
    r"is(e|es|ed|ing|ation|ations|er|ers|able)$"
)
_OUR = re.compile(
    r"^(neighb|behavi|col|tum|fav|harb|hum|lab|rum|vap|vig|flav|hon|rig)our(s|ed|ing|hood|ly|al)?$"
)
_ELLED = re.compile(r"^(label|model|travel|cancel|level|signal|tunnel|channel|fuel|total)l(ed|ing|er|ers)$")
_SPELLING = {
    "analyse": "analyze",
    "analysed": "analyzed",
    "analysing": "analyzing",
    "centre": "center",
    "centred": "centered",
    "fibre": "fiber",
    "grey": "gray",
    "programme": "program",
    "catalogue": "catalog",
    "modelled": "modeled",
    "artefact": "artifact",
    "artefacts": "artifacts",
}

# The field's abbreviations and synonyms, folded to one spelling (longest phrase first).
_PHRASES_SOURCE: dict[str, str] = {
    # optimisation
    "sgd": "stochastic gradient descent",
    "gd": "gradient descent",
    "bgd": "batch gradient descent",
    "full batch": "batch",
    "vanilla": "",
    "plain": "",
    "lr": "learning rate",
    "lrs": "learning rate",
    "rms prop": "rmsprop",
    "ada grad": "adagrad",
    "hyperparam": "hyperparameter",
    "hyperparams": "hyperparameter",
    "opt": "optimization",
    "optimiser": "optimizer",
    "optimisers": "optimizer",
    # networks
    "cnns": "cnn",
    "convnet": "cnn",
    "convnets": "cnn",
    "conv net": "cnn",
    "conv nets": "cnn",
    "convolutional network": "cnn",
    "convolutional networks": "cnn",
    "convolutional net": "cnn",
    "convolutional nets": "cnn",
    "convolutional neural network": "cnn",
    "convolutional neural networks": "cnn",
    "conv": "convolution",
    "convolutional": "convolution",
    "rnns": "rnn",
    "recurrent network": "rnn",
    "recurrent networks": "rnn",
    "recurrent net": "rnn",
    "recurrent nets": "rnn",
    "recurrent neural network": "rnn",
    "recurrent neural networks": "rnn",
    "nn": "neural network",
    "nns": "neural network",
    "dnn": "deep neural network",
    "dnns": "deep neural network",
    "ann": "neural network",
    "net": "network",
    "nets": "network",
    "wt": "weight",
    "wts": "weight",
    "param": "parameter",
    "params": "parameter",
    "backprop": "backpropagation",
    "back propagation": "backpropagation",
    "grad": "gradient",
    "grads": "gradient",
    "init": "initialization",
    "inits": "initialization",
    "initialisation": "initialization",
    "glorot": "xavier",
    "he initialization": "kaiming initialization",
    "he init": "kaiming initialization",
    "he normal": "kaiming initialization",
    "xavier he": "xavier kaiming",
    # regularisation
    "lasso": "l1",
    "ridge": "l2",
    "weight decay": "l2",
    "reg": "regularization",
    "regularisation": "regularization",
    "aug": "augmentation",
    "dataset": "data",
    "datasets": "data",
    "data set": "data",
    "data sets": "data",
    "bootstrap aggregating": "bagging",
    "bootstrap aggregation": "bagging",
    "lagrangian": "lagrange",
    "lagrangians": "lagrange",
    "tangentprop": "tangent prop",
    "tangent propagation": "tangent prop",
    "mtl": "multitask learning",
    "mtc": "manifold tangent classifier",
    "fast gradient sign method": "fgsm",
    "fast gradient sign": "fgsm",
    # evaluation
    "tp": "true positive",
    "fp": "false positive",
    "fn": "false negative",
    "tn": "true negative",
    "tps": "true positive",
    "fps": "false positive",
    "fns": "false negative",
    "tns": "true negative",
    "f1 score": "f1",
    "f score": "f1",
    "f measure": "f1",
    "tumor": "cancer",
    "tumors": "cancer",
    # learning paradigms
    "nlp": "nlp",
    "natural language processing": "nlp",
    "computer vision": "vision",
    "dl": "",
    "ml": "",
    "ai": "",
    "deep learning": "",
    "machine learning": "",
    "artificial intelligence": "",
    "neural network": "network",
    "neural networks": "network",
    # concepts the bank does not cover, folded so they are not matched by their parts
    "l1 loss": "mae",
    "l2 loss": "mse",
    "l1 and l2 loss": "mae mse",
    "l1 and l2 losses": "mae mse",
    "l1 l2 loss": "mae mse",
    "mean absolute error": "mae",
    "mean squared error": "mse",
    "mean square error": "mse",
    "bn": "batchnorm",
    "batch norm": "batchnorm",
    "batch normalization": "batchnorm",
    "batch normalisation": "batchnorm",
    "layer norm": "layernorm",
    "layer normalization": "layernorm",
    "layer normalisation": "layernorm",
    "group norm": "groupnorm",
    "instance norm": "instancenorm",
    "gan": "gan",
    "gans": "gan",
    "generative adversarial network": "gan",
    "generative adversarial networks": "gan",
    "generative adversarial net": "gan",
    "generative adversarial nets": "gan",
    "lstm": "lstm",
    "lstms": "lstm",
    "long short term memory": "lstm",
    "gru": "gru",
    "grus": "gru",
    "gated recurrent unit": "gru",
    "vae": "vae",
    "vaes": "vae",
    "variational autoencoder": "vae",
    "variational autoencoders": "vae",
    "warm up": "warmup",
    "label smoothing": "labelsmoothing",
    "self attention": "attention",
    "transformer": "transformernet",
    "transformers": "transformernet",
    "multi head attention": "attention",
    "cross entropy": "crossentropy",
    "knowledge distillation": "distillation",
    "backpropagation through time": "bptt",
    "residual connection": "residualconnection",
    "residual connections": "residualconnection",
    "skip connection": "residualconnection",
    "skip connections": "residualconnection",
    "cross validation": "crossvalidation",
    "k fold": "kfold",
    "receptive field": "receptivefield",
    "transfer learning": "transferlearning",
    "fine tune": "finetune",
    "fine tuning": "finetune",
    "fine tuned": "finetune",
    "finetuning": "finetune",
    "finetuned": "finetune",
    "learning rate schedule": "lrschedule",
    "learning rate scheduling": "lrschedule",
    "learning rate decay": "lrschedule",
    "learning rate warmup": "warmup",
    "mixed precision": "mixedprecision",
    "gradient checkpointing": "gradientcheckpointing",
    "weight pruning": "pruning",
    "roc curve": "roc",
    "precision recall curve": "prcurve",
    "precision recall curves": "prcurve",
    "pr curve": "prcurve",
}

# Out-of-bank concepts of the field: never "corrected" into a bank word by the typo step.
_FIELD_TERMS = _word_set(
    """
    batchnorm layernorm groupnorm instancenorm attention transformer transformers bert gpt lstm gru
    gate gates gated gan generator discriminator vae variational warmup schedule scheduler annealing
    cosine pruning prune pruned distillation distill teacher student quantization quantize quantized
    labelsmoothing smoothing softmax crossentropy embedding embeddings word2vec glove tokenizer
    beam decoding decoder encoder seq2seq positional encoding resnet residualconnection receptive
    receptivefield dilated dilation depthwise separable stride padding kernel filter checkpointing
    gradientcheckpointing mixedprecision bptt nesterov adamw lookahead contrastive simclr byol
    siamese triplet roc auc prcurve calibration focal curriculum continual catastrophic forgetting
    meta reinforcement policy reward diffusion denoising autoregressive perplexity capsule
    hypernetwork mixup cutout cutmix gelu swish elu leaky lottery ticket wasserstein collapse
    inception vgg alexnet unet yolo segmentation detection temperature logits logit entropy
    crossvalidation kfold transferlearning finetune pretrained lrschedule mae mse huber hinge
    svm kernel tree trees forest pooling recurrent convolution convolutional deconvolution
    upsampling autoencoder encoder latent gaussian bayesian posterior prior likelihood
    """
)

_DECORATION_START = re.compile(
    r"^(?:\s*(?:(?:q(?:uestion)?|problem|ex(?:ercise)?|part)\s*\.?\s*\d+[a-z]?|\d{1,3}[a-z]?"
    r"|\(\s*[a-z0-9]{1,4}\s*\)|[a-z]\)|\[\s*[a-z0-9]{1,3}\s*\]|[ivx]{1,4}\))\s*[.):\-]*\s*)+"
)
_MARKS = re.compile(r"[(\[]\s*\d+(?:\.\d+)?\s*(?:marks?|pts?|points?|m)\s*[)\]]|\b\d+\s*marks?\b")
# LaTeX commands normalize() leaves alone when glued to a subscript (``\\nabla_X``), and symbols.
_LATEX_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\\nabla(?![a-zA-Z])", " gradient "),
        (r"\\partial(?![a-zA-Z])", " derivative "),
        (r"\\ell(?![a-zA-Z])", "l"),
        (r"\\\|", "||"),
        (r"\\lambda(?![a-zA-Z])", " lambda "),
    )
)
_MATH_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ℓ", "l"),
        (r"\|\|?\s*[a-z]*\s*\|\|?\s*_\s*\{?\s*([12])\s*\}?", r" l\1 norm "),
        (r"\|\|\s*[a-z]*\s*\|\|", " norm "),
        (r"\b([a-z])\s*_\s*\{\s*(\d)\s*\}", r"\1\2"),
        (r"\b([a-z])\s*_\s*(\d)\b", r"\1\2"),
        (r"∇", " gradient "),
        (r"∂", " derivative "),
        (r"\\[a-z]+", " "),
    )
)
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_NUMBER = re.compile(r"^\d+$")


def _phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    table = {tuple(source.split()): tuple(target.split()) for source, target in _PHRASES_SOURCE.items()}
    return table, max(len(key) for key in table)


_PHRASES, _LONGEST_PHRASE = _phrase_table()


@lru_cache(maxsize=16384)
def _american(word: str) -> str:
    if word in _SPELLING:
        return _SPELLING[word]
    word = _ISE.sub(r"\1iz\2", word)
    word = _OUR.sub(r"\1or\2", word)
    return _ELLED.sub(r"\1\2", word)


def _raw_words(text: str) -> list[str]:
    """Lower-case words of a cleaned text, prefixes joined, hyphenated compounds split."""
    for pattern, replacement in _LATEX_FIXES:
        text = pattern.sub(replacement, text)
    text = normalize(text).lower()
    for pattern, replacement in _MATH_FIXES:
        text = pattern.sub(replacement, text)
    text = _MARKS.sub(" ", text)
    text = _DECORATION_START.sub("", text)
    words: list[str] = []
    for token in _TOKEN.findall(text):
        token = token.replace("’", "'")
        if "'" in token:
            token = token.split("'", 1)[0]
        words.extend(_american(part) for part in token.split("-") if part)
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if index + 1 < len(words):
            following = words[index + 1]
            if word in _PREFIXES or (word in _FIT_PREFIXES and following.startswith("fit")):
                joined.append(word + following)
                index += 2
                continue
        joined.append(word)
        index += 1
    return joined


def _fold_phrases(words: Sequence[str]) -> list[str]:
    """Replace the field's abbreviations and synonyms, longest phrase first; drop numbers."""
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - index), 0, -1):
            key = tuple(words[index : index + size])
            target = _PHRASES.get(key)
            if target is not None:
                out.extend(target)
                index += size
                break
        else:
            word = words[index]
            if not _NUMBER.match(word):
                out.append(word)
            index += 1
    return out


_COMPARISON = _word_set(
    """difference differences differ differs differing different differently compare compared comparing
    comparison contrast contrasted contrasting distinguish differentiate versus vs"""
)


def _analyse(text: str) -> tuple[list[str], bool]:
    """The words of ``text`` that carry meaning (folded, stop words and numbers removed), and
    whether the text asks for a comparison ("difference", "compare", "vs")."""
    raw = _raw_words(text)
    words = [
        word for word in _fold_phrases(raw) if word not in _STOP_WORDS and 1 < len(word) <= MAX_WORD_CHARS
    ]
    return words, any(word in _COMPARISON for word in raw)


def _content_words(text: str) -> list[str]:
    return _analyse(text)[0]


_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps its state in the object


# Stems of one idea that Snowball keeps apart.
_STEM_ALIASES = {
    "constraint": "constrain",
    "sparsiti": "spars",
    "noisi": "nois",
    "classif": "classifi",
    "repres": "represent",
    "penalti": "penal",
    "minimum": "minima",
    "difficulti": "challeng",
    "obstacl": "challeng",
    "hurdl": "challeng",
    "remedi": "prevent",
    "mitig": "prevent",
    "fix": "prevent",
    "cure": "prevent",
    "overcom": "prevent",
    "tackl": "prevent",
    "combat": "prevent",
    "avoid": "prevent",
}


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    with _STEMMER_LOCK:
        stem = str(_STEMMER.stemWord(word))
    return _STEM_ALIASES.get(stem, stem)


# Words every deep-learning question uses: they count, but little, in a question's weight.
_GENERIC = frozenset(
    _stem(word)
    for word in _word_set(
        "deep network networks neural model models train training trained data machine modern ai input inputs"
        " output outputs"
    )
)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {item[:i] + item[i + 1 :] for item in frontier for i in range(len(item))}
        found |= frontier
    return found


def _typo_depth(word: str) -> int:
    if len(word) >= 9:
        return 2
    if len(word) >= 6:
        return 1
    return 0


# --- the index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    entry: QuestionEntry
    rank: float
    score: float
    coverage: float
    core: float
    precision: float


class BankMatcher:
    """Everything about the bank is computed here once; :meth:`match` and :meth:`search` only look up."""

    def __init__(self, bank: QuestionBank) -> None:
        self._entries: tuple[QuestionEntry, ...] = bank.entries
        self._related: dict[str, frozenset[str]] = {entry.id: frozenset(entry.related) for entry in bank}
        weights: list[dict[str, float]] = []
        core: list[dict[str, float]] = []
        surface: Counter[str] = Counter()
        for entry in self._entries:
            entry_weights: dict[str, float] = {}
            entry_core: dict[str, float] = {}
            for text, weight, core_weight in self._fields(entry):
                words = _content_words(text)
                surface.update(words)
                for word in words:
                    term = _stem(word)
                    if entry_weights.get(term, 0.0) < weight:
                        entry_weights[term] = weight
                    if core_weight and entry_core.get(term, 0.0) < core_weight:
                        entry_core[term] = core_weight
            weights.append(entry_weights)
            core.append(entry_core)
        count = len(self._entries)
        document_frequency: dict[str, float] = {}
        for entry_weights in weights:
            for term, weight in entry_weights.items():
                document_frequency[term] = document_frequency.get(term, 0.0) + weight
        self._idf: dict[str, float] = {
            term: math.log(1.0 + count / (df + 0.5)) for term, df in document_frequency.items()
        }
        # A word the bank never uses weighs as much as a word only one entry uses in one field.
        self._unknown_idf = math.log(1.0 + count / 1.5)
        self._core = core
        self._core_norm = [sum(self._idf[term] * weight for term, weight in c.items()) or 1.0 for c in core]
        self._title_terms = [
            frozenset(_stem(word) for word in _content_words(e.title)) for e in self._entries
        ]
        self._comparison = [_analyse(f"{e.title}. {e.prompt}")[1] for e in self._entries]
        self._title_norm = [sum(self._idf[term] for term in terms) or 1.0 for terms in self._title_terms]
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, entry_weights in enumerate(weights):
            for term, weight in entry_weights.items():
                self._postings.setdefault(term, []).append((index, weight))
        # Typo correction: bank words by their deletions (symmetric-delete look-up).
        self._surface = frozenset(surface)
        self._surface_count = surface
        self._deletions: dict[str, list[str]] = {}
        for word in self._surface:
            depth = _typo_depth(word)
            for variant in _deletes(word, max(depth, 1)) if len(word) >= 5 else ():
                self._deletions.setdefault(variant, []).append(word)
        self._prefix_words = sorted(self._surface)

    @staticmethod
    def _fields(entry: QuestionEntry) -> Iterator[tuple[str, float, float]]:
        """(text, weight, weight as the entry's own question) of every indexed field."""
        yield entry.title, W_TITLE, 1.0
        yield entry.prompt, W_PROMPT, 1.0
        for tag in entry.tags:
            yield tag.replace("-", " "), W_TAGS, CORE_TAGS
        yield entry.id.replace("-", " "), W_TAGS, 0.0
        for point in entry.key_points:
            yield point.text, W_KEY_POINTS, 0.0
            for cue in point.cues:
                yield cue, W_KEY_POINTS, 0.0
        for misconception in entry.misconceptions:
            yield misconception.text, W_MISCONCEPTIONS, 0.0
        yield entry.answer_markdown, W_ANSWER, 0.0

    # --- query analysis ---

    def _known(self, word: str) -> bool:
        return _stem(word) in self._idf

    def _correct(self, word: str) -> list[str]:
        """An unknown query word as bank words: its typo-corrected form, its two halves, or itself."""
        depth = _typo_depth(word)
        if depth:
            best: tuple[int, int, str] | None = None
            candidates = {c for variant in _deletes(word, depth) for c in self._deletions.get(variant, ())}
            for candidate in candidates:
                distance = _edit_distance(word, candidate, depth)
                if distance <= _typo_depth(candidate) and distance <= depth:
                    key = (distance, -self._surface_count[candidate], candidate)
                    if best is None or key < best:
                        best = key
            if best is not None:
                return [best[2]]
        if len(word) >= 7:
            for cut in range(3, len(word) - 2):
                head, tail = word[:cut], word[cut:]
                if head in self._surface and tail in self._surface:
                    return [head, tail]
        return [word]

    def _query(self, text: str) -> tuple[dict[str, float], bool]:
        """The query's distinct terms with their weights (IDF; unseen words weigh the most), and
        whether it asks for a comparison."""
        words, comparison = _analyse(text)
        terms: dict[str, float] = {}
        corrections = 0
        for word in list(dict.fromkeys(words))[:MAX_TERMS]:
            if self._known(word) or word in _FIELD_TERMS:
                found = [word]
            elif corrections < MAX_CORRECTIONS:
                corrections += 1
                found = [w for w in self._correct(word) if w not in _STOP_WORDS]
            else:
                found = [word]
            for corrected in found:
                term = _stem(corrected)
                weight = self._idf.get(term, self._unknown_idf)
                if term in _GENERIC or (
                    term not in self._idf and len(term) <= 3 and term not in _FIELD_TERMS
                ):
                    # Generic words, and short unknown tokens (``wat``, ``thx``), say little.
                    weight *= GENERIC_WEIGHT
                terms[term] = weight
        return terms, comparison

    # --- scoring ---

    def _score(self, terms: dict[str, float], comparison: bool) -> list[_Scored]:
        """Every entry that shares a term with the query, best first."""
        total = sum(terms.values())
        if total <= 0.0:
            return []
        matched = [0.0] * len(self._entries)
        core_matched = [0.0] * len(self._entries)
        title_matched = [0.0] * len(self._entries)
        for term, weight in terms.items():
            for index, field_weight in self._postings.get(term, ()):
                matched[index] += weight * field_weight
                core_weight = self._core[index].get(term)
                if core_weight is not None:
                    core_matched[index] += weight * core_weight
                if term in self._title_terms[index]:
                    title_matched[index] += self._idf[term]
        scored: list[_Scored] = []
        for index, entry in enumerate(self._entries):
            if matched[index] <= 0.0:
                continue
            coverage = matched[index] / total
            core = core_matched[index] / total
            precision = min(1.0, core_matched[index] / self._core_norm[index])
            title = title_matched[index] / self._title_norm[index]
            score = (
                RANK_COVERAGE * coverage + RANK_CORE * core + RANK_PRECISION * precision + RANK_TITLE * title
            )
            rank = score + (RANK_COMPARISON if comparison and self._comparison[index] else 0.0)
            scored.append(_Scored(entry, rank, score, coverage, core, precision))
        scored.sort(key=lambda item: (-item.rank, item.entry.id))
        return scored

    def match(self, text: str) -> BankMatch:
        """The bank entry ``text`` asks, or ``entry=None`` with the nearest entries as suggestions."""
        if len(text) > MAX_QUESTION_CHARS:
            return BankMatch(None, 0.0, [])
        terms, comparison = self._query(text)
        scored = self._score(terms, comparison)
        if not scored:
            return BankMatch(None, 0.0, [])
        best = scored[0]
        runner_up = scored[1] if len(scored) > 1 else None
        clear_lead = (
            runner_up is None
            or best.rank - runner_up.rank >= ACCEPT_MARGIN
            or best.precision >= PRECISION_LEAD * runner_up.precision
            or runner_up.entry.id in self._related[best.entry.id]
        )
        accepted = (
            sum(terms.values()) >= MIN_INFORMATION
            and best.score >= ACCEPT_SCORE
            and best.coverage >= ACCEPT_COVERAGE
            and best.core >= ACCEPT_CORE
            and clear_lead
        )
        confidence = round(min(1.0, best.score), 4)
        if accepted:
            rest = scored[1 : 1 + MAX_ALTERNATIVES]
            return BankMatch(best.entry, confidence, [(s.entry.id, round(s.score, 4)) for s in rest])
        suggestions = scored[:MAX_ALTERNATIVES]
        return BankMatch(None, confidence, [(s.entry.id, round(s.score, 4)) for s in suggestions])

    def explain(self, text: str) -> list[tuple[str, float, float, float, float]]:
        """(id, score, coverage, core coverage, precision) of every relevant entry, best first."""
        if len(text) > MAX_QUESTION_CHARS:
            return []
        return [
            (s.entry.id, s.score, s.coverage, s.core, s.precision) for s in self._score(*self._query(text))
        ]

    def search(self, q: str, limit: int = 10) -> list[tuple[QuestionEntry, float]]:
        """Full-text search: every entry with any relevance to ``q``, best first, at most ``limit``.

        Looser than :meth:`match`: no threshold, and a word that is the start of bank words
        (``regulari``, ``drop``) stands for them.
        """
        if limit <= 0 or len(q) > MAX_QUESTION_CHARS:
            return []
        terms, comparison = self._query(q)
        expanded: dict[str, float] = {}
        for term, weight in terms.items():
            if term in self._idf:
                expanded[term] = weight
                continue
            for word in self._completions(term):
                stem = _stem(word)
                expanded[stem] = max(expanded.get(stem, 0.0), self._idf[stem])
        scored = self._score(expanded, comparison) if expanded else []
        return [(s.entry, round(s.score, 4)) for s in scored[:limit]]

    def _completions(self, prefix: str) -> Iterable[str]:
        if len(prefix) < 3:
            return ()
        start = bisect.bisect_left(self._prefix_words, prefix)
        found: list[str] = []
        for word in self._prefix_words[start:]:
            if not word.startswith(prefix):
                break
            found.append(word)
            if len(found) >= 20:
                break
        return found
