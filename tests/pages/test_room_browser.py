"""The interview room as a candidate lives it (issue 14), in headless Chromium against a real Daphne, at the laptop
and the phone size. Each walk asserts the numbered items of the issue it passes through (named in the comments),
runs axe-core on every room state (no serious or critical finding) and saves its screenshot as
test-artifacts/room-<state>-<desktop|phone>.png: lobby, question, follow-up, completed (the theory walk), coding,
coding-dark, evaluated (the coding walk), time-up, disconnected (the time and connection walk)."""

import re

import pytest

from cloudinterview.api.ids import stable_public_id
from tests.daphne import daphne, free_port, manage
from tests.pages.browsing import (
    BROWSER_MARKS,
    LIVE_TIMEOUT_MS,
    VIEWPORTS,
    screenshot,
    serious_violations,
    sign_up,
    watch,
)

pytestmark = BROWSER_MARKS

THEORY = "stable-sorting-explained"  # 7 minutes: an interview of 7 minutes plans it alone
CODING = "merge-overlapping-intervals"  # 20 minutes
THEORY_ANSWER = ("A stable sort keeps records with equal keys in their original order. Merge sort is stable, "
                 "quicksort and heapsort are not; stability matters when sorting by a second key, for example "
                 "sorting by date after sorting by name, because the earlier order survives among equal keys.")
FOLLOW_UP_ANSWER = ("Decorate each record with its original index and compare by (key, index): any sort then keeps "
                    "equal keys in their input order, at the cost of O(n) extra memory.")
WRONG_CODE = "def merge_intervals(intervals):\n    return intervals\n"
FIXED_CODE = ("def merge_intervals(intervals):\n    merged = []\n    for start, end in sorted(intervals):\n"
              "        if merged and start <= merged[-1][1]:\n            merged[-1][1] = max(merged[-1][1], end)\n"
              "        else:\n            merged.append([start, end])\n    return merged\n")
# A stand-in for the browser's speech recognition, so "supported" does not depend on the Chromium build.
FAKE_RECOGNITION = "window.SpeechRecognition = class { start() {} stop() {} addEventListener() {} };"
NO_RECOGNITION = "window.SpeechRecognition = undefined; window.webkitSpeechRecognition = undefined;"


def open_page(browser, viewport: str, problems: list[str], init_script: str | None = None):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    if init_script:
        page.add_init_script(init_script)
    watch(page, problems)
    return page


def start_interview(page, url: str, slug: str, minutes: int) -> str:
    """An interview opening with the bank question `slug`, `minutes` long (so planning that question alone);
    returns the session id."""
    from playwright.sync_api import expect

    page.goto(f"{url}/interviews/new/?question_id={stable_public_id('q', slug)}")
    page.get_by_label("Duration (minutes)").fill(str(minutes))
    page.get_by_role("button", name="Start interview").click()
    expect(page.locator("#conn")).to_have_text("Live")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def look(page, state: str, viewport: str) -> None:
    """One room state: its screenshot at this size, axe-core's verdict (no serious or critical finding), and no
    sideways scrolling."""
    screenshot(page, f"room-{state}-{viewport}.png")
    assert serious_violations(page) == [], state
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), state


def focused(page) -> str:
    """What has the focus: an element's id, `editor` inside the code editor, `body` when it was lost."""
    return page.evaluate("""() => { const a = document.activeElement;
        if (!a || a === document.body) return 'body';
        return a.closest('.cm-editor') ? 'editor' : a.id || a.tagName; }""")


def _luminance(css_colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def stored_room_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('ci-room:'))")


