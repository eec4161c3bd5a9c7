"""Read and validate question-bank files (the YAML format described in bank/FORMAT.md).

This module has no Django imports on purpose: content authors run it from the shell
(`python -m questionbank.bankfile questionbank/bank/**/*.yaml`) and the loader, the
admin import and the export all share it, so a file that validates here loads there.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from domain.languages import RUNNABLE_LANGUAGES
from domain.questions import CompareMode, Difficulty, QuestionStatus, QuestionType

QUESTION_TYPES = tuple(QuestionType)
DIFFICULTIES = tuple(Difficulty)
COMPARE_MODES = tuple(CompareMode)
STATUSES = tuple(QuestionStatus)
# A question without `status` is a draft, as in the admin's add form (FORMAT.md): publishing is a decision.
DEFAULT_STATUS = QuestionStatus.DRAFT.value

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9+#.]+(?:-[a-z0-9+#.]+)*$")
IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the bank ~10x faster

QUESTION_KEYS = {
    "slug", "type", "category", "difficulty", "title", "description", "estimated_time", "tags",
    "hints", "follow_ups", "rubric", "status", "signatures", "tests",
    "reference_answer", "misconceptions", "red_flags", "complexity",
}
REQUIRED_KEYS = {"slug", "type", "category", "difficulty", "title", "description", "estimated_time", "rubric"}
RUBRIC_POINT_KEYS = {"point", "weight", "phrases", "claims", "aspect"}
SIGNATURE_KEYS = {"function_name", "starter_code", "solution"}
TEST_KEYS = {"name", "args", "expected", "hidden", "compare", "tolerance", "edge_case"}
MISCONCEPTION_KEYS = {"claim", "correction", "point"}
RED_FLAG_KEYS = {"claim", "why"}
COMPLEXITY_KEYS = {"time", "space"}
# What each point of a coding or behavioral rubric covers (FORMAT.md, "Rubric points as claims").
ASPECTS = {
    "coding": ("approach", "complexity", "edge_cases"),
    "behavioral": ("situation", "action", "result", "reflection"),
}
REFERENCE_WORDS = (60, 250)
CLAIM_WORDS = (4, 30)
CLAIMS_PER_POINT = (2, 5)
MISCONCEPTIONS = (3, 8)
RED_FLAGS = (2, 6)
BIG_O_RE = re.compile(r"^O\(.+\)$")


class BankFileError(ValueError):
    """A file that cannot be loaded; `problems` lists every defect with its place."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParsedQuestion:
    """One validated question: `data` is the normalised dict, `line` where it starts in its file."""

    data: dict[str, Any]
    source: str
    line: int


