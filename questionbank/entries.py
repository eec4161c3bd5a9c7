"""Questions as bank entries (the format of bank/FORMAT.md), built from rows: the export, the import's diff,
the admin form's checks and the version history all read a question through this one shape."""

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from .bankfile import dump_questions, normalise
from .models import Question, RubricPoint

CHILDREN = ("hints", "follow_ups", "rubric_points", "misconceptions", "red_flags", "signatures", "test_cases")


def _rubric_point(point: RubricPoint) -> dict[str, Any]:
    data: dict[str, Any] = {"point": point.point, "weight": point.weight, "phrases": list(point.phrases)}
    if point.claims:
        data["claims"] = list(point.claims)
    if point.aspect:
        data["aspect"] = point.aspect
    return data


def _knowledge(question: Question, children: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """The evaluator's knowledge in the bank format: absent keys stay absent, so files round-trip."""
    data: dict[str, Any] = {}
    if question.reference_answer:
        data["reference_answer"] = question.reference_answer
    misconceptions = [{"claim": m.claim, "correction": m.correction} | ({"point": m.point} if m.point else {})
                      for m in children["misconceptions"]]
    if misconceptions:
        data["misconceptions"] = misconceptions
    red_flags = [{"claim": f.claim, "why": f.why} for f in children["red_flags"]]
    if red_flags:
        data["red_flags"] = red_flags
    if question.complexity_time or question.complexity_space:
        data["complexity"] = {"time": question.complexity_time, "space": question.complexity_space}
    return data


def _coding(children: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    tests = []
    for t in children["test_cases"]:
        case = {"name": t.name, "args": t.args, "expected": t.expected, "hidden": t.hidden, "compare": t.compare}
        if t.tolerance is not None:
            case["tolerance"] = t.tolerance
        if t.edge_case:
            case["edge_case"] = True
        tests.append(case)
    signatures = {s.language: {"function_name": s.function_name, "starter_code": s.starter_code,
                               "solution": s.solution} for s in children["signatures"]}
    return {"signatures": signatures, "tests": tests}


def bank_entry(question: Question, children: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """A question and its parts (keyed by CHILDREN, each in its order) as a bank entry; nothing is read from
    the database, so unsaved rows (an admin form being checked, a stored version) work as well."""
    data: dict[str, Any] = {
        "slug": question.slug, "type": question.type, "category": question.category,
        "difficulty": question.difficulty, "title": question.title, "description": question.description,
        "estimated_time": question.estimated_time, "tags": list(question.tags), "status": question.status,
        "hints": [h.text for h in children["hints"]],
        "follow_ups": [f.text for f in children["follow_ups"]],
        "rubric": [_rubric_point(p) for p in children["rubric_points"]],
        **_knowledge(question, children),
    }
    if question.type == "coding" or children["signatures"] or children["test_cases"]:
        data |= _coding(children)
    return data


def question_to_bank(question: Question) -> dict[str, Any]:
    """One saved question in the bank format (the inverse of the import); prefetch CHILDREN for many."""
    return bank_entry(question, {name: list(getattr(question, name).all()) for name in CHILDREN})


def question_bank_data(question: Question) -> dict[str, Any]:
    """The saved question normalised as an import normalises a file, so the two compare key by key."""
    return normalise(question_to_bank(question))


def bank_diff(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> str:
    """What changed between two entries, as a unified diff of their bank-format text (no file headers)."""
    old = dump_questions(before).splitlines() if before is not None else []
    lines = difflib.unified_diff(old, dump_questions(after).splitlines(), lineterm="", n=1)
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))
