"""The question encoder and the span reader on ONNX Runtime give what they give on torch (index/onnx_runtime.py)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from common import ARTICLE
from index.embedding import SentenceTransformerEmbedder, packaged_minilm_dir
from index.query_encoder import QueryEncoder, plain_mean_pooling_config
from qa.span_reader import SpanReader

pytestmark = pytest.mark.e2e
QUESTIONS = ["Who is Putin's spokesman?", "Why did relations hit a nadir?", "How many people died?",
             "Which weapon system does Turkey want to buy?", "?" * 300]


def test_the_onnx_reader_reads_every_span_the_torch_reader_reads(real_settings):
    paragraphs = [text.strip() for text in ARTICLE.read_text(encoding="utf-8").split("\n\n") if text.strip()]
    paragraphs.append("\n\n".join(paragraphs))  # a passage longer than one window
    pairs = [(q, p) for q in QUESTIONS for p in paragraphs]
    onnx = SpanReader(runtime="onnx", cache_dir=real_settings.model_cache_dir).load()
    assert onnx.runtime_used == "onnx"
    for a, b in zip(SpanReader().load().read_pairs(pairs), onnx.read_pairs(pairs)):
        assert (a.start, a.end, a.text) == (b.start, b.end, b.text)
        assert abs(a.span_logit - b.span_logit) < 1e-3 and abs(a.null_logit - b.null_logit) < 1e-3


def test_the_onnx_question_encoder_gives_the_sentence_transformers_vector(real_settings):
    model_dir = packaged_minilm_dir()
    encoder = QueryEncoder(model_dir, plain_mean_pooling_config(model_dir), cache_dir=real_settings.model_cache_dir)
    reference = SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="float32")
    for text in ["Why did relations between Russia and Turkey hit a nadir?", "Ünïcödé façade?", "word " * 400]:
        np.testing.assert_allclose(encoder.embed_one(text), reference.embed([text]), atol=1e-5)
    assert encoder.runtime_used == "onnx"


def test_a_failed_export_falls_back_to_torch_with_a_warning(tmp_path, monkeypatch, caplog):
    def refuse(*args):
        raise RuntimeError("no exporter here")

    monkeypatch.setattr("index.onnx_runtime.export", refuse)
    with caplog.at_level(logging.WARNING):
        reader = SpanReader(runtime="onnx", cache_dir=tmp_path).load()
    assert reader.runtime_used == "torch" and "no exporter here" in caplog.text
    assert reader.read("Who is Putin's spokesman?", ["Putin's spokesman, Dmitry Peskov, told reporters."])[0].text \
        == "Dmitry Peskov"
    assert not list(tmp_path.rglob("*.onnx"))
