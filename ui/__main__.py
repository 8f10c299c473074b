"""`python -m ui [--host 127.0.0.1] [--port 7860] [--corpus DIR] [--auth user:password]`: serve the chat UI."""

from __future__ import annotations

import argparse
import os
import sys
import threading

from index.errors import quiet_model_libraries, run_command


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (the login defaults to the QA_UI_AUTH setting)."""
    p = argparse.ArgumentParser(prog="python -m ui", description="Chat with your documents in the browser.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--corpus", default=None,
                   help="corpus directory; uploads are added here (default: $QA_CORPUS_DIR, else .qa-data/corpus, "
                        "created with the sample article)")
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
    from index.settings import Settings, default_corpus
    from ui.uploads import use_upload_dir

    settings = Settings.from_env()
    use_upload_dir(settings)  # before gradio is imported: it reads the directory then
    from qa import Assistant
    from ui.app import build_app, launch_app, parse_auth

    auth = parse_auth(args.auth if args.auth is not None else settings.ui_auth)
    corpus, created = (args.corpus, False) if args.corpus else default_corpus(settings)
    quiet_model_libraries()
    assistant = Assistant.from_corpus(corpus, settings, show_progress=sys.stderr.isatty())
    if settings.model_sentences:
        assistant.generator.load()  # otherwise answers are quotes and the generator never runs
    warning = exposure_warning(args.host, auth)
    if warning:
        print(warning, file=sys.stderr)
    demo = build_app(assistant)
    launch_app(demo, assistant, args.host, args.port, auth, block=False)
    # the page is served before the embedder is loaded (issue 16: cold start); load it now, before the first question
    threading.Thread(target=assistant.embedder.embed, args=(["warm-up"],), daemon=True, name="warm-up").start()
    print(startup_line(f"http://{args.host}:{args.port}/", corpus, len(assistant.store.documents), settings.embedder,
                       getattr(assistant.generator, "model_id", settings.generator), bool(auth), created), flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


def exposure_warning(host: str, auth) -> str | None:
    """The warning printed when the UI is reachable from other machines (any address but loopback) without a
    login; None when it is not."""
    if host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.") or auth:
        return None
    return (f"warning: serving on {host} without a login; anyone who can reach it can ask and upload "
            "(use --auth user:password, or QA_UI_AUTH)")


def startup_line(url: str, corpus, documents: int, embedder: str, generator: str, login: bool = False,
                 created: bool = False) -> str:
    """The one line printed when the chat is being served: where, which documents, which models."""
    plural = "document" if documents == 1 else "documents"
    new = " (new: a copy of the sample article)" if created else ""
    return (f"Document Q&A at {url}{' (login required)' if login else ''} · corpus {corpus}{new}: {documents} "
            f"{plural} · models {embedder} + {generator}")


if __name__ == "__main__":
    sys.exit(main())
