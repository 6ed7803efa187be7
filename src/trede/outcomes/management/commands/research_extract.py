"""trede research_extract --key-file F --out DIR --by USERNAME [--on YYYY-MM-DD]: write the pseudonymised research
extract (Parquet and CSV per table, README.md and manifest.json) into a new or empty folder.

The key file holds the secret key of the pseudonyms (its bytes; one trailing line break is ignored), at least 16
bytes — for example made with `openssl rand -hex 32 > key`. Keep it apart from the extract: with the same key a
later extract gives every client the same pseudonym; the key is never written into the extract."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.core.models import User
from trede.outcomes.exports import research_extract


def read_key(path: Path) -> bytes:
    """The key file's bytes without one trailing line break (as `echo` or `openssl rand -hex` leave it)."""
    data = path.read_bytes()
    for ending in (b"\r\n", b"\n"):
        if data.endswith(ending):
            return data[: -len(ending)]
    return data


class Command(BaseCommand):
    help = "Write the pseudonymised research extract (Parquet and CSV, with a README and manifest) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--key-file", type=Path, required=True, help="file with the secret pseudonym key")
        parser.add_argument("--out", type=Path, required=True, help="new or empty folder for the extract")
        parser.add_argument("--by", required=True, help="username of the policy analyst or functional administrator")
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="extract date (default today)")

    def handle(self, *args, key_file: Path, out: Path, by: str, on: dt.date | None, **options):
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {by!r}")
        try:
            key = read_key(key_file)
        except OSError as exc:
            raise CommandError(f"cannot read the key file: {exc.strerror or exc}") from None
        try:
            manifest = research_extract(actor=actor, key=key, out_dir=out, on=on or timezone.localdate())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        tables = ", ".join(f"{t.name} {t.rows}" for t in manifest.tables)
        self.stdout.write(
            f"extract {manifest.extract_id} on {manifest.on}: {manifest.clients} clients into {out} ({tables})"
        )
