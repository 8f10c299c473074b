"""One scale-benchmark run in its own process, on the code of a given checkout (today's or the new one).

`python benchmarks/scale_worker.py --code CHECKOUT --index INDEX_DIR --questions FILE.json --out FILE.json`:
loads the index with that checkout's IndexStore, answers each question with that checkout's Assistant (default
settings, the real embedder; its memory of vectors cleared before every question, so nothing is remembered from
an earlier one), and writes per-stage timings, answers, load time and memory. Imports nothing from the caller.
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def _rss_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", required=True)
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    started = time.perf_counter()
    from index.embedding import SentenceTransformerEmbedder
    from index.settings import Settings
    from index.store import IndexStore
    from qa.assistant import Assistant
    from qa.generation import make_generator

    imported = time.perf_counter()
    settings = Settings.from_env()
    store = IndexStore.load(args.index)
    loaded = time.perf_counter()
    embedder = SentenceTransformerEmbedder.from_settings(settings).load()
    assistant = Assistant(store, embedder, make_generator(settings), settings)
    questions = json.load(open(args.questions))
    rss_loaded = _rss_mb("VmRSS")
    t0 = time.perf_counter()
    assistant.retriever._bm25_index()  # what the first question would build
    bm25_build_s, rss_bm25 = time.perf_counter() - t0, _rss_mb("VmRSS")
    warm = time.perf_counter()
    assistant.ask(questions[0])  # builds the BM25 index (lazily, on the first question) and warms the model
    warm_s = time.perf_counter() - warm
    stage: dict[str, float] = {}
    retrieve = assistant.retriever.retrieve

    def timed_retrieve(query, k):
        t0 = time.perf_counter()
        out = retrieve(query, k)
        stage["retrieve_s"] = time.perf_counter() - t0
        return out

    assistant.retriever.retrieve = timed_retrieve
    rows = []
    for question in questions:
        assistant.query_embedder.clear()
        t0 = time.perf_counter()
        answer = assistant.ask(question)
        wall = time.perf_counter() - t0
        t = answer.timings
        rows.append({"question": question, "answer": answer.text, "abstained": answer.abstained,
                     "retrieve_s": stage["retrieve_s"], "retrieval_evidence_s": t["retrieval_s"],
                     "evidence_s": t["retrieval_s"] - stage["retrieve_s"], "first_token_s": t["first_token_s"],
                     "total_s": t["total_s"], "wall_s": wall})
    sv = getattr(store, "sentence_vectors", None)
    json.dump({"code": args.code, "passages": len(store), "import_s": imported - started,
               "index_load_s": loaded - imported, "first_question_s": warm_s, "rss_after_load_mb": rss_loaded,
               "bm25_build_s": bm25_build_s, "bm25_rss_mb": rss_bm25 - rss_loaded,
               "rss_end_mb": _rss_mb("VmRSS"), "peak_rss_mb": _rss_mb("VmHWM"),
               "sentence_vector_rows": int(len(sv.spans)) if sv is not None else 0, "rows": rows},
              open(args.out, "w"))


if __name__ == "__main__":
    main()
