"""Command line: `python -m index build [CORPUS_DIR] [--index-type flat|hnsw|ivf] [--rebuild]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.errors import run_command
from index.store import INDEX_TYPES


def main(argv: list[str] | None = None) -> int:
    """Build or update the index of a corpus directory and print what changed."""
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or incrementally update the index of a corpus")
    build.add_argument("corpus", nargs="?", default=None,
                       help="corpus directory (default: $QA_CORPUS_DIR, else .qa-data/corpus, created with the sample)")
    build.add_argument("--index-type", choices=INDEX_TYPES,
                       help="FAISS index type (default auto: flat below 20k chunks, else ivf)")
    build.add_argument("--rebuild", action="store_true", help="discard the existing index and embed everything")
    args = parser.parse_args(argv)
    return run_command(lambda: _build(args))


def _build(args: argparse.Namespace) -> int:
    from index.builder import index_corpus
    from index.embedding import SentenceTransformerEmbedder
    from index.settings import Settings, default_corpus
    from index.vector_store import backend_for

    settings = Settings.from_env(**({"index_type": args.index_type} if args.index_type else {}))
    corpus = Path(args.corpus) if args.corpus else default_corpus(settings)[0]
    store, report = index_corpus(corpus, SentenceTransformerEmbedder.from_settings(settings), settings,
                                 rebuild=args.rebuild)
    where = backend_for(settings).describe(settings.index_dir_for(corpus))  # a directory, or Milvus URI and alias
    print(f"index {where}: {len(store.documents)} documents, {len(store)} passages "
          f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
          f"{report.embedded_passages} passages embedded) in {report.seconds:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