def set_code(page, code: str) -> None:
    """Replace the editor's text as a paste would. Emptied first: Chromium's own insertText over highlighted
    spans keeps their colours as inline style attributes, which the Content-Security-Policy refuses."""
    page.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    if code:
        page.keyboard.insert_text(code)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_theory_question_from_the_lobby_to_the_last_prompt(live_server_url, browser, viewport):
    from playwright.sync_api import expect

    problems: list[str] = []
    page = open_page(browser, viewport, problems, init_script=FAKE_RECOGNITION)
    sign_up(page, live_server_url, f"theory.{viewport}@example.com")
    start_interview(page, live_server_url, THEORY, 7)

    # Lobby. Item 10: speech recognition is there but voice input is off, so no Dictate.
    expect(page.get_by_role("button", name="Start with the first question")).to_be_visible()
    expect(page.locator("#mic-btn")).to_be_hidden()
    look(page, "lobby", viewport)

    # Item 8: after Start the focus is on the new question, not on <body>.
    page.get_by_role("button", name="Start with the first question").click()
    expect(page.locator("#q-title")).to_have_text("What makes a sort stable, and when does it matter?")
    expect(page.locator("#q-title")).to_be_focused()
    # Item 1: a non-coding question shows no editor, no Run, no Dictate.
    expect(page.locator("#code-area")).to_be_hidden()
    expect(page.get_by_role("button", name="Run examples")).to_be_hidden()
    expect(page.locator("#mic-btn")).to_be_hidden()
    # Item 12: the question is the server's HTML, no raw Markdown.
    assert "<p>" in page.locator("#q-text").inner_html()
    assert "`" not in page.locator("#q-text").inner_text()
    # Item 6: the question's own clock, from its estimated time.
    expect(page.locator("#q-timer")).to_have_text(re.compile(r"^[67]:[0-5]\d left$"))
    look(page, "question", viewport)

    # Item 8: a visible focus ring on the answer field, at least 3:1 against the card.
    answer = page.get_by_label("Your answer")
    answer.focus()
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }")
    card = page.evaluate("getComputedStyle(document.querySelector('.question-card')).backgroundColor")
    assert ring[0] == "solid"
    assert ring[1] >= 2
    assert contrast(ring[2], card) >= 3, (ring, card)

    # Item 4: a reload keeps the unsent draft.
    answer.fill(THEORY_ANSWER)
    page.reload()
    expect(page.get_by_label("Your answer")).to_have_value(THEORY_ANSWER)

    # Item 8: Ctrl+Enter submits from the answer field; the follow-up's field then has the focus.
    page.get_by_label("Your answer").press("Control+Enter")
    expect(page.locator("#evaluation")).to_contain_text("Answer evaluated")
    expect(page.locator("#followup")).to_be_visible()
    expect(page.get_by_label("Your answer to the follow-up")).to_be_focused()
    # Items 12 and 15: the follow-up is HTML too, never raw backticks.
    assert "`" not in page.locator("#followup-text").inner_text()
    assert "`" not in page.locator("#chat").inner_text()
    look(page, "follow-up", viewport)

    # Item 4: a reload shows the whole conversation, score card included, and the pending follow-up.
    page.reload()
    expect(page.locator("#chat .score-msg")).to_have_count(1)
    expect(page.locator("#chat")).to_contain_text(THEORY_ANSWER[:60])
    expect(page.locator("#chat [data-follow-up]")).to_have_count(1)
    expect(page.locator("#followup")).to_be_visible()
    expect(page.locator("#evaluation")).to_contain_text("Answer evaluated")
    assert page.evaluate("(c => c.scrollTop + c.clientHeight >= c.scrollHeight - 2)(document.getElementById('chat'))")

    # Item 3: after the plan's last prompt the form closes, the room says what comes next, and the focus goes
    # to Finish; a stray resubmit changes nothing and the score card stays.
    page.get_by_label("Your answer to the follow-up").fill(FOLLOW_UP_ANSWER)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#evaluation")).to_contain_text("Follow-up evaluated")
    expect(page.locator("#answer-form")).to_be_hidden()
    expect(page.locator("#submit-btn")).to_be_disabled()
    expect(page.locator("#next-step")).to_have_text(re.compile("last question.*Finish the interview"))
    expect(page.get_by_role("button", name="Finish interview")).to_be_focused()
    page.evaluate("document.getElementById('answer-form').requestSubmit()")
    page.wait_for_timeout(500)
    expect(page.locator("#evaluation")).to_contain_text("Follow-up evaluated")
    assert "INVALID_STATE" not in page.locator("#chat").inner_text()
    look(page, "completed", viewport)

    page.get_by_role("button", name="Finish interview").click()
    page.wait_for_url("**/report/")
    assert stored_room_keys(page) == []  # the drafts go with the interview
    assert problems == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_failing_code_is_fixed_in_the_follow_up_in_the_code_editor(live_server_url, browser, viewport):
    from playwright.sync_api import expect

    problems: list[str] = []
    page = open_page(browser, viewport, problems)
    sign_up(page, live_server_url, f"coder.{viewport}@example.com")
    start_interview(page, live_server_url, CODING, 20)
    page.get_by_role("button", name="Start with the first question").click()

    # Item 11: CodeMirror, with line numbers and highlighting, the textarea only its hidden mirror.
    editor = page.locator(".cm-editor")
    expect(editor).to_be_visible()
    expect(page.locator(".cm-lineNumbers")).to_be_visible()
    expect(page.locator("#code")).to_be_hidden()
    expect(page.locator(".cm-content span[class]").first).to_be_attached()  # highlighted tokens
    expect(page.get_by_role("button", name="Run examples")).to_be_visible()

    # Item 7: at the editor, the bar with the connection and the clocks is still in view.
    editor.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 200
    bar = page.locator("#room-bar").bounding_box()
    assert -1 <= bar["y"] <= 2, bar
    expect(page.locator("#q-timer")).to_be_in_viewport()
    expect(page.locator("#conn")).to_be_in_viewport()
    look(page, "coding", viewport)
    # The editor's token colours read in the dark theme too (axe's colour contrast on the highlighted code).
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    look(page, "coding-dark", viewport)
    page.evaluate("document.documentElement.dataset.theme = 'light'")

    # Item 11: auto-indent, closing brackets, completion on Ctrl+Space only, and Esc then Tab leaves the editor.
    set_code(page, "")
    page.keyboard.type("def f(x):")
    page.keyboard.press("Enter")
    page.keyboard.type("ret")
    page.wait_for_timeout(300)
    expect(page.locator(".cm-tooltip-autocomplete")).to_have_count(0)
    page.keyboard.press("Control+Space")
    expect(page.locator(".cm-tooltip-autocomplete")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.type("urn max(")
    assert page.locator("#code").input_value() == "def f(x):\n    return max()"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert focused(page) != "editor"

    # Item 2, and item 8 from the editor: failing code sent with Ctrl+Enter gets a follow-up, the editor stays
    # with the code that was sent.
    set_code(page, WRONG_CODE)
    page.get_by_label("Explain your approach").fill("I return the intervals as they come.")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#evaluation")).to_contain_text("tests passed")
    expect(page.locator("#followup")).to_be_visible()
    expect(editor).to_be_visible()
    assert page.locator("#code").input_value() == WRONG_CODE

    # The fix is run and scored: the follow-up's card shows its tests.
    set_code(page, FIXED_CODE)
    page.get_by_label("Your answer to the follow-up").fill(
        "I missed sorting: now I sort by start and merge each interval into the last one when they overlap.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#evaluation")).to_contain_text("Follow-up evaluated")
    expect(page.locator("#evaluation")).to_contain_text("Accepted")
    expect(page.locator("#chat .score-msg")).to_have_count(2)
    look(page, "evaluated", viewport)
    assert problems == []  # item 11: CodeMirror's styles pass the Content-Security-Policy


