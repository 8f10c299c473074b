"""index/onnx_runtime.py and the runtime options, without models: cache keys, argument checks, the setting."""

from __future__ import annotations

import os

import pytest

from index.errors import SettingsError
from index.onnx_runtime import cached_model, weights_key
from index.settings import Settings
from qa.span_reader import SpanReader


def test_the_cache_key_follows_the_weights(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"1234")
    first = weights_key(tmp_path)
    assert weights_key(tmp_path) == first
    (tmp_path / "model.safetensors").write_bytes(b"12345")
    second = weights_key(tmp_path)
    assert second != first
    os.utime(tmp_path / "model.safetensors", ns=(1, 1))  # same size, replaced: exported again
    assert weights_key(tmp_path) != second


def test_an_unknown_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        cached_model(tmp_path, "generator", tmp_path)


def test_the_onnx_reader_needs_a_cache_and_no_quantisation(tmp_path):
    with pytest.raises(ValueError, match="cache_dir"):
        SpanReader(runtime="onnx")
    with pytest.raises(ValueError, match="quantize"):
        SpanReader(runtime="onnx", cache_dir=tmp_path, quantize=True)
    with pytest.raises(ValueError, match="runtime"):
        SpanReader(runtime="tensorflow")


def test_the_runtime_setting_is_checked(monkeypatch):
    monkeypatch.setenv("QA_ENCODER_RUNTIME", "jax")
    with pytest.raises(SettingsError, match="encoder_runtime"):
        Settings.from_env()
    monkeypatch.setenv("QA_ENCODER_RUNTIME", "torch")
    assert Settings.from_env().encoder_runtime == "torch"


def test_an_export_the_disk_has_no_room_for_is_refused_before_it_starts(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    (tmp_path / "model.safetensors").write_bytes(b"0" * 1024)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10 * 2 ** 20, 9 * 2 ** 20, 2 ** 20))
    started = []
    monkeypatch.setattr("index.onnx_runtime.export", lambda *args: started.append(args))
    with pytest.raises(OSError, match="No space left on device: 1 MB free"):
        cached_model(tmp_path, "reader", tmp_path / "cache")
    assert not started
