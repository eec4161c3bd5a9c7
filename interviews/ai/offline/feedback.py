"""What the interviewer says back: what was covered and missed, what was wrong and why, how it was told,
and the follow-up: the failing example when code fails one it was shown, else the question's own
follow-up about the biggest gap. Hidden cases' inputs and expected values are never quoted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from domain.verdicts import Verdict

from ..base import AnswerData, QuestionData, RubricItem, Sentiment
from .analysis import Analysis
from .knowledge import Point
from .scoring import SCALE_NUMBER, band
from .signals import filler_count

EXAMPLE_CHARS = 120


def point_text(point: RubricItem) -> str:
    text = point.point.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def by_weight(points: Iterable[Point]) -> list[Point]:
    return sorted(points, key=lambda p: -p.item.weight)  # stable: rubric order breaks ties


def covered_points(analysis: Analysis, hit: bool = True) -> list[Point]:
    return by_weight(p for p, c in zip(analysis.knowledge.points, analysis.covered, strict=True) if c is hit)


def sentiment(scores: dict[str, int]) -> Sentiment:
    mean = sum(scores.values()) / len(scores)
    if mean >= 70:
        return "positive"
    return "negative" if mean < 45 else "neutral"


def _test_summary(results: dict[str, Any]) -> str:
    """Pass count and failing case names; hidden cases' inputs and expected values are never shown."""
    passed, total = results.get("passed", 0), results.get("total", 0)
    text = f"{passed} of {total} tests passed"
    failing = [c for c in results.get("cases") or [] if c.get("status") != "passed"]
    if failing:
        names = ", ".join(f"'{c.get('name', '?')}'" + (" (hidden)" if c.get("hidden") else "") for c in failing[:4])
        more = f" and {len(failing) - 4} more" if len(failing) > 4 else ""
        text += f"; failing: {names}{more}"
    verdict = results.get("verdict")
    notes = {Verdict.COMPILE_ERROR: "the code did not compile", Verdict.TIME_LIMIT_EXCEEDED: "it ran out of time",
             Verdict.MEMORY_LIMIT_EXCEEDED: "it ran out of memory",
             Verdict.RUNTIME_ERROR: "it raised an error at run time"}
    if verdict in notes:
        text += f" ({notes[verdict]})"
    return text + "."


def _opening(scores: dict[str, int], answer: AnswerData) -> str:
    mean = sum(scores.values()) / len(scores)
    if mean >= 80:
        opening = "Strong answer."
    elif mean >= 60:
        opening = "A good answer with a few gaps."
    elif mean >= 40:
        opening = "A partial answer."
    else:
        opening = "This answer misses most of what the question is looking for."
    return f"On the follow-up: {opening[:1].lower()}{opening[1:]}" if answer.is_follow_up else opening


def _truth_notes(question: QuestionData, analysis: Analysis) -> list[str]:
    """Each wrong claim quoted with its correction: the most useful thing a strict interviewer says."""
    notes = []
    sentences = analysis.reading.sentences
    for index, row in analysis.judgement.wrong[:2]:
        said = " ".join(sentences[row].text.split())
        notes.append(f"Not quite: \"{said[:160]}\" In fact, {question.misconceptions[index].correction[:1].lower()}"
                     f"{question.misconceptions[index].correction[1:].rstrip('.')}.")
    return notes


def _behavioral_notes(analysis: Analysis) -> list[str]:
    story = analysis.story
    if story is None:
        return []
    notes = []
    if story.hypothetical and story.hypothetical >= story.actions:
        notes.append("Tell a real story from your past: what you did, not what you would do.")
    elif story.actions < 2:
        notes.append("Say what you did yourself, step by step, in the first person.")
    if story.harm or analysis.judgement.flags:
        notes.append("Parts of this story describe conduct an interviewer would count against you; choose a "
                     "story where you helped, owned the problem and worked with people.")
    if story.blame:
        notes.append("Own your part rather than blaming others.")
    if not story.measured:
        notes.append("Quantify the outcome (time saved, percentages, people affected).")
    if not story.reflection:
        notes.append("End with what you learned or would do differently.")
    return notes


