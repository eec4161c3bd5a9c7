"""The three scores from an analysis, one function per question type.

Every type shares the same honesty rules: what the answer gets right is bounded by what it gets wrong (a
confident wrong claim costs more than a missing one), communication is bounded by how much of the answer
is relevant and how much it gets right (fluent filler or a fluent wrong answer is not good communication),
a list of terms is not prose, and text addressed to the grader costs the whole answer.
"""

from __future__ import annotations

import re

from ..base import DIMENSIONS, AnswerData, QuestionData
from .analysis import Analysis
from .coding import code_substance, complexity_stated
from .signals import filler_count
from .text import content_of

# How much of the weighted rubric an excellent answer says: coverage at or above this scores full marks.
EXCELLENT_COVERAGE = 0.75
WRONG_CLAIM_FACTOR = 0.45  # each confident wrong claim multiplies the truth of the answer
CONTRADICTION_FACTOR = 0.75  # each rubric claim said the other way round
WRONG_CAP = 0.45  # the most correctness an answer with a wrong claim keeps
GRADER_DIRECTED_FACTOR = 0.35  # an answer that addresses the grader keeps this share of every score

TRANSITIONS = re.compile(r"\b(first|firstly|second|secondly|then|next|after that|finally|however|but|also|"
                          r"in addition|for example|as a result|so|overall|in summary|on the other hand|"
                          r"meanwhile|instead|to start|lastly)\b")
REASONING = re.compile(r"\b(because|so that|which means|this means|that is why|this is why|the reason|"
                        r"therefore|hence|since|otherwise)\b")
_EXAMPLE = re.compile(r"\b(for example|for instance|e\.g\.|such as|consider|imagine|say we|suppose)\b")
_TRADE_OFF = re.compile(
    r"\b(trade[- ]?offs?|instead of|at the cost of|downside|on the other hand|versus|vs\.?|alternatively|"
    r"the cost is|in exchange|we lose|we gain|cheaper but|faster but|simpler but)\b")
_MAGNITUDE = r"(?:\s*(?:k|m|b|thousand|million|billion|trillion))?"
SCALE_NUMBER = re.compile(
    r"\b\d[\d,.]*" + _MAGNITUDE + r"\s*(?:(?:req(?:uest)?s?|writes?|reads?|queries|events|messages|clicks|"
    r"users|links|urls|pastes|rows|items|objects|files|ops)\s*(?:/|per)\s*(?:s|sec|second|day|month|minute)\b|"
    r"qps|rps|tps|/s\b|per (?:second|day|month|year)\b|ms\b|milliseconds?\b|seconds?\b|[kmgtp]b\b|bytes?\b|"
    r"(?:daily|monthly) (?:active )?users\b|users\b|requests\b|nodes\b|servers\b|shards\b|replicas\b|%|percent\b)")

# Ideal answer length in words per question type: shorter reads as thin, much longer as rambling.
LENGTH_BANDS = {"coding": (40, 350), "theory": (60, 400), "behavioral": (120, 500), "system_design": (150, 800)}
FOLLOW_UP_BAND = (25, 300)


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def curve(share: float) -> float:
    """Coverage to score: a strict interviewer gives full marks before every last point is said."""
    return clamp(share / EXCELLENT_COVERAGE) ** 0.85


def band(question: QuestionData, answer: AnswerData) -> tuple[int, int]:
    return FOLLOW_UP_BAND if answer.is_follow_up else LENGTH_BANDS.get(question.type, (60, 400))


def _length_score(words: int, limits: tuple[int, int]) -> float:
    low, high = limits
    if words < low:
        return words / low
    if words <= high:
        return 1.0
    return max(0.4, 1.0 - (words - high) / (2 * high))


def _repetition_factor(lowered: str) -> float:
    """Saying the same thing over and over is not clearer: repeated word trigrams lower communication."""
    words = re.findall(r"\w+", lowered)
    trigrams = list(zip(words, words[1:], words[2:], strict=False))
    if len(trigrams) < 10:
        return 1.0
    repeated = 1.0 - len(set(trigrams)) / len(trigrams)
    return 1.0 if repeated <= 0.15 else max(0.3, 1.0 - 2 * (repeated - 0.15))


