"""The AsyncAPI 3.0 document of the live interview socket, `/v1/interviews/{sessionId}`, served at `/v1/asyncapi`.

Its payload schemas are the OpenAPI components drf-spectacular generates from the same output serializers that
REST and the socket serialize with (interviews.serializers, feedback.serializers, cloudinterview.api.schema), so
the two documents cannot drift: the socket-only shapes (the `session_state` snapshot, `question_presented`,
`session_completed`) are resolved by the same generator, beside the REST components, into one `components.schemas`.
It lives here because this app assembles the whole socket (feedback.consumers). docs/api.md, "Live interview".
"""

import copy
import functools
import json
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import build_mocked_view
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from cloudinterview.api.exceptions import error_json
from cloudinterview.api.schema import ErrorSchema
from interviews.consumers import REQUEST_ID_MAX
from interviews.serializers import AnswerInput, AnswerResultOutput, QuestionPresentedEventOutput, SessionStateOutput

from .serializers import SessionCompletedEventOutput

CHANNEL = "interview"
ADDRESS = "/v1/interviews/{sessionId}"
EMPTY = {"type": "object", "additionalProperties": False, "description": "No data (`{}`; may be omitted)."}


class TypingIndicatorData(serializers.Serializer):
    isTyping = serializers.BooleanField()
    userId = serializers.CharField(help_text="`ai_interviewer` while an answer is evaluated, else the candidate's "
                                             "user id (relayed from another socket's `typing`)")


class AiMessageDeltaData(serializers.Serializer):
    answerId = serializers.CharField()
    delta = serializers.CharField(help_text="the next piece of the interviewer's reply, in order")


class TypingData(serializers.Serializer):
    isTyping = serializers.BooleanField()


# (message name, event type, payload serializer or raw schema, summary, description)
SERVER_MESSAGES: list[tuple[str, str, Any, str, str]] = [
    ("sessionState", "session_state", SessionStateOutput, "The snapshot, first on every socket",
     "Sent to this socket only, once, right after the handshake: the session detail (REST's GET session), the "
     "current question, the follow-up awaiting an answer and the latest evaluation (whose nextAction.questionId "
     "names that follow-up)."),
    ("questionPresented", "question_presented", QuestionPresentedEventOutput, "A question was presented",
     "The body of REST's `POST …/questions/next` (without `success`): `question` (null when the plan is used up, "
     "then nextAction complete) and `session` with REST's progress {currentQuestionIndex, remainingQuestions, "
     "estimatedTimeRemaining}; `session.totalQuestions` is deprecated."),
    ("answerEvaluated", "answer_evaluated", AnswerResultOutput, "An answer was evaluated",
     "The body of a 201 `POST …/answers` (without `success`), to every socket on the session whichever door took "
     "the answer. nextAction says what follows; a follow_up carries the follow-up's questionId."),
    ("aiMessageDelta", "ai_message_delta", AiMessageDeltaData, "A piece of the interviewer's reply",
     "While the interviewer writes its reply (when the provider streams), before `answer_evaluated`."),
    ("typingIndicator", "typing_indicator", TypingIndicatorData, "Someone is typing",
     "`ai_interviewer` true when an evaluation starts and false when it ends; a candidate's own `typing` relayed to "
     "the session's other sockets."),
    ("sessionCompleted", "session_completed", SessionCompletedEventOutput, "The session is complete",
     "When the report is written (after `complete` from any door): the session's scores and the report's id."),
    ("error", "error", ErrorSchema, "A message was refused",
     "REST's `error` object, with REST's codes (VALIDATION_ERROR, INVALID_STATE, RATE_LIMITED, NOT_FOUND, "
     "INVALID_TOKEN…), to this socket only, carrying the refused message's requestId. The socket stays open, "
     "except after INVALID_TOKEN (closed with 4401)."),
    ("pong", "pong", EMPTY, "The answer to a client's ping", "To this socket only."),
    ("serverPing", "ping", EMPTY, "The heartbeat",
     "Sent when the socket has been silent for WS_HEARTBEAT_SECONDS; any message from the client within "
     "WS_HEARTBEAT_TIMEOUT_SECONDS keeps it open (a `ping` is the usual answer), else it is closed with 4408."),
]
CLIENT_MESSAGES: list[tuple[str, str, Any, str, str]] = [
    ("nextQuestion", "next_question", EMPTY, "Present the next question",
     "As `POST …/questions/next`; `question_presented` follows on every socket. Sessions rate scope."),
    ("submitAnswer", "submit_answer", AnswerInput, "Answer the current prompt",
     "`data` is the body of `POST …/answers`, `questionId` included (strongly advised: a stale one is refused with "
     "INVALID_STATE, so a resent answer never becomes the follow-up's). `typing_indicator` follows at once, "
     "`answer_evaluated` when the evaluation is done. Sessions rate scope."),
    ("complete", "complete", EMPTY, "Complete the session",
     "As `POST …/complete`; `session_completed` follows when the report is written. Sessions rate scope."),
    ("typing", "typing", TypingData, "The candidate is typing",
     "Relayed as `typing_indicator` to the session's other sockets. At most WS_SOCKET_RATE (5/s) with `ping`."),
    ("clientPing", "ping", EMPTY, "Are you there?", "Answered with `pong`; also answers the server's `ping`."),
]

