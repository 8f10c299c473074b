"""Real-browser end-to-end test: `python -m ui` on a free port, driven with Playwright and Debian's chromium."""

from __future__ import annotations

import json
import os
import statistics
import time

import pytest

from common import ROOT
from ui_helpers import ui_process

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "Why did relations hit a nadir?"
JET = "downing of a Russian jet"
BOT = "#qa-chat .message.bot"
# the first streamed text in the newest bot message (the "Searching…" placeholder does not count)
FIRST_TOKEN_JS = """(n) => {
  const bots = document.querySelectorAll('#qa-chat .message.bot');
  if (bots.length <= n) return false;
  const last = bots[bots.length - 1];
  return !last.querySelector('.qa-thinking') && last.innerText.trim().length > 0;
}"""


@pytest.fixture(scope="module")
def app_url(real_settings, tmp_path_factory):
    """`python -m ui` serving the default corpus (read only here: nothing is uploaded) on a free port."""
    log = tmp_path_factory.mktemp("ui-log") / "ui.log"
    with ui_process(["--corpus", str(ROOT / "corpus")], real_settings.data_dir, log, ROOT) as (url, _):
        yield url


@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(90_000)
    page.goto(app_url)
    page.wait_for_selector("#qa-question textarea")
    yield page
    page.close()


def ask(page, question: str | None, turn: int) -> float:
    """Ask (typing the question, or clicking Ask on what is there); seconds to the first streamed token."""
    count = page.locator(BOT).count()
    if question is not None:
        page.fill("#qa-question textarea", question)
    started = time.perf_counter()
    page.click("#qa-send")
    page.wait_for_function(FIRST_TOKEN_JS, arg=count, polling="raf")
    first_token = time.perf_counter() - started
    page.wait_for_selector(f'#qa-sources [data-turn="{turn}"]')
    return first_token


def test_chat_sources_document_follow_up_abstention_in_the_browser(page):
    ARTIFACTS.mkdir(exist_ok=True)
    ask(page, QUESTION, 1)
    answer = page.locator(BOT).last.inner_text()
    assert "jet" in answer.lower() and "do not contain" not in answer
    jet_card = page.locator("#qa-sources .qa-source", has_text=JET)
    assert jet_card.count() == 1 and jet_card.is_visible()
    marker = jet_card.get_attribute("data-marker")
    assert "qa-cited" in jet_card.get_attribute("class")  # the answer cites the passage about the jet...
    assert f"[{marker}]" in answer  # ...with its [n] marker shown in the chat
    assert jet_card.locator("mark.qa-support").count() >= 1  # and its supporting sentence is highlighted
    assert "gives the answer" in jet_card.inner_text() and "russia-turkey-rapprochement.md" in jet_card.inner_text()
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)

    jet_card.locator("button.qa-open").click()
    focus = page.locator("#qa-document #qa-focus")
    focus.wait_for(state="visible")
    assert JET in focus.inner_text()
    page.wait_for_function("""() => {  // the highlighted passage is scrolled into the document box's view
      const box = document.querySelector('#qa-document .qa-doc-text').getBoundingClientRect();
      const mark = document.querySelector('#qa-focus').getBoundingClientRect();
      return mark.top >= box.top && mark.top < box.bottom - 20;
    }""")
    page.screenshot(path=str(ARTIFACTS / "ui-document.png"), full_page=True)

    page.get_by_role("tab", name="Sources").click()
    ask(page, "Why?", 2)
    assert page.locator(BOT).count() == 2 and page.locator(BOT).last.inner_text().strip()
    assert page.locator("#qa-sources .qa-source", has_text=JET).count() == 1  # read with the first question
    page.screenshot(path=str(ARTIFACTS / "ui-follow-up.png"), full_page=True)

    ask(page, "What is the boiling point of mercury?", 3)
    assert page.locator(BOT).last.locator(".qa-abstain").count() == 1
    banner = page.locator("#qa-sources .qa-abstain-banner")
    assert "none answers the question" in banner.inner_text()
    assert page.locator("#qa-sources .qa-source").count() >= 1  # what was searched is still shown
    page.screenshot(path=str(ARTIFACTS / "ui-abstain.png"), full_page=True)

    page.fill("#qa-question textarea", "   ")
    page.click("#qa-send")
    page.locator("#qa-notice").get_by_text("Please type a question first.").wait_for(state="visible")
    assert page.locator(BOT).count() == 3

    page.click("#qa-clear")
    page.wait_for_selector('#qa-sources [data-turn="0"]')
    assert page.locator(BOT).count() == 0


def test_corpus_and_settings_panels(page):
    page.get_by_role("tab", name="Corpus").click()
    corpus = page.locator("#qa-corpus")
    corpus.get_by_text("russia-turkey-rapprochement.md").wait_for()
    assert "all-MiniLM-L6-v2" in corpus.inner_text() and "SmolLM2" in corpus.inner_text()
    assert not page.locator("#qa-top-k").is_visible()  # settings are collapsed by default
    page.get_by_text("Settings", exact=True).click()
    page.locator("#qa-top-k").wait_for(state="visible")
    page.screenshot(path=str(ARTIFACTS / "ui-corpus-settings.png"), full_page=True)


def test_time_to_first_token_for_the_example_question(browser, app_url):
    """Click an example question, type the reference question over it (comparable across corpora and sessions)
    and Ask; QA_UI_TTFT_RUNS fresh sessions (default 1), median kept in a file."""
    runs = int(os.environ.get("QA_UI_TTFT_RUNS", "1"))
    times = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        example = page.locator("#qa-examples button").first
        example.click()  # an example fills the textbox
        page.wait_for_function("() => document.querySelector('#qa-question textarea').value.endsWith('?')")
        times.append(ask(page, QUESTION, 1))
        page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ttft.json").write_text(json.dumps(
        {"question": QUESTION, "runs_s": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3)},
        indent=2))
    assert statistics.median(times) < 30
