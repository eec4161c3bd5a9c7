"""Creating a session: defaults from the user, a fixed plan of questions from the bank."""

import secrets
from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from cloudinterview.choices import RUNNABLE_LANGUAGES, Mode, QuestionType
from domain.errors import InvalidInput
from domain.languages import runnable_preference
from questionbank.filters import topics_match
from questionbank.selectors import questions_published

from ..models import InterviewSession, PlanStatus, SessionQuestion

DEFAULT_DURATION = 45
DEFAULT_JOB_TYPE = "Software Engineer"
MAX_QUESTIONS = 20
RECENT_SESSIONS = 5

# The order in which a mode cycles through question types while filling the planned time.
MODE_PATTERNS: dict[str, tuple[str, ...]] = {
    Mode.TECHNICAL: (QuestionType.CODING, QuestionType.THEORY, QuestionType.THEORY),
    Mode.BEHAVIORAL: (QuestionType.BEHAVIORAL,),
    Mode.SYSTEM_DESIGN: (QuestionType.SYSTEM_DESIGN, QuestionType.THEORY),
    Mode.MIXED: (QuestionType.THEORY, QuestionType.BEHAVIORAL, QuestionType.CODING, QuestionType.SYSTEM_DESIGN),
}

INTERVIEWERS: dict[str, dict[str, str]] = {
    Mode.TECHNICAL: {"name": "Alex", "personality": "professional",
                     "experience": "10 years as engineering manager"},
    Mode.BEHAVIORAL: {"name": "Maya", "personality": "warm",
                      "experience": "12 years leading engineering teams and hiring"},
    Mode.SYSTEM_DESIGN: {"name": "Sam", "personality": "inquisitive",
                         "experience": "15 years as a principal engineer on large-scale systems"},
    Mode.MIXED: {"name": "Jordan", "personality": "friendly",
                 "experience": "11 years as a staff engineer and interviewer"},
}


def recently_met_question_ids(*, user: User) -> set[int]:
    """Questions presented to the user in any of their last few sessions (docs/api.md, "Sessions")."""
    recent = InterviewSession.objects.filter(user=user).order_by("-created_at").values("id")[:RECENT_SESSIONS]
    return set(
        SessionQuestion.objects.filter(session_id__in=list(recent.values_list("id", flat=True)))
        .exclude(status=PlanStatus.PENDING)
        .values_list("question_id", flat=True)
    )


def _pools(types: Iterable[str], difficulty: str, topics: list[str], recent: set[int]) -> dict[str, list[dict]]:
    """Per type, the matching questions in draw order: unseen ones first, each group shuffled."""
    rng = secrets.SystemRandom()
    pools: dict[str, list[dict]] = {}
    for qtype in types:
        rows = list(
            topics_match(questions_published().filter(type=qtype, difficulty=difficulty), topics)
            .values("id", "estimated_time")
        )
        rng.shuffle(rows)
        pools[qtype] = sorted(rows, key=lambda row: row["id"] in recent)
    return pools


def plan_questions(*, pattern: tuple[str, ...], pools: dict[str, list[dict]], duration: int,
                   first: dict | None = None) -> list[int]:
    """Fill the planned minutes by cycling through the pattern; a type that runs dry drops out. Every question
    planned fits: the filling stops at the first that would overrun the duration.

    `first` (a question asked for by name, e.g. from its page) opens the plan; otherwise the first type's
    first question that fits the duration does (see `first_fitting`).
    """
    plan: list[int] = [first["id"]] if first else []
    minutes = first["estimated_time"] if first else 0
    step = len(plan)
    while len(plan) < MAX_QUESTIONS:
        active = [t for t in pattern if pools.get(t)]
        if not active:
            break
        candidate = pools[active[step % len(active)]][0]
        if minutes + candidate["estimated_time"] > duration:
            break
        pools[active[step % len(active)]].pop(0)
        plan.append(candidate["id"])
        minutes += candidate["estimated_time"]
        step += 1
    return plan


