"""Examples for the OpenAPI document, made from its own schemas so that they cannot drift from them: each property
gets a value chosen by its name where the name says what it holds (an id with its prefix, an email, a score), else
its default, its first enum value, or a value of its type and format. Every request body and every response of
every operation gets one (docs/api.md, "The schema"); Redocly checks each against its schema."""

from typing import Any

from .exceptions import STATUS_CODES

WHEN = "2026-03-14T09:30:00Z"
ORIGIN = "https://cloudinterview.example"

BY_NAME: dict[str, Any] = {
    "userId": "user_5b1e0c8f2a9d4e7b6c3a1f08",
    "sessionId": "session_8c2f6a1d9e4b7c3a5f0e1d27",
    "answerId": "answer_3e7a9c1f5b2d8e4a6c0f9b13",
    "questionId": "q_7d41c0b9e2a6f358",
    "feedbackId": "feedback_6a9d2c4e8f1b3a7c5e0d9f42",
    "challengeId": "challenge_1f8b3d6a9c2e5f7a4b0c8d31",
    "responseId": "response_9b4e1a7c3f6d2b8e5a0c7f19",
    "webhookId": "wh_2c5f8a1e4b7d0c3f6a9e1b52",
    "deliveryId": "delivery_4a7c0e3b6f9d2a5c8e1b4f70",
    "eventId": "msg_7e0b3d6a9c2f5e8b1d4a7c93",
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "password": "analytical-engine-42",
    "currentPassword": "analytical-engine-42",
    "newPassword": "difference-engine-1822",
    "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoidXNlcl81YjFlIn0.c2lnbmF0dXJl",
    "refreshToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaWQiOiJsb2dpbl8xIn0.c2lnbmF0dXJl",
    "expiresIn": 900,
    "completeness": 82,
    "correctness": 75,
    "communication": 80,
    "overallScore": 78.5,
    "score": 78.5,
    "jobType": "Backend engineer",
    "title": "Two Sum",
    "text": "Return the indices of the two numbers that add up to the target.",
    "description": "Return the indices of the two numbers that add up to the target.",
    "answerText": "I would keep a hash map from value to index and look up target minus each value.",
    "approachExplanation": "One pass with a hash map: O(n) time, O(n) space.",
    "code": "def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n"
            "        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n",
    "category": "arrays",
    "topics": ["arrays", "hashing"],
    "tags": ["arrays", "hashing"],
    "skill": "Problem solving",
    "role": "Backend engineer",
    "summary": "A solid interview: clear reasoning, with room to test edge cases earlier.",
    "content": "Good use of a hash map. What happens with duplicate values?",
    "followUpQuestion": "What happens with duplicate values?",
    "message": "A short human-readable message.",
    "functionName": {"python": "two_sum", "javascript": "twoSum"},
    "starterCode": {"python": "def two_sum(nums, target):\n    pass\n",
                    "javascript": "function twoSum(nums, target) {\n}\n"},
    "input": [[2, 7, 11, 15], 9],
    "expected": [0, 1],
    "actual": [0, 1],
    "url": "https://hooks.example.com/cloudinterview",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "shareableLink": f"{ORIGIN}/share/Xq3v9JtR2mWc8LpZ5sKd1A",
    "downloadUrl": f"{ORIGIN}/v1/api/sessions/session_8c2f6a1d9e4b7c3a5f0e1d27/transcript.pdf",
    "runtime": "CPython",
    "version": "3.11.2",
    "model": "offline-rubric",
    "promptHash": "3f2a9c1e",
    "responseExcerpt": "OK",
    "evidence": ["Explained the hash-map approach before coding"],
}
BY_FORMAT = {"date-time": WHEN, "date": WHEN[:10], "email": "ada@example.com", "uri": f"{ORIGIN}/",
             "binary": "%PDF-1.7 …"}
BY_TYPE: dict[str, Any] = {"string": "text", "integer": 1, "number": 72.5, "boolean": True, "null": None,
                           "object": {}, "array": []}
MAX_DEPTH = 12


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind


def _fits(value: Any, kind: str | None) -> bool:
    """Whether a value by name suits the schema's type (`communication` is a score in one place, a skill in
    another)."""
    python_types = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                    "object": dict}
    return kind is None or isinstance(value, python_types.get(kind, object))


def _object(schema: dict[str, Any], components: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    if not properties and isinstance(schema.get("additionalProperties"), dict):
        return {"key": example(schema["additionalProperties"], components, depth=depth + 1)}
    return {name: example(sub, components, name=name, depth=depth + 1) for name, sub in properties.items()
            if not sub.get("writeOnly")}


def example(schema: dict[str, Any], components: dict[str, Any], name: str | None = None, depth: int = 0) -> Any:
    """An example value for `schema` (component schemas by name in `components`)."""
    schema = _resolve(schema, components)
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("allOf", "oneOf", "anyOf"):
        choices = [sub for sub in schema.get(key, []) if sub.get("type") != "null"]
        if choices:
            return example(choices[0], components, name, depth)
    kind = _type(schema)
    if name in BY_NAME and _fits(BY_NAME[name], kind):
        return BY_NAME[name]
    if depth > MAX_DEPTH:
        return BY_TYPE.get(kind or "null")
    if kind == "object" or "properties" in schema:
        return _object(schema, components, depth)
    if kind == "array":
        return [example(schema.get("items", {}), components, depth=depth + 1)]
    if kind in ("integer", "number") and "minimum" in schema:
        return max(schema["minimum"], BY_TYPE[kind])
    return BY_FORMAT.get(schema.get("format", ""), BY_TYPE.get(kind or "null"))


def error_example(status: str) -> dict[str, Any]:
    """The error envelope as a `status` response carries it, with the code the API uses for that status."""
    code = STATUS_CODES.get(int(status), "INTERNAL_ERROR")
    message = code.replace("_", " ").capitalize() + "."
    return {"success": False, "error": {"code": code, "message": message, "details": {}, "timestamp": WHEN}}
