"""Question-bank writes: import/export of the bank format, counters, reference-solution checks."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from domain.questions import QuestionType

from .bankfile import ParsedQuestion, dump_questions
from .models import FollowUp, Hint, Misconception, Question, RedFlag, RubricPoint, Signature, TestCase

FACETS_VERSION_KEY = "questionbank:facets-version"


def bank_changed() -> None:
    """Invalidate cached facets after any write to the bank."""
    try:
        cache.incr(FACETS_VERSION_KEY)
    except ValueError:
        cache.set(FACETS_VERSION_KEY, 1, None)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    by_type: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        types = ", ".join(f"{t}: {n}" for t, n in sorted(self.by_type.items()))
        return (f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged "
                f"({types})")


CHILDREN = ("hints", "follow_ups", "rubric_points", "misconceptions", "red_flags", "signatures", "test_cases")


def _replace_children(question: Question, data: dict[str, Any]) -> None:
    for model in (Hint, FollowUp, RubricPoint, Misconception, RedFlag, Signature, TestCase):
        model.objects.filter(question=question).delete()
    Hint.objects.bulk_create(Hint(question=question, position=i, text=t) for i, t in enumerate(data["hints"]))
    FollowUp.objects.bulk_create(
        FollowUp(question=question, position=i, text=t) for i, t in enumerate(data["follow_ups"])
    )
    RubricPoint.objects.bulk_create(
        RubricPoint(question=question, position=i, point=p["point"], weight=p["weight"], phrases=p["phrases"],
                    claims=p["claims"], aspect=p["aspect"])
        for i, p in enumerate(data["rubric"])
    )
    Misconception.objects.bulk_create(
        Misconception(question=question, position=i, claim=m["claim"], correction=m["correction"], point=m["point"])
        for i, m in enumerate(data["misconceptions"])
    )
    RedFlag.objects.bulk_create(
        RedFlag(question=question, position=i, claim=f["claim"], why=f["why"]) for i, f in enumerate(data["red_flags"])
    )
    Signature.objects.bulk_create(
        Signature(question=question, language=lang, function_name=s["function_name"],
                  starter_code=s["starter_code"], solution=s["solution"])
        for lang, s in data["signatures"].items()
    )
    TestCase.objects.bulk_create(
        TestCase(question=question, position=i, name=t["name"], args=t["args"], expected=t["expected"],
                 hidden=t["hidden"], compare=t["compare"], tolerance=t["tolerance"], edge_case=t["edge_case"])
        for i, t in enumerate(data["tests"])
    )


def _knowledge(data: dict[str, Any]) -> dict[str, Any]:
    """What an evaluation is scored with: a change to it bumps `rubric_version` (tests and wording do not)."""
    return {
        "rubric": [{k: p[k] for k in ("point", "weight", "phrases", "claims", "aspect")} for p in data["rubric"]],
        "reference_answer": data["reference_answer"], "misconceptions": data["misconceptions"],
        "red_flags": data["red_flags"], "complexity": data["complexity"],
    }


def question_upsert(*, data: dict[str, Any], curated_by: User | None = None) -> tuple[Question, str]:
    """Create or update one question by slug from validated bank data; returns it and what happened.

    Unchanged content is skipped (loading the bank again is cheap); a changed rubric bumps
    `rubric_version` so evaluations record which rubric scored them. Counters are never touched.
    """
    content_hash = _digest(data)
    question = Question.objects.filter(slug=data["slug"]).first()
    if question is not None and question.content_hash == content_hash:
        return question, "unchanged"
    outcome = "created" if question is None else "updated"
    if question is None:
        question = Question(slug=data["slug"])
    elif _digest(_knowledge(_stored(question))) != _digest(_knowledge(data)):
        question.rubric_version += 1
    for name in ("type", "category", "difficulty", "title", "description", "estimated_time", "tags", "status",
                 "reference_answer"):
        setattr(question, name, data[name])
    question.complexity_time = data["complexity"].get("time", "")
    question.complexity_space = data["complexity"].get("space", "")
    question.content_hash = content_hash
    if curated_by is not None:
        question.curated_by = curated_by
    question.save()
    _replace_children(question, data)
    return question, outcome


def questions_import(*, questions: list[ParsedQuestion], curated_by: User | None = None) -> ImportReport:
    """Import validated questions in one transaction: all of them or, on any error, none."""
    report = ImportReport()
    with transaction.atomic():
        for parsed in questions:
            question, outcome = question_upsert(data=parsed.data, curated_by=curated_by)
            getattr(report, outcome).append(question.slug)
            report.by_type[question.type] += 1
    bank_changed()
    return report


def _stored(question: Question) -> dict[str, Any]:
    """The stored knowledge in the normalised bank shape, for comparing with incoming data."""
    return {
        "rubric": [{"point": p.point, "weight": p.weight, "phrases": list(p.phrases), "claims": list(p.claims),
                    "aspect": p.aspect} for p in question.rubric_points.all()],
        "reference_answer": question.reference_answer,
        "misconceptions": [{"claim": m.claim, "correction": m.correction, "point": m.point}
                           for m in question.misconceptions.all()],
        "red_flags": [{"claim": f.claim, "why": f.why} for f in question.red_flags.all()],
        "complexity": {"time": question.complexity_time, "space": question.complexity_space},
    }


def _rubric_point_to_bank(point: RubricPoint) -> dict[str, Any]:
    data: dict[str, Any] = {"point": point.point, "weight": point.weight, "phrases": list(point.phrases)}
    if point.claims:
        data["claims"] = list(point.claims)
    if point.aspect:
        data["aspect"] = point.aspect
    return data


def _knowledge_to_bank(question: Question) -> dict[str, Any]:
    """The evaluator's knowledge in the bank format: absent keys stay absent, so files round-trip."""
    data: dict[str, Any] = {}
    if question.reference_answer:
        data["reference_answer"] = question.reference_answer
    misconceptions = [{"claim": m.claim, "correction": m.correction} | ({"point": m.point} if m.point else {})
                      for m in question.misconceptions.all()]
    if misconceptions:
        data["misconceptions"] = misconceptions
    red_flags = [{"claim": f.claim, "why": f.why} for f in question.red_flags.all()]
    if red_flags:
        data["red_flags"] = red_flags
    if question.complexity_time or question.complexity_space:
        data["complexity"] = {"time": question.complexity_time, "space": question.complexity_space}
    return data


