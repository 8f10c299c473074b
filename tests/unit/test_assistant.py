"""Assistant.ask_stream with the fake models: abstention and its reasons, streamed markers, follow-ups, refresh."""

from __future__ import annotations

import pytest

from fakes import TALKS_DOC, HashingEmbedder, OverlapJudge, ScriptedGenerator
from index.markup import to_plain
from qa import ABSTAIN_MESSAGE, Answer, Assistant, QuestionError, Settings
from qa.assistant import abstain_reason
from qa.evidence import Evidence



def make(corpus, tmp_path, reply="Putin met Erdogan in Moscow on March 10th [1].", judge=None, settings=None,
         **kwargs):
    generator = ScriptedGenerator(reply)
    settings = settings or Settings(data_dir=tmp_path / "data", reader=False, model_sentences=True)
    assistant = Assistant.from_corpus(corpus, settings, embedder=HashingEmbedder(), generator=generator,
                                      judge=judge, show_progress=False)
    if kwargs:
        assistant = Assistant(assistant.store, assistant.embedder, generator, assistant.settings, judge=judge,
                              corpus_dir=corpus, **kwargs)
    return assistant, generator


def stream(assistant, question, **kwargs) -> tuple[list[str], Answer]:
    items = list(assistant.ask_stream(question, **kwargs))
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    assert "".join(items[:-1]) == items[-1].text  # only checked text is streamed: the pieces are the answer
    return items[:-1], items[-1]


def test_an_unrelated_question_is_abstained_on_without_calling_the_generator(corpus, tmp_path):
    assistant, generator = make(corpus, tmp_path)
    pieces, answer = stream(assistant, "Which composer wrote the Goldberg variations?")
    assert pieces == [ABSTAIN_MESSAGE] and answer.abstained and answer.text == ABSTAIN_MESSAGE
    assert answer.citations == [] and answer.passages and generator.calls == []


def test_abstain_reason_names_weak_evidence_and_a_missing_kind_of_answer():
    strong = Evidence(1, "Putin met Erdogan in Moscow on a warm day.", "a.md", 0, 42, 0.9)
    assert abstain_reason("Where did Putin meet Erdogan?", [strong], 0.5) is None
    assert abstain_reason("Where did Putin meet Erdogan?", [strong], 0.95) == "no passage is relevant enough"
    assert abstain_reason("Where?", [], 0.5) == "no passage is relevant enough"
    assert "asks for a number" in abstain_reason("How many jets did Putin sell?", [strong], 0.5)
    assert "asks for a date" in abstain_reason("When did Putin meet Erdogan?", [strong], 0.5)


def test_the_quote_streams_first_then_only_a_checked_model_sentence(corpus, tmp_path):
    assistant, generator = make(corpus, tmp_path, reply="Putin met Erdogan in Moscow [1] [7]. Then they flew to Mars [1].")
    pieces, answer = stream(assistant, "Where did Putin meet Erdogan?")
    shown = "".join(pieces)
    assert pieces[0].startswith("\u201cPutin met Erdogan in Moscow") and pieces[0].endswith("[1]")
    assert len(generator.calls) == 1 and "[7]" not in shown and "” [1] Putin met Erdogan in Moscow [1]." in shown
    assert "Mars" not in shown  # generation stops after the first sentence; only one of the model's is shown
    assert not answer.abstained and "Moscow" in answer.text and answer.citations
    for citation in answer.citations:
        assert f"[{citation.marker}]" in answer.text
        # start/end index the plain text; source_start/source_end the Markdown file, markup included
        assert to_plain(TALKS_DOC)[citation.start:citation.end] == citation.text
        assert " ".join(TALKS_DOC[citation.source_start:citation.source_end].split()) == "# " + " ".join(citation.text.split())
    for record in answer.to_json()["citations"]:
        assert set(record) == {"marker", "source", "text", "start", "end", "score", "source_start", "source_end"}
        assert (record["source_start"], record["source_end"]) == (0, len(TALKS_DOC.rstrip()))
    assert answer.timings["total_s"] >= answer.timings["first_token_s"] >= answer.timings["retrieval_s"] >= 0


def test_an_unsupported_model_sentence_is_never_streamed(corpus, tmp_path):
    assistant, _ = make(corpus, tmp_path, reply="Putin met Erdogan in Paris in 1999 [1].")
    pieces, answer = stream(assistant, "Where did Putin meet Erdogan?")
    assert len(pieces) == 1 and "Paris" not in answer.text and answer.text.startswith("\u201c")


