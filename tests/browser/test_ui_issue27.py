"""Issue 27 in a real browser: `python -m ui` on a fresh data directory (the sample article), one test per point,
each screenshotted to test-artifacts/issue27-*.png."""

from __future__ import annotations

import re
import time

import pytest

from common import ROOT
from ui_helpers import ui_process

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ARTIFACTS = ROOT / "test-artifacts"
BOT, USER = "#qa-chat .message.bot", "#qa-chat .message.user"
ABSTAIN = "The documents do not contain an answer to this question."
POLICY = ("# Northgate Veterinary Group: Home Working Policy\n\nThis policy sets out how staff at Northgate "
          "Veterinary Group may work from home.\n\n## Eligibility\n\nReception and accounts staff may work from home "
          "up to two days a week once their line manager agrees in writing. Clinical staff work on site.\n\n"
          "## Equipment\n\nThe practice lends each home worker a laptop and a headset, which stay the property of "
          "Northgate Veterinary Group.\n\n## Data protection\n\nClient records must never be printed at home, and "
          "the laptop must be locked whenever it is left unattended.\n")


@pytest.fixture(scope="module")
def server(real_settings, tmp_path_factory):
    """`python -m ui --port P` on a fresh data directory (its corpus: a copy of the sample article)."""
    data_dir = tmp_path_factory.mktemp("qa-data-issue27")
    (data_dir / "models").symlink_to(real_settings.data_dir / "models", target_is_directory=True)
    log = tmp_path_factory.mktemp("ui-log") / "ui.log"
    with ui_process([], data_dir, log, ROOT, unset=("QA_UI_AUTH", "QA_CORPUS_DIR")) as (url, _):
        yield url, data_dir


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(90_000)
    page.goto(server[0])
    page.wait_for_selector("#qa-question textarea")
    yield page
    page.close()


def ask(page, question: str | None = None) -> str:
    """Type a question (None: ask what the box holds), Ask, wait for its sources; the answer's text."""
    turn = page.locator(USER).count() + 1
    if question is not None:
        page.fill("#qa-question textarea", question)
    page.click("#qa-send")
    page.wait_for_selector(f'#qa-sources [data-turn="{turn}"]')
    return page.locator(BOT).last.inner_text().strip()


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"issue27-{name}.png"), full_page=full_page)


def examples_offered(page) -> list[str]:
    buttons = page.locator("#qa-examples button")
    buttons.first.wait_for(state="visible")
    return [buttons.nth(i).inner_text().strip() for i in range(buttons.count())]


def document_text(data_dir, name: str) -> str:
    from index.markup import to_plain

    return " ".join(to_plain((data_dir / "corpus" / name).read_text(encoding="utf-8")).split())


def test_1_labels_say_whether_a_passage_gives_the_answer(page):
    ask(page, "Who wrote the article?")
    cards = page.locator("#qa-sources .qa-source")
    labels = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        label = card.locator(".qa-relevance")
        text, title = label.inner_text(), label.get_attribute("title")
        labels[card.get_attribute("data-marker")] = text
        if "qa-cited" in card.get_attribute("class"):
            assert text == "gives the answer" and "The answer is found in this passage" in title
        else:
            assert text in ("related, not used", "partly related, not used", "unrelated", "page links and notices")
            assert title.startswith("Not used by the answer")
        if "Copyright" in card.inner_text() and "qa-uncited" in card.get_attribute("class"):
            assert text == "page links and notices"  # the footer is not called a match
    print(labels)
    assert "gives the answer" in labels.values() and "match" not in page.locator("#qa-sources").inner_text()
    page.locator("#qa-sources .qa-uncited .qa-relevance").first.hover()
    shot(page, "1-source-labels")


