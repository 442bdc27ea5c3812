"""How long the demo region takes to build (示范自治区), at the 2017 report's full size and at the size the
browser tests use, each into a fresh, migrated SQLite database.

    .venv/bin/python bench/demo_build.py [--registry-size 1952] [--articles-per-column 1]

Prints the seconds of `govsite demo` alone (migrations are not counted) and the rows it wrote. Replaces
the wall-clock assertion the report-scale test used to make (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry-size", type=int, default=1952)
    parser.add_argument("--articles-per-column", type=int, default=1)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="govsite-bench-demo-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsite.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from govsite.registry.models import Website

    started = time.perf_counter()
    call_command("demo", registry_size=args.registry_size, articles_per_column=args.articles_per_column,
                 verbosity=0)
    seconds = time.perf_counter() - started
    print(f"demo region, registry size {args.registry_size}, {args.articles_per_column} article(s) per column:")
    print(f"    {seconds:.1f} s to build, {Website.objects.count()} websites registered")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
