"""`python -m qa serve [--host 127.0.0.1] [--port 8000] [--workers N] [--corpus DIR]`: the HTTP API."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from index.errors import SettingsError, positive_int, quiet_model_libraries


def add_parser(sub) -> None:
    """Register the `serve` subcommand."""
    p = sub.add_parser("serve", help="serve the HTTP API (/v1/ask, OpenAI-compatible /v1/chat/completions)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=positive_int, default=1,
                   help="worker processes, each with its own models and one answer at a time (default 1)")
    p.add_argument("--corpus", default=None,
                   help="corpus directory (default: $QA_CORPUS_DIR, else .qa-data/corpus, created with the sample)")


def run(args: argparse.Namespace) -> int:
    """Build or update the index once, then start uvicorn with one app per worker process."""
    import uvicorn

    from index.builder import index_corpus
    from index.embedding import SentenceTransformerEmbedder
    from index.settings import Settings, default_corpus

    if not 0 < args.port < 65536:
        raise SettingsError(f"--port must be between 1 and 65535, got {args.port}")
    quiet_model_libraries()  # no "Loading weights" progress bar in the server's log
    settings = Settings.from_env()
    corpus = os.path.abspath(args.corpus or default_corpus(settings)[0])
    # the workers only load the index: building it here, once, keeps them from building it side by side
    index_corpus(Path(corpus), SentenceTransformerEmbedder.from_settings(settings), settings,
                 show_progress=sys.stderr.isatty())
    os.environ["QA_CORPUS_DIR"] = corpus  # read again by each worker (Settings.from_env)
    print(f"serving {corpus} on http://{args.host}:{args.port} ({args.workers} worker(s)); "
          f"API docs at http://{args.host}:{args.port}/docs", file=sys.stderr)
    uvicorn.run("qa.server:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="warning", timeout_graceful_shutdown=5)
    return 0
