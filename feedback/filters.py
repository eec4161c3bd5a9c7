"""FilterSets of feedback's list endpoints (django-filter): the selectors filter with them, the API documents
their parameters in OpenAPI, and the pages reuse them, so a filter means the same at every door."""

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field

from cloudinterview.choices import Mode
from interviews.models import InterviewSession, SessionStatus

from .analytics import day_start


class DateOrDateTimeField(forms.Field):
    """A date means its first instant (UTC); a date-time is taken as given (naive ones are UTC)."""

    default_error_messages = {"invalid": "Use a date (YYYY-MM-DD) or an ISO 8601 date-time."}

    def to_python(self, value: Any) -> datetime | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            moment = parse_datetime(text)
            day = parse_date(text) if moment is None else None
        except ValueError:  # well formed but impossible, such as 2026-02-30
            moment = day = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day_start(day)


@extend_schema_field({"type": "string", "description": "A date (2026-01-20) or a date-time (2026-01-20T15:30:00Z); "
                                                       "naive date-times are UTC"})
class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


class SessionHistoryFilter(django_filters.FilterSet):
    """`GET /users/me/sessions` and the sessions page: mode, status, and `startDate` (inclusive, on createdAt)."""

    mode = django_filters.ChoiceFilter(choices=Mode.choices)
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    startDate = DateOrDateTimeFilter(field_name="created_at", lookup_expr="gte")  # noqa: N815

    class Meta:
        model = InterviewSession
        fields = ["mode", "status", "startDate"]
