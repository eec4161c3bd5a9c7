"""What a sandboxed run ends with: one verdict for the run, one status per test case (docs/api.md,
"Coding questions")."""

from enum import StrEnum


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    TIME_LIMIT_EXCEEDED = "time_limit_exceeded"
    MEMORY_LIMIT_EXCEEDED = "memory_limit_exceeded"
    OUTPUT_LIMIT_EXCEEDED = "output_limit_exceeded"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    INTERNAL_ERROR = "internal_error"  # the sandbox failed, not the candidate's code


class CaseStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"


VERDICTS: tuple[str, ...] = tuple(Verdict)
CASE_STATUSES: tuple[str, ...] = tuple(CaseStatus)
