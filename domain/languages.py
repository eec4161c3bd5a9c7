"""Programming languages: every one a candidate may name, and the ones the sandbox runs.

A session's language is one that runs (docs/api.md, "Languages"). Code in a runnable language is run against the
question's test cases; code submitted in any other accepted language is judged by the interviewer without running
(its answer has no test results), and profiles may list any of them. See docs/api.md, "Coding questions".
"""

from collections.abc import Iterable
from enum import StrEnum


class Language(StrEnum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    JAVA = "java"
    GO = "go"
    CPP = "cpp"
    CSHARP = "csharp"
    RUST = "rust"
    RUBY = "ruby"
    KOTLIN = "kotlin"
    SWIFT = "swift"


RUNNABLE_LANGUAGES: tuple[str, ...] = (Language.PYTHON.value, Language.JAVASCRIPT.value)


def runnable_preference(preferences: Iterable[str]) -> str:
    """The first preferred language that runs, else Python: a stored profile may name languages that do not."""
    return next((language for language in preferences if language in RUNNABLE_LANGUAGES), Language.PYTHON.value)
