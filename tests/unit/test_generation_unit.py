"""Generator helpers that need no model weights: int8 quantisation and the dtype setting."""

import pytest
import torch

from qa.generation import quantize_int8
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
