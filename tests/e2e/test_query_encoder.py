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
from index.embedding import SentenceTransformerEmbedder, packaged_minilm_dir
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


def test_a_question_gets_the_same_vector_before_and_after_the_documents_are_embedded(tmp_path):
    # the process that builds an index has the full model loaded (in bfloat16 where the CPU has it); its questions
    # must still get the question encoder's vector, or answers right after indexing differ from later ones
    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="bfloat16", onnx_cache=tmp_path)
    before = embedder.embed([TEXTS[0]])
    embedder.embed(TEXTS[1:3])  # a batch: the sentence-transformers model, as indexing embeds
    assert embedder._model is not None
    np.testing.assert_array_equal(embedder.embed([TEXTS[0]]), before)

def test_asking_a_built_index_does_not_import_sentence_transformers(real_assistant, real_settings):
    # real_assistant built the article's index in real_settings.data_dir; a new process only asks it
    script = ("import json, sys\nfrom qa import Assistant, Settings\n"
              f"a = Assistant.from_corpus({str(ROOT / 'corpus')!r}, Settings.from_env(), show_progress=False)\n"
              "answer = a.ask('Why did relations between Russia and Turkey hit a nadir?')\n"
              "print(json.dumps({'st': 'sentence_transformers' in sys.modules, 'text': answer.text,\n"
              "                  'torch': 'torch' in sys.modules, 'transformers': 'transformers' in sys.modules}))\n")
    # the reader in float32, as `qa ask` runs it (on a CPU with native bfloat16 "auto" would read on torch)
    env = {**os.environ, "QA_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1", "QA_READER_DTYPE": "float32"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=600, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["st"] is False
    # the question encoder runs on ONNX Runtime even where the index was embedded in bfloat16 (the CPU has it)
    if real_settings.encoder_runtime == "onnx":  # real_assistant has exported both encoders
        assert result["torch"] is False and result["transformers"] is False
    assert result["text"] == real_assistant.ask("Why did relations between Russia and Turkey hit a nadir?").text


def test_qa_ask_imports_no_torch_where_the_cpu_has_bfloat16(real_assistant, real_settings):
    """`qa ask` (one question, a cold process) reads in float32 on ONNX Runtime when the reader's dtype is auto."""
    if real_settings.encoder_runtime != "onnx" or real_settings.reader_dtype != "auto":
        pytest.skip("the settings choose torch")
    script = ("import runpy, sys\nsys.argv = ['qa', 'ask', 'Who is Putin\\'s spokesman?', '--json', '--corpus', "
              f"{str(ROOT / 'corpus')!r}]\n"
              "try:\n    runpy.run_module('qa', run_name='__main__')\nexcept SystemExit:\n    pass\n"
              "print('torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "QA_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1", "QA_MODEL_SENTENCES": "0"}
    env.pop("QA_READER_DTYPE", None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=600, check=True)
    assert json.loads(out.stdout)["short_answer"]["text"] == "Dmitry Peskov"
    assert out.stderr.strip().splitlines()[-1] == "False False"
