"""The ``govsite`` console command: the project's ``manage.py``."""

import os
import sys


def main() -> None:
    # Production settings are the default so that a forgotten variable fails safe; `make run` picks dev.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
