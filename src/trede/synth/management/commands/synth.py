"""trede synth --clients N [--seed S] [--today YYYY-MM-DD] [--clear]: generate a synthetic municipality."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trede.core.selectors import rules_on
from trede.synth.generator import MAX_CLIENTS, MIN_CLIENTS, Spec, spec_rules
from trede.synth.loader import LoadResult, SynthError, require_demo_mode, synth_load
from trede.synth.report import profile_report


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: use YYYY-MM-DD, not {value!r}") from exc


def print_result(cmd: BaseCommand, result: LoadResult) -> None:
    spec = result.spec
    cmd.stdout.write(
        f"Generated {spec.clients:,} clients ({result.on_benefit:,} on benefit today), {result.caseworkers} "
        f"caseworkers in {result.teams} teams; seed {spec.seed}, history up to {spec.today:%Y-%m-%d}, caseload "
        f"norm {spec.caseload_norm}."
    )
    cmd.stdout.write(
        f"{result.seconds:.1f} s in all ({result.clients_per_second:,.0f} clients/s): generating "
        f"{result.generate_seconds:.1f} s, writing {result.write_seconds:.1f} s."
    )
    width = max(len(k) for k in result.counts)
    for label, n in result.counts.items():
        cmd.stdout.write(f"  {label:<{width}}  {n:>12,}")
    cmd.stdout.write("Calibration (clients on benefit today):")
    for name, value, target, source in (f.row() for f in profile_report(spec.today)):
        cmd.stdout.write(f"  {name:<34} {value:>10}   target {target:>7}   {source}")


class Command(BaseCommand):
    help = (
        "Generate a synthetic municipality (clients, households, two years of history, teams and caseworkers) "
        "and load it into the database. Deterministic for a given --seed, --clients and --today. "
        "Synthetic data only: BSNs from a reserved range, invented names and addresses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients",
            type=int,
            default=3000,
            help=f"number of clients ({MIN_CLIENTS:,}-{MAX_CLIENTS:,}; default 3000)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--today", type=_date, default=None, help="last day of the history, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help=(
                "first delete all clients, teams, districts and generated staff accounts (demo only: needs "
                "TREDE_DEMO=1 or TREDE_DEBUG=1, and refuses when a client has a BSN outside the synthetic range; "
                "ids are never reused)"
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        if options["clear"]:
            try:
                require_demo_mode("synth --clear deletes every client")
            except SynthError as exc:
                raise CommandError(str(exc)) from exc
        today = options["today"] or timezone.localdate()
        if isinstance(today, str):  # call_command(today="...") skips the argument parser
            today = _date(today)
        rules = rules_on(today)
        try:
            norm = int(rules["caseload_norm"])
        except KeyError as exc:
            raise CommandError(f"No rule set valid on {today} defines caseload_norm; run migrate first.") from exc
        try:
            spec = Spec(
                clients=options["clients"], seed=options["seed"], today=today, caseload_norm=norm, **spec_rules(rules)
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = synth_load(
                spec,
                clear=options["clear"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
                echo=self.stdout.write,
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            print_result(self, result)
