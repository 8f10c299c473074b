"""A Milvus connection whose every call has a timeout and fails with one line naming the URI, and rows read by id."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import threading
import zlib
from pathlib import Path

import numpy as np

from index.errors import IndexStoreError, VectorStoreUnavailableError
from index.sentence_vectors import RowReader

log = logging.getLogger(__name__)
PAGE = 8192  # rows per query (Milvus caps offset + limit at 16384)
_BLOB_PART = 64_000  # base64 characters per blob row, inside VARCHAR's 65,535 bytes
# phrases of pymilvus / gRPC errors that mean "the server is not there (now)", not "the request is wrong"
_UNREACHABLE = ("unavailable", "connect", "deadline", "timeout", "timed out", "refused", "reset by peer",
                "socket closed", "fail connecting", "channel", "not ready", "broken pipe", "goaway", "eof")


def milvus_uri(settings) -> str:
    """The Milvus URI the settings name: QA_MILVUS_URI, else a Milvus Lite database under the data directory."""
    return settings.milvus_uri or str(Path(settings.data_dir).resolve() / "milvus.db")


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (pymilvus' MilvusException keeps it in .message, gRPC in .details())."""
    text = getattr(exc, "message", None) or (exc.details() if callable(getattr(exc, "details", None)) else None)
    text = str(text or exc or type(exc).__name__)
    return " ".join(text.split())[:300]


_SHARED: dict[tuple, "MilvusConnection"] = {}
_SHARED_LOCK = threading.Lock()


