"""The bundled bank meets the issue's minimums, and every reference solution passes its own tests."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from questionbank.models import Question, QuestionStatus
from questionbank.selectors import question_sandbox_tests
from sandbox import run_submission

pytestmark = pytest.mark.django_db

DIFFICULTIES = {"easy", "medium", "hard"}
# Loose STAR cues: each part of the structure must be recognisable in some rubric point's phrases.
BANK = Path(__file__).resolve().parents[2] / "questionbank" / "bank"


def published(**filters):
    return Question.objects.filter(status=QuestionStatus.PUBLISHED, **filters)


def test_the_bank_has_at_least_200_published_questions():
    assert published().count() >= 200


@pytest.mark.parametrize(("question_type", "minimum"), [
    ("coding", 40), ("theory", 80), ("behavioral", 50), ("system_design", 30),
])
def test_each_type_meets_its_minimum(question_type, minimum):
    assert published(type=question_type).count() >= minimum


def test_theory_questions_span_at_least_8_categories():
    categories = set(published(type="theory").values_list("category", flat=True))

    assert len(categories) >= 8, sorted(categories)


@pytest.mark.parametrize("question_type", ["coding", "theory", "behavioral", "system_design"])
def test_difficulties_are_spread_across_easy_medium_and_hard(question_type):
    counts = Counter(published(type=question_type).values_list("difficulty", flat=True))
    total = sum(counts.values())

    assert set(counts) == DIFFICULTIES
    # "Spread": no difficulty is a token one (at least a sixth of the type each).
    assert all(n * 6 >= total for n in counts.values()), counts


def test_every_coding_question_has_6_cases_2_hidden_and_both_reference_solutions():
    defects = []
    for question in published(type="coding").prefetch_related("test_cases", "signatures"):
        cases = list(question.test_cases.all())
        solutions = {s.language: s.solution.strip() for s in question.signatures.all()}
        if len(cases) < 6:
            defects.append(f"{question.slug}: {len(cases)} test cases")
        if sum(c.hidden for c in cases) < 2:
            defects.append(f"{question.slug}: fewer than 2 hidden cases")
        if not (solutions.get("python") and solutions.get("javascript")):
            defects.append(f"{question.slug}: reference solutions for {sorted(solutions)}")

    assert defects == []


def test_every_behavioral_rubric_grades_own_actions_a_result_and_reflection():
    """Substance over the STAR script (bank/FORMAT.md): each story is graded on what the candidate did."""
    defects = []
    for path in sorted((BANK / "behavioral").glob("*.yaml")):
        for question in yaml.safe_load(path.read_text()):
            aspects = Counter(point.get("aspect") for point in question["rubric"])
            if aspects["action"] < 2 or not aspects["result"] or not aspects["reflection"]:
                defects.append(f"{question['slug']}: {dict(aspects)}")

    assert defects == []


def _run_reference(job: tuple[str, str, str, str, list]) -> str | None:
    slug, language, solution, function_name, tests = job
    result = run_submission(language, solution, function_name, tests)
    if result["verdict"] == "accepted" and result["passed"] == result["total"] == len(tests):
        return None
    failed = [f"{c['name']} ({c['status']}: {c.get('error') or c.get('actual')!r})"
              for c in result["cases"] if c["status"] != "passed"]
    return f"{slug} [{language}]: {result['verdict']} {result['passed']}/{result['total']}; {failed} {result['error']}"


def test_every_reference_solution_passes_its_own_test_cases_in_the_sandbox():
    # Given every bundled coding question's reference solutions with all their cases (hidden included)
    jobs = []
    for question in published(type="coding").prefetch_related("signatures"):
        tests = question_sandbox_tests(question=question, include_hidden=True)
        jobs.extend((question.slug, s.language, s.solution, s.function_name, tests) for s in question.signatures.all())
    assert {job[1] for job in jobs} == {"python", "javascript"}

    # When each runs in the sandbox (a few at a time: a run is a separate process)
    with ThreadPoolExecutor(max_workers=4) as pool:
        mismatches = [m for m in pool.map(_run_reference, jobs) if m]

    # Then none of them fails a case
    assert mismatches == []
