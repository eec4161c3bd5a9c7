"""The report as it is read: every number the report page, the share page and the transcript show, computed
and rounded here once, so one page never shows one score two ways (issue 14: "weakest (64)" beside 65).

Scores are stored unrounded (docs/api.md, "Scores") and shown as whole numbers rounded with Python's `round`
(half to even), the rounding the interviewer's written summary uses for the same values
(interviews/ai/offline/summary.py), so the words and the figures agree. Templates only format what comes out.
"""

from typing import Any

from domain.scoring import DIMENSIONS
from interviews.models import InterviewSession

from .selectors import report_context

# A percentile among a handful of sessions says nothing (after one session it is always the 50th).
RANK_MINIMUM = 10
BANDS = ((80, "high"), (50, "mid"))
DIMENSION_LABELS = {"completeness": "Completeness", "correctness": "Correctness", "communication": "Communication"}


def shown(value: float | None) -> int | None:
    """A score as a page shows it: a whole number (the one rounding of the report)."""
    return None if value is None else round(value)


def band(value: float | None) -> str:
    """Colour band of a shown score (80+ high, 50+ mid, below low), so colour always means the same thing."""
    if value is None:
        return "none"
    return next((name for threshold, name in BANDS if value >= threshold), "low")


def ordinal(number: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _score(label: str, value: float | None) -> dict[str, Any]:
    number = shown(value)
    return {"label": label, "value": number, "band": band(number)}


def ranking(*, percentile: float | None, benchmark: dict[str, Any] | None) -> dict[str, Any] | None:
    """Where the session stands among others, or why it is not ranked yet; None when nothing is known."""
    benchmark = benchmark or {}
    size = benchmark.get("sampleSize") or 0
    if percentile is None and not size:
        return None
    if size < RANK_MINIMUM:
        sessions = f"{size} completed session{'' if size == 1 else 's'}"
        return {"ranked": False,
                "text": f"Not enough sessions yet to rank this one: {sessions} so far, ranking starts at "
                        f"{RANK_MINIMUM}."}
    difference = shown(benchmark.get("difference"))
    return {"ranked": True, "percentile": ordinal(shown(percentile)), "role": benchmark.get("role"),
            "average": shown(benchmark.get("categoryAverage")), "top_quartile": shown(benchmark.get("topQuartile")),
            "difference": f"{difference:+d}" if difference else "±0", "sample_size": size}


def _dimensions(questions: list[dict[str, Any]], planned: int) -> list[dict[str, Any]]:
    """Mean per dimension over every planned question (unanswered ones count 0), at the stored session scores'
    precision (interviews/services/scoring.py), so Communication here is the session's communication score."""
    scored = [q for q in questions if q["score"] is not None]
    if not scored:
        return []
    return [_score(DIMENSION_LABELS[d], round(sum(q["scores"][d] or 0 for q in scored) / planned, 1))
            for d in DIMENSIONS]


def _questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**q, "shown": shown(q["score"]), "band": band(shown(q["score"])),
             "dimensions": [_score(DIMENSION_LABELS[d], q["scores"][d]) for d in DIMENSIONS
                            if q["scores"][d] is not None]}
            for q in questions]


def _skills(report: dict[str, Any], *, public: bool) -> list[dict[str, Any]]:
    """The skill cards; the evidence (quotes from the answers) only for the owner."""
    return [{"skill": s.get("skill"), **_score(s.get("skill", ""), s.get("score")), "level": s.get("level"),
             "trend": s.get("growthTrajectory"), "confidence": shown(100 * (s.get("confidence") or 0)),
             "evidence": [] if public else list(s.get("evidence") or [])}
            for s in report["skills"]]


def _improvements(report: dict[str, Any], skills: list[dict[str, Any]],
                  questions: list[dict[str, Any]]) -> list[str]:
    """The interviewer's areas to improve; when it named none, the low scores on the page, so a red score is
    never shown beside "none noted"."""
    if report["improvement_areas"]:
        return list(report["improvement_areas"])
    low = [f"{s['label']} ({s['value']})" for s in skills if s["band"] == "low"]
    low += [f"Q{q['position']} {q['title']} ({q['shown']})" for q in questions if q["band"] == "low"]
    return low


def report_present(context: dict[str, Any], *, public: bool) -> dict[str, Any]:
    """feedback.selectors.report_context's data with the numbers as shown: `overall`, `headline` (problem
    solving, communication), `solved` (% of questions solved), `dimensions`, `questions` (each with `shown`,
    `band` and `dimensions`), and when the feedback is ready `skills`, `improvements` and `ranking`.
    `public` (the share page) leaves out the evidence, which quotes the candidate's answers."""
    session = context["session"]
    questions = _questions(context["questions"])
    planned = len(questions) + context.get("unreached", 0)
    present: dict[str, Any] = {
        "overall": _score("Overall", session["overall_score"]),
        "headline": [_score("Problem solving", session["problem_solving_score"]),
                     _score("Communication", session["communication_score"])],
        "solved": shown(session["accuracy"]),
        "dimensions": _dimensions(questions, planned or 1),
        "questions": questions,
        "unreached": context.get("unreached", 0),
        "skills": [], "improvements": [], "ranking": None,
    }
    report = context["report"]
    if report is not None:
        skills = _skills(report, public=public)
        present.update(skills=skills, improvements=_improvements(report, skills, questions),
                       ranking=ranking(percentile=report["percentile_rank"], benchmark=report["benchmark"]))
    return present


def report_charts(present: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The chart series, from the shown numbers (charts.js draws them as given, never rounding again)."""
    return {
        "summary": [{"label": s["label"], "value": s["value"]} for s in (present["overall"], *present["headline"])
                    if s["value"] is not None],
        "dimensions": [{"label": d["label"], "value": d["value"]} for d in present["dimensions"]],
        "questions": [{"label": f"Q{q['position']} {q['title']}", "title": q["title"], "value": q["shown"]}
                      for q in present["questions"] if q["shown"] is not None],
    }


def report_page(*, session: InterviewSession, public: bool) -> dict[str, Any]:
    """The template context of the report partial (owner's page and share page): the plain data, the shown
    numbers as `shown` and the chart series as `charts`."""
    context = report_context(session=session)
    present = report_present(context, public=public)
    return {**context, "shown": present, "charts": report_charts(present)}
