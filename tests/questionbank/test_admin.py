"""Curation in Django admin: list, change page, bulk actions, import/export, reference checks, who may curate."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from questionbank.admin import QuestionAdmin
from questionbank.bankfile import dump_questions, parse_text
from questionbank.models import Misconception, Question, RubricPoint
from questionbank.services import CHILDREN, question_to_bank, questions_import
from tests.accounts.factories import UserFactory
from tests.questionbank.factories import QuestionFactory, RubricPointFactory, coding_question
from tests.questionbank.knowledge import THEORY, entry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questionbank_question_changelist")
ADD = reverse("admin:questionbank_question_add")
IMPORT = reverse("admin:questionbank_question_import")
INLINE_PREFIXES = CHILDREN
# The changelist numbers its columns from 1 after the action checkbox.
SUCCESS_RATE_COLUMN = ["action_checkbox", *QuestionAdmin.list_display].index("success_rate")


def change_url(question: Question) -> str:
    return reverse("admin:questionbank_question_change", args=[question.pk])


def run_action(client, action: str, questions: list[Question]):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [q.pk for q in questions]})


def form_data(**fields: object) -> dict[str, object]:
    """A complete admin form for a theory question with empty inlines."""
    data = {"slug": "admin-made-question", "type": "theory", "category": "testing", "difficulty": "easy",
            "title": "Made in admin", "description": "Explain it.", "estimated_time": 5, "tags": '["admin"]',
            "status": "draft", "curated_by": ""}
    for prefix in INLINE_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0,
                 f"{prefix}-MAX_NUM_FORMS": 1000}
    return data | fields


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/x-yaml")


def new_question(slug: str, **fields: object) -> dict:
    """A valid theory question, the evaluator's knowledge included."""
    return entry(THEORY, slug=slug, **fields)


class TestChangeList:
    def test_filters_search_and_ordering_by_success_rate_render(self, superuser_client):
        # Given coding questions with different success rates
        low, high = (coding_question(title=f"Zebra sums {n}", difficulty="hard") for n in (1, 2))
        Question.objects.filter(pk=low.pk).update(success_rate=12.5)
        Question.objects.filter(pk=high.pk).update(success_rate=87.5)

        # When the list is filtered, searched and sorted by success rate, highest first
        response = superuser_client.get(CHANGELIST, {
            "status__exact": "published", "type__exact": "coding", "difficulty__exact": "hard",
            "q": "zebra sums", "o": f"-{SUCCESS_RATE_COLUMN}",
        })

        # Then it renders exactly those questions in that order
        assert response.status_code == 200
        assert [q.pk for q in response.context["cl"].result_list] == [high.pk, low.pk]
        assert b"Import YAML" in response.content

    def test_ordering_the_whole_bank_by_success_rate_puts_the_best_first(self, superuser_client):
        best = list(Question.objects.order_by("-id").values_list("pk", flat=True)[:3])
        Question.objects.filter(pk__in=best).update(success_rate=50.0)

        response = superuser_client.get(CHANGELIST, {"o": f"-{SUCCESS_RATE_COLUMN}"})

        rates = [q.success_rate for q in response.context["cl"].result_list]
        assert response.status_code == 200
        assert rates == sorted(rates, reverse=True)
        assert {q.pk for q in response.context["cl"].result_list[:3]} == set(best)


