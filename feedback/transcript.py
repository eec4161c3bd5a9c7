"""The session transcript as a PDF (reportlab): every prompt, answer, code, score, test result and the report.

Rendered on request from rows already read (session_report_related's shape), outside any transaction. Text
written in Markdown (questions, the interviewer's replies and report) prints formatted (feedback.pdf_markdown);
the candidate's answers print as typed; dates print as people read them.
"""

import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Preformatted, SimpleDocTemplate, Spacer, Table, TableStyle

from domain.scoring import DIMENSIONS
from interviews.models import Answer, InterviewSession, SessionQuestion

from .models import FeedbackStatus
from .pdf_markdown import markdown_blocks
from .presentation import ranking

CODE_LINE_CHARS = 92
# Control characters other than tab and newline are not valid in the XML reportlab parses paragraphs from.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path(reportlab.__file__).parent / "fonts")
_FONT_FILES = {"regular": ("DejaVuSans.ttf", "Vera.ttf"), "bold": ("DejaVuSans-Bold.ttf", "VeraBd.ttf"),
               "mono": ("DejaVuSansMono.ttf",)}
_BUILTIN = {"regular": "Helvetica", "bold": "Helvetica-Bold", "mono": "Courier"}


@cache
def _fonts() -> dict[str, str]:
    """Unicode TrueType fonts where installed (DejaVu; reportlab's own Vera otherwise), so answers in any
    Latin, Greek or Cyrillic script print as written; the PDF base-14 fonts as the last resort."""
    names = {}
    for role, files in _FONT_FILES.items():
        path = next((d / f for f in files for d in _FONT_DIRS if (d / f).is_file()), None)
        if path is None:
            names[role] = _BUILTIN[role]
            continue
        name = f"CI-{role}"
        pdfmetrics.registerFont(TTFont(name, str(path)))
        names[role] = name
    return names


@cache
def _styles() -> dict[str, ParagraphStyle]:
    fonts = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("ci-body", parent=base["BodyText"], fontName=fonts["regular"], fontSize=9.5, leading=13)
    return {
        "title": ParagraphStyle("ci-title", parent=base["Title"], fontName=fonts["bold"], fontSize=18),
        "h2": ParagraphStyle("ci-h2", parent=base["Heading2"], fontName=fonts["bold"], fontSize=13, spaceBefore=10),
        "h3": ParagraphStyle("ci-h3", parent=base["Heading3"], fontName=fonts["bold"], fontSize=10.5,
                             spaceBefore=6, spaceAfter=2),
        "body": body,
        "muted": ParagraphStyle("ci-muted", parent=body, textColor=colors.HexColor("#555555")),
        "h4": ParagraphStyle("ci-h4", parent=body, fontName=fonts["bold"]),
        "code": ParagraphStyle("ci-code", parent=body, fontName=fonts["mono"], fontSize=8, leading=10,
                               backColor=colors.HexColor("#f4f4f4"), borderPadding=3, leftIndent=3),
    }


def _clean(text: str | None) -> str:
    return _CONTROL.sub("", text or "")


def _para(text: str | None, style: str = "body") -> Paragraph:
    """Plain text as a paragraph: escaped (answers are not markup) with its line breaks kept."""
    return Paragraph(escape(_clean(text)).replace("\n", "<br/>"), _styles()[style])


def _markdown(text: str | None, style: str = "body") -> list[Flowable]:
    """Markdown as formatted paragraphs, bullets and code blocks (never its raw `**` and backticks)."""
    styles = _styles()
    flow: list[Flowable] = []
    for kind, markup, depth in markdown_blocks(_clean(text), mono=_fonts()["mono"]):
        if kind == "pre":
            flow.append(_code(markup))
        elif kind == "li":
            flow.append(Paragraph(markup, ParagraphStyle(f"ci-li-{depth}", parent=styles[style],
                                                         leftIndent=10 * depth)))
        else:
            flow.append(Paragraph(markup, styles["h4" if kind == "h" else "muted" if kind == "quote" else style]))
    return flow


