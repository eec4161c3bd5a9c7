"""The one time format of the API: ISO 8601 in UTC ending in Z."""

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow_iso() -> str:
    return iso(datetime.now(UTC))  # type: ignore[return-value]
