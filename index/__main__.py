"""Command line: `python -m index build [CORPUS_DIR] [--index-type flat|hnsw|ivf] [--rebuild]`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Build or update the index of a corpus directory and print what changed."""
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or incrementally update the index of a corpus")
    build.add_argument("corpus", nargs="?", default="corpus", help="corpus directory (default: corpus)")
    build.add_argument("--index-type", choices=("flat", "hnsw", "ivf"), help="FAISS index type (default flat)")
    build.add_argument("--rebuild", action="store_true", help="discard the existing index and embed everything")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    from qa.settings import Settings
    from index import CorpusError, IndexStoreError, ModelNotFoundError, SentenceTransformerEmbedder
    from index.builder import ChunkingConfig, build_corpus_index

    try:
        settings = Settings.from_env(**({"index_type": args.index_type} if args.index_type else {}))
        index_dir = settings.index_dir_for(Path(args.corpus))
        store, report = build_corpus_index(
            Path(args.corpus), index_dir, SentenceTransformerEmbedder.from_settings(settings),
            ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap_tokens), settings.index_type,
            rebuild=args.rebuild)
    except (CorpusError, IndexStoreError, ModelNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"index {index_dir}: {len(store.documents)} documents, {len(store)} passages "
          f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
          f"{report.embedded_passages} passages embedded) in {report.seconds:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
