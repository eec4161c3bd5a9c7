"""Rows for the browser tests, written into the database the Daphne under test reads.

In the embedded pass Daphne has its own SQLite file (tests/daphne.py), which the test's own connection cannot
see, so the rows are made by the same factories and services in a short subprocess with the server's
environment; in the distributed pass that environment points at the test database, and the rows are committed.
`seed` returns what the scenario reports (ids, tokens) as plain data.
"""

import json
import subprocess
import sys
from typing import Any

from tests.daphne import ROOT

PASSWORD = "analytical-engine-42"
FOLLOW_UP = "Why can a query like `WHERE name LIKE '%son'` not use a B-tree index on `name`?"
# Per question, the answer's three dimensions: means 64.5, 34.5 and 80, so rounding once matters (issue 14, 9).
ANSWER_SCORES = (
    {"completeness": 62, "correctness": 53, "communication": 78.5},
    {"completeness": 45, "correctness": 44, "communication": 14.5},
    {"completeness": 80, "correctness": 85, "communication": 75},
)


def seed(env: dict[str, str], scenario: str, **arguments: Any) -> dict[str, Any]:
    """Run `scenario` (a function below) against the server's database; returns its result."""
    program = f"import django; django.setup(); from tests.pages import seeding; seeding.main({scenario!r})"
    done = subprocess.run([sys.executable, "-c", program, json.dumps(arguments)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(scenario: str) -> None:
    print(json.dumps(SCENARIOS[scenario](**json.loads(sys.argv[1]))))  # noqa: T201 - read by seed()


def newcomer(*, email: str) -> dict[str, Any]:
    """A candidate who has done nothing yet."""
    from tests.accounts.factories import UserFactory

    UserFactory(email=email, name="Nia Newcomer", password=PASSWORD)
    return {}


def _question_of_each_type() -> dict[str, str]:
    from questionbank.models import Question, QuestionStatus

    published = Question.objects.filter(status=QuestionStatus.PUBLISHED).order_by("id")
    return {kind: published.filter(type=kind).values_list("public_id", flat=True).first()
            for kind in ("coding", "theory", "behavioral", "system_design")}


def candidate(*, email: str, staff: bool = False) -> dict[str, Any]:
    """A candidate with history: a completed session with its written report (one question followed up, with
    code in the follow-up; no area to improve named), its share link on; an older session whose link was
    revoked; one in progress. Staff without a group, so the admin's question list is a 403."""
    from feedback.models import Feedback
    from feedback.services import feedback_generate, feedback_open, share_create, share_revoke
    from interviews.models import Answer, AnswerStatus, SessionStatus
    from tests.accounts.factories import UserFactory
    from tests.feedback.helpers import completed_session, session_in

    user = UserFactory(email=email, name="Ada Candidate", password=PASSWORD, is_staff=staff)
    older = completed_session(user, [55.0], job_type="Data Engineer")
    revoked = share_create(session=older).token
    share_revoke(session=older)
    session = completed_session(user, [70.0, 60.0, 40.0], answer_texts=[
        "A hash index maps keys to buckets, so `WHERE id = 5` is one lookup.",
        "I would add an index.", "Range scans walk the leaves of the B-tree in order."])
    answers = list(Answer.objects.filter(session=session).order_by("slot__position"))
    for answer, scores in zip(answers, ANSWER_SCORES, strict=True):
        answer.scores = scores
    Answer.objects.bulk_update(answers, ["scores"])
    Answer.objects.create(session=session, slot=answers[0].slot, is_follow_up=True, prompt=FOLLOW_UP,
                          text="The leading wildcard means no prefix to seek on.", status=AnswerStatus.EVALUATED,
                          scores=ANSWER_SCORES[0], evaluated_at=answers[0].evaluated_at)
    feedback_generate(feedback_id=feedback_open(session=session).public_id)
    # An interviewer that names nothing to improve although one question scored 34 (issue 14, item 9).
    Feedback.objects.filter(session=session).update(improvement_areas=[])
    session_in(user, SessionStatus.IN_PROGRESS, job_type="Frontend Engineer")
    return {"session": session.public_id, "share": share_create(session=session).token, "revoked": revoked,
            "questions": _question_of_each_type(), "answers": [a.text for a in answers],
            "solved": answers[2].slot.question.public_id, "attempted": answers[1].slot.question.public_id}


SCENARIOS = {"newcomer": newcomer, "candidate": candidate}
