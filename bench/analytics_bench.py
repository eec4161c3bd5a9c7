"""Analytics, history and percentile timings on PostgreSQL at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/analytics_bench.py

Creates its own database (`cloudinterview_analytics_bench`, dropped at the end), migrates it, loads the
bundled question bank, then bulk-loads synthetic history: one candidate with BENCH_USER_SESSIONS (1,000)
completed sessions of five scored questions each (plus a few unfinished ones), and other candidates'
completed sessions up to BENCH_POPULATION (100,000) completed sessions in all, across eight job types.
It times the analytics read model directly and through the API (JWT, throttles raised), the history list,
`GET /users/me`, and the percentile/benchmark for a job type with peers and for one without (every session
compared), then writes the "## Feedback and analytics" section of docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_analytics_bench"
USER_SESSIONS = int(os.environ.get("BENCH_USER_SESSIONS", "1000"))
POPULATION = int(os.environ.get("BENCH_POPULATION", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
WARMUP = 5
BATCH = 5000
QUESTIONS_PER_SESSION = 5
SECTION = "Feedback and analytics"
UNUSABLE = "!"  # Django's unusable-password marker: peers never log in
JOB_TYPES = ["Backend Engineer", "Frontend Engineer", "Full Stack Engineer", "Data Engineer", "SRE",
             "Mobile Engineer", "Machine Learning Engineer", "Software Engineer"]


def score(rng: random.Random, mean: float = 66.0, spread: float = 16.0) -> float:
    return round(min(100.0, max(0.0, rng.gauss(mean, spread))), 1)


def load_user_history(user: Any, rng: random.Random) -> None:
    """USER_SESSIONS completed sessions, one a day or so, each with five planned questions scored (every
    category drifting up or down a little so trends are not all flat) and an evaluated answer per question."""
    from django.db.models import F

    from interviews.models import Answer, InterviewSession, SessionQuestion
    from questionbank.models import Question

    questions = list(Question.objects.values_list("id", "category"))
    drift = {category: rng.uniform(-0.05, 0.05) for _, category in questions}
    now = dt.datetime.now(dt.UTC)
    for start in range(0, USER_SESSIONS, BATCH // QUESTIONS_PER_SESSION):
        sessions, picks = [], []
        for i in range(start, min(start + BATCH // QUESTIONS_PER_SESSION, USER_SESSIONS)):
            completed = now - dt.timedelta(hours=22 * (USER_SESSIONS - i)) + dt.timedelta(minutes=rng.randint(0, 60))
            minutes = rng.randint(15, 75)
            chosen = rng.sample(questions, QUESTIONS_PER_SESSION)
            per_question = [score(rng, 62 + 400 * drift[c] * i / USER_SESSIONS) for _, c in chosen]
            overall = round(sum(per_question) / len(per_question), 1)
            sessions.append(InterviewSession(
                user=user, mode=rng.choice(["technical", "behavioral", "system_design", "mixed"]),
                job_type="Backend Engineer", difficulty="medium", planned_duration=45, language="python",
                status="completed", interviewer={}, current_index=QUESTIONS_PER_SESSION,
                started_at=completed - dt.timedelta(minutes=minutes), completed_at=completed,
                last_activity_at=completed, actual_duration=minutes, overall_score=overall, accuracy=60.0,
                communication_score=overall, problem_solving_score=overall))
            picks.append((chosen, per_question, completed))
        InterviewSession.objects.bulk_create(sessions)
        slots = [
            SessionQuestion(session=session, question_id=qid, position=p, status="answered",
                            presented_at=completed, answered_at=completed, completeness=s, correctness=s,
                            communication=s, score=s)
            for session, (chosen, scores, completed) in zip(sessions, picks, strict=True)
            for p, ((qid, _), s) in enumerate(zip(chosen, scores, strict=True), start=1)
        ]
        SessionQuestion.objects.bulk_create(slots)
        Answer.objects.bulk_create([
            Answer(session_id=slot.session_id, slot=slot, text="An answer.", status="evaluated",
                   scores={"completeness": slot.score, "correctness": slot.score, "communication": slot.score})
            for slot in slots
        ])
    # created_at is auto_now_add: set it to each session's start, as the real flow would have.
    InterviewSession.objects.filter(user=user).update(created_at=F("started_at"))
    for status in ("in_progress", "abandoned", "pending"):
        InterviewSession.objects.create(user=user, mode="technical", job_type="Backend Engineer",
                                        difficulty="medium", planned_duration=45, language="python", status=status,
                                        interviewer={})


def load_population(rng: random.Random) -> None:
    """Other candidates' completed sessions up to POPULATION completed sessions in all (no plans: the
    percentile reads session scores only)."""
    from accounts.models import User
    from interviews.models import InterviewSession

    others = POPULATION - USER_SESSIONS
    users = User.objects.bulk_create([User(email=f"peer{i}@bench.example", password=UNUSABLE) for i in range(5000)])
    role_means = {job: 58 + 3 * i for i, job in enumerate(JOB_TYPES)}
    now = dt.datetime.now(dt.UTC)
    for start in range(0, others, BATCH):
        rows = []
        for _ in range(start, min(start + BATCH, others)):
            job = rng.choice(JOB_TYPES)
            overall = score(rng, role_means[job])
            completed = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            rows.append(InterviewSession(
                user=rng.choice(users), mode="technical", job_type=job, difficulty="medium", planned_duration=45,
                language="python", status="completed", interviewer={}, current_index=5, completed_at=completed,
                started_at=completed - dt.timedelta(minutes=40), actual_duration=40, overall_score=overall,
                accuracy=overall, communication_score=overall, problem_solving_score=overall))
        InterviewSession.objects.bulk_create(rows)
        common.log(f"  {start + len(rows):>7} other sessions")


def timed(function: Callable[[], Any]) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        function()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return {"p50": statistics.median(timings), "p95": statistics.quantiles(timings, n=20)[-1],
            "queries": len(queries)}


def ok(client: Any, url: str) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
        return response

    return get


def write_section(rows: list[tuple[str, dict[str, float]]], info: dict[str, str], load_seconds: float,
                  facts: dict[str, Any]) -> None:
    lines = [
        f"`bench/analytics_bench.py`, {info['date']}: PostgreSQL {info['postgres']}, {info['nproc']} CPUs "
        f"({info['cpu']}, load average {info['load']} when timing began), Python {info['python']}. "
        f"One candidate with {USER_SESSIONS:,} completed sessions "
        f"({USER_SESSIONS * QUESTIONS_PER_SESSION:,} scored questions in {facts['categories']} categories, plus "
        f"3 unfinished sessions) among {POPULATION:,} completed sessions in all, across {len(JOB_TYPES)} job "
        f"types (~{facts['role_size']:,} for the benchmarked one). Synthetic data made by the benchmark "
        f"(bulk load {load_seconds:.0f} s, then VACUUM ANALYZE). Medians and 95th percentiles of {RUNS} runs "
        f"after {WARMUP} warm-ups, one at a time; API rows go through the Django test client with JWT auth and "
        "throttles (limits raised); queries counted on one run.",
        "",
        "| operation | p50 (ms) | p95 (ms) | SQL queries |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} |" for name, r in rows),
        "",
        "How: per-question final scores are stored on the plan rows at completion "
        "(`SessionQuestion.score`), so analytics is five aggregate queries (overview, streak days, "
        "per-category totals, the last ten points per category through a DENSE_RANK window, and 30 days' "
        "activity); only the streak's reads one row per day with a completed session, the rest return rows "
        "bounded by categories or days whatever the history. The percentile is three "
        "queries answered from the (status, job_type, overall_score) or (status, overall_score) index: the "
        "role's size, one aggregate (counts below and equal to the score, total and mean, counting "
        "`overall_score` rather than the id so the scan stays index-only) and one ORDER BY ... OFFSET for the "
        "nearest-rank quartile; comparing with every session scans all of them, hence the second figure. "
        "The first version (one aggregate computing both populations with FILTER clauses and counting ids) "
        "read every completed session from the table: about 60 ms for either population on this data.",
    ]
    common.write_section(SECTION, "\n".join(lines))
    common.log(f"wrote '## {SECTION}' to {common.DOC}")


def run() -> None:
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    django.setup()
    setup_test_environment()  # allows the test client's host; does not touch the database
    common.log(f"migrating {BENCH_DB} and loading the bundled bank")
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from accounts.models import User
    from feedback.analytics import user_analytics
    from feedback.services import percentile_and_benchmark
    from interviews.models import InterviewSession, SessionQuestion

    rng = random.Random(20261128)
    password = "bench-password-123456"  # noqa: S105 - a throwaway user in a throwaway database
    user = User.objects.create_user("heavy@bench.example", password)
    started = time.perf_counter()
    common.log(f"loading {USER_SESSIONS:,} sessions for one candidate")
    load_user_history(user, rng)
    common.log(f"loading other candidates' sessions up to {POPULATION:,} completed")
    load_population(rng)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    client = APIClient()
    login = client.post("/v1/auth/login", {"email": user.email, "password": password}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['tokens']['accessToken']}")
    completed = InterviewSession.objects.filter(status="completed")
    role_size = completed.filter(job_type="Backend Engineer").count()
    facts = {"role_size": role_size, "categories": SessionQuestion.objects.filter(session__user=user)
             .values("question__category").distinct().count()}
    common.log(f"  {completed.count():,} completed sessions, {role_size:,} Backend Engineer")

    info = common.machine_info()
    rows = [
        ("analytics read model (`user_analytics`)", timed(lambda: user_analytics(user=user))),
        ("GET /v1/api/users/me/analytics", timed(ok(client, "/v1/api/users/me/analytics"))),
        ("GET /v1/api/users/me/sessions?limit=20", timed(ok(client, "/v1/api/users/me/sessions?limit=20"))),
        ("GET /v1/api/users/me/sessions?limit=100&offset=500",
         timed(ok(client, "/v1/api/users/me/sessions?limit=100&offset=500"))),
        ("GET /v1/api/users/me (stats)", timed(ok(client, "/v1/api/users/me"))),
        (f"percentile + benchmark, same job type ({role_size:,} peers)",
         timed(lambda: percentile_and_benchmark(score=71.3, job_type="Backend Engineer"))),
        (f"percentile + benchmark, unknown job type (all {completed.count():,})",
         timed(lambda: percentile_and_benchmark(score=71.3, job_type="Astronaut"))),
    ]
    for name, row in rows:
        common.log(f"  {name:<62} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  {row['queries']} queries")
    write_section(rows, info, load_seconds, facts)


def main() -> int:
    limits = {f"RATE_LIMIT_{scope}": "1000000/min" for scope in ("AUTH", "SESSIONS", "FEEDBACK")}
    return common.run_in_bench_database(BENCH_DB, limits, run)


if __name__ == "__main__":
    sys.exit(main())
