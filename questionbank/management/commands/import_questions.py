"""Import questions from bank-format files, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from questionbank.bankfile import BankFileError, parse_files
from questionbank.services import questions_import


class Command(BaseCommand):
    help = "Import (create or update by slug) questions from YAML files in the bank format."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            questions = parse_files(options["files"])
        except BankFileError as exc:
            raise CommandError("nothing imported:\n" + "\n".join(exc.problems)) from exc
        self.stdout.write(questions_import(questions=questions).summary())
