"""The curator's whole path in headless Chromium against a real Daphne (issue 16): a coding question made in
the admin is refused with field messages until it is valid, checked in the sandbox, previewed, reordered by
dragging, published, exported, changed, imported through the dry run, and reverted from its history, all
under the Content-Security-Policy."""

import json
import re

from cloudinterview.api.ids import stable_public_id
from tests.daphne import ARTIFACTS, daphne, manage
from tests.pages.browsing import BROWSER_MARKS, LIVE_TIMEOUT_MS, watch
from tests.questionbank.knowledge import CODING

pytestmark = BROWSER_MARKS

EMAIL, PASSWORD = "curator.e2e@example.com", "curating-the-bank-42"
SLUG = "browser-first-value"


def make_curator(env: dict[str, str]) -> None:
    """A staff user in the "Question curator" group. A migration makes the group; in the distributed pass an
    earlier transactional test's flush has emptied it, so it is made again with the bank's permissions."""
    manage(env, "shell", "-c", (
        "from django.contrib.auth.models import Group, Permission; from accounts.models import User; "
        "group, _ = Group.objects.get_or_create(name='Question curator'); "
        "group.permissions.exists() or group.permissions.set("
        "Permission.objects.filter(content_type__app_label='questionbank')); "
        f"user = User.objects.create_user(email='{EMAIL}', password='{PASSWORD}', is_staff=True); "
        "user.groups.add(group)"))


def add_row(page, prefix: str) -> int:
    """Click the inline's "Add another" and return the new row's index."""
    index = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    page.locator(f"#{prefix}-group .add-row a").click()
    return index


def chips(page, field_id: str, items: list[str]) -> None:
    """Type items into a list field shown as chips (the textarea behind it is hidden)."""
    box = page.locator(f"#{field_id} + .chips .chip-input")
    for item in items:
        box.fill(item)
        box.press("Enter")


def fill_coding_question(page) -> None:
    """Everything the bank format needs of a coding question, typed into the inlines."""
    page.locator("#id_reference_answer").fill(CODING["reference_answer"])
    page.locator("#id_complexity_time").fill("O(1)")
    page.locator("#id_complexity_space").fill("O(1)")
    for point in CODING["rubric"]:
        i = add_row(page, "rubric_points")
        page.locator(f"#id_rubric_points-{i}-point").fill(point["point"])
        page.locator(f"#id_rubric_points-{i}-aspect").select_option(point["aspect"])
        chips(page, f"id_rubric_points-{i}-phrases", point["phrases"])
        chips(page, f"id_rubric_points-{i}-claims", point["claims"])
    for language, signature in CODING["signatures"].items():
        i = add_row(page, "signatures")
        page.locator(f"#id_signatures-{i}-language").fill(language)
        page.locator(f"#id_signatures-{i}-function_name").fill(signature["function_name"])
        page.locator(f"#id_signatures-{i}-starter_code").fill(signature["starter_code"])
        page.locator(f"#id_signatures-{i}-solution").fill(signature["solution"])
    for case in CODING["tests"]:
        i = add_row(page, "test_cases")
        page.locator(f"#id_test_cases-{i}-name").fill(case["name"])
        page.locator(f"#id_test_cases-{i}-args").fill(json.dumps(case["args"]))
        page.locator(f"#id_test_cases-{i}-expected").fill(str(case["expected"]))
        page.locator(f"#id_test_cases-{i}-hidden").set_checked(case["hidden"])
        page.locator(f"#id_test_cases-{i}-edge_case").set_checked(case["edge_case"])


