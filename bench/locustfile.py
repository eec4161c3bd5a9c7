"""One simulated candidate for bench/load_test.py: it registers, then takes whole interviews over REST until the
run ends: start a technical session, take each question (answering it in text, or in code with an explanation
for a coding question, and its follow-up when one is asked), complete the session and read its report.

Each request is named after its step, so Locust's table has one row per step; two more rows time the whole
interview and the wait from `complete` to a ready report. A short pause between steps stands for the
candidate (LOAD_THINK_SECONDS, default 0.5 to 1.5 s).
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from locust import HttpUser, between, events, task

THINK = [float(s) for s in os.environ.get("LOAD_THINK_SECONDS", "0.5,1.5").split(",")]
DURATION = int(os.environ.get("LOAD_INTERVIEW_MINUTES", "20"))
TEXT = ("I would start from the requirements and the expected load, then weigh consistency against availability, "
        "latency against cost, and explain how the design fails and recovers, with an example from my last project.")
APPROACH = "A single pass keeping what I have seen in a dictionary, so the whole input is read once: O(n) time."
POLLS = 40  # a pending evaluation or report is read again this many times at most, 0.25 s apart


class Candidate(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        body = {"email": f"load-{uuid.uuid4().hex}@example.com", "password": "load-test-password-123"}
        with self.client.post("/v1/auth/register", json=body, name="register", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.stop()
                return
            token = response.json()["tokens"]["accessToken"]
        self.client.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, name: str, body: dict | None = None,
             ok: tuple[int, ...] = (200, 201)) -> dict[str, Any] | None:
        """The JSON body of a step, or None (recorded as a failure) when it answers another status."""
        with self.client.request(method, path, json=body, name=name, catch_response=True) as response:
            if response.status_code not in ok:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    def poll(self, path: str, name: str, ready: Any) -> dict[str, Any] | None:
        """Read `path` until `ready(body)`; None when it fails or is still not ready after POLLS reads."""
        for _ in range(POLLS):
            body = self.call("GET", path, name)
            if body is None or ready(body):
                return body
            time.sleep(0.25)
        return None

    def answer(self, base: str, question: dict[str, Any]) -> dict[str, Any] | None:
        """One answer, waited for until evaluated (a 202 means the server stopped waiting; the answer is read
        until it is)."""
        if question["type"] == "coding" and question.get("starterCode"):
            language = "python" if "python" in question["starterCode"] else next(iter(question["starterCode"]))
            body = {"codeSubmission": {"language": language, "code": question["starterCode"][language],
                                       "approachExplanation": APPROACH}}
            name = "answer (code)"
        else:
            body, name = {"answerText": TEXT}, "answer (text)"
        result = self.call("POST", f"{base}/answers", name, body, ok=(201, 202))
        if result is None or result["answer"].get("status") != "evaluating":
            return result
        return self.poll(f"{base}/answers/{result['answer']['answerId']}", "answer (read until evaluated)",
                         lambda b: b["answer"].get("status") != "evaluating")

    @task
    def interview(self) -> None:
        started = time.perf_counter()
        session = self.call("POST", "/v1/api/sessions", "start session",
                            {"mode": "technical", "duration": DURATION, "language": "python"})
        if session is None:
            return
        base = f"/v1/api/sessions/{session['session']['sessionId']}"
        while True:
            self.wait()
            presented = self.call("POST", f"{base}/questions/next", "next question")
            if presented is None:  # failed (recorded): this interview ends here, as after a failed answer
                return
            if presented["question"] is None:
                break
            result = self.answer(base, presented["question"])
            if result is not None and result.get("nextAction", {}).get("type") == "follow_up":
                self.wait()
                result = self.answer(base, {"type": "theory"})  # the follow-up is answered in words
            if result is None:
                return
        self.wait()
        completing = time.perf_counter()
        completed = self.call("POST", f"{base}/complete", "complete")
        if completed is None:
            return
        report = self.poll(f"/v1/api/feedback/{completed['feedback']['feedbackId']}", "report",
                           lambda b: b["feedback"]["status"] != "generating")
        if report is None:
            return
        self.record("complete → report ready", completing)
        self.record("whole interview", started)

    def record(self, name: str, since: float) -> None:
        events.request.fire(request_type="FLOW", name=name, response_time=(time.perf_counter() - since) * 1000,
                            response_length=0, exception=None, context={})