class MilvusConnection:
    """A lazily opened MilvusClient; `call(method, ...)` runs one client method with the configured timeout.

    A server that refuses, times out or goes away raises VectorStoreUnavailableError, any other failure
    IndexStoreError; both one line naming the URI. The client is dropped after a connection failure and opened
    again on the next call, so questions work again once the server is back."""

    def __init__(self, uri: str, token: str = "", timeout: float = 10.0) -> None:
        self.uri, self.token, self.timeout = uri, token, timeout
        self._client = None
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, uri: str, token: str = "", timeout: float = 10.0) -> "MilvusConnection":
        """One connection per (uri, token, timeout) in a process: every index load and refresh reuses it."""
        with _SHARED_LOCK:
            return _SHARED.setdefault((uri, token, timeout), cls(uri, token, timeout))

    def _open(self):
        with self._lock:
            if self._client is None:
                from pymilvus import MilvusClient

                # pymilvus logs every failed call with its traceback; the caller gets the one-line error instead
                for name in ("pymilvus", "pymilvus.decorators", "pymilvus.client.connection_manager",
                             "milvus_lite.server_manager"):
                    logging.getLogger(name).setLevel(logging.CRITICAL)
                # dedicated: a channel of our own, dropped on a connection failure, so the next call dials afresh
                # instead of waiting out the back-off of a channel shared by every client of this URI
                self._client = MilvusClient(uri=self.uri, token=self.token, timeout=self.timeout, dedicated=True)
            return self._client

    def call(self, method: str, *args, **kwargs):
        """client.METHOD(*args, **kwargs, timeout=...), errors translated (see the class)."""
        try:
            return getattr(self._open(), method)(*args, timeout=self.timeout, **kwargs)
        except Exception as exc:  # noqa: BLE001 - pymilvus raises MilvusException, gRPC errors, OSError ...
            raise self.error(exc, method) from None

    def call_loaded(self, method: str, collection: str, *args, **kwargs):
        """call(method, collection, ...), loading the collection first when the server has it released (a
        restarted Milvus Lite loads nothing until asked)."""
        try:
            return self.call(method, collection, *args, **kwargs)
        except VectorStoreUnavailableError:
            raise
        except IndexStoreError as exc:
            if "load" not in str(exc).lower():
                raise
        self.call("load_collection", collection)
        return self.call(method, collection, *args, **kwargs)

    def error(self, exc: BaseException, doing: str) -> IndexStoreError:
        """The one-line error a failed call becomes; a connection failure also drops the client."""
        reason = one_line(exc)
        if self.uri.endswith(".db") and "open local milvus failed" in reason.lower():
            return IndexStoreError(f"the Milvus Lite database {self.uri} cannot be opened ({doing}: {reason}); it "
                                   "serves one process at a time: for several, run `milvus-lite server --data-dir "
                                   "DIR` and set QA_MILVUS_URI=http://127.0.0.1:19530")
        code = getattr(exc, "code", None)
        grpc_code = code() if callable(code) else None
        if (grpc_code is not None and getattr(grpc_code, "name", "") in ("UNAVAILABLE", "DEADLINE_EXCEEDED")) or \
                isinstance(exc, (OSError, TimeoutError)) or any(p in reason.lower() for p in _UNREACHABLE) or \
                reason in ("", "<empty message>", "MilvusException"):
            self.close()
            return VectorStoreUnavailableError(f"the Milvus server at {self.uri} is unreachable or did not answer "
                                               f"within {self.timeout:g} s ({doing}: {reason or 'no reply'})")
        return IndexStoreError(f"Milvus at {self.uri} failed ({doing}: {reason})")

    def close(self) -> None:
        """Close the client (the next call opens a new one)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail too; nothing to keep
                log.debug("closing the Milvus client failed", exc_info=True)


class MilvusRows(RowReader):
    """The float32 vectors of a collection's rows 0..n-1 (primary key `id`), fetched by id when indexed: integer,
    slice and index-list keys like RowFile; `np.asarray(rows)` fetches them all, page by page."""

    dtype = np.dtype(np.float32)

    def __init__(self, connection: MilvusConnection, collection: str, n: int, dimension: int) -> None:
        self.connection, self.collection = connection, collection
        self.shape = (n, dimension)

    def _fetch(self, expr: str, limit: int) -> dict[int, list]:
        rows = self.connection.call_loaded("query", self.collection, filter=expr, output_fields=["id", "vector"],
                                    limit=limit)
        return {int(r["id"]): r["vector"] for r in rows}

    def _read(self, lo: int, hi: int) -> np.ndarray:
        out = np.zeros((max(0, hi - lo), self.shape[1]), dtype=np.float32)
        for start in range(lo, hi, PAGE):
            end = min(hi, start + PAGE)
            got = self._fetch(f"id >= {start} and id < {end}", end - start)
            if len(got) != end - start:
                raise IndexStoreError(f"Milvus collection {self.collection} at {self.connection.uri} holds "
                                      f"{len(got)} of rows {start}..{end - 1}; rebuild the index")
            out[np.fromiter(got, dtype=np.int64) - lo] = np.asarray(list(got.values()), dtype=np.float32)
        return out

    def _rows(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) > PAGE and len(rows) > len(self) // 4:  # an index update: cheaper to fetch all, page by page
            return np.asarray(self)[rows]
        if len(rows) and (rows.min() < 0 or rows.max() >= len(self)):
            raise IndexError(f"rows out of range for {len(self)} rows")
        distinct = sorted(set(rows.tolist()))
        got: dict[int, list] = {}
        for start in range(0, len(distinct), PAGE // 4):
            some = distinct[start:start + PAGE // 4]
            got.update(self._fetch(f"id in {some}", len(some)))
        if len(got) != len(distinct):
            raise IndexStoreError(f"Milvus collection {self.collection} at {self.connection.uri} lacks rows "
                                  f"{sorted(set(distinct) - set(got))[:5]}; rebuild the index")
        return np.asarray([got[int(i)] for i in rows], dtype=np.float32).reshape(len(rows), self.shape[1])


def blob_rows(blobs: dict[str, bytes]) -> list[dict]:
    """Rows (id, constant 2-d vector, name, part, data) holding named byte strings, zlib-compressed and base64'd."""
    rows = []
    for name, data in blobs.items():
        text = base64.b64encode(zlib.compress(data, 6)).decode()
        for part, start in enumerate(range(0, max(1, len(text)), _BLOB_PART)):
            rows.append({"id": len(rows), "vector": [1.0, 0.0], "name": name, "part": part,
                         "data": text[start:start + _BLOB_PART]})
    return rows


def join_blobs(parts: dict[str, dict[int, str]]) -> dict[str, bytes]:
    """The byte strings back from their parts (name -> part number -> data); ValueError when a part is missing."""
    blobs = {}
    for name, pieces in parts.items():
        if sorted(pieces) != list(range(len(pieces))):
            raise ValueError(f"{name} is missing parts")
        try:
            blobs[name] = zlib.decompress(base64.b64decode("".join(pieces[i] for i in range(len(pieces)))))
        except (zlib.error, ValueError) as exc:
            raise ValueError(f"{name} cannot be decoded ({exc})") from None
    return blobs


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array))
    return buffer.getvalue()