DESCRIPTION = """The live interview: one socket per open interview page or client, on one session. REST and the
socket are two doors to one state machine: every interview event reaches every socket on the session, whichever door
(or server process) caused it.

**Authentication** (one of): `Authorization: Bearer <accessToken>` on the handshake (non-browser clients),
`?token=<accessToken>`, or the page's session cookie (browsers; only from an allowed Origin, else HTTP 403 at the
handshake). Token sockets are accepted from any origin.

**Messages** are JSON text frames `{"type", "data", "requestId"?}`. A client's `requestId` (a string of at most
128 characters) is echoed on the events its message causes and on its `error`.

**Sequence**: the handshake is accepted, then `session_state` arrives. The client sends `next_question` and gets
`question_presented`; it sends `submit_answer` and gets `typing_indicator` (true), perhaps `ai_message_delta`s,
`answer_evaluated`, then `typing_indicator` (false); when nextAction is follow_up it answers with
`questionId` = nextAction.questionId, else it asks `next_question` again; when nextAction is complete (or at any time
once started) it sends `complete` and gets `session_completed`.

**Close codes**: 4401 no or bad credentials (or the login ended), 4404 unknown session or another user's,
4408 no answer to the server's `ping`, 1009 message larger than WS_MAX_MESSAGE_BYTES (256 KiB), 1011 server error.

**Heartbeat**: a socket silent for WS_HEARTBEAT_SECONDS (25 s) receives `ping`; it must send any message within
WS_HEARTBEAT_TIMEOUT_SECONDS (10 s) or it is closed with 4408.

**Limits**: `next_question`, `submit_answer` and `complete` count under the sessions rate scope per user, shared
with REST; `typing` and `ping` at most 5 per second per socket; over a limit the message is refused with an `error`
RATE_LIMITED.
"""


def _envelope(event_type: str, data: dict[str, Any], *, server: bool) -> dict[str, Any]:
    request_id = {"type": "string", "maxLength": REQUEST_ID_MAX,
                  "description": ("the requestId of the client message that caused it" if server else
                                  "any string: echoed on the events this message causes")}
    return {"type": "object", "additionalProperties": False, "required": ["type", "data"] if server else ["type"],
            "properties": {"type": {"type": "string", "const": event_type}, "data": data, "requestId": request_id}}


def _reachable(schemas: dict[str, Any], roots: list[Any]) -> dict[str, Any]:
    """The components the messages use, and those they use in turn."""
    keep: dict[str, Any] = {}
    pending = list(roots)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/") and (name := ref.rsplit("/", 1)[1]) not in keep:
                keep[name] = schemas[name]
                pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return dict(sorted(keep.items()))


def _messages(payloads: dict[str, dict[str, Any]], listing: list[tuple[str, str, Any, str, str]],
              server: bool) -> dict[str, Any]:
    return {name: {"name": event_type, "title": event_type, "summary": summary, "description": description,
                   "contentType": "application/json",
                   "payload": _envelope(event_type, payloads[name], server=server)}
            for name, event_type, _, summary, description in listing}


