"""One small demo city per test module, built once through the real command and rolled back after."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

SCALE = "0.05"
SEED = 11


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`canbo demo --scale 0.05 --seed 11 --json`, kept for the module's tests.

    The build runs inside an outer transaction; each test's own `db` transaction nests in it as a
    savepoint, and the whole city is rolled back when the module ends, so other tests never see it.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", "--scale", SCALE, "--seed", str(SEED), "--json", stdout=out)
            yield json.loads(out.getvalue())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
