"""Faster greedy decoding of a transformers causal LM on CPU (issue 16): fused projections, a preallocated KV cache
and, for Llama models, a lean forward pass (LeanLlama) without the modules' Python machinery.

All leave the numbers unchanged: a fused projection computes the same output columns as the separate ones (the
int8 activation scale is per tensor, the weight scales per output channel), and the cache returns the same keys and
values, written in place instead of re-concatenated on every token; LeanLlama performs the modules' tensor
operations in their order.
"""

from __future__ import annotations

import threading

import torch
from transformers.cache_utils import DynamicCache, DynamicLayer

# (module holding the projections, their attribute names in the order the model's forward calls them)
FUSABLE = (("self_attn", ("q_proj", "k_proj", "v_proj")), ("mlp", ("gate_proj", "up_proj")))


class FusedProjection(torch.nn.Module):
    """Several Linear layers that read the same input, run as one wider Linear; `part(i)` stands in for layer i.

    The first part called with an input computes every output at once and keeps the others until they are asked
    for with that same tensor; a part called with any other input computes the whole projection again, so the
    result is right whatever the call order. What is kept is per thread, so concurrent forwards cannot mix.
    """

    def __init__(self, layers: list[torch.nn.Linear]) -> None:
        super().__init__()
        if len({layer.in_features for layer in layers}) != 1:
            raise ValueError("fused layers must share their input size")
        has_bias = [layer.bias is not None for layer in layers]
        if any(has_bias) and not all(has_bias):
            raise ValueError("fused layers must all have a bias or none")
        self.sizes = [layer.out_features for layer in layers]
        # skip_init: no random initialisation of weights that are overwritten at once (it cost ~1 s for SmolLM2)
        self.linear = torch.nn.utils.skip_init(torch.nn.Linear, layers[0].in_features, sum(self.sizes),
                                               bias=all(has_bias), dtype=layers[0].weight.dtype,
                                               device=layers[0].weight.device)
        with torch.no_grad():
            self.linear.weight = torch.nn.Parameter(torch.cat([layer.weight for layer in layers]), requires_grad=False)
            if all(has_bias):
                self.linear.bias = torch.nn.Parameter(torch.cat([layer.bias for layer in layers]), requires_grad=False)
        self._kept = threading.local()

    def part(self, index: int) -> "ProjectionPart":
        """The module that replaces the `index`-th fused layer."""
        return ProjectionPart(self, index)

    def output(self, x: torch.Tensor, index: int) -> torch.Tensor:
        """Output `index` for input `x`, computed together with the others on first use."""
        kept = self._kept
        if getattr(kept, "input", None) is not x or kept.outputs[index] is None:
            kept.input = x
            kept.outputs = list(self.linear(x).split(self.sizes, dim=-1))
            kept.pending = len(self.sizes)
        out, kept.outputs[index] = kept.outputs[index], None
        kept.pending -= 1
        if kept.pending == 0:  # every part was read: hold no activations between calls
            kept.input, kept.outputs = None, []
        return out

    def holds_activations(self) -> bool:
        """Whether this thread has outputs computed but not yet read."""
        return getattr(self._kept, "input", None) is not None


class ProjectionPart(torch.nn.Module):
    """One slice of a FusedProjection's output, in place of the Linear layer it came from."""

    def __init__(self, fused: FusedProjection, index: int) -> None:
        super().__init__()
        object.__setattr__(self, "fused", fused)  # not a submodule: the fused layer is registered once, by its owner
        self.index = index
        self.out_features = fused.sizes[index]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fused.output(x, self.index)


def fuse_projections(model, prepare=None) -> int:
    """Fuse each decoder layer's q/k/v and gate/up Linear layers in place; returns the number of groups fused.
    Layers whose modules do not have these names are left alone.

    `prepare(group)`, if given, runs on each FusedProjection as soon as it is built (e.g. int8 quantisation), so
    that only one group's float copy exists at a time, not a second copy of the whole model's weights.
    """
    fused = 0
    for module in list(model.modules()):
        for owner_name, names in FUSABLE:
            owner = getattr(module, owner_name, None)
            layers = [getattr(owner, name, None) for name in names] if owner is not None else []
            if len(layers) < 2 or not all(type(layer) is torch.nn.Linear for layer in layers):
                continue
            group = FusedProjection(layers)
            owner.add_module("fused_" + "_".join(n.removesuffix("_proj") for n in names), group)
            for index, name in enumerate(names):
                setattr(owner, name, group.part(index))
            if prepare is not None:
                prepare(group)
            fused += 1
    return fused


