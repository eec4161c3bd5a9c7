"""The verification example in docs/webhooks.md works on a real delivery."""

import re
from pathlib import Path

import pytest

from tests.webhooks.helpers import endpoint_for
from webhooks.services.endpoints import endpoint_rotate_secret
from webhooks.services.outbox import endpoint_ping

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"

pytestmark = pytest.mark.django_db


def _documented_verify():
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation's example
    return namespace["verify"]


def test_the_documented_verifier_accepts_a_real_delivery_with_either_secret_and_rejects_a_forgery(
        user, receiver, django_capture_on_commit_callbacks):
    verify = _documented_verify()
    endpoint, old = endpoint_for(user, receiver.url())
    endpoint, new = endpoint_rotate_secret(endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_ping(endpoint=endpoint)
    (received,) = receiver.requests

    verify(old, received.headers, received.body)
    verify(new, received.headers, received.body)
    with pytest.raises(ValueError, match="no valid signature"):
        verify(new, received.headers, received.body + b" ")
