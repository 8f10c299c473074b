"""Milvus as the vector store (QA_VECTOR_STORE=milvus): each build is a new set of collections, published by
switching an alias to it, so an interrupted build leaves the previous index serving.

A generation `<alias>__g<stamp>` holds the chunks (id = row, vector, source, title, start, end, text); `..._s`
the sentence-span vectors of issue 16 (id = row of SentenceVectors; float16 values, stored as float32 because
Milvus has no float16 field in Milvus Lite); `..._m` the rest as checksummed blobs (manifest, documents,
passage records, sentence offsets and spans). Every API worker pointed at the same server sees the same index.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from pathlib import Path

import numpy as np

from index.chunking import Passage
from index.errors import IndexMismatchError, IndexStoreError, VectorStoreUnavailableError
from index.milvus_client import (PAGE, MilvusConnection, MilvusRows, blob_rows, join_blobs, json_bytes,
                                 milvus_uri, npy_bytes, sha256)
from index.sentence_vectors import DTYPE as SENTENCE_DTYPE, SentenceVectors
from index.records import StoredDocument, check_document_hashes, read_passages
from index.store import AUTO_IVF_MIN_CHUNKS, FORMAT_VERSION, IVF_NPROBE, IndexStore

log = logging.getLogger(__name__)
_INSERT_BATCH = 2000
_MANIFEST_KEY = "qa_manifest_sha256"


def milvus_index(index_type: str, n: int) -> tuple[dict, dict]:
    """(index params, search params) for the `index_type` setting on n chunks, as the FAISS store chooses:
    exact below 1000 chunks or with "flat", IVF from AUTO_IVF_MIN_CHUNKS with "auto"; inner product (the
    vectors are normalised, so it is the cosine)."""
    if index_type == "auto":
        index_type = "ivf" if n >= AUTO_IVF_MIN_CHUNKS else "flat"
    if index_type == "flat" or n < 1000:
        return {"index_type": "FLAT", "metric_type": "IP", "params": {}}, {"metric_type": "IP", "params": {}}
    if index_type == "hnsw":
        return ({"index_type": "HNSW", "metric_type": "IP", "params": {"M": 32, "efConstruction": 80}},
                {"metric_type": "IP", "params": {"ef": 128}})
    nlist = max(1, min(int(np.sqrt(n)), n // 39))
    return ({"index_type": "IVF_FLAT", "metric_type": "IP", "params": {"nlist": nlist}},
            {"metric_type": "IP", "params": {"nprobe": min(nlist, IVF_NPROBE)}})


def alias_for(prefix: str, index_dir: Path) -> str:
    """The alias that names the current index of a corpus (its index directory's name, made a Milvus name)."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', Path(index_dir).name)}"[:200]


