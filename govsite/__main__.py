"""The ``govsite`` console command: the project's ``manage.py``."""

import os
import sys


def main() -> None:
    # Production settings are the default so that a forgotten variable fails safe; `make run` picks dev.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.production")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Commands are spelt with hyphens on the command line (`govsite check-text`); Django names them after
    # their module files, which take underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
