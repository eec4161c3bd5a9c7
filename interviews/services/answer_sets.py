"""Graded answer sets: score answers through the path a real answer takes, and measure agreement with the grades.

The format (one JSON object a line) and the figures are documented in docs/evaluation.md. Curators use
`manage.py evaluate_answers` to check a rubric or knowledge change against any set; `make eval` runs it on
the bundled tuning and held-out halves.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cloudinterview.choices import RUNNABLE_LANGUAGES, QuestionType
from questionbank.models import Question

from ..ai.base import DIMENSIONS, AnswerData, Evaluation, Interviewer
from .code_runs import sandbox_run_wait
from .interviewer_data import EVALUATION_PREFETCH, question_data

# The kinds that try to score without knowing (docs/evaluation.md): their mean is reported on its own.
GAMING_KINDS = frozenset({"injection", "keywords", "echo", "padding", "other-question"})
WORST_SHOWN = 12


class AnswerSetError(ValueError):
    """A set that cannot be scored; `problems` names every bad line as file:line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SetAnswer:
    """One line of an answer set."""

    source: str  # file:line
    slug: str
    answer: str
    code: str | None = None
    language: str | None = None
    grade: float | None = None
    kind: str = ""


@dataclass(frozen=True)
class ScoredAnswer:
    item: SetAnswer
    type: str
    evaluation: Evaluation

    @property
    def score(self) -> float:
        """The overall score a grade is compared with: the mean of the three dimensions."""
        return sum(self.evaluation.scores[d] for d in DIMENSIONS) / len(DIMENSIONS)


def _parse_line(text: str, where: str) -> tuple[SetAnswer | None, str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"{where}: not JSON ({exc.msg})"
    if not isinstance(data, dict):
        return None, f"{where}: each line must be a JSON object"
    slug, answer, grade = data.get("questionSlug"), data.get("answer", ""), data.get("grade")
    code, language, kind = data.get("code"), data.get("language"), data.get("kind", "")
    if not isinstance(slug, str) or not slug:
        return None, f"{where}: 'questionSlug' must be a question's slug"
    if not isinstance(answer, str):
        return None, f"{where}: 'answer' must be text"
    if code is not None and (not isinstance(code, str) or not isinstance(language, str)):
        return None, f"{where}: 'code' and 'language' must both be text"
    if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int | float) or not 0 <= grade <= 100):
        return None, f"{where}: 'grade' must be a number 0..100"
    if not isinstance(kind, str):
        return None, f"{where}: 'kind' must be text"
    return SetAnswer(where, slug, answer, code or None, language if code else None,
                     None if grade is None else float(grade), kind), None


def answer_set_read(*, paths: Sequence[Path]) -> list[SetAnswer]:
    """Every answer of the files in order; raises AnswerSetError listing every bad line."""
    answers: list[SetAnswer] = []
    problems: list[str] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read ({exc})")
            continue
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            answer, problem = _parse_line(text, f"{path}:{number}")
            if problem:
                problems.append(problem)
            elif answer:
                answers.append(answer)
    if problems:
        raise AnswerSetError(problems)
    return answers


def _questions(slugs: Iterable[str]) -> dict[str, Question]:
    return {q.slug: q for q in Question.objects.filter(slug__in=set(slugs)).prefetch_related(*EVALUATION_PREFETCH)}


def answer_set_score(*, answers: Sequence[SetAnswer], interviewer: Interviewer) -> list[ScoredAnswer]:
    """Score each answer as a submitted main answer is scored: code runs in the sandbox on every case first
    (the same run and result shape as an evaluation), then the interviewer judges it. Identical code is run
    once. Raises AnswerSetError when a slug is not in the bank."""
    questions = _questions(a.slug for a in answers)
    if missing := sorted({a.source for a in answers if a.slug not in questions}):
        raise AnswerSetError([f"{source}: no question with this slug in the bank (load it first)"
                              for source in missing])
    runs: dict[tuple[str, str, str], dict[str, Any]] = {}
    scored = []
    for item in answers:
        question = questions[item.slug]
        results = None
        if question.type == QuestionType.CODING and item.code and item.language in RUNNABLE_LANGUAGES:
            key = (item.slug, item.language, item.code)
            if key not in runs:
                runs[key] = sandbox_run_wait(question=question, language=item.language, code=item.code,
                                             include_hidden=True)
            results = runs[key]
        answer = AnswerData(text=item.answer, code=item.code, language=item.language, test_results=results)
        evaluation = interviewer.evaluate(question_data(question), answer, follow_up_allowed=True)
        scored.append(ScoredAnswer(item, question.type, evaluation))
    return scored


