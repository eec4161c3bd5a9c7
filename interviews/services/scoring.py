"""Session scores from answer scores, with the formulas of docs/api.md, "Scores". Never asked of a model."""

from collections.abc import Iterable
from dataclasses import dataclass

from domain.scoring import DIMENSIONS, SOLVED_CORRECTNESS

from ..models import Answer, AnswerStatus, SessionQuestion


def question_scores(answers: Iterable[Answer]) -> dict[str, float]:
    """A question's score per dimension: its main answer's, averaged with its follow-up answer's when one
    was evaluated; 0 on every dimension when the main answer is missing (skipped or unanswered)."""
    evaluated = [a for a in answers if a.status == AnswerStatus.EVALUATED and a.scores]
    main = next((a for a in evaluated if not a.is_follow_up), None)
    if main is None:
        return dict.fromkeys(DIMENSIONS, 0.0)
    follow = next((a for a in evaluated if a.is_follow_up), None)
    parts = [main] + ([follow] if follow else [])
    return {d: sum(float(a.scores[d]) for a in parts) / len(parts) for d in DIMENSIONS}


@dataclass(frozen=True)
class SessionScores:
    overall: float
    accuracy: float
    communication: float
    problem_solving: float
    per_question: dict[int, dict[str, float]]


def session_scores(slots: list[SessionQuestion]) -> SessionScores:
    """Means over the planned questions (expects `answers` prefetched on each slot)."""
    per_question = {slot.position: question_scores(slot.answers.all()) for slot in slots}
    count = len(per_question) or 1
    values = list(per_question.values())
    return SessionScores(
        overall=round(sum(sum(s[d] for d in DIMENSIONS) / len(DIMENSIONS) for s in values) / count, 1),
        accuracy=round(100 * sum(1 for s in values if s["correctness"] >= SOLVED_CORRECTNESS) / count, 1),
        communication=round(sum(s["communication"] for s in values) / count, 1),
        problem_solving=round(sum((s["correctness"] + s["completeness"]) / 2 for s in values) / count, 1),
        per_question=per_question,
    )
