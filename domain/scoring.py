"""How answers are scored and when a question counts as solved (docs/api.md, "Scores").

Every answer is scored 0..100 on each dimension. A question is solved, and counts towards a session's
accuracy, when its correctness reaches SOLVED_CORRECTNESS; code that was run is solved only when every test
passed (verdict accepted), whatever the interviewer's correctness score.
"""

from collections.abc import Mapping
from typing import Any

from .verdicts import Verdict

DIMENSIONS: tuple[str, ...] = ("completeness", "correctness", "communication")
SOLVED_CORRECTNESS = 70


def is_solved(*, test_results: Mapping[str, Any] | None, scores: Mapping[str, Any] | None) -> bool:
    """An evaluated main answer solved its question: verdict accepted, or correctness >= 70 where code was not run."""
    if test_results is not None:
        return test_results.get("verdict") == Verdict.ACCEPTED
    return (scores or {}).get("correctness", 0) >= SOLVED_CORRECTNESS
