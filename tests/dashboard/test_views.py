"""The dashboard's date handling: a day before the figures' parameters exist is refused clearly."""

import pytest
from django.core.management import CommandError, call_command

from canbo.common.dates import today

from .. import factories as f


def test_a_date_before_the_figures_are_defined_shows_today_with_a_message(client, db):
    root = f.make_unit("Đảng bộ Thành phố", kind="provincial_committee", code="T-ROOT")
    client.force_login(f.make_user("lanhdao", grants=[(root, "reader")]))
    response = client.get(f"/bao-cao/{root.pk}/?ngay=01/01/1990")
    assert response.status_code == 200
    assert response.context["as_of"] == today()
    assert "01/01/1990" in response.context["as_of_error"]


def test_report_command_refuses_a_date_before_the_figures_exist(db):
    root = f.make_unit("Đảng bộ Thành phố", kind="provincial_committee", code="T-ROOT2")
    with pytest.raises(CommandError, match="--date"):
        call_command("report", "quotas", "--unit", str(root.pk), "--date", "1990-01-01")
