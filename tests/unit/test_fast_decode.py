"""Issue 16 decode: fused projections, the preallocated KV cache and LeanLlama give the same numbers as the plain
model."""

import pytest
import torch
from transformers import DynamicCache, LlamaConfig, LlamaForCausalLM
from transformers.cache_utils import DynamicLayer

from qa.fast_decode import (FusedProjection, Int8Linear, LeanLlama, PreallocatedLayer, direct_int8_linears,
                             fuse_projections, lean_supported, preallocated_cache)
from qa.transformers_generator import TransformersGenerator, quantize_int8


def tiny_llama(seed: int = 0) -> LlamaForCausalLM:
    """A randomly initialised Llama with SmolLM2's layout (grouped-query attention, tied embeddings), tiny sizes."""
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=97, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         tie_word_embeddings=True)
    return LlamaForCausalLM(config).eval()


def linears(sizes, bias=False, seed=0):
    torch.manual_seed(seed)
    return [torch.nn.Linear(32, n, bias=bias) for n in sizes]


@pytest.mark.parametrize("bias", [False, True])
def test_fused_parts_equal_the_separate_layers(bias):
    layers = linears((16, 8, 8), bias=bias)
    fused = FusedProjection(layers)
    parts = [fused.part(i) for i in range(3)]
    x = torch.randn(2, 5, 32)
    with torch.no_grad():
        for layer, part in zip(layers, parts):
            torch.testing.assert_close(part(x), layer(x), rtol=1e-5, atol=1e-6)


def test_parts_called_out_of_order_or_with_other_inputs_are_still_right():
    layers = linears((16, 8))
    fused = FusedProjection(layers)
    first, second = fused.part(0), fused.part(1)
    x, y = torch.randn(1, 32), torch.randn(1, 32)
    with torch.no_grad():
        torch.testing.assert_close(second(x), layers[1](x))  # second before first
        torch.testing.assert_close(first(y), layers[0](y))  # a different input than the pending one
        torch.testing.assert_close(second(y), layers[1](y))
        torch.testing.assert_close(first(x), layers[0](x))  # twice in a row with the same input
        torch.testing.assert_close(first(x), layers[0](x))
    assert fused.holds_activations()  # second(x) still pending; then it is consumed and nothing is held
    with torch.no_grad():
        second(x)
    assert not fused.holds_activations()


def test_threads_do_not_read_each_others_pending_outputs():
    import threading

    layers = linears((16, 8))
    fused = FusedProjection(layers)
    first, second = fused.part(0), fused.part(1)
    calls = []
    fused.linear.register_forward_hook(lambda *_: calls.append(1))
    x, y = torch.randn(1, 32), torch.randn(1, 32)
    with torch.no_grad():
        first(x)  # this thread now holds second(x)
        other = threading.Thread(target=lambda: first(y))
        other.start()
        other.join()
        torch.testing.assert_close(second(x), layers[1](x))
    assert len(calls) == 2  # x once, y once: the other thread did not replace what this one kept


def test_layers_that_cannot_be_fused_are_refused():
    with pytest.raises(ValueError, match="input size"):
        FusedProjection([torch.nn.Linear(32, 8), torch.nn.Linear(16, 8)])
    with pytest.raises(ValueError, match="bias"):
        FusedProjection([torch.nn.Linear(32, 8, bias=True), torch.nn.Linear(32, 8, bias=False)])


def test_fused_then_int8_model_gives_bit_identical_logits():
    """Per-tensor activation scale, per-channel weight scales: fusing does not change a single int8 output."""
    plain, fused = quantize_int8(tiny_llama()), tiny_llama()
    assert fuse_projections(fused) == 2 * 3  # attention and MLP of each of the 3 layers
    fused = quantize_int8(fused)
    ids = torch.randint(0, 97, (1, 12))
    with torch.inference_mode():
        assert torch.equal(fused(ids).logits, plain(ids).logits)


def test_fused_float_model_is_close():
    plain, fused = tiny_llama(), tiny_llama()
    fuse_projections(fused)
    ids = torch.randint(0, 97, (1, 12))
    with torch.inference_mode():
        torch.testing.assert_close(fused(ids).logits, plain(ids).logits, rtol=1e-4, atol=1e-5)


def test_preallocated_layer_returns_what_a_dynamic_layer_returns_while_growing():
    ours, reference = PreallocatedLayer(capacity=4), DynamicLayer()
    for length in (3, 1, 1, 5, 1):  # grows past its capacity twice
        k, v = torch.randn(1, 2, length, 8), torch.randn(1, 2, length, 8)
        got, expected = ours.update(k, v), reference.update(k, v)
        assert torch.equal(got[0], expected[0]) and torch.equal(got[1], expected[1])
        assert ours.get_seq_length() == reference.get_seq_length()
    ours.crop(-2)
    reference.crop(-2)
    k, v = torch.randn(1, 2, 1, 8), torch.randn(1, 2, 1, 8)
    assert torch.equal(ours.update(k, v)[0], reference.update(k, v)[0])
    ours.reset()
    assert ours.get_seq_length() == 0
    assert ours.update(k, v)[0].shape[-2] == 1


def _greedy(model, ids, n, cache):
    with torch.inference_mode():
        logits = model(input_ids=ids, cache=cache, use_cache=True).logits
        out = []
        for _ in range(n):
            token = int(logits[0, -1].argmax())
            out.append(token)
            logits = model(input_ids=torch.tensor([[token]]), cache=cache, use_cache=True).logits
        return out


