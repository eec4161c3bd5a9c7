"""GET /v1/api/users/me/sessions: the seed's item shape, filters, pagination and strict parameters."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services import feedback_generate, feedback_open
from tests.accounts.factories import UserFactory
from tests.feedback.helpers import completed_session, session_in
from tests.interviews.helpers import answer, next_question, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db

URL = "/v1/api/users/me/sessions"
ITEM_KEYS = {"sessionId", "mode", "jobType", "difficulty", "status", "createdAt", "completedAt", "duration",
             "overallScore", "questionCount", "feedbackAvailable"}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["sessionId"] for s in response.json()["sessions"]]


class TestShape:
    def test_an_interview_driven_through_the_api_is_listed_with_the_seed_shape(self, auth_client):
        question = pinned_theory_question(category="zz history", follow_ups=0)
        session_id = start(auth_client, includeCoding=False, topics=["zz history"], duration=15)["session"][
            "sessionId"]
        next_question(auth_client, session_id)
        answer(auth_client, session_id, answerText=strong_answer_for(question), responseTime=60)
        complete = auth_client.post(f"/v1/api/sessions/{session_id}/complete").json()

        body = auth_client.get(URL).json()

        assert body["success"] is True
        (item,) = body["sessions"]
        assert set(item) == ITEM_KEYS
        assert item["sessionId"] == session_id
        assert item["status"] == "completed"
        assert item["overallScore"] == complete["session"]["overallScore"]
        assert item["questionCount"] == 1
        assert item["feedbackAvailable"] is True
        assert item["duration"] == complete["session"]["duration"]
        assert item["createdAt"].endswith("Z")
        assert item["completedAt"].endswith("Z")
        assert body["pagination"] == {"total": 1, "limit": 20, "offset": 0, "hasMore": False}

    def test_a_running_session_has_no_score_and_no_feedback(self, auth_client, user):
        session_in(user, "pending")

        (item,) = auth_client.get(URL).json()["sessions"]

        assert item["status"] == "pending"
        assert item["overallScore"] is None
        assert item["completedAt"] is None
        assert item["feedbackAvailable"] is False
        assert item["duration"] == 30  # planned minutes before it starts

    def test_feedback_is_available_once_generated(self, auth_client, user):
        session = completed_session(user, [70])
        feedback = feedback_open(session=session)
        assert auth_client.get(URL).json()["sessions"][0]["feedbackAvailable"] is False

        feedback_generate(feedback_id=feedback.public_id)

        assert auth_client.get(URL).json()["sessions"][0]["feedbackAvailable"] is True

    def test_newest_first_and_only_the_users_own(self, auth_client, user):
        now = datetime.now(UTC)
        old = completed_session(user, [60], completed_at=now - timedelta(days=2))
        new = completed_session(user, [70], completed_at=now - timedelta(days=1))
        completed_session(UserFactory(), [80])

        assert ids(auth_client.get(URL)) == [new.public_id, old.public_id]

    def test_a_stale_session_is_listed_as_abandoned(self, auth_client, user):
        session_in(user, "in_progress", created_at=datetime.now(UTC) - timedelta(hours=3))  # 30 planned minutes

        assert auth_client.get(URL).json()["sessions"][0]["status"] == "abandoned"


class TestFilters:
    @pytest.fixture
    def history(self, user):
        base = datetime(2026, 1, 20, 15, 30, tzinfo=UTC)
        return {
            "early": session_in(user, "abandoned", created_at=base - timedelta(days=2), mode="behavioral"),
            "day_start": session_in(user, "pending", created_at=datetime(2026, 1, 20, 0, 0, tzinfo=UTC)),
            "exact": completed_session(user, [70], completed_at=base + timedelta(minutes=30), minutes=30),
            "late": completed_session(user, [80], completed_at=base + timedelta(days=1), mode="system_design"),
        }

    def test_mode(self, auth_client, history):
        assert ids(auth_client.get(URL, {"mode": "behavioral"})) == [history["early"].public_id]

    def test_status(self, auth_client, history):
        assert ids(auth_client.get(URL, {"status": "completed"})) == [history["late"].public_id,
                                                                      history["exact"].public_id]

    def test_start_date_as_a_date_includes_that_whole_day(self, auth_client, history):
        assert set(ids(auth_client.get(URL, {"startDate": "2026-01-20"}))) == {
            history["day_start"].public_id, history["exact"].public_id, history["late"].public_id}

    @pytest.mark.parametrize("value", ["2026-01-20T15:30:00Z", "2026-01-20T15:30:00", "2026-01-20T16:30:00+01:00"])
    def test_start_date_as_a_date_time_is_inclusive(self, auth_client, history, value):
        # "exact" was created at 15:30:00 UTC: the same instant is included
        assert ids(auth_client.get(URL, {"startDate": value})) == [history["late"].public_id,
                                                                   history["exact"].public_id]

    def test_filters_combine(self, auth_client, history):
        response = auth_client.get(URL, {"status": "completed", "mode": "technical", "startDate": "2026-01-19"})

        assert ids(response) == [history["exact"].public_id]
        assert response.json()["pagination"]["total"] == 1


class TestPagination:
    def test_limit_offset_and_has_more(self, auth_client, user):
        start_at = datetime.now(UTC) - timedelta(days=10)
        made = [completed_session(user, [50 + i], completed_at=start_at + timedelta(days=i)) for i in range(5)]
        newest_first = [s.public_id for s in reversed(made)]

        first = auth_client.get(URL, {"limit": 2}).json()
        last = auth_client.get(URL, {"limit": 2, "offset": 4}).json()
        beyond = auth_client.get(URL, {"limit": 2, "offset": 9}).json()

        assert [s["sessionId"] for s in first["sessions"]] == newest_first[:2]
        assert first["pagination"] == {"total": 5, "limit": 2, "offset": 0, "hasMore": True}
        assert [s["sessionId"] for s in last["sessions"]] == newest_first[4:]
        assert last["pagination"]["hasMore"] is False
        assert beyond["sessions"] == []
        assert beyond["pagination"]["total"] == 5

    @pytest.mark.parametrize("params", [
        {"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"offset": -1}, {"mode": "chatting"},
        {"status": "finished"}, {"startDate": "yesterday"}, {"startDate": "2026-02-30"}, {"sort": "createdAt"},
    ])
    def test_bad_parameters_are_400(self, auth_client, params):
        response = auth_client.get(URL, params)

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"

    def test_limit_100_is_allowed(self, auth_client):
        assert auth_client.get(URL, {"limit": 100}).json()["pagination"]["limit"] == 100

    def test_history_is_in_the_sessions_rate_scope(self, auth_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "2/min", "feedback": "100/min"}

        codes = [auth_client.get(URL).status_code for _ in range(3)]

        assert codes == [200, 200, 429]

    @pytest.mark.parametrize("sessions", [1, 30])
    def test_queries_do_not_grow_with_sessions(self, auth_client, user, sessions, django_assert_max_num_queries):
        for _ in range(sessions):
            feedback_generate(feedback_id=feedback_open(session=completed_session(user, [60, 70])).public_id)
        session_in(user, "in_progress")

        with django_assert_max_num_queries(6):
            response = auth_client.get(URL, {"limit": 100})
        assert len(response.json()["sessions"]) == sessions + 1
