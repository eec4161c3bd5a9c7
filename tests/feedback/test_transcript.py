"""The transcript PDF as a reader sees it (issue 14, item 13): Markdown printed formatted, not as marks;
dates as people write them; each answer once."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from feedback.selectors import session_report_for_user
from feedback.services import feedback_generate, feedback_open
from feedback.transcript import transcript_pdf
from interviews.models import Answer, InterviewerResponse, InterviewSession
from tests.feedback.helpers import completed_session

pytestmark = pytest.mark.django_db

DESCRIPTION = ("Every value in `nums` appears exactly **twice**, except *one*.\n**Constraints**\n"
               "- `1 <= len(nums)`\n- the answer is unique\n\n```python\ndef lonely(nums):\n    pass\n```\n")
EXPLANATION = "I XOR every value, so pairs cancel and the lonely value remains."


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts.update(str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values())
    return fonts


@pytest.fixture
def transcript(user) -> tuple[str, bytes]:
    session = completed_session(user, [80.0], answer_texts=[EXPLANATION])
    slot = session.plan.get()
    slot.question.description = DESCRIPTION
    slot.question.save(update_fields=["description"])
    # An explanation sent both as the answer and as the approach (the room once did; API clients may).
    Answer.objects.filter(session=session).update(code="def lonely(nums):\n    return 0\n", language="python",
                                                  approach=EXPLANATION)
    InterviewerResponse.objects.filter(answer__session=session).update(content="Good: `xor` is **O(1)** space.")
    InterviewSession.objects.filter(pk=session.pk).update(completed_at=datetime(2026, 12, 5, 14, 5, tzinfo=UTC))
    feedback_generate(feedback_id=feedback_open(session=session).public_id)
    content = transcript_pdf(session_report_for_user(user=user, session_id=session.public_id))
    return pdf_text(content), content


def test_markdown_prints_formatted_without_its_marks(transcript):
    text, content = transcript

    assert "**" not in text
    assert "`" not in text
    assert "appears exactly twice, except one" in " ".join(text.split())
    assert "Good: xor is O(1) space." in " ".join(text.split())
    assert any("Bold" in font for font in pdf_fonts(content))


def test_dates_are_written_for_people(transcript):
    text, _ = transcript

    assert "Completed: 5 Dec 2026, 14:05 UTC" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)


def test_each_answer_is_printed_once(transcript):
    text, _ = transcript

    assert " ".join(text.split()).count(EXPLANATION) == 1


def test_a_single_session_is_not_given_a_percentile(transcript):
    text, _ = transcript

    assert "Percentile" not in text
    assert "Not enough sessions yet to rank this one" in " ".join(text.split())
