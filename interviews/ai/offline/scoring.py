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
EXCELLENT_COVERAGE = 0.65
WRONG_CLAIM_FACTOR = 0.45  # each confident wrong claim multiplies the truth of the answer
WRONG_CAP = 0.45  # the most correctness an answer with a wrong claim keeps
TRUTH_REACH = 0.4  # how far a wrong claim lowers completeness and communication too
WORKING_BASE = 0.4  # what an explanation of code that passes nothing keeps
SPREAD = 1.3  # steepness of the final S-curve (1 leaves scores as they are)
GRADER_DIRECTED_FACTOR = 0.35  # an answer that addresses the grader keeps this share of every score
# Relations only misconceptions state: up to STRAY_FREE per true relation is noise, beyond it costs.
STRAY_FREE, STRAY_SLOPE = 0.03, 4.0
# Behavioral: how on-topic a story is (from its rubric share or its depth), and what a thin but true story
# keeps; a hypothetical, each harmful act or red flag, and blame multiply the whole answer.
TOPIC_FLOOR, TOPIC_SPAN, TOPIC_DEPTH, TOPIC_POWER = 0.05, 0.3, 0.03, 0.7
LIKENESS_FLOOR, LIKENESS_SPAN = 0.3, 0.25  # cosine with the reference answer: unrelated to about the same story
NARRATIVE_FULL = 0.2  # share of sentences telling what happened, from which a story is a story
THIN_STORY = 0.45
HYPOTHETICAL_FACTOR, HARM_FACTOR, BLAME_FACTOR = 0.35, 0.3, 0.6
FOCUS_BASE, FOCUS_FULL = 0.5, 0.4  # the share of relevant words from which an answer is focused
SHARE_FLOOR = 0.1  # rubric share an unrelated answer in the same field reaches through shared words
# Depth: the weighted share of the true statements' ordered pairs an excellent answer reaches.
DEPTH_FULL, DEPTH_WEIGHT = 0.14, 0.6

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
    """1 for an answer that says nothing wrong; lower for each wrong claim and for relations that only the
    misconceptions state."""
    judgement = analysis.judgement
    stray = clamp(1.0 - STRAY_SLOPE * max(0.0, judgement.stray - STRAY_FREE))
    return WRONG_CLAIM_FACTOR ** len(judgement.wrong) * stray


def depth(analysis: Analysis) -> float:
    """How much of what the knowledge holds true the answer states, 0..1 (full at DEPTH_FULL)."""
    return clamp(analysis.judgement.depth / DEPTH_FULL)


def knowledge(analysis: Analysis, scope: list[int] | None = None, squared: bool = False) -> float:
    """What the answer says of the question's knowledge: its rubric points (beyond what any answer in the
    field touches on) and the depth of its statements."""
    share = curve(clamp((analysis.share(squared=squared, only=scope) - SHARE_FLOOR) / (1 - SHARE_FLOOR)))
    if not analysis.judgement.depth and not analysis.knowledge.true_pairs:
        return share
    return (1 - DEPTH_WEIGHT) * share + DEPTH_WEIGHT * depth(analysis)


def relevance(analysis: Analysis) -> float:
    """Share of the answer's words that are about the question (echoes of the prompt are not)."""
    sentences = analysis.reading.sentences
    total = sum(s.length for s in sentences)
    if not total:
        return 0.0
    return sum(s.length * r for s, r in zip(sentences, analysis.judgement.relevance, strict=True)) / total


def focus(analysis: Analysis) -> float:
    """1 for an answer about the question throughout; lower as filler around it grows."""
    return FOCUS_BASE + (1 - FOCUS_BASE) * clamp(relevance(analysis) / FOCUS_FULL)


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
    prose = prose_factor(analysis) * focus(analysis)
    coverage, heavy = knowledge(analysis, scope), knowledge(analysis, scope, squared=True)
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
    reach = 1 - TRUTH_REACH + TRUTH_REACH * right  # what a wrong claim costs the other two scores
    completeness = coverage * prose * reach
    communication = _communication(question, answer, analysis, coverage * right) * reach
    return completeness, correctness, communication


