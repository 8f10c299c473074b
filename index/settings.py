"""Runtime settings of the whole pipeline: the one place that reads environment variables.

It lives in the lowest package (`index`) so that every layer above (`qa`, `ui`) can read it without import circles.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import get_type_hints

from index.errors import SettingsError
from index.store import INDEX_TYPES

DEFAULT_EMBEDDER = "all-MiniLM-L6-v2"
DEFAULT_GENERATOR = "SmolLM2-135M-Instruct"
EMBEDDER_DTYPES = ("auto", "float32", "bfloat16")
GENERATOR_DTYPES = ("auto", "float32", "bfloat16", "float16", "int8")
BACKENDS = ("transformers", "llamacpp", "openai")
ENCODER_RUNTIMES = ("onnx", "torch")
RETRIEVAL_MODES = ("hybrid", "dense", "bm25")
VECTOR_STORES = ("faiss", "milvus")
MILVUS_CONSISTENCY = ("Strong", "Bounded", "Session", "Eventually")
ENV_PREFIX = "QA_"
# the sample documents of a checkout, copied into the default corpus directory the first time it is used
SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """Every tunable of the pipeline, each default written once, here.

    Each field `name` can be set with the environment variable `QA_NAME` (`top_k` <- `QA_TOP_K`); an unset or
    blank variable keeps the default. Thresholds were calibrated on held-out data (docs/EVALUATION.md), never on
    the reported questions.

    Raises:
        SettingsError (a ValueError): a value out of range, or an environment variable that does not parse.

    Example:
        >>> settings = Settings.from_env(top_k=6)       # QA_* variables, then explicit overrides
        >>> settings.with_(retrieval="dense").retrieval
        'dense'
    """

    # ---- where things live ----
    data_dir: Path = Path(".qa-data")
    # the documents the command lines and the UI read (and uploads are added to); empty: <data_dir>/corpus
    corpus_dir: str = ""
    threads: int = 0
    # the question encoder and the span reader run on ONNX Runtime (exported once into <data_dir>/models/onnx: a
    # cold start without importing torch, index/onnx_runtime.py) or on torch; the same answers either way
    encoder_runtime: str = "onnx"
    # ---- indexing (index/builder.py): chunking and the embedder ----
    embedder: str = DEFAULT_EMBEDDER
    embedder_dtype: str = "auto"
    chunk_tokens: int = 160
    chunk_overlap_tokens: int = 32
    index_type: str = "auto"  # flat (exact) below 20k chunks, IVF above (issue 16: index.store.AUTO_IVF_MIN_CHUNKS)
    # ---- the vector store: FAISS files under data_dir, or Milvus (index/milvus_store.py, docs/DEPLOYMENT.md) ----
    vector_store: str = "faiss"
    # a Milvus server (http://host:19530) or a Milvus Lite directory path ending in .db; empty: <data_dir>/milvus.db
    milvus_uri: str = ""
    milvus_token: str = ""  # "user:password" or an API key, for a server with authentication
    milvus_timeout: float = 10.0  # seconds one Milvus call may take before the question fails with an error
    milvus_collection_prefix: str = "qa"  # collections are <prefix>_<corpus>__g<generation>, the alias <prefix>_<corpus>
    milvus_consistency: str = "Bounded"  # consistency level of searches (Strong, Bounded, Session, Eventually)
    milvus_replicas: int = 1  # in-memory replicas of each collection a cluster loads (load_collection replica_number)
    # ---- the retriever (qa/retrieval.py) ----
    retrieval: str = "hybrid"
    # hybrid also fuses a ranking of the candidates by their best sentence (held-out hit@4 +0.028, docs/experiments.md)
    sentence_fusion: bool = True
    retrieval_candidates: int = 20  # candidates each ranking contributes to the fusion
    # a smaller RRF constant and BM25 a little heavier: hit@1 and hit@4 up on SQuAD v1.1, the calibrate articles and
    # the 25 own documents, none lower but one held-out article question at hit@1 (docs/EVALUATION.md, session 28)
    rrf_k: int = 30
    bm25_weight: float = 1.25
    # passages are sought only in the documents whose whole text matches the question's words (BM25) at least this
    # share of the best one's; 0: all documents (docs/EVALUATION.md, session 39)
    document_scope: float = 0.5
    top_k: int = 4  # 6 measured no better through the reader (docs/EVALUATION.md, session 19)
    max_question_chars: int = 2000
    # ---- the relevance gate (qa/assistant.py): abstain when no sentence of the passages is close to the question ----
    # evidence score = cosine + lexical_weight x question-word coverage; -10: no gate. 0.35 with the margin shift
    # below: the most unanswerable questions abstained with <= 12% of answerable ones on the SQuAD 2.0 calibrate
    # articles (python -m benchmarks.calibrate_answers; docs/EVALUATION.md)
    min_evidence_score: float = 0.35
    # a span the reader scores this far above its margin answers though the gate would abstain (a CV's terse lines:
    # "Leeds, LS6 2QT" for "Where does Daniel live?"); inf: never. 6: of the spans the gate held back on the 822
    # own-documents questions, each document alone, the right ones scored 1.8-8.1, the wrong ones at most 6.3
    # (docs/EVALUATION.md, session 32)
    gate_overruled_above: float = 6.0
    lexical_weight: float = 0.3
    context_gain: float = 0.05  # a neighbour joins a sentence when it raises the cosine by more than this
    # subtracted from the evidence score of page furniture (bylines, labels, disclaimers) unless the question asks
    # about the document itself: chosen on gold/russia-turkey-dev.jsonl (docs/experiments.md)
    furniture_penalty: float = 0.2
    evidence_sentences: int = 3
    # ---- the reader (qa/reading.py): the answer span or "no answer" ----
    reader_model: str = ""  # a span-reader model directory; empty: the shipped qa/models/reader
    # auto: bfloat16 on torch where the CPU computes it natively (AVX512-BF16 / AMX), else float32 (encoder_runtime)
    reader_dtype: str = "auto"
    # added to the reader's null_score_margin (calibrated on single paragraphs) for the whole pipeline, which reads
    # several passages per question: calibrated with min_evidence_score above (benchmarks/calibrate_answers.py
    # --unseen: the most unanswerable questions abstained while, leaving each calibrate article out in turn, at most
    # 12% of its answerable ones are)
    reader_margin_shift: float = -5.30
    # a question asking for a number or date takes the best span holding one, or abstains: off, since on the calibrate
    # articles it refused answerable questions the margin keeps ("When do treaties apply?") and abstained on no more
    # unanswerable ones at the same answerable share (docs/EVALUATION.md, session 19)
    answer_kind_rule: bool = False
    # of the spans above the margin, the one shown has the best score minus this per retrieval rank below the
    # first (abstention is unchanged): chosen on the calibrate articles (benchmarks/span_selection.py)
    reader_rank_weight: float = 0.5
    # a span this close under the margin is read again in its own paragraph where that is one long line of a block
    # of several (a PDF's sections run together; ReadStage.refocus); 0: off. Chosen on the own-documents set (held
    # out: the 89 questions written this session): 4 and 6 answered the same 9 more, 6 one more unanswerable
    reader_focus_window: float = 4.0
    # a yes/no question's span this close under the margin answers where its sentence plainly says yes or no
    # (qa.polar: "not covered by the waiver" for "Is windscreen damage covered?"); 0: off. On the own-documents set's
    # 229 yes/no questions 2, 4 and 6 answered the same 2 more right and no unanswerable one (docs/EVALUATION.md)
    reader_polar_window: float = 4.0
    # a span this close under the margin that is the phone number or email address asked, and nothing more, answers
    # (ReadStage.sure_contact: "call us on 01632 962 140" for "What's the phone number for reception?"); 0: off
    reader_contact_window: float = 2.0
    # ---- the generator (qa/generation.py, qa/transformers_generator.py, qa/constrained.py): its one sentence ----
    generator: str = DEFAULT_GENERATOR
    # auto: bfloat16 where the CPU has it natively, else float32. int8 (dynamic quantisation, one activation scale
    # per matrix) decodes 1.7x faster but scores whole sentences far from float32: it chose garbled statements
    # (docs/EVALUATION.md, session 21)
    generator_dtype: str = "auto"
    backend: str = "transformers"
    # the model says the found answer in one sentence (the statement of the question it finds most probable), shown
    # when it passes the checks; off by default: 0.61-0.82 of answers get one, 0.70 of those read right (EVALUATION)
    model_sentences: bool = False
    max_new_tokens: int = 48
    # transformers generator: fused q/k/v and gate/up projections (int8) and a preallocated KV cache; the same
    # tokens as without, faster decoding (docs/PERFORMANCE.md, "Decode speed"); 0 restores the plain path
    fast_decode: bool = True
    # ---- the served generator (QA_BACKEND=openai) ----
    openai_base_url: str = "http://127.0.0.1:8080/v1"  # any OpenAI-compatible server (llama.cpp, vLLM, Ollama)
    openai_model: str = ""  # the model name the server is asked for (empty: the `generator` setting)
    openai_api_key: str = ""  # sent as the bearer token to that server (empty: a placeholder, for local servers)
    openai_timeout: float = 30.0  # seconds to wait for the server's next bytes (each streamed piece)
    openai_connect_timeout: float = 5.0
    openai_retries: int = 2  # retries (with exponential backoff) on connection errors, 429 and 5xx
    # JSON object merged into each request, for server-specific sampling options, e.g. {"repeat_penalty": 1.0}
    openai_extra_body: str = ""
    # ---- the corpus and its limits (index/documents.py, docs/RELIABILITY.md) ----
    allow_outside_symlinks: bool = False  # follow corpus links that lead outside the corpus directory
    max_document_mb: int = 50  # larger files are skipped unread
    max_documents: int = 10000  # files in a corpus directory
    max_corpus_mb: int = 2048  # bytes on disk of all the files of a corpus
    # ---- the chat UI (ui/) ----
    ui_auth: str = ""  # user:password required by the chat UI (empty: no login)
    max_upload_mb: int = 20  # one uploaded file
    requests_per_minute: int = 60  # questions and uploads one client of the UI may send per minute
    queue_max_size: int = 64  # UI requests waiting for the model; more are refused with "busy"
    login_attempts_per_minute: int = 5  # wrong passwords per user name, then refused for the rest of the minute
    # ---- the HTTP API (python -m qa serve) ----
    api_key: str = ""  # bearer token the HTTP API requires on /v1/* (empty: no auth)
    api_max_request_bytes: int = 65536  # larger request bodies get 413
    # requests waiting per API worker beyond the one being answered; more get 429. 32: 16 concurrent clients on
    # 2 cores are served without a refusal (docs/DEPLOYMENT.md, "Capacity of the API")
    api_queue: int = 32
    # seconds between a worker's checks for an index generation another process published (0: never look)
    api_index_poll_s: float = 2.0

    def __post_init__(self) -> None:
        if isinstance(self.data_dir, str):  # Settings(data_dir="/srv/qa") from Python: a path, as from QA_DATA_DIR
            object.__setattr__(self, "data_dir", Path(self.data_dir))

        def choice(name: str, allowed: tuple[str, ...]) -> None:
            if getattr(self, name) not in allowed:
                raise SettingsError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")

        def at_least(name: str, low: int) -> None:
            if getattr(self, name) < low:
                raise SettingsError(f"{name} must be at least {low}, got {getattr(self, name)}")

        choice("index_type", INDEX_TYPES)
        choice("retrieval", RETRIEVAL_MODES)
        choice("backend", BACKENDS)
        choice("encoder_runtime", ENCODER_RUNTIMES)
        choice("embedder_dtype", EMBEDDER_DTYPES)
        choice("reader_dtype", EMBEDDER_DTYPES)
        choice("generator_dtype", GENERATOR_DTYPES)
        choice("vector_store", VECTOR_STORES)
        choice("milvus_consistency", MILVUS_CONSISTENCY)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", self.milvus_collection_prefix):
            raise SettingsError("milvus_collection_prefix must be a letter or _ then letters, digits or _ (at most "
                                f"64), got {self.milvus_collection_prefix!r}")
        if self.milvus_timeout <= 0:
            raise SettingsError(f"milvus_timeout must be positive, got {self.milvus_timeout}")
        at_least("milvus_replicas", 1)
        at_least("chunk_tokens", 16)
        if not 0 <= self.chunk_overlap_tokens < self.chunk_tokens:
            raise SettingsError("chunk_overlap_tokens must be >= 0 and smaller than chunk_tokens")
        for name in ("top_k", "max_new_tokens", "retrieval_candidates", "rrf_k", "evidence_sentences",
                     "max_question_chars", "max_document_mb",
                     "max_documents", "max_corpus_mb", "max_upload_mb", "requests_per_minute", "queue_max_size",
                     "login_attempts_per_minute"):
            at_least(name, 1)
        for name in ("openai_retries", "api_queue"):
            at_least(name, 0)
        at_least("api_max_request_bytes", 1024)
        for name in ("reader_focus_window", "reader_polar_window", "reader_contact_window"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must be 0 (off) or more, got {getattr(self, name)}")
        if not 0 <= self.document_scope <= 1:
            raise SettingsError(f"document_scope must be between 0 (off) and 1, got {self.document_scope}")
        if self.api_index_poll_s < 0:
            raise SettingsError(f"api_index_poll_s must be 0 or more, got {self.api_index_poll_s}")
        if self.openai_timeout <= 0 or self.openai_connect_timeout <= 0:
            raise SettingsError("openai_timeout and openai_connect_timeout must be positive")

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from QA_* environment variables, then explicit overrides (field name -> value)."""
        types = get_type_hints(cls)
        values = {}
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()
            raw = os.environ.get(name, "").strip()
            if raw:
                values[f.name] = _parse(name, raw, types[f.name])
        return replace(cls(**values), **overrides) if overrides else cls(**values)

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def index_dir_for(self, corpus_dir: Path) -> Path:
        """Where the index of a corpus directory lives (one per corpus, under data_dir)."""
        resolved = Path(corpus_dir).resolve()
        digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:10]
        return self.data_dir / "index" / f"{resolved.name or 'corpus'}-{digest}"

    @property
    def corpus_path(self) -> Path:
        """The corpus directory: QA_CORPUS_DIR, else `corpus` under the data directory."""
        return Path(self.corpus_dir) if self.corpus_dir else Path(self.data_dir) / "corpus"

    @property
    def model_cache_dir(self) -> Path:
        """Where converted generator weights are cached."""
        return self.data_dir / "models"

    @property
    def onnx_cache_dir(self) -> Path | None:
        """Where the encoders' ONNX exports are cached; None when they run on torch (encoder_runtime)."""
        return self.model_cache_dir if self.encoder_runtime == "onnx" else None


def default_corpus(settings: Settings) -> tuple[Path, bool]:
    """The default corpus directory and whether it was just created: the first time the data directory's own
    corpus is used, it is created holding a copy of the sample documents (a checkout's `corpus/`)."""
    path = settings.corpus_path
    if settings.corpus_dir or path.exists() or not SAMPLE_CORPUS.is_dir():
        return path, False
    path.mkdir(parents=True)
    for sample in sorted(SAMPLE_CORPUS.iterdir()):
        if sample.is_file() and not sample.name.startswith("."):
            shutil.copyfile(sample, path / sample.name)
    return path, True


def _parse(name: str, raw: str, kind: type):
    """An environment variable's text as the field's type; SettingsError names the variable."""
    if kind is bool:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise SettingsError(f"environment variable {name} must be 1/0, true/false, yes/no or on/off, got {raw!r}")
    if kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            what = "an integer" if kind is int else "a number"
            raise SettingsError(f"environment variable {name} must be {what}, got {raw!r}") from None
    return kind(raw)  # str, Path
