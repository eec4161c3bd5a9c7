"""Export questions in the bank format (the file imports back unchanged)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from domain.questions import QuestionType
from questionbank.models import Question
from questionbank.services import questions_export


class Command(BaseCommand):
    help = "Write questions as bank-format YAML to a file or stdout."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
        parser.add_argument("--type", choices=list(QuestionType))
        parser.add_argument("--status", choices=["draft", "published", "archived"])

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Question.objects.all()
        if options["type"]:
            queryset = queryset.filter(type=options["type"])
        if options["status"]:
            queryset = queryset.filter(status=options["status"])
        text = questions_export(queryset=queryset)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {queryset.count()} questions to {options['output']}")
        else:
            self.stdout.write(text, ending="")
