"""Document loading, chunking, embedding and the FAISS index store."""

from index.builder import BuildReport, ChunkingConfig, build_corpus_index, update_index
from index.chunking import Passage, chunk_document, chunk_spans, split_sentences
from index.documents import CorpusError, Document, DocumentError, load_corpus, load_document
from index.embedding import Embedder, ModelNotFoundError, SentenceTransformerEmbedder
from index.store import IndexMismatchError, IndexStore, IndexStoreError

__all__ = [
    "BuildReport", "ChunkingConfig", "build_corpus_index", "update_index", "Passage", "chunk_document",
    "chunk_spans", "split_sentences", "CorpusError", "Document", "DocumentError", "load_corpus",
    "load_document", "Embedder", "ModelNotFoundError", "SentenceTransformerEmbedder", "IndexMismatchError",
    "IndexStore", "IndexStoreError",
]
