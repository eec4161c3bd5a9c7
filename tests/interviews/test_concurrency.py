"""Atomic transitions under real concurrency (PostgreSQL: SQLite serialises writers anyway)."""

import os
import threading

import pytest
from django.db import connection

from interviews.models import InterviewSession, PlanStatus
from interviews.services.flow import question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)")


def test_ten_concurrent_next_calls_present_each_question_exactly_once(committed_bank):
    user = UserFactory()
    session = session_start(user=user, mode="behavioral", duration=120)
    planned = session.plan.count()
    presented: list[int] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(10)

    def call() -> None:
        try:
            barrier.wait()
            slot = question_next(session=InterviewSession.objects.get(pk=session.pk))
            if slot is not None:
                presented.append(slot.position)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    expected = list(range(1, min(10, planned) + 1))
    assert sorted(presented) == expected
    statuses = dict(session.plan.values_list("position", "status"))
    assert statuses[expected[-1]] == PlanStatus.PRESENTED
    assert all(statuses[p] == PlanStatus.SKIPPED for p in expected[:-1])
    assert InterviewSession.objects.get(pk=session.pk).current_index == expected[-1]
