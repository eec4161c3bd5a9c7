"""Import with a dry run, version history with diffs and revert, and the rest of the audit trail (issue 16,
problem 8): which slugs changed, one default status, delete guidance, searchable tags, difficulty by level."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from questionbank.admin import QuestionAdmin
from questionbank.bankfile import dump_questions, parse_text
from questionbank.models import Question
from questionbank.services import CHILDREN, question_to_bank, questions_import
from tests.accounts.factories import UserFactory
from tests.feedback.helpers import session_in
from tests.questionbank.admin_forms import page_form
from tests.questionbank.curation import ADD, CHANGELIST, IMPORT, change_url, imported, messages_of
from tests.questionbank.knowledge import CODING, THEORY, entry

pytestmark = pytest.mark.django_db


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/x-yaml")


def exported(question: Question, **changes: object) -> dict:
    return {**question_to_bank(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk)), **changes}


def history_url(question: Question) -> str:
    return reverse("admin:questionbank_question_history", args=[question.pk])


def preview_and_confirm(client, name: str, questions: list[dict]):
    preview = client.post(IMPORT, {"file": upload(name, dump_questions(questions))})
    assert preview.status_code == 200, preview.content
    return client.post(IMPORT, {"token": preview.context["token"], "confirm": "1"}, follow=True)


class TestImportDryRun:
    def test_an_upload_is_previewed_per_slug_and_nothing_changes_until_it_is_confirmed(self, superuser_client):
        # Given a file with a changed question, an unchanged one and a new one
        changed, same = Question.objects.filter(type="theory").order_by("slug")[:2]
        questions = [exported(changed, title="A clearer title", hints=["A new hint"]), exported(same),
                     entry(THEORY, slug="brand-new", status="draft")]

        # When it is uploaded
        response = superuser_client.post(IMPORT, {"file": upload("bank.yaml", dump_questions(questions))})

        # Then the page shows what would happen to each slug, and nothing happened yet
        plan = response.context["plan"]
        assert (plan.created, plan.unchanged) == (["brand-new"], [same.slug])
        assert plan.updated == [changed.slug]
        assert plan.changes == {changed.slug: ["title", "hints"]}
        assert b"A clearer title" in response.content
        assert Question.objects.get(pk=changed.pk).title == changed.title
        assert not Question.objects.filter(slug="brand-new").exists()

    def test_confirming_imports_and_the_result_names_the_slugs(self, superuser_client):
        changed = Question.objects.filter(type="theory").order_by("slug").first()

        response = preview_and_confirm(superuser_client, "bank.yaml", [
            exported(changed, title="A clearer title"), entry(THEORY, slug="brand-new", status="draft")])

        text = "\n".join(messages_of(response))
        assert "created: brand-new" in text
        assert f"updated: {changed.slug} (title)" in text
        assert Question.objects.get(pk=changed.pk).title == "A clearer title"
        assert Question.objects.get(slug="brand-new").status == "draft"

    def test_an_upload_with_problems_offers_no_confirmation(self, superuser_client):
        response = superuser_client.post(IMPORT, {"file": upload("bad.yaml", dump_questions(
            [entry(THEORY, slug="bad-one", estimated_time=0)]))})

        assert response.status_code == 200
        assert response.context["token"] is None
        assert b'name="confirm"' not in response.content

    def test_publishing_a_coding_question_without_a_passing_check_is_refused(self, superuser_client):
        response = superuser_client.post(IMPORT, {"file": upload("coding.yaml", dump_questions(
            [entry(CODING, slug="unchecked-coding", status="published")]))})

        assert response.context["token"] is None
        assert "published, but not checked" in "\n".join(response.context["problems"])
        assert not Question.objects.filter(slug="unchecked-coding").exists()

    def test_a_question_without_a_status_imports_as_a_draft_as_the_add_form_defaults(self, superuser_client):
        questions_import(questions=parse_text(dump_questions([entry(THEORY, slug="no-status")]), "x"))

        assert Question.objects.get(slug="no-status").status == "draft"
        assert superuser_client.get(ADD).context["adminform"].form.initial.get("status", "draft") == "draft"
        assert Question._meta.get_field("status").default == "draft"


class TestHistory:
    def test_an_import_lands_in_the_history_with_its_diff_and_reverting_restores_it(self, superuser_client):
        # Given a question changed by an admin import
        question = Question.objects.filter(type="theory").order_by("slug").first()
        preview_and_confirm(superuser_client, "bank.yaml", [exported(question, title="An imported title")])

        # When its history is opened
        response = superuser_client.get(history_url(question))

        # Then the import is there with its diff
        assert response.status_code == 200
        entries = response.context["entries"]
        assert entries[0]["comment"] == "Imported bank.yaml"
        assert f"-title: {question.title}" in entries[0]["diff"]
        assert "+title: An imported title" in entries[0]["diff"]

        # And reverting to the version before it restores the old title
        before = entries[1]["version_id"]
        reverted = superuser_client.post(reverse("admin:questionbank_question_revert", args=[question.pk, before]),
                                         follow=True)
        assert Question.objects.get(pk=question.pk).title == question.title
        assert "Reverted" in "\n".join(messages_of(reverted))
        assert superuser_client.get(history_url(question)).context["entries"][0]["comment"].startswith("Reverted")

    def test_bulk_archive_and_admin_edits_land_in_the_history(self, superuser_client):
        question = imported(entry(THEORY, slug="audited", status="published"))
        superuser_client.post(CHANGELIST, {"action": "archive", "_selected_action": [question.pk]})
        data = page_form(superuser_client.get(change_url(question)))
        data["title"] = "Edited in admin"
        superuser_client.post(change_url(question), data)

        entries = superuser_client.get(history_url(question)).context["entries"]

        assert [e["comment"] for e in entries[:2]] == ["Changed Title.", "Archived (bulk action)"]
        assert "+status: archived" in entries[1]["diff"]
        assert "+title: Edited in admin" in entries[0]["diff"]
        assert Version.objects.get_for_object(question).count() == 3

    def test_reverting_to_other_code_brings_a_published_coding_question_back_as_a_draft(self, superuser_client):
        # Given a published coding question whose solution was then changed (by a trusted file)
        question = imported(entry(CODING, slug="reverted-code", status="published"))
        first = Version.objects.get_for_object(question).get()
        changed = entry(CODING, slug="reverted-code", status="published")
        changed["signatures"]["python"]["solution"] = "def first(xs, i):\n    return int(i)\n"
        imported(changed)

        # When it is reverted to the first version's code, which no reference check has passed
        response = superuser_client.post(reverse("admin:questionbank_question_revert",
                                                 args=[question.pk, first.pk]), follow=True)

        # Then the old code is back, as a draft until it is checked
        reverted = Question.objects.get(pk=question.pk)
        assert reverted.status == "draft"
        assert "return i\n" in reverted.signatures.get(language="python").solution
        assert "It is a draft again" in "\n".join(messages_of(response))

    def test_the_history_page_takes_a_fixed_number_of_queries(self, superuser_client,
                                                               django_assert_max_num_queries):
        question = imported(entry(THEORY, slug="long-history", status="draft"))
        superuser_client.get(history_url(question))
        with django_assert_max_num_queries(12):
            superuser_client.get(history_url(question))
        for n in range(5):
            imported(entry(THEORY, slug="long-history", status="draft", title=f"Title number {n}"))
        with django_assert_max_num_queries(12):
            response = superuser_client.get(history_url(question))
        assert len(response.context["entries"]) == 6

    def test_a_curator_may_revert(self, curator_client):
        question = imported(entry(THEORY, slug="curated", status="draft"))
        imported(entry(THEORY, slug="curated", status="draft", title="Second title"))
        first = Version.objects.get_for_object(question).order_by("pk").first()

        curator_client.post(reverse("admin:questionbank_question_revert", args=[question.pk, first.pk]))

        assert Question.objects.get(pk=question.pk).title == THEORY["title"]


class TestListAndDelete:
    def test_the_list_takes_a_fixed_number_of_queries(self, superuser_client, django_assert_max_num_queries):
        drafts = {"status__exact": "draft"}
        imported(entry(THEORY, slug="one-draft", status="draft"))
        superuser_client.get(CHANGELIST, drafts)
        with django_assert_max_num_queries(12):
            superuser_client.get(CHANGELIST, drafts)
        for n in range(5):
            imported(entry(THEORY, slug=f"one-more-{n}", status="draft"))
        with django_assert_max_num_queries(12):
            response = superuser_client.get(CHANGELIST, drafts)
        assert len(response.context["cl"].result_list) == 6

    def test_tags_are_searched(self, superuser_client):
        question = imported(entry(THEORY, slug="tagged", status="draft", tags=["zebra-striped"]))

        response = superuser_client.get(CHANGELIST, {"q": "zebra-striped"})

        assert [q.pk for q in response.context["cl"].result_list] == [question.pk]

    def test_difficulty_sorts_by_level(self, superuser_client):
        column = ["action_checkbox", *QuestionAdmin.list_display].index("difficulty_level")

        response = superuser_client.get(CHANGELIST, {"o": str(column), "type__exact": "coding"})

        levels = [q.difficulty for q in response.context["cl"].result_list]
        assert levels == sorted(levels, key=["easy", "medium", "hard"].index)
        assert set(levels) == {"easy", "medium", "hard"}

    def test_deleting_a_question_used_in_a_session_explains_to_archive_it_instead(self, superuser_client):
        session = session_in(UserFactory(), "in_progress")
        question = session.plan.get().question

        response = superuser_client.get(reverse("admin:questionbank_question_delete", args=[question.pk]))

        content = response.content.decode()
        assert "used in 1 interview session" in content
        assert "Archive it instead" in content
        assert "Session question:" not in content


def test_the_403_page_is_styled(curator_client):
    response = curator_client.get("/admin/auth/group/")

    assert response.status_code == 403
    content = response.content.decode()
    assert 'rel="stylesheet"' in content
    assert "You do not have permission" in content