def _when(moment: datetime | None) -> str | None:
    """'5 Dec 2026, 14:05 UTC': a date as a reader says it, in UTC (the times of the API)."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def _labelled(label: str, value: Any, style: str = "body") -> Paragraph:
    shown = "—" if value is None or value == "" else value
    bold = _fonts()["bold"]
    return Paragraph(f'<font name="{bold}">{escape(label)}:</font> {escape(_clean(str(shown)))}', _styles()[style])


def _code(code: str) -> Preformatted:
    return Preformatted(_clean(code).expandtabs(4), _styles()["code"], maxLineLength=CODE_LINE_CHARS,
                        newLineChars="")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 1):g}"


def _scores_line(scores: dict[str, Any] | None) -> str:
    if not scores:
        return "not scored"
    return ", ".join(f"{name} {_number(scores.get(name))}" for name in DIMENSIONS)


def _test_results(results: dict[str, Any]) -> list[Flowable]:
    flow: list[Flowable] = [_labelled("Tests", f"{results.get('passed', 0)} of {results.get('total', 0)} passed, "
                                               f"verdict {results.get('verdict', '—')}")]
    cases = results.get("cases") or []
    if cases:
        rows = [["Case", "Status", "Time (ms)"]] + [
            [_clean(str(c.get("name", ""))), str(c.get("status", "")), _number(c.get("timeMs"))] for c in cases]
        table = Table(rows, colWidths=[90 * mm, 35 * mm, 30 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), _fonts()["regular"]), ("FONTNAME", (0, 0), (-1, 0), _fonts()["bold"]),
            ("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]))
        flow.append(table)
    return flow


def _answer(answer: Answer) -> list[Flowable]:
    flow: list[Flowable] = []
    if answer.is_follow_up:
        flow += [Paragraph("Follow-up question", _styles()["h3"]), *_markdown(answer.prompt),
                 Paragraph("Follow-up answer", _styles()["h3"])]
    else:
        flow.append(Paragraph("Answer", _styles()["h3"]))
    if answer.text:
        flow.append(_para(answer.text))
    if answer.code:
        flow += [_labelled("Code", answer.language or "—"), _code(answer.code)]
    if answer.approach and answer.approach.strip() != answer.text.strip():  # an explanation sent as both, once
        flow.append(_labelled("Approach", answer.approach))
    flow.append(_labelled("Time taken", f"{answer.response_time} s" if answer.response_time is not None else None))
    flow.append(_labelled("Status", answer.status))
    flow.append(_labelled("Scores", _scores_line(answer.scores)))
    if answer.test_results:
        flow += _test_results(answer.test_results)
    response = getattr(answer, "response", None)
    if response is not None:
        flow += [Paragraph("Interviewer", _styles()["h3"]), *_markdown(response.content, "muted")]
    return flow


def _question(slot: SessionQuestion) -> list[Flowable]:
    question = slot.question
    flow: list[Flowable] = [
        Paragraph(escape(f"Question {slot.position}: {question.title}"), _styles()["h2"]),
        _para(f"{question.type} · {question.category} · {question.difficulty} · {slot.status}", "muted"),
        Paragraph("Prompt", _styles()["h3"]), *_markdown(question.description),
    ]
    answers = list(slot.answers.all())
    if not answers:
        flow.append(_para("Not answered.", "muted"))
    for answer in answers:
        flow += _answer(answer)
    if slot.score is not None:
        dimensions = {"completeness": slot.completeness, "correctness": slot.correctness,
                      "communication": slot.communication}
        flow.append(_labelled("Question score", f"{_number(slot.score)} ({_scores_line(dimensions)})"))
    return flow


def _items(items: Iterable[str]) -> list[Flowable]:
    """A bulleted list of the report's items (Markdown each, on one line)."""
    return _markdown("\n".join(f"- {' '.join(item.split())}" for item in items))


def _bullets(title: str, items: Iterable[str]) -> list[Flowable]:
    items = list(items)
    if not items:
        return []
    return [Paragraph(escape(title), _styles()["h3"]), *_items(items)]


def _feedback(session: InterviewSession) -> list[Flowable]:
    feedback = getattr(session, "feedback", None)
    flow: list[Flowable] = [Paragraph("Feedback", _styles()["h2"])]
    if feedback is None or feedback.status != FeedbackStatus.READY:
        return [*flow, _para("The feedback report is not available yet.", "muted")]
    flow += [*_markdown(feedback.summary), _labelled("Overall score", _number(feedback.overall_score))]
    rank = ranking(percentile=feedback.percentile_rank, benchmark=feedback.benchmark)
    if rank and rank["ranked"]:
        flow.append(_labelled("Ranking", f"{rank['percentile']} percentile; {rank['role']} average "
                                         f"{rank['average']}, top quartile {rank['top_quartile']}, you are "
                                         f"{rank['difference']} vs average"))
    elif rank:
        flow.append(_labelled("Ranking", rank["text"]))
    for skill in (feedback.technical_skills, feedback.communication):
        if skill:
            flow += [Paragraph(escape(skill.get("skill", "Skill")), _styles()["h3"]),
                     _para(f"Score {_number(skill.get('score'))}, {skill.get('level')}, confidence "
                           f"{skill.get('confidence')}, trajectory {skill.get('growthTrajectory')}"),
                     *_items(skill.get("evidence") or [])]
    flow += _bullets("Strengths", feedback.strengths)
    flow += _bullets("Improvement areas", feedback.improvement_areas)
    flow += _bullets("Recommendations", feedback.recommendations)
    flow.append(_labelled("Generated", _when(feedback.generated_at), "muted"))
    return flow


def transcript_pdf(session: InterviewSession) -> bytes:
    """The whole session as PDF bytes (expects session_report_related's joins: no query per question)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title=f"Interview transcript {session.public_id}",
                                 author="CloudInterview", subject=session.job_type)
    flow: list[Flowable] = [
        Paragraph("Interview transcript", _styles()["title"]),
        _labelled("Role", session.job_type),
        _labelled("Interview", f"{session.mode}, {session.difficulty}, {session.language}"),
        _labelled("Status", session.status),
        _labelled("Created", _when(session.created_at)),
        _labelled("Completed", _when(session.completed_at)),
        _labelled("Duration", f"{session.actual_duration} min" if session.actual_duration is not None else None),
        _labelled("Overall score", _number(session.overall_score)),
        _labelled("Questions solved", None if session.accuracy is None else f"{_number(session.accuracy)}%"),
        _labelled("Communication", _number(session.communication_score)),
        _labelled("Problem solving", _number(session.problem_solving_score)),
        Spacer(1, 4 * mm),
    ]
    for slot in session.plan.all():
        flow += _question(slot)
    flow += _feedback(session)
    document.build(flow)
    return buffer.getvalue()
