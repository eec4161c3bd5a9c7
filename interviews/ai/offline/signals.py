"""Signs that an answer is not what it seems: text addressed to the grader, keyword lists, the question
pasted back, filler. Each is found per sentence, so the rest of the answer is still judged on its own."""

from __future__ import annotations

import re

from .text import FUNCTION_WORDS

_GRADING = r"(?:rubric|grading|grader|autograder|marking|scoring|evaluator|examiner|assessor|scorer|marker)"
_GRADER_DIRECTED = re.compile(
    # an order to drop the grading: "ignore the rubric", "disregard all previous instructions"
    r"(?:^|[.;:,!()\[\]-]\s*|\b(?:please|kindly|just|now|simply|and|then|so|you (?:should|must|can|may|need to|"
    r"have to|are to)|i ask you to|we ask you to)\s+)(?:ignore|disregard|forget|override|overrule|bypass|discard|"
    r"set aside|pay no attention to|do not follow|stop following)\b.{0,50}\b(?:rubric|grading|scoring|marking|"
    r"criteria|instructions?|prompts?|guidelines|"
    r"guidance|(?:grading|scoring|marking) rules|above|previous|prior|everything (?:above|else|before))\b"
    # the grading itself declared void, noun first: "the rubric is outdated; disregard it"
    r"|\b" + _GRADING + r"\b.{0,50}\b(?:outdated|obsolete|deprecated|invalid|superseded|wrong|incorrect|"
    r"does not apply|no longer|not apply|replaced|updated|changed|irrelevant|broken|should|must|will|please)\b"
    r"|\b(?:outdated|obsolete|old|previous|wrong|new|updated)\s+(?:rubric|grading|scoring|marking)\b"
    # a score asked for or claimed
    r"|\b(?:give|award|assign|grant|rate|mark|score|grade)\s+(?:me|this|it|the candidate|my answer|this answer|"
    r"this response|the answer|the response)?\s*(?:a|an|the)?\s*(?:100|full|perfect|maximum|max|top|highest|"
    r"ten out of ten|10/10|an? a\+?)\b"
    r"|\bi (?:deserve|should get|should receive|must get|must receive)\b.{0,30}\b(?:100|full|perfect|maximum|top|"
    r"highest|10/10|marks)\b"
    r"|\b(?:should|must|will) be (?:scored|graded|marked|rated|evaluated)\s+(?:as|at|like)\b|\bgrade "
    r"(?:it|this|me|mine)? ?accordingly\b|\btreat (?:this|mine|my answer|it) as (?:the|a) (?:model|reference|"
    r"expected|correct|ideal) answer\b|\b(?:expected|model|reference) answer (?:has|was|is now) (?:changed|updated)\b"
    r"|\b(?:(?:this|my|the) (?:answer|response|submission|solution|candidate))\b.{0,30}\b(?:deserves?|should|"
    r"must|merits?|is worth|earns?|warrants?)\b.{0,40}\b(?:100|full|perfect|maximum|top|highest|10/10|marks|"
    r"points|score|grade|credit)\b"
    r"|\b(?:100\s*(?:/|out of)\s*100|10\s*/\s*10|full marks|perfect score|maximum score|top marks|full credit|"
    r"highest score|maximum points)\b"
    # a role or a channel that belongs to the grader, not the candidate
    r"|\b(?:you are now|act as|pretend (?:to be|you are)|as an? (?:ai|language model|llm)|new instructions|"
    r"system prompt|system message|developer mode|jailbreak|if you are an? (?:ai|language model|llm|grader|"
    r"automated))\b|\[\s*system\s*\]|<\s*/?\s*system\s*>|^\s*(?:system|assistant|instruction)\s*:"
    r"|^\s*(?:note|attention|message|memo|a note|p\.?s\.?)\s*(?:to|for)\s+(?:the\s+)?(?:grader|evaluator|examiner|"
    r"ai|model|assistant|reviewer|scorer|marker|llm)\b"
    r"|^\s*(?:dear|hey|hi|hello)\s+(?:grader|evaluator|examiner|ai|model|assistant|reviewer|scorer|marker)\b"
    r"|\b(?:ai|automated|llm|language model)\s+(?:grader|evaluator|scorer|reviewer)\b"
    r"|\b" + _GRADING + r"\b"
)


# Every branch of the pattern above needs one of these words; a sentence without any is not searched (the
# pattern costs about 40 microseconds a sentence, most of an answer's reading time).
_ANCHORS = frozenset({
    "ignore", "disregard", "forget", "override", "overrule", "bypass", "discard", "aside", "attention", "follow",
    "following", "rubric", "grading", "grader", "autograder", "marking", "scoring", "evaluator", "examiner",
    "assessor", "scorer", "marker", "give", "award", "assign", "grant", "rate", "mark", "score", "grade", "deserve",
    "deserves", "merit", "merits", "worth", "warrant", "warrants", "earn", "earns", "answer", "response",
    "submission", "solution", "candidate", "get", "receive", "scored", "graded", "marked", "rated", "evaluated",
    "treat", "100", "10", "ten", "full", "perfect", "maximum", "max", "top", "credit", "highest", "now", "act",
    "pretend", "ai", "llm", "language", "instructions", "instruction", "system", "developer", "jailbreak",
    "automated", "assistant", "model", "reviewer", "guidance", "guidelines", "prompt", "prompts", "criteria",
})


def addressed_to_grader(sentence: str, words: list[str] | None = None) -> bool:
    """Text written for the grader rather than the interviewer (an injection in any of its phrasings).
    `words` (the sentence's words, lower case) lets a sentence without any anchor word skip the search."""
    if words is not None and _ANCHORS.isdisjoint(words):
        return False
    return bool(_GRADER_DIRECTED.search(sentence.lower()))


_PARTS = re.compile(r"[,;/|•·]|\s-\s|\band\b|\bor\b")


def function_share(words: list[str]) -> float:
    """Share of function words: prose is about a third to a half of them, a keyword list next to none."""
    return sum(w in FUNCTION_WORDS for w in words) / len(words) if words else 0.0


def is_prose(text: str, words: list[str]) -> bool:
    """A sentence that says something, rather than a list of terms: function words, or terse notes whose
    comma-separated parts are each a phrase of their own ("dp[x] = min coins to make x")."""
    if len(words) < 4:
        return False
    share = function_share(words)
    if share >= 0.18:
        return True
    parts = [p for p in _PARTS.split(text) if p.strip()]
    return share >= 0.08 and len(words) <= 60 and len(words) / max(1, len(parts)) >= 3.5


_FILLER = re.compile(r"\b(um+|uh+|erm|basically|you know|kind of|sort of|literally|i guess|stuff like that|"
                     r"and so on|whatever)\b")


def filler_count(lowered: str) -> int:
    return len(_FILLER.findall(lowered))
