"""The served UI (`python -m ui`, real models) under bad input, uploads, 16 concurrent clients and a soak; and a
full queue (fake models, in-process) refused with a clear "busy" message."""

from __future__ import annotations

import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile import FRAGMENTS, bad_files
from rel_report import record
from ui_clients import ask_fn_index, ask_gradio_client, ask_http, percentile, rss_mb
from ui_helpers import serve, ui_process

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "russia-turkey-rapprochement.md"
QUESTIONS = ["Why did relations hit a nadir?", "What weapons system does Turkey want to buy from Russia?",
             "Who is Dmitry Peskov?", "When did Putin and Erdogan meet?", "What happened to the Russian jet?",
             "What is the capital of France?", "How long do kittens sleep?"]


def client(url):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    root = tmp_path_factory.mktemp("live-ui")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    (corpus / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    data.mkdir()
    models = ROOT / ".qa-data" / "models"  # converted generator weights, shared with the other tests
    models.mkdir(parents=True, exist_ok=True)
    (data / "models").symlink_to(models, target_is_directory=True)
    log = root / "ui.log"
    with pytest.MonkeyPatch.context() as mp:
        # every client here is 127.0.0.1: the per-client limit would refuse the load test's 16 clients as one
        mp.setenv("QA_REQUESTS_PER_MINUTE", "100000")
        with ui_process(["--corpus", str(corpus)], data, log, ROOT) as (url, process):
            yield url, process, corpus, data, log  # ui_process checks the log for tracebacks when it stops


def test_bad_questions_over_the_served_api(live):
    url, *_ = live
    fn, c = ask_fn_index(url), client(url)
    outcomes = {"answered": 0, "refused": 0}
    questions = FRAGMENTS + ["x" * 100_000, "why " * 600, "\x00" * 50]
    for question in questions:
        http = ask_http(url, fn, question, timeout=120)
        assert http["outcome"] in ("answered", "error"), http
        if http["outcome"] == "error":  # a refusal: gr.Error's message, one line
            assert "Please type a question first" in http["detail"] or "too long" in http["detail"], http
        via_client = ask_gradio_client(c, question)
        assert via_client["outcome"] in ("answered", "error"), via_client
        for result in (http, via_client):
            outcomes["answered" if result["outcome"] == "answered" else "refused"] += 1
    record("bad questions to the served /ask (real models)", inputs=2 * len(questions), **outcomes)


def test_bad_uploads_over_the_served_ui(live, tmp_path):
    from gradio_client import handle_file
    from rel_checks import index_state

    url, process, corpus, data, log = live
    c = client(url)
    tried = added = rejected = 0
    for name, content in bad_files().items():
        path = tmp_path / name.replace("\n", "_").replace("\x1b", "_").replace("\x07", "_")
        path.write_bytes(content)
        status, _, _ = c.predict([handle_file(str(path))], api_name="/upload")
        tried += 1
        assert ("Added and indexed" in status) != ("Rejected" in status), status
        added += "Added and indexed" in status
        rejected += "Rejected" in status
        assert "Traceback" not in status and "/tmp/" not in status, status
    from index.settings import Settings

    index_dir = Settings(data_dir=data).index_dir_for(corpus)
    assert ARTICLE.name in {s for s, _ in index_state(index_dir)}
    record("bad uploads to the served UI (real models)", uploads=tried, added=added, rejected=rejected, lost=0)


def test_a_lone_surrogate_in_the_history_over_the_served_api(live):
    """POST /gradio_api/call/ask with a lone surrogate in an earlier turn: an answer, not an error event."""
    import json
    import urllib.request

    url, *_ = live
    body = ('{"data": ["And when did they meet?", [["Who designed the reactor \\ud800?", "Helga \\udfff"]], 0]}'
            ).encode()
    request = urllib.request.Request(url + "gradio_api/call/ask", body, {"Content-Type": "application/json"})
    event_id = json.load(urllib.request.urlopen(request, timeout=60))["event_id"]
    events = urllib.request.urlopen(url + f"gradio_api/call/ask/{event_id}", timeout=120).read().decode()
    assert "event: complete" in events and "event: error" not in events, events[:500]


def test_too_few_values_over_the_served_api_are_one_line(live):
    """POST /gradio_api/call/ask with fewer than its three values (question, history, top_k): an error event of one
    line naming the count; gradio's own check answered six lines and printed a traceback in the server's log (which
    ui_process checks when the server stops)."""
    import json
    import urllib.request

    url, *_ = live
    for data in ([], ["When did Putin and Erdogan meet?"], ["When did Putin and Erdogan meet?", []]):
        request = urllib.request.Request(url + "gradio_api/call/ask", json.dumps({"data": data}).encode(),
                                         {"Content-Type": "application/json"})
        event_id = json.load(urllib.request.urlopen(request, timeout=60))["event_id"]
        events = urllib.request.urlopen(url + f"gradio_api/call/ask/{event_id}", timeout=120).read().decode()
        error = json.loads(events.split("event: error\ndata: ", 1)[1].split("\n", 1)[0])["error"]
        assert error == f"/ask takes 3 input values, got {len(data)}", events[:500]


def test_uploads_stay_in_the_data_directory(live, tmp_path):
    """An upload writes nothing to gradio's default temporary directory outside the data directory."""
    import tempfile

    from gradio_client import handle_file

    url, process, corpus, data, log = live
    default = Path(tempfile.gettempdir()) / "gradio"
    before = set(default.rglob("*")) if default.is_dir() else set()
    marker = f"tram-marker-{os.getpid()}-{time.time_ns()}"
    path = tmp_path / "tram-notes.txt"
    path.write_text(f"The tram depot keeps {marker} in its archive.\n")
    status, _, _ = client(url).predict([handle_file(str(path))], api_name="/upload")
    assert "Added and indexed" in status, status
    new = sorted(str(p) for p in (set(default.rglob("*")) if default.is_dir() else set()) - before)
    inside = [p for p in data.rglob("*") if p.is_file() and p.stat().st_size < 2**20 and marker.encode()
              in p.read_bytes()]
    assert not new and inside, (new, inside)


def test_sixteen_concurrent_clients_with_uploads(live, tmp_path, heavy):
    from gradio_client import handle_file

    url, process, corpus, data, log = live
    fn = ask_fn_index(url)
    per_client = 5
    results: list[dict] = []
    lock = threading.Lock()

    def user(i: int) -> None:
        c = client(url) if i % 2 else None
        for j in range(per_client):
            question = QUESTIONS[(i + j) % len(QUESTIONS)]
            result = ask_gradio_client(c, question) if c else ask_http(url, fn, question)
            with lock:
                results.append({**result, "via": "gradio_client" if c else "http"})

    uploads = []

    def uploader() -> None:
        c = client(url)
        for k in range(3):
            path = tmp_path / f"load-upload-{k}.md"
            path.write_text(f"# Upload {k}\n\nKittens sleep about {14 + k} hours a day in warm places.\n")
            status, _, _ = c.predict([handle_file(str(path))], api_name="/upload")
            uploads.append(status)

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with ThreadPoolExecutor(17) as pool:
        futures = [pool.submit(user, i) for i in range(16)] + [pool.submit(uploader)]
        for f in futures:
            f.result(timeout=900)
    elapsed = time.perf_counter() - started
    assert len(results) == 16 * per_client  # none lost
    errors = [r for r in results if r["outcome"] not in ("answered", "busy")]
    assert not errors, errors[:3]
    assert all("Added and indexed" in s for s in uploads), uploads
    latencies = [r["latency_s"] for r in results if r["outcome"] == "answered"]
    waits = [r["queue_wait_s"] for r in results if r["queue_wait_s"] is not None]
    record("16 concurrent clients x 5 questions + 3 uploads (real models)", requests=len(results),
           answered=sum(r["outcome"] == "answered" for r in results),
           busy=sum(r["outcome"] == "busy" for r in results), uploads=len(uploads), lost=0,
           latency_p50_s=round(percentile(latencies, 50), 2), latency_p95_s=round(percentile(latencies, 95), 2),
           queue_wait_p50_s=round(percentile(waits, 50), 2), queue_wait_p95_s=round(percentile(waits, 95), 2),
           wall_s=round(elapsed, 1), load_average_before=round(load_before, 2),
           load_average_after=round(os.getloadavg()[0], 2))


def test_soak_memory_stays_flat(live, heavy):
    url, process, *_ = live
    fn = ask_fn_index(url)
    total = 500 if heavy else 100
    for i in range(20):  # warm-up: caches and lazily loaded parts fill first
        ask_http(url, fn, QUESTIONS[i % len(QUESTIONS)])
    before = rss_mb(process.pid)
    latencies, samples = [], []
    for i in range(total):
        # distinct questions, so the question-embedding cache grows as it would in real use
        result = ask_http(url, fn, f"{QUESTIONS[i % len(QUESTIONS)]} (variant {i})")
        assert result["outcome"] == "answered", result
        latencies.append(result["latency_s"])
        if i % 50 == 49:
            samples.append(round(rss_mb(process.pid), 1))
    after = rss_mb(process.pid)
    growth = (after - before) / before
    record("soak", questions=total, rss_before_mb=round(before, 1), rss_after_mb=round(after, 1),
           rss_growth_pct=round(100 * growth, 2), rss_samples_mb=samples,
           latency_p50_s=round(statistics.median(latencies), 3), latency_p95_s=round(percentile(latencies, 95), 3),
           load_average=round(os.getloadavg()[0], 2))
    assert growth < 0.10


class SlowEmbedder:
    """The hashing fake, slowed down so that requests pile up in the queue."""

    def __init__(self, delay_s: float = 0.3) -> None:
        from fakes import HashingEmbedder

        self.inner, self.delay_s = HashingEmbedder(), delay_s
        self.dimension, self.model_id, self.max_tokens = 64, "hashing-test", 256

    def count_tokens(self, text):
        return self.inner.count_tokens(text)

    def embed(self, texts, *, show_progress=False):
        time.sleep(self.delay_s)
        return self.inner.embed(texts)


def test_a_full_queue_refuses_with_a_busy_message(tmp_path):
    from fakes import ScriptedGenerator
    from hostile_app import hostile_corpus

    from index.settings import Settings
    from qa.assistant import Assistant

    corpus = hostile_corpus(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", retrieval="dense", min_evidence_score=0.2, queue_max_size=2)
    assistant = Assistant.from_corpus(corpus, settings, embedder=SlowEmbedder(0.0), generator=ScriptedGenerator(),
                                      show_progress=False)
    assistant.embedder.delay_s = 0.3
    with serve(assistant) as url:
        fn = ask_fn_index(url)
        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(lambda i: ask_http(url, fn, f"When did the trade office open? {i}"), range(12)))
        c = client(url)
        with ThreadPoolExecutor(8) as pool:
            via_client = list(pool.map(lambda i: ask_gradio_client(c, f"Who opened the trade office? {i}"), range(8)))
    everything = results + via_client
    assert all(r["outcome"] in ("answered", "busy") for r in everything), [r for r in everything
                                                                           if r["outcome"] == "error"][:2]
    busy = [r for r in everything if r["outcome"] == "busy"]
    assert busy and all("Queue is full" in r["detail"] for r in busy)
    record("full queue (max 2 waiting, fake slow model)", requests=len(everything),
           answered=len(everything) - len(busy), busy=len(busy), busy_message=busy[0]["detail"][:120], lost=0)


def test_the_served_ui_with_auth_never_logs_the_password(tmp_path):
    """`python -m ui --auth`: unauthenticated API calls refused, the password in no line of its console."""
    import urllib.error
    import urllib.request

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    password = "Zt9-never-in-a-log"
    log = tmp_path / "ui.log"
    with ui_process(["--corpus", str(corpus), "--auth", f"reader:{password}"], tmp_path / "data", log,
                    ROOT) as (url, process):
        for path in ("config", "gradio_api/info"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(url + path, timeout=20)
            assert err.value.code == 401
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        codes = []
        for attempt in (b"username=reader&password=wrong", f"username=reader&password={password}".encode()):
            try:
                codes.append(urllib.request.urlopen(urllib.request.Request(url + "login", attempt, form),
                                                    timeout=20).status)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)
        assert codes[0] in (400, 401) and codes[1] == 200, codes
    text = log.read_text()
    assert "login required" in text and password not in text and "wrong" not in text.replace(
        "wrong user name or password", "")
