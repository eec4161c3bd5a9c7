"""Our rows as the AI interviewer's plain data (interviews/ai/base.py): the interviewer never sees a model."""

from datetime import datetime

from questionbank.models import Question

from ..ai.base import AnswerData, CaseInfo, Misconception, QuestionData, RedFlag, RubricItem
from ..models import Answer

EVALUATION_PREFETCH = ("rubric_points", "follow_ups", "misconceptions", "red_flags", "test_cases")


def question_data(question: Question) -> QuestionData:
    """The bank question as the interviewer's plain data (expects EVALUATION_PREFETCH)."""
    return QuestionData(
        public_id=question.public_id, type=question.type, category=question.category,
        difficulty=question.difficulty, title=question.title, description=question.description,
        rubric=tuple(RubricItem(p.point, p.weight, tuple(p.phrases), tuple(p.claims), p.aspect)
                     for p in question.rubric_points.all()),
        rubric_version=question.rubric_version,
        follow_ups=tuple(f.text for f in question.follow_ups.all()),
        reference_answer=question.reference_answer,
        misconceptions=tuple(Misconception(m.claim, m.correction, m.point) for m in question.misconceptions.all()),
        red_flags=tuple(RedFlag(f.claim, f.why) for f in question.red_flags.all()),
        complexity=(question.complexity_time, question.complexity_space),
        cases=tuple(CaseInfo(c.name, c.hidden, c.edge_case) for c in question.test_cases.all()),
    )


QUESTION_CACHE_SIZE = 4096
_known: dict[int, tuple[datetime, QuestionData]] = {}


def question_data_for(question: Question) -> QuestionData:
    """`question_data` of a question row loaded without its parts, kept in this process while the row's
    `updated_at` stays the same: every write to a question or its parts saves the row (questionbank.services,
    the admin form). Reading the five parts again for every answer was a fifth of an evaluation task's time
    (docs/benchmarks.md, "Live interview")."""
    known = _known.get(question.pk)
    if known is not None and known[0] == question.updated_at:
        return known[1]
    fresh = Question.objects.prefetch_related(*EVALUATION_PREFETCH).get(pk=question.pk)
    data = question_data(fresh)
    if len(_known) >= QUESTION_CACHE_SIZE:
        _known.clear()
    _known[question.pk] = (fresh.updated_at, data)
    return data


def answer_data(answer: Answer) -> AnswerData:
    return AnswerData(
        text=answer.text, code=answer.code or None, language=answer.language or None,
        approach=answer.approach or None, response_time=answer.response_time, is_follow_up=answer.is_follow_up,
        follow_up_prompt=answer.prompt or None, test_results=answer.test_results,
    )
