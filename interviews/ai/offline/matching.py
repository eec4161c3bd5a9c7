"""Judging claims, not words: each sentence of the answer against each sentence of the knowledge.

A sentence supports a rubric point when it says one of the point's claims (or a misconception's
correction tied to it): by recall of the claim's weighted stems and ordered pairs, or, where the words
differ, by meaning (WordLlama), and only when it does not contradict that claim (a negation on a shared
word, an opposite swapped in, or the claim's word order reversed). A sentence that matches a
misconception better than its correction is a confident wrong claim: it supports nothing and cancels
the point the misconception contradicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import semantic
from .knowledge import Knowledge, Unit, pairs
from .reading import Reading, Sentence

# Recall of a claim's weighted features that counts as saying it (from LOW to FULL it grows to 1).
LOW, FULL = 0.2, 0.65
# Cosine of meaning that counts (from SEM_LOW to SEM_FULL), worth at most SEM_CAP of a point.
SEM_LOW, SEM_FULL, SEM_CAP = 0.55, 0.85, 0.75
WRONG_RECALL, WRONG_MARGIN = 0.5, 0.12
CONFLICT_RECALL = 0.3
CONTRADICTION_RECALL = 0.45
FLAG_RECALL = 0.5
PHRASE_PROSE, PHRASE_LIST = 0.5, 0.2
_REFUTING = re.compile(
    r"\b(myths?|misconceptions?|common mistake|commonly (?:believed|thought|assumed)|people (?:often )?(?:think|"
    r"believe|assume|say)|(?:wrong|false|incorrect|untrue|not true) (?:that|to say)|contrary to|mistakenly|"
    r"a trap|it is tempting)\b")


@dataclass(frozen=True)
class Judgement:
    """What the answer's sentences establish about the question's knowledge."""

    support: tuple[float, ...]  # per rubric point, 0..1
    evidence: tuple[int | None, ...]  # per rubric point: the sentence that best supports it
    wrong: tuple[tuple[int, int], ...]  # (misconception, sentence) confident wrong claims
    contradictions: tuple[tuple[int, int], ...]  # (rubric point, sentence) claims said the other way round
    flags: tuple[tuple[int, int], ...]  # (red flag, sentence)
    relevance: tuple[float, ...]  # per sentence of the reading, 0..1 (echoes 0)


def _clamp(value: np.ndarray | float, low: float, high: float) -> np.ndarray | float:
    return np.clip((value - low) / (high - low), 0.0, 1.0)


def _overlaps(sentences: tuple[Sentence, ...], knowledge: Knowledge) -> np.ndarray:
    """Weighted overlap of each sentence (rows) with each unit, through the inverted index."""
    n_units = len(knowledge.units)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    postings = knowledge.postings
    for row, sentence in enumerate(sentences):
        for feature in sentence.features:
            posting = postings.get(feature)
            if posting is not None:
                ids.append(posting[0] + row * n_units)
                weights.append(posting[1])
    if not ids:
        return np.zeros((len(sentences), n_units), dtype=np.float32)
    flat = np.bincount(np.concatenate(ids), weights=np.concatenate(weights), minlength=len(sentences) * n_units)
    return flat.reshape(len(sentences), n_units).astype(np.float32)


def conflicts(sentence: Sentence, unit: Unit, knowledge: Knowledge) -> bool:
    """The sentence says the unit's claim the other way round: negated, with an opposite, or reversed."""
    mine, theirs = set(sentence.seq), set(unit.seq)
    for stem in theirs:
        plain = stem.lstrip("!")
        if stem.startswith("!") and plain in mine and stem not in mine:
            return True
        if not stem.startswith("!") and "!" + plain in mine and stem not in mine:
            return True
        for opposite in knowledge.opposites.get(plain, ()):
            if opposite in mine and opposite not in theirs and plain not in mine:
                return True
    claim_pairs, said_pairs = pairs(unit.seq), pairs(sentence.seq)
    same = sum(p in said_pairs for p in claim_pairs)
    reversed_ = sum(">".join(reversed(p.split(">"))) in said_pairs and p not in said_pairs for p in claim_pairs)
    return reversed_ >= 2 and reversed_ > same