class Int8Linear(torch.nn.Module):
    """A torch.ao dynamic int8 Linear that calls its kernel's overload directly: the same kernel and numbers, without
    the overload packet's Python-side check for script-object arguments (a few us per call, ~120 calls a token)."""

    def __init__(self, quantized) -> None:
        super().__init__()
        self.packed = quantized._packed_params._packed_params
        # torch.ao's module: reduce_range from its version 4 on (what quantize_dynamic builds today)
        self.reduce_range = not (quantized.version is None or quantized.version < 4)
        self.in_features, self.out_features = quantized.in_features, quantized.out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.quantized.linear_dynamic.default(x, self.packed, self.reduce_range)


def direct_int8_linears(model) -> int:
    """Replace, in place, each torch.ao dynamic qint8 Linear by an Int8Linear; returns how many were replaced."""
    from torch.ao.nn.quantized.dynamic import Linear as DynamicInt8Linear

    replaced = 0
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if type(child) is DynamicInt8Linear and child._packed_params.dtype == torch.qint8:
                setattr(module, name, Int8Linear(child))
                replaced += 1
    return replaced


class PreallocatedLayer(DynamicLayer):
    """A DynamicLayer whose keys and values live in buffers with room to grow: each token is written in place, and
    `keys`/`values` are views of the filled part, instead of a concatenation copying the whole cache per token."""

    def __init__(self, capacity: int = 512) -> None:
        super().__init__()
        self.capacity = max(1, capacity)
        self._length = 0
        self._key_buffer = self._value_buffer = None

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args, **kwargs):
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        start, end = self._length, self._length + key_states.shape[-2]
        if self._key_buffer is None or end > self._key_buffer.shape[-2] \
                or self._key_buffer.shape[:-2] != key_states.shape[:-2]:
            self._grow(key_states, value_states, max(end, self.capacity, 2 * start))
        self._key_buffer[..., start:end, :].copy_(key_states)
        self._value_buffer[..., start:end, :].copy_(value_states)
        self._length = end
        self.keys = self._key_buffer[..., :end, :]
        self.values = self._value_buffer[..., :end, :]
        return self.keys, self.values

    def _grow(self, key_states: torch.Tensor, value_states: torch.Tensor, size: int) -> None:
        def buffer(like: torch.Tensor, old) -> torch.Tensor:
            new = like.new_empty(*like.shape[:-2], size, like.shape[-1])
            if old is not None and self._length:
                new[..., :self._length, :].copy_(old[..., :self._length, :])
            return new

        self._key_buffer = buffer(key_states, self._key_buffer)
        self._value_buffer = buffer(value_states, self._value_buffer)

    def reset(self) -> None:
        self._length = 0
        self._key_buffer = self._value_buffer = None
        super().reset()

    def crop(self, tokens_to_remove: int) -> None:
        super().crop(tokens_to_remove)
        if self.is_initialized and self.keys is not None and self.keys.numel():
            self._length = self.keys.shape[-2]
        else:
            self._length = 0

    def batch_repeat_interleave(self, repeats: int) -> None:
        raise NotImplementedError("PreallocatedLayer is for single-sequence greedy decoding")

    def batch_select_indices(self, indices: torch.Tensor) -> None:
        raise NotImplementedError("PreallocatedLayer is for single-sequence greedy decoding")


def preallocated_cache(config, capacity: int) -> DynamicCache:
    """A DynamicCache for `config` whose layers are PreallocatedLayers with room for `capacity` tokens."""
    cache = DynamicCache(config=config)
    cache.layers = [PreallocatedLayer(capacity) if type(layer) is DynamicLayer else layer for layer in cache.layers]
    return cache


def lean_supported(model) -> bool:
    """Whether LeanLlama can run `model`: a transformers Llama in float32 with sdpa attention and no extra features."""
    config = getattr(model, "config", None)
    inner = getattr(model, "model", None)
    return (type(model).__name__ == "LlamaForCausalLM" and getattr(config, "_attn_implementation", None) == "sdpa"
            and getattr(config, "hidden_act", None) == "silu"
            and (getattr(config, "rope_parameters", None) or {}).get("rope_type") == "default"
            and not getattr(config, "attention_bias", True) and not getattr(config, "mlp_bias", True)
            and inner is not None
            and inner.embed_tokens.weight.dtype == torch.float32
            # transformers' sdpa path uses enable_gqa (what LeanLlama calls) only up to this head size
            and (getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads) <= 256)


