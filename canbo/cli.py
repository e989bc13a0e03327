"""The `canbo` console command: Django's management commands under the project's settings.

`canbo demo`, `canbo areas load`, `canbo rules …` and the rest are management commands of the
apps; this entry point only sets the settings module and the working directory's database.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["canbo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