class MilvusStore(IndexStore):
    """An index whose chunk and sentence vectors stay on a Milvus server: searches and row reads go to it,
    passages and documents are held in memory like the FAISS store's."""

    def __init__(self, manifest: dict, passages: list[Passage], documents: dict[str, StoredDocument],
                 connection: MilvusConnection, collection: str, sentence_vectors: SentenceVectors,
                 search_params: dict, consistency: str = "Bounded") -> None:
        rows = MilvusRows(connection, collection, len(passages), manifest["embedder"]["dimension"])
        if sentence_vectors.n_passages != len(passages):
            raise IndexStoreError(f"index is inconsistent: {len(passages)} passages but sentence vectors for "
                                  f"{sentence_vectors.n_passages}")
        self.manifest, self.passages, self.vectors, self.documents = manifest, passages, rows, documents
        self.sentence_vectors, self.faiss_index, self._ids = sentence_vectors, None, None
        self.connection, self.collection, self.generation = connection, collection, collection
        self.search_params, self.consistency = search_params, consistency

    def search_ids(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, passage ids) of the k best passages per query vector from Milvus; id -1 pads short rows."""
        k = max(1, min(k, len(self.passages)))
        queries = np.asarray(query_vectors, dtype=np.float32).reshape(-1, self.vectors.shape[1])
        hits = self.connection.call_loaded("search", self.collection, data=queries.tolist(), anns_field="vector",
                                           limit=k, search_params=self.search_params, output_fields=["id"],
                                           consistency_level=self.consistency)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        for row, found in enumerate(hits):
            for j, hit in enumerate(list(found)[:k]):
                ids[row, j], scores[row, j] = int(hit["id"]), float(hit["distance"])
        return scores, ids

    def passage_sentence_vectors(self, passages: list[Passage],
                                 sentences_only: bool = False) -> tuple[list[str], np.ndarray]:
        """As IndexStore's, with the vectors of all the passages fetched from Milvus in one query."""
        sv, texts, rows = self.sentence_vectors, [], []
        for passage in passages:
            i = self.passage_id(passage)
            if i is None:
                continue
            lo, hi = sv.rows_of(i, sentences_only)
            texts += [passage.text[s:e] for s, e in sv.spans[lo:hi].tolist()]
            rows += range(lo, hi)
        return texts, sv.vectors[rows] if rows else np.zeros((0, self.vectors.shape[1]), dtype=np.float32)