def _projection(modules):
    """One function returning the outputs of `modules` (layers reading the same input); one matmul if fused."""
    if all(isinstance(m, ProjectionPart) for m in modules) and len({id(m.fused) for m in modules}) == 1 \
            and [m.index for m in modules] == list(range(len(modules))):
        linear, sizes = modules[0].fused.linear.forward, modules[0].fused.sizes
        return lambda x: linear(x).split(sizes, dim=-1)
    forwards = [m.forward for m in modules]
    return lambda x: [forward(x) for forward in forwards]


def _rms_norm(hidden: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """LlamaRMSNorm's operations on float32 input."""
    variance = hidden.pow(2).mean(-1, keepdim=True)
    return weight * (hidden * torch.rsqrt(variance + eps))


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """apply_rotary_pos_emb for one tensor (with rotate_half)."""
    half = x.shape[-1] // 2
    return (x * cos) + (torch.cat((-x[..., half:], x[..., :half]), dim=-1) * sin)


class LeanLlama:
    """A Llama decoder run as a plain loop over its layers, with its own weights and a preallocated KV cache: the
    same tensor operations in the same order as transformers' modules (so the same logits), without their Python
    machinery (module calls, mask building, cache objects, output dataclasses). One sequence, no padding."""

    def __init__(self, model, capacity: int) -> None:
        config, inner = model.config, model.model
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        self.gqa = config.num_attention_heads != config.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.embed, self.padding_idx = inner.embed_tokens.weight, inner.embed_tokens.padding_idx
        self.layers = []
        for layer in inner.layers[:config.num_hidden_layers]:
            attn, mlp = layer.self_attn, layer.mlp
            self.layers.append((
                layer.input_layernorm.weight, layer.input_layernorm.variance_epsilon,
                _projection([attn.q_proj, attn.k_proj, attn.v_proj]), attn.o_proj.forward,
                layer.post_attention_layernorm.weight, layer.post_attention_layernorm.variance_epsilon,
                _projection([mlp.gate_proj, mlp.up_proj]), mlp.act_fn.forward, mlp.down_proj.forward))
        self.norm, self.norm_eps = inner.norm.weight, inner.norm.variance_epsilon
        self.lm_head = model.lm_head.forward
        # the rotary module's cos/sin for every position at once (elementwise, so the same values per position)
        self.cos, self.sin = inner.rotary_emb(self.embed[:1], torch.arange(capacity).unsqueeze(0))
        shape = (1, config.num_key_value_heads, capacity, self.head_dim)
        self.keys = [self.embed.new_empty(shape) for _ in self.layers]
        self.values = [self.embed.new_empty(shape) for _ in self.layers]
        self.length = 0

    def __call__(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits of the last of the tokens `ids` (shape 1 x n), which follow the ones already in the cache."""
        n, start = ids.shape[1], self.length
        if n > 1 and start:
            raise ValueError("several tokens after the first pass would need a causal mask over the cache")
        end = self.length = start + n
        cos, sin = self.cos[:, start:end].unsqueeze(1), self.sin[:, start:end].unsqueeze(1)
        shape, hd = (1, n, -1, self.head_dim), self.head_dim
        hidden = torch.nn.functional.embedding(ids, self.embed, self.padding_idx)
        for (norm1, eps1, qkv, o_proj, norm2, eps2, gate_up, act, down), keys, values in \
                zip(self.layers, self.keys, self.values):
            q, k, v = (t.view(shape).transpose(1, 2) for t in qkv(_rms_norm(hidden, norm1, eps1)))
            keys[:, :, start:end].copy_(_rotate(k, cos, sin))
            values[:, :, start:end].copy_(v)
            # what transformers' sdpa_attention_forward calls without a mask (one sequence, no padding)
            out = torch.nn.functional.scaled_dot_product_attention(
                _rotate(q, cos, sin), keys[:, :, :end], values[:, :, :end], attn_mask=None, dropout_p=0.0,
                scale=self.scaling, is_causal=n > 1, enable_gqa=self.gqa)
            out = out.reshape(1, -1, n, hd).transpose(1, 2).contiguous().reshape(1, n, -1).contiguous()
            hidden = hidden + o_proj(out)
            gate, up = gate_up(_rms_norm(hidden, norm2, eps2))
            hidden = hidden + down(act(gate) * up)
        return self.lm_head(_rms_norm(hidden, self.norm, self.norm_eps)[:, -1:])