def on_topic(analysis: Analysis) -> float:
    """How much the answer is about this question: its rubric points and the relations of its knowledge. A
    good answer to another question scores near zero here however good it is."""
    share, judgement = analysis.share(), analysis.judgement
    return clamp(max((share - TOPIC_FLOOR) / TOPIC_SPAN, judgement.depth / TOPIC_DEPTH,
                     (judgement.likeness - LIKENESS_FLOOR) / LIKENESS_SPAN)) ** TOPIC_POWER


def story_substance(analysis: Analysis) -> float:
    """A story's substance, 0..1: own past actions, a measured result, reflection, told in the first person."""
    story = analysis.story
    assert story is not None  # noqa: S101 - analyse() reads the story of every main behavioral answer
    actions = clamp(story.actions / 4)
    result = 1.0 if story.result and story.measured else 0.6 if story.result or story.measured else 0.0
    ownership = 0.7 + 0.3 * clamp(story.ownership / 0.5)
    return (0.5 * actions + 0.3 * result + 0.2 * story.reflection) * ownership


def conduct(analysis: Analysis) -> float:
    """1 for a story an interviewer would be glad to hear; near 0 for harmful or dishonest conduct or blame,
    however well the story is told."""
    story = analysis.story
    assert story is not None  # noqa: S101 - as above
    return max(0.05, HARM_FACTOR ** (story.harm + len(analysis.judgement.flags)) * BLAME_FACTOR ** story.blame)


def told(analysis: Analysis) -> float:
    """1 for a story from the past; low for "I would..." instead of what happened."""
    story = analysis.story
    assert story is not None  # noqa: S101 - as above
    if story.hypothetical and story.hypothetical >= story.actions:
        return HYPOTHETICAL_FACTOR
    return 0.7 if story.hypothetical * 2 > story.actions else 1.0


def _behavioral_scores(question: QuestionData, answer: AnswerData, analysis: Analysis) -> tuple[float, float, float]:
    """A real story about this question: substance counts only as far as the story is on topic, and
    hypotheticals, harm and blame count against it however neatly it is told."""
    topic = on_topic(analysis)
    substance = story_substance(analysis)
    narrative = 0.3 + 0.7 * clamp(analysis.story.narrative / NARRATIVE_FULL)  # type: ignore[union-attr]
    factor = told(analysis) * conduct(analysis) * prose_factor(analysis) * truth(analysis) * narrative
    completeness = topic * (THIN_STORY + (1 - THIN_STORY) * (0.5 * substance + 0.5 * curve(analysis.share())))
    correctness = topic * (THIN_STORY + (1 - THIN_STORY) * substance)
    communication = delivery(question, answer, analysis) * (0.3 + 0.7 * topic)
    return completeness * factor, correctness * factor, communication * factor


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
    # An explanation of code that does not work explains the wrong algorithm: it is worth as much as the code.
    works = WORKING_BASE + (1 - WORKING_BASE) * tested
    completeness = (0.35 * tested + 0.65 * said) * prose_factor(analysis) * (0.6 + 0.4 * right) * works
    communication = _communication(question, answer, analysis, said * right) * works
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
    if answer.is_follow_up and analysis.run is None:
        values = _knowledge_scores(question, answer, analysis, follow_up_scope(answer, analysis))
    elif question.type == "behavioral":
        values = _behavioral_scores(question, answer, analysis)
    elif question.type == "coding":  # a follow-up with code that ran too: the fix is scored as code
        values = _coding_scores(question, answer, analysis)
    else:
        values = _knowledge_scores(question, answer, analysis, None)
    factor = GRADER_DIRECTED_FACTOR if analysis.reading.directed else 1.0
    return {d: round(100 * spread(clamp(v) * factor)) for d, v in zip(DIMENSIONS, values, strict=True)}


def spread(value: float) -> float:
    """A symmetric S-curve on 0..1 that keeps the order and moves scores away from the middle, as a strict
    grader's are: an answer is mostly right or mostly not (docs/evaluation.md, "Calibration")."""
    if value <= 0.0 or value >= 1.0:
        return value
    high, low = value ** SPREAD, (1 - value) ** SPREAD
    return high / (high + low)
