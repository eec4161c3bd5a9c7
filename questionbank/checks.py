"""Reference checks: which code and tests a check ran, what it found, and whether a question may go live.

A check is only evidence for the exact code and tests it ran, so each check stores their fingerprint; a
question is published only with a passing check whose fingerprint is that of its current code and tests
(docs/curation.md, "Publishing").
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from domain.languages import RUNNABLE_LANGUAGES

from .models import Question, QuestionStatus, ReferenceStatus

ACCEPTED = "accepted"
UNSUPPORTED = "unsupported_language"


def reference_fingerprint(data: Mapping[str, Any]) -> str:
    """The digest of what a reference check runs, from a normalised bank entry (bankfile.normalise)."""
    code = {lang: [s["function_name"], s["solution"]] for lang, s in sorted(data.get("signatures", {}).items())}
    tests = [[t["name"], t["args"], t["expected"], t["hidden"], t["compare"], t["tolerance"]]
             for t in data.get("tests", [])]
    return hashlib.sha256(json.dumps([code, tests], sort_keys=True).encode()).hexdigest()


def check_status(results: Mapping[str, Mapping[str, Any]], languages: set[str]) -> str:
    """Passing once every language has been accepted; failing as soon as one has not."""
    verdicts = [results.get(lang, {}).get("verdict") for lang in sorted(languages)]
    if any(v not in (None, ACCEPTED) for v in verdicts):
        return ReferenceStatus.FAILING
    if None in verdicts or not verdicts:
        return ReferenceStatus.CHECKING
    return ReferenceStatus.PASSING


def check_summary(question: Question) -> str:
    """One line for the list: each language's verdict, with the first failing cases."""
    if question.type != "coding":
        return "-"
    check = question.reference_check or {}
    results = check.get("results") or {}
    if not results:
        return "checking" if question.reference_status == ReferenceStatus.CHECKING else "not checked"
    parts = []
    for lang, result in sorted(results.items()):
        failed = [f["name"] for f in result.get("failed") or []][:3]
        parts.append(f"{lang}: {result.get('verdict')}" + (f" ({', '.join(failed)})" if failed else ""))
    return ", ".join(parts)


def publish_problem(*, data: Mapping[str, Any], question: Question | None,
                    stored: Mapping[str, Any] | None) -> str | None:
    """Why `data` (a normalised bank entry) may not be saved as published, or None when it may.

    Only coding questions need a check. One already published keeps its status as long as its code and tests
    do not change (bundled questions are checked by the test suite instead: tests/questionbank/
    test_bank_content.py); any other way to published needs a passing check of exactly this code and tests.
    """
    if data["type"] != "coding" or data["status"] != QuestionStatus.PUBLISHED:
        return None
    fingerprint = reference_fingerprint(data)
    if question is None:
        return "not checked: save it as a draft, run the reference check, then publish"
    if question.status == QuestionStatus.PUBLISHED and stored is not None \
            and reference_fingerprint(stored) == fingerprint:
        return None
    check = question.reference_check or {}
    if check.get("fingerprint") != fingerprint or not check.get("results"):
        return "not checked against this code and these tests: save it as a draft, run the reference check, " \
               "then publish"
    if question.reference_status != ReferenceStatus.PASSING:
        return f"the reference check fails: {check_summary(question)}"
    return None


def unsupported(language: str) -> dict[str, Any]:
    """The recorded result for a signature in a language the sandbox cannot run."""
    return {"verdict": UNSUPPORTED, "passed": 0, "total": 0, "isolation": None,
            "failed": [{"name": "-", "status": UNSUPPORTED, "expected": None, "actual": None,
                        "error": f"only {', '.join(RUNNABLE_LANGUAGES)} can run"}]}
