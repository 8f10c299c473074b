"""`python -m ui [--host 127.0.0.1] [--port 7860] [--corpus DIR] [--auth user:password]`: serve the chat UI."""

from __future__ import annotations

import argparse
import os
import sys

from index.errors import run_command


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (the login defaults to the QA_UI_AUTH setting)."""
    p = argparse.ArgumentParser(prog="python -m ui", description="Chat with your documents in the browser.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--corpus", default="corpus", help="corpus directory; uploads are added here (default corpus)")
    p.add_argument("--auth", default=None,
                   help="require a login, as user:password (default: $QA_UI_AUTH, or no login)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load the assistant (building the index if needed), then serve until interrupted."""
    args = parse_args(argv)
    return run_command(lambda: _serve(args))


def _serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from qa import Assistant, Settings
    from ui.app import build_app, launch_app, parse_auth

    settings = Settings.from_env()
    auth = parse_auth(args.auth if args.auth is not None else settings.ui_auth)
    assistant = Assistant.from_corpus(args.corpus, settings, show_progress=sys.stderr.isatty())
    assistant.generator.load()
    if args.host not in ("127.0.0.1", "localhost", "::1") and not auth:
        print(f"warning: serving on {args.host} without a login; anyone who can reach it can ask and upload "
              "(use --auth user:password)", file=sys.stderr)
    print(f"Serving {len(assistant.store.documents)} documents from {args.corpus} on http://{args.host}:{args.port}"
          + (" (login required)" if auth else ""), flush=True)
    launch_app(build_app(assistant), assistant, args.host, args.port, auth, block=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
