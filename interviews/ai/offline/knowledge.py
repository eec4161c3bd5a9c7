"""A question's knowledge compiled once for matching: every claim, correction, wrong claim, red flag and
reference sentence as a weighted feature set, with an inverted index and embeddings.

Features are a text's content stems (`text.content`) and its ordered pairs of stems a few words apart
("merg>cx_quadratic"): the pairs are what tells "merge sort is quadratic" from "quicksort is quadratic".
A stem the question's own prompt uses weighs little, so repeating the question earns almost nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..base import QuestionData, RubricItem
from . import semantic
from .text import content_of, normalise, sentences, words

PAIR_WINDOW = 4
PAIR_WEIGHT = 0.6
PROMPT_WEIGHT = 0.35

# Opposites a confident wrong answer swaps in, in any subject; each question adds the substitutions its
# own misconceptions make (a wrong claim and its correction differ only in what is wrong).
_OPPOSITES = (
    ("fast", "slow"), ("faster", "slower"), ("more", "less"), ("more", "fewer"), ("higher", "lower"),
    ("larger", "smaller"), ("bigger", "smaller"), ("increas", "decreas"), ("always", "never"),
    ("before", "after"), ("first", "last"), ("stabl", "unstabl"), ("synchron", "asynchron"), ("sync", "async"),
    ("mutabl", "immut"), ("stateless", "state"), ("stateless", "state"), ("symmetr", "asymmetr"),
    ("public", "privat"), ("optimist", "pessimist"), ("horizont", "vertic"), ("strong", "weak"),
    ("cheap", "expens"), ("safe", "unsaf"), ("same", "differ"), ("share", "own"), ("share", "separ"),
    ("lifo", "fifo"), ("min", "max"), ("minimum", "maximum"), ("ascend", "descend"), ("upper", "lower"),
    ("inner", "outer"), ("left", "right"), ("encrypt", "decrypt"), ("encod", "decod"), ("add", "remov"),
    ("insert", "delet"), ("read", "write"), ("push", "pop"), ("enqueu", "dequeu"), ("true", "fals"),
    ("allow", "forbid"), ("allow", "prevent"), ("accept", "reject"), ("includ", "exclud"), ("bound", "unbound"),
    ("determinist", "nondeterminist"), ("reliabl", "unreli"), ("order", "unord"), ("sort", "unsort"),
    ("block", "nonblock"), ("lossless", "lossi"), ("slow", "quick"), ("easi", "hard"), ("small", "larg"),
    ("short", "long"), ("shorter", "longer"), ("worst", "best"), ("better", "wors"), ("high", "low"),
    ("cx_constant", "cx_linear"), ("cx_linear", "cx_quadratic"), ("cx_log", "cx_linear"),
    ("cx_nlogn", "cx_quadratic"), ("cx_nlogn", "cx_linear"), ("cx_constant", "cx_log"),
    ("cx_exponential", "cx_quadratic"), ("cx_exponential", "cx_linear"), ("cx_cubic", "cx_quadratic"),
)


@dataclass(frozen=True)
class Unit:
    """One sentence of knowledge. `kind` is claim, correction, wrong, flag or reference; `point` the rubric
    point (0-based) a claim or correction supports; `index` the misconception or red flag it belongs to."""

    kind: str
    text: str
    seq: tuple[str, ...]
    point: int | None = None
    index: int | None = None
    pairs: frozenset[str] = field(init=False, compare=False)  # its ordered pairs (see `pairs`)
    plain: frozenset[str] = field(init=False, compare=False)  # its stems, negated or not
    negated: frozenset[str] = field(init=False, compare=False)  # the stems it negates
    affirmed: frozenset[str] = field(init=False, compare=False)  # the stems it does not negate

    def __post_init__(self) -> None:
        object.__setattr__(self, "pairs", frozenset(pairs(self.seq)))
        object.__setattr__(self, "negated", frozenset(s[1:] for s in self.seq if s.startswith("!")))
        object.__setattr__(self, "affirmed", frozenset(s for s in self.seq if not s.startswith("!")))
        object.__setattr__(self, "plain", self.negated | self.affirmed)


@dataclass(frozen=True)
class Contrast:
    """A misconception as what its wrong claim and its correction share (the topic) and what only each says."""

    index: int  # the misconception
    wrong: int  # the unit of the wrong claim
    topic: dict[str, float]
    only_wrong: dict[str, float]
    only_right: dict[str, float]


@dataclass(frozen=True)
class Point:
    item: RubricItem
    phrases: tuple[str, ...]  # normalised, padded with spaces
    terms: frozenset[str]  # content stems of the point and its claims, to relate follow-ups to points


def pairs(seq: tuple[str, ...]) -> set[str]:
    """Ordered pairs of stems at most PAIR_WINDOW apart ("a>b": a comes before b)."""
    return {f"{a}>{b}" for i, a in enumerate(seq) for b in seq[i + 1:i + 1 + PAIR_WINDOW] if a != b}


def features(seq: tuple[str, ...]) -> set[str]:
    return set(seq) | pairs(seq)


@dataclass(frozen=True)
class Knowledge:
    type: str
    points: tuple[Point, ...]
    units: tuple[Unit, ...]
    weights: tuple[dict[str, float], ...]  # per unit: feature -> weight
    totals: np.ndarray  # per unit: sum of its weights
    index: Postings  # feature -> the units that have it, with their weights
    supports: np.ndarray  # per unit: whether saying it supports a rubric point (a claim or a correction)
    point_units: tuple[np.ndarray, ...]  # per rubric point: the units that support it
    embeddings: np.ndarray  # per unit, unit vectors
    prompt_terms: frozenset[str]
    prompt_embedding: np.ndarray
    reference_embedding: np.ndarray  # the whole reference answer (zeros without one)
    vocabulary: tuple[str, ...]  # the knowledge's own words, for typo repair
    opposites: dict[str, frozenset[str]]
    misconception_points: tuple[int | None, ...]  # per misconception: the rubric point it cancels (0-based)
    contrasts: tuple[Contrast, ...]  # per misconception
    true_pairs: dict[str, float]  # ordered pairs of the true statements (claims, corrections, reference)
    wrong_pairs: frozenset[str]  # ordered pairs only the wrong claims make
    follow_up_terms: tuple[frozenset[str], ...]  # content stems of each of the question's follow-ups
    repairs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # typo -> word, filled lazily

    def of(self, kind: str) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.kind == kind]


def _unit_weights(seq: tuple[str, ...], prompt: frozenset[str]) -> dict[str, float]:
    def single(stem: str) -> float:
        return PROMPT_WEIGHT if stem in prompt else 1.0

    out = {stem: single(stem) for stem in seq}
    for feature in pairs(seq):
        a, b = feature.split(">")
        out[feature] = PAIR_WEIGHT * min(single(a), single(b))
    return out


def _cancelled_point(question: QuestionData, number: int | None) -> int | None:
    """The 0-based rubric point a misconception's 1-based `point` names, if it names one."""
    return number - 1 if number and 0 < number <= len(question.rubric) else None


