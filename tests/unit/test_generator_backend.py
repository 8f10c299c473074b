"""Generator backend selection (QA_BACKEND) without loading any model."""

import pytest

from index.embedding import ModelNotFoundError
from qa.generation import make_generator
from qa.transformers_generator import TransformersGenerator
from index.settings import Settings


def test_default_backend_is_transformers(monkeypatch):
    monkeypatch.delenv("QA_BACKEND", raising=False)
    settings = Settings.from_env()
    assert settings.backend == "transformers"
    gen = make_generator(settings.with_(generator_dtype="bfloat16"))
    assert isinstance(gen, TransformersGenerator) and gen.dtype == "bfloat16" and gen.model is None


def test_llamacpp_backend_is_selected_lazily(monkeypatch):
    from qa.llamacpp_generator import LlamaCppGenerator

    monkeypatch.setenv("QA_BACKEND", "llamacpp")
    gen = make_generator(Settings.from_env(threads=2))
    assert isinstance(gen, LlamaCppGenerator) and gen.model is None and gen.threads == 2


def test_unknown_backend_is_refused(monkeypatch):
    monkeypatch.setenv("QA_BACKEND", "onnx")
    with pytest.raises(ValueError, match="backend"):
        Settings.from_env()


def test_llamacpp_needs_a_gguf_file(tmp_path):
    from qa.llamacpp_generator import LlamaCppGenerator

    with pytest.raises(ModelNotFoundError, match="gguf"):
        LlamaCppGenerator(str(tmp_path / "model-dir")).gguf_path()
