"""The owner-only part of the report page: the answers with the interviewer's replies and test results.
The shared material and its numbers are feedback.presentation.report_page."""

from typing import Any

from feedback.presentation import band, shown
from interviews.models import InterviewSession


def answer_details(*, session: InterviewSession) -> dict[int, list[dict[str, Any]]]:
    """Per plan position, the owner's answers with the interviewer's replies and test results.

    Expects feedback.selectors.session_report_related's prefetches (no query of its own).
    """
    details: dict[int, list[dict[str, Any]]] = {}
    for slot in session.plan.all():
        details[slot.position] = [
            {"is_follow_up": a.is_follow_up, "prompt": a.prompt, "text": a.text, "code": a.code,
             "language": a.language, "approach": a.approach, "status": a.status,
             "scores": [{"label": name, "value": shown(value), "band": band(shown(value))}
                        for name, value in (a.scores or {}).items()],
             "test_results": a.test_results, "response": getattr(a, "response", None)}
            for a in slot.answers.all()
        ]
    return details