class TestChangePage:
    def test_a_coding_question_renders_with_all_its_inlines(self, superuser_client):
        question = coding_question()

        response = superuser_client.get(change_url(question))

        assert response.status_code == 200
        initial = {f.formset.prefix: f.formset.initial_form_count() for f in response.context["inline_admin_formsets"]}
        assert initial == {"hints": 0, "follow_ups": 0, "rubric_points": 1, "misconceptions": 1, "red_flags": 0,
                           "signatures": 2, "test_cases": 4}

    def test_editing_the_rubric_in_admin_bumps_the_rubric_version(self, superuser_client):
        # Given a question with one rubric point
        question = QuestionFactory(slug="admin-made-question")
        point = RubricPointFactory(question=question, phrases=["key idea"])

        # When a curator changes that point's phrases in the change form
        data = form_data(status="published", **{
            "rubric_points-TOTAL_FORMS": 1, "rubric_points-INITIAL_FORMS": 1,
            "rubric_points-0-id": point.pk, "rubric_points-0-question": question.pk,
            "rubric_points-0-position": 0, "rubric_points-0-point": point.point, "rubric_points-0-weight": 1,
            "rubric_points-0-phrases": '["key idea", "another idea"]',
        })
        response = superuser_client.post(change_url(question), data)

        # Then the rubric version goes up
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert RubricPoint.objects.get(pk=point.pk).phrases == ["key idea", "another idea"]
        assert Question.objects.get(pk=question.pk).rubric_version == question.rubric_version + 1


    def test_editing_a_misconception_in_admin_bumps_the_rubric_version(self, superuser_client):
        # Given a question with one misconception
        question = QuestionFactory(slug="admin-made-question")
        wrong = Misconception.objects.create(question=question, claim="UDP is connection-oriented",
                                             correction="UDP is connectionless")

        # When a curator points it at the first rubric point and rewords its correction
        data = form_data(status="published", **{
            "misconceptions-TOTAL_FORMS": 1, "misconceptions-INITIAL_FORMS": 1,
            "misconceptions-0-id": wrong.pk, "misconceptions-0-question": question.pk,
            "misconceptions-0-position": 0, "misconceptions-0-claim": wrong.claim,
            "misconceptions-0-correction": "UDP is connectionless: no handshake", "misconceptions-0-point": 1,
        })
        response = superuser_client.post(change_url(question), data)

        # Then it is stored and the rubric version goes up
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Misconception.objects.filter(pk=wrong.pk, point=1, correction__endswith="no handshake").exists()
        assert Question.objects.get(pk=question.pk).rubric_version == question.rubric_version + 1

    def test_editing_the_reference_answer_bumps_the_rubric_version_and_a_title_does_not(self, superuser_client):
        question = QuestionFactory(slug="admin-made-question")

        superuser_client.post(change_url(question), form_data(title="Renamed in admin"))
        renamed = Question.objects.get(pk=question.pk)
        superuser_client.post(change_url(question), form_data(title="Renamed in admin",
                                                              reference_answer="A strong answer says this."))

        assert renamed.rubric_version == question.rubric_version
        edited = Question.objects.get(pk=question.pk)
        assert edited.reference_answer == "A strong answer says this."
        assert edited.rubric_version == question.rubric_version + 1


class TestBulkActions:
    def test_publish_makes_selected_drafts_visible(self, superuser_client):
        drafts = QuestionFactory.create_batch(2, status="draft")
        untouched = QuestionFactory(status="draft")

        response = run_action(superuser_client, "publish", drafts)

        assert response.status_code == 302
        assert {q.status for q in Question.objects.filter(pk__in=[d.pk for d in drafts])} == {"published"}
        assert Question.objects.get(pk=untouched.pk).status == "draft"

    def test_archive_hides_selected_questions(self, superuser_client):
        published = QuestionFactory.create_batch(2)

        run_action(superuser_client, "archive", published)

        assert {q.status for q in Question.objects.filter(pk__in=[p.pk for p in published])} == {"archived"}

    def test_the_export_action_round_trips_unchanged(self, superuser_client):
        # Given the coding questions exported through the admin action
        coding = list(Question.objects.filter(type="coding"))
        before = [question_to_bank(q) for q in coding]

        response = run_action(superuser_client, "export_yaml", coding)

        # When the download is imported again
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="questions-')
        report = questions_import(questions=parse_text(response.content.decode(), "export.yaml"))

        # Then every question is unchanged
        assert (report.created, report.updated) == ([], [])
        assert sorted(report.unchanged) == sorted(q.slug for q in coding)
        assert [question_to_bank(q) for q in Question.objects.filter(pk__in=[q.pk for q in coding])] == before

    def test_check_reference_solutions_stores_a_report_per_language(
            self, superuser_client, django_capture_on_commit_callbacks):
        # Given a coding question and a theory question selected
        question = coding_question()
        theory = QuestionFactory()

        # When the check runs (queued after commit, executed eagerly here)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = run_action(superuser_client, "check_reference_solutions", [question, theory])

        # Then each language of the coding question has a passing verdict, and theory questions are skipped
        assert response.status_code == 302
        assert len(callbacks) == 2
        check = Question.objects.get(pk=question.pk).reference_check
        assert set(check["results"]) == {"python", "javascript"}
        for result in check["results"].values():
            assert (result["verdict"], result["passed"], result["total"], result["failed"]) == ("accepted", 4, 4, [])
        assert check["checkedAt"]
        assert Question.objects.get(pk=theory.pk).reference_check is None

    def test_the_list_shows_the_reference_check_verdicts(self, superuser_client):
        question = coding_question(title="Checked question")
        Question.objects.filter(pk=question.pk).update(reference_check={"results": {
            "python": {"verdict": "accepted"}, "javascript": {"verdict": "wrong_answer"}}})

        response = superuser_client.get(CHANGELIST, {"q": "Checked question"})

        assert b"javascript: wrong_answer, python: accepted" in response.content


