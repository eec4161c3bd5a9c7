"""The domain's refusals, as plain exceptions with no HTTP in them.

Services raise these; each door maps the kind to its own form: the REST handler to a status and an error code in
the envelope (cloudinterview/api/exceptions.py), the socket to an `error` event with the same code, the pages to
a form error or a 404 (docs/api.md, "Errors").
"""

from typing import Any


class ApplicationError(Exception):
    """A request the domain refuses. `field` names the input at fault in the API's own terms (camelCase, dotted
    for nested fields), so every door can point at it; `issue` says what is wrong with it."""

    default_message = "The request was refused."

    def __init__(self, message: str | None = None, *, field: str | None = None, issue: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        self.issue = issue or self.message
        super().__init__(self.message)

    @property
    def details(self) -> dict[str, Any]:
        return {"field": self.field, "issue": self.issue} if self.field else {}


class InvalidInput(ApplicationError):
    default_message = "Invalid request."

    @property
    def details(self) -> dict[str, Any]:
        """Shaped like a serializer's validation error, so clients read both the same way."""
        return {**super().details, "fields": {self.field: [self.issue]}} if self.field else {}


class WrongPassword(InvalidInput):
    """The password given to confirm an account change is not the account's."""


class TooLarge(ApplicationError):
    default_message = "The request is too large."


class InvalidCredentials(ApplicationError):
    default_message = "Email or password is incorrect."


class InvalidToken(ApplicationError):
    default_message = "The token is invalid, expired or revoked."


class NotFound(ApplicationError):
    """Also what another user's record is: its existence is never revealed."""

    default_message = "Not found."


class AlreadyExists(ApplicationError):
    default_message = "The resource already exists."


class InvalidState(ApplicationError):
    """The action is not allowed in the current state (answering a completed session, ...)."""

    default_message = "The action is not allowed in the current state."


class Unavailable(ApplicationError):
    """A service the action needs (the code sandbox) did not answer; the same request may work shortly."""

    default_message = "A service this needs is unavailable; retry shortly."
