"""Helpers for the curation tests: valid questions put in place by an import, and the admin form of a bank entry."""

import json
from typing import Any

from django.urls import reverse

from questionbank.bankfile import dump_questions, parse_text
from questionbank.models import Question
from questionbank.services import questions_import

from .admin_forms import add_rows, empty_inlines

CHANGELIST = reverse("admin:questionbank_question_changelist")
ADD = reverse("admin:questionbank_question_add")
IMPORT = reverse("admin:questionbank_question_import")


def change_url(question: Question) -> str:
    return reverse("admin:questionbank_question_change", args=[question.pk])


def imported(data: dict[str, Any]) -> Question:
    """A question as a valid bank entry puts it in the database (the evaluator's knowledge included)."""
    questions_import(questions=parse_text(dump_questions([data]), "test.yaml"))
    return Question.objects.get(slug=data["slug"])


def lines(items: list[str]) -> str:
    return "\n".join(items)


def entry_form(data: dict[str, Any]) -> dict[str, Any]:
    """The add form filled in with a bank entry, each inline row added with "Add another"."""
    form: dict[str, Any] = {
        **{key: data.get(key, "") for key in ("slug", "type", "category", "difficulty", "title", "description",
                                               "estimated_time", "reference_answer")},
        "tags": lines(data.get("tags", [])), "status": data.get("status", "draft"),
        "complexity_time": data.get("complexity", {}).get("time", ""),
        "complexity_space": data.get("complexity", {}).get("space", ""),
        **empty_inlines(),
    }
    add_rows(form, "hints", [{"text": text} for text in data.get("hints", [])])
    add_rows(form, "follow_ups", [{"text": text} for text in data.get("follow_ups", [])])
    add_rows(form, "rubric_points", [
        {"point": p["point"], "weight": p.get("weight", 1), "phrases": lines(p["phrases"]),
         "claims": lines(p.get("claims", [])), "aspect": p.get("aspect", "")} for p in data.get("rubric", [])])
    add_rows(form, "misconceptions", [
        {"claim": m["claim"], "correction": m["correction"], "point": m.get("point")}
        for m in data.get("misconceptions", [])])
    add_rows(form, "red_flags", [{"claim": f["claim"], "why": f["why"]} for f in data.get("red_flags", [])])
    add_rows(form, "signatures", [{"language": language, **signature}
                                  for language, signature in data.get("signatures", {}).items()])
    add_rows(form, "test_cases", [
        {"name": t["name"], "args": json.dumps(t["args"]), "expected": json.dumps(t["expected"]),
         "hidden": t.get("hidden", False), "compare": t.get("compare", "exact"), "tolerance": t.get("tolerance"),
         "edge_case": t.get("edge_case", False)} for t in data.get("tests", [])])
    return form


def inline(response: Any, prefix: str) -> Any:
    """The rendered formset of one inline."""
    return next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