def run_action(page, url: str, action: str) -> None:
    page.goto(f"{url}/admin/questionbank/question/?q={SLUG}")
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def test_a_curator_makes_checks_previews_publishes_imports_and_reverts_a_question(
        server_environment, browser, tmp_path):
    from playwright.sync_api import expect

    make_curator(server_environment)
    with daphne(server_environment, "daphne-curation.log") as url:
        context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
        context.set_default_timeout(LIVE_TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        watch(page, problems)

        page.goto(f"{url}/admin/login/")
        page.locator("#id_username").fill(EMAIL)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("input[type=submit]").click()

        # A coding question with only its headline fields is refused, each message next to what it is about.
        page.goto(f"{url}/admin/questionbank/question/add/")
        page.locator("#id_slug").fill(SLUG)  # typed first, so the title does not prepopulate it
        page.locator("#id_title").fill("First value, from the browser")
        page.locator("#id_type").select_option("coding")
        page.locator("#id_category").fill("algorithms")
        page.locator("#id_difficulty").select_option("easy")
        page.locator("#id_estimated_time").fill("500")
        page.locator("#id_description").fill("Return **the first** value.\n\n- `xs`: a list")
        expect(page.locator(".markdown-preview strong")).to_have_text("the first")  # the live preview
        chips(page, "id_tags", ["arrays", "warm-up"])
        expect(page.locator("#id_tags + .chips .chip")).to_have_count(2)
        page.locator("input[name=_continue]").click()
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator(".field-estimated_time .errorlist")).to_contain_text("1..120")
        expect(page.locator("#rubric_points-group .errorlist")).to_contain_text("non-empty list of points")
        expect(page.locator("#signatures-group .errorlist")).to_contain_text("lacks 'python'")
        expect(page.locator("#test_cases-group .errorlist")).to_contain_text("at least 6 'tests'")
        page.screenshot(path=ARTIFACTS / "curation-refused.png", full_page=True)

        # Filled in until valid, it saves (as a draft: a coding question is checked before it goes live).
        page.locator("#id_estimated_time").fill("5")
        fill_coding_question(page)
        for hint in ("Look at index zero", "Nothing to loop over"):
            i = add_row(page, "hints")
            page.locator(f"#id_hints-{i}-text").fill(hint)
        # Drag the second hint above the first: saved in the order shown.
        page.locator("#hints-1 .drag-handle").drag_to(page.locator("#hints-0"), target_position={"x": 40, "y": 2})
        page.locator("input[name=_continue]").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        hints = page.locator("#hints-group tr.form-row:not(.empty-form) textarea, "
                             "#hints-group tr.form-row:not(.empty-form) input[name$='-text']")
        expect(hints.first).to_have_value("Nothing to loop over")
        page.screenshot(path=ARTIFACTS / "curation-saved.png", full_page=True)

        # Publishing before the reference check is refused next to the status.
        page.locator("#id_status").select_option("published")
        page.locator("input[name=_continue]").click()
        expect(page.locator(".field-status .errorlist")).to_contain_text("run the reference check")

        # The check runs in the sandbox and reports per question; then it publishes.
        run_action(page, url, "check_reference_solutions")
        expect(page.locator(".messagelist")).to_contain_text(f"{SLUG}: checking javascript, python")
        page.goto(f"{url}/admin/questionbank/question/?q={SLUG}")
        expect(page.locator("td.field-reference_check_summary")).to_have_text(
            "javascript: accepted, python: accepted")

        # Preview: the change page renders the description; "View on site" shows the draft with a banner.
        page.locator("a:has-text('First value, from the browser')").first.click()
        expect(page.locator(".markdown-preview li")).to_contain_text("a list")
        page.locator("a.viewsitelink").click()
        expect(page.locator(".messages")).to_contain_text("Draft: candidates cannot see this question")
        expect(page.locator(".prose strong")).to_have_text("the first")
        page.go_back()

        page.locator("#id_status").select_option("published")
        page.locator("input[name=_continue]").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        expect(page.locator("#id_slug")).to_have_attribute("readonly", "")

        # Export, change the title, and import it through the dry run.
        page.goto(f"{url}/admin/questionbank/question/?q={SLUG}")
        page.locator("input.action-select").first.check()
        page.locator("select[name=action]").select_option("export_yaml")
        with page.expect_download() as download:
            page.locator("button[name=index]").click()
        exported = tmp_path / "export.yaml"
        download.value.save_as(exported)
        exported.write_text(exported.read_text().replace("First value, from the browser", "The first value"))
        page.goto(f"{url}/admin/questionbank/question/import/")
        page.locator("input[type=file]").set_input_files(exported)
        page.locator("input[type=submit]").click()
        expect(page.locator(".import-plan")).to_contain_text(f"{SLUG}: title")
        expect(page.locator(".import-plan .diff-add")).to_contain_text("title: The first value")
        page.locator("input[name=confirm]").click()
        expect(page.locator(".messagelist")).to_contain_text(f"updated: {SLUG} (title)")

        # The history shows the import with its diff; reverting it restores the title.
        page.goto(f"{url}/admin/questionbank/question/?q={SLUG}")
        page.locator("a:has-text('The first value')").first.click()
        page.locator("a.historylink").click()
        expect(page.locator(".history-entry").first).to_contain_text("Imported export.yaml")
        page.locator(".history-entry").nth(1).get_by_role("button", name="Revert to this version").click()
        expect(page.locator(".messagelist")).to_contain_text(f"Reverted {SLUG}")
        page.goto(f"{url}/questions/{stable_public_id('q', SLUG)}/")
        expect(page.locator("h1")).to_have_text("First value, from the browser")
        page.screenshot(path=ARTIFACTS / "curation-published.png", full_page=True)
        context.close()

    assert [p for p in problems if not re.search(r"favicon", p)] == []
