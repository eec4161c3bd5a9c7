"""The report partial's extras: chart series (for the owner's page and the share page alike) and the
owner-only answer details. The shared material itself is feedback.selectors.report_context."""

from typing import Any

from domain.scoring import DIMENSIONS
from interviews.models import InterviewSession

SUMMARY = (("overall_score", "Overall"), ("accuracy", "Accuracy"), ("communication_score", "Communication"),
           ("problem_solving_score", "Problem solving"))


def report_charts(*, session: dict[str, Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Series for the report's charts, from report_context's plain data (so the share page can draw them)."""
    scored = [q for q in questions if q["score"] is not None]
    dimensions = [
        {"label": key.capitalize(), "value": round(sum(q["scores"][key] or 0 for q in scored) / len(scored), 1)}
        for key in DIMENSIONS
    ] if scored else []
    return {
        "summary": [{"label": label, "value": round(session[key], 1)} for key, label in SUMMARY
                    if session.get(key) is not None],
        "dimensions": dimensions,
        "questions": [{"label": f"Q{q['position']} {q['title']}", "title": q["title"], "value": q["score"]}
                      for q in scored],
    }


def answer_details(*, session: InterviewSession) -> dict[int, list[dict[str, Any]]]:
    """Per plan position, the owner's answers with the interviewer's replies and test results.

    Expects feedback.selectors.session_report_related's prefetches (no query of its own).
    """
    details: dict[int, list[dict[str, Any]]] = {}
    for slot in session.plan.all():
        details[slot.position] = [
            {"is_follow_up": a.is_follow_up, "prompt": a.prompt, "text": a.text, "code": a.code,
             "language": a.language, "approach": a.approach, "status": a.status, "scores": a.scores,
             "test_results": a.test_results, "response": getattr(a, "response", None)}
            for a in slot.answers.all()
        ]
    return details