def test_a_follow_up_is_searched_and_prompted_with_the_previous_question(corpus, tmp_path):
    queries = []

    class RecordingRetriever:
        def __init__(self, store):
            self.store = store

        def retrieve(self, query, k):
            queries.append(query)
            return [p.with_score(0.5) for p in self.store.passages[:k]]

    assistant, generator = make(corpus, tmp_path, make_retriever=RecordingRetriever)
    history = [("What does Turkey want to buy from Russia?", "The S-400 system [1].")]
    stream(assistant, "Who sells it?", history=history)
    assert queries == ["What does Turkey want to buy from Russia? Who sells it?"]
    prompt = generator.calls[-1][-1]["content"]
    assert "(This follows the question: What does Turkey want to buy from Russia?)" in prompt
    stream(assistant, "Where did Putin meet Erdogan?", history=history)  # not a follow-up: searched alone
    assert queries[-1] == "Where did Putin meet Erdogan?"


def test_refresh_gives_a_custom_retriever_the_new_store(corpus, tmp_path):
    made = []

    def make_retriever(store):
        made.append(store)
        return type("Fixed", (), {"retrieve": lambda self, query, k: list(store.passages[:k])})()

    assistant, _ = make(corpus, tmp_path, make_retriever=make_retriever)
    (corpus / "more.md").write_text("# Gas\n\nRussia sells gas to Turkey through the TurkStream pipeline.\n")
    assistant.refresh()
    assert len(made) == 2 and made[-1] is assistant.store and "more.md" in made[-1].documents
    assert any(p.source == "more.md" for p in assistant.retrieve("gas pipeline", top_k=10))


@pytest.mark.parametrize("question, reason", [("", QuestionError.EMPTY), (" \n\t", QuestionError.EMPTY),
                                              (42, QuestionError.NOT_TEXT), ("why " * 600, QuestionError.TOO_LONG)])
def test_bad_questions_are_refused_with_a_reason_before_retrieval(corpus, tmp_path, question, reason):
    assistant, generator = make(corpus, tmp_path)
    with pytest.raises(QuestionError) as refused:
        assistant.ask(question)
    assert refused.value.reason == reason and generator.calls == []
    if reason == QuestionError.TOO_LONG:
        assert (refused.value.length, refused.value.limit) == (len(question.strip()), 2000)
    assert isinstance(refused.value, ValueError)  # callers that catch ValueError keep working


def test_top_k_below_one_is_refused(corpus, tmp_path):
    assistant, _ = make(corpus, tmp_path)
    with pytest.raises(ValueError, match="top_k"):
        assistant.ask("Where did Putin meet Erdogan?", top_k=0)


def test_the_judge_ranks_the_evidence_and_abstains_when_nothing_is_likely_to_answer(corpus, tmp_path):
    judge = OverlapJudge()
    settings = Settings(data_dir=tmp_path / "data", min_evidence_score=0.0, min_answer_probability=0.6,
                        model_sentences=True)
    assistant, generator = make(corpus, tmp_path, judge=judge, settings=settings)
    _, answer = stream(assistant, "What does Turkey want to buy from Russia?")
    assert judge.questions == ["What does Turkey want to buy from Russia?"] and not answer.abstained
    assert "S-400" in answer.text and answer.timings["answer_probability"] >= 0.6
    # every word of this question is in the document, but no single sentence holds most of them
    _, answer = stream(assistant, "Did Putin buy bananas in March?")
    assert answer.abstained and generator.calls and len(generator.calls) == 1
    assert answer.timings["answer_probability"] < 0.6


def test_the_reader_is_the_judge_when_the_setting_is_on(corpus, tmp_path):
    from qa.reader import Reader

    on = Assistant.from_corpus(corpus, Settings(data_dir=tmp_path / "data", reader=True), embedder=HashingEmbedder(),
                               generator=ScriptedGenerator(), show_progress=False)
    assert isinstance(on.judge, Reader)
    off, _ = make(corpus, tmp_path)
    assert off.judge is None


def test_by_default_the_answer_is_the_checked_quotes_and_the_generator_is_never_called(corpus, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", reader=False)
    assistant, generator = make(corpus, tmp_path, settings=settings)
    pieces, answer = stream(assistant, "Where did Putin meet Erdogan?")
    assert generator.calls == [] and not answer.abstained
    assert "".join(pieces) == answer.text and answer.text.startswith("\u201cPutin met Erdogan in Moscow")
    assert all(s.text.startswith("\u201c") for s in answer.sentences)
