"""Upload validation and ingestion without real models: good files indexed, bad ones refused, failures rolled back."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import UploadError, add_uploads, safe_name, validate_upload


@pytest.fixture
def fake_assistant(article_corpus, tmp_path, hashing_embedder):
    from fakes import ScriptedGenerator, ScriptedReader

    from qa import Assistant, Settings

    settings = Settings(data_dir=tmp_path / "data", model_sentences=True)
    return Assistant.from_corpus(article_corpus, settings, embedder=hashing_embedder,
                                 generator=ScriptedGenerator(), show_progress=False,
                                 reader=ScriptedReader({"Why did relations hit a nadir?": "The downing of a Russian jet"}))


def _index_state(assistant) -> tuple:
    index_dir = assistant.settings.index_dir_for(assistant.corpus_dir)
    return ((index_dir / "CURRENT").read_text(), sorted(p.name for p in assistant.corpus_dir.iterdir()),
            sorted(assistant.store.documents))


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_safe_name_strips_directories_and_odd_characters():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\me\\My Notes (1).md") == "My_Notes_1_.md"
    assert safe_name(".hidden.md") == "hidden.md"
    with pytest.raises(UploadError):
        safe_name("../...")


@pytest.mark.parametrize("name, data, message", [
    ("notes.exe", b"MZ....", "unsupported file type .exe"),
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"abc\x00\x01\x02", "binary"),
    ("latin1.md", "caf\xe9".encode("latin-1"), "not valid UTF-8"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
    ("broken.docx", b"PK\x03\x04 not a Word document", "unreadable Word document"),
])
def test_validate_upload_refuses_bad_files_with_a_clear_message(tmp_path, name, data, message):
    with pytest.raises(UploadError, match=message):
        validate_upload(_write(tmp_path, name, data), name)


def test_validate_upload_enforces_the_size_limit(tmp_path):
    path = _write(tmp_path, "big.txt", "word " * 300)
    with pytest.raises(UploadError, match="limit is"):
        validate_upload(path, "big.txt", max_bytes=1000)
    assert validate_upload(path, "big.txt", max_bytes=2000) == "big.txt"


def test_add_uploads_indexes_good_files_and_reports_rejected_ones(fake_assistant, tmp_path):
    good = _write(tmp_path, "kittens.md", "# Kittens\n\nKittens sleep about sixteen hours a day.")
    bad = _write(tmp_path, "virus.exe", b"MZ")
    result = add_uploads(fake_assistant, [(good, "kittens.md"), (bad, "virus.exe")])
    assert result.added == ["kittens.md"] and result.rejected[0][0] == "virus.exe"
    assert "kittens.md" in fake_assistant.store.documents
    assert (fake_assistant.corpus_dir / "kittens.md").exists()
    assert not (fake_assistant.corpus_dir / "virus.exe").exists()
    passages = fake_assistant.retrieve("How long do kittens sleep?")
    assert passages[0].source == "kittens.md"
    assert "Added and indexed:** kittens.md" in result.message() and "Rejected virus.exe:**" in result.message()


def test_a_word_document_is_uploaded_and_indexed(fake_assistant, tmp_path):
    """Session 24: a .docx was refused as an unsupported file type."""
    import docx

    document = docx.Document()
    document.add_heading("Volunteer guide", 0)
    document.add_paragraph("Volunteers collect their lanyards from the tent on the quay.")
    path = tmp_path / "incoming" / "guide.docx"
    path.parent.mkdir(exist_ok=True)
    document.save(str(path))
    result = add_uploads(fake_assistant, [(path, "guide.docx")])
    assert result.added == ["guide.docx"] and "guide.docx" in fake_assistant.store.documents
    assert fake_assistant.retrieve("Where do volunteers collect their lanyards?")[0].source == "guide.docx"


def test_rejected_upload_and_duplicate_name_leave_index_untouched(fake_assistant, tmp_path):
    before = _index_state(fake_assistant)
    bad = _write(tmp_path, "bad.txt", b"\x00\x00binary")
    duplicate = _write(tmp_path, "russia-turkey-rapprochement.md", "# Other\n\nA different text.")
    result = add_uploads(fake_assistant, [(bad, "bad.txt"), (duplicate, "russia-turkey-rapprochement.md")])
    assert result.added == [] and len(result.rejected) == 2
    assert "already in the corpus" in result.rejected[1][1]
    assert _index_state(fake_assistant) == before


def test_failed_indexing_removes_the_copied_file_and_keeps_the_index(fake_assistant, tmp_path, monkeypatch):
    before = _index_state(fake_assistant)
    store = fake_assistant.store

    def broken_embed(texts, show_progress=False):
        raise RuntimeError("embedder crashed")

    monkeypatch.setattr(fake_assistant.embedder, "embed", broken_embed)
    good = _write(tmp_path, "kittens.md", "# Kittens\n\nKittens sleep about sixteen hours a day.")
    result = add_uploads(fake_assistant, [(good, "kittens.md")])
    assert result.added == [] and "embedder crashed" in result.error
    assert "left unchanged" in result.message()
    assert _index_state(fake_assistant) == before and fake_assistant.store is store


def test_add_uploads_needs_a_corpus_directory(fake_assistant, tmp_path):
    fake_assistant.corpus_dir = None
    with pytest.raises(UploadError):
        add_uploads(fake_assistant, [(_write(tmp_path, "a.txt", "text"), "a.txt")])


def test_a_failing_answer_is_reported_in_the_chat_not_left_half_streamed(fake_assistant):
    from ui.handlers import Handlers

    def broken_stream(messages, max_new_tokens):
        yield "Relations "
        raise RuntimeError("model crashed")

    fake_assistant.generator.stream = broken_stream
    updates = list(Handlers(fake_assistant).respond("Why did relations hit a nadir?", [], [], 4))
    chat = updates[-1][0]
    assert chat[-1]["role"] == "assistant" and "model crashed" in chat[-1]["content"]
    assert "qa-error" in chat[-1]["content"]


def test_search_in_lists_uploads_and_limits_the_answer_to_the_documents_chosen(fake_assistant, tmp_path):
    from ui.handlers import Handlers

    handlers = Handlers(fake_assistant)
    article = "russia-turkey-rapprochement.md"
    assert handlers.scope().choices == [(article, article)]
    add_uploads(fake_assistant, [(_write(tmp_path, "kittens.md", "# Kittens\n\nKittens sleep sixteen hours."),
                                  "kittens.md")])
    scope = handlers.scope(["kittens.md", "gone.md"])  # after an upload: a document no longer indexed is unchosen
    assert [c[0] for c in scope.choices] == ["kittens.md", article] and scope.value == ["kittens.md"]
    question = "Why did relations hit a nadir?"  # the scripted reader answers it from the article only
    *_, last = handlers.respond(question, [], [], 4, ["kittens.md"])
    assert last[4].abstained and {p.source for p in last[4].passages} == {"kittens.md"}
    *_, last = handlers.respond(question, [], [], 4, [])  # none chosen: all documents
    assert not last[4].abstained and last[4].citations[0].source == article
    *_, last = handlers.respond(question, [], [], 4, ["gone.md"])
    import html

    notice = html.unescape(last[5])
    assert "no document named 'gone.md'" in notice and "Choose again under “Search in”" in notice
