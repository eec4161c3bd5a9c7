"""The offline interviewer: deterministic, no network, judging what an answer claims against what the
question's knowledge says is true (questionbank/bank/FORMAT.md, "What the evaluator needs to judge truth").

It is the default provider and the fallback for the Anthropic one, so it has to be a real grader. One
answer goes through named steps (`analysis.analyse`): the question's knowledge compiled once
(`knowledge`), the answer read into sentences (`reading`: its explanation once, typos repaired, echoes of
the prompt and text addressed to the grader set apart), its claims judged against the rubric's claims and
misconceptions by word order, negation and meaning (`matching`), a behavioral story's substance
(`behavioral`) or code's weighed test run (`coding`); then scores (`scoring`), feedback and the follow-up
(`feedback`). docs/evaluation.md has how well it agrees with a strict human grader.
"""

from __future__ import annotations

from collections.abc import Callable

from ..base import AnswerData, Evaluation, EvaluatorInfo, FeedbackDraft, QuestionData, SessionData
from .analysis import analyse
from .feedback import answer_payload, feedback, follow_up, prompt_hash, sentiment
from .scoring import scores
from .summary import session_draft
from .text import normalise

PROVIDER = "offline"
MODEL = "claims-v2"

__all__ = ["MODEL", "PROVIDER", "OfflineInterviewer", "normalise", "prompt_hash"]


class OfflineInterviewer:
    """Deterministic claim-based interviewer: same input, same output, no network."""

    name = PROVIDER

    def evaluate(self, question: QuestionData, answer: AnswerData, *, follow_up_allowed: bool,
                 on_delta: Callable[[str], None] | None = None) -> Evaluation:
        """Score one answer; `on_delta` gets the whole feedback at once, as nothing is streamed."""
        analysis = analyse(question, answer)
        dimensions = scores(question, answer, analysis)
        reply = feedback(question, answer, analysis, dimensions)
        if on_delta is not None:
            on_delta(reply)
        asked = follow_up(question, analysis) if follow_up_allowed and not answer.is_follow_up else None
        pairs = list(zip(analysis.knowledge.points, analysis.covered, strict=True))
        return Evaluation(
            scores=dimensions, feedback=reply, sentiment=sentiment(dimensions), follow_up_question=asked,
            covered=tuple(p.item.point for p, hit in pairs if hit),
            missed=tuple(p.item.point for p, hit in pairs if not hit),
            evaluator=EvaluatorInfo(PROVIDER, MODEL, question.rubric_version,
                                    prompt_hash(answer_payload(MODEL, question, answer))),
        )

    def summarize(self, session: SessionData) -> FeedbackDraft:
        """The session's feedback from its per-question scores and the candidate's own words."""
        return session_draft(session, provider=PROVIDER, model=MODEL)
