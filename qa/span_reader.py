"""The span reader: an extractive QA model that finds the answer span in each passage or says there is none."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embedding import native_bfloat16
from index.errors import ModelNotFoundError
from index.settings import EMBEDDER_DTYPES
from qa.reader_spans import Reading, best_span, reader_passage, reader_question
from qa.span_edges import whole_words, with_negation, within_line, within_sentence
from qa.table_rows import within_label

MODEL_DIR = Path(__file__).resolve().parent / "models" / "reader"
MANIFEST_FILE = "manifest.json"
FORMAT = "span-reader/1"
DTYPES = EMBEDDER_DTYPES  # the embedder's choices: auto is bfloat16 where the CPU computes it natively
TRAIN_COMMAND = "python -m training.reader --seed 0"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", MANIFEST_FILE)


def _missing(path: Path, why: str) -> ModelNotFoundError:
    return ModelNotFoundError(f"reader model file {path} {why}; rebuild it with `{TRAIN_COMMAND}`")


class SpanReader:
    """Reads a question against passages with the model shipped at qa/models/reader/ (or another directory).

    Construction is cheap; `load()` checks the files and loads the model. `read()` batches every window of every
    passage into one forward pass and returns one Reading per passage. `runtime` "torch" runs the transformers
    model; "onnx" runs its ONNX export (index.onnx_runtime, cached under `cache_dir`) without importing torch, and
    falls back to torch, with a warning, when ONNX Runtime or the export is not available.
    """

    def __init__(self, model_dir: str | Path | None = None, *, quantize: bool = False, threads: int | None = None,
                 runtime: str = "torch", cache_dir: str | Path | None = None, dtype: str = "float32"):
        if runtime not in ("onnx", "torch"):
            raise ValueError(f"runtime must be 'onnx' or 'torch', got {runtime!r}")
        if runtime == "onnx" and (quantize or cache_dir is None):
            raise ValueError("the onnx runtime needs a cache_dir and does not quantize")
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
        if quantize and dtype == "bfloat16":
            raise ValueError("quantize runs float32 Linears as int8: it does not combine with bfloat16")
        self.model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        self.quantize = quantize
        self.threads = threads
        self.runtime = runtime
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.dtype = dtype
        self.manifest: dict = {}
        self._model = None
        self._tokenizer = None  # a tokenizers.Tokenizer: plain encodings
        self._windows = None  # the same tokenizer cutting (question, passage) pairs into overlapping windows
        self.runtime_used = ""  # after load(): "onnx", or "torch" (asked for, the fallback, or bfloat16)
        self.dtype_used = ""  # after load(): "float32" or "bfloat16"
        self._known: frozenset[str] | None = None

    def known_words(self) -> frozenset[str]:
        """The whole lower-case words of the reader's vocabulary (about 22,000 common English words), read from its
        tokenizer file without loading the model: the words qa.spelling takes as spelt right."""
        if self._known is None:
            path = self.model_dir / "tokenizer.json"
            try:
                vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
                raise _missing(path, f"cannot be read ({exc})") from None
            self._known = frozenset(w for w in vocab if w.isalpha() and w.islower())
        return self._known

    def read_manifest(self) -> dict:
        """The model directory's manifest, checked for its format and decision-rule fields."""
        for name in REQUIRED_FILES:
            if not (self.model_dir / name).is_file():
                raise _missing(self.model_dir / name, "is missing")
        path = self.model_dir / MANIFEST_FILE
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _missing(path, f"cannot be read ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _missing(path, f"is not a {FORMAT} manifest")
        for key in ("null_score_margin", "max_answer_tokens", "max_seq_len", "doc_stride"):
            if not isinstance(manifest.get(key), (int, float)):
                raise _missing(path, f"lacks a numeric {key!r}")
        return manifest

    def load(self) -> "SpanReader":
        """Check the files (sizes and SHA-256 against the manifest) and load tokenizer and model."""
        if self._model is not None:
            return self
        from tokenizers import Tokenizer

        from index.store import file_sha256

        manifest = self.read_manifest()
        for name, digest in (manifest.get("files") or {}).items():
            path = self.model_dir / name
            if not path.is_file():
                raise _missing(path, "is missing")
            if file_sha256(path) != digest:
                raise _missing(path, "does not match the SHA-256 in manifest.json (corrupt or replaced)")
        try:
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            windows = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        except Exception as exc:  # the tokenizers library raises its own Exception subclass
            raise _missing(self.model_dir / "tokenizer.json", f"cannot be loaded ({exc})") from None
        tokenizer.no_truncation()
        tokenizer.no_padding()
        windows.no_padding()
        windows.enable_truncation(int(manifest["max_seq_len"]), stride=int(manifest["doc_stride"]),
                                  strategy="only_second")
        model = None
        bf16 = self.dtype == "bfloat16" or (self.dtype == "auto" and not self.quantize and native_bfloat16())
        if self.runtime == "onnx" and not bf16:  # ONNX Runtime's CPU kernels run float32
            from index.onnx_runtime import onnx_session

            model = onnx_session(self.model_dir, "reader", self.cache_dir, self.threads)
        self.runtime_used = "torch" if model is None else "onnx"
        if model is None:
            model = self._torch_model(bf16)
        self.dtype_used = "bfloat16" if bf16 else "float32"
        self.manifest, self._tokenizer, self._windows, self._model = manifest, tokenizer, windows, model
        return self

    def _torch_model(self, bf16: bool = False):
        import torch
        from transformers import AutoModelForQuestionAnswering

        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            model = AutoModelForQuestionAnswering.from_pretrained(self.model_dir, dtype=torch.float32)
        except (OSError, ValueError) as exc:
            raise _missing(self.model_dir, f"cannot be loaded ({exc})") from None
        model.eval()
        if bf16:  # on CPUs with AVX512-BF16 / AMX: 2-3x the float32 speed, figures within 0.5 point
            model = model.to(torch.bfloat16)
        if self.quantize:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        return model

    @property
    def margin(self) -> float:
        """The calibrated null-score margin a span must beat to be an answer."""
        return float(self.load().manifest["null_score_margin"])

    def read(self, question: str, passages: Sequence[str],
             excluded: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[Reading]:
        """One Reading per non-empty passage (best span over its windows; null score the lowest of its windows).
        `excluded` (optional, one list per passage): character ranges no span may touch (a heading, a footer)."""
        if not isinstance(question, str) or not question.strip():
            raise ValueError("the question is empty")
        return [r for r in self.read_pairs([(question, p) for p in passages], excluded=excluded) if r is not None]

    def read_pairs(self, pairs: Sequence[tuple[str, str]], max_windows: int = 64,
                   excluded: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[Reading | None]:
        """A Reading per (question, passage) pair, `passage` being the pair's index (None for an empty passage);
        windows are read in batches of at most `max_windows`; `excluded` as in read()."""
        if excluded is not None and len(excluded) != len(pairs):
            raise ValueError(f"excluded has {len(excluded)} lists of ranges for {len(pairs)} passages")
        self.load()
        keep = [i for i, (q, p) in enumerate(pairs) if isinstance(p, str) and p.strip() and isinstance(q, str)]
        # each distinct question is cut and lower-cased once (it is usually the same for every passage)
        asked = {q: reader_question(q, self._tokenizer) for q in dict.fromkeys(pairs[i][0] for i in keep)}
        kept = set(keep)
        lengths = [len(p.rstrip()) if isinstance(p, str) else 0 for _, p in pairs]  # where an added stop goes
        read = [(asked[q], reader_passage(p)) if i in kept else (q, p) for i, (q, p) in enumerate(pairs)]
        # a span's edges are found in the passage's own text (its line breaks), with the stop the reader may add
        own = [p + r[len(p):] if i in kept else p for i, ((_, p), (_, r)) in enumerate(zip(pairs, read))]
        pairs = read
        out: list[Reading | None] = [None] * len(pairs)
        batch: list[int] = []
        windows = 0
        for i in keep:
            n = self._count_windows(pairs[i])
            if batch and windows + n > max_windows:
                self._read_batch(pairs, own, batch, out, excluded)
                batch, windows = [], 0
            batch.append(i)
            windows += n
        if batch:
            self._read_batch(pairs, own, batch, out, excluded)
        # a span is never the added full stop: offsets and text are the passage's own
        return [r if r is None or r.end <= lengths[r.passage] else
                replace(r, end=lengths[r.passage], text=r.text[:lengths[r.passage] - r.start]) for r in out]

    def _count_windows(self, pair: tuple[str, str]) -> int:
        m = self.manifest
        n = len(self._tokenizer.encode(pair[1], add_special_tokens=False).ids)
        q = len(self._tokenizer.encode(pair[0], add_special_tokens=False).ids)
        room = int(m["max_seq_len"]) - q - 3
        step = max(1, room - int(m["doc_stride"]))
        return 1 + max(0, -(-(n - room) // step))

    def _logits(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits of a padded batch of windows, from whichever runtime was loaded."""
        if self.runtime_used == "onnx":
            starts, ends = self._model.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            return np.asarray(starts, dtype=np.float32), np.asarray(ends, dtype=np.float32)
        import torch

        with torch.inference_mode():
            out = self._model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                              token_type_ids=torch.from_numpy(types))
        return out.start_logits.float().numpy(), out.end_logits.float().numpy()

    def _read_batch(self, pairs: Sequence[tuple[str, str]], own: Sequence[str], indices: list[int], out: list,
                    excluded=None) -> None:
        m = self.manifest
        encodings = self._windows.encode_batch([(pairs[i][0], pairs[i][1]) for i in indices])
        windows = [(sample, w) for sample, e in enumerate(encodings) for w in [e, *e.overflowing]]
        width = max(len(w.ids) for _, w in windows)
        ids, mask, types = (np.zeros((len(windows), width), dtype=np.int64) for _ in range(3))
        for row, (_, w) in enumerate(windows):
            ids[row, :len(w.ids)], mask[row, :len(w.ids)], types[row, :len(w.ids)] = w.ids, w.attention_mask, w.type_ids
        starts, ends = self._logits(ids, mask, types)
        best: dict[int, tuple[int, int, float]] = {}
        nulls: dict[int, float] = {}
        for row, (sample, w) in enumerate(windows):
            context = np.zeros(width, dtype=bool)
            context[:len(w.ids)] = [s == 1 for s in w.sequence_ids]
            ranges = excluded[indices[sample]] if excluded is not None else ()
            if ranges:  # no span starts or ends on a token inside an excluded range
                context[:len(w.ids)] &= [not any(a < e and s < b for s, e in ranges) for a, b in w.offsets]
            nulls[sample] = min(float(starts[row, 0] + ends[row, 0]), nulls.get(sample, np.inf))
            found = best_span(starts[row], ends[row], context, int(m["max_answer_tokens"]))
            if found is not None and (sample not in best or found[2] > best[sample][2]):
                best[sample] = (int(w.offsets[found[0]][0]), int(w.offsets[found[1]][1]), found[2])
        for sample, (a, b, logit) in best.items():
            index = indices[sample]
            passage = own[index]
            a, b = whole_words(passage, a, within_sentence(passage, a, within_line(passage, a, b)))
            a, b = with_negation(passage, a), within_label(passage, a, b)
            out[index] = Reading(index, a, b, passage[a:b], logit, nulls[sample])

    def answer(self, question: str, passages: Sequence[str], margin: float | None = None) -> Reading | None:
        """The best-scoring span over all passages if it beats the margin (default: the calibrated one), else None."""
        readings = self.read(question, passages)
        if not readings:
            return None
        top = max(readings, key=lambda r: r.score)
        return top if top.score > (self.margin if margin is None else margin) else None