def test_2_every_example_question_offered_is_answered_for_the_article_and_an_upload(page, server, tmp_path):
    offered = examples_offered(page)
    assert 1 <= len(offered) <= 4 and not any("Towards" in q for q in offered)  # no heading posing as a question
    assert all(q.endswith("?") and "..." not in q and "…" not in q for q in offered)  # whole questions, not cut
    for i, question in enumerate(offered):
        page.locator("#qa-examples button").nth(i).click()
        page.wait_for_function("(q) => document.querySelector('#qa-question textarea').value === q", arg=question)
        answer = ask(page)
        print(f"{question} -> {answer[:100]}")
        assert answer != ABSTAIN and page.locator(BOT).last.locator(".qa-abstain").count() == 0
    shot(page, "2a-article-examples-answered")

    policy = tmp_path / "home-working-policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.set_input_files("#qa-upload input[type=file]", str(policy))
    page.locator("#qa-upload-status").get_by_text("Added and indexed").wait_for()
    page.wait_for_function("(before) => { const b = document.querySelector('#qa-examples button');"
                           " return b && b.offsetParent !== null && b.innerText.trim() !== before; }", arg=offered[0])
    offered = examples_offered(page)
    print("offered after the upload:", offered)
    assert all(q.endswith("?") and "..." not in q for q in offered)
    assert any("Northgate" in q or "home" in q.lower() or "laptop" in q.lower() for q in offered), offered
    page.get_by_role("tab", name="Sources").click()
    page.click("#qa-clear")
    for i, question in enumerate(offered):
        page.locator("#qa-examples button").nth(i).click()
        page.wait_for_function("(q) => document.querySelector('#qa-question textarea').value === q", arg=question)
        answer = ask(page)
        print(f"{question} -> {answer[:100]}")
        assert answer != ABSTAIN and page.locator(BOT).last.locator(".qa-abstain").count() == 0
        assert not answer.startswith("“Northgate Veterinary Group: Home Working")  # never the title as the answer
    shot(page, "2b-upload-examples-answered")


@pytest.mark.xfail(strict=True, reason="issue 25 not met: the span reader (1,900 steps; the 4-6 epoch average of session 18 too) abstains on or misreads this question (docs/EVALUATION.md, sessions 12-13, 18)")
def test_3_a_citation_marker_brings_its_source_card_into_view_marked(page):
    ask(page, "Why did relations hit a nadir?")
    ask(page, "What is said about the European Union?")
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("tab", name="Corpus").click()  # the marker brings the Sources tab back too
    badge = page.locator(BOT).last.locator(".qa-cite").last
    marker = re.search(r"qa-marker-(\d+)", badge.get_attribute("class")).group(1)
    badge.click()
    card = page.locator(f'#qa-sources [data-turn="2"] .qa-source[data-marker="{marker}"]')
    page.wait_for_function("(m) => { const c = document.querySelector(`#qa-sources .qa-source[data-marker='${m}']`);"
                           " if (!c || !c.classList.contains('qa-marked')) return false;"
                           " const r = c.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
                           arg=marker)
    assert page.locator("#qa-sources .qa-marked").count() == 1 and "qa-marked" in card.get_attribute("class")
    shot(page, "3a-marker-marks-card", full_page=False)

    first = page.locator(BOT).first.locator(".qa-cite").first  # a marker of the earlier answer
    first.click()
    page.wait_for_selector('#qa-sources [data-turn="1"] .qa-source.qa-marked')
    marked = page.locator("#qa-sources .qa-marked")
    assert f'qa-marker-{marked.get_attribute("data-marker")}' in first.get_attribute("class")
    assert "downing of a Russian jet" in marked.inner_text()
    shot(page, "3b-earlier-answer-marker", full_page=False)


def test_4_abstention_is_one_plain_sentence(page):
    answer = ask(page, "What is the boiling point of mercury?")
    assert answer == ABSTAIN  # said once: no "Not found in the documents." before it, nothing after it
    assert page.locator("#qa-sources .qa-abstain-banner").inner_text().endswith("none answers the question.")
    shot(page, "4-abstention")


