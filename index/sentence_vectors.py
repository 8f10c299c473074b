"""Vectors of every sentence (and of each sentence joined to its neighbours) of every passage, computed once at
indexing, so that answering a question embeds only the question itself (issue 16)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from index.chunking import Passage, split_sentences
from index.errors import IndexStoreError

# What the spans are; part of the index manifest, so a change of this scheme rebuilds the index.
SCHEME = "sentences+pairs+triples-v1"
DTYPE = np.float16  # exact for the bfloat16 embedder's vectors (7-bit mantissa), 1e-3 relative for float32 ones
FILES = ("sentence_offsets.npy", "sentence_spans.npy", "sentence_vectors.npy")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The spans of a passage's text that answering may embed: each sentence, and each run of two or three
    consecutive sentences (a sentence with its neighbours, see qa.evidence.window / with_context); a text with no
    sentence is one span. Relative to the passage, distinct, in a fixed order."""
    sentences = split_sentences(text) or [(0, len(text))]
    spans: dict[tuple[int, int], None] = {}
    for width in (1, 2, 3):
        for i in range(len(sentences) - width + 1):
            spans[(sentences[i][0], sentences[i + width - 1][1])] = None
    return list(spans)


@dataclass(frozen=True)
class SentenceVectors:
    """For passage i, rows offsets[i]:offsets[i + 1] of `spans` (start, end within the passage text) and of
    `vectors` (float16, L2-normalised; read from disk on demand when loaded, see RowFile)."""

    offsets: np.ndarray  # (n_passages + 1,) int64
    spans: np.ndarray  # (n_rows, 2) int32
    vectors: np.ndarray  # (n_rows, dim) float16, or a RowFile of them when loaded from disk

    def __post_init__(self) -> None:
        if (len(self.offsets) < 1 or self.offsets[0] != 0 or self.offsets[-1] != len(self.spans)
                or len(self.spans) != len(self.vectors)):
            raise IndexStoreError("sentence vectors are inconsistent with their offsets; rebuild the index")

    @property
    def n_passages(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        """Bytes of the three arrays (on disk; in memory only the pages a question touches, when memory-mapped)."""
        return int(self.offsets.nbytes + self.spans.nbytes + self.vectors.nbytes)

    def rows_of(self, i: int, sentences_only: bool = False) -> tuple[int, int]:
        """The rows (lo, hi) of passage i's spans; with `sentences_only`, of its single sentences (the first rows:
        see sentence_spans)."""
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        if sentences_only and hi - lo > 1:
            hi = lo + (hi - lo + 3) // 3  # s sentences have s + (s - 1) + (s - 2) spans
        return lo, hi

    def of_passage(self, i: int, text: str, sentences_only: bool = False) -> tuple[list[str], np.ndarray]:
        """The texts of passage i's spans (sliced from its `text`) and their float32 vectors; with
        `sentences_only`, its single sentences alone."""
        lo, hi = self.rows_of(i, sentences_only)
        spans = self.spans[lo:hi]
        return [text[s:e] for s, e in spans.tolist()], np.asarray(self.vectors[lo:hi], dtype=np.float32)

    def select(self, ids: Sequence[int]) -> "SentenceVectors":
        """The rows of the given passages, in that order (what an index update keeps)."""
        parts = [np.arange(self.offsets[i], self.offsets[i + 1]) for i in ids]
        rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        counts = [int(self.offsets[i + 1] - self.offsets[i]) for i in ids]
        return SentenceVectors(np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
                               np.asarray(self.spans[rows], dtype=np.int32).reshape(-1, 2),
                               np.asarray(self.vectors[rows], dtype=DTYPE).reshape(-1, self.vectors.shape[1]))

    @classmethod
    def concatenate(cls, parts: Sequence["SentenceVectors"], dimension: int) -> "SentenceVectors":
        """The passages of several parts, one after the other."""
        offsets, total = [np.zeros(1, dtype=np.int64)], 0
        for part in parts:
            offsets.append(part.offsets[1:] + total)
            total += len(part.spans)
        return cls(np.concatenate(offsets).astype(np.int64),
                   np.concatenate([p.spans for p in parts] or [np.zeros((0, 2), np.int32)]).astype(np.int32),
                   np.concatenate([p.vectors for p in parts] or [np.zeros((0, dimension), DTYPE)]).astype(DTYPE))

    @classmethod
    def compute(cls, passages: Sequence[Passage], embedder, *, show_progress: bool = False) -> "SentenceVectors":
        """Embed the spans of the passages (each distinct text once)."""
        spans = [sentence_spans(p.text) for p in passages]
        texts = [p.text[s:e] for p, ps in zip(passages, spans) for s, e in ps]
        unique = list(dict.fromkeys(texts))
        vectors = embedder.embed(unique, show_progress=show_progress) if unique else np.zeros(
            (0, embedder.dimension), dtype=np.float32)
        row = {text: i for i, text in enumerate(unique)}
        counts = [len(ps) for ps in spans]
        return cls(np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
                   np.array([se for ps in spans for se in ps], dtype=np.int32).reshape(-1, 2),
                   np.asarray(vectors, dtype=DTYPE)[[row[t] for t in texts]].reshape(-1, embedder.dimension))

    def save(self, directory: Path) -> None:
        """Write the three arrays into an index generation directory."""
        for name, array in zip(FILES, (self.offsets, self.spans, self.vectors)):
            save_npy(Path(directory) / name, array)

    @classmethod
    def load(cls, directory: Path) -> "SentenceVectors":
        """Read them back; the vectors stay on disk (RowFile: only the passages a question touches are read)."""
        offsets, spans = (np.load(Path(directory) / name) for name in FILES[:2])
        return cls(offsets, spans, RowFile(Path(directory) / FILES[2]))


def save_npy(path: Path, array) -> None:
    """Write an array as a .npy file and fsync it; a full disk raises OSError(ENOSPC)."""
    with open(path, "wb") as fh:
        # numpy writes a real file with tofile(), which reports a full disk only as a short write with no errno;
        # through a plain write() (any object that is not a file, here) it writes in chunks and the OS error shows
        np.save(_Writer(fh), np.asarray(array))
        fh.flush()
        os.fsync(fh.fileno())


class _Writer:
    def __init__(self, fh) -> None:
        self.write = fh.write


class RowReader:
    """Rows 0..n-1 of a 2-D array kept outside memory, read on demand: integer, slice and index-list keys;
    `np.asarray(reader)` reads them all. A subclass sets `shape` and `dtype` and reads rows lo..hi-1 in `_read`."""

    ndim = 2
    shape: tuple[int, int]
    dtype: np.dtype

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def nbytes(self) -> int:
        return self.shape[0] * self.shape[1] * self.dtype.itemsize

    def _read(self, lo: int, hi: int) -> np.ndarray:
        raise NotImplementedError

    def _rows(self, rows: np.ndarray) -> np.ndarray:
        """The rows at these (possibly repeated, unordered) indices."""
        if len(rows) > 1000:  # an index update: cheaper to read everything once
            return np.asarray(self)[rows]
        return np.stack([self[int(i)] for i in rows]) if len(rows) else np.zeros((0, self.shape[1]), self.dtype)

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, (int, np.integer)):
            i = int(key) + (len(self) if key < 0 else 0)
            if not 0 <= i < len(self):
                raise IndexError(f"row {key} out of range for {len(self)} rows")
            return self._read(i, i + 1)[0]
        if isinstance(key, slice) and key.step in (None, 1):
            lo, hi, _ = key.indices(len(self))
            return self._read(lo, max(lo, hi))
        return self._rows(np.asarray(key, dtype=np.int64).reshape(-1))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        array = self._read(0, len(self))
        return array.astype(dtype) if dtype is not None else array


class RowFile(RowReader):
    """The rows of a 2-D .npy file, read on demand with pread, for arrays a question reads a few rows of.

    A memory map would do, but the kernel maps (and counts as resident) the cached pages around every row it
    touches: at 100k chunks, 40 questions left 480 MB of sentence vectors resident for 2 MB read. Reading the
    rows leaves nothing behind. Integer, slice and index-list keys; `np.asarray(rows)` reads the whole file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(fh)
            self.offset = fh.tell()
        if len(shape) != 2 or fortran:
            raise IndexStoreError(f"{self.path} is not a 2-D C-ordered array; rebuild the index")
        self.shape, self.dtype = tuple(shape), np.dtype(dtype)
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        self._fd = os.open(self.path, os.O_RDONLY)  # kept open: a later index update may delete the file

    def _read(self, lo: int, hi: int) -> np.ndarray:
        data = os.pread(self._fd, (hi - lo) * self._row_bytes, self.offset + lo * self._row_bytes)
        return np.frombuffer(data, dtype=self.dtype).reshape(hi - lo, self.shape[1])

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)
