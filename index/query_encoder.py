"""A question's vector with transformers alone, for processes that only ask an existing index (issue 16).

Importing sentence-transformers costs about 3.3 s of CPU at start-up (it imports scikit-learn, scipy and
pandas), more than everything else a `python -m qa ask` does with a built index. For the plain
Transformer -> mean Pooling -> Normalize models (all-MiniLM-L6-v2) this computes what
`SentenceTransformer.encode(texts, normalize_embeddings=True)` does for one text, with the same files, dtype
and operations (checked equal, bit for bit, in tests/e2e/test_query_encoder.py). Indexing still uses
sentence-transformers.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

_PIPELINE = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
             "sentence_transformers.models.Normalize"]


def plain_mean_pooling_config(model_dir: str | Path) -> dict | None:
    """{"dimension", "max_seq_length", "do_lower_case"} when a sentence-transformers directory is the plain
    Transformer -> mean Pooling -> Normalize pipeline, read from its files; None otherwise."""
    model_dir = Path(model_dir)
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
        if [m["type"] for m in modules] != _PIPELINE or modules[0]["path"] != "":
            return None
        pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text())
        bert = json.loads((model_dir / "sentence_bert_config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    others = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v and k != "pooling_mode_mean_tokens"]
    if not pooling.get("pooling_mode_mean_tokens") or others or "max_seq_length" not in bert:
        return None
    return {"dimension": int(pooling["word_embedding_dimension"]), "max_seq_length": int(bert["max_seq_length"]),
            "do_lower_case": bool(bert.get("do_lower_case", False))}


class QueryEncoder:
    """Embeds texts one at a time as the sentence-transformers model in `model_dir` would (see module).

    `cache_dir` given (and the CPU): the model runs as an ONNX export (index.onnx_runtime) in float32 without
    importing torch, the float32 vector to about 1e-6, whatever dtype embedded the documents (a bfloat16 index is
    searched with float32 questions: a 4.5 s shorter cold start, retrieval unchanged, docs/PERFORMANCE.md);
    otherwise (or when ONNX Runtime or the export is not available) on torch in `dtype`, bit for bit.
    """

    def __init__(self, model_dir: str | Path, config: dict, dtype: str = "float32", device: str = "cpu",
                 cache_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.config = config
        self.dtype = dtype
        self.device = device
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.runtime_used = ""  # after load(): "onnx" or "torch"
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()  # the UI loads it in the background while a first question may come in

    def load(self) -> "QueryEncoder":
        """Load the tokenizer and the model (once, even when two threads ask at the same time)."""
        with self._lock:
            if self._model is None:
                self._load()
        return self

    def _load(self) -> None:
        if self._model is None and self.cache_dir is not None and self.device == "cpu":
            self._load_onnx()
        if self._model is None:
            import torch
            from transformers import AutoModel, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
            model = AutoModel.from_pretrained(str(self.model_dir)).to(self.device).eval()
            if self.dtype == "bfloat16":
                model.to(torch.bfloat16)
            self._tokenizer, self._model, self.runtime_used = tokenizer, model, "torch"

    def _load_onnx(self) -> None:
        from tokenizers import Tokenizer

        from index.onnx_runtime import onnx_session

        model = onnx_session(self.model_dir, "encoder", self.cache_dir)
        if model is None:
            return
        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(int(self.config["max_seq_length"]), strategy="longest_first")
        self._tokenizer, self._model, self.runtime_used = tokenizer, model, "onnx"

    @property
    def tokenizer(self):
        return self.load()._tokenizer

    def embed_one(self, text: str) -> np.ndarray:
        """The (1, dim) float32 L2-normalised vector of one text."""
        self.load()
        if self.config["do_lower_case"]:
            text = text.lower()
        if self.runtime_used == "onnx":
            enc = self._tokenizer.encode(text)
            feed = {name: np.array([values], dtype=np.int64) for name, values in
                    (("input_ids", enc.ids), ("attention_mask", enc.attention_mask), ("token_type_ids", enc.type_ids))}
            tokens = self._model.run(None, feed)[0][0]  # (tokens, dim); one text: no padding to mask out
            vector = tokens.mean(axis=0, dtype=np.float32)
            for _ in range(2):  # the Normalize module, then encode's normalize_embeddings
                vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
            return np.ascontiguousarray(vector[None, :], dtype=np.float32)
        import torch
        import torch.nn.functional as F

        features = self._tokenizer([text], padding=True, truncation="longest_first", return_tensors="pt",
                                   max_length=self.config["max_seq_length"])
        with torch.inference_mode():
            tokens = self._model(**features.to(self.device), return_dict=True).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            accumulate = torch.float32 if tokens.dtype in (torch.float16, torch.bfloat16) else tokens.dtype
            total = (tokens * mask).sum(dim=1, dtype=accumulate)
            count = torch.clamp(mask.sum(dim=1, dtype=accumulate), min=1e-9)
            vector = (total / count).to(tokens.dtype)
            vector = F.normalize(F.normalize(vector, p=2, dim=-1), p=2, dim=1)  # the Normalize module, then encode
            return np.ascontiguousarray(vector.float().cpu().numpy(), dtype=np.float32)
