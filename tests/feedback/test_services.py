"""Feedback services: percentile and benchmark by the database, trends, levels, and the generated report.

Every expected value is computed by hand in the test from the scores it chose.
"""

import pytest

from feedback.measures import skill_level, trend
from feedback.models import FeedbackStatus
from feedback.services import feedback_generate, feedback_open, percentile_and_benchmark
from tests.accounts.factories import UserFactory
from tests.feedback.helpers import completed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def others():
    """Three candidates; their sessions are the comparison population."""
    return [UserFactory() for _ in range(3)]


class TestPercentileAndBenchmark:
    def test_percentile_of_a_known_score_among_known_others(self, user, others):
        # Given seven other sessions, across roles (fewer than 20 of one role: all roles compare)
        for i, score in enumerate([40, 50, 60, 70, 80, 90, 95]):
            completed_session(others[i % 3], [score], job_type=["Backend Engineer", "SRE"][i % 2])
        # and the ranked session itself, already stored as every completed session is
        completed_session(user, [60])

        percentile, benchmark = percentile_and_benchmark(score=60.0, job_type="Backend Engineer")

        # 8 sessions: 2 lower (40, 50), 2 equal (the other 60 and itself): (2 + 2/2) / 8
        assert percentile == 37.5
        # ascending 40 50 60 60 70 80 90 95; nearest rank ceil(0.75 * 8) = 6 -> 80
        assert benchmark["topQuartile"] == 80
        # mean 545 / 8 = 68.125; difference 60 - 68.125
        assert benchmark["categoryAverage"] == 68.1
        assert benchmark["difference"] == -8.1
        assert benchmark["role"] == "All roles"
        assert benchmark["sampleSize"] == 8

    @pytest.mark.parametrize(("scores", "quartile"), [([10, 20, 30, 40], 30), ([10, 20, 30, 40, 50], 40),
                                                      ([70], 70), ([50, 50, 90], 90)])
    def test_top_quartile_is_the_nearest_rank_75th_percentile(self, user, scores, quartile):
        for score in scores:
            completed_session(user, [score])

        _, benchmark = percentile_and_benchmark(score=scores[0], job_type="Backend Engineer")

        assert benchmark["topQuartile"] == quartile

    def test_the_same_role_is_the_population_once_it_has_twenty_sessions(self, user, others):
        for i, score in enumerate(range(50, 70)):  # 20 Data Engineer sessions scoring 50..69
            completed_session(others[i % 3], [score], job_type="Data Engineer")
        for _ in range(5):
            completed_session(user, [100], job_type="Frontend Engineer")

        percentile, benchmark = percentile_and_benchmark(score=60.0, job_type="Data Engineer")

        # among the 20: 10 lower (50..59), 1 equal (60): (10 + 0.5) / 20
        assert percentile == 52.5
        assert benchmark == {"role": "Data Engineer", "categoryAverage": 59.5, "topQuartile": 64.0,
                             "difference": 0.5, "sampleSize": 20}

    def test_with_nineteen_of_the_role_every_role_is_compared(self, user, others):
        for i, score in enumerate(range(50, 69)):  # 19 sessions scoring 50..68
            completed_session(others[i % 3], [score], job_type="Data Engineer")
        for _ in range(5):
            completed_session(user, [100], job_type="Frontend Engineer")

        percentile, benchmark = percentile_and_benchmark(score=60.0, job_type="Data Engineer")

        # 24 sessions: 10 lower, 1 equal -> 10.5 / 24; mean (sum(50..68) + 500) / 24 = 1621 / 24 = 67.54
        assert percentile == round(100 * 10.5 / 24, 1) == 43.8
        assert benchmark["role"] == "All roles"
        assert benchmark["categoryAverage"] == 67.5
        assert benchmark["topQuartile"] == 67  # rank ceil(0.75 * 24) = 18: the 18th of 50..68 is 67
        assert benchmark["sampleSize"] == 24

    def test_in_progress_and_abandoned_sessions_are_not_compared(self, user):
        from tests.feedback.helpers import session_in

        completed_session(user, [80])
        session_in(user, "in_progress")
        session_in(user, "abandoned")

        percentile, benchmark = percentile_and_benchmark(score=80.0, job_type="Backend Engineer")

        assert (percentile, benchmark["sampleSize"]) == (50.0, 1)

    def test_without_any_completed_session_the_statistics_are_null_not_invented(self, db):
        percentile, benchmark = percentile_and_benchmark(score=75.0, job_type="Backend Engineer")

        assert percentile is None
        assert benchmark["categoryAverage"] is benchmark["topQuartile"] is benchmark["difference"] is None