def _operations(listing: list[tuple[str, str, Any, str, str]], action: str) -> dict[str, Any]:
    verb = "receive" if action == "send" else "send"  # from the client's side: it receives what the server sends
    return {f"{verb}{name[0].upper()}{name[1:]}": {
        "action": action, "title": event_type, "summary": summary,
        "channel": {"$ref": f"#/channels/{CHANNEL}"},
        "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{name}"}]}
        for name, event_type, _, summary, _ in listing}


@functools.cache
def _document() -> dict[str, Any]:
    """The document without its server (which depends on the request's host): generated once per process."""
    generator = SchemaGenerator()
    resolver = build_mocked_view("GET", ADDRESS, extend_schema(), generator.registry).schema
    payloads: dict[str, dict[str, Any]] = {}
    for listing, direction in ((SERVER_MESSAGES, "response"), (CLIENT_MESSAGES, "request")):
        for name, _, payload, _, _ in listing:
            payloads[name] = payload if isinstance(payload, dict) else resolver.resolve_serializer(
                payload, direction).ref
    schemas = generator.get_schema(request=None, public=True)["components"]["schemas"]
    # AsyncAPI (operations from the application's side): the server sends events, receives client messages.
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "CloudInterview live interview", "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                 "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "channels": {CHANNEL: {
            "address": ADDRESS, "title": "Live interview",
            "description": "One interview session's socket (see the document's description).",
            "parameters": {"sessionId": {"description": "The session's id (`session_…`), the owner's only."}},
            "messages": {name: {"$ref": f"#/components/messages/{name}"}
                         for name, *_ in (*SERVER_MESSAGES, *CLIENT_MESSAGES)},
            "bindings": {"ws": {"method": "GET", "bindingVersion": "0.1.0",
                                "query": {"type": "object", "properties": {"token": {
                                    "type": "string", "description": "An access token (instead of a header)"}}},
                                "headers": {"type": "object", "properties": {"Authorization": {
                                    "type": "string", "description": "Bearer <accessToken>"}}}}},
        }},
        "operations": {**_operations(SERVER_MESSAGES, "send"), **_operations(CLIENT_MESSAGES, "receive")},
        "components": {
            "messages": {**_messages(payloads, SERVER_MESSAGES, True), **_messages(payloads, CLIENT_MESSAGES, False)},
            "schemas": _reachable(schemas, list(payloads.values())),
            "securitySchemes": {
                "bearerHeader": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                 "description": "`Authorization: Bearer <accessToken>` on the handshake"},
                "tokenQuery": {"type": "httpApiKey", "in": "query", "name": "token",
                               "description": "`?token=<accessToken>`"},
                "sessionCookie": {"type": "httpApiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                                  "description": "The pages' session cookie, from an allowed Origin only"},
            },
        },
    }


def asyncapi_document(*, host: str, secure: bool) -> dict[str, Any]:
    """The whole document, with this server's address."""
    document = copy.deepcopy(_document())
    document["info"]["externalDocs"] = {"description": "The REST API (OpenAPI), whose components these payloads reuse",
                                        "url": f"{'https' if secure else 'http'}://{host}{reverse('schema')}"}
    security = [{"$ref": f"#/components/securitySchemes/{name}"} for name in document["components"]["securitySchemes"]]
    document["servers"] = {"api": {"host": host, "protocol": "wss" if secure else "ws",
                                   "description": "This server", "security": security}}
    return document


def asyncapi_view(request: HttpRequest) -> HttpResponse:
    """`/v1/asyncapi`: JSON, or YAML with `?format=yaml` (or an Accept naming YAML), outside the envelope like
    /v1/schema."""
    if request.method not in ("GET", "HEAD"):
        response = error_json(405, f"Method {request.method} is not allowed here.")
        response["Allow"] = "GET, HEAD"
        return response
    document = asyncapi_document(host=request.get_host(), secure=request.is_secure())
    wants_yaml = request.GET.get("format") == "yaml" or "yaml" in request.headers.get("Accept", "")
    if wants_yaml:
        return HttpResponse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                            content_type="application/yaml; charset=utf-8")
    return HttpResponse(json.dumps(document, indent=2), content_type="application/json")
