"""The gradio Blocks app: layout and event wiring over qa.Assistant (see ui.handlers for the logic)."""

from pathlib import Path

from index.errors import SettingsError
from ui.handlers import Handlers
from ui.sources import sources_html
from ui import render
from ui.limits import LoginGuard, LoginRequired, RateLimiter
from ui.uploads import use_upload_dir

CSS_PATH = Path(__file__).with_name("style.css")
# Clicking "Open in document" on a source card sends the passage number to Python. Clicking an answer's [n]
# marker shows the Sources tab and brings card [n] into view, marked; for an earlier answer, Python first puts
# that answer's sources back in the panel (the card is marked once they are there).
SOURCES_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-open]');
  if (button) { trigger('click', {marker: button.dataset.open}); }
});
window.__qaTrigger = trigger;  // the latest: the panel may be mounted again when its tab is shown
if (!window.__qaCites) {
  window.__qaCites = true;
  const markCard = (cite) => {
    const panel = document.querySelector('#qa-sources');
    const card = panel && panel.querySelector(
      `.qa-sources-root[data-turn="${cite.turn}"] .qa-source[data-marker="${cite.marker}"]`);
    if (!card || !card.offsetParent) return false;
    panel.querySelectorAll('.qa-marked').forEach((other) => other.classList.remove('qa-marked'));
    card.classList.add('qa-marked');
    card.scrollIntoView({block: 'center'});
    window.__qaPendingCite = null;
    return true;
  };
  new MutationObserver(() => { if (window.__qaPendingCite) markCard(window.__qaPendingCite); })
    .observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-turn']});
  const showCite = (badge) => {
    const number = (name) => ([...badge.classList].find((c) => c.startsWith('qa-' + name + '-')) || '').split('-')[2];
    const cite = {turn: number('turn'), marker: number('marker')};
    const tab = [...document.querySelectorAll('#qa-tabs [role="tab"]')].find((t) => t.innerText.trim() === 'Sources');
    if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
    window.__qaPendingCite = cite;
    const attempt = (tries) => {
      if (!window.__qaPendingCite || markCard(cite)) return;
      const root = document.querySelector('#qa-sources .qa-sources-root');
      if (root && root.offsetParent && root.dataset.turn !== cite.turn) {
        window.__qaTrigger('click', {show: cite.turn});  // an earlier answer: its sources are put back first
      } else if (tries > 0) {
        setTimeout(() => attempt(tries - 1), 50);  // the Sources tab is still being shown
      }
    };
    setTimeout(() => attempt(40), 30);
  };
  document.addEventListener('click', (event) => {
    const badge = event.target.closest('#qa-chat .qa-cite');
    if (badge) showCite(badge);
  });
  document.addEventListener('keydown', (event) => {
    const badge = event.target.closest && event.target.closest('#qa-chat .qa-cite');
    if (badge && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); showCite(badge); }
  });
}
"""
# After the document view is shown, scroll its box so the highlighted passage is in view.
SCROLL_TO_PASSAGE_JS = """
() => {
  const scroll = (tries) => {
    const mark = document.querySelector('#qa-document #qa-focus');
    const box = document.querySelector('#qa-document .qa-doc-text');
    if (mark && box && box.clientHeight) {
      box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
    } else if (tries > 0) {
      setTimeout(() => scroll(tries - 1), 100);
    }
  };
  setTimeout(() => scroll(20), 50);
}
"""
MODEL_CONCURRENCY = "model"  # questions, API calls and uploads share one slot: served in turn


def build_app(assistant, upload_dir: Path | None = None):
    """The gradio Blocks for an Assistant (not launched); uploads go to `upload_dir` (see use_upload_dir)."""
    import gradio as gr

    use_upload_dir(assistant.settings, upload_dir)

    h = Handlers(assistant)
    settings = assistant.settings
    limiter = RateLimiter(settings.requests_per_minute)
    # delete_cache: uploaded temporary copies older than an hour are removed hourly
    with gr.Blocks(title="Document Q&A", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("## Ask your documents\nAnswers come only from the indexed documents and cite the passages "
                    "they use as [n]; check them in the sources panel.")
        turns = gr.State([])
        last_answer = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                # latex_delimiters=[]: "$$" in a document or a question is text, not a formula
                # the page's height, less the header, question box, examples and Search in below it
                chatbot = gr.Chatbot(label="Conversation", height="calc(100vh - 490px)", min_height=300,
                                     elem_id="qa-chat", buttons=["copy"],
                                     feedback_options=None, placeholder="Ask a question about the documents.",
                                     latex_delimiters=[])
                with gr.Row():
                    question = gr.Textbox(placeholder="Ask a question about the documents",
                                          show_label=False, scale=6, elem_id="qa-question", autofocus=True,
                                          max_lines=4)
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-send")
                notice = gr.HTML("", elem_id="qa-notice", js_on_load=None)
                # filled on page load with questions checked to be answered (asking them needs the models)
                examples = gr.Dataset(components=[question], label="Example questions", elem_id="qa-examples",
                                      samples=[[""]], visible=False)
                with gr.Row(equal_height=True):
                    scope = gr.Dropdown(choices=assistant.documents, value=[], multiselect=True, scale=3,
                                        label="Search in (none chosen: all documents)", elem_id="qa-scope")
                    clear = gr.Button("Clear conversation", variant="secondary", elem_id="qa-clear", scale=1)
                with gr.Accordion("Settings", open=False, elem_id="qa-settings"):
                    top_k = gr.Slider(1, 10, value=settings.top_k, step=1, label="Passages retrieved per question",
                                      elem_id="qa-top-k")
                    gr.Markdown(f"Embedder: `{settings.embedder}` · Generator: "
                                f"`{getattr(assistant.generator, 'model_id', settings.generator)}`")
            with gr.Column(scale=4):
                with gr.Tabs(elem_id="qa-tabs") as tabs:
                    with gr.Tab("Sources", id="sources"):
                        sources = gr.HTML(sources_html(None), elem_id="qa-sources", js_on_load=SOURCES_JS)
                    with gr.Tab("Document", id="document"):
                        document = gr.HTML('<div class="qa-empty">Click “Open in document” on a source to read '
                                           "it in context.</div>", elem_id="qa-document", js_on_load=None)
                    with gr.Tab("Corpus", id="corpus"):
                        corpus = gr.HTML(h.corpus(), elem_id="qa-corpus", js_on_load=None)
                        files = gr.File(label="Add documents (.txt, .md, .html, .pdf, .docx, .odt, .rtf, .pptx, .csv, "
                                              f".xlsx, .eml, .epub; up to {settings.max_upload_mb} MB each)",
                                        file_count="multiple",
                                        elem_id="qa-upload")  # any type: refused with a reason in the status
                        upload_status = gr.Markdown(elem_id="qa-upload-status")
                        with gr.Row(equal_height=True):
                            removal = gr.Dropdown(choices=assistant.documents, value=[], multiselect=True, scale=3,
                                                  label="Remove documents (their files are moved aside, not deleted)",
                                                  elem_id="qa-remove-choice")
                            remove = gr.Button("Remove", variant="stop", scale=1, elem_id="qa-remove")
                        removal_status = gr.Markdown(elem_id="qa-remove-status")

        chat_outputs = [chatbot, question, sources, turns, last_answer, notice]

        def respond(question, chat, turns, top_k, documents, request: gr.Request):
            refused = limiter.refuse(client_of(request))
            if refused:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), render.notice_html(refused)
                return
            yield from h.respond(question, chat, turns, top_k, documents)

        for trigger in (send.click, question.submit):
            trigger(respond, [question, chatbot, turns, top_k, scope], chat_outputs, api_visibility="private",
                    concurrency_id=MODEL_CONCURRENCY, show_progress="minimal")
        for trigger in (clear.click, chatbot.clear):  # the chat's own bin icon starts over too
            trigger(h.clear, None, [chatbot, question, sources, turns, last_answer, document, notice],
                    api_visibility="private", queue=False)

        def on_sources_click(answer, turns, evt: gr.EventData):
            """Open passage [marker] in its document, or (a marker of an earlier answer) show that answer's sources."""
            turn = getattr(evt, "show", None)
            if turn is not None:
                return (gr.skip(), gr.skip(), *h.show_turn(turns, turn))
            return (*h.open_document(answer, getattr(evt, "marker", None)), gr.skip(), gr.skip())

        sources.click(on_sources_click, [last_answer, turns], [document, tabs, sources, last_answer],
                      api_visibility="private").then(None, None, None, js=SCROLL_TO_PASSAGE_JS)

        examples.click(lambda sample: sample[0] if sample else gr.skip(), [examples], [question],
                       api_visibility="private", queue=False)

        def upload(uploaded, request: gr.Request, progress=gr.Progress()):
            refused = limiter.refuse(client_of(request))
            if refused:
                return f"**Upload refused:** {refused}", gr.skip(), None
            return h.upload(uploaded, progress)

        def ask(question: str, history: list[list[str]] | None = None, top_k: int = 0,
                request: gr.Request = None) -> dict:
            """Answer a question (with optional [question, answer] history); returns answer, citations, abstained."""
            refused = limiter.refuse(client_of(request))
            if refused:
                raise gr.Error(refused, print_exception=False)
            return h.ask_api(question, history, top_k)

        # one tidy progress message in the status line, none drawn over the corpus table or the drop zone
        files.upload(h.upload_started, [files], [upload_status], api_visibility="private", queue=False,
                     show_progress="hidden").then(
            upload, [files], [upload_status, corpus, files], api_name="upload", concurrency_id=MODEL_CONCURRENCY,
            show_progress="minimal", show_progress_on=[upload_status]).then(
            h.scope, [scope], [scope], api_visibility="private", queue=False, show_progress="hidden").then(
            h.removable, None, [removal], api_visibility="private", queue=False, show_progress="hidden").then(
            h.examples, None, examples, api_visibility="private", concurrency_id=MODEL_CONCURRENCY,
            show_progress="hidden")

        def remove_chosen(names, request: gr.Request):
            refused = limiter.refuse(client_of(request))
            if refused:
                return f"**Not removed:** {refused}", gr.skip(), gr.skip()
            return h.remove(names)

        remove.click(remove_chosen, [removal], [removal_status, corpus, removal], api_visibility="private",
                     concurrency_id=MODEL_CONCURRENCY, show_progress="minimal",
                     show_progress_on=[removal_status]).then(
            h.scope, [scope], [scope], api_visibility="private", queue=False, show_progress="hidden").then(
            h.examples, None, examples, api_visibility="private", concurrency_id=MODEL_CONCURRENCY,
            show_progress="hidden")
        demo.load(h.corpus, None, corpus, api_visibility="private", queue=False)
        demo.load(h.scope, None, scope, api_visibility="private", queue=False)
        demo.load(h.removable, None, removal, api_visibility="private", queue=False)
        demo.load(h.examples, None, examples, api_visibility="private", concurrency_id=MODEL_CONCURRENCY,
                  show_progress="hidden")
        gr.api(ask, api_name="ask", concurrency_id=MODEL_CONCURRENCY)
    # one model slot, served in turn; more than queue_max_size waiting requests are refused (docs/RELIABILITY.md)
    demo.queue(default_concurrency_limit=1, max_size=settings.queue_max_size)
    refuse_missing_inputs_in_one_line(demo)
    return demo


