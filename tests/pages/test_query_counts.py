"""No page issues more SQL queries as the user's history grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.feedback.helpers import completed_session
from tests.pages.factories import finished_session

pytestmark = pytest.mark.django_db

# Session and user (2), the abandonment sweep, analytics (5), recent sessions, progress points.
DASHBOARD_QUERIES = 10
# Session and user (2), the sweep, the count and the page.
SESSION_LIST_QUERIES = 5
# Session and user (2), the session with feedback and share link, its plan, its answers, the shared plan.
REPORT_QUERIES = 6
# Session and user (2), the count, the page, the candidate's marks (the bank's facets are cached).
QUESTION_LIST_QUERIES = 5


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("history", [1, 20])
def test_dashboard_queries_do_not_grow_with_history(page_client, user, history, django_assert_max_num_queries):
    for day in range(history):
        finished_session(user, score=50 + day, days_ago=day)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert page_client.get("/").status_code == 200


@pytest.mark.parametrize("history", [1, 20])
def test_session_list_queries_do_not_grow_with_history(page_client, user, history, django_assert_max_num_queries):
    for day in range(history):
        finished_session(user, days_ago=day)

    with django_assert_max_num_queries(SESSION_LIST_QUERIES):
        assert page_client.get("/sessions/").status_code == 200


@pytest.mark.parametrize("history", [1, 20])
def test_report_queries_do_not_grow_with_history(page_client, user, history, django_assert_max_num_queries):
    sessions = [finished_session(user, days_ago=day, questions=3) for day in range(history)]

    with django_assert_max_num_queries(REPORT_QUERIES):
        assert page_client.get(f"/sessions/{sessions[-1].public_id}/report/").status_code == 200


@pytest.mark.parametrize("history", [1, 20])
def test_question_list_queries_do_not_grow_with_history(page_client, user, history, django_assert_max_num_queries):
    for _ in range(history):
        completed_session(user, [85.0, 40.0, 60.0], categories=["algorithms", "databases", "general"])
    page_client.get("/questions/")  # the facets, cached from then on

    with django_assert_max_num_queries(QUESTION_LIST_QUERIES):
        response = page_client.get("/questions/?q=question")
    assert response.status_code == 200
    assert "✓ Solved" in response.content.decode()


def test_counts_are_equal_for_short_and_long_histories(page_client, user):
    finished_session(user)
    short = {path: count_queries(page_client, path) for path in ("/", "/sessions/")}
    for day in range(1, 20):
        finished_session(user, days_ago=day)

    assert {path: count_queries(page_client, path) for path in short} == short
