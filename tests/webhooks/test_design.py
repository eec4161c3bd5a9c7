"""Webhooks sit downstream of interviews and feedback: those apps announce events through
cloudinterview.domain_events and never import webhooks; a listener that fails cannot fail an interview."""

import ast
from pathlib import Path

import pytest

from cloudinterview import domain_events
from interviews.models import SessionStatus
from tests.webhooks.helpers import endpoint_for, interview
from webhooks.models import WebhookEvent

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ("accounts", "questionbank", "interviews", "feedback", "cloudinterview", "sandbox")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_upstream_app_imports_webhooks():
    offenders = [str(path.relative_to(ROOT)) for app in UPSTREAM for path in (ROOT / app).rglob("*.py")
                 if "migrations" not in path.parts
                 and any(name == "webhooks" or name.startswith("webhooks.") for name in _imports(path))]

    assert offenders == []


@pytest.mark.django_db
def test_a_failing_listener_is_logged_and_the_interview_completes(
        user, receiver, django_capture_on_commit_callbacks, caplog):
    endpoint_for(user, receiver.url(), events=["session.completed"])

    def broken(event: domain_events.DomainEvent) -> None:
        raise RuntimeError("listener bug")

    domain_events.register_sink(broken)
    try:
        session = interview(user, django_capture_on_commit_callbacks)
    finally:
        domain_events._sinks.remove(broken)

    assert session.status == SessionStatus.COMPLETED
    assert [r.event["type"] for r in receiver.requests] == ["session.completed"]  # the other listener still ran
    assert WebhookEvent.objects.filter(type="session.completed").count() == 1
    assert "listener bug" in caplog.text
