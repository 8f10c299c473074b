"""Where an index lives: the VectorStore the answering code reads, and the backends that load and publish one
(FAISS files under the data directory, or collections on a Milvus server: QA_VECTOR_STORE)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from index.chunking import Passage
from index.errors import SettingsError
from index.records import StoredDocument
from index.sentence_vectors import SentenceVectors
from index.store import IndexStore


class VectorStore(Protocol):
    """What retrieval and answering read of an index (index.store.IndexStore, index.milvus_store.MilvusStore)."""

    manifest: dict
    passages: list[Passage]
    documents: dict[str, StoredDocument]
    vectors: np.ndarray  # or a row reader: `vectors[ids]` gives those rows
    sentence_vectors: SentenceVectors | None

    def __len__(self) -> int: ...

    def search_ids(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def passage_id(self, passage: Passage) -> int | None: ...

    def passage_sentence_vectors(self, passages: list[Passage],
                                 sentences_only: bool = False) -> tuple[list[str], np.ndarray]: ...


class StoreBackend(Protocol):
    """Loads and publishes the index of a corpus (named by its index directory, see Settings.index_dir_for)."""

    def describe(self, index_dir: Path) -> str: ...

    def exists(self, index_dir: Path) -> bool: ...

    def current(self, index_dir: Path) -> str | None: ...  # the name of the generation published now

    def load(self, index_dir: Path) -> VectorStore: ...

    def publish(self, manifest: dict, passages: list[Passage], vectors: np.ndarray,
                documents: dict[str, StoredDocument], sentence_vectors: SentenceVectors,
                index_dir: Path) -> VectorStore: ...


class FaissBackend:
    """The default: FAISS and numpy files in generation directories under the index directory (index.store)."""

    def describe(self, index_dir: Path) -> str:
        return str(index_dir)

    def exists(self, index_dir: Path) -> bool:
        return (Path(index_dir) / "CURRENT").exists()

    def current(self, index_dir: Path) -> str | None:
        pointer = Path(index_dir) / "CURRENT"
        return pointer.read_text().strip() if pointer.exists() else None

    def load(self, index_dir: Path) -> IndexStore:
        return IndexStore.load(index_dir)

    def publish(self, manifest, passages, vectors, documents, sentence_vectors, index_dir) -> IndexStore:
        store = IndexStore(manifest, passages, vectors, documents, sentence_vectors=sentence_vectors)
        store.save(index_dir)
        return store


def backend_for(settings) -> StoreBackend:
    """The backend `settings.vector_store` names."""
    if settings.vector_store == "milvus":
        import importlib.util

        if importlib.util.find_spec("pymilvus") is None:
            raise SettingsError("QA_VECTOR_STORE=milvus needs the Milvus client, which is not installed: "
                                "pip install -e '.[milvus]' (pymilvus and milvus-lite)")
        from index.milvus_store import MilvusBackend

        return MilvusBackend(settings)
    return FaissBackend()
