"""Offline evaluator throughput over the whole bundled bank, on one core.

    .venv/bin/python bench/offline_evaluator.py

For every bank question it evaluates the question's own reference answer (a strong answer of realistic
length; for coding questions with code and a passing run) and a weak one, ROUNDS times, and writes the
"## Offline evaluator" section of docs/benchmarks.md (other sections are left as they are). Throughput is
measured in CPU time of this process (`time.process_time`), so a busy machine does not distort the one-core
figure; wall-clock percentiles are reported beside it. BENCH_ROUNDS overrides the rounds.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

from interviews.ai.base import DIMENSIONS, AnswerData, QuestionData  # noqa: E402
from interviews.ai.offline import MODEL, OfflineInterviewer  # noqa: E402
from interviews.ai.offline.semantic import model as semantic_model  # noqa: E402
from questionbank.bankfile import parse_files  # noqa: E402

SECTION = "## Offline evaluator"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
CODE = "def solve(xs):\n    for x in xs:\n        if x:\n            return x\n"


def load_questions() -> list[QuestionData]:
    parsed = parse_files(sorted((ROOT / "questionbank" / "bank").glob("*/*.yaml")))
    return [QuestionData.from_bank(q.data) for q in parsed]


def strong_answer(question: QuestionData) -> AnswerData:
    """The question's reference answer: what a strong candidate says, 60 to 250 words."""
    if question.type == "coding":
        cases = [{"name": c.name, "status": "passed", "hidden": c.hidden} for c in question.cases]
        return AnswerData(text=question.reference_answer, code=CODE, language="python",
                          test_results={"passed": len(cases), "total": len(cases), "verdict": "accepted",
                                        "cases": cases})
    return AnswerData(text=question.reference_answer)


def weak_answer(question: QuestionData) -> AnswerData:
    return AnswerData(text=f"I am not sure about {question.title.lower()}. It depends on the situation.")


def run() -> dict[str, float]:
    started = time.perf_counter()
    semantic_model()
    load_s = time.perf_counter() - started
    questions = load_questions()
    cases = [(q, a) for q in questions for a in (strong_answer(q), weak_answer(q))]
    interviewer = OfflineInterviewer()
    cold_start = time.process_time()
    first = [interviewer.evaluate(q, a, follow_up_allowed=True) for q, a in cases]
    cold = time.process_time() - cold_start
    latencies = []
    cpu_start = time.process_time()
    for _ in range(ROUNDS):
        for question, answer in cases:
            begun = time.perf_counter()
            interviewer.evaluate(question, answer, follow_up_allowed=True)
            latencies.append(time.perf_counter() - begun)
    cpu = time.process_time() - cpu_start
    strong = [sum(e.scores[d] for d in DIMENSIONS) / 3 for e in first[0::2]]
    weak = [sum(e.scores[d] for d in DIMENSIONS) / 3 for e in first[1::2]]
    return {"questions": len(questions), "evaluations": len(latencies), "cpu_s": cpu,
            "per_cpu_second": len(latencies) / cpu, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * statistics.quantiles(latencies, n=100)[98], "cold_ms": 1000 * cold / len(cases),
            "load_s": load_s, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "strong": statistics.mean(strong), "weak": statistics.mean(weak),
            "strong_beats_weak": sum(s > w for s, w in zip(strong, weak, strict=True)) / len(strong)}


def write_section(r: dict[str, float]) -> None:
    lines = [
        f"`bench/offline_evaluator.py`, {dt.datetime.now(dt.UTC).date().isoformat()}: the offline ({MODEL}) "
        f"evaluator over all {r['questions']} bundled questions, each question's reference answer and a weak "
        f"answer, {ROUNDS} rounds, one process on one core; {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), Python {platform.python_version()}. Evaluations per "
        "second count CPU time of the process, so other load on the machine does not distort them; the "
        "percentiles are wall-clock.", "",
        "| Evaluations | Evaluations/s (one core) | p50 (ms) | p99 (ms) | First pass, uncompiled knowledge (ms/eval) "
        "| Model load (s) | Peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['evaluations']:,} | {r['per_cpu_second']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
        f"{r['cold_ms']:.2f} | {r['load_s']:.2f} | {r['rss_mb']:.0f} |", "",
        f"Sanity: mean score {r['strong']:.0f} for the reference answers and {r['weak']:.0f} for the weak ones; the "
        f"reference answer scores higher on {100 * r['strong_beats_weak']:.0f}% of questions. The goal is at least "
        "500 evaluations per second on one core.",
    ]
    common.write_section(SECTION.removeprefix("## "), "\n".join(lines))


if __name__ == "__main__":
    results = run()
    write_section(results)
    print(f"{results['per_cpu_second']:,.0f} evaluations per CPU second, p50 {results['p50_ms']:.2f} ms, "  # noqa: T201
          f"p99 {results['p99_ms']:.2f} ms, load {results['load_s']:.2f} s, RSS {results['rss_mb']:.0f} MB; "
          f"strong {results['strong']:.0f} vs weak {results['weak']:.0f}")
