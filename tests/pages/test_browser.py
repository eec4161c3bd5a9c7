"""End to end in headless Chromium against a real Daphne (HTTP and WebSocket) on a database it shares
(tests/daphne.py)."""

import json
import re

import yaml

from tests.daphne import ARTIFACTS, daphne, manage
from tests.pages.browsing import BROWSER_MARKS, LIVE_TIMEOUT_MS, screenshot, sign_up, watch
from tests.questionbank.knowledge import THEORY

pytestmark = BROWSER_MARKS


def test_a_new_candidate_practises_a_whole_interview(live_server_url, browser):
    from playwright.sync_api import expect

    url = live_server_url
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    problems: list[str] = []
    watch(page, problems)
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(str(payload))))

    # Sign up, then set preferences (dark mode on every page from here on).
    sign_up(page, url, "ada.e2e@example.com")
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
    watch(visitor, problems)
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


PLANTED = {
    "decimal entity": "javascript&#58;alert(1)",
    "entity scheme": "&#106;avascript:alert(2)",
    "named colon": "javascript&colon;alert(3)",
    "hex colon": "javascript&#x3a;alert(4)",
    "tab": "java&#x09;script:alert(5)",
    "newline": "java&#10;script:alert(6)",
}


def test_script_links_planted_in_a_question_do_not_run(server_environment, browser, tmp_path):
    """A curator's import carrying every link form that once ran on the question page."""
    from playwright.sync_api import expect

    from cloudinterview.api.ids import stable_public_id

    links = "\n".join(f"- [{name}]({target})" for name, target in PLANTED.items())
    bank = tmp_path / "planted.yaml"
    bank.write_text(yaml.safe_dump([{
        **THEORY, "slug": "planted-links", "status": "published", "category": "security", "difficulty": "easy",
        "title": "Planted links",
        "description": f"Read these:\n\n{links}\n- [reference][ref]\n\n[ref]: javascript&#58;alert(7)\n"}]))
    manage(server_environment, "import_questions", str(bank))

    with daphne(server_environment) as url:
        page = browser.new_page()
        page.set_default_timeout(LIVE_TIMEOUT_MS)
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        sign_up(page, url, "curious.candidate@example.com")
        question_page = f"{url}/questions/{stable_public_id('q', 'planted-links')}/"
        page.goto(question_page)
        anchors = page.locator(".prose a")
        expect(anchors).to_have_count(len(PLANTED) + 1)

        for index in range(len(PLANTED) + 1):
            anchors.nth(index).click()
            page.wait_for_timeout(100)
            if page.url != question_page:
                page.goto(question_page)

        assert alerts == []


def test_swagger_ui_works_under_the_content_security_policy(live_server_url, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(LIVE_TIMEOUT_MS)
    problems: list[str] = []
    watch(page, problems)

    response = page.goto(f"{live_server_url}/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator(".opblock").count() >= 20
    assert problems == []
