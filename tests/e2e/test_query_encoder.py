"""The question encoder that skips sentence-transformers: bit-identical vectors, and a `qa ask` against a built index
that never imports sentence-transformers, nor (on ONNX Runtime, the default) torch and transformers (cold start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from common import ROOT
from index.embedding import SentenceTransformerEmbedder, native_bfloat16, packaged_minilm_dir
from index.query_encoder import QueryEncoder, plain_mean_pooling_config

pytestmark = pytest.mark.e2e
TEXTS = ["Why did relations between Russia and Turkey hit a nadir?", "  a question with spaces around  ",
         "Ünïcödé façade, 2.5 billion dollars?", "word " * 400, "x"]


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_question_vectors_equal_sentence_transformers_bit_for_bit(dtype):
    model_dir = packaged_minilm_dir()
    encoder = QueryEncoder(model_dir, plain_mean_pooling_config(model_dir), dtype)
    reference = SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype=dtype)
    for text in TEXTS:
        np.testing.assert_array_equal(encoder.embed_one(text), reference.embed([text]))


def test_asking_a_built_index_does_not_import_sentence_transformers(real_assistant, real_settings):
    # real_assistant built the article's index in real_settings.data_dir; a new process only asks it
    script = ("import json, sys\nfrom qa import Assistant, Settings\n"
              f"a = Assistant.from_corpus({str(ROOT / 'corpus')!r}, Settings.from_env(), show_progress=False)\n"
              "answer = a.ask('Why did relations between Russia and Turkey hit a nadir?')\n"
              "print(json.dumps({'st': 'sentence_transformers' in sys.modules, 'text': answer.text,\n"
              "                  'torch': 'torch' in sys.modules, 'transformers': 'transformers' in sys.modules}))\n")
    env = {**os.environ, "QA_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=600, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["st"] is False
    # On a CPU with native bfloat16 (AMX, AVX512-BF16) the index is embedded in bfloat16, and its questions must be
    # too: that encoder runs on torch by design (index/query_encoder.py), the ONNX export being float32.
    bfloat16 = real_settings.embedder_dtype == "bfloat16" or (real_settings.embedder_dtype == "auto"
                                                              and native_bfloat16())
    if real_settings.encoder_runtime == "onnx" and not bfloat16:  # real_assistant has exported both encoders
        assert result["torch"] is False and result["transformers"] is False
    assert result["text"] == real_assistant.ask("Why did relations between Russia and Turkey hit a nadir?").text
