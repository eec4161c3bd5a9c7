"""Issue 14 outside the interview room, as a candidate meets it in headless Chromium at a laptop's and a phone's
size: one regression test per numbered problem, and an axe-core pass with a full-page screenshot of every page
state in the light and the dark theme (test-artifacts/<state>[-dark]-<desktop|phone>.png).

Rows come from tests/pages/seeding.py, written into the database the Daphne under test reads.
"""

import re

import pytest
from django.template.loader import render_to_string

from tests.pages.browsing import BROWSER_MARKS, LIVE_TIMEOUT_MS, VIEWPORTS, screenshot, serious_violations, watch
from tests.pages.seeding import FOLLOW_UP, PASSWORD, seed

pytestmark = [*BROWSER_MARKS, pytest.mark.parametrize("size", list(VIEWPORTS))]

CANDIDATE = "ada.report@example.com"
NEWCOMER = "nia.new@example.com"


@pytest.fixture
def rows(server_environment) -> dict:
    """A newcomer and a candidate with a report (tests/pages/seeding.py), before Playwright starts."""
    seed(server_environment, "newcomer", email=NEWCOMER)
    return seed(server_environment, "candidate", email=CANDIDATE, staff=True)


def open_page(browser, size: str, problems: list[str]):
    context = browser.new_context(viewport=VIEWPORTS[size])
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    return page


def log_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def sideways_scroll(page) -> str | None:
    """Whether the page is wider than the window (issue 14, item 10: 425 px in 390 px on a phone)."""
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return f"{page.url}: {width} px wide in a {window} px window" if width > window else None


def cut_off_sections(page) -> list[str]:
    """Main navigation links reaching past the window's right edge (a phone once hid Settings that way)."""
    return page.evaluate("""[...document.querySelectorAll('.nav a')]
        .filter(a => a.getBoundingClientRect().right > window.innerWidth).map(a => a.textContent.trim())""")


def look_at(page, state: str, size: str, problems: list[str]) -> None:
    """The state in both themes: axe's serious findings, sideways scroll, navigation cut off and a full-page
    screenshot each."""
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)  # signed-out pages follow the system's theme
        page.evaluate("theme => { document.documentElement.dataset.theme = theme; }", theme)
        page.wait_for_timeout(50)
        problems.extend(f"[{state}, {theme}] {line}" for line in serious_violations(page))
        if wide := sideways_scroll(page):
            problems.append(f"[{state}, {theme}] {wide}")
        if hidden := cut_off_sections(page):
            problems.append(f"[{state}, {theme}] navigation cut off: {hidden}")
        screenshot(page, f"{state}{'' if theme == 'light' else '-dark'}-{size}.png")