def _type_notes(question: QuestionData, answer: AnswerData, analysis: Analysis) -> list[str]:
    lowered = analysis.reading.lowered
    if question.type == "behavioral" and not answer.is_follow_up:
        return _behavioral_notes(analysis)
    if question.type == "system_design" and not answer.is_follow_up and not SCALE_NUMBER.search(lowered):
        return ["Put numbers on the scale: requests per second, storage per year, latency budgets."]
    if question.type == "coding" and not any(s.startswith("cx_") for t in analysis.reading.sentences for s in t.seq):
        return ["State the time and space complexity of your solution."]
    return []


def _communication_notes(question: QuestionData, answer: AnswerData, analysis: Analysis) -> list[str]:
    reading = analysis.reading
    limits = band(question, answer)
    notes = []
    if 0 < reading.words < limits[0]:
        notes.append(f"The answer is short ({reading.words} words); walk through your reasoning.")
    elif reading.words > 2 * limits[1]:
        notes.append(f"At {reading.words} words the answer is long; lead with the key points.")
    relevant = analysis.judgement.relevance
    if len(relevant) >= 4 and sum(r < 0.3 for r in relevant) * 2 > len(relevant):
        notes.append("Much of the answer is not about the question; keep to what was asked.")
    if any(s.echo for s in reading.sentences):
        notes.append("Repeating the question earns nothing; answer it.")
    if filler_count(reading.lowered):
        notes.append("Cut filler words such as \"basically\" and \"kind of\".")
    if question.type == "coding" and answer.code and reading.words < 8:
        notes.append("Explain your approach, its complexity and the edge cases, not only the code.")
    if reading.prose_share < 0.6 and reading.words:
        notes.append("Much of the answer reads as a list of keywords; explain how the ideas fit together.")
    return notes


def feedback(question: QuestionData, answer: AnswerData, analysis: Analysis, scores: dict[str, int]) -> str:
    """The reply to the candidate, specific to this answer."""
    if analysis.reading.words == 0 and not answer.code and not analysis.reading.directed:
        return "No answer was given, so there is nothing to score yet."
    parts = [_opening(scores, answer)]
    if answer.test_results and answer.test_results.get("total"):
        parts.append(_test_summary(answer.test_results))
    covered, missed = covered_points(analysis), covered_points(analysis, hit=False)
    if covered:
        parts.append("You covered: " + "; ".join(point_text(p.item) for p in covered[:3]) + ".")
    parts.extend(_truth_notes(question, analysis))
    if missed and not answer.is_follow_up:
        parts.append("To make it stronger, address: " + "; ".join(point_text(p.item) for p in missed[:3]) + ".")
    parts.extend(_type_notes(question, answer, analysis))
    parts.extend(_communication_notes(question, answer, analysis))
    if analysis.reading.directed:
        parts.append("Text addressed to the grader was not scored, and it counts against the answer.")
    return " ".join(parts)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1] + "…"


def failing_example_probe(case: dict[str, Any]) -> str:
    """Ask about a failing visible example by its input, as an interviewer at the whiteboard would."""
    arguments = ", ".join(_shown(a) for a in case.get("input") or [])
    if case.get("error"):
        outcome = f"your code raised an error ({str(case['error']).splitlines()[-1][:120]})"
    else:
        outcome = f"your code returned {_shown(case.get('actual'))}"
    return (f"On the example with input {arguments}, {outcome}, but {_shown(case.get('expected'))} was expected. "
            "Can you trace your code on that input and say where it goes wrong?")


def follow_up(question: QuestionData, analysis: Analysis) -> str | None:
    """A failing visible example first; else the question's follow-up closest to the heaviest missed point."""
    if analysis.run is not None and analysis.run.failing_example is not None:
        return failing_example_probe(analysis.run.failing_example)
    if not question.follow_ups:
        return None
    for point in covered_points(analysis, hit=False):
        overlaps = [len(point.terms & terms) for terms in analysis.knowledge.follow_up_terms]
        if max(overlaps) > 0:
            return question.follow_ups[overlaps.index(max(overlaps))]
    return question.follow_ups[0]


def prompt_hash(payload: Any) -> str:
    """sha256 of canonical JSON: the same inputs always hash the same, whatever the key order."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_payload(model: str, question: QuestionData, answer: AnswerData) -> dict[str, Any]:
    return {"model": model, "question": question.public_id, "rubricVersion": question.rubric_version,
            "text": answer.text, "code": answer.code, "language": answer.language, "approach": answer.approach,
            "isFollowUp": answer.is_follow_up, "followUpPrompt": answer.follow_up_prompt,
            "testResults": answer.test_results}
