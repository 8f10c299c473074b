"""CachedEmbedder: same vectors as the wrapped embedder, each text embedded once, bounded size."""

import numpy as np
import pytest

from index.embedding import CachedEmbedder
from fakes import HashingEmbedder


def test_returns_the_wrapped_embedders_vectors_in_order():
    inner = HashingEmbedder()
    cached = CachedEmbedder(HashingEmbedder())
    texts = ["alpha beta", "gamma", "alpha beta", "delta epsilon"]
    np.testing.assert_array_equal(cached.embed(texts), inner.embed(texts))
    assert cached.embed([]).shape == (0, inner.dimension)


def test_each_text_is_embedded_once():
    inner = HashingEmbedder()
    cached = CachedEmbedder(inner)
    cached.embed(["one question", "a sentence", "one question"])
    cached.embed(["a sentence", "another sentence"])
    assert inner.embedded_texts == ["one question", "a sentence", "another sentence"]


def test_least_recently_used_texts_are_evicted():
    inner = HashingEmbedder()
    cached = CachedEmbedder(inner, max_entries=2)
    cached.embed(["a", "b"])
    cached.embed(["a"])  # "b" is now the least recently used
    cached.embed(["c"])
    cached.embed(["a", "b"])
    assert inner.embedded_texts == ["a", "b", "c", "b"]
    cached.clear()
    cached.embed(["a"])
    assert inner.embedded_texts[-1] == "a" and len(inner.embedded_texts) == 5


def test_attributes_come_from_the_wrapped_embedder():
    cached = CachedEmbedder(HashingEmbedder(dimension=32, model_id="m"))
    assert (cached.model_id, cached.dimension, cached.count_tokens("two words")) == ("m", 32, 2)
    with pytest.raises(ValueError, match="max_entries"):
        CachedEmbedder(HashingEmbedder(), max_entries=0)