def test_every_page_state_passes_axe_without_sideways_scroll(rows, live_server_url, browser, size):
    """Issue 14, items 10 and 14: zero serious or critical axe findings and no page wider than a phone."""
    url = live_server_url
    problems: list[str] = []
    page = open_page(browser, size, problems)

    page.goto(f"{url}/accounts/login/")
    look_at(page, "login", size, problems)
    page.goto(f"{url}/accounts/signup/")
    look_at(page, "signup", size, problems)
    page.goto(f"{url}/share/{rows['share']}")
    look_at(page, "share", size, problems)
    page.goto(f"{url}/share/{rows['revoked']}")
    look_at(page, "share-revoked", size, problems)
    page.goto(f"{url}/no-such-page/")
    look_at(page, "not-found", size, problems)
    # Nothing a visitor does reaches a 500: the page Django's server_error renders (no context) is served as is.
    page.route(f"{url}/server-error", lambda route: route.fulfill(
        status=500, content_type="text/html", body=render_to_string("500.html")))
    page.goto(f"{url}/server-error")
    look_at(page, "server-error", size, problems)

    log_in(page, url, NEWCOMER)
    look_at(page, "dashboard-new", size, problems)
    page.get_by_role("button", name="Log out").click()

    log_in(page, url, CANDIDATE)
    look_at(page, "dashboard", size, problems)
    for state, path in [
        ("sessions", "/sessions/"), ("report", f"/sessions/{rows['session']}/report/"),
        ("questions", "/questions/"), ("settings", "/accounts/settings/"), ("password-change", "/accounts/password/"),
        ("forbidden", "/admin/questionbank/question/"), ("not-found-signed-in", "/sessions/session_nope/report/"),
        ("api-docs", "/v1/docs"),
        *[(f"question-{kind.replace('_', '-')}", f"/questions/{public_id}/")
          for kind, public_id in rows["questions"].items()],
    ]:
        page.goto(f"{url}{path}")
        look_at(page, state, size, problems)

    page.goto(f"{url}/interviews/new/")
    page.get_by_label("Duration (minutes)").fill("500")
    page.get_by_role("button", name="Start interview").click()
    page.get_by_text("Ensure this value is less than or equal to 180.").wait_for()
    look_at(page, "new-interview-error", size, problems)

    page.get_by_role("button", name="Log out").click()
    throttled = page.get_by_text("Too many attempts")
    while not throttled.is_visible():
        page.get_by_label("Email").fill(CANDIDATE)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    assert page.locator(".form-errors").inner_text().startswith("Too many attempts.")
    assert "correct email" not in page.locator("main").inner_text()  # the throttle message alone (issue 14, 15)
    look_at(page, "login-throttled", size, problems)

    assert not problems, "\n".join(problems)


def test_the_share_page_quotes_no_answer(rows, live_server_url, browser, size):
    """Issue 14, item 5: the share page promises "not your answers"; the owner's report has them."""
    problems: list[str] = []
    owner = open_page(browser, size, problems)
    log_in(owner, live_server_url, CANDIDATE)
    owner.goto(f"{live_server_url}/sessions/{rows['session']}/report/")
    visitor = open_page(browser, size, problems)
    visitor.goto(f"{live_server_url}/share/{rows['share']}")

    shared = visitor.locator("main").inner_text()
    assert all(answer in owner.locator("main").inner_text() for answer in rows["answers"])
    assert [answer for answer in rows["answers"] if answer in shared] == []
    assert visitor.locator(".answer, .reply, .followup").count() == 0
    assert owner.locator("[data-skill] .bullets li").count() > 0
    assert visitor.locator("[data-skill] .bullets li").count() == 0
    assert problems == []


def chart_values(page, source: str) -> dict[str, int]:
    return {point["label"]: point["value"]
            for point in page.evaluate("id => JSON.parse(document.getElementById(id).textContent)", source)}


def test_the_report_never_contradicts_itself(rows, live_server_url, browser, size):
    """Issue 14, item 9: the summary's strongest and weakest scores are the list's, communication is one
    number, one session is not ranked, and a red score never stands beside nothing to improve."""
    problems: list[str] = []
    page = open_page(browser, size, problems)
    log_in(page, live_server_url, CANDIDATE)
    page.goto(f"{live_server_url}/sessions/{rows['session']}/report/")
    summary = page.locator("[data-summary]").inner_text()

    for title, score in re.findall(r"(?:Strongest|weakest): (.+?) \((\d+)\)", summary):
        question = page.locator("article[data-question]", has=page.get_by_role("heading", name=title))
        assert question.locator("[data-question-score]").inner_text() == score
    communication = {
        "summary": int(re.search(r"Communication (\d+)", summary).group(1)),
        "headline": chart_values(page, "chart-summary")["Communication"],
        "by dimension": chart_values(page, "chart-dimensions")["Communication"],
        "skill card": int(page.locator("[data-skill]", has_text="Technical Communication").locator(".score")
                          .inner_text()),
    }
    assert len(set(communication.values())) == 1, communication
    ranking = page.locator("[data-ranking]").inner_text()
    assert "Not enough sessions yet" in ranking
    assert "percentile" not in ranking
    assert page.locator(".score-low").count() > 0
    assert page.locator("[data-improvements] li").all_inner_texts() == ["Q2 General question 1 (34)"]
    assert problems == []


