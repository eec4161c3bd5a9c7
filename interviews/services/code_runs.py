"""Running code on the sandbox queue: which signature an answer runs with, and the `run` endpoint's run, waited
for in the request (never in the web process unless the embedded default runs tasks eagerly)."""

from typing import Any

from cloudinterview.choices import RUNNABLE_LANGUAGES, QuestionType
from cloudinterview.sandbox_queue import sandbox_signature
from cloudinterview.waiting import wait_for
from domain.verdicts import Verdict
from questionbank.models import Question, Signature
from questionbank.selectors import question_sandbox_tests

from ..models import Answer
from .test_results import test_results_from_run

RUN_WAIT_MARGIN_SECONDS = 20


def runnable_signature(*, answer: Answer, question: Question) -> Signature | None:
    """The signature to run this answer with, or None when it is judged without running."""
    if question.type != QuestionType.CODING or not answer.code.strip() or answer.language not in RUNNABLE_LANGUAGES:
        return None
    return question.signatures.filter(language=answer.language).first()


def sandbox_run_wait(*, question: Question, language: str, code: str, include_hidden: bool) -> dict[str, Any]:
    """Run code on the sandbox queue and wait for it (the `run` endpoint): never in the web process
    unless the embedded default runs tasks eagerly."""
    signature = question.signatures.filter(language=language).first()
    if signature is None:
        return {"passed": 0, "total": 0, "verdict": Verdict.INTERNAL_ERROR, "cases": [],
                "message": f"This question has no {language} signature."}
    tests = question_sandbox_tests(question=question, include_hidden=include_hidden)
    result = sandbox_signature(language=language, code=code, function_name=signature.function_name,
                               tests=tests).apply_async()
    if not wait_for(result, RUN_WAIT_MARGIN_SECONDS + 30):
        return test_results_from_run({"verdict": Verdict.INTERNAL_ERROR, "passed": 0, "total": len(tests)}, tests)
    run = result.get(propagate=False, disable_sync_subtasks=False)
    if not isinstance(run, dict):
        run = {"verdict": Verdict.INTERNAL_ERROR, "passed": 0, "total": len(tests)}
    return test_results_from_run(run, tests)
