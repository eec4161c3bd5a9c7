"""API conventions shared by every app: envelope, errors, ids, pagination, throttles."""
