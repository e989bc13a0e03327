"""The forms write through the services: audited on success, Vietnamese field errors and nothing saved on failure."""

import datetime as dt

from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.org.models import Position, Unit, UnitKind

from .. import factories as f


def url(name, obj, kw="unit_id"):
    return reverse(name, kwargs={kw: obj.pk})


def unit_data(**overrides):
    data = {
        "name": "Chi bộ tổ dân phố số 2",
        "short_name": "",
        "code": "HN-BADINH-CB2",
        "kind": UnitKind.PARTY_CELL,
        "area": "",
        "established_on": "15/08/2025",
        "dissolved_on": "",
        "note": "",
    }
    data.update(overrides)
    return data


def unchanged(fn):
    """Snapshot of everything a failed form might have written."""
    return (Unit.objects.count(), Position.objects.count(), AuditEvent.objects.count(), fn())


def test_unit_create_adds_a_child_through_the_service(hn, as_user):
    response = as_user(hn.officer_a).post(url("org:unit_create", hn.ward_a), unit_data())
    unit = Unit.objects.get(code="HN-BADINH-CB2")
    assert response.status_code == 302 and response["Location"] == url("org:unit_detail", unit)
    assert Unit.objects.get_parent(unit) == hn.ward_a
    assert unit.established_on == dt.date(2025, 8, 15)
    event = events_for(unit).get()
    assert (event.action, event.actor, event.after["parent_id"]) == ("unit.create", hn.officer_a, hn.ward_a.pk)


def test_unit_form_shows_date_inputs_as_text(hn, as_user):
    body = as_user(hn.officer_a).get(url("org:unit_create", hn.ward_a)).content.decode()
    assert 'name="established_on"' in body and 'placeholder="dd/mm/yyyy"' in body
    assert 'type="date"' not in body