class TestImportView:
    def test_the_upload_form_renders(self, superuser_client):
        response = superuser_client.get(IMPORT)

        assert response.status_code == 200
        assert b'type="file"' in response.content

    def test_a_malformed_upload_imports_nothing_and_lists_the_line_and_question(self, superuser_client):
        # Given a file with a valid new question, a change to an existing one, and a broken question
        existing = Question.objects.filter(type="theory").first()
        changed = {**question_to_bank(Question.objects.prefetch_related("rubric_points").get(pk=existing.pk)),
                   "title": "Should not be saved"}
        valid_part = dump_questions([new_question("uploaded-question"), changed])
        text = valid_part + dump_questions([new_question("broken-upload", estimated_time=0)])

        # When it is uploaded
        response = superuser_client.post(IMPORT, {"file": upload("upload.yaml", text)})

        # Then the page lists the problem with its line and question, and nothing was imported
        line = valid_part.count("\n") + 1
        assert response.status_code == 200
        assert response.context["problems"] == [
            f"upload.yaml:{line} question #3 (broken-upload): 'estimated_time' must be whole minutes 1..120"]
        assert b"Nothing was imported" in response.content
        assert not Question.objects.filter(slug="uploaded-question").exists()
        assert Question.objects.get(pk=existing.pk).title == existing.title

    def test_a_non_utf8_upload_is_refused(self, superuser_client):
        response = superuser_client.post(IMPORT, {"file": SimpleUploadedFile("bank.yaml", b"\xff\xfe- slug")})

        assert response.context["problems"] == ["bank.yaml: not UTF-8 text"]

    def test_a_valid_upload_is_imported_and_credited_to_the_curator(self, superuser_client, superuser):
        response = superuser_client.post(IMPORT, {"file": upload("new.yaml", dump_questions([new_question("up")]))})

        assert response.status_code == 302
        assert Question.objects.get(slug="up").curated_by == superuser


class TestPermissions:
    def test_a_curator_can_view_the_list_and_the_add_and_change_pages(self, curator_client):
        question = coding_question()

        assert curator_client.get(CHANGELIST).status_code == 200
        assert curator_client.get(ADD).status_code == 200
        assert curator_client.get(change_url(question)).status_code == 200
        assert curator_client.get(IMPORT).status_code == 200

    def test_a_curator_can_add_a_question(self, curator_client, curator):
        response = curator_client.post(ADD, form_data())

        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Question.objects.get(slug="admin-made-question").curated_by == curator

    def test_a_curator_can_change_a_question(self, curator_client):
        question = QuestionFactory(slug="admin-made-question", status="draft")

        response = curator_client.post(change_url(question), form_data(title="Renamed by a curator"))

        assert response.status_code == 302
        assert Question.objects.get(pk=question.pk).title == "Renamed by a curator"

    def test_a_curator_can_publish_in_bulk(self, curator_client):
        draft = QuestionFactory(status="draft")

        run_action(curator_client, "publish", [draft])

        assert Question.objects.get(pk=draft.pk).status == "published"

    @pytest.mark.parametrize("url", ["/admin/accounts/user/", "/admin/auth/group/", "/admin/accounts/login/"])
    def test_a_curator_is_forbidden_everything_outside_the_bank(self, curator_client, url):
        assert curator_client.get(url).status_code == 403

    def test_staff_without_the_curator_group_cannot_see_or_change_questions(self, staff_without_group_client):
        question = QuestionFactory(slug="admin-made-question", status="draft")

        assert staff_without_group_client.get(CHANGELIST).status_code == 403
        assert staff_without_group_client.get(change_url(question)).status_code == 403
        response = staff_without_group_client.post(change_url(question), form_data(title="Hijacked"))
        assert response.status_code == 403
        assert Question.objects.get(pk=question.pk).title == question.title

    def test_staff_without_the_curator_group_cannot_import(self, staff_without_group_client):
        file = upload("x.yaml", dump_questions([new_question("x")]))

        response = staff_without_group_client.post(IMPORT, {"file": file})

        assert response.status_code in (302, 403)
        assert not Question.objects.filter(slug="x").exists()

    def test_view_only_staff_cannot_publish_or_check_in_bulk(self, client):
        # Given a staff user who may view questions but not change them
        viewer = UserFactory(email="viewer@example.com", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_question"))
        client.force_login(viewer)
        draft = QuestionFactory(status="draft")

        # When they try the bulk publish action
        client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})

        # Then the draft stays a draft, and the list offers no changing action
        assert Question.objects.get(pk=draft.pk).status == "draft"
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        offered = {name for name, _ in response.context["action_form"].fields["action"].choices}
        assert "export_yaml" in offered
        assert offered & {"publish", "archive", "check_reference_solutions"} == set()
