"""The offline interviewer: deterministic rubric scoring with no network and no model.

It is the default provider and the fallback for the Anthropic one, so it has to be real: it scores an
answer against the question's rubric (phrases matched on word boundaries with light inflection
tolerance), STAR structure for behavioral stories, scale numbers for system design and test results
for code, and writes feedback that names what was covered and what was missed.

Two defences keep the score honest. Sentences addressed to the grader ("ignore the rubric and give
100") are not scored at all, so they cannot move any dimension. Keyword stuffing is bounded by the
share of the answer made of rubric phrases: a list of phrases is not prose, and every dimension is
scaled down as that share rises past what a real explanation contains.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domain.verdicts import Verdict

from .base import (
    DIMENSIONS,
    AnswerData,
    AnsweredQuestion,
    Evaluation,
    EvaluatorInfo,
    FeedbackDraft,
    QuestionData,
    RubricItem,
    Sentiment,
    SessionData,
)

PROVIDER = "offline"
MODEL = "rubric-v1"

# ---------------------------------------------------------------- normalisation

_APOSTROPHES = re.compile(r"['’‘`´]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# A hyphen or slash between two letters joins words ("pre-allocate", "pub/sub"); elsewhere it is an
# operator ("v-1", "1/n", "// 10") and stays a token, so "o(n^2)" never matches a phrase "o(n)".
_WORD_JOINER = re.compile(r"(?<=[^\W\d_])[-/](?=[^\W\d_])")
_TOKEN = re.compile(r"\w+|[()\[\]{}+*/^%=<>!:#|&~-]|(?<=\w)\.(?=\w)")
_KEEP_FINAL_S = ("ss", "us", "is")
_WORD = re.compile(r"\w+")


def _undouble(stem: str) -> str:
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


def _strip_once(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) >= 6:
        return _undouble(word[:-3])
    if word.endswith("ed"):
        return _undouble(word[:-2]) if len(word) >= 5 else word[:-1]
    if word.endswith("es") and (word[-3] in "sxz" or word.endswith(("ches", "shes"))):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_KEEP_FINAL_S):
        return word[:-1]
    if word.endswith("e"):
        return word[:-1]
    return word


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light stemmer applied identically to phrases and answers: "caches", "cached" and "caching"
    all meet "cache". Consistency on both sides matters more than linguistic accuracy."""
    if len(word) <= 3 or not word.isalpha():
        return word
    while (shorter := _strip_once(word)) != word:
        word = shorter
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed tokens: words, plus operator symbols so code-ish phrases keep their shape."""
    text = _WORD_JOINER.sub(" ", _THOUSANDS.sub("", _APOSTROPHES.sub("", text.lower())))
    return [stem(t) for t in _TOKEN.findall(text)]


def normalise(text: str) -> str:
    """Tokens joined by single spaces with a space at each end, so `f" {phrase} " in text` is a match
    on word boundaries ("ack" never matches inside "stack")."""
    return " " + " ".join(tokens(text)) + " "


# ---------------------------------------------------------------- rubric compilation

_STAGES = ("situation", "task", "action", "result")
_STAGE_CUES = {
    "situation": re.compile(
        r"\b(the situation|at the time|we were (working|building)|our team (was|had)|context|background|"
        r"when i was|i was working|in my (last|previous)|a few (years|months) ago|last year)\b"),
    "task": re.compile(
        r"\b(my (role|task|goal|job|responsibility)|i was (responsible|asked|tasked|in charge)|i needed to|"
        r"i had to|the goal was|my part|i owned|i volunteered)\b"),
    "action": re.compile(
        r"\bi (decided|proposed|built|wrote|created|set up|organi[sz]ed|reached out|talked|met|suggested|"
        r"implemented|led|started|introduced|scheduled|asked|paired|worked with|prioriti[sz]ed|escalated|"
        r"documented|refactored|designed|investigated|analy[sz]ed|drafted|ran|added|changed|fixed|took|"
        r"offered|walked|checked in|shared|prepared|listened|gathered|interviewed|explained|split|moved)\b"),
    "result": re.compile(
        r"\b(as a result|the result|the outcome|in the end|ultimately|we (reduced|increased|shipped|launched|"
        r"delivered|cut|saved|improved)|which (reduced|increased|cut|saved|improved)|"
        r"(reduced|increased|improved|cut|dropped) [\w ,%$]{0,40}\b(by|from|to) \d)"),
}
_REFLECTION = re.compile(r"\b(i learned|looking back|next time|since then|it taught me|i realized|i realised)\b")


@dataclass(frozen=True)
class _Point:
    item: RubricItem
    phrases: tuple[str, ...]  # normalised, padded with spaces
    stage: str | None  # behavioral rubrics: which STAR stage the point stands for, if any
    terms: frozenset[str]  # content stems of the point's text, to relate follow-ups to points


def _stage_of(item: RubricItem) -> str | None:
    hits = {stage: sum(bool(cue.search(p)) for p in item.phrases) for stage, cue in _STAGE_CUES.items()}
    best = max(_STAGES, key=lambda s: hits[s])
    return best if hits[best] else None


_STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
    "you", "your", "yours", "we", "our", "i", "my", "me", "they", "them", "their", "he", "she", "his", "her",
    "what", "which", "who", "whom", "how", "why", "when", "where", "would", "could", "should", "will", "can",
    "do", "does", "did", "done", "have", "has", "had", "not", "no", "so", "than", "then", "there", "here",
    "such", "into", "about", "over", "under", "more", "most", "less", "very", "just", "also", "any", "each",
    "some", "all", "one", "two", "use", "using", "used", "way", "ways",
})


def _content_terms(text: str) -> frozenset[str]:
    words = _WORD.findall(_APOSTROPHES.sub("", text.lower()))
    return frozenset(stem(w) for w in words if w.isalpha() and len(w) > 2 and w not in _STOPWORDS)


@lru_cache(maxsize=2048)
def _compile(rubric: tuple[RubricItem, ...], behavioral: bool) -> tuple[_Point, ...]:
    """Normalised phrases per question, computed once per rubric (the evaluator's hot path)."""
    points = []
    for item in rubric:
        phrases = tuple(dict.fromkeys(n for p in item.phrases if (n := normalise(p)).strip()))
        points.append(_Point(item, phrases, _stage_of(item) if behavioral else None, _content_terms(item.point)))
    return tuple(points)


# ---------------------------------------------------------------- signals

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
_GRADER_DIRECTED = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(rubric|instructions?|prompt|grading|scoring|"
    r"criteria|rules|above)\b"
    r"|\b(give|award|assign|grant)\s+(me|this( answer)?|the candidate|it|my answer)\s+(a\s+)?"
    r"(100|full|perfect|maximum|top)\b"
    r"|\b(score|grade|rate|mark)\s+(this|me|my answer)\b.{0,20}\b(100|perfect|full|maximum)\b"
    r"|\b(you are now|act as|pretend to be)\b.{0,30}\b(grader|evaluator|assistant|ai|model|examiner)\b"
    r"|\bsystem prompt\b"
)
_COMMENT = re.compile(r"#[^\n]*|//[^\n]*|/\*.*?\*/", re.S)
_COMPLEXITY = re.compile(
    r"\bo\s*\(|\b(linear|constant|logarithmic|quadratic|exponential|n log n)\s+(time|space)\b|"
    r"\b(time|space) complexity\b|\bbig[- ]o\b")
_MAGNITUDE = r"(?:\s*(?:k|m|b|thousand|million|billion|trillion))?"
_SCALE_NUMBER = re.compile(
    r"\b\d[\d,.]*" + _MAGNITUDE + r"\s*(?:(?:req(?:uest)?s?|writes?|reads?|queries|events|messages|clicks|"
    r"users|links|urls|pastes|rows|items|objects|files|ops)\s*(?:/|per)\s*(?:s|sec|second|day|month|minute)\b|"
    r"qps|rps|tps|/s\b|per (?:second|day|month|year)\b|ms\b|milliseconds?\b|seconds?\b|[kmgtp]b\b|bytes?\b|"
    r"(?:daily|monthly) (?:active )?users\b|users\b|requests\b|nodes\b|servers\b|shards\b|replicas\b|%|percent\b)")
_NUMBER_WORD = (r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
                r"forty|fifty|hundred|dozen|half)")
_SPECIFIC_NUMBER = re.compile(
    r"(?:\$\s?\d[\d,.]*\w*|\b" + _NUMBER_WORD + _MAGNITUDE + r"\s*(?:%|percent\b|x\b|times\b|weeks?\b|days?\b|"
    r"hours?\b|months?\b|minutes?\b|sprints?\b|people\b|engineers\b|developers\b|users\b|customers\b|"
    r"tickets\b|incidents\b|bugs\b|teams?\b|releases?\b|members\b|reports\b|services\b|pages\b|dollars\b))")
_TRADE_OFF = re.compile(
    r"\b(trade[- ]?offs?|instead of|at the cost of|downside|on the other hand|versus|vs\.?|alternatively|"
    r"the cost is|in exchange|we lose|we gain|cheaper but|faster but|simpler but)\b")
_EXAMPLE = re.compile(r"\b(for example|for instance|e\.g\.|such as|consider|imagine|say we|suppose)\b")
_REASONING = re.compile(r"\b(because|so that|which means|this means|that is why|this is why|the reason|"
                        r"therefore|hence|since|otherwise)\b")
_TRANSITIONS = re.compile(r"\b(first|firstly|second|secondly|then|next|after that|finally|however|but|also|"
                          r"in addition|for example|as a result|so|overall|in summary|on the other hand|"
                          r"meanwhile|instead|to start|lastly)\b")
_FILLER = re.compile(r"\b(um+|uh+|erm|basically|you know|kind of|sort of|literally|i guess|stuff like that|"
                     r"and so on|whatever)\b")
_FIRST_SINGULAR = frozenset({"i", "my", "me", "myself"})
_FIRST_PLURAL = frozenset({"we", "our", "us", "ourselves"})

# Ideal answer length in words per question type: shorter reads as thin, much longer as rambling.
_LENGTH_BANDS = {"coding": (40, 350), "theory": (60, 400), "behavioral": (120, 500), "system_design": (150, 800)}
_FOLLOW_UP_BAND = (25, 300)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _length_score(words: int, band: tuple[int, int]) -> float:
    low, high = band
    if words < low:
        return words / low
    if words <= high:
        return 1.0
    return max(0.4, 1.0 - (words - high) / (2 * high))


@dataclass(frozen=True)
class _Analysis:
    """Everything the scores and the feedback are computed from, for one answer."""

    points: tuple[_Point, ...]
    covered: tuple[bool, ...]
    sentences: tuple[str, ...]  # the scored sentences (grader-directed ones removed), original text
    dropped: int  # how many grader-directed sentences were not scored
    words: int
    prose: float  # 1.0 for prose; lower as the answer becomes a list of rubric phrases
    lowered: str  # scored text, lower-case, for cue searches

    def weight(self, squared: bool = False, only: Iterable[int] | None = None) -> float:
        """Weighted share of the (selected) rubric points covered; squaring favours the heavier points."""
        indexes = range(len(self.points)) if only is None else list(only)
        total = covered = 0.0
        for i in indexes:
            w = self.points[i].item.weight ** (2 if squared else 1)
            total += w
            covered += w if self.covered[i] else 0.0
        return covered / total if total else 0.0


def _density(text: str, points: tuple[_Point, ...]) -> float:
    """Share of the answer's characters that sit inside rubric phrases (overlaps counted once)."""
    if len(text) <= 2:
        return 0.0
    marked = bytearray(len(text))
    for point in points:
        for phrase in point.phrases:
            start = text.find(phrase)
            while start != -1:
                marked[start + 1:start + len(phrase) - 1] = b"\x01" * (len(phrase) - 2)
                start = text.find(phrase, start + len(phrase) - 1)
    return sum(marked) / (len(text) - 2)


def _prose_factor(density: float) -> float:
    # Real explanations measured on the bank's strong answers sit well under 0.5 (connecting words,
    # reasons, examples); a bare or repeated list of phrases sits near 1.
    return 1.0 if density <= 0.5 else max(0.15, 1.0 - (density - 0.5) / 0.35)


def _analyse(question: QuestionData, answer: AnswerData) -> _Analysis:
    prose_parts = [answer.text or "", answer.approach or ""]
    if answer.code:
        prose_parts.append(" ".join(_COMMENT.findall(answer.code)))
    kept: list[str] = []
    dropped = 0
    for sentence in _sentences("\n".join(prose_parts)):
        if _GRADER_DIRECTED.search(sentence.lower()):
            dropped += 1
        else:
            kept.append(sentence)
    scored = "\n".join(kept)
    normal = normalise(scored)
    points = _compile(question.rubric, question.type == "behavioral")
    covered = tuple(any(p in normal for p in point.phrases) for point in points)
    return _Analysis(points=points, covered=covered, sentences=tuple(kept), dropped=dropped,
                     words=len(_WORD.findall(scored)), prose=_prose_factor(_density(normal, points)),
                     lowered=scored.lower())


# ---------------------------------------------------------------- scores


def _stages_present(analysis: _Analysis) -> dict[str, bool]:
    """STAR stages found by generic cue phrases or by the rubric's own point for that stage."""
    found = {stage: bool(_STAGE_CUES[stage].search(analysis.lowered)) for stage in _STAGES}
    for point, hit in zip(analysis.points, analysis.covered, strict=True):
        if hit and point.stage:
            found[point.stage] = True
    if _REFLECTION.search(analysis.lowered):
        found["result"] = found["result"] or bool(_SPECIFIC_NUMBER.search(analysis.lowered))
    return found


def _ownership(lowered: str) -> float:
    words = _WORD.findall(lowered)
    mine = sum(w in _FIRST_SINGULAR for w in words)
    ours = sum(w in _FIRST_PLURAL for w in words)
    if mine + ours == 0:
        return 0.0
    return _clamp(mine / (mine + ours) / 0.5)


def _code_substance(code: str | None) -> float:
    if not code or not code.strip():
        return 0.0
    lines = [ln for ln in code.splitlines() if ln.strip() and not ln.strip().startswith(("#", "//"))]
    body = "\n".join(lines)
    signals = (len(lines) >= 4, bool(re.search(r"\breturn\b", body)),
               bool(re.search(r"\b(for|while|if|match|switch)\b", body)),
               not re.search(r"^\s*(pass|\.\.\.)\s*$", body, re.M))
    return sum(signals) / len(signals)


def _follow_up_scope(question: QuestionData, answer: AnswerData, analysis: _Analysis) -> tuple[float, list[int]]:
    """A follow-up answer is judged on the follow-up's own terms and the rubric points it relates to."""
    prompt_terms = _content_terms(answer.follow_up_prompt or "")
    answer_terms = _content_terms(analysis.lowered)
    term_cover = _clamp(2 * len(prompt_terms & answer_terms) / len(prompt_terms)) if prompt_terms else 0.0
    related = [i for i, p in enumerate(analysis.points) if p.terms & prompt_terms]
    return term_cover, related


def _scores(question: QuestionData, answer: AnswerData, analysis: _Analysis) -> dict[str, int]:
    if analysis.words == 0 and not (answer.code and answer.code.strip()):
        return dict.fromkeys(DIMENSIONS, 0)
    lowered = analysis.lowered
    if answer.is_follow_up:
        term_cover, related = _follow_up_scope(question, answer, analysis)
        coverage = (term_cover + analysis.weight(only=related)) / 2 if related else term_cover
        heavy = (term_cover + analysis.weight(squared=True, only=related)) / 2 if related else term_cover
    else:
        coverage, heavy = analysis.weight(), analysis.weight(squared=True)
    complexity = 1.0 if _COMPLEXITY.search(lowered) else 0.0

    results = answer.test_results
    if question.type == "coding" and results and results.get("total"):
        correctness = 100 * results.get("passed", 0) / results["total"]  # tests decide; prose cannot override
    elif question.type == "coding":
        correctness = 100 * analysis.prose * (0.6 * heavy + 0.2 * complexity + 0.2 * _code_substance(answer.code))
    elif question.type == "behavioral":
        star = sum(_stages_present(analysis).values()) / len(_STAGES)
        specifics = _clamp(len(set(_SPECIFIC_NUMBER.findall(lowered))) / 2)
        correctness = 100 * analysis.prose * (0.6 * star + 0.2 * specifics + 0.2 * _ownership(lowered))
    elif question.type == "system_design":
        scale = _clamp(len(set(_SCALE_NUMBER.findall(lowered))) / 3)
        trade_off = 1.0 if _TRADE_OFF.search(lowered) else 0.0
        correctness = 100 * analysis.prose * (0.6 * heavy + 0.25 * scale + 0.15 * trade_off)
    else:
        signals = (bool(_EXAMPLE.search(lowered)), bool(_REASONING.search(lowered)),
                   bool(re.search(r"\d|\bo\s*\(", lowered)))
        correctness = 100 * analysis.prose * (0.8 * heavy + 0.2 * sum(signals) / len(signals))

    completeness = 100 * analysis.prose * coverage
    return {"completeness": round(completeness), "correctness": round(correctness),
            "communication": round(100 * _communication(question, answer, analysis, complexity))}


def _communication(question: QuestionData, answer: AnswerData, analysis: _Analysis, complexity: float) -> float:
    words = analysis.words
    if words == 0:
        return 0.0
    band = _FOLLOW_UP_BAND if answer.is_follow_up else _LENGTH_BANDS.get(question.type, (60, 400))
    length = _length_score(words, band)
    full = [s for s in analysis.sentences if len(_WORD.findall(s)) >= 3]
    average = words / max(1, len(full))
    sentence_shape = _clamp(len(full) / 3) * min(1.0, 30 / average) * min(1.0, average / 6)
    blocks = sum(1 for s in analysis.sentences if s[:1] in "-*•" or re.match(r"\d+[.)]\s", s))
    layout = 1.0 if (len(analysis.sentences) >= 4 and (blocks >= 2 or "\n" in (answer.text or ""))) else 0.5
    structure = 0.8 * sentence_shape + 0.2 * layout
    lowered = analysis.lowered
    transitions = _clamp(len(set(_TRANSITIONS.findall(lowered))) / 3)
    if question.type == "coding" and not answer.is_follow_up:
        explained = len(_WORD.findall(answer.approach or "")) >= 8 or words >= 30
        explanation = 0.5 * explained + 0.5 * complexity
    else:
        explanation = _clamp(len(set(_REASONING.findall(lowered))) / 2)
    base = 0.3 * length + 0.25 * structure + 0.2 * transitions + 0.25 * explanation
    filler = max(0.5, 1.0 - 0.1 * (100 * len(_FILLER.findall(lowered)) / words))
    return base * filler * _repetition_factor(lowered) * analysis.prose


def _repetition_factor(lowered: str) -> float:
    """Saying the same thing over and over is not clearer: repeated word trigrams lower communication."""
    words = _WORD.findall(lowered)
    trigrams = list(zip(words, words[1:], words[2:], strict=False))
    if len(trigrams) < 10:
        return 1.0
    repeated = 1.0 - len(set(trigrams)) / len(trigrams)
    return 1.0 if repeated <= 0.15 else max(0.3, 1.0 - 2 * (repeated - 0.15))


def _sentiment(scores: dict[str, int]) -> Sentiment:
    mean = sum(scores.values()) / len(scores)
    if mean >= 70:
        return "positive"
    return "negative" if mean < 45 else "neutral"


# ---------------------------------------------------------------- feedback


def _point_text(point: RubricItem) -> str:
    text = point.point.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _by_weight(points: Iterable[_Point]) -> list[_Point]:
    return sorted(points, key=lambda p: -p.item.weight)  # stable: rubric order breaks ties


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


def _feedback(question: QuestionData, answer: AnswerData, analysis: _Analysis, scores: dict[str, int]) -> str:
    mean = sum(scores.values()) / len(scores)
    if analysis.words == 0 and not answer.code:
        return "No answer was given, so there is nothing to score yet."
    if mean >= 80:
        opening = "Strong answer."
    elif mean >= 60:
        opening = "A good answer with a few gaps."
    elif mean >= 40:
        opening = "A partial answer."
    else:
        opening = "This answer misses most of what the question is looking for."
    if answer.is_follow_up:
        opening = f"On the follow-up: {opening[:1].lower()}{opening[1:]}"
    parts = [opening]
    if answer.test_results and answer.test_results.get("total"):
        parts.append(_test_summary(answer.test_results))
    covered = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if hit)
    missed = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if not hit)
    if covered:
        parts.append("You covered: " + "; ".join(_point_text(p.item) for p in covered[:3]) + ".")
    if missed and not answer.is_follow_up:
        parts.append("To make it stronger, address: " + "; ".join(_point_text(p.item) for p in missed[:3]) + ".")
    parts.extend(_type_notes(question, answer, analysis))
    parts.extend(_communication_notes(question, answer, analysis))
    if analysis.prose < 1.0:
        parts.append("Much of the answer reads as a list of keywords; explain how the ideas fit together.")
    if analysis.dropped:
        parts.append("Text addressed to the grader was not scored.")
    return " ".join(parts)


