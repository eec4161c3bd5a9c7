"""The feedback for a whole session, from its per-question scores and the candidate's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..base import DIMENSIONS, AnsweredQuestion, EvaluatorInfo, FeedbackDraft, SessionData
from .analysis import Analysis, analyse
from .feedback import answer_payload, covered_points, point_text, prompt_hash
from .scoring import REASONING, TRANSITIONS

_WORD = re.compile(r"\w+")

_TYPE_LABELS = {"coding": "coding", "theory": "theory", "behavioral": "behavioral", "system_design": "system design"}
_PRACTICE = {
    "coding": "practise {category} coding problems, and state time and space complexity before writing code",
    "theory": "review {category} fundamentals, especially: {point}",
    "behavioral": "prepare four or five STAR stories (situation, task, action, result) that end with a "
                  "measurable result, and tell them in the first person",
    "system_design": "practise system design out loud: requirements first, then back-of-the-envelope numbers, "
                     "then components and trade-offs",
}
_STYLE_LIMITS = {"concise": 2, "detailed": 5, "actionable": 4, "encouraging": 4}


@dataclass(frozen=True)
class _QuestionReview:
    answered: AnsweredQuestion
    mean: float
    analyses: tuple[Analysis, ...]

    @property
    def title(self) -> str:
        return self.answered.question.title


def _quote(sentence: str, limit: int = 160) -> str:
    sentence = " ".join(sentence.split())
    return f"\"{sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + '…'}\""


def _evidence(analysis: Analysis) -> str | None:
    """The sentence that best supports the heaviest covered point."""
    for point in covered_points(analysis):
        row = analysis.judgement.evidence[analysis.knowledge.points.index(point)]
        if row is not None:
            return analysis.reading.sentences[row].text
    return None


def _technical_evidence(reviews: list[_QuestionReview]) -> list[str]:
    evidence = []
    for review in sorted(reviews, key=lambda r: -r.mean):
        for answer, analysis in zip(review.answered.answers, review.analyses, strict=True):
            results = answer.test_results
            if results and results.get("total") and not answer.is_follow_up:
                evidence.append(f"{review.title}: {results.get('passed', 0)} of {results['total']} tests passed")
            sentence = _evidence(analysis)
            if sentence:
                evidence.append(f"{_quote(sentence)} ({review.title})")
    return evidence


def _communication_evidence(reviews: list[_QuestionReview]) -> list[str]:
    evidence = []
    for review in sorted(reviews, key=lambda r: -r.answered.scores.get("communication", 0)):
        main = review.answered.answers[0]
        analysis = review.analyses[0]
        if main.approach and len(_WORD.findall(main.approach)) >= 8:
            evidence.append(f"{review.title}: explained the approach alongside the code")
        structured = next((s.text for s in analysis.reading.sentences
                           if len(set(TRANSITIONS.findall(s.text.lower()))) >= 2
                           or (REASONING.search(s.text.lower()) and len(_WORD.findall(s.text)) >= 8)), None)
        if structured:
            evidence.append(f"{_quote(structured)} ({review.title})")
    words = [a.reading.words for r in reviews for a in r.analyses]
    if words:
        evidence.append(f"Answers averaged {round(sum(words) / len(words))} words")
    return evidence


def _summary(session: SessionData, reviews: list[_QuestionReview], type_means: dict[str, float]) -> str:
    overall = round(session.overall_score)
    count = len(reviews)
    skipped = sum(1 for r in reviews if r.answered.skipped or not r.answered.answers)
    if not reviews or skipped == count:
        return f"Overall {overall}/100: no question was answered, so there is little to assess yet."
    best = max(reviews, key=lambda r: r.mean)
    worst = min(reviews, key=lambda r: r.mean)
    style = session.feedback_style
    if style == "concise":
        return f"Overall {overall}/100. Best: {best.title}; work on: {worst.title}."
    if style == "encouraging":
        return (f"You scored {overall}/100 across {count} questions. Your best work was {best.title} "
                f"({round(best.mean)}), and {worst.title} is where the next gains are.")
    if style == "actionable":
        weakest = sorted(type_means, key=lambda t: type_means[t])[0]
        return (f"Overall {overall}/100. Focus next on {_TYPE_LABELS.get(weakest, weakest)} questions "
                f"(average {round(type_means[weakest])}), starting with what {worst.title} missed.")
    return (f"Overall {overall}/100 over {count} questions ({count - skipped} answered, {skipped} skipped). "
            f"Strongest: {best.title} ({round(best.mean)}); weakest: {worst.title} ({round(worst.mean)}). "
            f"Communication {round(session.communication_score)}, problem solving "
            f"{round(session.problem_solving_score)}.")


def _strengths(session: SessionData, answered: list[_QuestionReview], type_means: dict[str, float]) -> list[str]:
    items = []
    for kind, mean in sorted(type_means.items(), key=lambda kv: -kv[1]):
        if mean >= 70:
            items.append(f"Solid {_TYPE_LABELS.get(kind, kind)} answers (average {round(mean)})")
    for review in sorted(answered, key=lambda r: -r.mean):
        if review.mean < 60:
            break
        analysis = review.analyses[0]
        hits = covered_points(analysis)
        if hits:
            items.append(f"{review.title}: {point_text(hits[0].item)}")
    if session.communication_score >= 75:
        items.append("Clear, well-structured explanations")
    if not items and answered:
        best = max(answered, key=lambda r: r.mean)
        prefix = "A good start on" if session.feedback_style == "encouraging" else "Best answer:"
        items.append(f"{prefix} {best.title}")
    return items


def _improvements(reviews: list[_QuestionReview], type_means: dict[str, float]) -> list[str]:
    items = []
    for kind, mean in sorted(type_means.items(), key=lambda kv: kv[1]):
        if mean < 60:
            items.append(f"{_TYPE_LABELS.get(kind, kind).capitalize()} questions (average {round(mean)})")
    for review in sorted(reviews, key=lambda r: r.mean):
        if review.answered.skipped or not review.answered.answers:
            items.append(f"{review.title}: not answered")
            continue
        analysis = review.analyses[0]
        missed = covered_points(analysis, hit=False)
        if missed and review.mean < 80:
            items.append(f"{review.title}: {point_text(missed[0].item)}")
    return items


def _recommendations(session: SessionData, reviews: list[_QuestionReview],
                     type_means: dict[str, float]) -> list[str]:
    """Practice that follows from the weakest question types and categories, worded for the style."""
    items = []
    for kind in sorted(type_means, key=lambda t: type_means[t]):
        if type_means[kind] >= 85:
            continue
        weakest = min((r for r in reviews if r.answered.question.type == kind), key=lambda r: r.mean)
        point = "the key points in the rubric"
        if weakest.analyses:
            analysis = weakest.analyses[0]
            missed = covered_points(analysis, hit=False)
            point = point_text(missed[0].item) if missed else point
        action = _PRACTICE.get(kind, _PRACTICE["theory"]).format(category=weakest.answered.question.category,
                                                                  point=point)
        items.append(_styled(action, session.feedback_style, kind, type_means[kind]))
    if session.communication_score < 65:
        action = "explain your approach before the details, then walk through it in short steps with reasons"
        items.append(_styled(action, session.feedback_style, "communication", session.communication_score))
    return items


def _styled(action: str, style: str, topic: str, score: float) -> str:
    label = _TYPE_LABELS.get(topic, topic)
    if style == "encouraging":
        return f"You're building a base in {label} ({round(score)}); to grow it, {action}."
    if style == "detailed":
        return f"{action[:1].upper()}{action[1:]} (your {label} average was {round(score)})."
    return f"{action[:1].upper()}{action[1:]}."


def session_draft(session: SessionData, *, provider: str, model: str) -> FeedbackDraft:
    """The session's feedback from its per-question scores and the candidate's own words."""
    limit = _STYLE_LIMITS.get(session.feedback_style, 4)
    reviews = [
        _QuestionReview(aq, sum(aq.scores.get(d, 0.0) for d in DIMENSIONS) / len(DIMENSIONS),
                        tuple(analyse(aq.question, a) for a in aq.answers))
        for aq in session.questions
    ]
    answered = [r for r in reviews if r.answered.answers and not r.answered.skipped]
    by_type: dict[str, list[float]] = {}
    for review in reviews:
        by_type.setdefault(review.answered.question.type, []).append(review.mean)
    type_means = {t: sum(v) / len(v) for t, v in by_type.items()}
    payload = {"model": model, "style": session.feedback_style, "overall": session.overall_score,
               "questions": [answer_payload(model, r.answered.question, a) | {"scores": r.answered.scores}
                             for r in reviews for a in r.answered.answers]}
    return FeedbackDraft(
        summary=_summary(session, reviews, type_means),
        strengths=tuple(_strengths(session, answered, type_means)[:limit]),
        improvement_areas=tuple(_improvements(reviews, type_means)[:limit]),
        recommendations=tuple(_recommendations(session, reviews, type_means)[:limit]),
        technical_evidence=tuple(_technical_evidence(answered)[:limit]),
        communication_evidence=tuple(_communication_evidence(answered)[:limit]),
        evaluator=EvaluatorInfo(provider, model, 0, prompt_hash(payload)),
    )
