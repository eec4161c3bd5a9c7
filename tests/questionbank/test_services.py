"""Question-bank services: attempt counters (also under concurrency), upserts, status changes, reference checks."""

import os
import threading

import pytest
from django.db import connection

from questionbank.bankfile import normalise
from questionbank.models import Question, Signature
from questionbank.selectors import question_random
from questionbank.services import (
    CHILDREN,
    question_record_attempt,
    question_to_bank,
    question_upsert,
    questions_set_status,
)
from questionbank.tasks import record_reference_result, reference_check_queue
from tests.questionbank.factories import QuestionFactory, RubricPointFactory, coding_question


def bank_data(question: Question) -> dict:
    return normalise(question_to_bank(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk)))


class TestRecordAttempt:
    @pytest.mark.django_db
    def test_counters_follow_a_mix_of_solved_and_unsolved_attempts(self):
        question = QuestionFactory()

        for solved in (True, False, False, True, True, False, False, False):
            question_record_attempt(question_id=question.pk, solved=solved)

        question.refresh_from_db()
        assert (question.solved_count, question.attempt_count, question.success_rate) == (3, 8, 37.5)

    @pytest.mark.django_db
    def test_a_first_unsolved_attempt_leaves_a_zero_success_rate(self):
        question = QuestionFactory()

        question_record_attempt(question_id=question.pk, solved=False)

        question.refresh_from_db()
        assert (question.solved_count, question.attempt_count, question.success_rate) == (0, 1, 0.0)

    @pytest.mark.django_db
    def test_only_the_given_question_is_counted(self):
        counted, other = QuestionFactory(), QuestionFactory()

        question_record_attempt(question_id=counted.pk, solved=True)

        other.refresh_from_db()
        assert (other.solved_count, other.attempt_count, other.success_rate) == (0, 0, 0.0)

    @pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="concurrent writers need PostgreSQL")
    @pytest.mark.django_db(transaction=True)
    def test_concurrent_attempts_lose_no_updates(self):
        # Given one question and 8 threads, each recording 25 attempts of which 10 solved
        question = QuestionFactory()
        threads, per_thread, solved_per_thread = 8, 25, 10
        start = threading.Barrier(threads)
        errors: list[BaseException] = []

        def attempts() -> None:
            try:
                start.wait()
                for i in range(per_thread):
                    question_record_attempt(question_id=question.pk, solved=i < solved_per_thread)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)
            finally:
                connection.close()

        # When they all write at once
        workers = [threading.Thread(target=attempts) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        # Then every attempt is counted and the rate matches the counts
        assert errors == []
        question.refresh_from_db()
        assert question.attempt_count == threads * per_thread
        assert question.solved_count == threads * solved_per_thread
        assert question.success_rate == pytest.approx(100.0 * solved_per_thread / per_thread)


@pytest.mark.django_db
class TestUpsert:
    def test_unchanged_data_is_reported_unchanged_and_not_written(self):
        question = coding_question()
        data = bank_data(question)
        question_upsert(data=data)
        before = Question.objects.get(pk=question.pk).updated_at

        _, outcome = question_upsert(data=data)

        assert outcome == "unchanged"
        assert Question.objects.get(pk=question.pk).updated_at == before

    def test_an_update_keeps_the_attempt_counters(self):
        question = QuestionFactory()
        RubricPointFactory(question=question)
        question_record_attempt(question_id=question.pk, solved=True)
        data = {**bank_data(question), "title": "Retitled"}

        updated, outcome = question_upsert(data=data)

        assert outcome == "updated"
        assert (updated.pk, updated.solved_count, updated.attempt_count, updated.success_rate) == (
            question.pk, 1, 1, 100.0)

    def test_only_a_rubric_change_bumps_the_rubric_version(self):
        question = QuestionFactory()
        RubricPointFactory(question=question)
        data = bank_data(question)

        retitled, _ = question_upsert(data={**data, "title": "Retitled"})
        reweighted, _ = question_upsert(data={**data, "rubric": [{**data["rubric"][0], "weight": 5}]})

        assert retitled.rubric_version == 1
        assert reweighted.rubric_version == 2


@pytest.mark.django_db
class TestSetStatus:
    def test_returns_how_many_changed_and_skips_those_already_there(self):
        drafts = QuestionFactory.create_batch(2, status="draft")
        already = QuestionFactory(status="published")

        changed = questions_set_status(queryset=Question.objects.filter(pk__in=[*[d.pk for d in drafts], already.pk]),
                                       status="published")

        assert changed == 2
        assert set(Question.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)) == {
            "published"}


@pytest.mark.django_db
class TestReferenceCheck:
    def test_a_wrong_reference_solution_is_reported_with_its_failing_cases(
            self, django_capture_on_commit_callbacks):
        # Given a coding question whose JavaScript solution subtracts instead of adding
        question = coding_question()
        Signature.objects.filter(question=question, language="javascript").update(
            solution="function add(a, b) {\n  return a - b;\n}\n")

        # When its reference solutions are checked
        with django_capture_on_commit_callbacks(execute=True):
            assert reference_check_queue(question_ids=[question.pk]) == 1

        # Then Python passes and JavaScript fails on exactly the cases where a - b differs from a + b
        results = Question.objects.get(pk=question.pk).reference_check["results"]
        assert results["python"]["verdict"] == "accepted"
        assert results["javascript"]["verdict"] == "wrong_answer"
        assert (results["javascript"]["passed"], results["javascript"]["total"]) == (1, 4)
        assert results["javascript"]["failed"] == ["case 0", "case 2", "case 3"]
        assert results["javascript"]["isolation"]["level"]

    def test_nothing_runs_before_the_transaction_commits(self, django_capture_on_commit_callbacks):
        question = coding_question()

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reference_check_queue(question_ids=[question.pk])

        assert len(callbacks) == 2
        assert Question.objects.get(pk=question.pk).reference_check is None

    def test_a_result_for_a_deleted_question_is_dropped(self):
        question = QuestionFactory()
        question_id = question.pk
        question.delete()

        record_reference_result({"verdict": "accepted", "passed": 1, "total": 1, "cases": []}, question_id, "python")

        assert not Question.objects.filter(pk=question_id).exists()


@pytest.mark.django_db
class TestRandomSelection:
    def test_draws_are_distinct_and_match_the_filters(self):
        for _ in range(20):
            drawn = question_random(count=20, type="theory", difficulty="hard")

            assert len({q.pk for q in drawn}) == 20
            assert {(q.type, q.difficulty) for q in drawn} == {("theory", "hard")}

    def test_every_matching_question_is_eventually_drawn(self):
        # Given a type dense enough in the bank for random key probing (~40% of ids)
        matching = set(Question.objects.filter(type="theory", status="published").values_list("pk", flat=True))

        # When 1,500 questions are drawn five at a time
        seen = {q.pk for _ in range(300) for q in question_random(count=5, type="theory")}

        # Then no matching question is unreachable, and no other was drawn
        assert seen == matching

    def test_asking_for_more_than_match_returns_all_of_them_once(self):
        only = QuestionFactory(category="one of a kind")

        drawn = question_random(count=20, category="one of a kind")

        assert [q.pk for q in drawn] == [only.pk]