def _wrong_claims(sentences: tuple[Sentence, ...], recall: np.ndarray, knowledge: Knowledge) -> list[tuple[int, int]]:
    found = []
    wrong_units = {u.index: i for i, u in enumerate(knowledge.units) if u.kind == "wrong"}
    right_units = {u.index: i for i, u in enumerate(knowledge.units) if u.kind == "correction"}
    for index, w in wrong_units.items():
        c = right_units.get(index)
        for row, sentence in enumerate(sentences):
            said, fixed = recall[row, w], recall[row, c] if c is not None else 0.0
            if said < WRONG_RECALL or said - fixed < WRONG_MARGIN or _REFUTING.search(sentence.text.lower()):
                continue
            if not conflicts(sentence, knowledge.units[w], knowledge):
                found.append((index, row))
                break
    return found


def judge(reading: Reading, knowledge: Knowledge) -> Judgement:
    """Support per rubric point, wrong claims, contradictions, red flags and relevance per sentence."""
    sentences = reading.sentences
    n_points = len(knowledge.points)
    if not sentences or not knowledge.units:
        return Judgement((0.0,) * n_points, (None,) * n_points, (), (), (), (0.0,) * len(sentences))
    recall = _overlaps(sentences, knowledge) / np.maximum(knowledge.totals, 1e-6)
    cosine = semantic.embed([s.text for s in sentences]) @ knowledge.embeddings.T
    echo = np.asarray([s.echo for s in sentences])
    recall[echo] = 0.0
    cosine[echo] = 0.0
    wrong = _wrong_claims(sentences, recall, knowledge)
    wrong_rows = {row for _, row in wrong}

    support = np.zeros(n_points)
    evidence: list[int | None] = [None] * n_points
    contradictions: set[tuple[int, int]] = set()
    pair_support = np.maximum(_clamp(recall, LOW, FULL), SEM_CAP * _clamp(cosine, SEM_LOW, SEM_FULL))
    for u, unit in enumerate(knowledge.units):
        if unit.kind not in ("claim", "correction") or unit.point is None:
            continue
        for row, sentence in enumerate(sentences):
            value = float(pair_support[row, u])
            if value <= 0 or row in wrong_rows:
                continue
            if recall[row, u] >= CONFLICT_RECALL and conflicts(sentence, unit, knowledge):
                if recall[row, u] >= CONTRADICTION_RECALL and unit.subject & set(sentence.seq):
                    contradictions.add((unit.point, row))
                continue
            if value > support[unit.point]:
                support[unit.point], evidence[unit.point] = value, row
    for p, point in enumerate(knowledge.points):
        for row, sentence in enumerate(sentences):
            if sentence.echo or row in wrong_rows or not any(ph in sentence.normal for ph in point.phrases):
                continue
            value = PHRASE_PROSE if sentence.prose else PHRASE_LIST
            if value > support[p]:
                support[p], evidence[p] = value, row
    for index, _ in wrong:
        cancelled = knowledge.misconception_points[index]
        if cancelled is not None:
            support[cancelled], evidence[cancelled] = 0.0, None
    for p, _ in contradictions:
        support[p] *= 0.5

    flags = []
    for u, unit in enumerate(knowledge.units):
        if unit.kind == "flag":
            rows = np.nonzero((recall[:, u] >= FLAG_RECALL) | ((recall[:, u] >= 0.35) & (cosine[:, u] >= 0.6)))[0]
            if len(rows):
                flags.append((unit.index, int(rows[0])))
    relevance = np.maximum(_clamp(recall.max(axis=1), 0.1, 0.4), _clamp(cosine.max(axis=1), 0.3, 0.6))
    relevance[echo] = 0.0
    return Judgement(tuple(float(s) for s in support), tuple(evidence), tuple(wrong), tuple(sorted(contradictions)),
                     tuple(flags), tuple(float(r) for r in relevance))