def _units(question: QuestionData) -> list[Unit]:
    units: list[Unit] = []
    for i, item in enumerate(question.rubric):
        units.extend(Unit("claim", text, content_of(text), point=i) for text in (item.point, *item.claims))
    for i, m in enumerate(question.misconceptions):
        point = _cancelled_point(question, m.point)
        units.append(Unit("wrong", m.claim, content_of(m.claim), point=point, index=i))
        units.append(Unit("correction", m.correction, content_of(m.correction), point=point, index=i))
    for i, flag in enumerate(question.red_flags):
        units.append(Unit("flag", flag.claim, content_of(flag.claim), index=i))
    units.extend(Unit("reference", s, content_of(s)) for s in sentences(question.reference_answer))
    return [u for u in units if u.seq]


def _opposites(question: QuestionData) -> dict[str, frozenset[str]]:
    """The generic opposites plus each misconception's substitutions (claim word -> correction word)."""
    found: dict[str, set[str]] = {}

    def add(a: str, b: str) -> None:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)

    for a, b in _OPPOSITES:
        add(a, b)
    for m in question.misconceptions:
        wrong, right = content_of(m.claim), content_of(m.correction)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wrong, b=right, autojunk=False).get_opcodes():
            if tag == "replace" and i2 - i1 <= 2 and j2 - j1 <= 2:
                for a in wrong[i1:i2]:
                    for b in right[j1:j2]:
                        if a.lstrip("!") != b.lstrip("!"):
                            add(a, b)
    return {k: frozenset(v) for k, v in found.items()}


def _contrasts(units: list[Unit], weights: list[dict[str, float]]) -> tuple[Contrast, ...]:
    wrong = {u.index: i for i, u in enumerate(units) if u.kind == "wrong"}
    right = {u.index: i for i, u in enumerate(units) if u.kind == "correction"}
    out = []
    for index in sorted(wrong):
        w = weights[wrong[index]]
        r = weights[right[index]] if index in right else {}
        out.append(Contrast(index, wrong[index], {f: v for f, v in w.items() if f in r},
                            {f: v for f, v in w.items() if f not in r}, {f: v for f, v in r.items() if f not in w}))
    return tuple(out)


