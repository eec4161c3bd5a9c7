"""The AI interviewer's interface: plain data in, plain data out, no models and no database.

The engine converts its rows into these dataclasses, asks an `Interviewer`, and stores what comes
back. Session scores are never asked of a provider: the engine computes them from answer scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from domain.scoring import DIMENSIONS

__all__ = ["DIMENSIONS", "AnswerData", "AnsweredQuestion", "Evaluation", "EvaluatorInfo", "FeedbackDraft",
           "Interviewer", "QuestionData", "RubricItem", "SessionData"]

Sentiment = Literal["positive", "neutral", "negative"]


@dataclass(frozen=True)
class RubricItem:
    point: str
    weight: int
    phrases: tuple[str, ...]
    claims: tuple[str, ...] = ()  # the point stated as facts, matched by meaning and word order
    aspect: str = ""  # coding: approach | complexity | edge_cases; behavioral: situation | action | result | reflection


@dataclass(frozen=True)
class Misconception:
    claim: str  # the confident wrong claim
    correction: str  # the same sentence made right
    point: int | None = None  # 1-based rubric point it contradicts


@dataclass(frozen=True)
class RedFlag:
    claim: str
    why: str


@dataclass(frozen=True)
class CaseInfo:
    """A coding test case as the evaluator weighs it: never its hidden input or expected value."""

    name: str
    hidden: bool = False
    edge_case: bool = False


@dataclass(frozen=True)
class QuestionData:
    public_id: str
    type: str  # coding | theory | behavioral | system_design
    category: str
    difficulty: str
    title: str
    description: str
    rubric: tuple[RubricItem, ...]
    rubric_version: int
    follow_ups: tuple[str, ...] = ()
    # The evaluator's knowledge (questionbank/bank/FORMAT.md, "What the evaluator needs to judge truth").
    reference_answer: str = ""
    misconceptions: tuple[Misconception, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    complexity: tuple[str, str] = ("", "")  # coding: optimal (time, space) bounds
    cases: tuple[CaseInfo, ...] = ()

    @classmethod
    def from_bank(cls, data: dict[str, Any], *, public_id: str | None = None, rubric_version: int = 1) -> QuestionData:
        """A question straight from a validated, normalised bank entry (benchmarks and tests read files)."""
        complexity = data.get("complexity") or {}
        return cls(
            public_id=public_id or f"q_{data['slug']}", type=data["type"], category=data["category"],
            difficulty=data["difficulty"], title=data["title"], description=data["description"],
            rubric=tuple(RubricItem(p["point"], p["weight"], tuple(p["phrases"]), tuple(p.get("claims") or ()),
                                    p.get("aspect") or "") for p in data["rubric"]),
            rubric_version=rubric_version, follow_ups=tuple(data.get("follow_ups") or ()),
            reference_answer=data.get("reference_answer") or "",
            misconceptions=tuple(Misconception(m["claim"], m["correction"], m.get("point"))
                                 for m in data.get("misconceptions") or ()),
            red_flags=tuple(RedFlag(f["claim"], f["why"]) for f in data.get("red_flags") or ()),
            complexity=(complexity.get("time") or "", complexity.get("space") or ""),
            cases=tuple(CaseInfo(t["name"], bool(t.get("hidden")), bool(t.get("edge_case")))
                        for t in data.get("tests") or ()),
        )


@dataclass(frozen=True)
class AnswerData:
    text: str
    code: str | None = None
    language: str | None = None
    approach: str | None = None
    response_time: int | None = None  # seconds
    is_follow_up: bool = False
    follow_up_prompt: str | None = None  # the follow-up question this answer replies to
    # docs/api.md, "Coding questions": {"passed", "total", "verdict", "cases": [...]}; None when code was not run.
    test_results: dict[str, Any] | None = None


@dataclass(frozen=True)
class EvaluatorInfo:
    provider: str  # offline | anthropic
    model: str
    rubric_version: int
    prompt_hash: str
    fallback: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "rubricVersion": self.rubric_version,
                "promptHash": self.prompt_hash, "fallback": self.fallback}


@dataclass(frozen=True)
class Evaluation:
    """One answer's evaluation. Scores are integers 0..100 on each of DIMENSIONS."""

    scores: dict[str, int]
    feedback: str
    sentiment: Sentiment
    follow_up_question: str | None
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    evaluator: EvaluatorInfo


@dataclass(frozen=True)
class AnsweredQuestion:
    """A planned question with what the candidate did on it, for the session's feedback."""

    question: QuestionData
    answers: tuple[AnswerData, ...]
    scores: dict[str, float]  # the question's scores per dimension, already computed by the engine
    skipped: bool


@dataclass(frozen=True)
class SessionData:
    mode: str
    job_type: str
    difficulty: str
    feedback_style: str  # detailed | actionable | concise | encouraging
    questions: tuple[AnsweredQuestion, ...]
    overall_score: float
    communication_score: float
    problem_solving_score: float


@dataclass(frozen=True)
class FeedbackDraft:
    summary: str
    strengths: tuple[str, ...]
    improvement_areas: tuple[str, ...]
    recommendations: tuple[str, ...]
    technical_evidence: tuple[str, ...]  # short quotes or facts from the candidate's own answers
    communication_evidence: tuple[str, ...]
    evaluator: EvaluatorInfo = field(default_factory=lambda: EvaluatorInfo("offline", "claims-v2", 0, ""))


class Interviewer(Protocol):
    """What every provider offers. `on_delta` receives pieces of the feedback text as they are written."""

    name: str

    def evaluate(self, question: QuestionData, answer: AnswerData, *, follow_up_allowed: bool,
                 on_delta: Callable[[str], None] | None = None) -> Evaluation: ...

    def summarize(self, session: SessionData) -> FeedbackDraft: ...
