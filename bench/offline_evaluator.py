"""Offline evaluator throughput over the whole bundled bank, single process.

    .venv/bin/python bench/offline_evaluator.py

For every bank question it builds a synthetic strong answer (each rubric point's first phrase inside a
real sentence, plus STAR cues, scale numbers or complexity talk as the type calls for) and a synthetic
weak one, evaluates both ROUNDS times, and writes the "## Offline evaluator" section of
docs/benchmarks.md (other sections are left as they are). BENCH_ROUNDS overrides the rounds.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

from interviews.ai.base import DIMENSIONS, AnswerData, QuestionData  # noqa: E402
from interviews.ai.offline import OfflineInterviewer  # noqa: E402
from questionbank.bankfile import parse_files  # noqa: E402

SECTION = "## Offline evaluator"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))


def load_questions() -> list[QuestionData]:
    parsed = parse_files(sorted((ROOT / "questionbank" / "bank").glob("*/*.yaml")))
    return [QuestionData.from_bank(q.data) for q in parsed]


def strong_answer(question: QuestionData) -> AnswerData:
    sentences = [f"A key part of my answer is {p.phrases[0]}, because it addresses this: {p.point.lower()}."
                 for p in question.rubric]
    if question.type == "behavioral":
        sentences = ["At the time, our team was migrating a service and I was the tech lead.",
                     "My role was to keep the release on track.", *sentences,
                     "I decided to split the work and I set up a daily check-in.",
                     "As a result, we cut the incident count by 40 percent within three weeks."]
    elif question.type == "system_design":
        sentences += ["Back of the envelope: 2,000 requests per second, 5 TB per year and a 50 ms latency budget.",
                      "The trade-off is cost versus latency."]
    else:
        sentences += ["For example, on a small input this runs in O(n) time, so it scales linearly."]
    text = "\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
    if question.type == "coding":
        return AnswerData(text=text, code="def solve(xs):\n    for x in xs:\n        if x:\n            return x\n",
                          language="python", approach=text,
                          test_results={"passed": 5, "total": 6, "verdict": "wrong_answer", "cases": []})
    return AnswerData(text=text)


def weak_answer(question: QuestionData) -> AnswerData:
    return AnswerData(text=f"I am not sure about {question.title.lower()}. It depends on the situation.")


def run() -> dict[str, float]:
    questions = load_questions()
    cases = [(q, a) for q in questions for a in (strong_answer(q), weak_answer(q))]
    interviewer = OfflineInterviewer()
    cold_start = time.perf_counter()
    first = [interviewer.evaluate(q, a, follow_up_allowed=True) for q, a in cases]
    cold = time.perf_counter() - cold_start
    latencies = []
    for _ in range(ROUNDS):
        for question, answer in cases:
            started = time.perf_counter()
            interviewer.evaluate(question, answer, follow_up_allowed=True)
            latencies.append(time.perf_counter() - started)
    strong = [sum(e.scores[d] for d in DIMENSIONS) / 3 for e in first[0::2]]
    weak = [sum(e.scores[d] for d in DIMENSIONS) / 3 for e in first[1::2]]
    return {"questions": len(questions), "evaluations": len(latencies), "seconds": sum(latencies),
            "per_second": len(latencies) / sum(latencies), "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * statistics.quantiles(latencies, n=100)[98], "cold_ms": 1000 * cold / len(cases),
            "strong": statistics.mean(strong), "weak": statistics.mean(weak),
            "strong_beats_weak": sum(s > w for s, w in zip(strong, weak, strict=True)) / len(strong)}


def write_section(r: dict[str, float]) -> None:
    lines = [
        SECTION, "",
        f"`bench/offline_evaluator.py`, {dt.datetime.now(dt.UTC).date().isoformat()}: the offline (rubric-v1) "
        "evaluator over "
        f"all {r['questions']} bundled questions, one synthetic strong and one weak answer each, "
        f"{ROUNDS} rounds, one process; {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}.", "",
        "| Evaluations | Evaluations/s | p50 (ms) | p99 (ms) | First pass, uncached rubric (ms/eval) |",
        "|---:|---:|---:|---:|---:|",
        f"| {r['evaluations']:,} | {r['per_second']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
        f"{r['cold_ms']:.2f} |", "",
        f"Sanity: mean score {r['strong']:.0f} for the strong answers and {r['weak']:.0f} for the weak ones; "
        f"the strong answer scores higher on {100 * r['strong_beats_weak']:.0f}% of questions.", "",
    ]
    common.write_section(SECTION.removeprefix("## "), "\n".join(lines[2:]))


if __name__ == "__main__":
    results = run()
    write_section(results)
    print(f"{results['per_second']:,.0f} evaluations/s, p50 {results['p50_ms']:.2f} ms, "
          f"p99 {results['p99_ms']:.2f} ms; strong {results['strong']:.0f} vs weak {results['weak']:.0f}")
