"""The live interview's `complete`: feedback's door onto the socket, beside interviews.live's actions."""

from accounts.models import User
from interviews.live import door
from interviews.services.flow import session_for_user

from .services import session_complete


@door
def complete(*, user: User, session_id: str, request_id: str | None) -> None:
    """As POST complete, without waiting: `session_completed` follows when the feedback is written."""
    session_complete(session=session_for_user(user=user, session_id=session_id), request_id=request_id)