def backdate_question(env: dict[str, str], session_id: str) -> None:
    """The current question presented three hours ago, on the server's own database: its time is up."""
    manage(env, "shell", "-c",
           "from datetime import timedelta; from interviews.models import SessionQuestion; "
           f"slot = SessionQuestion.objects.get(session__public_id='{session_id}', status='presented'); "
           "slot.presented_at -= timedelta(hours=3); slot.save(update_fields=['presented_at'])")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_time_up_and_a_lost_connection_lose_nothing(server_environment, browser, viewport):
    from playwright.sync_api import expect

    problems: list[str] = []
    page = open_page(browser, viewport, problems)
    port = free_port()
    with daphne(server_environment, port=port) as url:
        sign_up(page, url, f"offline.{viewport}@example.com")
        session_id = start_interview(page, url, THEORY, 7)
        page.get_by_role("button", name="Start with the first question").click()
        expect(page.locator("#q-timer")).to_contain_text("left")

        # Item 6: the time is up; the room says so (visible, and in a live region), and the server records the
        # answer as late and scores it as usual.
        backdate_question(server_environment, session_id)
        page.reload()
        expect(page.locator("#q-timer")).to_have_text("Time is up")
        expect(page.locator("#time-up")).to_contain_text("Time is up for this question")
        assert page.locator("#time-up").get_attribute("role") == "status"
        look(page, "time-up", viewport)
        page.get_by_label("Your answer").fill(THEORY_ANSWER)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator("#evaluation .badge-late")).to_have_text("Late")
        expect(page.locator("#evaluation .scores .badge")).to_have_count(3)
        expect(page.locator("#followup")).to_be_visible()

    # Items 4 and 7: the server is gone; the status line says so and that it is retrying.
    expect(page.locator("#conn")).to_contain_text(re.compile(r"Connection lost — reconnecting in \d s|Reconnecting…"))
    look(page, "disconnected", viewport)
    page.get_by_label("Your answer to the follow-up").fill(FOLLOW_UP_ANSWER)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#chat")).to_contain_text("your answer is saved and will be sent")
    expect(page.locator("#chat .msg.me.pending")).to_have_count(1)
    expect(page.locator("#conn")).to_contain_text("Your answer is saved", timeout=8000)

    # Item 4: the server is back; the answer in the outbox is sent once the socket reconnects, and taken once.
    with daphne(server_environment, port=port, log_name="daphne-restarted.log"):
        expect(page.locator("#evaluation")).to_contain_text("Follow-up evaluated", timeout=30_000)
        expect(page.locator("#conn")).to_have_text("Live")
        page.reload()
        expect(page.locator("#chat .score-msg")).to_have_count(2)
        expect(page.locator("#chat .msg.me")).to_have_count(2)
        assert page.evaluate(f"localStorage.getItem('ci-room:{session_id}:outbox')") is None
    assert problems == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dictate_shows_only_with_voice_input_on_where_the_browser_recognises_speech(live_server_url, browser,
                                                                                  viewport):
    """Item 10 (voice input off is the theory walk's lobby)."""
    from playwright.sync_api import expect

    problems: list[str] = []
    page = open_page(browser, viewport, problems, init_script=FAKE_RECOGNITION)
    sign_up(page, live_server_url, f"voice.{viewport}@example.com")
    page.get_by_label("Voice input (dictate answers)").check()
    page.get_by_role("button", name="Save changes").click()
    start_interview(page, live_server_url, THEORY, 7)
    page.get_by_role("button", name="Start with the first question").click()
    expect(page.get_by_role("button", name="Dictate")).to_be_visible()

    without = page.context.new_page()
    without.add_init_script(NO_RECOGNITION)
    without.goto(page.url)
    expect(without.locator("#q-title")).not_to_be_empty()
    expect(without.locator("#mic-btn")).to_be_hidden()
    assert problems == []
