"""The AsyncAPI 3.0 document of the live interview socket (/v1/asyncapi): valid for @asyncapi/parser (run through
node, zero errors), built from the same components as the OpenAPI document, and linked from /v1/docs."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PARSE = """
const { Parser } = require('@asyncapi/parser');
let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', async () => {
  const diagnostics = (await new Parser().parse(text)).diagnostics;
  console.log(JSON.stringify(diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message,
                                                       path: d.path.join('.') }))));
});
"""


def parser_diagnostics(document: str) -> list[dict]:
    done = subprocess.run([shutil.which("node") or "/usr/bin/node", "-e", PARSE], input=document, text=True,
                          capture_output=True, cwd=ROOT, timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def served(django_db_blocker) -> str:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/v1/asyncapi")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.content.decode()


def test_the_document_has_no_parser_errors(served):
    errors = [d for d in parser_diagnostics(served) if d["severity"] == 0]

    assert errors == []


def test_payloads_are_the_openapi_components(served, client):
    document = json.loads(served)
    openapi = client.get("/v1/schema?format=json").json()["components"]["schemas"]

    messages = document["components"]["messages"]
    assert document["asyncapi"] == "3.0.0"
    assert document["channels"]["interview"]["address"] == "/v1/interviews/{sessionId}"
    schemas = document["components"]["schemas"]
    evaluated = messages["answerEvaluated"]["payload"]["properties"]["data"]["$ref"].rsplit("/", 1)[1]
    # the answer of answer_evaluated is REST's answer component
    assert "#/components/schemas/AnswerOutput" in json.dumps(schemas[evaluated]["properties"]["answer"])
    shared = {name for name in schemas if name in openapi}
    assert {"AnswerOutput", "NextActionOutput", "PresentedQuestionOutput", "SessionDetailOutput",
            "ErrorSchema"} <= shared
    for name in shared:
        assert schemas[name] == openapi[name], name


def test_every_message_of_the_socket_is_described(served):
    document = json.loads(served)
    events = {message["name"] for message in document["components"]["messages"].values()}

    assert events >= {"session_state", "question_presented", "answer_evaluated", "ai_message_delta",
                      "typing_indicator", "session_completed", "error", "pong", "ping", "next_question",
                      "submit_answer", "complete", "typing"}
    actions = {(op["action"], op["title"]) for op in document["operations"].values()}
    assert ("send", "answer_evaluated") in actions
    assert ("receive", "submit_answer") in actions
    for code in ("4401", "4404", "4408", "1009"):
        assert code in document["info"]["description"]
    assert {"bearerHeader", "tokenQuery", "sessionCookie"} == set(document["components"]["securitySchemes"])


def test_yaml_on_request_and_the_server_is_this_host(client):
    response = client.get("/v1/asyncapi?format=yaml", HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    document = yaml.safe_load(response.content)
    assert document["servers"]["api"] == {**document["servers"]["api"], "host": "localhost:8000", "protocol": "ws"}


def test_the_swagger_page_links_to_it(client):
    response = client.get("/v1/docs")

    assert response.status_code == 200
    assert 'href="/v1/asyncapi"' in response.content.decode()


def test_other_methods_are_405_in_the_envelope(client):
    response = client.post("/v1/asyncapi")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
