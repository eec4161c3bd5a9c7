"""Judging claims, not words: each sentence of the answer against each sentence of the knowledge.

A sentence supports a rubric point when it says one of the point's claims (or a misconception's
correction tied to it): by recall of the claim's weighted stems and ordered pairs (over the sentence and
the next, as a claim may take two), or, where the words differ, by meaning (WordLlama), and only when it
does not contradict that claim (a negation on a shared word, an opposite swapped in, or the claim's word
order reversed). A sentence that says what only a misconception's wrong claim says, and not what only its
correction says, is a confident wrong claim: it supports nothing and cancels the point the misconception
contradicts. (Saying a claim the other way round with no misconception to match is not counted against an
answer: measured on the graded set, such rules fire as often on excellent answers as on wrong ones.)
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

import numpy as np

from . import semantic
from .knowledge import Contrast, Knowledge, Unit
from .reading import Reading, Sentence

# Recall of a claim's weighted features that counts as saying it (from LOW to FULL it grows to 1).
LOW, FULL = 0.1, 0.45
# Cosine of meaning that counts (from SEM_LOW to SEM_FULL), worth at most SEM_CAP of a point.
SEM_LOW, SEM_FULL, SEM_CAP = 0.3, 0.7, 0.7
# A wrong claim: the sentence is on its topic, says most of what only the wrong claim says, and
# clearly more of it than of what only the correction says.
WRONG_RECALL, WRONG_TOPIC, WRONG_OWN, WRONG_MARGIN = 0.4, 0.4, 0.35, 0.3
CONFLICT_RECALL = 0.25
FLAG_RECALL = 0.4
# A rubric phrase alone, in a prose sentence or in a list: weaker where the point has claims to say.
PHRASE = {(True, True): 0.35, (True, False): 0.15, (False, True): 0.5, (False, False): 0.2}
_REFUTING = re.compile(
    r"\b(myths?|misconceptions?|common mistake|commonly (?:believed|thought|assumed)|people (?:often )?(?:think|"
    r"believe|assume|say)|(?:wrong|false|incorrect|untrue|not true) (?:that|to say)|contrary to|mistakenly|"
    r"a trap|tempting|pitfall|naive|naively|does not work|doesn't work|would be wrong|not the same as|does not "
    r"mean|doesn't mean|is not true|isn't true)\b")


@dataclass(frozen=True)
class Judgement:
    """What the answer's sentences establish about the question's knowledge."""

    support: tuple[float, ...]  # per rubric point, 0..1
    evidence: tuple[int | None, ...]  # per rubric point: the sentence that best supports it
    wrong: tuple[tuple[int, int], ...]  # (misconception, sentence) confident wrong claims
    flags: tuple[tuple[int, int], ...]  # (red flag, sentence)
    relevance: tuple[float, ...]  # per sentence of the reading, 0..1 (echoes 0)
    depth: float = 0.0  # weighted share of the true statements' ordered pairs the answer makes
    stray: float = 0.0  # pairs only wrong claims make, per pair the answer shares with the true statements
    likeness: float = 0.0  # cosine of meaning between the whole answer and the reference answer


def _ramp(value: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip((value - low) / (high - low), 0.0, 1.0)


def conflicts(sentence: Sentence, unit: Unit, knowledge: Knowledge) -> bool:
    """The sentence says the unit's claim the other way round: negated, with an opposite, or reversed. A
    negation or an opposite counts only beside two other shared words (the same claim, not another one)."""
    if len(sentence.plain & unit.plain) < 3:
        return False
    if (unit.negated & sentence.affirmed) - sentence.negated or (unit.affirmed & sentence.negated) - sentence.affirmed:
        return True
    for stem in unit.plain - sentence.plain:
        opposites = knowledge.opposites.get(stem)
        if opposites and (opposites & sentence.plain) - unit.plain:
            return True
    said = sentence.features
    same = sum(p in said for p in unit.pairs)
    reversed_ = sum(">".join(reversed(p.split(">"))) in said and p not in said for p in unit.pairs)
    return reversed_ >= 2 and reversed_ > same


def _share(features: frozenset[str], weights: dict[str, float]) -> float:
    total = sum(weights.values())
    return sum(weights[f] for f in features & weights.keys()) / total if total else 0.0


def says_wrong(sentence: Sentence, contrast: Contrast, recall: float, knowledge: Knowledge) -> bool:
    """The sentence makes the misconception's wrong claim rather than its correction."""
    if recall < WRONG_RECALL or not contrast.only_wrong or _REFUTING.search(sentence.text.lower()):
        return False
    own = _share(sentence.features, contrast.only_wrong)
    if own < WRONG_OWN or own - _share(sentence.features, contrast.only_right) < WRONG_MARGIN:
        return False
    if contrast.topic and _share(sentence.features, contrast.topic) < WRONG_TOPIC:
        return False
    return not conflicts(sentence, knowledge.units[contrast.wrong], knowledge)


def _wrong_claims(sentences: tuple[Sentence, ...], recall: np.ndarray, knowledge: Knowledge) -> list[tuple[int, int]]:
    found = []
    for contrast in knowledge.contrasts:
        for row, sentence in enumerate(sentences):
            if says_wrong(sentence, contrast, float(recall[row, contrast.wrong]), knowledge):
                found.append((contrast.index, row))
                break
    return found


