"""The interviewer's view of a bank question is kept in the process between evaluations (interviewer_data.py),
and a curator's edit reaches the very next evaluation."""

import pytest

from interviews.services.interviewer_data import question_data_for
from questionbank.entries import CHILDREN, question_bank_data
from questionbank.models import Question
from questionbank.services import question_upsert
from tests.interviews.helpers import pinned_theory_question

pytestmark = pytest.mark.django_db


def as_evaluation_reads_it(question: Question) -> Question:
    """The row alone, as an evaluation task joins it to the answer."""
    return Question.objects.get(pk=question.pk)


def test_the_parts_are_read_once_while_the_question_is_unchanged(django_assert_num_queries):
    question = pinned_theory_question()
    first = question_data_for(as_evaluation_reads_it(question))
    assert first.rubric[0].point == "Changes are logged before pages are written"
    row = as_evaluation_reads_it(question)
    with django_assert_num_queries(0):
        assert question_data_for(row) is first


def test_an_edited_rubric_scores_the_next_evaluation():
    question = pinned_theory_question()
    question_data_for(as_evaluation_reads_it(question))
    entry = question_bank_data(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk))
    entry["rubric"][0]["point"] = "Every change reaches the log before its page"
    assert question_upsert(data=entry)[1] == "updated"
    edited = question_data_for(as_evaluation_reads_it(question))
    assert edited.rubric[0].point == "Every change reaches the log before its page"
    assert edited.rubric_version == question.rubric_version + 1