def test_preallocated_cache_decodes_the_same_tokens_as_a_dynamic_cache():
    model = tiny_llama()
    ids = torch.randint(0, 97, (1, 10))
    expected = _greedy(model, ids, 20, DynamicCache(config=model.config))
    assert _greedy(model, ids, 20, preallocated_cache(model.config, 8)) == expected  # grows on the way


@pytest.mark.parametrize("dtype", ["int8", "float32"])
def test_greedy_tokens_equal_generate_and_the_plain_path(dtype):
    ids = torch.randint(0, 97, (1, 10))
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    tokens = {}
    for fast in (True, False):
        gen = TransformersGenerator("tiny", dtype=dtype, fast_decode=fast)
        model = tiny_llama()
        if dtype == "int8":
            if fast:
                fuse_projections(model)
            model = quantize_int8(model)
            if fast:
                direct_int8_linears(model)
        gen.model = model  # load() then keeps it
        tokens[fast] = list(gen.greedy_tokens(inputs, 16))
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=16, min_new_tokens=16, do_sample=False,
                                 pad_token_id=0, eos_token_id=None)
        assert tokens[fast] == out[0, 10:].tolist()
    assert tokens[True] == tokens[False]
    stop = {tokens[True][5]}
    gen = TransformersGenerator("tiny", dtype=dtype)
    gen.model = model
    assert list(gen.greedy_tokens(inputs, 16, stop)) == tokens[True][:tokens[True].index(stop.pop())]


def test_groups_quantised_as_they_are_fused_give_the_same_logits():
    """load() quantises each fused group at once (so only one group's float copy exists at a time)."""
    plain, fused = quantize_int8(tiny_llama()), tiny_llama()
    fuse_projections(fused, prepare=quantize_int8)
    assert not any(type(m) is torch.nn.Linear for m in fused.model.layers[0].self_attn.modules()
                   if m is not fused.model.layers[0].self_attn.o_proj)
    fused = quantize_int8(fused)
    ids = torch.randint(0, 97, (1, 12))
    with torch.inference_mode():
        assert torch.equal(fused(ids).logits, plain(ids).logits)


def test_direct_int8_linears_give_bit_identical_logits():
    plain, direct = quantize_int8(tiny_llama()), tiny_llama()
    fuse_projections(direct, prepare=quantize_int8)
    direct = quantize_int8(direct)
    assert direct_int8_linears(direct) == 4 * 3 + 1  # fused q/k/v, o, fused gate/up, down per layer; lm_head
    assert isinstance(direct.lm_head, Int8Linear)
    ids = torch.randint(0, 97, (1, 12))
    with torch.inference_mode():
        assert torch.equal(direct(ids).logits, plain(ids).logits)
        assert torch.equal(direct(ids[:, :1]).logits, plain(ids[:, :1]).logits)


def _int8_pair():
    """The plain int8 model and the fast one (fused, quantised as load() does, direct int8 kernels)."""
    plain, fast = quantize_int8(tiny_llama()), tiny_llama()
    fuse_projections(fast, prepare=quantize_int8)
    fast = quantize_int8(fast)
    direct_int8_linears(fast)
    return plain, fast


@pytest.mark.parametrize("dtype", ["int8", "float32"])
def test_lean_llama_gives_bit_identical_logits_for_the_prompt_and_every_step(dtype):
    plain, fast = _int8_pair() if dtype == "int8" else (tiny_llama(), tiny_llama())
    assert lean_supported(fast)
    ids = torch.randint(0, 97, (1, 12))
    with torch.inference_mode():
        lean, cache = LeanLlama(fast, 12 + 30), DynamicCache(config=plain.config)
        expected = plain(input_ids=ids, attention_mask=torch.ones_like(ids), cache=cache, use_cache=True,
                         logits_to_keep=1).logits
        assert torch.equal(lean(ids), expected)
        for _ in range(30):
            token = torch.tensor([[int(expected[0, -1].argmax())]])
            expected = plain(input_ids=token, cache=cache, use_cache=True).logits
            assert torch.equal(lean(token), expected)


def test_lean_llama_cos_sin_are_the_rotary_modules_per_position():
    model = tiny_llama()
    lean = LeanLlama(model, 50)
    with torch.inference_mode():
        for position in range(50):
            cos, sin = model.model.rotary_emb(model.model.embed_tokens.weight[:1], torch.tensor([[position]]))
            assert torch.equal(lean.cos[:, position:position + 1], cos)
            assert torch.equal(lean.sin[:, position:position + 1], sin)


def test_lean_llama_refuses_several_tokens_after_the_prompt_and_unsupported_models():
    lean = LeanLlama(tiny_llama(), 20)
    with torch.inference_mode():
        lean(torch.randint(0, 97, (1, 5)))
        with pytest.raises(ValueError, match="causal mask"):
            lean(torch.randint(0, 97, (1, 2)))
    eager = tiny_llama()
    eager.config._attn_implementation = "eager"
    assert not lean_supported(eager)


def test_greedy_tokens_fall_back_to_the_model_with_a_padded_prompt(monkeypatch):
    import qa.fast_decode

    _, fast = _int8_pair()
    gen = TransformersGenerator("tiny", dtype="int8")
    gen.model = fast
    ids = torch.randint(0, 97, (1, 10))
    built = []
    monkeypatch.setattr(qa.fast_decode, "LeanLlama", lambda *a: built.append(1) or LeanLlama(*a))
    full = list(gen.greedy_tokens({"input_ids": ids, "attention_mask": torch.ones_like(ids)}, 8))
    assert built == [1]
    mask = torch.ones_like(ids)
    mask[0, 0] = 0
    list(gen.greedy_tokens({"input_ids": ids, "attention_mask": mask}, 8))
    assert built == [1] and len(full) == 8  # the padded prompt went through the model's own forward