def _claim_support(sentences: tuple[Sentence, ...], knowledge: Knowledge, recall: np.ndarray, cosine: np.ndarray,
                   wrong_rows: set[int]) -> tuple[np.ndarray, list[int | None]]:
    """Best support of each point by a claim (or a correction) that the supporting sentence does not contradict."""
    n = len(sentences)
    single, window = recall[:n], recall[n:]
    best_recall = single.copy()
    if len(window):
        best_recall[:-1] = np.maximum(single[:-1], window)
    value = np.maximum(_ramp(best_recall, LOW, FULL), SEM_CAP * _ramp(cosine, SEM_LOW, SEM_FULL))
    value[:, ~knowledge.supports] = 0.0
    value[sorted(wrong_rows)] = 0.0
    for row, u in zip(*np.nonzero((value > 0) & (single >= CONFLICT_RECALL)), strict=True):
        if conflicts(sentences[row], knowledge.units[u], knowledge):
            value[row, u] = 0.0
    support = np.zeros(len(knowledge.points))
    evidence: list[int | None] = [None] * len(knowledge.points)
    for point, columns in enumerate(knowledge.point_units):
        if len(columns):
            block = value[:, columns]
            row = int(block.max(axis=1).argmax())
            if block[row].max() > 0:
                support[point], evidence[point] = float(block[row].max()), row
    return support, evidence


def _phrase_support(sentences: tuple[Sentence, ...], knowledge: Knowledge, support: np.ndarray,
                    evidence: list[int | None], wrong_rows: set[int]) -> None:
    """A rubric phrase in a sentence: weak support, found by one search per phrase over all sentences."""
    joined = "\x00".join(s.normal for s in sentences)
    ends = list(itertools.accumulate(len(s.normal) + 1 for s in sentences))
    for p, point in enumerate(knowledge.points):
        for phrase in point.phrases:
            start = joined.find(phrase)
            while start != -1:
                row = bisect.bisect_right(ends, start)
                sentence = sentences[row]
                value = PHRASE[(bool(point.item.claims), sentence.prose)]
                if not sentence.echo and row not in wrong_rows and value > support[p]:
                    support[p], evidence[p] = value, row
                start = joined.find(phrase, ends[row])


def judge(reading: Reading, knowledge: Knowledge) -> Judgement:
    """Support per rubric point, wrong claims, contradictions, red flags and relevance per sentence."""
    sentences = reading.sentences
    n_points = len(knowledge.points)
    if not sentences or not knowledge.units:
        return Judgement((0.0,) * n_points, (None,) * n_points, (), (), (0.0,) * len(sentences))
    echo = np.asarray([s.echo for s in sentences])
    # A claim may take two sentences: a window's overlap is both sentences' less what they share.
    n, n_units = len(sentences), len(knowledge.units)
    held = [knowledge.index.held(s.features) for s in sentences]
    overlap = knowledge.index.overlaps(held + [a & b for a, b in zip(held, held[1:], strict=False)], n_units)
    single_overlap = overlap[:n]
    windows = single_overlap[:-1] + single_overlap[1:] - overlap[n:]
    windows[echo[:-1] | echo[1:]] = 0.0
    recall = np.concatenate([single_overlap, windows]) / np.maximum(knowledge.totals, 1e-6)
    recall[:n][echo] = 0.0
    sums = semantic.token_sums([s.text for s in sentences])
    cosine = semantic.cosines(semantic.unit(sums), knowledge.embeddings)
    cosine[echo] = 0.0
    single = recall[:len(sentences)]
    wrong = _wrong_claims(sentences, single, knowledge)
    wrong_rows = {row for _, row in wrong}
    support, evidence = _claim_support(sentences, knowledge, recall, cosine, wrong_rows)
    _phrase_support(sentences, knowledge, support, evidence, wrong_rows)
    for index, _ in wrong:
        cancelled = knowledge.misconception_points[index]
        if cancelled is not None:
            support[cancelled], evidence[cancelled] = 0.0, None
    flags = []
    for u, unit in enumerate(knowledge.units):
        if unit.kind == "flag":
            rows = np.nonzero((single[:, u] >= FLAG_RECALL) | ((single[:, u] >= 0.25) & (cosine[:, u] >= 0.5)))[0]
            if len(rows):
                flags.append((unit.index, int(rows[0])))
    relevance = np.maximum(_ramp(single.max(axis=1), 0.1, 0.4), _ramp(cosine.max(axis=1), 0.3, 0.6))
    relevance[echo] = 0.0
    depth, stray = _depth(sentences, knowledge)
    likeness = float(semantic.cosines(semantic.unit(sums[~echo].sum(axis=0, keepdims=True)),
                                      knowledge.reference_embedding[None, :])[0, 0])
    return Judgement(tuple(float(s) for s in support), tuple(evidence), tuple(wrong), tuple(flags),
                     tuple(float(r) for r in relevance), depth, stray, likeness)


def _depth(sentences: tuple[Sentence, ...], knowledge: Knowledge) -> tuple[float, float]:
    """How many of the true statements' relations the answer states (their ordered pairs, as ROUGE-S counts
    a reference's skip-bigrams), and how many relations only the wrong claims state, per true one."""
    said = frozenset().union(*(s.features for s in sentences if not s.echo))
    true = knowledge.true_pairs
    total = sum(true.values())
    agreed = said & true.keys()
    depth = sum(true[f] for f in agreed) / total if total else 0.0
    return depth, len(said & knowledge.wrong_pairs) / max(1, len(agreed))