def test_dissolved_before_established_is_refused_on_the_field(hn, as_user):
    before = unchanged(lambda: None)
    response = as_user(hn.officer_a).post(
        url("org:unit_create", hn.ward_a), unit_data(established_on="01/09/2025", dissolved_on="01/08/2025")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["dissolved_on"] == ["Ngày giải thể không được trước ngày thành lập."]
    assert "Ngày giải thể không được trước ngày thành lập." in response.content.decode()
    assert unchanged(lambda: None) == before


def test_badly_typed_date_names_the_format(hn, as_user):
    response = as_user(hn.officer_a).post(url("org:unit_create", hn.ward_a), unit_data(established_on="2025-08-15"))
    assert "dd/mm/yyyy" in response.context["form"].errors["established_on"][0]
    assert not Unit.objects.filter(code="HN-BADINH-CB2").exists()


def test_duplicate_code_is_refused_on_the_code_field(hn, as_user):
    before = unchanged(lambda: None)
    response = as_user(hn.officer_a).post(url("org:unit_create", hn.ward_a), unit_data(code=hn.ward_b.code))
    assert response.status_code == 200
    assert "đã được dùng" in response.context["form"].errors["code"][0]
    assert unchanged(lambda: None) == before


def test_unit_update_changes_fields_and_records_before_and_after(hn, as_user):
    data = unit_data(name="Đảng ủy phường Ba Đình (mới)", code=hn.ward_a.code, kind=hn.ward_a.kind, established_on="01/07/2025")
    response = as_user(hn.officer_a).post(url("org:unit_update", hn.ward_a), data)
    assert response.status_code == 302
    hn.ward_a.refresh_from_db()
    assert hn.ward_a.name == "Đảng ủy phường Ba Đình (mới)"
    event = events_for(hn.ward_a).filter(action="unit.update").get()
    assert (event.before["name"], event.after["name"]) == ("Đảng ủy phường Ba Đình", "Đảng ủy phường Ba Đình (mới)")


def test_unit_update_error_saves_nothing(hn, as_user):
    before = unchanged(lambda: Unit.objects.get(pk=hn.ward_a.pk).name)
    data = unit_data(name="Tên mới", code=hn.ward_a.code, kind=hn.ward_a.kind, established_on="01/07/2025", dissolved_on="30/06/2025")
    response = as_user(hn.officer_a).post(url("org:unit_update", hn.ward_a), data)
    assert response.status_code == 200 and "dissolved_on" in response.context["form"].errors
    assert unchanged(lambda: Unit.objects.get(pk=hn.ward_a.pk).name) == before


def test_unit_move_moves_the_subtree(hn, as_user):
    response = as_user(hn.admin).post(url("org:unit_move", hn.cell_a), {"parent": hn.ward_b.pk})
    assert response.status_code == 302
    hn.cell_a.refresh_from_db()
    assert Unit.objects.get_parent(hn.cell_a) == hn.ward_b
    event = events_for(hn.cell_a).filter(action="unit.move").get()
    assert (event.before["parent_id"], event.after["parent_id"]) == (hn.ward_a.pk, hn.ward_b.pk)


def test_move_under_own_descendant_shows_the_service_error(hn, as_user):
    before = unchanged(lambda: list(Unit.objects.order_by("pk").values_list("path", flat=True)))
    response = as_user(hn.admin).post(url("org:unit_move", hn.ward_a), {"parent": hn.cell_a.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "Không thể chuyển đơn vị vào chính nó hoặc một đơn vị cấp dưới của nó."
    ]
    assert unchanged(lambda: list(Unit.objects.order_by("pk").values_list("path", flat=True))) == before


def test_move_offers_only_units_the_user_can_edit(hn, as_user):
    client = as_user(hn.officer_a)
    choices = set(client.get(url("org:unit_move", hn.cell_a)).context["form"].fields["parent"].queryset)
    assert hn.ward_a in choices and hn.ward_b not in choices and hn.root not in choices
    response = client.post(url("org:unit_move", hn.cell_a), {"parent": hn.ward_b.pk})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert Unit.objects.get_parent(Unit.objects.get(pk=hn.cell_a.pk)) == hn.ward_a


def test_position_create_and_update(hn, as_user):
    client = as_user(hn.officer_a)
    title = f.make_title("chu-tich-ubnd", "Chủ tịch Ủy ban nhân dân", rank=8)
    response = client.post(url("org:position_create", hn.ward_a), {"title": title.pk, "seat_count": 1, "is_key_post": "on"})
    assert response.status_code == 302
    seat = Position.objects.get(unit=hn.ward_a, title=title)
    assert seat.is_key_post and events_for(seat).get().actor == hn.officer_a
    response = client.post(url("org:position_update", seat, "position_id"), {"seat_count": 3, "note": "Theo Đề án 2025"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.seat_count, seat.is_key_post, seat.note) == (3, False, "Theo Đề án 2025")


def test_seat_count_below_holders_is_refused_on_the_field(hn, as_user):
    seat = hn.seats["ward_a_deputy"]
    f.make_assignment(f.make_person(hn.ward_a, "Mai Văn Hai"), seat, start_date=dt.date(2025, 8, 1))
    before = unchanged(lambda: Position.objects.get(pk=seat.pk).seat_count)
    response = as_user(hn.officer_a).post(url("org:position_update", seat, "position_id"), {"seat_count": 1})
    assert response.status_code == 200
    assert response.context["form"].errors["seat_count"] == ["Số lượng không được nhỏ hơn số người đã đảm nhiệm cùng lúc (2)."]
    assert unchanged(lambda: Position.objects.get(pk=seat.pk).seat_count) == before


def test_title_already_seated_is_not_offered(hn, as_user):
    response = as_user(hn.officer_a).post(url("org:position_create", hn.ward_a), {"title": hn.secretary.pk, "seat_count": 1})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert Position.objects.filter(unit=hn.ward_a, title=hn.secretary).count() == 1
