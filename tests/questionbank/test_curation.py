"""Curating in admin (issue 16): one validator for every door, a safe slug, reference checks that gate
publishing, preview, line endings, the order of inline rows, and the audit trail."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cloudinterview.api.ids import stable_public_id
from questionbank.bankfile import dump_questions, normalise, parse_text
from questionbank.checks import reference_fingerprint
from questionbank.entries import question_bank_data
from questionbank.models import Hint, Question, Signature
from questionbank.models import TestCase as QuestionTestCase
from questionbank.services import CHILDREN, question_to_bank, questions_export, questions_import
from questionbank.tasks import record_reference_result
from tests.questionbank.admin_forms import add_rows, page_form
from tests.questionbank.curation import (
    ADD,
    CHANGELIST,
    IMPORT,
    change_url,
    entry_form,
    imported,
    inline,
    messages_of,
)
from tests.questionbank.knowledge import CODING, THEORY, entry

pytestmark = pytest.mark.django_db


def said(errors) -> str:
    """The messages of an error list as the curator reads them (unescaped)."""
    return "\n".join(errors)


def bank_of(question: Question) -> dict:
    return question_to_bank(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk))


def run_action(client, action: str, questions: list[Question]):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [q.pk for q in questions]}, follow=True)


@pytest.fixture
def check(superuser_client, django_capture_on_commit_callbacks):
    """Run the reference check action on questions; the sandbox runs once the request's transaction commits."""

    def run(*questions: Question):
        with django_capture_on_commit_callbacks(execute=True):
            response = run_action(superuser_client, "check_reference_solutions", list(questions))
        return response, Question.objects.get(pk=questions[0].pk).reference_check

    return run


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/x-yaml")


class TestOneValidatorForEveryDoor:
    """Problem 1: the add/edit form skipped the import checks."""

    def test_a_broken_published_coding_question_is_refused_with_messages_next_to_its_fields(
            self, superuser_client):
        # Given a coding question with no rubric, only a Rust signature, two tests both named "example" whose
        # args are not a list, tags that are a JSON object, and a time of 500 minutes
        data = entry_form(entry(CODING, slug="broken-coding", status="published", rubric=[],
                                signatures={"rust": {"function_name": "first", "starter_code": "fn first() {}",
                                                     "solution": "fn first() {}"}},
                                tests=[{"name": "example", "args": 5, "expected": 5},
                                       {"name": "example", "args": [1], "expected": 1}]))
        data |= {"tags": '{"a":1}', "estimated_time": 500}

        # When it is saved from the add form
        response = superuser_client.post(ADD, data)

        # Then nothing is saved and each problem is shown next to its field, inline or row
        assert response.status_code == 200
        assert not Question.objects.filter(slug="broken-coding").exists()
        form = response.context["adminform"].form
        assert "kebab-case tags" in said(form.errors["tags"])
        assert "1..120" in said(form.errors["estimated_time"])
        assert "non-empty list of points" in said(inline(response, "rubric_points").non_form_errors())
        signatures = inline(response, "signatures")
        assert "lacks 'python'" in said(signatures.non_form_errors())
        assert "only ['python', 'javascript'] can run" in said(signatures.forms[0].errors["language"])
        tests = inline(response, "test_cases")
        assert "list of JSON values" in said(tests.forms[0].errors["args"])
        assert "duplicate test name 'example'" in said(tests.forms[1].errors["name"])
        assert "at least 6 'tests'" in said(tests.non_form_errors())

    def test_a_rubric_weight_out_of_range_is_refused_on_its_row(self, superuser_client):
        data = entry_form(entry(THEORY, slug="heavy-weight"))
        data["rubric_points-1-weight"] = 99

        response = superuser_client.post(ADD, data)

        assert response.status_code == 200
        assert "integer 1..10" in said(inline(response, "rubric_points").forms[1].errors["weight"])
        assert not Question.objects.filter(slug="heavy-weight").exists()

    def test_a_valid_coding_question_made_in_the_add_form_is_what_the_bank_format_says(self, superuser_client):
        # Given every part of a valid coding question typed into the add form
        data = entry(CODING, slug="made-in-admin", status="draft", tags=["arrays", "warm-up"],
                     hints=["Look at the first slot", "Index zero"], follow_ups=["What if it is empty?"])

        # When it is saved
        response = superuser_client.post(ADD, entry_form(data))

        # Then it is stored exactly as the bank file would store it, and its export imports back unchanged
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        question = Question.objects.get(slug="made-in-admin")
        assert normalise(bank_of(question)) == normalise(data)
        report = questions_import(questions=parse_text(questions_export(
            queryset=Question.objects.filter(pk=question.pk)), "export.yaml"))
        assert (report.created, report.updated, report.unchanged) == ([], [], ["made-in-admin"])

    def test_phrases_typed_as_one_quoted_word_stay_one_phrase_through_export_and_import(self, superuser_client):
        # Given a curator who types "overflow" (with quotes) as a rubric point's phrases
        question = imported(entry(THEORY, slug="one-phrase", status="draft"))
        data = page_form(superuser_client.get(change_url(question)))
        data["rubric_points-0-phrases"] = '"overflow"'

        # When it is saved and exported
        response = superuser_client.post(change_url(question), data)

        # Then it is one phrase, and the export imports back unchanged (not as eight one-letter phrases)
        assert response.status_code == 302
        assert bank_of(question)["rubric"][0]["phrases"] == ['"overflow"']
        report = questions_import(questions=parse_text(questions_export(
            queryset=Question.objects.filter(pk=question.pk)), "export.yaml"))
        assert report.unchanged == ["one-phrase"]