def refuse_missing_inputs_in_one_line(demo) -> None:
    """A call with fewer input values than its event takes (a raw POST /gradio_api/call/ask with the question alone)
    is refused with one gr.Error line naming the count; gradio's own check raised a six-line ValueError and printed
    its traceback in the server's log (docs/RELIABILITY.md, defect 18)."""
    import gradio as gr

    def validate_inputs(block_fn, inputs: list) -> None:  # gradio calls demo.validate_inputs(block_fn, inputs)
        if len(inputs) < len(block_fn.inputs):
            name = f"/{block_fn.api_name}" if block_fn.api_name else "this event"
            raise gr.Error(f"{name} takes {len(block_fn.inputs)} input values, got {len(inputs)}",
                           print_exception=False)
    demo.validate_inputs = validate_inputs


def client_of(request) -> str:
    """The client a request came from (its IP address), for the per-client request limit."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:password' -> (user, password); None or '' -> None; anything else is a ValueError."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise SettingsError("auth must look like user:password")
    return user, password


def launch_app(demo, assistant, host: str = "127.0.0.1", port: int | None = 7860,
               auth: tuple[str, str] | None = None, block: bool = True, upload_dir: Path | None = None):
    """Serve the app quietly (no library banner); only gradio's own upload directory (and its frontend) is ever
    served as files."""
    use_upload_dir(assistant.settings, upload_dir)
    blocked = [str(Path(assistant.settings.data_dir).resolve() / "index")]
    if assistant.corpus_dir is not None:
        blocked.append(str(Path(assistant.corpus_dir).resolve()))
    from starlette.middleware import Middleware

    settings = assistant.settings
    guard = LoginGuard(*auth, settings.login_attempts_per_minute).check if auth else None
    return demo.launch(server_name=host, server_port=port, auth=guard, prevent_thread_lock=not block,
                       allowed_paths=[], blocked_paths=blocked, max_file_size=settings.max_upload_mb * 2**20,
                       show_error=True,
                       css_paths=[CSS_PATH], quiet=True, footer_links=["api"], enable_monitoring=False,
                       mcp_server=False, ssr_mode=False, run_history=False,
                       app_kwargs={"middleware": [Middleware(LoginRequired)]})
