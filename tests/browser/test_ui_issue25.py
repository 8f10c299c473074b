"""Issue 25 in a real browser: the direct answer in bold first, the model's checked sentence and the quote after it,
the span highlighted in its source card, a follow-up "Why?", an abstention on a tempting question, and an uploaded
document of a user's own; each screenshotted to test-artifacts/issue25-*.png."""

from __future__ import annotations

import pytest

from common import ROOT
from ui_helpers import ui_process

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ARTIFACTS = ROOT / "test-artifacts"
BOT, USER = "#qa-chat .message.bot", "#qa-chat .message.user"
ABSTAIN = "The documents do not contain an answer to this question."
CLINIC = ("# Harbourside Dental Clinic: Opening Hours and Fees\n\nHarbourside Dental Clinic is run by Dr. Amara "
          "Okafor, its principal dentist.\n\n## Opening hours\n\nThe clinic opens at eight in the morning and closes "
          "at six in the evening, Monday to Friday. On Saturdays it opens only for emergencies.\n\n## Fees\n\nA "
          "check-up costs forty-five pounds. Children under sixteen are seen free of charge.\n")


@pytest.fixture(scope="module")
def server(real_settings, tmp_path_factory):
    """`python -m ui --port P` on a fresh data directory (its corpus: a copy of the sample article)."""
    data_dir = tmp_path_factory.mktemp("qa-data-issue25")
    (data_dir / "models").symlink_to(real_settings.data_dir / "models", target_is_directory=True)
    log = tmp_path_factory.mktemp("ui-log") / "ui.log"
    with ui_process([], data_dir, log, ROOT, unset=("QA_UI_AUTH", "QA_CORPUS_DIR")) as (url, _):
        yield url, data_dir


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(server[0])
    page.wait_for_selector("#qa-question textarea")
    yield page
    page.close()


def ask(page, question: str) -> str:
    """Type a question, Ask, wait for the answer's sources; the answer's text."""
    turn = page.locator(USER).count() + 1
    page.fill("#qa-question textarea", question)
    page.click("#qa-send")
    page.wait_for_selector(f'#qa-sources [data-turn="{turn}"]')
    return page.locator(BOT).last.inner_text()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"issue25-{name}.png"), full_page=True)


def test_the_direct_answer_comes_first_in_bold_and_is_marked_in_its_source(page):
    text = ask(page, "Who is Putin's spokesman?")
    direct = page.locator(f"{BOT} .qa-direct").last
    assert direct.inner_text().startswith("Dmitry Peskov"), text
    assert text.index("Dmitry Peskov") < text.index("\u201c")  # the direct answer before the quote
    page.get_by_role("tab", name="Sources").click()
    assert page.locator("#qa-sources mark.qa-answer-span").first.inner_text() == "Dmitry Peskov"
    # the sentence's highlight is cut around the span's mark inside it
    assert "Peskov" in " ".join(page.locator("#qa-sources mark.qa-support").all_inner_texts())
    shot(page, "direct-answer")


def test_why_after_a_question_is_answered_with_the_reason_not_the_previous_answer(page):
    first = ask(page, "Is Turkey moving away from NATO?")
    second = ask(page, "Why?")
    shot(page, "follow-up-why")
    assert ABSTAIN not in second, second
    assert second.split("\n")[0] != first.split("\n")[0]  # not the previous direct answer again


def test_a_tempting_question_is_abstained_on(page):
    text = ask(page, "Which Turkish pilot shot down the Russian jet?")
    shot(page, "abstention")
    assert ABSTAIN in text


@pytest.mark.xfail(strict=True, reason="issue 25 not met: the reader of session 18 answers the tempting 'How much does a "
                   "filling cost?' with the check-up's price, 'forty-five pounds' (docs/EVALUATION.md, session 18)")
def test_an_uploaded_document_is_answered_from(page, tmp_path):
    clinic = tmp_path / "harbourside-clinic.md"
    clinic.write_text(CLINIC, encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.set_input_files("#qa-upload input[type=file]", str(clinic))
    page.wait_for_selector("text=harbourside-clinic.md", timeout=180_000)
    page.get_by_role("tab", name="Sources").click()
    text = ask(page, "Who runs Harbourside Dental Clinic?")
    shot(page, "uploaded-document")
    assert "Amara Okafor" in text, text
    not_there = ask(page, "How much does a filling cost at Harbourside?")
    shot(page, "uploaded-document-unanswerable")
    assert ABSTAIN in not_there, not_there


def test_a_compound_question_gets_both_answers_each_with_its_quote_highlighted(page):
    text = ask(page, "How is Russia positioning itself in the region, and what position is it close to attaining?")
    direct = page.locator(f"{BOT} .qa-direct").last.inner_text()
    assert "leading mediator or power broker" in direct and "dominant" in direct, text
    assert text.count("\u201c") == 2  # a quote for each part
    page.get_by_role("tab", name="Sources").click()
    supports = " ".join(page.locator("#qa-sources mark.qa-support").all_inner_texts())
    assert "positioning itself" in supports and "on the verge of attaining" in supports
    spans = page.locator("#qa-sources mark.qa-answer-span").all_inner_texts()
    assert spans[0] == "as the leading mediator or power broker" and spans[1].startswith("dominant")
    shot(page, "compound")


def test_a_compound_question_answered_in_part_says_which_part_the_documents_do_not_answer(page):
    text = ask(page, "Which weapon system does Turkey want to buy from Russia, and what was its price?")
    assert page.locator(f"{BOT} .qa-direct").last.inner_text().startswith("S-400"), text
    assert "The documents do not contain an answer to \u201cWhat was" in text and "price?\u201d" in text
    shot(page, "compound-in-part")
