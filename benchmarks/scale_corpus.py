"""Corpora of about 1k, 10k and 100k chunks for the scale benchmark, and the replay embedder that indexes them.

* **1k**: the 24 SQuAD articles (one file per article, as `python -m qa eval` writes them) plus the article,
  embedded for real.
* **10k / 100k**: the same real files plus generated documents: each is one SQuAD article's sentences shuffled
  across its paragraphs (seeded), regrouped into paragraphs of 3 to 7 sentences under a numbered title.
  Embedding 100k chunks and their sentence spans for real would take hours on 2 shared cores, so these are
  indexed with ReplayEmbedder: every sentence of the real files is embedded once for real, and a text (chunk or
  sentence span) gets the normalised sum of its sentences' real vectors plus a small seeded Gaussian
  perturbation (noise norm `NOISE`, cosine about 0.97 to the unperturbed sum). Questions are always embedded
  for real, by the real model, at query time.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import numpy as np

from index.chunking import split_sentences

NOISE = 0.25
_WHOLE = re.compile(r"[\"'“‘(\[*_]*[A-Z0-9].*[.!?][\"'”’)\]*_]*", re.S)


def real_documents(squad: Path, article: Path) -> dict[str, str]:
    """The 24 SQuAD articles as the evaluation writes them (file name -> text), plus the article."""
    from benchmarks.indexing import load_squad

    documents, _ = load_squad(squad)
    return {**documents, article.name: article.read_text(encoding="utf-8")}


def shuffled_document(text: str, number: int, rng: random.Random) -> str:
    """A new document from an article's text: its title line, then its sentences shuffled across paragraphs."""
    title, _, body = text.partition("\n")
    sentences = [para[s:e] for para in re.split(r"\n\s*\n", body) for s, e in split_sentences(para)]
    # only sentences that stay sentences next to any other (capital or digit first, full stop last), so a
    # generated document splits into exactly the real sentences it was made of
    sentences = [s for s in sentences if _WHOLE.fullmatch(s)]
    rng.shuffle(sentences)
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(3, 7)
        paragraphs.append(" ".join(sentences[i:i + size]))
        i += size
    return f"{title.strip()} (shuffle {number})\n\n" + "\n\n".join(paragraphs) + "\n"


def write_scale_corpus(real: dict[str, str], target_chunks: int, chunks_per_char: float, directory: Path,
                       seed: int = 0) -> Path:
    """The real documents plus generated ones until about `target_chunks` chunks (estimated from the real
    files' chunks per character), written under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in real.items():
        (directory / name).write_text(text, encoding="utf-8")
    rng = random.Random(seed)
    squad_names = sorted(n for n in real if n.endswith(".txt"))
    estimate = sum(len(t) for t in real.values()) * chunks_per_char
    number = 0
    while estimate < target_chunks:
        name = squad_names[number % len(squad_names)]
        text = shuffled_document(real[name], number, rng)
        (directory / f"gen-{number:05d}-{name}").write_text(text, encoding="utf-8")
        estimate += len(text) * chunks_per_char
        number += 1
    return directory


class ReplayEmbedder:
    """Embeds a text as the normalised sum of the real vectors of its sentences, plus seeded noise (see module).

    Sentences it has no real vector for (a sentence cut by a chunk boundary) are embedded by the real model once.
    """

    def __init__(self, real, sentence_texts: list[str], sentence_vectors: np.ndarray, noise: float = NOISE) -> None:
        self.real = real
        self.model_id, self.dimension, self.max_tokens = real.model_id, real.dimension, real.max_tokens
        self.dtype = getattr(real, "dtype", "float32")
        self.noise = noise
        self.table = dict(zip(sentence_texts, sentence_vectors))
        self.fallbacks = 0

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def embed(self, texts, *, show_progress: bool = False) -> np.ndarray:
        parts = [[t[s:e] for s, e in split_sentences(t)] or [t] for t in texts]
        unknown = list(dict.fromkeys(p for ps in parts for p in ps if p not in self.table))
        if unknown:
            self.fallbacks += len(unknown)
            self.table.update(zip(unknown, self.real.embed(unknown)))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, ps in enumerate(parts):
            out[row] = np.sum([self.table[p] for p in ps], axis=0)
        seed = int.from_bytes(hashlib.blake2b("\n".join(texts[:1]).encode(), digest_size=8).digest(), "little")
        noise = np.random.default_rng(seed).standard_normal(out.shape).astype(np.float32)
        out = out / np.linalg.norm(out, axis=1, keepdims=True) + self.noise * noise / np.linalg.norm(
            noise, axis=1, keepdims=True)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def real_sentence_table(real_docs: dict[str, str], embedder, cache: Path) -> tuple[list[str], np.ndarray]:
    """Every distinct sentence of the real documents and its real vector (cached in `cache` .npz)."""
    sentences = list(dict.fromkeys(text[s:e] for text in real_docs.values() for s, e in split_sentences(text)))
    if cache.exists():
        data = np.load(cache, allow_pickle=False)
        if list(data["texts"]) == sentences:
            return sentences, data["vectors"]
    vectors = embedder.embed(sentences, show_progress=False)
    np.savez(cache, texts=np.array(sentences), vectors=vectors)
    return sentences, vectors
