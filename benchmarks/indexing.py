"""Indexing benchmark: building the index of SQuAD articles versus bare SentenceTransformer.encode, and hit@5."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.stats import interleaved, ratio, summarize
from index.errors import SettingsError
from qa.evaluation.squad import sample as take_sample


def load_squad(path: Path, articles: int | None = None) -> tuple[dict[str, str], list]:
    """The evaluation's SQuAD documents (file name -> text) and questions (GoldItems), first `articles` articles only.

    As in `python -m qa eval`, the calibration split (about 20% of the questions) is left out.
    """
    from qa.evaluation.squad import load_squad as load_evaluation_squad

    path = Path(path)
    if not path.exists():
        raise SettingsError(f"SQuAD file {path} not found (pass --squad PATH)")
    documents, items = load_evaluation_squad(path)
    documents = dict(list(documents.items())[:articles])
    return documents, [item for item in items if item.evidence[0].source in documents]


def squad_corpus_dir(squad: Path, parent: Path, articles: int | None = None) -> Path:
    """Write the SQuAD articles as the evaluation does (one NN-Title.txt per article) into a directory under parent."""
    from qa.evaluation.squad import write_corpus

    documents, _ = load_squad(squad, articles)
    return write_corpus(documents, Path(parent) / f"squad-articles-{len(documents)}")


def build_once(corpus_dir: Path, embedder, settings, index_dir: Path):
    """Build a fresh index of a corpus directory with our builder (loading, chunking, embedding, FAISS, writing)."""
    from index.builder import ChunkingConfig, update_index
    from index.documents import load_corpus

    shutil.rmtree(index_dir, ignore_errors=True)
    store, _ = update_index(load_corpus(corpus_dir), index_dir, embedder,
                            ChunkingConfig.from_settings(settings),
                            settings.index_type, show_progress=False)
    return store


def gold_hit_rate(questions: list, ranked_texts: list[list[str]]) -> float:
    """Fraction of questions whose gold answer text appears (case- and space-insensitively) in its texts."""
    if not questions:
        raise ValueError("a hit rate needs questions")
    squash = lambda text: " ".join(text.split()).lower()  # noqa: E731
    return sum(any(squash(a) in squash(t) for a in q.answers for t in texts)
               for q, texts in zip(questions, ranked_texts)) / len(questions)


def hit_at_k(store, embedder, questions: list, k: int = 5) -> float:
    """Fraction of questions whose gold answer text appears (case-insensitively) in one of the top-k passages."""
    if not questions:
        raise ValueError("hit_at_k needs questions")
    results = store.search(embedder.embed([q.question for q in questions]), k)
    return gold_hit_rate(questions, [[p.text for p in passages] for passages in results])


class _PrecomputedEmbedder:
    """Wraps an embedder, answering embed() from vectors computed before: isolates our non-encoding time."""

    def __init__(self, embedder, texts: list[str], vectors) -> None:
        self._inner = embedder
        self._rows = {t: i for i, t in enumerate(texts)}
        self._vectors = vectors
        self.model_id, self.dimension, self.max_tokens = embedder.model_id, embedder.dimension, embedder.max_tokens

    def count_tokens(self, text: str) -> int:
        return self._inner.count_tokens(text)

    def embed(self, texts, *, show_progress: bool = False):
        return self._vectors[[self._rows[t] for t in texts]]


def run(settings, squad: Path, repeats: int, articles: int | None = None, hit_sample: int = 500,
        batch_sizes: tuple[int, ...] = (), encoders: tuple[str, ...] = ()) -> dict:
    """Chunks/s of our index build versus bare encode of the same chunks, our overhead, and hit@5."""
    from index.embedding import SentenceTransformerEmbedder

    from index.documents import load_corpus

    _, questions = load_squad(squad, articles)
    corpus_dir = squad_corpus_dir(squad, settings.data_dir / "bench", articles)
    embedder = SentenceTransformerEmbedder.from_settings(settings).load()
    workdir = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        store = build_once(corpus_dir, embedder, settings, workdir / "index")
        texts = [p.text for p in store.passages]
        model = embedder.model
        cases = {
            "ours_build": lambda: build_once(corpus_dir, embedder, settings, workdir / "index"),
            "bare_encode": lambda: model.encode(texts),
        }
        precomputed = _PrecomputedEmbedder(embedder, texts, store.vectors)
        cases["ours_build_without_encode"] = lambda: build_once(corpus_dir, precomputed, settings,
                                                                 workdir / "index-pre")
        times = interleaved(cases, repeats=repeats, warmup=0)  # the build above was the warm-up
        # where our time goes besides encoding: chunking alone, and FAISS + write
        started = time.perf_counter()
        from index.builder import ChunkingConfig, chunk_for_index

        documents = load_corpus(corpus_dir)
        for doc in documents:
            chunk_for_index(doc, embedder, ChunkingConfig.from_settings(settings))
        chunk_s = time.perf_counter() - started  # loading and chunking together
        sample = take_sample(questions, hit_sample, seed=0)
        out = {
            "documents": len(documents), "chunks": len(texts), "questions_in_sample": len(sample),
            "ours_build_s": summarize(times["ours_build"]), "bare_encode_s": summarize(times["bare_encode"]),
            "ours_chunks_per_s": len(texts) / summarize(times["ours_build"])["median"],
            "bare_chunks_per_s": len(texts) / summarize(times["bare_encode"])["median"],
            "overhead_ratio": ratio(times["ours_build"], times["bare_encode"]),
            "load_and_chunk_s": chunk_s, "hit_at_5": hit_at_k(store, embedder, sample, 5),
            "embedder_batch_size": embedder.batch_size, "embedder_dtype": embedder.dtype,
        }
        out["overhead_pct"] = (out["overhead_ratio"]["of_medians"] - 1) * 100
        # the robust figure on a noisy machine: everything we do besides encoding, over the bare encode time
        out["ours_without_encode_s"] = summarize(times["ours_build_without_encode"])
        out["non_encode_overhead_pct"] = 100 * out["ours_without_encode_s"]["median"] / out["bare_encode_s"]["median"]
        if batch_sizes:
            bs_cases = {f"batch_{b}": (lambda b=b: model.encode(texts, batch_size=b)) for b in batch_sizes}
            bs_times = interleaved(bs_cases, repeats=repeats, warmup=0)
            out["encode_batch_size_s"] = {name: summarize(t) for name, t in bs_times.items()}
        if encoders:
            from benchmarks import encoders as encoder_options

            out["encoders"] = encoder_options.run(embedder.model_id, texts, sample, repeats, encoders)
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