# ---------------------------------------------------------------- agreement figures


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho (Pearson's r of the tie-averaged ranks); NaN when either side is constant."""
    if len(xs) < 2:
        return math.nan
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx and vy else math.nan


def pairwise_order(scored: Sequence[ScoredAnswer]) -> float:
    """Of the pairs of answers to the same question with different grades, the share the scores put in the
    same order (a tied score counts half); NaN when there is no such pair."""
    by_question: dict[str, list[ScoredAnswer]] = defaultdict(list)
    for s in scored:
        if s.item.grade is not None:
            by_question[s.item.slug].append(s)
    agree = pairs = 0.0
    for group in by_question.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a.item.grade == b.item.grade:
                    continue
                pairs += 1
                same = (a.item.grade - b.item.grade) * (a.score - b.score)  # type: ignore[operator]
                agree += 1.0 if same > 0 else 0.5 if same == 0 else 0.0
    return agree / pairs if pairs else math.nan


@dataclass(frozen=True)
class Agreement:
    n: int
    rho: float
    pairwise: float
    mae: float
    grade_mean: float
    score_mean: float


def agreement(scored: Sequence[ScoredAnswer]) -> Agreement:
    graded = [s for s in scored if s.item.grade is not None]
    grades = [s.item.grade for s in graded]
    scores = [s.score for s in graded]
    if not graded:
        return Agreement(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    return Agreement(
        n=len(graded), rho=spearman(grades, scores), pairwise=pairwise_order(graded),  # type: ignore[arg-type]
        mae=statistics.fmean(abs(g - s) for g, s in zip(grades, scores, strict=True)),  # type: ignore[operator]
        grade_mean=statistics.fmean(grades), score_mean=statistics.fmean(scores),  # type: ignore[arg-type]
    )


def _figure(value: float, digits: int = 2) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _row(label: str, a: Agreement) -> str:
    return (f"  {label:<16} n={a.n:<4} rho={_figure(a.rho)}  pairwise={_figure(a.pairwise)}  "
            f"mae={_figure(a.mae, 1)}  grade={_figure(a.grade_mean, 0)}  score={_figure(a.score_mean, 0)}")


def _grouped(scored: Sequence[ScoredAnswer], key: Callable[[ScoredAnswer], str]) -> list[str]:
    groups: dict[str, list[ScoredAnswer]] = defaultdict(list)
    for s in scored:
        groups[key(s)].append(s)
    return [_row(name or "(none)", agreement(groups[name])) for name in sorted(groups)]


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else math.nan


def summary_line(scored: Sequence[ScoredAnswer]) -> str:
    """The last line of a report, one format for scripts and the docs (docs/evaluation.md)."""
    overall = agreement(scored)
    gaming = _mean([s.score for s in scored if s.item.kind in GAMING_KINDS])
    excellent = _mean([s.score for s in scored if s.item.kind == "excellent"])
    return (f"eval: rho={_figure(overall.rho)} pairwise={_figure(overall.pairwise)} "
            f"gaming_mean={_figure(gaming, 0)} excellent_mean={_figure(excellent, 0)} n={len(scored)}")


def _excerpt(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def report_lines(scored: Sequence[ScoredAnswer]) -> list[str]:
    """The report: overall, per type and per kind agreement, the worst disagreements, then the summary line.
    Without grades, each answer's scores instead."""
    graded = [s for s in scored if s.item.grade is not None]
    lines = [f"{len(scored)} answers to {len({s.item.slug for s in scored})} questions, {len(graded)} graded"]
    if graded:
        lines += ["overall:", _row("all", agreement(graded)), "by type:", *_grouped(graded, lambda s: s.type),
                  "by kind:", *_grouped(graded, lambda s: s.item.kind), "worst disagreements (score - grade):"]
        worst = sorted(graded, key=lambda s: (-abs(s.score - s.item.grade), s.item.source))  # type: ignore[operator]
        for s in worst[:WORST_SHOWN]:
            lines.append(f"  {s.score - s.item.grade:+5.0f}  grade {s.item.grade:3.0f} score {s.score:3.0f}  "  # type: ignore[operator]
                         f"{s.item.kind or '-':<14} {s.item.slug}  {_excerpt(s.item.answer or s.item.code or '')}"
                         f"  ({s.item.source})")
    else:
        lines.append("scores (completeness, correctness, communication):")
        for s in scored:
            dims = ", ".join(str(s.evaluation.scores[d]) for d in DIMENSIONS)
            lines.append(f"  {s.score:5.1f}  ({dims})  {s.item.slug}  {s.item.source}")
    lines.append(summary_line(scored))
    return lines
