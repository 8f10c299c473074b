"""Document loading, chunking, embedding and the FAISS index store; also the settings and errors every layer shares."""

from index.builder import BuildReport, ChunkingConfig, build_corpus_index, update_index
from index.chunking import Passage, chunk_document, chunk_spans, split_sentences
from index.documents import Document, load_corpus, load_document
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.errors import (CorpusError, DocumentError, IndexMismatchError, IndexStoreError, ModelNotFoundError,
                          ReportedError, SettingsError)
from index.settings import Settings
from index.store import IndexStore

__all__ = [
    "BuildReport", "ChunkingConfig", "build_corpus_index", "update_index", "Passage", "chunk_document",
    "chunk_spans", "split_sentences", "CorpusError", "Document", "DocumentError", "load_corpus",
    "load_document", "Embedder", "ModelNotFoundError", "SentenceTransformerEmbedder", "IndexMismatchError",
    "IndexStore", "IndexStoreError", "ReportedError", "Settings", "SettingsError",
]