class TestSlugs:
    """Problem 2: renaming a slug broke the bank (the public id stayed, then loading it again failed)."""

    def test_the_slug_of_a_published_question_cannot_change(self, superuser_client):
        question = Question.objects.filter(type="theory", status="published").first()
        data = page_form(superuser_client.get(change_url(question)))
        data["slug"] = "a-new-name"

        response = superuser_client.post(change_url(question), data)

        assert response.status_code == 200
        assert "cannot change once" in said(response.context["adminform"].form.errors["slug"])
        assert Question.objects.get(pk=question.pk).slug == question.slug

    def test_renaming_a_draft_moves_its_public_id_and_the_old_slug_imports_again(self, superuser_client):
        # Given a draft renamed in admin
        question = imported(entry(THEORY, slug="draft-before", status="draft"))
        data = page_form(superuser_client.get(change_url(question)))
        data["slug"] = "draft-after"
        assert superuser_client.post(change_url(question), data).status_code == 302

        # When a file with the old slug is imported
        report = questions_import(questions=parse_text(dump_questions([entry(THEORY, slug="draft-before")]), "x"))

        # Then both exist, each with the public id of its own slug
        assert report.created == ["draft-before"]
        ids = dict(Question.objects.filter(slug__in=["draft-before", "draft-after"]).values_list("slug", "public_id"))
        assert ids == {slug: stable_public_id("q", slug) for slug in ("draft-before", "draft-after")}

    def test_loading_the_bank_survives_a_question_renamed_before_slugs_were_locked(self):
        # Given a bundled question whose slug was changed while its public id stayed
        original = Question.objects.filter(type="theory").order_by("slug").first()
        Question.objects.filter(pk=original.pk).update(slug="renamed-by-hand")

        # When the bank is loaded again (as `make run` does)
        out = io.StringIO()
        call_command("load_question_bank", stdout=out)

        # Then it loads: the bundled question is back under its slug and id, the renamed one has its own
        assert Question.objects.get(slug=original.slug).public_id == original.public_id
        assert Question.objects.get(pk=original.pk).public_id == stable_public_id("q", "renamed-by-hand")

    def test_an_admin_import_after_a_hand_rename_previews_instead_of_failing(self, superuser_client):
        original = Question.objects.filter(type="theory").order_by("slug").first()
        text = questions_export(queryset=Question.objects.filter(pk=original.pk))
        Question.objects.filter(pk=original.pk).update(slug="renamed-by-hand")

        response = superuser_client.post(IMPORT, {"file": upload("old.yaml", text)})

        assert response.status_code == 200
        assert response.context["plan"].created == [original.slug]


