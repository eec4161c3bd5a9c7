"""The live interview socket with every action: the interview's own, and `complete`, which closes the session
and opens its report in one transaction (feedback.services.session_complete). It is assembled here, downstream of
both apps, so that interviews never imports feedback (docs/architecture.md)."""

from collections.abc import Mapping
from typing import ClassVar

from interviews.consumers import Action, InterviewConsumer

from . import live


class LiveInterviewConsumer(InterviewConsumer):
    doors: ClassVar[Mapping[str, Action]] = {**InterviewConsumer.doors, "complete": live.complete}