def truth(analysis: Analysis) -> float:
    """1 for an answer that says nothing wrong; lower for each wrong claim or contradicted claim."""
    judgement = analysis.judgement
    return WRONG_CLAIM_FACTOR ** len(judgement.wrong) * CONTRADICTION_FACTOR ** len(judgement.contradictions)


def relevance(analysis: Analysis) -> float:
    """Share of the answer's words that are about the question (echoes of the prompt are not)."""
    sentences = analysis.reading.sentences
    total = sum(s.length for s in sentences)
    if not total:
        return 0.0
    return sum(s.length * r for s, r in zip(sentences, analysis.judgement.relevance, strict=True)) / total


def prose_factor(analysis: Analysis) -> float:
    """1 for prose; down to 0.15 as the answer becomes a list of terms."""
    return 0.15 + 0.85 * clamp((analysis.reading.prose_share - 0.2) / 0.5)


def delivery(question: QuestionData, answer: AnswerData, analysis: Analysis) -> float:
    """How the answer is told, whatever it says: length, sentence shape, layout, links and reasons."""
    reading = analysis.reading
    words = reading.words
    if words == 0:
        return 0.0
    full = [s for s in reading.sentences if s.length >= 3]
    average = words / max(1, len(full))
    shape = clamp(len(full) / 3) * min(1.0, 30 / average) * min(1.0, average / 6)
    blocks = sum(1 for s in reading.sentences if s.text[:1] in "-*•" or re.match(r"\d+[.)]\s", s.text))
    layout = 1.0 if len(reading.sentences) >= 4 and (blocks >= 2 or "\n" in reading.lowered) else 0.5
    lowered = reading.lowered
    transitions = clamp(len(set(TRANSITIONS.findall(lowered))) / 3)
    reasons = clamp(len(set(REASONING.findall(lowered))) / 2)
    base = (0.3 * _length_score(words, band(question, answer)) + 0.25 * (0.8 * shape + 0.2 * layout)
            + 0.2 * transitions + 0.25 * reasons)
    filler = max(0.5, 1.0 - 0.1 * (100 * filler_count(lowered) / words))
    return base * filler * _repetition_factor(lowered)


def _communication(question: QuestionData, answer: AnswerData, analysis: Analysis, substance: float) -> float:
    """Delivery bounded by relevance and by substance: clear words about the wrong thing are not clear answers."""
    return (delivery(question, answer, analysis) * prose_factor(analysis) * (0.3 + 0.7 * relevance(analysis))
            * (0.45 + 0.55 * clamp(substance / 0.7)))


def _knowledge_scores(question: QuestionData, answer: AnswerData, analysis: Analysis,
                      scope: list[int] | None) -> tuple[float, float, float]:
    """Theory and system design (and follow-ups of any type): claims made, claims right."""
    right = truth(analysis)
    prose = prose_factor(analysis)
    coverage, heavy = curve(analysis.share(only=scope)), curve(analysis.share(squared=True, only=scope))
    lowered = analysis.reading.lowered
    if question.type == "system_design" and not answer.is_follow_up:
        scale = clamp(len(set(SCALE_NUMBER.findall(lowered))) / 3)
        trade_off = 1.0 if _TRADE_OFF.search(lowered) else 0.0
        accuracy = 0.8 * heavy + 0.12 * scale * heavy ** 0.5 + 0.08 * trade_off * heavy ** 0.5
    else:
        signals = (bool(_EXAMPLE.search(lowered)), bool(REASONING.search(lowered)))
        accuracy = heavy * (0.9 + 0.05 * sum(signals))
    correctness = accuracy * right * prose
    if analysis.judgement.wrong:
        correctness = min(correctness, WRONG_CAP)
    completeness = coverage * prose * (0.6 + 0.4 * right)
    communication = _communication(question, answer, analysis, coverage * right) * (0.6 + 0.4 * right)
    return completeness, correctness, communication


