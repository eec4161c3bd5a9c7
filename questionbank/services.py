"""Question-bank writes: import/export of the bank format, status changes, reverts and counters.

Every door that changes a question (the admin form, its import and bulk actions, a revert, the loader and
the commands) ends here, so each change is validated the same way, recorded in the question's history,
bumps the rubric version when the evaluator's knowledge changed, and drops a reference check that no longer
describes the code (docs/curation.md).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from cloudinterview.api.ids import stable_public_id

from .bankfile import BankFileError, ParsedQuestion, dump_questions, normalise, validate_question
from .checks import publish_problem, reference_fingerprint
from .entries import CHILDREN, bank_diff, question_bank_data, question_to_bank
from .history import history_record, history_version
from .models import (
    FollowUp,
    Hint,
    Misconception,
    Question,
    QuestionStatus,
    RedFlag,
    ReferenceStatus,
    RubricPoint,
    Signature,
    TestCase,
)

FACETS_VERSION_KEY = "questionbank:facets-version"


def bank_changed() -> None:
    """Invalidate cached facets after any write to the bank."""
    try:
        cache.incr(FACETS_VERSION_KEY)
    except ValueError:
        cache.set(FACETS_VERSION_KEY, 1, None)


@dataclass
class ImportReport:
    """What an import did, or would do (the admin's dry run): slugs by outcome, and what changed in each."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    diffs: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    by_type: Counter = field(default_factory=Counter)

    @property
    def written(self) -> int:
        return len(self.created) + len(self.updated)

    def summary(self) -> str:
        types = ", ".join(f"{t}: {n}" for t, n in sorted(self.by_type.items()))
        return (f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged "
                f"({types})")

    def details(self) -> str:
        """The slugs that changed, for the admin's message and the history's comment."""
        parts = []
        if self.created:
            parts.append("created: " + ", ".join(self.created))
        if self.updated:
            parts.append("updated: " + ", ".join(f"{slug} ({', '.join(self.changes[slug])})" for slug in self.updated))
        parts.append(f"unchanged: {len(self.unchanged)}")
        return "; ".join(parts)


# Keys of a bank entry in the order the format lists them: the order changes are named in.
BANK_KEYS = ("slug", "type", "category", "difficulty", "title", "description", "estimated_time", "tags", "status",
             "hints", "follow_ups", "rubric", "reference_answer", "misconceptions", "red_flags", "complexity",
             "signatures", "tests")
KNOWLEDGE_KEYS = ("rubric", "reference_answer", "misconceptions", "red_flags", "complexity")


def bank_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The keys whose values differ between two normalised entries."""
    return [key for key in BANK_KEYS if before.get(key) != after.get(key)]


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
    return {key: data[key] for key in KNOWLEDGE_KEYS}


def _write(question: Question | None, data: dict[str, Any], stored: dict[str, Any] | None, *,
           curated_by: User | None) -> Question:
    """Write one normalised entry over `question` (None: a new one) whose current entry is `stored`.

    A changed rubric bumps `rubric_version` (evaluations record which rubric scored them); changed code or
    tests drop the reference check, which no longer describes them; counters are never touched.
    """
    if question is None:
        question = Question(slug=data["slug"])
    elif _knowledge(stored) != _knowledge(data):
        question.rubric_version += 1
    for name in ("slug", "type", "category", "difficulty", "title", "description", "estimated_time", "tags",
                 "status", "reference_answer"):
        setattr(question, name, data[name])
    question.complexity_time = data["complexity"].get("time", "")
    question.complexity_space = data["complexity"].get("space", "")
    if stored is None or reference_fingerprint(stored) != reference_fingerprint(data):
        question.reference_check, question.reference_status = None, ReferenceStatus.UNCHECKED
    if curated_by is not None:
        question.curated_by = curated_by
    question.save()
    _replace_children(question, data)
    return question


def _record(question_ids: list[int], *, comment: str, user: User | None) -> None:
    """One revision per written question, its parts read in a fixed number of queries for all of them."""
    for question in Question.objects.filter(pk__in=question_ids).prefetch_related(*CHILDREN):
        history_record(question=question, comment=comment, user=user)


def question_upsert(*, data: dict[str, Any], curated_by: User | None = None,
                    comment: str = "Imported") -> tuple[Question, str]:
    """Create or update one question by slug from validated, normalised bank data; returns it and what
    happened ("created", "updated" or "unchanged", in which case nothing is written)."""
    question = Question.objects.filter(slug=data["slug"]).prefetch_related(*CHILDREN).first()
    stored = question_bank_data(question) if question is not None else None
    if stored == data:
        return question, "unchanged"
    written = _write(question, data, stored, curated_by=curated_by)
    _record([written.pk], comment=comment, user=curated_by)
    return written, "created" if question is None else "updated"


def questions_align_public_ids() -> list[str]:
    """Give every question the public id of its slug again; returns the slugs that had another one.

    Question.save keeps the two together, but a slug changed behind its back (an old admin rename, a manual
    UPDATE) left the old id on the question, and loading the slug that id belongs to then broke on the unique
    id. Two passes, so ids can move between questions without ever colliding.
    """
    wrong = [(pk, slug) for pk, slug, public_id in Question.objects.values_list("pk", "slug", "public_id")
             if public_id != stable_public_id("q", slug)]
    with transaction.atomic():
        for pk, _ in wrong:
            Question.objects.filter(pk=pk).update(public_id=f"moving-{pk}")
        for pk, slug in wrong:
            Question.objects.filter(pk=pk).update(public_id=stable_public_id("q", slug))
    return [slug for _, slug in wrong]


def _plan(questions: list[ParsedQuestion], *, check_publishing: bool
          ) -> tuple[ImportReport, dict[str, Question], dict[str, dict[str, Any]]]:
    """What importing would do, with the current questions and their entries (read in a fixed number of
    queries, whatever the number of questions)."""
    slugs = [parsed.data["slug"] for parsed in questions]
    current = {q.slug: q for q in Question.objects.filter(slug__in=slugs).prefetch_related(*CHILDREN)}
    stored = {slug: question_bank_data(q) for slug, q in current.items()}
    report = ImportReport()
    for parsed in questions:
        data, slug = parsed.data, parsed.data["slug"]
        report.by_type[data["type"]] += 1
        if slug not in current:
            report.created.append(slug)
        elif changes := bank_changes(stored[slug], data):
            report.updated.append(slug)
            report.changes[slug] = changes
            report.diffs[slug] = bank_diff(stored[slug], data)
        else:
            report.unchanged.append(slug)
            continue
        problem = check_publishing and publish_problem(data=data, question=current.get(slug), stored=stored.get(slug))
        if problem:
            report.problems.append(f"{parsed.source}:{parsed.line} ({slug}): published, but {problem}")
    return report, current, stored


def questions_import_plan(*, questions: list[ParsedQuestion]) -> ImportReport:
    """The admin's dry run: what importing these questions would create, change and leave alone, and why it
    could not (a coding question published without a passing reference check of its code)."""
    return _plan(questions, check_publishing=True)[0]


def questions_import(*, questions: list[ParsedQuestion], curated_by: User | None = None, comment: str = "Imported",
                     check_publishing: bool = False) -> ImportReport:
    """Import validated questions in one transaction: all of them or, on any problem, none (BankFileError).

    Each created or changed question becomes one revision in its history. The bundled bank and the command
    line trust their files to publish (the test suite runs every bundled reference solution); the admin asks
    for `check_publishing`, the same rule as its form.
    """
    with transaction.atomic():
        questions_align_public_ids()
        report, current, stored = _plan(questions, check_publishing=check_publishing)
        if report.problems:
            raise BankFileError(report.problems)
        written = [_write(current.get(parsed.data["slug"]), parsed.data, stored.get(parsed.data["slug"]),
                          curated_by=curated_by).pk
                   for parsed in questions if parsed.data["slug"] not in report.unchanged]
        _record(written, comment=comment, user=curated_by)
    bank_changed()
    return report


def questions_export(*, queryset: QuerySet[Question]) -> str:
    """The selected questions as a bank file that imports back unchanged."""
    prefetched = queryset.prefetch_related(*CHILDREN)
    return dump_questions([question_to_bank(q) for q in prefetched.order_by("type", "slug")])


@dataclass
class StatusChange:
    changed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def questions_set_status(*, queryset: QuerySet[Question], status: str, user: User | None = None) -> StatusChange:
    """Bulk publish, archive or unpublish, each question one revision in its history. Publishing skips (and
    names, with why) coding questions without a passing reference check of their current code."""
    result = StatusChange()
    with transaction.atomic():
        for question in queryset.exclude(status=status).select_for_update().prefetch_related(*CHILDREN):
            stored = question_bank_data(question)
            if problem := publish_problem(data={**stored, "status": status}, question=question, stored=stored):
                result.refused[question.slug] = problem
                continue
            question.status = status
            question.save(update_fields=["status", "updated_at"])
            history_record(question=question, comment=f"{STATUS_VERBS[status]} (bulk action)", user=user)
            result.changed.append(question.slug)
    bank_changed()
    return result


STATUS_VERBS = {QuestionStatus.PUBLISHED: "Published", QuestionStatus.ARCHIVED: "Archived",
                QuestionStatus.DRAFT: "Unpublished"}


def question_saved(*, question: Question, before: dict[str, Any] | None, comment: str, user: User | None) -> None:
    """After the admin form saved a question and its parts: the same consequences as an import (rubric
    version, stale reference check, history), `before` being its entry before the save (None when new)."""
    after = question_bank_data(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk))
    updates: dict[str, Any] = {}
    if before is not None and _knowledge(before) != _knowledge(after):
        updates["rubric_version"] = F("rubric_version") + 1
    if before is not None and reference_fingerprint(before) != reference_fingerprint(after):
        updates |= {"reference_check": None, "reference_status": ReferenceStatus.UNCHECKED}
    if updates:
        Question.objects.filter(pk=question.pk).update(**updates)
        question.refresh_from_db()
    history_record(question=question, comment=comment, user=user)
    bank_changed()


def question_revert(*, question: Question, version_id: int, user: User | None) -> str:
    """Put back the question as one of its versions was, through the same checks as an import; returns what
    happened. The slug stays (candidates may know the question by it); a coding question whose restored
    code has no passing check comes back as a draft. Refused (BankFileError) when the old version does not
    pass today's validator."""
    entry, saved_at = history_version(question=question, version_id=version_id)
    entry["slug"] = question.slug
    when = timezone.localtime(saved_at).strftime("%Y-%m-%d %H:%M:%S")
    if problems := validate_question(entry, f"the version of {when}"):
        raise BankFileError(problems)
    data = normalise(entry)
    stored = question_bank_data(Question.objects.prefetch_related(*CHILDREN).get(pk=question.pk))
    note = ""
    if problem := publish_problem(data=data, question=question, stored=stored):
        data["status"] = QuestionStatus.DRAFT
        note = f" It is a draft again: {problem}."
    with transaction.atomic():
        _write(question, data, stored, curated_by=user)
        _record([question.pk], comment=f"Reverted to the version of {when}", user=user)
    bank_changed()
    return f"Reverted {question.slug} to the version of {when}.{note}"


def question_record_attempt(*, question_id: int, solved: bool) -> None:
    """Count one evaluated main answer, atomically: a single UPDATE whose F() terms all read the old row."""
    solved_inc = 1 if solved else 0
    Question.objects.filter(pk=question_id).update(
        attempt_count=F("attempt_count") + 1,
        solved_count=F("solved_count") + solved_inc,
        success_rate=Cast(F("solved_count") + solved_inc, FloatField()) * 100.0 / (F("attempt_count") + 1),
    )