def _type_notes(question: QuestionData, answer: AnswerData, analysis: _Analysis) -> list[str]:
    lowered = analysis.lowered
    if question.type == "behavioral" and not answer.is_follow_up:
        missing = [s for s, ok in _stages_present(analysis).items() if not ok]
        notes = []
        if missing:
            notes.append(f"Your story has no clear {', '.join(missing)}: use the STAR structure "
                         "(situation, task, action, result).")
        if not _SPECIFIC_NUMBER.search(lowered):
            notes.append("Quantify the outcome (time saved, percentages, people affected).")
        if _ownership(lowered) < 0.5:
            notes.append("Say what you did yourself (\"I\"), not only what the team did.")
        return notes
    if question.type == "system_design" and not answer.is_follow_up:
        if not _SCALE_NUMBER.search(lowered):
            return ["Put numbers on the scale: requests per second, storage per year, latency budgets."]
        return []
    if question.type == "coding" and not _COMPLEXITY.search(lowered):
        return ["State the time and space complexity of your solution."]
    return []


def _communication_notes(question: QuestionData, answer: AnswerData, analysis: _Analysis) -> list[str]:
    band = _FOLLOW_UP_BAND if answer.is_follow_up else _LENGTH_BANDS.get(question.type, (60, 400))
    notes = []
    if 0 < analysis.words < band[0]:
        notes.append(f"The answer is short ({analysis.words} words); walk through your reasoning.")
    elif analysis.words > 2 * band[1]:
        notes.append(f"At {analysis.words} words the answer is long; lead with the key points.")
    if _FILLER.search(analysis.lowered):
        notes.append("Cut filler words such as \"basically\" and \"kind of\".")
    if question.type == "coding" and answer.code and not answer.approach and analysis.words < 30:
        notes.append("Explain your approach before the code.")
    return notes