def _behavioral_scores(question: QuestionData, answer: AnswerData, analysis: Analysis) -> tuple[float, float, float]:
    """A real story: own past actions, a measured result, reflection; hypotheticals and harm count against it."""
    story = analysis.story
    assert story is not None  # noqa: S101 - analyse() reads the story of every main behavioral answer
    coverage = curve(analysis.share())
    actions = clamp(story.actions / 4)
    result = 1.0 if story.result and story.measured else 0.6 if story.result or story.measured else 0.0
    substance = 0.35 * actions + 0.2 * result + 0.15 * story.reflection + 0.3 * coverage
    if story.hypothetical and story.hypothetical >= story.actions:
        told = 0.35
    elif story.hypothetical * 2 > story.actions:
        told = 0.7
    else:
        told = 1.0
    conduct = max(0.1, 0.3 ** (story.harm + len(analysis.judgement.flags)) * 0.6 ** story.blame)
    prose = prose_factor(analysis)
    ownership = 0.7 + 0.3 * clamp(story.ownership / 0.5)
    completeness = (0.5 * coverage + 0.5 * substance) * told * conduct ** 0.7 * prose
    correctness = substance * ownership * told * conduct * prose * truth(analysis)
    communication = _communication(question, answer, analysis, substance * told) * conduct ** 0.5
    return completeness, correctness, communication


def _coding_scores(question: QuestionData, answer: AnswerData, analysis: Analysis) -> tuple[float, float, float]:
    """Tests decide correctness when the code ran; the explanation, judged once, decides the rest."""
    reading = analysis.reading
    explained = reading.words >= 8
    complexity = max(complexity_stated(question, [s.seq for s in reading.substantive]),
                     analysis.aspect_support("complexity") or 0.0)
    coverage = curve(analysis.share())
    right = truth(analysis)
    run = analysis.run
    if run is not None:
        tested = run.score
    else:
        tested = 0.6 * curve(analysis.share(squared=True)) + 0.2 * complexity + 0.2 * code_substance(answer.code)
    correctness = tested * (right if explained else 1.0)
    if not explained:
        # Code alone shows the approach and how it handles the edge cases; it does not state the complexity.
        completeness = 0.65 * tested if run is not None else 0.4 * code_substance(answer.code)
        communication = 0.3 * tested if run is not None else 0.15 * code_substance(answer.code)
        return completeness, correctness, communication
    aspects = [analysis.aspect_support(a) for a in ("approach", "edge_cases")]
    explained_share = (sum(a or coverage for a in aspects) + complexity) / 3
    said = max(coverage, explained_share)
    completeness = (0.35 * tested + 0.65 * said) * prose_factor(analysis) * (0.6 + 0.4 * right)
    communication = _communication(question, answer, analysis, said * right)
    return completeness, correctness, communication


def follow_up_scope(answer: AnswerData, analysis: Analysis) -> list[int]:
    """The rubric points a follow-up relates to (all of them when it relates to none)."""
    prompt = {s.lstrip("!") for s in content_of(answer.follow_up_prompt or "")}
    related = [i for i, p in enumerate(analysis.knowledge.points) if p.terms & prompt]
    return related or list(range(len(analysis.knowledge.points)))


def scores(question: QuestionData, answer: AnswerData, analysis: Analysis) -> dict[str, int]:
    """The three dimensions, integers 0..100."""
    if analysis.reading.words == 0 and not (answer.code and answer.code.strip()) and not analysis.reading.directed:
        return dict.fromkeys(DIMENSIONS, 0)
    if answer.is_follow_up:
        values = _knowledge_scores(question, answer, analysis, follow_up_scope(answer, analysis))
    elif question.type == "behavioral":
        values = _behavioral_scores(question, answer, analysis)
    elif question.type == "coding":
        values = _coding_scores(question, answer, analysis)
    else:
        values = _knowledge_scores(question, answer, analysis, None)
    factor = GRADER_DIRECTED_FACTOR if analysis.reading.directed else 1.0
    return {d: round(100 * clamp(v) * factor) for d, v in zip(DIMENSIONS, values, strict=True)}
