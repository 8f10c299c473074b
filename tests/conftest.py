"""Shared fixtures: fake components for unit tests, and one real Assistant for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from common import ARTICLE, ROOT  # noqa: E402 (after the path above)


@pytest.fixture(scope="session", autouse=True)
def milvus_server_for_the_session(tmp_path_factory):
    """With QA_VECTOR_STORE=milvus and no QA_MILVUS_URI (issue 18: the whole suite run on Milvus), one Milvus Lite
    server process on 127.0.0.1 serves every test, and the command lines the tests start."""
    if os.environ.get("QA_VECTOR_STORE") != "milvus" or os.environ.get("QA_MILVUS_URI"):
        yield None
        return
    from milvus_helpers import start_server

    server = start_server(tmp_path_factory)
    os.environ["QA_MILVUS_URI"] = server.uri
    try:
        yield server
    finally:
        os.environ.pop("QA_MILVUS_URI", None)
        server.stop()


@pytest.fixture
def hashing_embedder():
    from fakes import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A corpus directory holding fakes.TALKS_DOC as talks.md."""
    from fakes import TALKS_DOC

    directory = tmp_path / "corpus"
    directory.mkdir()
    (directory / "talks.md").write_text(TALKS_DOC)
    return directory


@pytest.fixture
def article_corpus(tmp_path) -> Path:
    """A private copy of the default corpus that a test may modify."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    return corpus


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory):
    """Default settings with a private index dir but the shared (repo) model weight cache."""
    from index.settings import Settings

    data_dir = tmp_path_factory.mktemp("qa-data")
    # reuse converted generator weights across test runs: converting the GGUF takes ~15 s
    models = ROOT / ".qa-data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    (data_dir / "models").symlink_to(models, target_is_directory=True)
    return Settings.from_env(data_dir=data_dir)


@pytest.fixture(scope="session")
def real_assistant(real_settings):
    """The real default pipeline (MiniLM + SmolLM2) on the article, loaded once per test session."""
    from qa import Assistant

    assistant = Assistant.from_corpus(ROOT / "corpus", real_settings, show_progress=False)
    assistant.generator.load()
    return assistant


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (installed with apt-get when missing), for the browser tests."""
    from ui_helpers import CHROMIUM_ARGS, ensure_chromium

    try:
        executable = ensure_chromium()
    except RuntimeError as exc:
        pytest.fail(f"the browser tests need Debian's chromium: {exc}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_addoption(parser):
    """`--heavy`: the long reliability runs (300 kills, 500-question soak, more generated inputs)."""
    parser.addoption("--heavy", action="store_true", default=False,
                     help="run the reliability suite at its heavy sizes (see docs/RELIABILITY.md)")


@pytest.fixture(scope="session")
def heavy(request) -> bool:
    """Whether the reliability suite runs at its heavy sizes (--heavy)."""
    return bool(request.config.getoption("--heavy"))