def _true_pairs(units: list[Unit], weights: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for unit, unit_weights in zip(units, weights, strict=True):
        if unit.kind in ("claim", "correction", "reference"):
            out.update((f, w) for f, w in unit_weights.items() if ">" in f)
    return out


@dataclass(frozen=True)
class Postings:
    """An inverted index in compressed rows: feature `f` is held by units `units[starts[i]:starts[i + 1]]`
    with weights `weights[...]`, where `i = columns[f]`."""

    columns: dict[str, int]
    starts: np.ndarray
    units: np.ndarray
    weights: np.ndarray

    def held(self, features: frozenset[str]) -> frozenset[str]:
        """The features some unit has: all that matching an answer's sentence needs of it."""
        return features & self.columns.keys()

    def overlaps(self, windows: list[frozenset[str]], n_units: int) -> np.ndarray:
        """Weighted overlap of each set of features (rows) with each unit, without a Python loop per posting."""
        rows: list[int] = []
        columns: list[int] = []
        lookup = self.columns.get
        for row, window in enumerate(windows):
            for feature in window:
                column = lookup(feature)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
        if not columns:
            return np.zeros((len(windows), n_units), dtype=np.float32)
        cols = np.asarray(columns, dtype=np.intp)
        starts = self.starts[cols]
        lengths = self.starts[cols + 1] - starts
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        cells = np.repeat(np.asarray(rows, dtype=np.intp), lengths) * n_units + self.units[positions]
        flat = np.bincount(cells, weights=self.weights[positions], minlength=len(windows) * n_units)
        return flat.reshape(len(windows), n_units).astype(np.float32)


def _postings(weights: list[dict[str, float]]) -> Postings:
    collected: dict[str, list[tuple[int, float]]] = {}
    for index, unit_weights in enumerate(weights):
        for feature, weight in unit_weights.items():
            collected.setdefault(feature, []).append((index, weight))
    columns, starts, units, values = {}, [0], [], []
    for column, (feature, held) in enumerate(collected.items()):
        columns[feature] = column
        units.extend(u for u, _ in held)
        values.extend(w for _, w in held)
        starts.append(len(units))
    return Postings(columns, np.asarray(starts, dtype=np.intp), np.asarray(units, dtype=np.intp),
                    np.asarray(values, dtype=np.float32))


def _points(question: QuestionData) -> tuple[Point, ...]:
    """Each rubric point with its normalised phrases and the content terms of its point and claims."""
    return tuple(
        Point(item, tuple(dict.fromkeys(n for p in item.phrases if (n := normalise(p)).strip())),
              frozenset(s.lstrip("!") for t in (item.point, *item.claims) for s in content_of(t)))
        for item in question.rubric)


def _vocabulary(question: QuestionData, units: list) -> tuple[str, ...]:
    """The question's own longer words (no digits): what a typo of the candidate's is matched against."""
    texts = [question.reference_answer, *(u.text for u in units), *(p for item in question.rubric
                                                                  for p in item.phrases)]
    return tuple(sorted({w for t in texts for w in words(t) if len(w) >= 4 and not re.search(r"\d", w)}))


def _point_units(units: list, point_count: int) -> tuple[np.ndarray, ...]:
    """Per rubric point, the indices of the claims and corrections that support it."""
    return tuple(np.asarray([i for i, u in enumerate(units) if u.kind in ("claim", "correction") and u.point == p],
                            dtype=np.intp) for p in range(point_count))


def _wrong_pairs(units: list, weights: list) -> frozenset:
    """Ordered relations stated only by wrong statements, never by a true one."""
    wrong = frozenset(f for u, w in zip(units, weights, strict=True) if u.kind == "wrong" for f in w if ">" in f)
    return wrong - _true_pairs(units, weights).keys()


@lru_cache(maxsize=512)
def compile_question(question: QuestionData) -> Knowledge:
    """Everything matching needs, once per question (and rubric version): the evaluator's hot path."""
    prompt = frozenset(s.lstrip("!") for s in content_of(f"{question.title}. {question.description}"))
    units = _units(question)
    weights = [_unit_weights(u.seq, prompt) for u in units]
    return Knowledge(
        type=question.type, points=_points(question), units=tuple(units), weights=tuple(weights),
        totals=np.asarray([sum(w.values()) for w in weights], dtype=np.float32),
        index=_postings(weights),
        supports=np.asarray([u.kind in ("claim", "correction") and u.point is not None for u in units], dtype=bool),
        point_units=_point_units(units, len(question.rubric)),
        embeddings=semantic.embed([u.text for u in units]),
        prompt_terms=prompt, prompt_embedding=semantic.embed([f"{question.title}. {question.description}"])[0],
        reference_embedding=semantic.embed([question.reference_answer])[0],
        vocabulary=_vocabulary(question, units), opposites=_opposites(question),
        misconception_points=tuple(_cancelled_point(question, m.point) for m in question.misconceptions),
        contrasts=_contrasts(units, weights),
        follow_up_terms=tuple(frozenset(s.lstrip("!") for s in content_of(f)) for f in question.follow_ups),
        true_pairs=_true_pairs(units, weights),
        wrong_pairs=_wrong_pairs(units, weights),
    )
