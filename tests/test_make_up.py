"""`make up` as it runs: nginx on one port in front of gunicorn (REST, pages) and Daphne (the socket); a
process that dies is restarted while the rest keeps serving, its unacknowledged task comes back within the
visibility timeout, and SIGTERM stops everything cleanly."""

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import websockets

from accounts.tokens import login_start
from interviews.models import Answer, InterviewerResponse
from interviews.services.flow import question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question
from tests.processes import ROOT, answers_http, free_port, hanging_model, server_database_url, wait_ready, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]

VISIBILITY_SECONDS = 8
PROCESSES = ("proxy", "http", "socket", "evaluations", "sandbox", "beat")


def _up(tmp_path: Path, **env: str) -> tuple[subprocess.Popen, int, Path]:
    """scripts/up.sh on free ports, its processes' output in a log the test reads."""
    port, log = free_port(), tmp_path / "up.log"
    full_env = {**os.environ, "VENV": str(Path(sys.executable).parent.parent), "PORT": str(port),
                "GUNICORN_BIND": f"127.0.0.1:{free_port()}", "DAPHNE_PORT": str(free_port()),
                "NGINX_DIR": str(tmp_path / "nginx"), "STATIC_ROOT": str(tmp_path / "static"),
                "DATABASE_URL": server_database_url(), "CELERY_QUEUE": f"up-{uuid.uuid4().hex[:8]}",
                "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / "beat"), "WEB_CONCURRENCY": "2",
                "EVAL_CONCURRENCY": "1", "SANDBOX_CONCURRENCY": "1", "LOG_LEVEL": "WARNING", "DB_POOL_MIN_SIZE": "1",
                **env}
    with log.open("w") as output:
        up = subprocess.Popen(["bash", "scripts/up.sh"], cwd=ROOT, env=full_env, stdout=output,
                              stderr=subprocess.STDOUT, start_new_session=True)
    return up, port, log


def _stop_up(up: subprocess.Popen, log: Path) -> list[int]:
    """SIGTERM to the supervisor, as Ctrl-C; returns the pids of its processes still alive afterwards."""
    os.kill(up.pid, signal.SIGTERM)
    up.wait(timeout=40)
    return [pid for name in PROCESSES for pid in _started(log, name) if _alive(pid)]


def _started(log: Path, name: str) -> list[int]:
    return [int(pid) for pid in re.findall(rf"supervise: {name} started \(pid (\d+)\)", log.read_text())]


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310 - loopback
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def test_a_killed_worker_is_restarted_the_rest_keeps_serving_and_its_task_comes_back(transactional_db, tmp_path):
    pinned_theory_question(category="zz supervised")
    user = UserFactory()
    token = login_start(user=user)["accessToken"]
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz supervised"], duration=10)
    question_next(session=session)
    model, first_call = hanging_model()
    up, port, log = _up(tmp_path, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS), AI_PROVIDER="anthropic",
                        ANTHROPIC_API_KEY="test-key", EVALUATION_WAIT_SECONDS="0",
                        ANTHROPIC_BASE_URL=f"http://127.0.0.1:{model.server_address[1]}")
    try:
        wait_ready(port)
        assert _post(f"http://127.0.0.1:{port}/v1/api/sessions/{session.public_id}/answers", token,
                     {"answerText": "The log is written before the data page; replay redoes."}) == 202
        assert first_call.wait(timeout=60), "the worker never started evaluating"

        worker = _started(log, "evaluations")[0]
        os.killpg(worker, signal.SIGKILL)  # mid-evaluation: the task was not acknowledged
        killed_at = time.monotonic()
        serving = [answers_http(f"http://127.0.0.1:{port}/healthz") for _ in range(5)]
        restarted = wait_until(lambda: len(_started(log, "evaluations")) == 2, timeout=30)
        evaluated = wait_until(lambda: Answer.objects.get(session=session).status == "evaluated", timeout=90)
        redelivered_after = time.monotonic() - killed_at

        children_left = _stop_up(up, log)
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
        model.shutdown()

    assert all(serving)
    assert restarted
    assert evaluated
    assert redelivered_after < VISIBILITY_SECONDS + 60
    assert InterviewerResponse.objects.filter(answer__session=session).count() == 1
    assert children_left == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_rest_pages_static_files_and_the_socket_answer_on_one_port(transactional_db, tmp_path):
    pinned_theory_question(category="zz one port")
    user = UserFactory()
    token = login_start(user=user)["accessToken"]
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz one port"], duration=10)
    # Under the repository, not pytest's private tmp: nginx's workers run unprivileged and must read it.
    static_root = ROOT / "var" / f"test-static-{uuid.uuid4().hex[:8]}"
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True,
                   env={**os.environ, "STATIC_ROOT": str(static_root)}, timeout=120)
    up, port, log = _up(tmp_path, STATIC_ROOT=str(static_root))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(port)
        with urllib.request.urlopen(urllib.request.Request(  # noqa: S310 - loopback
                f"{base}/v1/api/users/me", headers={"Authorization": f"Bearer {token}"}), timeout=10) as response:
            me = json.loads(response.read())
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=10) as response:  # noqa: S310
            page = response.read().decode()
        with urllib.request.urlopen(f"{base}/static/css/app.css", timeout=10) as response:  # noqa: S310
            static = (response.read().decode(), response.headers["Server"])

        async def first_event() -> dict:
            async with websockets.connect(f"ws://127.0.0.1:{port}/v1/interviews/{session.public_id}?token={token}",
                                          open_timeout=10) as ws:
                return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))

        event = asyncio.run(first_event())
        children_left = _stop_up(up, log)
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
        shutil.rmtree(static_root)

    assert me["user"]["email"] == user.email
    assert "<form" in page
    assert static == ((ROOT / "static" / "css" / "app.css").read_text(), "nginx")
    assert event["type"] == "session_state"
    assert event["data"]["session"]["sessionId"] == session.public_id
    assert children_left == []