def _check_text(errors: list[str], where: str, value: Any, name: str, max_len: int, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: '{name}' must be non-empty text")
    elif len(value) > max_len:
        errors.append(f"{where}: '{name}' is longer than {max_len} characters")


def _check_text_list(errors: list[str], where: str, value: Any, name: str, min_items: int, max_len: int = 500) -> None:
    if not isinstance(value, list) or len(value) < min_items:
        errors.append(f"{where}: '{name}' must be a list of at least {min_items} text item(s)")
        return
    for i, item in enumerate(value):
        _check_text(errors, where, item, f"{name}[{i}]", max_len)


def _words(text: str) -> int:
    """Words as an author counts them: runs of text between spaces ("O(n log n)" is three)."""
    return len(text.split())


def _plain(text: str) -> str:
    """Lower-case words separated by single spaces and padded, so phrases match on word boundaries."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _check_sentence(errors: list[str], where: str, value: Any, name: str, words: tuple[int, int]) -> None:
    """A claim-like text: non-empty, between the given numbers of words."""
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: '{name}' must be non-empty text")
    elif not words[0] <= _words(value) <= words[1]:
        errors.append(f"{where}: '{name}' must be {words[0]} to {words[1]} words, not {_words(value)}")


def _check_count(errors: list[str], where: str, value: Any, name: str, bounds: tuple[int, int]) -> bool:
    """A list whose length is within bounds; False (after reporting) when it is not a usable list."""
    if not isinstance(value, list):
        errors.append(f"{where}: '{name}' must be a list")
        return False
    if not bounds[0] <= len(value) <= bounds[1]:
        errors.append(f"{where}: '{name}' must have {bounds[0]} to {bounds[1]} items, not {len(value)}")
    return True


def _check_claims(errors: list[str], here: str, point: dict[str, Any]) -> None:
    """Claims state the point as facts, differently from each other and from the point, at least one of
    them in everyday words that avoid the point's phrases (FORMAT.md, "Rubric points as claims")."""
    claims = point.get("claims")
    if claims is None or not _check_count(errors, here, claims, "claims", CLAIMS_PER_POINT):
        return
    for i, claim in enumerate(claims):
        _check_sentence(errors, here, claim, f"claims[{i}]", CLAIM_WORDS)
    texts = [_plain(c) for c in claims if isinstance(c, str)]
    if len(set(texts)) < len(texts):
        errors.append(f"{here}: 'claims' repeat each other")
    if isinstance(point.get("point"), str) and _plain(point["point"]) in texts:
        errors.append(f"{here}: a claim repeats 'point' word for word")
    phrases = [_plain(p) for p in point.get("phrases") or [] if isinstance(p, str) and _plain(p).strip()]
    if texts and phrases and all(any(p in text for p in phrases) for text in texts):
        errors.append(f"{here}: at least one claim must avoid the point's phrases (say it in everyday words)")


def _check_aspect(errors: list[str], here: str, point: dict[str, Any], question_type: Any) -> None:
    aspect = point.get("aspect")
    if aspect is None:
        return
    allowed = ASPECTS.get(question_type)
    if allowed is None:
        errors.append(f"{here}: only coding and behavioral points have an 'aspect'")
    elif aspect not in allowed:
        errors.append(f"{here}: 'aspect' must be one of {list(allowed)}")


def _check_rubric(errors: list[str], where: str, rubric: Any, question_type: Any = None) -> None:
    if not isinstance(rubric, list) or not rubric:
        errors.append(f"{where}: 'rubric' must be a non-empty list of points")
        return
    for i, point in enumerate(rubric):
        here = f"{where}: rubric[{i}]"
        if not isinstance(point, dict):
            errors.append(f"{here} must be a mapping")
            continue
        if unknown := set(point) - RUBRIC_POINT_KEYS:
            errors.append(f"{here} has unknown keys {sorted(unknown)}")
        _check_text(errors, here, point.get("point"), "point", 300)
        weight = point.get("weight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 10:
            errors.append(f"{here}: 'weight' must be an integer 1..10")
        _check_text_list(errors, here, point.get("phrases"), "phrases", 1, 120)
        _check_claims(errors, here, point)
        _check_aspect(errors, here, point, question_type)


def _check_aspect_coverage(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """Coding rubrics cover approach, complexity and edge cases; behavioral ones at least two actions, a
    result and a reflection. Checked once every point names its aspect."""
    rubric = q.get("rubric")
    if q.get("type") not in ASPECTS or not isinstance(rubric, list) or not rubric:
        return
    aspects = [p.get("aspect") for p in rubric if isinstance(p, dict)]
    if None in aspects:
        return
    needed = ({"approach": 1, "complexity": 1, "edge_cases": 1} if q["type"] == QuestionType.CODING
              else {"action": 2, "result": 1, "reflection": 1})
    for aspect, count in needed.items():
        if aspects.count(aspect) < count:
            errors.append(f"{where}: the rubric needs at least {count} point(s) with aspect '{aspect}'")


def _check_reference_answer(errors: list[str], where: str, q: dict[str, Any]) -> None:
    value = q.get("reference_answer")
    if value is not None:
        _check_sentence(errors, where, value, "reference_answer", REFERENCE_WORDS)


def _check_misconceptions(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """Wrong claims with parallel corrections; `point` names the rubric point (1-based) they contradict."""
    items = q.get("misconceptions")
    if items is None or not _check_count(errors, where, items, "misconceptions", MISCONCEPTIONS):
        return
    points = len(q["rubric"]) if isinstance(q.get("rubric"), list) else 0
    for i, item in enumerate(items):
        here = f"{where}: misconceptions[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{here} must be a mapping")
            continue
        if unknown := set(item) - MISCONCEPTION_KEYS:
            errors.append(f"{here} has unknown keys {sorted(unknown)}")
        _check_sentence(errors, here, item.get("claim"), "claim", (2, 60))
        _check_sentence(errors, here, item.get("correction"), "correction", (2, 60))
        if isinstance(item.get("claim"), str) and isinstance(item.get("correction"), str) \
                and _plain(item["claim"]) == _plain(item["correction"]):
            errors.append(f"{here}: 'correction' must differ from 'claim'")
        point = item.get("point")
        if point is not None and (not isinstance(point, int) or isinstance(point, bool) or not 1 <= point <= points):
            errors.append(f"{here}: 'point' must be a rubric point's number, 1..{points}")


def _check_red_flags(errors: list[str], where: str, q: dict[str, Any]) -> None:
    items = q.get("red_flags")
    if items is None:
        return
    if q.get("type") != "behavioral":
        errors.append(f"{where}: only behavioral questions have 'red_flags'")
        return
    if not _check_count(errors, where, items, "red_flags", RED_FLAGS):
        return
    for i, item in enumerate(items):
        here = f"{where}: red_flags[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{here} must be a mapping")
            continue
        if unknown := set(item) - RED_FLAG_KEYS:
            errors.append(f"{here} has unknown keys {sorted(unknown)}")
        _check_sentence(errors, here, item.get("claim"), "claim", (2, 60))
        _check_text(errors, here, item.get("why"), "why", 300)


def _check_knowledge_present(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """Every question carries what the evaluator judges with (FORMAT.md, "What the evaluator needs to judge
    truth"): without it, answers to the question could only be scored by their words."""
    question_type = q.get("type")
    required = ["reference_answer"] + {"theory": ["misconceptions"], "system_design": ["misconceptions"],
                                       "behavioral": ["red_flags"], "coding": ["complexity"]}.get(question_type, [])
    if missing := [key for key in required if key not in q]:
        errors.append(f"{where}: missing keys {missing} (the evaluator's knowledge)")
    rubric = q.get("rubric") if isinstance(q.get("rubric"), list) else []
    for i, point in enumerate(p for p in rubric if isinstance(p, dict)):
        if "claims" not in point:
            errors.append(f"{where}: rubric[{i}] lacks 'claims'")
        if question_type in ASPECTS and "aspect" not in point:
            errors.append(f"{where}: rubric[{i}] lacks 'aspect'")
    tests = q.get("tests")
    if question_type == QuestionType.CODING and isinstance(tests, list) and not any(
            isinstance(t, dict) and t.get("edge_case") is True for t in tests):
        errors.append(f"{where}: at least one test must be marked 'edge_case: true'")


def _check_knowledge(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """What the evaluator judges truth with (FORMAT.md, "What the evaluator needs to judge truth")."""
    _check_knowledge_present(errors, where, q)
    _check_reference_answer(errors, where, q)
    _check_misconceptions(errors, where, q)
    _check_red_flags(errors, where, q)
    _check_aspect_coverage(errors, where, q)


def _is_json_value(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_json_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_value(v) for k, v in value.items())
    return False


def _check_signatures(errors: list[str], where: str, signatures: Any) -> None:
    if not isinstance(signatures, dict):
        errors.append(f"{where}: coding questions need 'signatures' for {list(RUNNABLE_LANGUAGES)}")
        signatures = {}
    for language in RUNNABLE_LANGUAGES:
        if language not in signatures:
            errors.append(f"{where}: 'signatures' lacks '{language}'")
    for language, sig in signatures.items():
        here = f"{where}: signatures.{language}"
        if language not in RUNNABLE_LANGUAGES:
            errors.append(f"{here}: only {list(RUNNABLE_LANGUAGES)} can run")
            continue
        if not isinstance(sig, dict):
            errors.append(f"{here} must be a mapping")
            continue
        if unknown := set(sig) - SIGNATURE_KEYS:
            errors.append(f"{here} has unknown keys {sorted(unknown)}")
        name = sig.get("function_name")
        if not isinstance(name, str) or not IDENT_RE.match(name) or len(name) > 64:
            errors.append(f"{here}: 'function_name' must be an identifier of at most 64 characters")
        _check_text(errors, here, sig.get("starter_code"), "starter_code", 4000)
        _check_text(errors, here, sig.get("solution"), "solution", 20000)


def _check_test_case(errors: list[str], here: str, case: dict[str, Any]) -> None:
    if unknown := set(case) - TEST_KEYS:
        errors.append(f"{here} has unknown keys {sorted(unknown)}")
    if not isinstance(case.get("args"), list) or not _is_json_value(case.get("args")):
        errors.append(f"{here}: 'args' must be a list of JSON values (positional arguments)")
    if "expected" not in case or not _is_json_value(case.get("expected")):
        errors.append(f"{here}: 'expected' must be a JSON value")
    for flag in ("hidden", "edge_case"):
        if not isinstance(case.get(flag, False), bool):
            errors.append(f"{here}: '{flag}' must be true or false")
    compare = case.get("compare", "exact")
    if compare not in COMPARE_MODES:
        errors.append(f"{here}: 'compare' must be one of {list(COMPARE_MODES)}")
    tolerance = case.get("tolerance")
    if tolerance is not None and (not isinstance(tolerance, (int, float)) or tolerance < 0):
        errors.append(f"{here}: 'tolerance' must be a non-negative number")
    if compare == "unordered" and not isinstance(case.get("expected"), list):
        errors.append(f"{here}: 'unordered' compares lists; 'expected' is not a list")


def _check_tests(errors: list[str], where: str, tests: Any) -> None:
    if not isinstance(tests, list) or len(tests) < 6:
        errors.append(f"{where}: coding questions need at least 6 'tests'")
        if not isinstance(tests, list):
            return
    names: set[str] = set()
    cases = [case for case in tests if isinstance(case, dict)]
    for i, case in enumerate(tests):
        here = f"{where}: tests[{i}]"
        if not isinstance(case, dict):
            errors.append(f"{here} must be a mapping")
            continue
        name = case.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            errors.append(f"{here}: 'name' must be non-empty text of at most 100 characters")
        elif name in names:
            errors.append(f"{here}: duplicate test name '{name}'")
        else:
            names.add(name)
        _check_test_case(errors, here, case)
    hidden = sum(1 for case in cases if case.get("hidden", False))
    if hidden < 2:
        errors.append(f"{where}: at least 2 tests must be hidden")
    if len(cases) - hidden < 1:
        errors.append(f"{where}: at least 1 test must be visible (shown as an example)")
    edge = sum(1 for case in cases if case.get("edge_case", False))
    if edge and edge == len(cases):
        errors.append(f"{where}: at least one test must be a typical case (not 'edge_case')")


def _check_complexity(errors: list[str], where: str, complexity: Any) -> None:
    if complexity is None:
        return
    if not isinstance(complexity, dict):
        errors.append(f"{where}: 'complexity' must be a mapping with 'time' and 'space'")
        return
    if unknown := set(complexity) - COMPLEXITY_KEYS:
        errors.append(f"{where}: 'complexity' has unknown keys {sorted(unknown)}")
    for bound in sorted(COMPLEXITY_KEYS):
        value = complexity.get(bound)
        if not isinstance(value, str) or not BIG_O_RE.match(value.strip()) or len(value) > 60:
            errors.append(f"{where}: 'complexity.{bound}' must be a big-O bound such as \"O(n log n)\"")


def _check_coding(errors: list[str], where: str, q: dict[str, Any]) -> None:
    _check_signatures(errors, where, q.get("signatures"))
    _check_tests(errors, where, q.get("tests"))
    _check_complexity(errors, where, q.get("complexity"))


def unix_newlines(value: Any) -> Any:
    """Text with "\n" line endings, in nested lists and mappings too: text pasted from Windows or typed in a
    browser's textarea ("\r\n") is stored, served and exported like the same text typed anywhere else."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list):
        return [unix_newlines(v) for v in value]
    if isinstance(value, dict):
        return {k: unix_newlines(v) for k, v in value.items()}
    return value


def normalise(q: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults so every consumer sees every key; line endings of text become "\n" (test data is kept
    as written: a test may be about "\r\n")."""
    q = {k: v if k == "tests" else unix_newlines(v) for k, v in q.items()}
    out = dict(q)
    out.setdefault("status", DEFAULT_STATUS)
    out.setdefault("tags", [])
    out.setdefault("hints", [])
    out.setdefault("follow_ups", [])
    out.setdefault("reference_answer", "")
    out.setdefault("misconceptions", [])
    out.setdefault("red_flags", [])
    out["rubric"] = [{"weight": 1, "claims": [], "aspect": "", **p} for p in q["rubric"]]
    out["misconceptions"] = [{"point": None, **m} for m in out["misconceptions"]]
    if q["type"] == QuestionType.CODING:
        out["tests"] = [
            {"hidden": False, "compare": "exact", "tolerance": None, "edge_case": False, **t} for t in q["tests"]
        ]
        out.setdefault("complexity", {"time": "", "space": ""})
    else:
        out["signatures"] = {}
        out["tests"] = []
        out["complexity"] = {"time": "", "space": ""}
    return out


def _check_identity(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """Keys, slug and the closed vocabularies (type, difficulty, status, category)."""
    if unknown := set(q) - QUESTION_KEYS:
        errors.append(f"{where}: unknown keys {sorted(unknown)}")
    if missing := REQUIRED_KEYS - set(q):
        errors.append(f"{where}: missing keys {sorted(missing)}")
    slug = q.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 80:
        errors.append(f"{where}: 'slug' must be kebab-case, at most 80 characters")
    if q.get("type") not in QUESTION_TYPES:
        errors.append(f"{where}: 'type' must be one of {list(QUESTION_TYPES)}")
    if q.get("difficulty") not in DIFFICULTIES:
        errors.append(f"{where}: 'difficulty' must be one of {list(DIFFICULTIES)}")
    if q.get("status", DEFAULT_STATUS) not in STATUSES:
        errors.append(f"{where}: 'status' must be one of {list(STATUSES)}")
    category = q.get("category")
    if not isinstance(category, str) or category != category.strip().lower() or not category or len(category) > 60:
        errors.append(f"{where}: 'category' must be lower-case text of at most 60 characters")


def _check_presentation(errors: list[str], where: str, q: dict[str, Any]) -> None:
    """What candidates see: title, description, time, tags, hints and follow-ups."""
    _check_text(errors, where, q.get("title"), "title", 200)
    _check_text(errors, where, q.get("description"), "description", 20000)
    minutes = q.get("estimated_time")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 120:
        errors.append(f"{where}: 'estimated_time' must be whole minutes 1..120")
    tags = q.get("tags", [])
    category = q.get("category")
    if not isinstance(tags, list) or not all(isinstance(t, str) and TAG_RE.match(t) for t in tags):
        errors.append(f"{where}: 'tags' must be a list of kebab-case tags")
    elif isinstance(category, str) and len(category) + sum(len(t) + 1 for t in tags) + 2 > 2000:
        # The topic index ("|category|tag|...|") is a 2000-character column.
        errors.append(f"{where}: 'tags' and 'category' together must stay under 2000 characters")
    _check_text_list(errors, where, q.get("hints", []), "hints", 0)
    _check_text_list(errors, where, q.get("follow_ups", []), "follow_ups", 0)


def _check_type_specific(errors: list[str], where: str, q: dict[str, Any]) -> None:
    if q.get("type") == QuestionType.CODING:
        _check_coding(errors, where, q)
        return
    if "signatures" in q or "tests" in q:
        errors.append(f"{where}: only coding questions have 'signatures' and 'tests'")
    if "complexity" in q:
        errors.append(f"{where}: only coding questions have 'complexity'")


def validate_question(q: Any, where: str) -> list[str]:
    """Every defect of one question as 'where: problem' lines; empty when it is valid."""
    if not isinstance(q, dict):
        return [f"{where}: a question must be a mapping"]
    errors: list[str] = []
    _check_identity(errors, where, q)
    _check_presentation(errors, where, q)
    _check_rubric(errors, where, q.get("rubric"), q.get("type"))
    _check_knowledge(errors, where, q)
    _check_type_specific(errors, where, q)
    return errors


def parse_text(text: str, source: str = "<upload>") -> list[ParsedQuestion]:
    """Parse and validate a whole file; raise BankFileError listing every defect, or return all questions."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader
    except yaml.YAMLError as exc:
        raise BankFileError([f"{source}: not valid YAML: {exc}"]) from exc
    if not isinstance(data, list) or root is None:
        raise BankFileError([f"{source}: the file must be a YAML list of questions"])
    problems: list[str] = []
    parsed: list[ParsedQuestion] = []
    seen: dict[str, int] = {}
    for index, (item, node) in enumerate(zip(data, root.value, strict=True)):
        line = node.start_mark.line + 1
        slug = item.get("slug") if isinstance(item, dict) else None
        where = f"{source}:{line} question #{index + 1}" + (f" ({slug})" if isinstance(slug, str) else "")
        errors = validate_question(item, where)
        if isinstance(slug, str):
            if slug in seen:
                errors.append(f"{where}: slug '{slug}' already used at line {seen[slug]}")
            seen.setdefault(slug, line)
        problems.extend(errors)
        if not errors:
            parsed.append(ParsedQuestion(normalise(item), source, line))
    if problems:
        raise BankFileError(problems)
    return parsed


def parse_files(paths: list[Path]) -> list[ParsedQuestion]:
    """Parse many files as one bank: slugs must be unique across all of them."""
    problems: list[str] = []
    questions: list[ParsedQuestion] = []
    for path in paths:
        try:
            questions.extend(parse_text(path.read_text(encoding="utf-8"), str(path)))
        except BankFileError as exc:
            problems.extend(exc.problems)
    first: dict[str, ParsedQuestion] = {}
    for q in questions:
        slug = q.data["slug"]
        if slug in first:
            other = first[slug]
            problems.append(f"{q.source}:{q.line}: slug '{slug}' already used at {other.source}:{other.line}")
        first.setdefault(slug, q)
    if problems:
        raise BankFileError(problems)
    return questions


def dump_questions(questions: list[dict[str, Any]] | dict[str, Any]) -> str:
    """Serialise questions (or one question, as a mapping) in the bank format, block style, keys in order."""

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(questions, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str]) -> int:
    """Validate files from the shell and print counts, so authors check their work before committing."""
    try:
        questions = parse_files([Path(p) for p in argv])
    except BankFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)  # noqa: T201
        return 1
    counts: dict[str, int] = {}
    for q in questions:
        counts[q.data["type"]] = counts.get(q.data["type"], 0) + 1
    print(f"{len(questions)} valid questions: {counts}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
