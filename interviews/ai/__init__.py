"""The AI interviewer: `get_interviewer()` picks the provider from settings at call time.

`AI_PROVIDER = "anthropic"` gives Claude wrapped in `FallbackInterviewer`: any failure (no key, network,
timeout, overload, an invalid reply after its one retry) is logged and the offline provider answers
instead, recorded as provider "offline", model "<offline model> (fallback from <model>)", `fallback: true`.
An evaluation therefore always ends evaluated (docs/api.md, "Coding questions").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .anthropic_provider import AnthropicInterviewer
from .base import AnswerData, Evaluation, EvaluatorInfo, FeedbackDraft, Interviewer, QuestionData, SessionData
from .offline import OfflineInterviewer

log = logging.getLogger("cloudinterview.ai")

__all__ = ["FallbackInterviewer", "OfflineInterviewer", "get_interviewer"]


class FallbackInterviewer:
    """Claude first; the offline provider when Claude fails, so a candidate always gets an evaluation."""

    name = "anthropic"

    def __init__(self, primary_factory: Callable[[], AnthropicInterviewer], model: str,
                 fallback: OfflineInterviewer | None = None) -> None:
        # The client is built lazily inside the guarded call: a missing key is a failure to fall back from.
        self._primary_factory = primary_factory
        self.model = model
        self.fallback = fallback or OfflineInterviewer()

    def evaluate(self, question: QuestionData, answer: AnswerData, *, follow_up_allowed: bool,
                 on_delta: Callable[[str], None] | None = None) -> Evaluation:
        forwarded: list[str] = []
        tracked = None
        if on_delta is not None:
            def tracked(piece: str) -> None:
                forwarded.append(piece)
                on_delta(piece)

        try:
            return self._primary_factory().evaluate(question, answer, follow_up_allowed=follow_up_allowed,
                                                    on_delta=tracked)
        except Exception:  # noqa: BLE001 - any failure of the model call falls back, by contract
            log.warning("anthropic evaluation failed; offline fallback for %s", question.public_id, exc_info=True)
        # Text already streamed stays on screen; the stored evaluation (and answer_evaluated) is authoritative.
        evaluation = self.fallback.evaluate(question, answer, follow_up_allowed=follow_up_allowed,
                                            on_delta=None if forwarded else on_delta)
        return replace(evaluation, evaluator=self._fallback_info(evaluation.evaluator))

    def summarize(self, session: SessionData) -> FeedbackDraft:
        try:
            return self._primary_factory().summarize(session)
        except Exception:  # noqa: BLE001 - as above
            log.warning("anthropic feedback failed; offline fallback", exc_info=True)
        draft = self.fallback.summarize(session)
        return replace(draft, evaluator=self._fallback_info(draft.evaluator))

    def _fallback_info(self, info: EvaluatorInfo) -> EvaluatorInfo:
        """Offline produced the scores, so it is the provider; the model name keeps the attempted one visible."""
        return replace(info, model=f"{info.model} (fallback from {self.model})", fallback=True)


def get_interviewer() -> Interviewer:
    """The configured provider, read from settings on every call so tests and reloads take effect."""
    provider = getattr(settings, "AI_PROVIDER", "offline") or "offline"
    if provider == "offline":
        return OfflineInterviewer()
    if provider != "anthropic":
        raise ImproperlyConfigured(f"AI_PROVIDER must be 'anthropic' or 'offline', not {provider!r}")
    model = settings.ANTHROPIC_MODEL
    api_key = settings.ANTHROPIC_API_KEY

    def primary() -> AnthropicInterviewer:
        if not api_key:  # fail before any network call; the wrapper falls back to offline
            raise ImproperlyConfigured("AI_PROVIDER is 'anthropic' but ANTHROPIC_API_KEY is not set")
        return AnthropicInterviewer(api_key=api_key, model=model)

    return FallbackInterviewer(primary, model)