def first_fitting(*, pattern: tuple[str, ...], pools: dict[str, list[dict]], duration: int) -> None:
    """Bring the mode's leading type's first question that fits the duration to the front of its pool, so a
    30-minute system-design interview opens with a system-design question of 30 minutes or less rather than
    one of 45 (issue 14). InvalidInput naming the shortest when none fits: an interview of the mode cannot
    be planned in that time, and a plan without its leading type would not be that interview."""
    lead = next((t for t in pattern if pools.get(t)), None)
    if lead is None:
        return
    pool = pools[lead]
    fitting = next((row for row in pool if row["estimated_time"] <= duration), None)
    if fitting is None:
        shortest = min(row["estimated_time"] for row in pool)
        raise InvalidInput(f"No {lead.replace('_', ' ')} question fits in {duration} minutes (the shortest "
                           f"matching one takes {shortest}); choose {shortest} minutes or more, or an easier "
                           f"difficulty.", field="duration")
    pool.remove(fitting)
    pool.insert(0, fitting)


def _asked_for(question_id: str | None, duration: int, pools: dict[str, list[dict]]) -> dict | None:
    """The published question asked for by its public id, taken out of the pools (it opens the plan)."""
    if question_id is None:
        return None
    row = questions_published().filter(public_id=question_id).values("id", "estimated_time", "title").first()
    if row is None:
        raise InvalidInput("No published question has this id.", field="questionId")
    if row["estimated_time"] > duration:
        raise InvalidInput(f"\"{row['title']}\" takes about {row['estimated_time']} minutes; choose at least "
                           f"that long.", field="duration")
    for pool in pools.values():
        pool[:] = [r for r in pool if r["id"] != row["id"]]
    return row


def session_start(*, user: User, mode: str, job_type: str | None = None, difficulty: str | None = None,
                  duration: int | None = None, language: str | None = None, include_coding: bool | None = None,
                  topics: list[str] | None = None, question_id: str | None = None) -> InterviewSession:
    """Create a pending session with its plan fixed; 400 naming the filter when no question matches, or the
    duration when the mode's questions do not fit in it. `question_id` opens the plan with that question."""
    job_type = job_type or (user.job_titles[0] if user.job_titles else DEFAULT_JOB_TYPE)
    difficulty = difficulty or user.default_difficulty
    duration = duration or DEFAULT_DURATION
    language = language or runnable_preference(user.language_preferences)
    if language not in RUNNABLE_LANGUAGES:
        raise InvalidInput(f"'{language}' cannot be run in a session; the languages that run are: "
                           f"{', '.join(RUNNABLE_LANGUAGES)}.", field="language")
    if include_coding is None:
        include_coding = mode in (Mode.TECHNICAL, Mode.MIXED)
    topics = list(topics or [])
    pattern = tuple(t for t in MODE_PATTERNS[mode] if include_coding or t != QuestionType.CODING)
    pools = _pools(set(pattern), difficulty, topics, recently_met_question_ids(user=user))
    first = _asked_for(question_id, duration, pools)
    if first is None:
        first_fitting(pattern=pattern, pools=pools, duration=duration)
    plan = plan_questions(pattern=pattern, pools=pools, duration=duration, first=first)
    if not plan:
        field, what = ("topics", f"topics {topics}") if topics else ("difficulty", f"difficulty '{difficulty}'")
        raise InvalidInput(f"No published question matches mode '{mode}' with {what}.", field=field)
    with transaction.atomic():
        session = InterviewSession.objects.create(
            user=user, mode=mode, job_type=job_type, difficulty=difficulty, planned_duration=duration,
            language=language, include_coding=include_coding, topics=topics, interviewer=dict(INTERVIEWERS[mode]),
        )
        SessionQuestion.objects.bulk_create(
            SessionQuestion(session=session, question_id=qid, position=i) for i, qid in enumerate(plan, start=1)
        )
    return session