def question_to_bank(question: Question) -> dict[str, Any]:
    """One question in the bank format (the inverse of question_upsert); expects prefetched children."""
    data: dict[str, Any] = {
        "slug": question.slug, "type": question.type, "category": question.category,
        "difficulty": question.difficulty, "title": question.title, "description": question.description,
        "estimated_time": question.estimated_time, "tags": list(question.tags), "status": question.status,
        "hints": [h.text for h in question.hints.all()],
        "follow_ups": [f.text for f in question.follow_ups.all()],
        "rubric": [_rubric_point_to_bank(p) for p in question.rubric_points.all()],
        **_knowledge_to_bank(question),
    }
    if question.type == QuestionType.CODING:
        data["signatures"] = {
            s.language: {"function_name": s.function_name, "starter_code": s.starter_code, "solution": s.solution}
            for s in question.signatures.all()
        }
        data["tests"] = []
        for t in question.test_cases.all():
            case = {"name": t.name, "args": t.args, "expected": t.expected, "hidden": t.hidden, "compare": t.compare}
            if t.tolerance is not None:
                case["tolerance"] = t.tolerance
            if t.edge_case:
                case["edge_case"] = True
            data["tests"].append(case)
    return data


def questions_export(*, queryset: QuerySet[Question]) -> str:
    """The selected questions as a bank file that imports back unchanged."""
    prefetched = queryset.prefetch_related(*CHILDREN)
    return dump_questions([question_to_bank(q) for q in prefetched.order_by("type", "slug")])


def questions_set_status(*, queryset: QuerySet[Question], status: str) -> int:
    """Bulk publish or archive; returns how many changed."""
    changed = queryset.exclude(status=status).update(status=status, updated_at=timezone.now())
    bank_changed()
    return changed


def question_record_attempt(*, question_id: int, solved: bool) -> None:
    """Count one evaluated main answer, atomically: a single UPDATE whose F() terms all read the old row."""
    solved_inc = 1 if solved else 0
    Question.objects.filter(pk=question_id).update(
        attempt_count=F("attempt_count") + 1,
        solved_count=F("solved_count") + solved_inc,
        success_rate=Cast(F("solved_count") + solved_inc, FloatField()) * 100.0 / (F("attempt_count") + 1),
    )
