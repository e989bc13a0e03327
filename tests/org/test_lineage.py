"""A unit on a day it does not exist: no seats, nothing to fill, the date it began or ended and
the units before or after it, on the page and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from canbo.access import services as access_services
from canbo.audit.selectors import events_for
from canbo.org import services

from .. import factories as f

BEFORE_REFORM = "15/03/2025"


def detail_url(unit):
    return reverse("org:unit_detail", kwargs={"unit_id": unit.pk})


@pytest.fixture
def merged(hn):
    """Ward A took over from the legacy district on 1 July 2025."""
    services.unit_update(actor=hn.admin, unit=hn.ward_a, predecessors=[hn.district])
    return hn


def test_before_it_was_established_a_unit_has_no_seats_and_no_action(hn, as_user):
    response = as_user(hn.officer_a).get(detail_url(hn.ward_a), {"ngay": BEFORE_REFORM})
    body = response.content.decode()
    assert response.context["seats"] == [] and response.context["own_vacancies"] == 0
    for seat in ("ward_a", "ward_a_deputy"):
        assert f'id="seat-{hn.seats[seat].pk}"' not in body
        assert reverse("people:assignment_create", kwargs={"position_id": hn.seats[seat].pk}) not in body
    assert "Phân công" not in body and "Còn trống" not in body
    assert reverse("org:position_create", kwargs={"unit_id": hn.ward_a.pk}) not in body
    assert "Đơn vị được thành lập ngày 01/07/2025: vào ngày 15/03/2025 đơn vị chưa tồn tại" in body
    # The figures of the day: no seat, no vacancy.
    assert (response.context["counts"].seats, response.context["counts"].vacancies) == (0, 0)


def test_the_page_links_the_predecessors_as_of_their_last_day(merged, as_user):
    hn = merged
    body = as_user(hn.admin).get(detail_url(hn.ward_a), {"ngay": BEFORE_REFORM}).content.decode()
    notice = body[body.index('data-testid="not-existing"') :]
    assert "Đơn vị tiền thân:" in notice
    assert f'{detail_url(hn.district)}?ngay=30/06/2025">Đảng bộ quận Hai Bà Trưng</a>' in notice


def test_predecessors_outside_the_scope_are_counted_not_named(merged, as_user):
    hn = merged
    body = as_user(hn.officer_a).get(detail_url(hn.ward_a), {"ngay": BEFORE_REFORM}).content.decode()
    assert "Hai Bà Trưng" not in body
    assert "(và 1 đơn vị ngoài phạm vi được xem)" in body


def test_after_its_dissolution_a_unit_has_no_seats_and_links_its_successors(merged, as_user):
    hn = merged
    response = as_user(hn.admin).get(detail_url(hn.district))
    body = response.content.decode()
    assert response.context["seats"] == []
    assert f'id="seat-{hn.seats["district"].pk}"' not in body and "Phân công" not in body
    assert "Đơn vị hoạt động đến hết ngày 30/06/2025" in body
    assert f'{detail_url(hn.ward_a)}?ngay=01/07/2025">Đảng ủy phường Ba Đình</a>' in body
    # On its last day it still has its seat, its holder and its actions.
    last_day = as_user(hn.admin).get(detail_url(hn.district), {"ngay": "30/06/2025"}).content.decode()
    assert f'id="seat-{hn.seats["district"].pk}"' in last_day and "Phân công" in last_day
    assert 'data-testid="not-existing"' not in last_day


def test_a_unit_existing_on_the_day_still_offers_its_seats(hn, as_user):
    body = as_user(hn.officer_a).get(detail_url(hn.ward_a)).content.decode()
    assert reverse("people:assignment_create", kwargs={"position_id": hn.seats["ward_a_deputy"].pk}) in body
    assert "Còn trống: 1" in body and 'data-testid="not-existing"' not in body


def api(client, user):
    _token, key = access_services.api_token_create(actor=None, user=user, name="thử")
    return lambda url: client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_api_gives_no_seats_before_establishment_or_after_dissolution(hn, client):
    get = api(client, hn.admin)
    before = get(f"/api/units/{hn.ward_a.pk}/positions?as_of=2025-03-15").json()
    assert (before["count"], before["items"], before["seat_count"], before["vacancies"]) == (0, [], 0, 0)
    assert before["exists_on_date"] is False
    today = get(f"/api/units/{hn.ward_a.pk}/positions").json()
    assert today["exists_on_date"] is True and today["count"] == 2 and today["vacancies"] == 1
    seat = get(f"/api/positions/{hn.seats['ward_a_deputy'].pk}?as_of=2025-03-15").json()
    assert (seat["unit_exists_on_date"], seat["holders"], seat["vacancies"]) == (False, [], 0)
    after = get(f"/api/units/{hn.district.pk}/positions").json()
    assert (after["items"], after["vacancies"], after["exists_on_date"]) == ([], 0, False)
    last_day = get(f"/api/units/{hn.district.pk}/positions?as_of=2025-06-30").json()
    assert last_day["count"] == 1 and last_day["items"][0]["holders"][0]["person_id"] == hn.people["district_secretary"].pk


def test_the_api_lists_predecessors_and_successors_in_scope(merged, client):
    hn = merged
    admin = api(client, hn.admin)
    assert admin(f"/api/units/{hn.ward_a.pk}").json()["predecessor_ids"] == [hn.district.pk]
    assert admin(f"/api/units/{hn.district.pk}").json()["successor_ids"] == [hn.ward_a.pk]
    officer = api(client, hn.officer_a)
    assert officer(f"/api/units/{hn.ward_a.pk}").json()["predecessor_ids"] == []


def test_predecessors_are_checked_and_audited(hn):
    with pytest.raises(ValidationError) as caught:
        services.unit_update(actor=hn.admin, unit=hn.ward_a, predecessors=[hn.ward_b])
    assert "chưa giải thể" in caught.value.message_dict["predecessors"][0]
    late = f.make_unit("Chi bộ Giải Thể Muộn", parent=hn.root, code="HN-MUON", dissolved_on=dt.date(2025, 8, 1))
    with pytest.raises(ValidationError) as caught:
        services.unit_update(actor=hn.admin, unit=hn.ward_a, predecessors=[late])
    assert "sau ngày thành lập đơn vị này (01/07/2025)" in caught.value.message_dict["predecessors"][0]
    services.unit_update(actor=hn.admin, unit=hn.ward_a, predecessors=[hn.district])
    event = events_for(hn.ward_a).filter(action="unit.update").latest("id")
    assert "predecessor_ids" not in event.before and event.after["predecessor_ids"] == [hn.district.pk]


def test_the_unit_form_sets_predecessors_and_keeps_those_the_user_cannot_see(merged, as_user):
    hn = merged
    data = {"name": hn.ward_a.name, "short_name": "", "code": hn.ward_a.code, "kind": hn.ward_a.kind, "area": "",
            "established_on": "01/07/2025", "dissolved_on": "", "note": "Đổi ghi chú"}  # fmt: skip
    response = as_user(hn.officer_a).post(reverse("org:unit_update", kwargs={"unit_id": hn.ward_a.pk}), data)
    assert response.status_code == 302
    hn.ward_a.refresh_from_db()
    assert hn.ward_a.note == "Đổi ghi chú"
    assert list(hn.ward_a.predecessors.all()) == [hn.district]  # outside officer A's scope, kept
    page = as_user(hn.admin).get(reverse("org:unit_update", kwargs={"unit_id": hn.ward_a.pk})).content.decode()
    assert "Đảng bộ quận Hai Bà Trưng (đến hết 30/06/2025)" in page


def test_the_history_names_the_predecessors(merged, as_user):
    hn = merged
    response = as_user(hn.auditor).get(reverse("org:unit_history", kwargs={"unit_id": hn.ward_a.pk}))
    changes = {c.label: c.after for row in response.context["rows"] for c in row.changes}
    assert changes["đơn vị tiền thân"] == "Đảng bộ quận Hai Bà Trưng"
