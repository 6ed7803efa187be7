"""trede importclients FILE.csv: register clients from the municipality's previous system, all rows or none."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trede.clients.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, ImportRejected, clients_import


class Command(BaseCommand):
    help = (
        "Import clients from a CSV file (UTF-8, header row). Required columns: "
        + ", ".join(IMPORT_REQUIRED)
        + ". Optional: "
        + ", ".join(IMPORT_OPTIONAL)
        + ". One bad row refuses the whole file; every problem is listed with its line and field."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--delimiter", default=None, help="column separator (default: detected, ; or ,)")
        parser.add_argument("--dry-run", action="store_true", help="check the file, store nothing")

    def handle(self, *args, file: Path, delimiter: str | None, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        text = file.read_text(encoding="utf-8-sig")
        if delimiter is None:
            delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
        try:
            count = clients_import(actor=None, rows=rows, dry_run=dry_run)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}: refused, nothing stored ({len(exc.problems)} problem(s))") from None
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{file}: {verb} {count} client(s)")
