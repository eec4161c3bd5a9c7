"""The socket as a non-browser client meets it (docs/api.md, "Live interview"): the Authorization header on the
handshake, REST's progress and error shapes, and the prompt ids that keep a resent answer off the follow-up."""

import pytest
from channels.db import database_sync_to_async

from interviews.models import Answer
from tests.interviews import test_consumers as consumers
from tests.interviews.test_consumers import ANSWER, closed_with, events_until, token_socket

pytestmark = pytest.mark.django_db(transaction=True)

live, started, sockets = consumers.live, consumers.started, consumers.sockets  # the socket tests' fixtures


class TestAuthorizationHeader:
    async def test_a_bearer_header_authenticates_from_any_origin(self, sockets, started):
        communicator = sockets(f"/v1/interviews/{started.session_id}",
                               [(b"authorization", f"Bearer {started.token}".encode()),
                                (b"origin", b"https://elsewhere.example")])
        connected, _ = await communicator.connect()
        event = await communicator.receive_json_from()

        assert connected
        assert event["type"] == "session_state"
        assert event["data"]["session"]["sessionId"] == started.session_id

    @pytest.mark.parametrize("value", ["Bearer not-a-jwt", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"])
    async def test_a_bad_authorization_header_closes_with_4401(self, sockets, live, value):
        communicator = sockets(f"/v1/interviews/{live.session_id}", [(b"authorization", value.encode())])
        connected, _ = await communicator.connect()

        assert connected
        assert await closed_with(communicator) == 4401

    async def test_the_query_token_still_wins_over_a_header(self, sockets, started):
        communicator = sockets(f"/v1/interviews/{started.session_id}?token={started.token}",
                               [(b"authorization", b"Bearer not-a-jwt")])
        await communicator.connect()

        assert (await communicator.receive_json_from())["type"] == "session_state"


class TestPromptIds:
    async def test_a_follow_up_names_its_own_id_and_a_resent_answer_cannot_take_it(self, sockets, started):
        communicator = await token_socket(sockets, started)
        question_id = await database_sync_to_async(lambda: started.session.plan.get().question.public_id)()
        await communicator.send_json_to({"type": "submit_answer", "data": {**ANSWER, "questionId": question_id}})
        evaluated = (await events_until(communicator, "answer_evaluated"))[-1]
        await communicator.receive_json_from(timeout=5)  # the interviewer stops typing

        await communicator.send_json_to({"type": "submit_answer", "requestId": "again",
                                         "data": {**ANSWER, "questionId": question_id}})
        refused = await communicator.receive_json_from(timeout=5)

        assert evaluated["data"]["nextAction"]["questionId"] == f"{question_id}-followup"
        assert evaluated["data"]["nextAction"]["isFollowUp"] is True
        assert refused["type"] == "error"
        assert refused["requestId"] == "again"
        assert refused["data"]["code"] == "INVALID_STATE"
        assert refused["data"]["details"]["field"] == "questionId"
        assert set(refused["data"]) == {"code", "message", "details", "timestamp"}
        assert await Answer.objects.filter(session=started.session).acount() == 1

        await communicator.send_json_to({"type": "submit_answer",
                                         "data": {"answerText": "Checkpoints bound the redo work.",
                                                  "questionId": f"{question_id}-followup"}})
        follow_up = (await events_until(communicator, "answer_evaluated"))[-1]
        assert follow_up["data"]["answer"]["isFollowUp"] is True
