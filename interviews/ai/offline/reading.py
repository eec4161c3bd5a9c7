"""Reading an answer: its explanation once, split into sentences, typos repaired against the question's
own vocabulary, and each sentence marked as prose or a term list, an echo of the prompt, or text
addressed to the grader (not scored, and counted against the answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..base import AnswerData
from . import semantic
from .knowledge import Knowledge, features
from .signals import addressed_to_grader, is_prose
from .text import content, fold_complexity, normal_in, prepare, sentences, words_in

_WORDS = re.compile(r"\w+")
_COMMENT = re.compile(r"#[^\n]*|//[^\n]*|/\*.*?\*/", re.S)
ECHO_SHARE = 0.75
TYPO_SCORE = 82
REPAIRS_KEPT = 20_000  # repairs remembered per question (a long-running worker sees many answers)


@dataclass(frozen=True)
class Sentence:
    text: str
    words: tuple[str, ...]  # lower case, contractions expanded, typos repaired
    seq: tuple[str, ...]  # content stems in order (text.content)
    features: frozenset[str]
    normal: str  # every token, for rubric phrases
    prose: bool
    echo: bool
    length: int  # words as written
    plain: frozenset[str] = field(init=False, compare=False)  # its stems, negated or not
    negated: frozenset[str] = field(init=False, compare=False)  # the stems it negates
    affirmed: frozenset[str] = field(init=False, compare=False)  # the stems it does not negate

    def __post_init__(self) -> None:
        object.__setattr__(self, "negated", frozenset(s[1:] for s in self.seq if s.startswith("!")))
        object.__setattr__(self, "affirmed", frozenset(s for s in self.seq if not s.startswith("!")))
        object.__setattr__(self, "plain", self.negated | self.affirmed)


@dataclass(frozen=True)
class Reading:
    sentences: tuple[Sentence, ...]  # what is scored: neither addressed to the grader nor repeated
    directed: tuple[str, ...]  # sentences addressed to the grader
    repeated: int  # sentences said again word for word
    words: int  # words in the scored sentences
    lowered: str  # the scored text, lower case, for cue searches

    @property
    def substantive(self) -> tuple[Sentence, ...]:
        """Sentences that can make a claim: not an echo of the question."""
        return tuple(s for s in self.sentences if not s.echo)

    @property
    def prose_share(self) -> float:
        """Share of the words that sit in prose sentences rather than lists of terms."""
        total = sum(s.length for s in self.sentences)
        return sum(s.length for s in self.sentences if s.prose) / total if total else 0.0


def explanation(answer: AnswerData) -> str:
    """The candidate's prose, each part once: the room and API clients may send the same text both as the
    answer and as the approach, and code comments explain too."""
    parts: dict[str, str] = {}  # the part's words, lower case -> the part as written
    for part in (answer.text or "", answer.approach or ""):
        key = " ".join(_WORDS.findall(part.lower()))
        if not key or any(key in other for other in parts):
            continue
        parts = {other: text for other, text in parts.items() if other not in key} | {key: part}
    explained = list(parts.values())
    if answer.code:
        comments = [c.strip("#/* \t") for c in _COMMENT.findall(answer.code)]
        explained.extend(c for c in comments if len(c.split()) >= 3)
    return "\n".join(explained)


def _repair(word: str, knowledge: Knowledge, vocabulary: set[str]) -> str:
    """A misspelt word becomes the question's own word it is closest to ("quiksort" -> "quicksort")."""
    if len(word) < 5 or word in vocabulary or not word.isalpha() or semantic.is_known_word(word):
        return word
    cache = knowledge.repairs
    if word not in cache:
        match = process.extractOne(word, knowledge.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        if len(cache) < REPAIRS_KEPT:
            cache[word] = match[0] if match else word
        return match[0] if match else word
    return cache[word]


def _echo(seq: tuple[str, ...], text: str, prompt: frozenset[str]) -> bool:
    """Nothing but the prompt's own words, or mostly them: the question said back, not answered."""
    terms = {s.lstrip("!") for s in seq}
    if not terms:
        return False
    share = len(terms & prompt) / len(terms)
    return share == 1.0 or (len(terms) >= 3 and share >= ECHO_SHARE) or (text.rstrip().endswith("?") and share >= 0.5)


def read(answer: AnswerData, knowledge: Knowledge) -> Reading:
    kept: list[Sentence] = []
    directed: list[str] = []
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    vocabulary = set(knowledge.vocabulary)
    for text in sentences(explanation(answer)):
        prepared = prepare(text)
        plain = words_in(prepared)
        if addressed_to_grader(text, plain):
            directed.append(text)
            continue
        raw = tuple(_repair(w, knowledge, vocabulary) for w in words_in(fold_complexity(prepared)))
        if not raw:
            continue
        if raw in seen:
            repeated += 1
            continue
        seen.add(raw)
        seq = content(list(raw))
        kept.append(Sentence(text, raw, seq, frozenset(features(seq)), normal_in(prepared), is_prose(text, plain),
                             _echo(seq, text, knowledge.prompt_terms), len(plain)))
    return Reading(tuple(kept), tuple(directed), repeated, sum(s.length for s in kept),
                   "\n".join(s.text for s in kept).lower())
