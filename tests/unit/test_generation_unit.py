"""Generator helpers that need no model weights: int8 quantisation and the dtype setting."""

import pytest
import torch

from qa.transformers_generator import quantize_int8
from index.settings import Settings


def test_quantize_int8_replaces_linear_layers_and_stays_close():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 32))
    x = torch.randn(8, 64)
    expected = model(x)
    quantized = quantize_int8(model)
    assert not any(type(m) is torch.nn.Linear for m in quantized.modules())
    got = quantized(x)
    assert torch.linalg.norm(got - expected) / torch.linalg.norm(expected) < 0.05


def test_generator_dtype_is_validated():
    assert Settings(generator_dtype="int8").generator_dtype == "int8"
    with pytest.raises(ValueError, match="generator_dtype"):
        Settings(generator_dtype="int4")


class _Converted:
    """A stand-in for the tokenizer or model a GGUF file converts to; save_pretrained fails as `fail` says."""

    def __init__(self, fail: OSError | None) -> None:
        self.fail, self.config, self.hf_quantizer = fail, type("Config", (), {})(), None

    def save_pretrained(self, directory) -> None:
        if self.fail:
            raise self.fail
        (directory / "config.json").write_text("{}")


@pytest.mark.parametrize("cached_by_another", [False, True])
def test_converted_weights_that_cannot_be_cached_are_used_uncached(tmp_path, monkeypatch, caplog, cached_by_another):
    """A full disk while caching the de-quantised GGUF weights: one warning line and the converted weights are
    used as they are (before: save_pretrained's OSError, a traceback); if another worker cached them meanwhile,
    they are loaded from there without a warning."""
    import errno

    import transformers

    from qa.transformers_generator import TransformersGenerator

    target = tmp_path / "models" / "smollm2"
    model = _Converted(OSError(errno.ENOSPC, "No space left on device"))
    if cached_by_another:
        target.mkdir(parents=True)
        (target / "config.json").write_text("{}")
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: _Converted(None))
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", lambda *a, **k: model)
    generator = TransformersGenerator("x.gguf", cache_dir=tmp_path / "models")
    with caplog.at_level("WARNING"):
        converted = generator._convert_gguf(tmp_path / "x.gguf", target)
    warnings = [r.getMessage() for r in caplog.records if "cannot cache" in r.getMessage()]
    if cached_by_another:
        assert converted is None and not warnings
    else:
        assert converted[1] is model and len(warnings) == 1 and "No space left on device" in warnings[0], warnings
        assert not list((tmp_path / "models").iterdir())  # the partial copy is removed


def test_gguf_weights_are_cached_in_the_dtype_they_run_in(tmp_path, monkeypatch):
    """A bfloat16 generator caches bfloat16 weights in a directory of their own (loading the float32 copy as
    bfloat16 peaked at 0.9 GB over the model's size); float32 (and int8, quantised from it) keep the plain name."""
    import transformers

    from qa.transformers_generator import TransformersGenerator

    class Model(_Converted):
        def to(self, dtype):
            self.dtype = dtype
            return self

    model = Model(None)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: _Converted(None))
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", lambda *a, **k: model)
    gguf = tmp_path / "x.gguf"
    gguf.write_bytes(b"GGUF")
    generator = TransformersGenerator(str(gguf), cache_dir=tmp_path / "models")
    plain, bf16 = generator._gguf_cache(gguf), generator._gguf_cache(gguf, torch.bfloat16)
    assert generator._gguf_cache(gguf, torch.float32) == plain and bf16.name == plain.name + "-bfloat16"
    assert generator._convert_gguf(gguf, bf16, torch.bfloat16) is None
    assert model.dtype is torch.bfloat16 and (bf16 / "config.json").exists() and not plain.exists()
