"""The checks that prove nothing was lost: an index on disk is whole, consistent and answers a question."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

QUESTION = "When did Russia and Turkey sign the trade agreement?"
FACT = "Russia and Turkey signed the trade agreement in March 2017 in Moscow."


def corpus_version(corpus: Path, version: int) -> dict[str, str]:
    """Write version `version` of a small corpus (one fixed fact, one changing document); source -> text."""
    corpus.mkdir(parents=True, exist_ok=True)
    texts = {"fact.txt": FACT + " Officials from both countries attended the signing.",
             "changing.txt": f"Revision {version} of the changing notes. " + "Filler sentence about trade. " * (
                 5 + version % 7)}
    for name, text in texts.items():
        (corpus / name).write_text(text)
    return texts


def index_state(index_dir: Path) -> frozenset[tuple[str, str]]:
    """The (source, sha256) pairs an index on disk holds, after checking that it is consistent:
    vectors = FAISS entries = passages = manifest count, every file's checksum and the manifest's document hashes
    match, and only the published generation is left once a build has finished."""
    from index.store import IndexStore

    store = IndexStore.load(index_dir)  # verifies checksums and counts (IndexStoreError otherwise)
    assert len(store.vectors) == store.faiss_index.ntotal == len(store.passages) == store.manifest["passages"]
    generation = index_dir / (index_dir / "CURRENT").read_text()
    for name, digest in store.manifest["files"].items():
        assert hashlib.sha256((generation / name).read_bytes()).hexdigest() == digest
    docs = {d["source"]: d for d in json.loads((generation / "documents.json").read_text())}
    assert {s: m["sha256"] for s, m in store.manifest["documents"].items()} == {s: d["sha256"] for s, d in docs.items()}
    for p in store.passages:
        assert p.text == store.documents[p.source].text[p.start:p.end]
    return frozenset((s, d.sha256) for s, d in store.documents.items())


def answers(index_dir: Path, embedder) -> bool:
    """Whether the index on disk answers the fixed question with a quote citing fact.txt."""
    from fakes import ScriptedGenerator

    from index.settings import Settings
    from index.store import IndexStore
    from qa.assistant import Assistant

    assistant = Assistant(IndexStore.load(index_dir), embedder, ScriptedGenerator(),
                          Settings(retrieval="dense", min_evidence_score=0.1))
    answer = assistant.ask(QUESTION)
    return not answer.abstained and any(c.source == "fact.txt" for c in answer.citations)
