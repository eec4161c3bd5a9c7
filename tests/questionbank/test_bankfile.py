"""The bank validator on the evaluator's knowledge: each ill-formed field is named with its place."""

import pytest

from questionbank.bankfile import BankFileError, dump_questions, normalise, parse_text, validate_question
from tests.questionbank.knowledge import BEHAVIORAL, CODING, THEORY, entry


def problems(question: dict) -> list[str]:
    return validate_question(question, "bank.yaml:3 question #1")


def with_point(base: dict, index: int, **changes: object) -> dict:
    data = entry(base)
    data["rubric"][index] = {**data["rubric"][index], **changes}
    return data


def with_item(base: dict, key: str, index: int, **changes: object) -> dict:
    data = entry(base)
    data[key][index] = {**data[key][index], **changes}
    return data


@pytest.mark.parametrize("question", [THEORY, BEHAVIORAL, CODING], ids=["theory", "behavioral", "coding"])
def test_complete_questions_of_each_type_are_valid(question):
    assert problems(question) == []


@pytest.mark.parametrize(("question", "expected"), [
    (entry(THEORY, reference_answer="Too short to be a reference answer."), "'reference_answer' must be 60 to 250"),
    (entry(THEORY, reference_answer=" ".join(["word"] * 251)), "'reference_answer' must be 60 to 250 words"),
    (entry(THEORY, reference_answer=["not", "text"]), "'reference_answer' must be non-empty text"),
    (with_point(THEORY, 0, claims="one claim"), "rubric[0]: 'claims' must be a list"),
    (with_point(THEORY, 0, claims=["Quicksort can be quadratic with bad pivots"]), "'claims' must have 2 to 5"),
    (with_point(THEORY, 0, claims=["Too short", "Merge sort always runs in n log n time"]),
     "rubric[0]: 'claims[0]' must be 4 to 30 words"),
    (with_point(THEORY, 1, claims=["Merge sort keeps equal elements in order"] * 2), "rubric[1]: 'claims' repeat"),
    (with_point(THEORY, 1, claims=["Merge sort is stable and needs linear extra space",
                                   "Merge sort keeps equal elements in their original order"]),
     "rubric[1]: a claim repeats 'point' word for word"),
    (with_point(THEORY, 1, claims=["Merge sort is a stable sort by design", "It needs extra space to merge"]),
     "rubric[1]: at least one claim must avoid the point's phrases"),
    (with_point(THEORY, 0, aspect="approach"), "rubric[0]: only coding and behavioral points have an 'aspect'"),
    (with_point(CODING, 0, aspect="style"), "rubric[0]: 'aspect' must be one of ['approach', 'complexity'"),
    (with_point(CODING, 2, aspect="approach"), "the rubric needs at least 1 point(s) with aspect 'edge_cases'"),
    (with_point(BEHAVIORAL, 2, aspect="situation"), "the rubric needs at least 2 point(s) with aspect 'action'"),
    (with_point(BEHAVIORAL, 4, aspect="result"), "at least 1 point(s) with aspect 'reflection'"),
    (entry(THEORY, misconceptions=THEORY["misconceptions"][:2]), "'misconceptions' must have 3 to 8 items, not 2"),
    (entry(THEORY, misconceptions={"claim": "x"}), "'misconceptions' must be a list"),
    (with_item(THEORY, "misconceptions", 0, correction=None), "misconceptions[0]: 'correction' must be non-empty"),
    (with_item(THEORY, "misconceptions", 1, correction="Quicksort is stable"),
     "misconceptions[1]: 'correction' must differ from 'claim'"),
    (with_item(THEORY, "misconceptions", 0, point=3), "misconceptions[0]: 'point' must be a rubric point's number"),
    (with_item(THEORY, "misconceptions", 0, point=0), "misconceptions[0]: 'point' must be a rubric point's number"),
    (with_item(THEORY, "misconceptions", 2, why="no"), "misconceptions[2] has unknown keys ['why']"),
    (entry(THEORY, red_flags=BEHAVIORAL["red_flags"]), "only behavioral questions have 'red_flags'"),
    (entry(BEHAVIORAL, red_flags=BEHAVIORAL["red_flags"][:1]), "'red_flags' must have 2 to 6 items, not 1"),
    (with_item(BEHAVIORAL, "red_flags", 1, why=""), "red_flags[1]: 'why' must be non-empty text"),
    (with_item(BEHAVIORAL, "red_flags", 0, claim=7), "red_flags[0]: 'claim' must be non-empty text"),
    (entry(CODING, complexity={"time": "linear", "space": "O(1)"}), "'complexity.time' must be a big-O bound"),
    (entry(CODING, complexity={"time": "O(n)"}), "'complexity.space' must be a big-O bound"),
    (entry(CODING, complexity="O(n)"), "'complexity' must be a mapping with 'time' and 'space'"),
    (entry(THEORY, complexity={"time": "O(n)", "space": "O(1)"}), "only coding questions have 'complexity'"),
    (entry(CODING, tests=[{**t, "edge_case": True} for t in CODING["tests"]]),
     "at least one test must be a typical case"),
    (entry(CODING, tests=[{**t, "edge_case": "yes"} for t in CODING["tests"]]), "tests[0]: 'edge_case' must be true"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_an_ill_formed_field_is_named_with_its_place(question, expected):
    found = problems(question)

    assert any(expected in p for p in found), found
    assert all(p.startswith("bank.yaml:3 question #1") for p in found)


def test_a_file_reports_the_line_and_slug_of_the_question_at_fault():
    bad = with_item(THEORY, "misconceptions", 0, point=9)
    text = dump_questions([BEHAVIORAL, bad])

    with pytest.raises(BankFileError) as raised:
        parse_text(text, "bank.yaml")

    line = next(i for i, row in enumerate(text.splitlines(), start=1) if f"slug: {THEORY['slug']}" in row)
    assert raised.value.problems == [
        f"bank.yaml:{line} question #2 ({THEORY['slug']}): misconceptions[0]: 'point' must be a rubric point's "
        "number, 1..2"]


def test_normalising_fills_the_knowledge_defaults_every_consumer_reads():
    data = normalise(entry(THEORY, misconceptions=None, reference_answer=None))

    assert data["reference_answer"] == ""
    assert data["misconceptions"] == []
    assert data["red_flags"] == []
    assert data["complexity"] == {"time": "", "space": ""}
    assert data["rubric"][0]["aspect"] == ""
    coding = normalise(CODING)
    assert [t["edge_case"] for t in coding["tests"]] == [False] * 5 + [True]
    assert normalise(entry(THEORY))["misconceptions"][1]["point"] == 2


@pytest.mark.parametrize(("question", "expected"), [
    (entry(THEORY, reference_answer=None), "missing keys ['reference_answer'] (the evaluator's knowledge)"),
    (entry(BEHAVIORAL, reference_answer=None), "missing keys ['reference_answer']"),
    (entry(THEORY, misconceptions=None), "missing keys ['misconceptions']"),
    (entry(BEHAVIORAL, red_flags=None), "missing keys ['red_flags']"),
    (entry(CODING, complexity=None), "missing keys ['complexity']"),
    (with_point(THEORY, 1, claims=None), "rubric[1] lacks 'claims'"),
    (with_point(CODING, 0, aspect=None), "rubric[0] lacks 'aspect'"),
    (with_point(BEHAVIORAL, 3, aspect=None), "rubric[3] lacks 'aspect'"),
    (entry(CODING, tests=[{k: v for k, v in t.items() if k != "edge_case"} for t in CODING["tests"]]),
     "at least one test must be marked 'edge_case: true'"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_question_without_the_evaluators_knowledge_is_refused(question, expected):
    for point in question["rubric"]:
        for key in [k for k, v in point.items() if v is None]:
            del point[key]

    found = problems(question)

    assert any(expected in p for p in found), found


def test_misconceptions_stay_optional_for_coding_and_behavioral_questions():
    assert problems(entry(CODING, misconceptions=None)) == []
    assert problems(entry(BEHAVIORAL, misconceptions=None)) == []
