"""Pages of the regulations engine: scoped by the access policy, writes through services."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.people.models import Relation
from canbo.regulations.models import LocalResolution, LocalTarget

from .. import factories as f


def person_url(world, name):
    return reverse("regulations:person_rules", kwargs={"person_id": world.people[name].pk})


def test_pages_require_login(client, world):
    response = client.get(person_url(world, "Trần Văn Bình"))
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


def test_person_page_shows_retirement_month_and_service_left(client, officer, world):
    client.force_login(officer)
    response = client.get(person_url(world, "Trần Văn Bình") + "?ngay=01/08/2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "07/2030" in html  # born 07/1968: 62 years, end of July 2030
    assert "60 tháng" in html  # service left from 1 August 2025


def test_eligibility_form_answers_rule_by_rule(client, officer, world):
    client.force_login(officer)
    seat = world.position("pho-truong-phong", "phong")
    response = client.get(
        person_url(world, "Phạm Văn Khải"),  # born 02/1965: 12 months left on 2 August 2025
        {"hanh_dong": "appoint", "vi_tri": seat.pk, "ngay_xet": "02/08/2025"},
    )
    html = response.content.decode()
    assert 'data-rule="service_left.appointment" data-status="fail"' in html
    assert "Không đủ điều kiện" in html
    assert "Quy định 80-QĐ/TW" in html


def test_eligibility_of_an_action_the_title_does_not_allow_is_a_message(client, officer, world):
    client.force_login(officer)
    seat = world.position("bi-thu-dang-uy-xa", "ward")
    response = client.get(
        person_url(world, "Lê Thị Hoa"), {"hanh_dong": "second", "vi_tri": seat.pk, "ngay_xet": "01/01/2026"}
    )
    assert response.status_code == 200
    assert "Không thể «biệt phái»" in response.content.decode()


def test_eligibility_with_a_malformed_date_names_the_field(client, officer, world):
    client.force_login(officer)
    seat = world.position("pho-truong-phong", "phong")
    response = client.get(person_url(world, "Lê Thị Hoa"), {"hanh_dong": "plan", "vi_tri": seat.pk, "ngay_xet": "31/02/2025"})
    html = response.content.decode()
    assert 'data-testid="eligibility-errors"' in html and "Ngày xét" in html


def test_eligibility_seat_outside_the_subtree_is_an_invalid_choice(client, ward_officer, world):
    client.force_login(ward_officer)
    outside = world.position("pho-truong-phong", "phong")  # under the city, not the ward
    response = client.get(person_url(world, "Lê Thị Hoa"), {"hanh_dong": "plan", "vi_tri": outside.pk, "ngay_xet": "01/01/2026"})
    assert 'data-testid="decision"' not in response.content.decode()
    assert "Vị trí" in response.content.decode()


def test_person_outside_the_subtree_is_404(client, ward_officer, world):
    client.force_login(ward_officer)
    assert client.get(person_url(world, "Phạm Văn Khải")).status_code == 404
    assert client.get(reverse("regulations:person_rules", kwargs={"person_id": 987654321})).status_code == 404


def test_relations_are_added_and_removed_through_the_services(client, officer, world):
    client.force_login(officer)
    binh, hoa = world.people["Trần Văn Bình"], world.people["Lê Thị Hoa"]
    url = reverse("regulations:person_relations", kwargs={"person_id": binh.pk})
    response = client.post(url, {"op": "add", "relative": hoa.pk, "kind": "spouse"})
    assert response.status_code == 302
    relation = Relation.objects.get(person=binh, relative=hoa)
    assert AuditEvent.objects.filter(action="relation.create", object_id=relation.pk).exists()
    page = client.get(person_url(world, "Trần Văn Bình")).content.decode()
    assert "Lê Thị Hoa" in page and "Vợ/chồng" in page
    client.post(url, {"op": "delete", "relation": relation.pk})
    assert not Relation.objects.exists()
    assert AuditEvent.objects.filter(action="relation.delete").exists()


def test_relation_to_oneself_is_refused_with_a_message(client, officer, world):
    client.force_login(officer)
    binh = world.people["Trần Văn Bình"]
    url = reverse("regulations:person_relations", kwargs={"person_id": binh.pk})
    response = client.post(url, {"op": "add", "relative": binh.pk, "kind": "sibling"}, follow=True)
    assert "chính mình" in response.content.decode()
    assert not Relation.objects.exists()


def test_relations_page_refuses_get_and_readers(client, world):
    reader = f.make_user("reader_city", grants=[(world.units["city"], "reader")])
    client.force_login(reader)
    url = reverse("regulations:person_relations", kwargs={"person_id": world.people["Trần Văn Bình"].pk})
    assert client.post(url, {"op": "add", "relative": world.people["Lê Thị Hoa"].pk, "kind": "spouse"}).status_code == 404
    officer = f.make_user("officer_x", grants=[(world.units["city"], "officer")])
    client.force_login(officer)
    assert client.get(url).status_code == 405


def test_deadlines_page_and_exports(client, officer, world):
    client.force_login(officer)
    url = reverse("regulations:deadlines", kwargs={"unit_id": world.units["city"].pk})
    response = client.get(url, {"tu": "01/01/2026", "den": "31/12/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phạm Văn Khải" in html  # born 02/1965: retires in August 2026
    assert "Trần Văn Bình" in html  # secretary since 05/2016: two terms in May 2026
    csv_response = client.get(url, {"tu": "01/01/2026", "den": "31/12/2026", "xuat": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Ngày đến hạn")
    assert "31/08/2026" in text
    xlsx = client.get(url, {"tu": "01/01/2026", "den": "31/12/2026", "xuat": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Ngày đến hạn"
    assert any(row[3] == "Phạm Văn Khải" for row in rows[2:])


def test_deadlines_with_a_bad_window_shows_the_field(client, officer, world):
    client.force_login(officer)
    url = reverse("regulations:deadlines", kwargs={"unit_id": world.units["city"].pk})
    html = client.get(url, {"tu": "01/01/2026", "den": "hôm qua"}).content.decode()
    assert "Đến ngày" in html and "dd/mm/yyyy" in html
    html = client.get(url, {"tu": "01/01/2026", "den": "01/01/2025"}).content.decode()
    assert "không được trước ngày bắt đầu" in html


def test_deadlines_outside_the_subtree_is_404(client, ward_officer, world):
    client.force_login(ward_officer)
    url = reverse("regulations:deadlines", kwargs={"unit_id": world.units["ward2"].pk})
    assert client.get(url).status_code == 404


def test_compliance_page_counts_and_drill_down(client, officer, world):
    client.force_login(officer)
    # Standing committee of the ward: a man and a woman; the city's: nobody. Add a kinship conflict.
    f.make_person(world.units["ward"], "Nguyễn Văn Sơn")
    son = world.people["Trần Văn Bình"]
    from canbo.people import services as people_services

    people_services.relation_create(actor=None, person=son, relative=world.people["Lê Thị Hoa"], kind="spouse")
    url = reverse("regulations:compliance", kwargs={"unit_id": world.units["city"].pk})
    html = client.get(url, {"ngay": "01/01/2026"}).content.decode()
    assert 'data-rule="compliance.kinship"' in html
    drill = client.get(url, {"ngay": "01/01/2026", "quy_tac": "compliance.kinship"}).content.decode()
    assert 'data-testid="drilldown"' in drill
    assert "Trần Văn Bình" in drill and "Lê Thị Hoa" in drill
    assert "Quy định 114-QĐ/TW" in drill


def test_compliance_reform_changes_findings_without_saving(client, officer, world):
    client.force_login(officer)
    url = reverse("regulations:compliance", kwargs={"unit_id": world.units["city"].pk})
    before = (LocalResolution.objects.count(), LocalTarget.objects.count(), AuditEvent.objects.count())
    html = client.get(url, {"ngay": "01/01/2026", "cc_targets__women__committee": "60"}).content.decode()
    assert 'data-testid="reform-diff"' in html
    # One woman of two committee members (50%) is below a 60% draft target.
    assert "Phát sinh thêm" in html
    assert (LocalResolution.objects.count(), LocalTarget.objects.count(), AuditEvent.objects.count()) == before


def test_compliance_queries_do_not_grow_with_people(client, officer, world, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("regulations:compliance", kwargs={"unit_id": world.units["city"].pk})
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"ngay": "01/01/2026"})
    for n in range(12):
        person = f.make_person(world.units["ward"], f"Ủy Viên Số {n}", birth_date=dt.date(1970 + n, 1, 1))
        f.make_assignment(person, world.position("uv-bch-dang-uy-xa", "ward"), kind="election")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"ngay": "01/01/2026"})


def test_person_page_queries_do_not_grow_with_relations(client, officer, world, django_assert_max_num_queries):
    client.force_login(officer)
    seat = world.position("pho-truong-phong", "phong")
    params = {"hanh_dong": "appoint", "vi_tri": seat.pk, "ngay_xet": "01/01/2026"}
    url = person_url(world, "Trần Văn Bình")
    from canbo.people import services as people_services

    people_services.relation_create(actor=None, person=world.people["Trần Văn Bình"], relative=world.people["Lê Thị Hoa"], kind="spouse")
    with django_assert_max_num_queries(60) as small:
        client.get(url, params)
    for n in range(6):
        other = f.make_person(world.units["ward"], f"Họ Hàng {n}")
        people_services.relation_create(actor=None, person=world.people["Trần Văn Bình"], relative=other, kind="sibling")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, params)


def test_targets_are_edited_by_administrators_with_history(client, admin_user, world):
    client.force_login(admin_user)
    url = reverse("regulations:targets", kwargs={"unit_id": world.units["city"].pk})
    response = client.post(url, {"op": "resolution", "nq-code": "04-NQ/TU", "nq-name": "Nghị quyết về cán bộ",
                                 "nq-issuer": "Thành ủy", "nq-issued_on": "01/01/2021", "nq-link": ""})  # fmt: skip
    assert response.status_code == 302
    resolution = LocalResolution.objects.get(code="04-NQ/TU")
    response = client.post(url, {"op": "target", "ct-resolution": resolution.pk, "ct-key": "targets.non_local.commune_heads",
                                 "ct-value": "50", "ct-effective_from": "01/01/2021", "ct-due_on": "31/12/2025"})  # fmt: skip
    assert response.status_code == 302
    target = LocalTarget.objects.get()
    assert float(target.value) == 0.5 and target.due_on == dt.date(2025, 12, 31)
    html = client.get(url).content.decode()
    assert "Lịch sử thay đổi chỉ tiêu" in html and "target.create" in html
    client.post(url, {"op": "delete_target", "target": target.pk})
    assert not LocalTarget.objects.exists()
    assert AuditEvent.objects.filter(action="target.delete").exists()


def test_targets_bad_value_is_refused_naming_the_field(client, admin_user, world):
    client.force_login(admin_user)
    url = reverse("regulations:targets", kwargs={"unit_id": world.units["city"].pk})
    client.post(url, {"op": "resolution", "nq-code": "NQ1", "nq-name": "Nghị quyết", "nq-issuer": "Thành ủy", "nq-issued_on": "01/01/2021"})
    resolution = LocalResolution.objects.get()
    html = client.post(url, {"op": "target", "ct-resolution": resolution.pk, "ct-key": "targets.women.committee",
                             "ct-value": "abc", "ct-effective_from": "32/01/2021"}).content.decode()  # fmt: skip
    assert "Giá trị" in html and "dd/mm/yyyy" in html
    assert not LocalTarget.objects.exists()


def test_targets_cannot_be_edited_by_officers(client, officer, world):
    client.force_login(officer)
    url = reverse("regulations:targets", kwargs={"unit_id": world.units["city"].pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"op": "resolution", "nq-code": "X", "nq-name": "X", "nq-issuer": "X", "nq-issued_on": "01/01/2021"})
    assert response.status_code == 403
    assert not LocalResolution.objects.exists()


def test_parameters_page_shows_values_sources_and_to_confirm(client, officer):
    client.force_login(officer)
    html = client.get(reverse("regulations:parameters"), {"ngay": "01/07/2025"}).content.decode()
    assert 'data-parameter="retirement.age.male"' in html
    assert "Bộ luật Lao động số 45/2019/QH14" in html
    assert "cần xác nhận" in html
    row = html.split('data-parameter="appointment.term_months"')[1].split("</tr>")[0]
    assert "cần xác nhận" in row  # successor decree of Decree 138/2020, to confirm


def test_listed_posts_page_says_the_catalogue_is_partial_and_admins_add(client, admin_user, world):
    client.force_login(admin_user)
    url = reverse("regulations:listed_posts")
    html = client.get(url).content.decode()
    assert "119 vị trí" in html and "mẫu" in html
    response = client.post(url, {"vt-sector": "Giáo dục", "vt-name": "Tuyển sinh", "vt-period_months": "36"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="listed_post.create").exists()
    html = client.post(url, {"vt-sector": "Giáo dục", "vt-name": "Cấp phát bằng", "vt-period_months": "6"}).content.decode()
    assert "từ 24 đến 60 tháng" in html


def test_position_chooser_lists_only_visible_seats(client, ward_officer, world):
    client.force_login(ward_officer)
    world.position("pho-truong-phong", "phong")
    html = client.get(reverse("regulations:position_chooser"), {"tim": ""}).content.decode()
    assert "Phó Bí thư Đảng ủy xã, phường" in html
    assert "Phó Trưởng phòng" not in html


@pytest.mark.parametrize("name", ["regulations:parameters", "regulations:listed_posts"])
def test_catalogue_pages_need_a_grant(client, db, name):
    client.force_login(f.make_user("nobody"))
    assert client.get(reverse(name)).status_code == 404


def test_listed_post_links_seats_in_scope_only(client, world):
    ward_admin = f.make_user("admin_ward", grants=[(world.units["ward"], "administrator")])
    client.force_login(ward_admin)
    inside, outside = world.position("chu-tich-ubnd-xa", "ward_ubnd"), world.position("pho-truong-phong", "phong")
    url = reverse("regulations:listed_posts")
    html = client.post(url, {"vt-sector": "Tài chính", "vt-name": "Kế toán phường", "vt-period_months": "36",
                             "vt-positions": f"{inside.pk}, {outside.pk}"}).content.decode()  # fmt: skip
    assert f"Không có vị trí mã {outside.pk} trong phạm vi của bạn" in html
    response = client.post(url, {"vt-sector": "Tài chính", "vt-name": "Kế toán phường", "vt-period_months": "36",
                                 "vt-positions": str(inside.pk)})  # fmt: skip
    assert response.status_code == 302
    from canbo.regulations.models import ListedPost

    assert list(ListedPost.objects.get(name="Kế toán phường").positions.all()) == [inside]
