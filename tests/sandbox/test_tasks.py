"""The Celery task: eagerly everywhere, and through a real worker process when REDIS_URL is set."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery

from sandbox.celery_app import QUEUE
from sandbox.limits import resolve_limits
from sandbox.tasks import run_submission_task, time_limits

REPO = Path(__file__).resolve().parents[2]
TESTS = [{"name": "double", "args": [21], "expected": 42}, {"name": "zero", "args": [0], "expected": 0, "hidden": True}]


def test_task_is_registered_for_the_sandbox_queue_with_safe_delivery():
    assert run_submission_task.name == "sandbox.run_submission"
    assert run_submission_task.app.conf.task_routes["sandbox.run_submission"]["queue"] == QUEUE == "sandbox"
    assert run_submission_task.acks_late is True
    assert run_submission_task.reject_on_worker_lost is True
    assert run_submission_task.app.conf.worker_prefetch_multiplier == 1


def test_time_limits_follow_the_runs_wall_limit():
    soft, hard = time_limits(resolve_limits({"wall_ms": 2000}))
    assert 2 < soft < hard
    assert time_limits(resolve_limits({"wall_ms": 20000}))[0] > soft


def test_task_runs_eagerly_and_returns_plain_json():
    result = run_submission_task.apply(args=("python", "def f(x):\n    return x * 2\n", "f", TESTS)).get()
    assert result["verdict"] == "accepted"
    assert [case["status"] for case in result["cases"]] == ["passed", "passed"]


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL for a real broker")
def test_submission_runs_on_a_real_worker_process():
    redis_url = os.environ["REDIS_URL"]
    prefix = f"sandbox-test-{secrets.token_hex(4)}:"
    env = {**os.environ, "SANDBOX_CELERY_KEY_PREFIX": prefix, "CELERY_BROKER_URL": redis_url}
    env.pop("CELERY_RESULT_BACKEND", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sandbox.celery_app",
            "worker",
            "-Q",
            QUEUE,
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"{prefix}@%h",
            "--loglevel",
            "INFO",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    options = {"global_keyprefix": prefix}
    client = Celery("sandbox-test", broker=redis_url, backend=redis_url)
    client.conf.update(broker_transport_options=options, result_backend_transport_options=options)
    try:
        started = time.monotonic()
        sent = client.send_task(
            "sandbox.run_submission",
            args=("javascript", "function f(x) { return x * 2; }", "f", TESTS, {"wall_ms": 3000}),
            queue=QUEUE,
        )
        result = sent.get(timeout=60)
        assert result["verdict"] == "accepted", result
        assert result["passed"] == 2
        assert time.monotonic() - started < 60
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        client.close()
        connection = redis.Redis.from_url(redis_url)
        for key in connection.scan_iter(match=f"{prefix}*"):
            connection.delete(key)
        connection.close()
