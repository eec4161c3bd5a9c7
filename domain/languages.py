"""Programming languages: every one a candidate may answer in, and the ones the sandbox runs.

Code in a runnable language is run against the question's test cases; code in any other accepted language is
judged by the interviewer without running (its answer has no test results). See docs/api.md, "Coding questions".
"""

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
