"""Code judged by what it does: test cases weighed by importance, and the code itself when it could not run.

A typical case is what the problem is about; an edge case is a boundary (FORMAT.md, "Edge cases"). Code
that passes every typical case works and loses a little per missed edge case; code that fails a typical
case is the wrong algorithm, however many edge cases it passes, and scores low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..base import QuestionData
from .text import content_of

ALL_TYPICAL = 0.75  # every typical case passes: the rest of the score is the edge cases
WRONG_ALGORITHM = 0.4  # the most a solution failing a typical case can get


@dataclass(frozen=True)
class Run:
    """The sandbox's verdict on the candidate's code, weighed."""

    score: float  # 0..1
    typical: tuple[int, int]  # (passed, total)
    edge: tuple[int, int]
    verdict: str | None
    failing_example: dict[str, Any] | None  # the first failing visible case (input, expected, actual), if any


def weigh_run(question: QuestionData, results: dict[str, Any]) -> Run:
    """Weigh the cases of a run: all typical cases passing matters most."""
    edge_names = {c.name for c in question.cases if c.edge_case}
    cases = results.get("cases") or []
    typical = [c.get("status") == "passed" for c in cases if c.get("name") not in edge_names]
    edge = [c.get("status") == "passed" for c in cases if c.get("name") in edge_names]
    if not cases:  # a result without cases: its counts are all there is
        total = results.get("total") or 0
        typical = [True] * (results.get("passed") or 0) + [False] * (total - (results.get("passed") or 0))
    t_pass, t_total, e_pass, e_total = sum(typical), len(typical), sum(edge), len(edge)
    t_share = t_pass / t_total if t_total else 0.0
    e_share = e_pass / e_total if e_total else 1.0
    if t_total and t_pass == t_total:
        score = ALL_TYPICAL + (1 - ALL_TYPICAL) * e_share
    else:
        score = WRONG_ALGORITHM * t_share ** 2 * (0.5 + 0.5 * e_share)
    failing = next((c for c in cases if c.get("status") != "passed" and not c.get("hidden") and "input" in c), None)
    return Run(score, (t_pass, t_total), (e_pass, e_total), results.get("verdict"), failing)


def code_substance(code: str | None) -> float:
    """How much real code there is, for code that was not run: lines, a return, control flow, no stub."""
    if not code or not code.strip():
        return 0.0
    lines = [ln for ln in code.splitlines() if ln.strip() and not ln.strip().startswith(("#", "//"))]
    body = "\n".join(lines)
    signals = (len(lines) >= 4, bool(re.search(r"\breturn\b", body)),
               bool(re.search(r"\b(for|while|if|match|switch)\b", body)),
               not re.search(r"^\s*(pass|\.\.\.)\s*$", body, re.M))
    return sum(signals) / len(signals)


def complexity_stated(question: QuestionData, seqs: list[tuple[str, ...]]) -> float:
    """1 when the explanation states the optimal time bound, 0.4 for another bound, 0 for none."""
    stated = {s for seq in seqs for s in seq if s.startswith("cx_")}
    if not stated:
        return 0.0
    optimal = {s for s in content_of(question.complexity[0]) if s.startswith("cx_")}
    return 1.0 if not optimal or stated & optimal else 0.4
