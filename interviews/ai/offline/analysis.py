"""One answer analysed in named steps: compile the question's knowledge, read the answer, judge its claims,
read the story (behavioral) or weigh the run (coding). Scores and feedback are computed from the result."""

from __future__ import annotations

from dataclasses import dataclass

from ..base import AnswerData, QuestionData
from .behavioral import Story, read_story
from .coding import Run, weigh_run
from .knowledge import Knowledge, compile_question
from .matching import Judgement, judge
from .reading import Reading, read

COVERED = 0.5  # a point supported this well counts as covered in the feedback and the stored lists


@dataclass(frozen=True)
class Analysis:
    knowledge: Knowledge
    reading: Reading
    judgement: Judgement
    story: Story | None
    run: Run | None

    @property
    def covered(self) -> tuple[bool, ...]:
        return tuple(s >= COVERED for s in self.judgement.support)

    def share(self, squared: bool = False, only: list[int] | None = None) -> float:
        """Weighted support of the (selected) rubric points; squaring favours the heavier points."""
        indexes = range(len(self.knowledge.points)) if only is None else only
        total = got = 0.0
        for i in indexes:
            weight = self.knowledge.points[i].item.weight ** (2 if squared else 1)
            total += weight
            got += weight * self.judgement.support[i]
        return got / total if total else 0.0

    def aspect_support(self, aspect: str) -> float | None:
        """The best support among the points of one aspect; None when no point has it."""
        values = [s for p, s in zip(self.knowledge.points, self.judgement.support, strict=True)
                  if p.item.aspect == aspect]
        return max(values) if values else None


def analyse(question: QuestionData, answer: AnswerData) -> Analysis:
    knowledge = compile_question(question)
    reading = read(answer, knowledge)
    judgement = judge(reading, knowledge)
    story = read_story(reading) if question.type == "behavioral" and not answer.is_follow_up else None
    results = answer.test_results
    run = weigh_run(question, results) if question.type == "coding" and results and results.get("total") else None
    return Analysis(knowledge, reading, judgement, story, run)