class MilvusBackend:
    """Where indexes live when QA_VECTOR_STORE=milvus: `load`, `exists` and `publish` (see index.vector_store)."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.connection = MilvusConnection.shared(milvus_uri(settings), settings.milvus_token,
                                                  settings.milvus_timeout)

    def describe(self, index_dir: Path) -> str:
        return f"Milvus at {self.connection.uri} (alias {alias_for(self.settings.milvus_collection_prefix, index_dir)})"

    def current(self, index_dir: Path) -> str | None:
        """The generation (chunk collection) the alias of this corpus's index points to; None without one."""
        return self._target(alias_for(self.settings.milvus_collection_prefix, index_dir))

    def _target(self, alias: str) -> str | None:
        aliases = self.connection.call("list_aliases").get("aliases", [])
        if alias not in aliases:
            return None
        return self.connection.call("describe_alias", alias)["collection_name"]

    def exists(self, index_dir: Path) -> bool:
        """Whether the alias of this corpus's index exists on the server."""
        return self.current(index_dir) is not None

    def load(self, index_dir: Path) -> MilvusStore:
        """The index the alias points to; IndexStoreError when there is none or it is corrupt or inconsistent,
        VectorStoreUnavailableError when the server cannot be reached."""
        alias = alias_for(self.settings.milvus_collection_prefix, index_dir)
        collection = self._target(alias)
        if collection is None:
            raise IndexStoreError(f"no index in {self.describe(index_dir)}; build one with "
                                  "`python -m index build CORPUS_DIR`")
        try:
            for name in (collection, collection + "_s", collection + "_m"):  # a restarted server loads nothing
                self.connection.call("load_collection", name, replica_number=self.settings.milvus_replicas)
            properties = self.connection.call("describe_collection", collection).get("properties") or {}
            blobs = self._read_blobs(collection + "_m")
            manifest_sum = properties.get(_MANIFEST_KEY)
            if "manifest.json" not in blobs or sha256(blobs["manifest.json"]) != manifest_sum:
                raise ValueError("the manifest is missing or does not match its checksum")
            manifest = json.loads(blobs["manifest.json"])
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexMismatchError(f"index in {self.describe(index_dir)} has format "
                                         f"{manifest.get('format_version')}, expected {FORMAT_VERSION}; rebuild it")
            for name, digest in (manifest.get("files") or {}).items():
                if name not in blobs or sha256(blobs[name]) != digest:
                    raise ValueError(f"{name} does not match its checksum")
            documents, passages = read_passages(json.loads(blobs["documents.json"]), json.loads(blobs["passages.json"]))
            offsets, spans = (np.load(io.BytesIO(blobs[n])) for n in ("sentence_offsets.npy", "sentence_spans.npy"))
            counts = {c: self._count(c) for c in (collection, collection + "_s")}
            if not counts[collection] == len(passages) == manifest.get("passages"):
                raise ValueError(f"counts disagree: {counts[collection]} vectors in {collection}, "
                                 f"{len(passages)} passages, manifest {manifest.get('passages')}")
            check_document_hashes(manifest, documents)
            dim = manifest["embedder"]["dimension"]
            sentences = SentenceVectors(offsets, spans, MilvusRows(self.connection, collection + "_s",
                                                                   counts[collection + "_s"], dim))
        except (ValueError, KeyError, TypeError, IndexError, OSError) as exc:
            raise IndexStoreError(f"index in {self.describe(index_dir)} is unreadable ({exc}); rebuild it") from None
        _, search = milvus_index(manifest.get("index_type", "flat"), len(passages))
        return MilvusStore(manifest, passages, documents, self.connection, collection, sentences, search,
                           self.settings.milvus_consistency)

    def _count(self, collection: str) -> int:
        rows = self.connection.call("query", collection, filter="", output_fields=["count(*)"],
                                    consistency_level="Strong")
        return int(rows[0]["count(*)"])

    def _read_blobs(self, collection: str) -> dict[str, bytes]:
        parts: dict[str, dict[int, str]] = {}
        for start in range(0, 1 << 40, PAGE):
            rows = self.connection.call("query", collection, filter=f"id >= {start} and id < {start + PAGE}",
                                        output_fields=["name", "part", "data"], limit=PAGE,
                                        consistency_level="Strong")
            for r in rows:
                parts.setdefault(r["name"], {})[int(r["part"])] = r["data"]
            if len(rows) < PAGE:
                break
        return join_blobs(parts)

    def publish(self, manifest: dict, passages: list[Passage], vectors: np.ndarray,
                documents: dict[str, StoredDocument], sentence_vectors: SentenceVectors,
                index_dir: Path) -> MilvusStore:
        """Write a new generation of collections, then switch the alias to it (the one step that publishes it);
        any failure drops the new collections and leaves the alias where it was. Older generations are dropped
        afterwards, except the one the alias pointed to, which workers that have not reloaded may still read."""
        from importlib.metadata import version

        prefix = self.settings.milvus_collection_prefix
        alias = alias_for(prefix, index_dir)
        now = time.time_ns()  # names sort in build order: the second, then the microsecond within it
        generation = f"{alias}__g{time.strftime('%Y%m%d%H%M%S', time.localtime(now // 10**9))}{now // 1000 % 10**6:06d}"
        dim = int(manifest["embedder"]["dimension"])
        blobs = {"documents.json": json_bytes([d.to_json() for d in documents.values()]),
                 "passages.json": json_bytes([{"source": p.source, "start": p.start, "end": p.end,
                                                "title": p.title} for p in passages]),
                 "sentence_offsets.npy": npy_bytes(sentence_vectors.offsets),
                 "sentence_spans.npy": npy_bytes(sentence_vectors.spans)}
        manifest = {**manifest, "vector_store": "milvus", "files": {n: sha256(b) for n, b in blobs.items()},
                    "versions": {**manifest.get("versions", {}), "pymilvus": version("pymilvus"),
                                 "milvus_server": str(self.connection.call("get_server_version"))}}
        blobs["manifest.json"] = json_bytes(manifest)
        previous = self._target(alias)
        created: list[str] = []
        try:
            self._write_chunks(generation, passages, vectors, dim, manifest.get("index_type", "flat"), created)
            self._write_vectors(generation + "_s", np.asarray(sentence_vectors.vectors, dtype=SENTENCE_DTYPE),
                                dim, created)
            self._write_blobs(generation + "_m", blobs, created)
            for name in created:
                self.connection.call("flush", name)
            self.connection.call("alter_collection_properties", generation,
                                 properties={_MANIFEST_KEY: sha256(blobs["manifest.json"])})
            self.connection.call("alter_alias" if previous else "create_alias", generation, alias)
        except BaseException:
            for name in created:  # best effort: a dead server keeps them until the next build's clean-up
                try:
                    self.connection.call("drop_collection", name)
                except IndexStoreError:
                    break
            raise
        self._drop_old(alias, keep={generation, previous})
        return self.load(index_dir)

    def _create(self, name: str, fields: list[tuple], index: dict, created: list[str]) -> None:
        from pymilvus import DataType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        for field, kind, extra in fields:
            schema.add_field(field, getattr(DataType, kind), **extra)
        params = MilvusClient.prepare_index_params()
        params.add_index("vector", index_type=index["index_type"], metric_type=index["metric_type"],
                         params=index["params"])
        self.connection.call("create_collection", name, schema=schema)
        created.append(name)
        # not create_collection(index_params=...): its wait for the (empty) index asks the server for a timestamp,
        # which Milvus Lite does not implement and logs as a traceback on the user's terminal
        self.connection.call("create_index", name, params, sync=False)
        self.connection.call("load_collection", name)

    def _insert(self, name: str, rows: list[dict]) -> None:
        for start in range(0, len(rows), _INSERT_BATCH):
            self.connection.call("insert", name, rows[start:start + _INSERT_BATCH])

    def _write_chunks(self, name, passages, vectors, dim, index_type, created) -> None:
        longest = max((len(p.text.encode()) for p in passages), default=0)
        if longest > 65535:
            raise IndexStoreError(f"a chunk of {longest} bytes is longer than Milvus's VARCHAR limit of 65535")
        index, _ = milvus_index(index_type, len(passages))
        self._create(name, [("vector", "FLOAT_VECTOR", {"dim": dim}), ("source", "VARCHAR", {"max_length": 65535}),
                            ("title", "VARCHAR", {"max_length": 65535}), ("start", "INT64", {}),
                            ("end", "INT64", {}), ("text", "VARCHAR", {"max_length": 65535})], index, created)
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(passages), _INSERT_BATCH):
            self.connection.call("insert", name, [
                {"id": i, "vector": vectors[i].tolist(), "source": p.source, "title": p.title, "start": p.start,
                 "end": p.end, "text": p.text}
                for i, p in enumerate(passages[start:start + _INSERT_BATCH], start)])

    def _write_vectors(self, name: str, vectors: np.ndarray, dim: int, created: list[str]) -> None:
        self._create(name, [("vector", "FLOAT_VECTOR", {"dim": dim})],
                     {"index_type": "FLAT", "metric_type": "IP", "params": {}}, created)
        vectors = vectors.astype(np.float32)  # float16 values, exactly; read by id, never searched
        for start in range(0, len(vectors), _INSERT_BATCH):
            self.connection.call("insert", name, [{"id": i, "vector": vectors[i].tolist()}
                                                  for i in range(start, min(len(vectors), start + _INSERT_BATCH))])

    def _write_blobs(self, name: str, blobs: dict[str, bytes], created: list[str]) -> None:
        # Milvus wants a vector field in every collection: a constant one, never searched
        self._create(name, [("vector", "FLOAT_VECTOR", {"dim": 2}), ("name", "VARCHAR", {"max_length": 256}),
                            ("part", "INT64", {}), ("data", "VARCHAR", {"max_length": 65535})],
                     {"index_type": "FLAT", "metric_type": "L2", "params": {}}, created)
        self._insert(name, blob_rows(blobs))

    def _drop_old(self, alias: str, keep: set) -> None:
        """Drop this alias's generations other than `keep` (and any an interrupted build left behind)."""
        try:
            for name in self.connection.call("list_collections"):
                generation = re.sub(r"_[sm]$", "", name)
                if name.startswith(alias + "__g") and generation not in keep:
                    self.connection.call("drop_collection", name)
        except VectorStoreUnavailableError as exc:
            log.warning("could not drop old index generations: %s", exc)

