"""Issue 14 outside the interview room, as a candidate meets it in headless Chromium at a laptop's and a phone's
size: one regression test per numbered problem, and an axe-core pass with a full-page screenshot of every page
state in the light and the dark theme (test-artifacts/<state>[-dark]-<desktop|phone>.png).

Rows come from tests/pages/seeding.py, written into the database the Daphne under test reads.
"""

import re

import pytest

from tests.pages.browsing import BROWSER_MARKS, LIVE_TIMEOUT_MS, VIEWPORTS, screenshot, serious_violations, watch
from tests.pages.seeding import PASSWORD, seed

pytestmark = [*BROWSER_MARKS, pytest.mark.parametrize("size", list(VIEWPORTS))]

CANDIDATE = "ada.report@example.com"
NEWCOMER = "nia.new@example.com"


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


def look_at(page, state: str, size: str, problems: list[str]) -> None:
    """The state in both themes: axe's serious findings, sideways scroll and a full-page screenshot each."""
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)  # signed-out pages follow the system's theme
        page.evaluate("theme => { document.documentElement.dataset.theme = theme; }", theme)
        page.wait_for_timeout(50)
        problems.extend(f"[{state}, {theme}] {line}" for line in serious_violations(page))
        if wide := sideways_scroll(page):
            problems.append(f"[{state}, {theme}] {wide}")
        screenshot(page, f"{state}{'' if theme == 'light' else '-dark'}-{size}.png")


def test_every_page_state_passes_axe_without_sideways_scroll(server_environment, live_server_url, browser, size):
    """Issue 14, items 10 and 14: zero serious or critical axe findings and no page wider than a phone."""
    url = live_server_url
    seed(server_environment, "newcomer", email=NEWCOMER)
    rows = seed(server_environment, "candidate", email=CANDIDATE, staff=True)
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
    look_at(page, "login-throttled", size, problems)

    assert not problems, "\n".join(problems)