class TestReferenceChecks:
    """Problems 3 and 4: the action failed on an unsupported language; results went stale and did not gate."""

    def test_the_check_action_reports_each_question_and_survives_an_unsupported_language(self, superuser_client, check):
        # Given a coding question with an extra Rust signature, another coding question, and a theory question
        odd = imported(entry(CODING, slug="with-rust", status="draft"))
        Signature.objects.create(question=odd, language="rust", function_name="first", starter_code="fn first()",
                                 solution="fn first() {}")
        fine = imported(entry(CODING, slug="plain-coding", status="draft"))
        theory = Question.objects.filter(type="theory").first()

        # When the check runs on all three
        response, _ = check(odd, fine, theory)

        # Then the page reports per question, and the runnable languages were checked
        assert response.status_code == 200
        text = "\n".join(messages_of(response))
        assert "with-rust: rust cannot run" in text
        assert "plain-coding: checking javascript, python" in text
        assert f"{theory.slug}: not a coding question" in text
        results = Question.objects.get(pk=odd.pk).reference_check["results"]
        assert {lang: r["verdict"] for lang, r in results.items()} == {
            "python": "accepted", "javascript": "accepted", "rust": "unsupported_language"}
        assert Question.objects.get(pk=fine.pk).reference_check["results"]["python"]["verdict"] == "accepted"

    def test_code_the_sandbox_would_refuse_is_reported_instead_of_run(self, superuser_client, check):
        # Given a question saved before the admin validated it: a test whose args are not a list
        question = imported(entry(CODING, slug="bad-args", status="draft"))
        QuestionTestCase.objects.filter(question=question, name="case 1").update(args=5)

        response, result = check(question)

        assert response.status_code == 200
        assert "bad-args: cannot run: tests[1]: 'args' must be a list" in "\n".join(messages_of(response))
        assert result is None

    def test_editing_a_solution_makes_the_check_stale_and_checking_again_clears_it(self, superuser_client, check):
        question = imported(entry(CODING, slug="edited-solution", status="draft"))
        assert check(question)[1]["results"]["python"]["verdict"] == "accepted"
        data = page_form(superuser_client.get(change_url(question)))
        python = next(k for k, v in data.items() if v == "python" and k.endswith("-language"))
        data[python.replace("-language", "-solution")] = "def first(xs, i):\n    return i + 0\n"

        assert superuser_client.post(change_url(question), data).status_code == 302

        assert Question.objects.get(pk=question.pk).reference_check is None
        listing = superuser_client.get(CHANGELIST, {"q": "edited-solution"})
        assert b"not checked" in listing.content
        assert check(question)[1]["results"]["python"]["verdict"] == "accepted"

    def test_a_question_failing_its_check_cannot_be_published_from_the_form(self, superuser_client, check):
        # Given a draft whose Python solution is wrong, checked
        question = imported(entry(CODING, slug="wrong-python", status="draft"))
        Signature.objects.filter(question=question, language="python").update(
            solution="def first(xs, i):\n    return -1\n")
        check(question)

        # When a curator saves it as published
        data = page_form(superuser_client.get(change_url(question)))
        data["status"] = "published"
        response = superuser_client.post(change_url(question), data)

        # Then it is refused with the verdict next to the status
        assert response.status_code == 200
        assert "python: wrong_answer" in said(response.context["adminform"].form.errors["status"])
        assert Question.objects.get(pk=question.pk).status == "draft"

    def test_bulk_publish_skips_and_names_questions_without_a_passing_check(self, superuser_client, check):
        unchecked = imported(entry(CODING, slug="never-checked", status="draft"))
        passing = imported(entry(CODING, slug="checked-fine", status="draft"))
        check(passing)

        response = run_action(superuser_client, "publish", [unchecked, passing])

        assert Question.objects.get(pk=passing.pk).status == "published"
        assert Question.objects.get(pk=unchecked.pk).status == "draft"
        assert "never-checked: not checked" in "\n".join(messages_of(response))

    def test_the_list_filters_questions_whose_check_fails(self, superuser_client, check):
        failing = imported(entry(CODING, slug="failing-check", status="draft"))
        Signature.objects.filter(question=failing, language="javascript").update(
            solution="function first(xs, i) {\n  return -1;\n}\n")
        passing = imported(entry(CODING, slug="passing-check", status="draft"))
        for question in (failing, passing):
            check(question)

        response = superuser_client.get(CHANGELIST, {"reference": "failing"})

        assert response.status_code == 200
        assert [q.slug for q in response.context["cl"].result_list] == ["failing-check"]

    def test_a_result_for_code_edited_after_the_check_was_queued_is_dropped(self):
        question = imported(entry(CODING, slug="raced", status="draft"))
        queued = reference_fingerprint(question_bank_data(question))
        Signature.objects.filter(question=question, language="python").update(
            solution="def first(xs, i):\n    return 0\n")

        record_reference_result({"verdict": "accepted", "passed": 6, "total": 6, "cases": []}, question.pk, "python",
                                queued)

        assert Question.objects.get(pk=question.pk).reference_check is None

    def test_a_failing_case_shows_what_was_expected_and_what_came_back(self, superuser_client, check):
        question = imported(entry(CODING, slug="shows-failures", status="draft"))
        Signature.objects.filter(question=question, language="javascript").update(
            solution="function first(xs, i) {\n  return -1;\n}\n")

        failed = check(question)[1]["results"]["javascript"]["failed"]

        assert failed[0] == {"name": "case 0", "status": "failed", "expected": 0, "actual": -1, "error": None}