class TestTrendAndLevels:
    @pytest.mark.parametrize(("scores", "expected"), [
        ([50, 60, 70], "improving"),          # slope 10
        ([70, 60, 50], "declining"),          # slope -10
        ([70, 72, 70, 72], "stable"),         # slope 0.4
        ([50, 52, 54], "stable"),             # slope exactly 2 is not above 2
        ([50, 52.1], "improving"),            # slope 2.1
        ([60, 57.9], "declining"),            # slope -2.1
        ([80], "stable"),                     # fewer than two points
        ([], "stable"),
    ])
    def test_trend_is_the_least_squares_slope_against_two_points(self, scores, expected):
        assert trend(scores) == expected

    @pytest.mark.parametrize(("score", "level"), [(0, "beginner"), (49.9, "beginner"), (50, "intermediate"),
                                                  (79.9, "intermediate"), (80, "advanced"), (89.9, "advanced"),
                                                  (90, "expert"), (100, "expert")])
    def test_levels_follow_the_contract_thresholds(self, score, level):
        assert skill_level(score) == level


class TestFeedbackGenerate:
    def test_report_has_skills_percentile_benchmark_and_confidence(self, user, others):
        for score in (40, 90):
            completed_session(others[0], [score])
        session = completed_session(user, [80, None], categories=["graphs", "graphs"])
        feedback = feedback_open(session=session)

        assert feedback_generate(feedback_id=feedback.public_id)

        feedback.refresh_from_db()
        assert feedback.status == FeedbackStatus.READY
        assert feedback.overall_score == 40.0  # (80 + 0) / 2: the skipped question scores 0
        # 3 sessions (40, 90, itself 40): 0 lower, 2 equal -> 33.3
        assert feedback.percentile_rank == round(100 * 1 / 3, 1)
        assert feedback.benchmark["categoryAverage"] == round(170 / 3, 1)
        skills = feedback.technical_skills
        assert skills["score"] == 40.0
        assert skills["level"] == "beginner"
        assert skills["confidence"] == 0.75  # half the questions answered: 0.5 + 0.5 * 1/2
        assert feedback.communication["skill"] == "Technical Communication"
        assert feedback.summary

    @pytest.mark.parametrize(("earlier", "current", "expected"), [
        ([40, 50, 60], 70, "improving"), ([90, 80, 70], 60, "declining"), ([70, 71, 69], 70, "stable"),
        ([], 70, "stable"),
    ])
    def test_growth_trajectory_follows_the_users_earlier_sessions(self, user, earlier, current, expected):
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        for days_ago, score in zip(range(len(earlier), 0, -1), earlier, strict=True):
            completed_session(user, [score], completed_at=now - timedelta(days=days_ago))
        session = completed_session(user, [current], completed_at=now)
        feedback = feedback_open(session=session)

        feedback_generate(feedback_id=feedback.public_id)

        feedback.refresh_from_db()
        assert feedback.technical_skills["growthTrajectory"] == expected
        assert feedback.communication["growthTrajectory"] == expected

    def test_generating_twice_changes_nothing(self, user):
        session = completed_session(user, [75])
        feedback = feedback_open(session=session)
        feedback_generate(feedback_id=feedback.public_id)
        feedback.refresh_from_db()
        first = (feedback.generated_at, feedback.percentile_rank)

        completed_session(user, [10])  # a later session must not rewrite the earlier report
        feedback_generate(feedback_id=feedback.public_id)

        feedback.refresh_from_db()
        assert (feedback.generated_at, feedback.percentile_rank) == first