def test_5_quotes_are_shown_exactly_as_in_the_document(page, server):
    text = document_text(server[1], "russia-turkey-rapprochement.md")
    for question in ("What did Peskov say about the agenda?",
                     "What did Medvedev tell his Turkish counterpart about economic relations?"):
        answer = ask(page, question)
        quotes = re.findall(r"\u201c(.*?)\u201d(?= \[\d+\]|$)", answer)
        assert quotes, answer
        for quoted in quotes:
            assert " ".join(quoted.split()) in text, quoted  # word for word, quotation marks included
            assert not re.search(r"\(\d+\)[.,]?$", quoted)  # no note reference left at the end
        assert "\u2018" not in answer and "\u2019" not in answer.replace("Putin\u2019s", "")
    assert '"as extensive as possible."' in page.locator(BOT).first.inner_text()
    shot(page, "5-quotes-exact")


def test_6_pdf_document_view_has_no_boxes_around_lines(page, tmp_path):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "ferry.pdf"))
    lines = ["The harbour ferry leaves the north pier every twenty minutes", "from six in the morning until",
             "midnight, and a night boat runs hourly", "on Fridays and Saturdays.", "Tickets are sold on board",
             "and at the pier kiosk."]
    for n, line in enumerate(lines):
        pdf.drawString(72, 720 - 16 * n, line)
    pdf.showPage()
    pdf.drawString(72, 720, "Bicycles travel free outside the morning rush hour.")
    pdf.save()
    page.get_by_role("tab", name="Corpus").click()
    page.set_input_files("#qa-upload input[type=file]", str(tmp_path / "ferry.pdf"))
    page.locator("#qa-upload-status").get_by_text("Added and indexed: ferry.pdf").wait_for()
    page.get_by_role("tab", name="Sources").click()
    ask(page, "How often does the harbour ferry leave the north pier?")
    page.locator("#qa-sources .qa-cited button.qa-open").first.click()
    focus = page.locator("#qa-document #qa-focus")
    focus.wait_for(state="visible")
    assert "twenty minutes" in focus.inner_text()
    boxed = page.evaluate("""() => [...document.querySelectorAll('#qa-document .qa-doc-text, #qa-document .qa-doc-text *')]
      .slice(1).map((el) => getComputedStyle(el))
      .filter((s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                     || ['Top', 'Right', 'Bottom', 'Left'].some((e) => parseFloat(s['border' + e + 'Width']) > 0))
      .length""")
    assert boxed == 0  # no element inside the text draws a line around (every line of) its text
    assert page.evaluate("getComputedStyle(document.querySelector('#qa-focus')).backgroundColor") != "rgba(0, 0, 0, 0)"
    shot(page, "6-pdf-document-view")


def test_7_chat_pane_uses_the_height_of_the_page(browser, server):
    heights = {}
    for height in (800, 1300):
        page = browser.new_page(viewport={"width": 1400, "height": height})
        page.goto(server[0])
        page.wait_for_selector("#qa-question textarea")
        examples_offered(page)
        time.sleep(0.5)
        chat = page.locator("#qa-chat").bounding_box()
        bottom = page.evaluate("Math.max(...[...document.querySelectorAll('#qa-clear, #qa-settings')]"
                               ".map((el) => el.getBoundingClientRect().bottom))")
        heights[height] = chat["height"]
        print(height, chat, bottom)
        assert bottom <= height + 5  # the question box, examples and settings are on the page without scrolling
        assert height - bottom < 160  # and the chat takes the room below it rather than leaving it empty
        if height == 1300:
            for question in ("Why did relations hit a nadir?", "Who wrote the article?", "What did Putin say?"):
                ask(page, question)
            shot(page, "7-chat-fills-page", full_page=False)
        page.close()
    assert heights[1300] - heights[800] >= 450  # the extra height goes to the chat
