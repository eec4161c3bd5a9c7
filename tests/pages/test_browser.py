"""End to end in headless Chromium against a real Daphne (HTTP and WebSocket) on a database it shares.

The server is a subprocess: pytest-django's live server cannot speak WebSocket. Its tasks run eagerly
inside Daphne (CELERY_BROKER_URL empty, REDIS_URL removed, so also the in-memory channel layer) even in
the distributed pass, which has no worker of its own; the database is a fresh SQLite file in the embedded
pass and the PostgreSQL test database in the distributed pass.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LIVE_TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    # Daphne runs in another process: on PostgreSQL it must see committed rows (see live_server_url).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's Chromium at {CHROMIUM}"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _server_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "ANTHROPIC_API_KEY")}
    env.update(CELERY_BROKER_URL="", AI_PROVIDER="offline", LOG_LEVEL="WARNING", DEBUG="0",
               DJANGO_SETTINGS_MODULE="cloudinterview.settings")
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(tmp_path / "e2e.sqlite3")
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "load_question_bank", "-v", "0")
    return env


@pytest.fixture
def live_server_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A Daphne process on a free port; PostgreSQL runs share the (committed) test database."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("committed_bank")
    env = _server_env(tmp_path)
    _manage(env, "collectstatic", "--no-input", "-v", "0")  # as `make run` does: the manifest storage needs it
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "daphne.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "cloudinterview.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)  # noqa: S310 - our own loopback server
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Daphne did not start; see {ARTIFACTS / 'daphne.log'}")
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> None:
    """Full-page, taken from the top so the sticky header sits where a reader expects it."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def test_a_new_candidate_practises_a_whole_interview(live_server_url, browser):
    from playwright.sync_api import expect

    url = live_server_url
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(str(payload))))

    # Sign up, then set preferences (dark mode on every page from here on).
    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Name").fill("Ada Candidate")
    page.get_by_label("Email").fill("ada.e2e@example.com")
    page.get_by_label("Password", exact=True).fill("analytical-engine-42")
    page.get_by_label("Confirm password").fill("analytical-engine-42")
    page.get_by_label("Experience level").select_option("mid")
    page.get_by_label("Python").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{url}/accounts/settings/")
    page.get_by_label("Job titles").fill("Backend Engineer")
    page.get_by_label("Default interview mode").select_option("mixed")
    page.get_by_label("Dark mode").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")

    # Start a mixed interview with coding: easy algorithms questions over 25 minutes plan theory, coding[, theory].
    page.get_by_role("link", name="New interview").click()
    page.get_by_label("Mixed").check()
    page.get_by_label("Difficulty").select_option("easy")
    page.get_by_label("Duration (minutes)").fill("25")
    page.get_by_label("Coding language").select_option("python")
    page.get_by_label("Topics").fill("algorithms")
    page.get_by_label("Include coding questions").check()
    page.get_by_role("button", name="Start interview").click()
    expect(page.locator("#conn")).to_have_text("Live")

    # The theory question, answered and evaluated live.
    page.get_by_role("button", name="Start with the first question").click()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"^Question 1 of [23]$"))
    expect(page.locator("#q-meta")).to_contain_text("Theory")
    page.get_by_label("Your answer").fill(
        "I would start from the invariant, then compare time complexity: a hash table gives O(1) lookups on "
        "average, sorting gives O(n log n). For example, binary search needs sorted input. The trade-off is "
        "memory versus time, and I would test edge cases such as empty input and duplicates.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#evaluation")).to_contain_text("Answer evaluated")
    expect(page.locator("#evaluation .scores .badge")).to_have_count(3)

    # The coding question: run the examples, then submit and get per-test results live.
    page.get_by_role("button", name="Skip question").or_(page.get_by_role("button", name="Next question")).click()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"^Question 2 of [23]$"))
    expect(page.locator("#code")).not_to_be_empty()
    page.locator("#code").press("End")
    page.get_by_role("button", name="Run examples").click()
    expect(page.locator("#run-results")).to_contain_text("tests passed")
    explanation = "I iterate once and keep what I have seen in a hash map."
    page.get_by_label("Explain your approach").fill(explanation)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#evaluation")).to_contain_text("tests passed")
    # The explanation travels once, as the approach (twice, it read as repeated wording to the evaluator).
    submitted = [json.loads(f) for f in sent if '"submit_answer"' in f and "codeSubmission" in f]
    assert len(submitted) == 1
    assert submitted[0]["data"]["codeSubmission"]["approachExplanation"] == explanation
    assert explanation not in json.dumps(submitted[0]["data"].get("answerText", ""))
    expect(page.locator("#timer")).to_have_text(re.compile(r"^2[0-4]:[0-5]\d$"))  # counting down from 25:00
    page.screenshot(path=ARTIFACTS / "interview-room-viewport.png")
    screenshot(page, "interview-room.png")

    # Finish: the report opens with its charts.
    page.get_by_role("button", name="Finish interview").click()
    page.wait_for_url("**/report/")
    expect(page.locator("[data-chart='ring'] svg")).to_be_visible()
    expect(page.locator("[data-chart='bars'] svg")).to_have_count(3)
    expect(page.get_by_role("heading", name="Strengths")).to_be_visible()
    screenshot(page, "report.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = ARTIFACTS / "transcript.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name="Turn sharing on").click()
    share_url = page.get_by_label("Public link to this report").input_value()
    assert "/share/" in share_url

    # The share page, logged out, shows the same report read-only.
    visitor = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    visitor.goto(share_url)
    expect(visitor.get_by_role("heading", name="Questions")).to_be_visible()
    expect(visitor.locator("[data-chart='ring'] svg")).to_be_visible()
    expect(visitor.get_by_role("link", name="Log in")).to_be_visible()
    screenshot(visitor, "share.png")
    visitor.context.close()

    # The dashboard now has data; on a phone too.
    page.goto(f"{url}/")
    expect(page.locator("[data-chart='line']")).to_be_attached()
    expect(page.locator("section[aria-labelledby='recent-title'] tbody tr")).to_have_count(1)
    screenshot(page, "dashboard.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)  # the charts redraw for the new width
    screenshot(page, "dashboard-mobile.png")
    assert problems == []
