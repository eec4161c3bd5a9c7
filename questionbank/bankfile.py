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

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9+#.]+(?:-[a-z0-9+#.]+)*$")
IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the bank ~10x faster

QUESTION_KEYS = {
    "slug", "type", "category", "difficulty", "title", "description", "estimated_time", "tags",
    "hints", "follow_ups", "rubric", "status", "signatures", "tests",
    "reference_answer", "misconceptions", "red_flags", "complexity",
}
# The evaluator's knowledge (bank/FORMAT.md, "What the evaluator needs to judge truth") is accepted in files
# but not yet stored: normalise() leaves it out, so a load, an export and a re-import agree.
EVALUATOR_KEYS = {"reference_answer", "misconceptions", "red_flags", "complexity"}
EVALUATOR_POINT_KEYS = {"claims", "aspect"}
REQUIRED_KEYS = {"slug", "type", "category", "difficulty", "title", "description", "estimated_time", "rubric"}
RUBRIC_POINT_KEYS = {"point", "weight", "phrases", "claims", "aspect"}
SIGNATURE_KEYS = {"function_name", "starter_code", "solution"}
TEST_KEYS = {"name", "args", "expected", "hidden", "compare", "tolerance", "edge_case"}


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


def _check_rubric(errors: list[str], where: str, rubric: Any) -> None:
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


def _check_coding(errors: list[str], where: str, q: dict[str, Any]) -> None:
    signatures = q.get("signatures")
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
    tests = q.get("tests")
    if not isinstance(tests, list) or len(tests) < 6:
        errors.append(f"{where}: coding questions need at least 6 'tests'")
        return
    names: set[str] = set()
    hidden = visible = 0
    for i, case in enumerate(tests):
        here = f"{where}: tests[{i}]"
        if not isinstance(case, dict):
            errors.append(f"{here} must be a mapping")
            continue
        if unknown := set(case) - TEST_KEYS:
            errors.append(f"{here} has unknown keys {sorted(unknown)}")
        name = case.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            errors.append(f"{here}: 'name' must be non-empty text of at most 100 characters")
        elif name in names:
            errors.append(f"{here}: duplicate test name '{name}'")
        else:
            names.add(name)
        if not isinstance(case.get("args"), list) or not _is_json_value(case.get("args")):
            errors.append(f"{here}: 'args' must be a list of JSON values (positional arguments)")
        if "expected" not in case or not _is_json_value(case.get("expected")):
            errors.append(f"{here}: 'expected' must be a JSON value")
        if not isinstance(case.get("hidden", False), bool):
            errors.append(f"{here}: 'hidden' must be true or false")
        compare = case.get("compare", "exact")
        if compare not in COMPARE_MODES:
            errors.append(f"{here}: 'compare' must be one of {list(COMPARE_MODES)}")
        tolerance = case.get("tolerance")
        if tolerance is not None and (not isinstance(tolerance, (int, float)) or tolerance < 0):
            errors.append(f"{here}: 'tolerance' must be a non-negative number")
        if compare == "unordered" and not isinstance(case.get("expected"), list):
            errors.append(f"{here}: 'unordered' compares lists; 'expected' is not a list")
        if case.get("hidden", False):
            hidden += 1
        else:
            visible += 1
    if hidden < 2:
        errors.append(f"{where}: at least 2 tests must be hidden")
    if visible < 1:
        errors.append(f"{where}: at least 1 test must be visible (shown as an example)")


def normalise(q: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults so every consumer sees every key."""
    out = {key: value for key, value in q.items() if key not in EVALUATOR_KEYS}
    out.setdefault("status", "published")
    out.setdefault("tags", [])
    out.setdefault("hints", [])
    out.setdefault("follow_ups", [])
    out["rubric"] = [{"weight": 1, **{k: v for k, v in p.items() if k not in EVALUATOR_POINT_KEYS}}
                     for p in q["rubric"]]
    if q["type"] == QuestionType.CODING:
        out["tests"] = [
            {"hidden": False, "compare": "exact", "tolerance": None, **{k: v for k, v in t.items() if k != "edge_case"}}
            for t in q["tests"]
        ]
    else:
        out["signatures"] = {}
        out["tests"] = []
    return out


def validate_question(q: Any, where: str) -> list[str]:
    """Every defect of one question as 'where: problem' lines; empty when it is valid."""
    if not isinstance(q, dict):
        return [f"{where}: a question must be a mapping"]
    errors: list[str] = []
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
    if q.get("status", "published") not in STATUSES:
        errors.append(f"{where}: 'status' must be one of {list(STATUSES)}")
    category = q.get("category")
    if not isinstance(category, str) or category != category.strip().lower() or not category or len(category) > 60:
        errors.append(f"{where}: 'category' must be lower-case text of at most 60 characters")
    _check_text(errors, where, q.get("title"), "title", 200)
    _check_text(errors, where, q.get("description"), "description", 20000)
    minutes = q.get("estimated_time")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 120:
        errors.append(f"{where}: 'estimated_time' must be whole minutes 1..120")
    tags = q.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and TAG_RE.match(t) for t in tags):
        errors.append(f"{where}: 'tags' must be a list of kebab-case tags")
    elif isinstance(category, str) and len(category) + sum(len(t) + 1 for t in tags) + 2 > 2000:
        # The topic index ("|category|tag|...|") is a 2000-character column.
        errors.append(f"{where}: 'tags' and 'category' together must stay under 2000 characters")
    _check_text_list(errors, where, q.get("hints", []), "hints", 0)
    _check_text_list(errors, where, q.get("follow_ups", []), "follow_ups", 0)
    _check_rubric(errors, where, q.get("rubric"))
    if q.get("type") == QuestionType.CODING:
        _check_coding(errors, where, q)
    elif "signatures" in q or "tests" in q:
        errors.append(f"{where}: only coding questions have 'signatures' and 'tests'")
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


def dump_questions(questions: list[dict[str, Any]]) -> str:
    """Serialise questions in the bank format, block style, keys in a readable order."""

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
