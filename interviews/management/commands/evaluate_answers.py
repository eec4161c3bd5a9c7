"""Score answer sets with the offline interviewer and report agreement with their grades (docs/evaluation.md)."""

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.ai import OfflineInterviewer
from interviews.services.answer_sets import AnswerSetError, answer_set_read, answer_set_score, report_lines


class Command(BaseCommand):
    help = ("Score JSONL answer sets through the real evaluation path (code runs in the sandbox first) and print "
            "rho, pairwise order, mean absolute error per type and kind, and the worst disagreements.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="JSONL answer sets (docs/evaluation.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The offline interviewer, whatever AI_PROVIDER says: a measurement must be reproducible and offline.
        # Each eager sandbox run would log its whole result; the report is what matters here.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        try:
            answers = answer_set_read(paths=options["files"])
            scored = answer_set_score(answers=answers, interviewer=OfflineInterviewer())
        except AnswerSetError as exc:
            raise CommandError("cannot score the set:\n" + "\n".join(exc.problems)) from exc
        for line in report_lines(scored):
            self.stdout.write(line)
