"""The offline evaluator keeps its agreement with the strict human grades of the held-out half.

The held-out half of interviews/ai/evalset was never used for tuning; docs/benchmarks.md records the figures
this guards (rho 0.80, pairwise 0.86, gaming 8, excellent 82 when it was measured), with a small margin.
"""

from pathlib import Path

import pytest

from interviews.ai import OfflineInterviewer
from interviews.services.answer_sets import GAMING_KINDS, agreement, answer_set_read, answer_set_score

pytestmark = pytest.mark.django_db

HELD_OUT = sorted((Path(__file__).resolve().parents[2] / "interviews" / "ai" / "evalset" / "heldout").glob("*.jsonl"))


def test_held_out_agreement_stays_where_it_was_measured():
    scored = answer_set_score(answers=answer_set_read(paths=HELD_OUT), interviewer=OfflineInterviewer())

    figures = agreement(scored)
    gaming = [s.score for s in scored if s.item.kind in GAMING_KINDS]
    excellent = [s.score for s in scored if s.item.kind == "excellent"]
    assert figures.n >= 150
    assert figures.rho >= 0.77
    assert figures.pairwise >= 0.83
    assert sum(gaming) / len(gaming) <= 25
    assert sum(excellent) / len(excellent) >= 78
