"""Runtime settings: the one place that reads environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from index.embedding import EMBEDDER_DTYPES

DEFAULT_EMBEDDER = "all-MiniLM-L6-v2"
DEFAULT_GENERATOR = "SmolLM2-135M-Instruct"
INDEX_TYPES = ("flat", "hnsw", "ivf")
BACKENDS = ("transformers", "llamacpp")


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"environment variable {name} must be an integer, got {raw!r}") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"environment variable {name} must be 1/0, true/false, yes/no or on/off, got {raw!r}")


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from None


GENERATOR_DTYPES = ("float32", "bfloat16", "float16", "int8")


@dataclass(frozen=True)
class Settings:
    """Every tunable of the pipeline; build with `Settings.from_env()` or directly."""

    data_dir: Path = Path(".qa-data")
    embedder: str = DEFAULT_EMBEDDER
    generator: str = DEFAULT_GENERATOR
    # int8: dynamic quantisation, 1.7x the float32 decode speed with the same evaluation figures (PERFORMANCE.md)
    generator_dtype: str = "int8"
    embedder_dtype: str = "auto"
    backend: str = "transformers"
    chunk_tokens: int = 160
    chunk_overlap_tokens: int = 32
    index_type: str = "flat"
    retrieval: str = "hybrid"
    # hybrid also fuses a ranking of the candidates by their best sentence (held-out hit@4 +0.028, EVALUATION.md)
    sentence_fusion: bool = True
    rrf_k: int = 60
    top_k: int = 4
    evidence_sentences: int = 3
    max_new_tokens: int = 64
    max_question_chars: int = 2000
    # calibrated on the held-out dev data (docs/EVALUATION.md), never on the reported questions
    min_evidence_score: float = 0.50
    min_support: float = 0.7
    threads: int = 0

    def __post_init__(self) -> None:
        if self.index_type not in INDEX_TYPES:
            raise ValueError(f"index_type must be one of {INDEX_TYPES}, got {self.index_type!r}")
        if self.chunk_tokens < 16:
            raise ValueError(f"chunk_tokens must be at least 16, got {self.chunk_tokens}")
        if not 0 <= self.chunk_overlap_tokens < self.chunk_tokens:
            raise ValueError("chunk_overlap_tokens must be >= 0 and smaller than chunk_tokens")
        if self.retrieval not in ("hybrid", "dense", "bm25"):
            raise ValueError(f"retrieval must be hybrid, dense or bm25, got {self.retrieval!r}")
        if self.top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {self.top_k}")
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be at least 1, got {self.max_new_tokens}")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if self.embedder_dtype not in EMBEDDER_DTYPES:
            raise ValueError(f"embedder_dtype must be one of {EMBEDDER_DTYPES}, got {self.embedder_dtype!r}")
        if self.generator_dtype not in GENERATOR_DTYPES:
            raise ValueError(f"generator_dtype must be one of {GENERATOR_DTYPES}, got {self.generator_dtype!r}")

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from QA_* environment variables, then explicit overrides."""
        base = cls(
            data_dir=Path(_env("QA_DATA_DIR", ".qa-data")),
            embedder=_env("QA_EMBEDDER", DEFAULT_EMBEDDER),
            generator=_env("QA_GENERATOR", DEFAULT_GENERATOR),
            generator_dtype=_env("QA_GENERATOR_DTYPE", "int8"),
            embedder_dtype=_env("QA_EMBEDDER_DTYPE", "auto"),
            backend=_env("QA_BACKEND", "transformers"),
            chunk_tokens=_env_int("QA_CHUNK_TOKENS", 160),
            chunk_overlap_tokens=_env_int("QA_CHUNK_OVERLAP_TOKENS", 32),
            index_type=_env("QA_INDEX_TYPE", "flat"),
            retrieval=_env("QA_RETRIEVAL", "hybrid"),
            sentence_fusion=_env_bool("QA_SENTENCE_FUSION", True),
            top_k=_env_int("QA_TOP_K", 4),
            evidence_sentences=_env_int("QA_EVIDENCE_SENTENCES", 3),
            max_new_tokens=_env_int("QA_MAX_NEW_TOKENS", 64),
            min_evidence_score=_env_float("QA_MIN_EVIDENCE_SCORE", 0.50),
            min_support=_env_float("QA_MIN_SUPPORT", 0.7),
            threads=_env_int("QA_THREADS", 0),
        )
        return replace(base, **overrides) if overrides else base

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def index_dir_for(self, corpus_dir: Path) -> Path:
        """Where the index of a corpus directory lives (one per corpus, under data_dir)."""
        import hashlib

        resolved = Path(corpus_dir).resolve()
        digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:10]
        return self.data_dir / "index" / f"{resolved.name or 'corpus'}-{digest}"

    @property
    def model_cache_dir(self) -> Path:
        """Where converted generator weights are cached."""
        return self.data_dir / "models"
