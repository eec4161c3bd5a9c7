"""The browser tests' shared harness: headless Debian Chromium, the two viewports every page is
checked at, screenshots under test-artifacts/, and axe-core's accessibility pass."""

from pathlib import Path

import pytest

from tests.daphne import ARTIFACTS, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LIVE_TIMEOUT_MS = 15_000
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# A laptop and a phone (issue 14): every page state is looked at in both.
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

BROWSER_MARKS = [
    pytest.mark.browser,
    # Daphne runs in another process: on PostgreSQL it must see committed rows (see tests/daphne.py).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's Chromium at {CHROMIUM}"),
]


def screenshot(page, name: str) -> None:
    """Full-page, taken from the top so the sticky header sits where a reader expects it."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def watch(page, problems: list[str]) -> None:
    """Script errors and anything the Content-Security-Policy refused end up in `problems`."""
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)


def sign_up(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Name").fill("Ada Candidate")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("analytical-engine-42")
    page.get_by_label("Confirm password").fill("analytical-engine-42")
    page.get_by_label("Experience level").select_option("mid")
    page.get_by_label("Python").check()
    page.get_by_role("button", name="Sign up").click()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line per rule.

    axe is evaluated through the DevTools protocol, which the Content-Security-Policy does not govern (a script
    tag, even one Playwright adds, is refused by `script-src 'self'`)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("""async () => {
        const found = await axe.run(document, {resultTypes: ['violations']});
        return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')}`);
    }""")
    return [f"{page.url}: {line}" for line in results]
