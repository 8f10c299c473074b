"""The Milvus store with the real models, against a real Milvus Lite server process: the article gold set and a
SQuAD slice give the same answers and citations as the FAISS store."""

from __future__ import annotations

from pathlib import Path

import pytest

from common import ROOT
from milvus_helpers import start_server

pytestmark = pytest.mark.e2e
SQUAD = ROOT.parent / "shared" / "datasets" / "squad-v1.1-24-articles.json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory)
    yield server
    server.stop()


def _assistants(corpus: Path, real_assistant, real_settings, server):
    """A FAISS and a Milvus assistant over one corpus, with the same models; the chunk and sentence vectors are
    computed once (a CachedEmbedder remembers them), so the two indexes hold the same numbers."""
    from index.embedding import CachedEmbedder
    from qa import Assistant

    embedder = CachedEmbedder(real_assistant.embedder, max_entries=1_000_000)
    made = []
    for settings in (real_settings.with_(vector_store="faiss"),
                     real_settings.with_(vector_store="milvus", milvus_uri=server.uri)):
        assistant = Assistant.from_corpus(corpus, settings, embedder=embedder, generator=real_assistant.generator,
                                          reader=real_assistant.read.reader, show_progress=False)
        made.append(assistant)
    assert type(made[1].store).__name__ == "MilvusStore" and type(made[0].store).__name__ == "IndexStore"
    return made


def _compared(rows_faiss: list[dict], rows_milvus: list[dict]) -> list[str]:
    """The questions whose answer, abstention, citations or retrieved passages differ between the stores."""
    def key(row: dict) -> tuple:
        return (row["answer"], row["abstained"], [(c["source"], c["start"], c["end"]) for c in row["citations"]],
                [(p["source"], p["start"], p["end"]) for p in row["passages"]])

    assert [r["id"] for r in rows_faiss] == [r["id"] for r in rows_milvus]
    return [f"{f['id']}: {key(f)} != {key(m)}" for f, m in zip(rows_faiss, rows_milvus) if key(f) != key(m)]


def test_the_article_gold_set_gets_the_same_answers_and_citations_from_milvus(real_assistant, real_settings,
                                                                            server, article_corpus):
    from qa.evaluation.gold import load_jsonl, locate_evidence
    from qa.evaluation.runner import run_items

    faiss, milvus = _assistants(article_corpus, real_assistant, real_settings, server)
    documents = {s: d.text for s, d in faiss.store.documents.items()}
    items = locate_evidence(load_jsonl(ROOT / "gold" / "russia-turkey.jsonl"), documents)
    rows_faiss = run_items(faiss, items, progress=False)
    rows_milvus = run_items(milvus, items, progress=False)
    assert not any(r.get("error") for r in rows_faiss + rows_milvus)
    assert sum(bool(r["citations"]) for r in rows_milvus) >= len(items) // 2  # answers with citations, not abstentions
    assert _compared(rows_faiss, rows_milvus) == []


def test_a_squad_slice_gets_the_same_answers_and_passages_from_milvus(real_assistant, real_settings, server,
                                                                    tmp_path):
    if not SQUAD.exists():
        pytest.skip(f"{SQUAD} not found (../shared beside the checkout)")
    from qa.evaluation.runner import run_items
    from qa.evaluation.squad import load_squad, write_corpus

    documents, items = load_squad(SQUAD)
    documents = dict(list(documents.items())[:2])
    corpus = write_corpus(documents, tmp_path / "squad")
    items = [i for i in items if i.evidence[0].source in documents][:40]
    faiss, milvus = _assistants(corpus, real_assistant, real_settings, server)
    assert len(milvus.store) == len(faiss.store) > 50
    rows_faiss = run_items(faiss, items, progress=False)
    rows_milvus = run_items(milvus, items, progress=False)
    assert len(items) == 40 and not any(r.get("error") for r in rows_faiss + rows_milvus)
    assert _compared(rows_faiss, rows_milvus) == []
