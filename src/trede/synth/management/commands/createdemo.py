"""trede createdemo [--clients N]: the demo municipality and one account per role (idempotent; `make demo`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trede.synth.demo import DEMO_CLIENTS, DEMO_PASSWORD, DEMO_SEED, DEMO_URL, demo_accounts, demo_ensure
from trede.synth.generator import MAX_CLIENTS, MIN_CLIENTS
from trede.synth.loader import SynthError, require_demo_mode


class Command(BaseCommand):
    help = (
        "Create the demo: a synthetic municipality (when there are no clients yet) and one account per role, "
        "all with the published demo password. Safe to run again: a second run changes nothing. "
        "Demo only: refuses unless TREDE_DEMO=1 or TREDE_DEBUG=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients",
            type=int,
            default=DEMO_CLIENTS,
            help=f"clients to generate when there are none (default {DEMO_CLIENTS})",
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"random seed (default {DEMO_SEED})")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        try:
            require_demo_mode("createdemo makes accounts with a published password")
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if not MIN_CLIENTS <= options["clients"] <= MAX_CLIENTS:
            raise CommandError(f"--clients must be between {MIN_CLIENTS:,} and {MAX_CLIENTS:,}")
        try:
            result = demo_ensure(
                clients=options["clients"],
                seed=options["seed"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
                echo=self.stdout.write,
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if result.load is not None:
            load = result.load
            self.stdout.write(
                f"Generated a synthetic municipality: {load.spec.clients:,} clients "
                f"({load.on_benefit:,} on benefit), {load.caseworkers} caseworkers in {load.teams} "
                f"teams, in {load.seconds:.1f} s (seed {load.spec.seed})."
            )
        else:
            self.stdout.write("Clients exist already: nothing generated.")
        self.stdout.write(
            f"Accounts created: {', '.join(result.created)}."
            if result.created
            else "All demo accounts exist already: nothing changed."
        )
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        rows = [("Username", "Role", "Name", "Team", "Clients")] + [
            (a["username"], a["role"], a["name"], a["team"], "" if a["clients"] is None else str(a["clients"]))
            for a in demo_accounts()
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}  (demo only: it is public)")
        self.stdout.write(f"Open {DEMO_URL} and log in.")
