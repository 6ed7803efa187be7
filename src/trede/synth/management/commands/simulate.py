"""trede simulate SCENARIO... --population N --replications R --horizon M --out DIR [--seed S]: the policy
simulation (issue 10) from the command line, with a progress bar. All options of trede.simulation.cli work here;
this command only hands them over (the simulation itself needs no database). --own-caseload takes the
municipality's caseload of today from trede's database (outcomes.exports.caseload_frame: no names, no ids) as the
population."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trede.simulation import cli


class Command(BaseCommand):
    help = (
        "Simulate the caseload under one or more scenarios (shipped names or TOML files; the first is the "
        "reference) and write the results (CSV, Parquet) to a folder. See docs/simulation.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for action in cli.parser()._actions:
            if action.dest == "help":
                continue
            kwargs = {"help": action.help, "default": action.default}
            if action.option_strings:
                if action.nargs == 0:
                    parser.add_argument(*action.option_strings, dest=action.dest, action="store_true", help=action.help)
                    continue
                kwargs["type"] = action.type
                kwargs["dest"] = action.dest
                parser.add_argument(*action.option_strings, **kwargs)
            else:
                parser.add_argument(action.dest, nargs="*", metavar="SCENARIO", help=action.help)
        parser.add_argument(
            "--own-caseload",
            action="store_true",
            help="the population is the caseload in this database today (instead of --population or --caseload)",
        )

    def handle(self, *args, **options) -> None:
        argv: list[str] = list(options.get("scenarios") or [])
        for action in cli.parser()._actions:
            if not action.option_strings or action.dest == "help":
                continue
            value = options.get(action.dest)
            if action.nargs == 0:
                if value:
                    argv.append(action.option_strings[0])
            elif value is not None and value != action.default:
                argv += [action.option_strings[0], str(value)]
        if options.get("own_caseload"):
            status = self._with_own_caseload(argv)
        else:
            status = cli.main(argv, stdout=self.stdout, stderr=self.stderr)
        if status:
            raise CommandError("the simulation did not run (see the message above)")

    def _with_own_caseload(self, argv: list[str]) -> int:
        import tempfile
        from pathlib import Path

        from django.utils import timezone

        from trede.outcomes.exports import caseload_frame

        frame = caseload_frame(timezone.localdate())
        self.stdout.write(f"own caseload: {len(frame):,} people on benefit today")
        with tempfile.TemporaryDirectory(prefix="trede-caseload-") as folder:
            path = Path(folder) / "caseload.parquet"
            frame.to_parquet(path, index=False)
            return cli.main([*argv, "--caseload", str(path)], stdout=self.stdout, stderr=self.stderr)
