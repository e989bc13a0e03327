"""`canbo demo` refuses bad arguments before touching the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canbo.org.models import Unit


@pytest.mark.parametrize("scale", ["abc", "0", "-1", "1000"])
def test_command_refuses_a_bad_scale(db, scale):
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", scale)
    assert not Unit.objects.exists()
