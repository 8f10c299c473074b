"""`python -m qa ask "QUESTION" [--json] [--top-k K] [--document NAME ...] [--corpus DIR]`: answer one question."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from index.errors import positive_int


def add_parser(sub) -> None:
    """Register the `ask` subcommand."""
    p = sub.add_parser("ask", help="answer a question about the corpus, with citations")
    p.add_argument("question", help="the question to answer")
    p.add_argument("--corpus", default=None,
                   help="corpus directory (default: $QA_CORPUS_DIR, else .qa-data/corpus, created with the sample)")
    p.add_argument("--top-k", type=positive_int, default=None, help="number of passages to retrieve")
    p.add_argument("--document", action="append", default=None, metavar="NAME",
                   help="answer from this document only (its path relative to the corpus directory, e.g. "
                        "minutes/june.txt); repeat for several; default all of them")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--no-stream", action="store_true", help="print the answer only when complete")


def run(args: argparse.Namespace) -> int:
    """Answer the question and print it (streaming unless --json or --no-stream)."""
    from index.errors import quiet_model_libraries
    from index.settings import Settings, default_corpus
    from qa.events import Completed, TextDelta
    from qa.assistant import Assistant, validate_question
    from qa.questions import clean_text as shown
    from qa.cli_sources import Renumbering, source_lines

    quiet_model_libraries()  # no "Loading weights" bars around the answer
    settings = Settings.from_env()
    if settings.reader_dtype == "auto" and settings.encoder_runtime == "onnx":
        # one question: the reader in float32 on ONNX Runtime spares this process the torch import (4-5 s of a cold
        # start, for ~30-50 ms more reading where bfloat16 is native; docs/PERFORMANCE.md)
        settings = dataclasses.replace(settings, reader_dtype="float32")
    # refuse bad questions before loading any model
    question = validate_question(args.question, settings.max_question_chars)
    corpus = args.corpus or default_corpus(settings)[0]
    assistant = Assistant.from_corpus(corpus, settings, show_progress=sys.stderr.isatty())
    if args.json:
        answer = assistant.ask(question, top_k=args.top_k, documents=args.document)
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    answer = None
    streaming = not args.no_stream and sys.stdout.isatty()
    renumber = Renumbering()  # citations numbered as cited: [1], [2], ... however the passages ranked
    # the answer's text begins with the direct answer (the reader's span and its marker), then the sentences
    for event in assistant.ask_stream(question, top_k=args.top_k, documents=args.document):
        if isinstance(event, Completed):
            answer = event.answer
        elif streaming and isinstance(event, TextDelta):
            # only checked text is streamed: it is the answer; shown() turns a document's escape sequences (which
            # would clear the screen or retitle the terminal) into spaces, here and below
            print(shown(renumber(event.text)), end="", flush=True)
    print("" if streaming else shown(renumber(answer.text)))
    for line in source_lines(assistant, answer, renumber):
        print(shown(line))
    return 0