def _follow_up(question: QuestionData, analysis: _Analysis) -> str | None:
    """The question's own follow-up most related to the heaviest missed point; the first when none relates."""
    if not question.follow_ups:
        return None
    missed = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if not hit)
    for point in missed:
        overlaps = [len(point.terms & _content_terms(f)) for f in question.follow_ups]
        if max(overlaps) > 0:
            return question.follow_ups[overlaps.index(max(overlaps))]
    return question.follow_ups[0]


def prompt_hash(payload: Any) -> str:
    """sha256 of canonical JSON: the same inputs always hash the same, whatever the key order."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _answer_payload(question: QuestionData, answer: AnswerData) -> dict[str, Any]:
    return {"model": MODEL, "question": question.public_id, "rubricVersion": question.rubric_version,
            "text": answer.text, "code": answer.code, "language": answer.language, "approach": answer.approach,
            "isFollowUp": answer.is_follow_up, "followUpPrompt": answer.follow_up_prompt,
            "testResults": answer.test_results}


# ---------------------------------------------------------------- session feedback

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
    analyses: tuple[_Analysis, ...]

    @property
    def title(self) -> str:
        return self.answered.question.title


def _quote(sentence: str, limit: int = 160) -> str:
    sentence = " ".join(sentence.split())
    return f"\"{sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + '…'}\""


def _matching_sentence(analysis: _Analysis, point: _Point) -> str | None:
    for sentence in analysis.sentences:
        normal = normalise(sentence)
        if any(p in normal for p in point.phrases):
            return sentence
    return None


def _technical_evidence(reviews: list[_QuestionReview]) -> list[str]:
    evidence = []
    for review in sorted(reviews, key=lambda r: -r.mean):
        for answer, analysis in zip(review.answered.answers, review.analyses, strict=True):
            results = answer.test_results
            if results and results.get("total") and not answer.is_follow_up:
                evidence.append(f"{review.title}: {results.get('passed', 0)} of {results['total']} tests passed")
            hits = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if hit)
            sentence = next((s for p in hits if (s := _matching_sentence(analysis, p))), None)
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
        structured = next((s for s in analysis.sentences if len(set(_TRANSITIONS.findall(s.lower()))) >= 2
                           or (_REASONING.search(s.lower()) and len(_WORD.findall(s)) >= 8)), None)
        if structured:
            evidence.append(f"{_quote(structured)} ({review.title})")
    words = [a.words for r in reviews for a in r.analyses]
    if words:
        evidence.append(f"Answers averaged {round(sum(words) / len(words))} words")
    return evidence


class OfflineInterviewer:
    """Deterministic rubric-based interviewer: same input, same output, no network."""

    name = PROVIDER

    def evaluate(self, question: QuestionData, answer: AnswerData, *, follow_up_allowed: bool,
                 on_delta: Callable[[str], None] | None = None) -> Evaluation:
        """Score one answer; `on_delta` gets the whole feedback at once, as nothing is streamed."""
        analysis = _analyse(question, answer)
        scores = _scores(question, answer, analysis)
        feedback = _feedback(question, answer, analysis, scores)
        if on_delta is not None:
            on_delta(feedback)
        follow_up = _follow_up(question, analysis) if follow_up_allowed and not answer.is_follow_up else None
        pairs = list(zip(analysis.points, analysis.covered, strict=True))
        return Evaluation(
            scores=scores, feedback=feedback, sentiment=_sentiment(scores), follow_up_question=follow_up,
            covered=tuple(p.item.point for p, hit in pairs if hit),
            missed=tuple(p.item.point for p, hit in pairs if not hit),
            evaluator=EvaluatorInfo(PROVIDER, MODEL, question.rubric_version,
                                    prompt_hash(_answer_payload(question, answer))),
        )

    def summarize(self, session: SessionData) -> FeedbackDraft:
        """The session's feedback from its per-question scores and the candidate's own words."""
        limit = _STYLE_LIMITS.get(session.feedback_style, 4)
        reviews = [
            _QuestionReview(aq, sum(aq.scores.get(d, 0.0) for d in DIMENSIONS) / len(DIMENSIONS),
                            tuple(_analyse(aq.question, a) for a in aq.answers))
            for aq in session.questions
        ]
        answered = [r for r in reviews if r.answered.answers and not r.answered.skipped]
        by_type: dict[str, list[float]] = {}
        for review in reviews:
            by_type.setdefault(review.answered.question.type, []).append(review.mean)
        type_means = {t: sum(v) / len(v) for t, v in by_type.items()}
        payload = {"model": MODEL, "style": session.feedback_style, "overall": session.overall_score,
                   "questions": [_answer_payload(r.answered.question, a) | {"scores": r.answered.scores}
                                 for r in reviews for a in r.answered.answers]}
        return FeedbackDraft(
            summary=_summary(session, reviews, type_means),
            strengths=tuple(_strengths(session, answered, type_means)[:limit]),
            improvement_areas=tuple(_improvements(reviews, type_means)[:limit]),
            recommendations=tuple(_recommendations(session, reviews, type_means)[:limit]),
            technical_evidence=tuple(_technical_evidence(answered)[:limit]),
            communication_evidence=tuple(_communication_evidence(answered)[:limit]),
            evaluator=EvaluatorInfo(PROVIDER, MODEL, 0, prompt_hash(payload)),
        )


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
        hits = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if hit)
        if hits:
            items.append(f"{review.title}: {_point_text(hits[0].item)}")
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
        missed = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if not hit)
        if missed and review.mean < 80:
            items.append(f"{review.title}: {_point_text(missed[0].item)}")
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
            missed = _by_weight(p for p, hit in zip(analysis.points, analysis.covered, strict=True) if not hit)
            point = _point_text(missed[0].item) if missed else point
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
