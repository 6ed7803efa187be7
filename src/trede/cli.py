"""The `trede` command: every management command without manage.py paths (trede synth, trede runserver, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trede.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "trede"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