def test_no_dead_ends(rows, live_server_url, browser, size):
    """Issue 14, item 10: practising a system-design question opens an interview, settings offer as interview
    languages only those that run, and a wrong address or a revoked share link gets a page that says so."""
    from playwright.sync_api import expect

    url = live_server_url
    problems: list[str] = []
    page = open_page(browser, size, problems)
    log_in(page, url, CANDIDATE)

    page.goto(f"{url}/questions/{rows['questions']['system_design']}/")
    page.get_by_role("link", name="Practise in an interview").click()
    expect(page.locator("[data-opening-question]")).to_be_visible()
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/interviews/session_\w+/$"))

    page.goto(f"{url}/accounts/settings/")
    interview = page.get_by_role("group", name="Preferred interview languages").get_by_role("checkbox")
    assert interview.evaluate_all("boxes => boxes.map(b => b.value)") == ["python", "javascript"]
    expect(page.get_by_role("group", name="Primary languages").get_by_label("Go", exact=True)).to_be_visible()

    missing = page.goto(f"{url}/sessions/session_nope/report/")
    assert missing.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to your dashboard")).to_be_visible()
    visitor = open_page(browser, size, problems)
    revoked = visitor.goto(f"{url}/share/{rows['revoked']}")
    assert revoked.status == 404
    expect(visitor.get_by_role("heading", name="This shared report is no longer available")).to_be_visible()


DATE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$")


def test_the_small_things(rows, live_server_url, browser, size):
    """Issue 14, item 15: a newcomer's average is not a red 0.0; every session row's date is on screen; the
    bank marks what the candidate solved or attempted and says no "0% solved" before anyone tried; a mode's
    duration too short for its questions is said on the form; follow-ups show code, not backticks."""
    from playwright.sync_api import expect

    from cloudinterview.api.ids import stable_public_id

    url = live_server_url
    problems: list[str] = []
    page = open_page(browser, size, problems)
    log_in(page, url, NEWCOMER)
    average = page.locator("[data-average]")
    expect(average.locator(".value")).to_have_text("—")
    assert average.locator(".score-low").count() == 0
    expect(average.get_by_role("link", name="Complete an interview")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, url, CANDIDATE)
    page.goto(f"{url}/sessions/")
    window = VIEWPORTS[size]["width"]
    for row in page.locator("tbody tr").all():
        date = row.locator("time").filter(visible=True)
        expect(date).to_have_text(DATE)
        box = date.bounding_box()
        assert box["x"] + box["width"] <= window

    page.goto(f"{url}/questions/?q=General+question")
    for name, mark in [("General question 2", "✓ Solved"), ("General question 1", "Attempted")]:
        item = page.locator(".list > li", has=page.get_by_role("link", name=name, exact=True))
        expect(item.locator("[data-mark]")).to_have_text(mark)
    page.goto(f"{url}/questions/")
    expect(page.get_by_text(re.compile(r"^0% solved$"))).to_have_count(0)

    page.goto(f"{url}/interviews/new/")
    page.get_by_label("System design").check()
    page.get_by_label("Difficulty").select_option("medium")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_role("button", name="Start interview").click()
    expect(page.get_by_text("No system design question fits in 30 minutes")).to_be_visible()

    page.goto(f"{url}/questions/{stable_public_id('q', 'btree-vs-hash-index')}/")
    follow_ups = page.locator("[data-follow-ups]")
    expect(follow_ups.locator("code").first).to_be_visible()
    assert "`" not in follow_ups.inner_text()
    page.goto(f"{url}/sessions/{rows['session']}/report/")
    follow_up = page.locator(".followup")
    expect(follow_up.locator("code", has_text="WHERE name LIKE '%son'")).to_be_visible()
    assert "`" not in follow_up.inner_text()
    assert FOLLOW_UP.replace("`", "") in follow_up.inner_text().replace("\n", " ")
    assert problems == []
