"""Question-bank API latency at 100,000 questions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/questionbank_bench.py

Creates its own database (`cloudinterview_bench`, dropped at the end), migrates it, bulk-loads synthetic
questions (generated here, never shipped: realistic categories, tags and difficulties borrowed from the
bundled bank), then times list / detail / random through the real API (Django test client, a logged-in
user, JWT auth, throttles on with a raised limit) and writes the "## Question bank" section of
docs/benchmarks.md. BENCH_QUESTIONS and BENCH_REQUESTS override the size and the requests per scenario.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_bench"
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
BATCH = 5000
SECTION = "## Question bank"

TYPE_WEIGHTS = {"coding": 25, "theory": 40, "behavioral": 20, "system_design": 15}
DIFFICULTY_WEIGHTS = {"easy": 30, "medium": 45, "hard": 25}
STATUS_WEIGHTS = {"published": 90, "draft": 7, "archived": 3}
EXTRA_TAGS = [f"{stem}-{n}" for stem in ("topic", "skill", "tool", "domain") for n in range(60)]
FILLER = [
    "latency",
    "throughput",
    "cache",
    "index",
    "replica",
    "shard",
    "queue",
    "stream",
    "tree",
    "graph",
    "heap",
    "array",
    "string",
    "window",
    "pointer",
    "hash",
    "lock",
    "retry",
    "timeout",
    "budget",
    "memory",
    "partition",
    "consensus",
    "leader",
    "follower",
    "batch",
]


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def vocabulary() -> dict[str, dict[str, Any]]:
    """Categories, tags, titles and descriptions per type, from the bundled bank."""
    from questionbank.bankfile import parse_files

    vocab: dict[str, dict[str, Any]] = defaultdict(lambda: {"categories": set(), "tags": set(), "texts": []})
    for parsed in parse_files(sorted((ROOT / "questionbank" / "bank").rglob("*.yaml"))):
        q = parsed.data
        v = vocab[q["type"]]
        v["categories"].add(q["category"])
        v["tags"].update(q["tags"])
        v["texts"].append((q["title"], q["description"]))
    return {
        t: {"categories": sorted(v["categories"]), "tags": sorted(v["tags"]), "texts": v["texts"]}
        for t, v in vocab.items()
    }


def generate(count: int) -> None:
    """Bulk-create `count` synthetic questions with children shaped like the bundled ones."""
    from cloudinterview.api.ids import stable_public_id
    from questionbank.models import FollowUp, Hint, Question, RubricPoint, Signature, TestCase, topic_key

    rng = random.Random(20240601)
    vocab = vocabulary()
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        questions = []
        for i in range(start, min(start + BATCH, count)):
            qtype = weighted(rng, TYPE_WEIGHTS)
            v = vocab[qtype]
            category = rng.choice(v["categories"])
            tags = sorted(set(rng.sample(v["tags"], k=min(3, len(v["tags"])))) | set(rng.sample(EXTRA_TAGS, k=1)))
            title, description = rng.choice(v["texts"])
            slug = f"bench-{i}"
            questions.append(
                Question(
                    slug=slug,
                    public_id=stable_public_id("q", slug),
                    type=qtype,
                    category=category,
                    difficulty=weighted(rng, DIFFICULTY_WEIGHTS),
                    title=f"{title} ({i})",
                    description=description + "\n\n" + " ".join(rng.choices(FILLER, k=12)),
                    estimated_time=rng.choice((5, 10, 15, 20, 30, 45)),
                    tags=tags,
                    topic_index="|" + "|".join(topic_key(t) for t in [category, *tags]) + "|",
                    status=weighted(rng, STATUS_WEIGHTS),
                    solved_count=rng.randint(0, 500),
                    attempt_count=0,
                    success_rate=round(rng.uniform(0, 100), 1),
                )
            )
        Question.objects.bulk_create(questions)
        hints, follow_ups, points, signatures, cases = [], [], [], [], []
        for q in questions:
            hints += [Hint(question=q, position=p, text=f"Hint {p} for {q.slug}") for p in range(2)]
            follow_ups += [FollowUp(question=q, position=p, text=f"Follow-up {p}?") for p in range(2)]
            points += [
                RubricPoint(
                    question=q,
                    position=p,
                    point=f"Key point {p}",
                    weight=p + 1,
                    phrases=[rng.choice(FILLER), rng.choice(FILLER)],
                )
                for p in range(3)
            ]
            if q.type == "coding":
                signatures += [
                    Signature(
                        question=q,
                        language="python",
                        function_name="solve",
                        starter_code="def solve(xs):\n    pass\n",
                        solution="def solve(xs):\n    return xs\n",
                    ),
                    Signature(
                        question=q,
                        language="javascript",
                        function_name="solve",
                        starter_code="function solve(xs) {\n}\n",
                        solution="function solve(xs) {\n  return xs;\n}\n",
                    ),
                ]
                cases += [
                    TestCase(
                        question=q, position=p, name=f"case {p}", args=[[p, p + 1]], expected=[p, p + 1], hidden=p >= 4
                    )
                    for p in range(6)
                ]
        for model, rows in (
            (Hint, hints),
            (FollowUp, follow_ups),
            (RubricPoint, points),
            (Signature, signatures),
            (TestCase, cases),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        common.log(f"  {start + len(questions):>7} questions ({time.perf_counter() - started:.0f} s)")


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def measure(client: Any, name: str, urls: list[str]) -> dict[str, Any]:
    for url in urls[:WARMUP]:
        client.get(url)
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
    row = {
        "name": name,
        "requests": len(urls),
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "example": urls[0],
    }
    common.log(f"  {name:<48} p50 {row['p50']:7.1f} ms   p95 {row['p95']:7.1f} ms")
    return row


def scenarios(rng: random.Random) -> list[tuple[str, list[str]]]:
    from questionbank.models import Question

    vocab = vocabulary()
    published = Question.objects.filter(status="published")
    detail_ids = list(published.order_by("?").values_list("public_id", flat=True)[:REQUESTS])
    theory_categories, theory_tags = vocab["theory"]["categories"], vocab["theory"]["tags"]
    coding_tags = vocab["coding"]["tags"]

    def urls(path: str, make: Any) -> list[str]:
        return [f"{path}?{urlencode(make())}" for _ in range(REQUESTS)]

    list_path, random_path = "/v1/api/questions", "/v1/api/questions/random"
    return [
        (
            "list: type + difficulty, random page",
            urls(
                list_path,
                lambda: {
                    "type": "coding",
                    "difficulty": rng.choice(("easy", "medium", "hard")),
                    "offset": rng.randrange(0, 2000, 20),
                },
            ),
        ),
        (
            "list: category + topics",
            urls(
                list_path,
                lambda: {"category": rng.choice(theory_categories), "topics": ",".join(rng.sample(theory_tags, 2))},
            ),
        ),
        ("list: topics only (3 topics)", urls(list_path, lambda: {"topics": ",".join(rng.sample(coding_tags, 3))})),
        ("list: q (one word) + type", urls(list_path, lambda: {"q": rng.choice(FILLER), "type": "system_design"})),
        (
            "list: q (two words) + difficulty",
            urls(list_path, lambda: {"q": " ".join(rng.sample(FILLER, 2)), "difficulty": "hard"}),
        ),
        ("detail (with similar questions)", [f"/v1/api/questions/{pid}" for pid in detail_ids]),
        ("random: count=5, no filters", urls(random_path, lambda: {"count": 5})),
        (
            "random: count=20, type + difficulty",
            urls(random_path, lambda: {"count": 20, "type": rng.choice(list(TYPE_WEIGHTS)), "difficulty": "hard"}),
        ),
        (
            "random: count=20, topics",
            urls(random_path, lambda: {"count": 20, "topics": ",".join(rng.sample(coding_tags, 2))}),
        ),
    ]


def cold_facets_ms() -> float:
    """The facets query when the cache was just invalidated (once per bank change)."""
    from questionbank.selectors import question_facets
    from questionbank.services import bank_changed

    timings = []
    for _ in range(5):
        bank_changed()
        started = time.perf_counter()
        question_facets()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def write_section(
    rows: list[dict[str, Any]], info: dict[str, str], facets_ms: float, published: int, load_seconds: float
) -> None:
    from django.conf import settings

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    lines = [
        SECTION,
        "",
        f"`bench/questionbank_bench.py`, {info['date']}: {QUESTIONS:,} synthetic questions ({published:,} "
        f"published; generated by the benchmark, never shipped) in PostgreSQL {info['postgres']}; "
        f"{info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, cache {cache}. Requests go through "
        f"the real API (Django test client, JWT, throttles on with a raised limit), one at a time, "
        f"{WARMUP} warm-up requests per scenario not counted. Bulk load took {load_seconds:.0f} s.",
        "",
        "| Scenario | Requests | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|---:|",
        *(f"| {r['name']} | {r['requests']} | {r['p50']:.1f} | {r['p95']:.1f} |" for r in rows),
        "",
        f"Facets (filter values for the list) after a bank change, uncached: {facets_ms:.0f} ms once, then "
        "served from the cache until the next change.",
        "",
    ]
    common.write_section(SECTION.removeprefix("## "), "\n".join(lines[2:]))
    common.log(f"wrote {SECTION!r} to {common.DOC}")


def run() -> None:
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    django.setup()
    setup_test_environment()  # allows the test client's host; does not touch the database
    common.log(f"migrating {BENCH_DB}")
    call_command("migrate", verbosity=0)
    common.log(f"loading {QUESTIONS:,} synthetic questions")
    started = time.perf_counter()
    generate(QUESTIONS)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum leaves; index-only scans need it

    from accounts.models import User
    from questionbank.models import Question

    password = "bench-password-123456"  # noqa: S105 - a throwaway user in a throwaway database
    User.objects.create_user("bench@example.com", password)
    client = APIClient()
    login = client.post("/v1/auth/login", {"email": "bench@example.com", "password": password}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['tokens']['accessToken']}")

    rng = random.Random(7)
    rows = [measure(client, name, urls) for name, urls in scenarios(rng)]
    facets_ms = cold_facets_ms()
    common.log(f"  cold facets: {facets_ms:.0f} ms")
    published = Question.objects.filter(status="published").count()
    write_section(rows, common.machine_info(), facets_ms, published, load_seconds)


def main() -> int:
    limits = {"RATE_LIMIT_QUESTIONS": "1000000/min", "RATE_LIMIT_AUTH": "1000/min"}
    return common.run_in_bench_database(BENCH_DB, limits, run)


if __name__ == "__main__":
    sys.exit(main())