class TestPreview:
    """Problem 5: no preview, no "View on site", drafts were 404 even for staff."""

    def test_the_change_page_renders_the_description_and_links_to_the_site(self, superuser_client):
        question = imported(entry(THEORY, slug="previewed", status="draft",
                                  description="Compare **quicksort** and <script>alert(1)</script>"))

        response = superuser_client.get(change_url(question))

        content = response.content.decode()
        assert '<div class="markdown-preview prose" data-preview-for="id_description">' in content
        assert "<strong>quicksort</strong>" in content
        assert "<script>alert(1)</script>" not in content
        assert f'href="/questions/{question.public_id}/"' in content

    def test_the_preview_endpoint_renders_sanitised_markdown(self, superuser_client):
        response = superuser_client.post(reverse("admin:questionbank_question_preview"),
                                         {"text": "*new* [x](javascript:alert(1))"})

        assert response.status_code == 200
        assert response.content.decode() == '<p><em>new</em> <a rel="nofollow noopener noreferrer">x</a></p>'

    def test_only_staff_who_may_see_questions_get_a_preview(self, client, user):
        client.force_login(user)

        response = client.post(reverse("admin:questionbank_question_preview"), {"text": "*x*"})

        assert response.status_code == 302  # to the admin's login

    def test_staff_see_a_draft_on_the_candidate_page_with_a_banner_and_candidates_do_not(
            self, superuser_client, user):
        question = imported(entry(THEORY, slug="draft-preview", status="draft"))
        url = reverse("pages:question_detail", args=[question.public_id])

        staff_view = superuser_client.get(url)
        candidate = Client()
        candidate.force_login(user)
        candidate_view = candidate.get(url)

        assert staff_view.status_code == 200
        assert b"Draft: candidates cannot see this question" in staff_view.content
        assert candidate_view.status_code == 404


class TestLineEndings:
    """Problem 6: text edited in admin kept Windows line endings."""

    def test_crlf_is_stored_as_lf_and_an_unchanged_export_imports_back_unchanged(self, superuser_client):
        question = imported(entry(CODING, slug="windows-lines", status="draft"))
        data = page_form(superuser_client.get(change_url(question)))
        data["description"] = "First line.\r\nSecond line.\r\n"
        solution = next(k for k in data if k.endswith("-solution"))
        data[solution] = data[solution].replace("\n", "\r\n")

        assert superuser_client.post(change_url(question), data).status_code == 302

        stored = bank_of(question)
        assert stored["description"] == "First line.\nSecond line.\n"
        assert all("\r" not in s["solution"] for s in stored["signatures"].values())
        text = questions_export(queryset=Question.objects.filter(pk=question.pk))
        assert "\\r" not in text
        assert questions_import(questions=parse_text(text, "x")).unchanged == ["windows-lines"]


class TestInlineOrder:
    """Problem 7: a hint added at the bottom was saved first."""

    def test_a_hint_added_at_the_bottom_is_saved_and_shown_last(self, superuser_client):
        question = imported(entry(THEORY, slug="ordered-hints", status="draft", hints=["First", "Second"]))
        data = page_form(superuser_client.get(change_url(question)))
        add_rows(data, "hints", [{"text": "Third"}])

        assert superuser_client.post(change_url(question), data).status_code == 302

        assert bank_of(question)["hints"] == ["First", "Second", "Third"]

    def test_rows_are_saved_in_the_order_they_were_dragged_to(self, superuser_client):
        question = imported(entry(THEORY, slug="dragged-hints", status="draft", hints=["A", "B", "C"]))
        data = page_form(superuser_client.get(change_url(question)))
        # The drag handle rewrites the hidden positions in the order the rows now stand: C, A, B
        data |= {"hints-0-position": 1, "hints-1-position": 2, "hints-2-position": 0}

        assert superuser_client.post(change_url(question), data).status_code == 302

        assert bank_of(question)["hints"] == ["C", "A", "B"]
        assert list(Hint.objects.filter(question=question).values_list("position", flat=True)) == [0, 1, 2]
