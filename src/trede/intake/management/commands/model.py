"""trede model: train, list, import, export and activate versions of the time-to-work model.

trede model train [--holdout 0.2] [--seed 2026] [--today YYYY-MM-DD]   a new version, not yet in use
trede model list                                                        versions and which one is in use
trede model export N FILE                                               a version as a file
trede model import FILE                                                 a file as a new version (checked)
trede model activate N --by USERNAME                                    a person puts a version into use
"""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.core.models import User
from trede.intake.models import ModelVersion
from trede.intake.services import model_activate, model_export, model_import, model_train


class Command(BaseCommand):
    help = "Train, list, import, export and activate versions of the time-to-work model."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a new version on this municipality's history of benefit spells")
        train.add_argument("--holdout", type=float, default=0.2, help="share of clients kept apart for the checks")
        train.add_argument("--seed", type=int, default=2026)
        train.add_argument("--penalizer", type=float, default=0.0)
        train.add_argument("--today", type=dt.date.fromisoformat, default=None)
        sub.add_parser("list", help="the versions and which one is in use")
        export = sub.add_parser("export", help="write a version to a file")
        export.add_argument("number", type=int)
        export.add_argument("file", type=Path)
        imp = sub.add_parser("import", help="store a model file as a new version (not yet in use)")
        imp.add_argument("file", type=Path)
        act = sub.add_parser("activate", help="put a version into use (a person: --by)")
        act.add_argument("number", type=int)
        act.add_argument("--by", required=True, help="username of the functional administrator who decides")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _train(self, *, holdout, seed, penalizer, today, **_):
        version = model_train(
            actor=None, today=today or timezone.localdate(), holdout=holdout, seed=seed, penalizer=penalizer
        )
        t, a = version.training, version.accuracy
        self.stdout.write(
            f"model {version.number}: {t['spells']} spells ({t['events']} to work, "
            f"{100 * t['censored_share']:.0f}% censored), trained in {t['seconds']} s; hold-out concordance "
            f"{a['concordance']:.3f}, Brier(12) {a['brier_12']:.3f}. Not in use: "
            f"trede model activate {version.number} --by <administrator>"
        )

    def _list(self, **_):
        for v in ModelVersion.objects.order_by("number"):
            self.stdout.write(f"{v.number:>4}  {v.status:<8} {v.created_at:%Y-%m-%d %H:%M}  {v.origin}")

    def _export(self, *, number, file, **_):
        version = ModelVersion.objects.filter(number=number).first()
        if version is None:
            raise CommandError(f"no model {number}")
        file.write_bytes(model_export(version))
        self.stdout.write(f"model {number} written to {file}")

    def _import(self, *, file, **_):
        content = file.read_bytes() if file.exists() else None
        version = model_import(actor=None, content=content, name=file.name)
        self.stdout.write(f"{file}: stored as model {version.number} (not in use)")

    def _activate(self, *, number, by, **_):
        version = ModelVersion.objects.filter(number=number).first()
        if version is None:
            raise CommandError(f"no model {number}")
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {by!r}")
        model_activate(actor=actor, version=version)
        self.stdout.write(f"model {number} is in use (activated by {by})")
