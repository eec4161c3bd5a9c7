"""Analytics and the user's stats: each number checked against a value computed by hand from chosen scores."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from feedback.analytics import session_overview, streak_days, user_analytics
from feedback.measures import next_milestone
from tests.accounts.factories import UserFactory
from tests.feedback.helpers import completed_session, session_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 0, 30, tzinfo=UTC)


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def category(analytics: dict, name: str) -> dict:
    return next(c for c in analytics["performanceByCategory"] if c["category"] == name)


class TestOverview:
    def test_completion_rate_average_and_hours(self, user):
        for score, minutes in ((60, 30), (75, 45), (90, 15)):
            completed_session(user, [score], minutes=minutes)
        for status in ("pending", "in_progress", "abandoned"):
            session_in(user, status)
        completed_session(UserFactory(), [10])  # someone else's

        overview = user_analytics(user=user)["overview"]

        assert overview["totalSessions"] == 6
        assert overview["completionRate"] == 50.0  # 3 of 6
        assert overview["averageScore"] == 75.0  # (60 + 75 + 90) / 3
        assert overview["totalHours"] == 1.5  # 30 + 45 + 15 minutes

    def test_a_new_user_has_zeroes_and_a_first_step(self, user):
        analytics = user_analytics(user=user)

        assert analytics["overview"] == {"totalSessions": 0, "averageScore": 0.0, "completionRate": 0.0,
                                         "streakDays": 0, "totalHours": 0.0}
        assert analytics["performanceByCategory"] == analytics["skillProgress"] == []
        assert analytics["recommendations"][0]["type"] == "start"


class TestStreak:
    @time_machine.travel(NOW, tick=False)
    def test_consecutive_utc_days_ending_yesterday_count(self, user):
        # 23:50 on the 9th, 00:10 on the 8th and noon on the 7th: three UTC days in a row; the 5th is after a gap
        for moment in (at(9, 23, 50), at(8, 0, 10), at(7), at(5)):
            completed_session(user, [70], completed_at=moment)

        assert streak_days(user=user) == 3

    @time_machine.travel(NOW, tick=False)
    def test_a_session_today_extends_the_streak(self, user):
        for moment in (at(10, 0, 5), at(9, 23, 59), at(8, 0, 0)):
            completed_session(user, [70], completed_at=moment)

        assert streak_days(user=user) == 3

    @time_machine.travel(NOW, tick=False)
    def test_several_sessions_on_one_day_count_once(self, user):
        for moment in (at(9, 1), at(9, 13), at(9, 23, 59)):
            completed_session(user, [70], completed_at=moment)

        assert streak_days(user=user) == 1

    @time_machine.travel(NOW, tick=False)
    def test_nothing_since_the_day_before_yesterday_is_no_streak(self, user):
        for moment in (at(8, 23, 59), at(7)):
            completed_session(user, [70], completed_at=moment)

        assert streak_days(user=user) == 0

    @time_machine.travel(NOW, tick=False)
    def test_days_are_utc_whatever_the_server_time_zone(self, user, settings):
        settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: 23:50 UTC on the 9th is already the 10th there
        for moment in (at(9, 23, 50), at(8, 12)):
            completed_session(user, [70], completed_at=moment)

        assert streak_days(user=user) == 2

    @time_machine.travel(NOW, tick=False)
    def test_only_completed_sessions_count(self, user):
        completed_session(user, [70], completed_at=at(9))
        session_in(user, "abandoned", created_at=at(8))

        assert streak_days(user=user) == 1

    def test_a_long_streak_is_counted_in_full(self, user):
        today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
        for days_ago in range(45):
            completed_session(user, [70], completed_at=today - timedelta(days=days_ago))

        assert streak_days(user=user) == 45


class TestCategories:
    def test_average_is_over_question_scores_and_count_is_sessions(self, user):
        # session A: two graphs questions (60, 80) and one sql (40); session B: one graphs (100)
        completed_session(user, [60, 80, 40], categories=["graphs", "graphs", "sql"],
                          completed_at=datetime.now(UTC) - timedelta(days=1))
        completed_session(user, [100], categories=["graphs"])

        analytics = user_analytics(user=user)

        assert category(analytics, "graphs") == {"category": "graphs", "averageScore": 80.0,  # (60+80+100)/3
                                                 "sessionCount": 2, "trend": "improving"}  # points 70, 100
        assert category(analytics, "sql") == {"category": "sql", "averageScore": 40.0, "sessionCount": 1,
                                              "trend": "stable"}  # one point

    def test_a_skipped_question_scores_zero_in_its_category(self, user):
        completed_session(user, [90, None], categories=["trees", "trees"])

        assert category(user_analytics(user=user), "trees")["averageScore"] == 45.0

    @pytest.mark.parametrize(("scores", "expected"), [([50, 60, 70], "improving"), ([90, 80, 70], "declining"),
                                                      ([70, 71, 69, 70], "stable")])
    def test_trend_has_one_point_per_session_in_completion_order(self, user, scores, expected):
        start = datetime.now(UTC) - timedelta(days=len(scores))
        for i, score in enumerate(scores):
            completed_session(user, [score], categories=["heaps"], completed_at=start + timedelta(days=i))

        assert category(user_analytics(user=user), "heaps")["trend"] == expected

    def test_trend_looks_at_the_last_ten_sessions_only(self, user):
        start = datetime.now(UTC) - timedelta(days=20)
        # an old 0 followed by ten flat 80s: over all 11 points the slope is positive, over the last 10 it is 0
        for i, score in enumerate([0] + [80] * 10):
            completed_session(user, [score], categories=["dp"], completed_at=start + timedelta(days=i))

        heaps = category(user_analytics(user=user), "dp")
        assert heaps["trend"] == "stable"
        assert heaps["averageScore"] == round(800 / 11, 1)  # the average is over every session

    def test_other_users_and_unfinished_sessions_do_not_count(self, user):
        completed_session(user, [70], categories=["graphs"])
        completed_session(UserFactory(), [10], categories=["graphs"])
        session_in(user, "in_progress")

        assert category(user_analytics(user=user), "graphs")["averageScore"] == 70.0


class TestSkillsActivityRecommendations:
    def test_skill_progress_levels_and_milestones(self, user):
        completed_session(user, [45, 79, 85, 95], categories=["api design", "graphs", "sql", "trees"])

        skills = {s["skill"]: s for s in user_analytics(user=user)["skillProgress"]}

        assert skills["Api Design"] == {"skill": "Api Design", "currentLevel": "beginner", "progress": 45.0,
                                        "nextMilestone": "intermediate at 50%"}
        assert skills["Graphs"]["currentLevel"] == "intermediate"
        assert skills["Graphs"]["nextMilestone"] == "advanced at 80%"
        assert skills["Sql"]["currentLevel"] == "advanced"
        assert skills["Sql"]["nextMilestone"] == "expert at 90%"
        assert skills["Trees"]["currentLevel"] == "expert"
        assert skills["Trees"]["nextMilestone"] is None

    def test_next_milestone_boundaries(self):
        assert next_milestone(49.9) == "intermediate at 50%"
        assert next_milestone(50) == "advanced at 80%"
        assert next_milestone(89.9) == "expert at 90%"
        assert next_milestone(90) is None

    @time_machine.travel(NOW, tick=False)
    def test_recent_activity_covers_the_last_30_days_by_creation_day(self, user):
        completed_session(user, [60], completed_at=at(9, 10), minutes=30)
        completed_session(user, [80], completed_at=at(9, 20), minutes=30)
        session_in(user, "abandoned", created_at=at(9, 21))
        completed_session(user, [50], completed_at=datetime(2026, 2, 9, 12, tzinfo=UTC))  # day 30, included
        completed_session(user, [50], completed_at=datetime(2026, 2, 8, 12, tzinfo=UTC))  # day 31, not

        activity = user_analytics(user=user)["recentActivity"]

        assert activity == [{"date": "2026-03-09", "sessions": 3, "averageScore": 70.0},
                            {"date": "2026-02-09", "sessions": 1, "averageScore": 50.0}]

    def test_recommendations_start_with_the_weakest_categories(self, user):
        completed_session(user, [30, 65, 95, 75], categories=["sql", "graphs", "trees", "heaps"])

        recommendations = user_analytics(user=user)["recommendations"]

        assert [(r["type"], r["priority"]) for r in recommendations[:3]] == [
            ("practice", "high"), ("practice", "medium"), ("practice", "medium")]
        assert "sql" in recommendations[0]["content"]
        assert "graphs" in recommendations[1]["content"]
        assert "heaps" in recommendations[2]["content"]
        assert not any("trees" in r["content"] for r in recommendations)

    def test_a_strong_candidate_is_challenged_on_the_lowest_category(self, user):
        completed_session(user, [95, 85], categories=["sql", "graphs"])

        (recommendation,) = user_analytics(user=user)["recommendations"]

        assert recommendation["type"] == "challenge"
        assert "graphs" in recommendation["content"]


class TestApis:
    def test_analytics_has_exactly_the_seed_shape(self, auth_client, user):
        completed_session(user, [70, 80], categories=["graphs", "sql"])

        response = auth_client.get("/v1/api/users/me/analytics")

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        analytics = body["analytics"]
        assert set(analytics) == {"overview", "performanceByCategory", "skillProgress", "recentActivity",
                                  "recommendations"}
        assert set(analytics["overview"]) == {"totalSessions", "averageScore", "completionRate", "streakDays",
                                              "totalHours"}
        assert set(analytics["performanceByCategory"][0]) == {"category", "averageScore", "sessionCount", "trend"}
        assert set(analytics["skillProgress"][0]) == {"skill", "currentLevel", "progress", "nextMilestone"}
        assert set(analytics["recentActivity"][0]) == {"date", "sessions", "averageScore"}
        assert set(analytics["recommendations"][0]) == {"type", "content", "priority"}

    def test_user_stats_agree_with_analytics(self, auth_client, user):
        completed_session(user, [70], completed_at=datetime.now(UTC) - timedelta(days=1))
        completed_session(user, [85])
        session_in(user, "in_progress")

        stats = auth_client.get("/v1/api/users/me").json()["user"]["stats"]
        overview = auth_client.get("/v1/api/users/me/analytics").json()["analytics"]["overview"]

        assert stats["totalSessions"] == overview["totalSessions"] == 3
        assert stats["averageScore"] == overview["averageScore"] == 77.5
        assert stats["streakDays"] == overview["streakDays"] == 2

    def test_analytics_is_in_the_feedback_rate_scope(self, auth_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feedback": "2/min"}

        codes = [auth_client.get("/v1/api/users/me/analytics").status_code for _ in range(3)]

        assert codes == [200, 200, 429]

    def test_analytics_needs_a_login(self, api_client):
        assert api_client.get("/v1/api/users/me/analytics").status_code == 401

    @pytest.mark.parametrize("sessions", [1, 30])
    def test_analytics_queries_do_not_grow_with_sessions(self, auth_client, user, sessions,
                                                         django_assert_max_num_queries):
        for i in range(sessions):
            completed_session(user, [50 + i % 40, 70], categories=[f"cat{i % 7}", "sql"])
        session_in(user, "in_progress")

        with django_assert_max_num_queries(6):
            assert auth_client.get("/v1/api/users/me/analytics").status_code == 200


def test_overview_is_one_computation_for_stats_and_analytics(user):
    completed_session(user, [60], minutes=90)
    session_in(user, "pending")

    overview = session_overview(user=user)

    assert (overview.total_sessions, overview.completed_sessions, overview.completion_rate,
            overview.total_hours) == (2, 1, 50.0, 1.5)
