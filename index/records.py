"""What an index stores of each document and passage, whatever holds the vectors (FAISS files or Milvus): the
document records (documents.json), the passages read back from their records (passages.json), and the manifest's
document hashes that both must match."""

from __future__ import annotations

from dataclasses import dataclass, replace

from index.chunking import Passage
from index.furniture import MARKS_SCHEME, refreshed_marks
from index.sourcemap import SourceMap


@dataclass(frozen=True)
class StoredDocument:
    """A document as the index remembers it (its text lets the UI show a passage in context).

    `text` is the plain reading text that passages index into; `source_map` maps it to the file on disk (None:
    the same offsets); `marks` are its furniture and heading marks (start, end, kind), see index.furniture.
    """

    source: str
    title: str
    sha256: str
    text: str
    n_chunks: int
    source_map: SourceMap | None = None
    marks: tuple[tuple[int, int, str], ...] = ()

    def locate(self, passage: Passage) -> Passage:
        """The passage with the marks that overlap it and its span in the file on disk."""
        marks = tuple(m for m in self.marks if m[0] < passage.end and passage.start < m[1])
        span = (self.source_map.source_span(passage.start, passage.end) if self.source_map is not None
                else (None, None))
        return replace(passage, marks=marks, source_start=span[0], source_end=span[1])

    def to_json(self) -> dict:
        """The record written to documents.json."""
        return {"source": self.source, "title": self.title, "sha256": self.sha256, "text": self.text,
                "n_chunks": self.n_chunks, "source_map": self.source_map.to_json() if self.source_map else None,
                "marks": [list(m) for m in self.marks], "marks_scheme": MARKS_SCHEME}

    @classmethod
    def from_json(cls, data: dict) -> "StoredDocument":
        """A record of documents.json; KeyError, TypeError or ValueError when it is malformed."""
        source_map = SourceMap.from_json(data["source_map"]) if data.get("source_map") else None
        marks = [(int(s), int(e), str(k)) for s, e, k in data.get("marks", ())]
        if data.get("marks_scheme", 1) != MARKS_SCHEME:  # stored by other rules (an index built before an upgrade)
            marks = refreshed_marks(data["text"], marks)
        return cls(data["source"], data["title"], data["sha256"], data["text"], data["n_chunks"], source_map,
                   tuple(marks))


def read_passages(document_records: list, passage_records: list) -> tuple[dict[str, StoredDocument], list[Passage]]:
    """An index's documents (by source) and passages from their stored records (documents.json, passages.json)."""
    documents = {d.source: d for d in (StoredDocument.from_json(r) for r in document_records)}
    passages = [documents[r["source"]].locate(Passage(
        text=documents[r["source"]].text[r["start"]:r["end"]], source=r["source"], start=r["start"],
        end=r["end"], title=r.get("title", ""))) for r in passage_records]
    return documents, passages


def check_document_hashes(manifest: dict, documents: dict) -> None:
    """ValueError unless the manifest lists exactly these documents, with their hashes."""
    listed = manifest.get("documents", {})
    if set(listed) != set(documents) or any(listed[s].get("sha256") != d.sha256 for s, d in documents.items()):
        raise ValueError("the manifest's document hashes do not match the documents")
