"""Load the bundled bank (questionbank/bank/**/*.yaml): idempotent, matched by slug."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from questionbank.bankfile import BankFileError, parse_files
from questionbank.services import questions_import

BANK_DIR = Path(__file__).resolve().parents[2] / "bank"


class Command(BaseCommand):
    help = "Load or update the bundled question bank; never duplicates, prints counts per type."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--path", type=Path, default=BANK_DIR, help="directory of bank YAML files")

    def handle(self, *args: Any, **options: Any) -> None:
        files = sorted(options["path"].rglob("*.yaml"))
        if not files:
            raise CommandError(f"no bank files under {options['path']}")
        try:
            questions = parse_files(files)
        except BankFileError as exc:
            raise CommandError("the bank does not validate:\n" + "\n".join(exc.problems)) from exc
        report = questions_import(questions=questions)
        self.stdout.write(f"Question bank: {len(questions)} questions from {len(files)} files; {report.summary()}")
