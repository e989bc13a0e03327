"""Shared by the audit, backup and grant commands: exit codes and JSON output.

Exit status: 0 all is well, 1 the check failed (chain broken, restored data differs), 2 bad
input or a refusal (unreadable file, wrong database, a backup that does not match its manifest).
"""

import json

from django.core.management.base import CommandError

CHECK_FAILED = 1
BAD_INPUT = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def failed_check(message: str) -> CommandError:
    return CommandError(message, returncode=CHECK_FAILED)


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
