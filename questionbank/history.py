"""Version history of questions (django-reversion): every change through any door is one revision of one
question, its parts included, so the history of a question is read and diffed without scanning other
questions' versions (docs/curation.md, "History").

Reverting does not replay reversion's raw rows: the stored version is turned back into a bank entry and
written by the import service, so it is validated, bumps the rubric version and drops stale checks like any
other change.
"""

from collections import defaultdict
from typing import Any

import reversion
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from accounts.models import User

from .entries import bank_diff, bank_entry
from .models import FollowUp, Hint, Misconception, Question, RedFlag, RubricPoint, Signature, TestCase

# The related name of each part, as the bank entry builder reads them.
PARTS = {"hints": Hint, "follow_ups": FollowUp, "rubric_points": RubricPoint, "misconceptions": Misconception,
         "red_flags": RedFlag, "signatures": Signature, "test_cases": TestCase}
HISTORY_LENGTH = 30

for _model in PARTS.values():
    reversion.register(_model)
reversion.register(Question, follow=tuple(PARTS))


def history_record(*, question: Question, comment: str, user: User | None = None) -> None:
    """Store the question as it is now, with all its parts, as one revision (after the parts are written)."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(question)
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)


def _entry_from_versions(versions: list[Version]) -> dict[str, Any]:
    """A bank entry (question_to_bank's shape) from the versions of one revision."""
    by_model: dict[type, list[Any]] = defaultdict(list)
    for version in versions:
        model = version._model
        by_model[model].append(model(**version.field_dict))
    question = by_model[Question][0]
    ordering = {"signatures": lambda s: s.language}
    children = {name: sorted(by_model[model], key=ordering.get(name, lambda c: (c.position, c.pk)))
                for name, model in PARTS.items()}
    return bank_entry(question, children)


def history_entries(*, question: Question) -> list[dict[str, Any]]:
    """The question's latest revisions, newest first, each with its diff against the one before it.

    A fixed number of queries whatever the history's length: the question's versions, then every version of
    those revisions (each revision holds this one question and its parts).
    """
    own = list(Version.objects.get_for_object(question).select_related("revision", "revision__user")
               .order_by("-revision__date_created", "-pk")[:HISTORY_LENGTH + 1])
    ContentType.objects.get_for_models(Question, *PARTS.values())  # warms the cache version._model reads
    grouped: dict[int, list[Version]] = defaultdict(list)
    for version in Version.objects.filter(revision_id__in=[v.revision_id for v in own]).order_by("pk"):
        grouped[version.revision_id].append(version)
    states = [_entry_from_versions(grouped[v.revision_id]) for v in own]
    return [{"version_id": version.pk, "date": version.revision.date_created, "user": version.revision.user,
             "comment": version.revision.get_comment(),
             "diff": bank_diff(states[index + 1] if index + 1 < len(states) else None, states[index])}
            for index, version in enumerate(own[:HISTORY_LENGTH])]


def history_version(*, question: Question, version_id: int) -> tuple[dict[str, Any], Any]:
    """The bank entry the question had in one of its versions, and when that version was saved."""
    version = Version.objects.get_for_object(question).select_related("revision").get(pk=version_id)
    versions = list(Version.objects.filter(revision_id=version.revision_id))
    return _entry_from_versions(versions), version.revision.date_created
