"""The standard title catalogue: its content, the idempotent loader and `canbo titles`."""

import io
import json
import unicodedata

import pytest
from django.core.management import call_command

from canbo.audit.models import AuditEvent
from canbo.org import services as org_services
from canbo.org.catalogue import STANDARD_TITLES, TITLES_BY_CODE, load_standard_titles
from canbo.org.models import ManagingBody, Title, UnitKind


def test_catalogue_names_managing_bodies_and_kinds_are_well_formed():
    assert len(TITLES_BY_CODE) == len(STANDARD_TITLES) >= 60
    for spec in STANDARD_TITLES:
        assert unicodedata.is_normalized("NFC", spec.name)
        assert spec.managing_body in ManagingBody.values
        assert spec.unit_kinds and set(spec.unit_kinds) <= set(UnitKind.values), spec.code
        assert len(spec.code) <= 60 and len(spec.name) <= 150


def test_a_post_managed_by_different_bodies_is_two_titles():
    ward_secretary = TITLES_BY_CODE["bi-thu-dang-uy-xa"]
    cell_secretary = TITLES_BY_CODE["bi-thu-chi-bo"]
    assert ward_secretary.managing_body == ManagingBody.PROVINCIAL_STANDING
    assert cell_secretary.managing_body == ManagingBody.GRASSROOTS_COMMITTEE
    assert ward_secretary.rank > cell_secretary.rank
    assert TITLES_BY_CODE["truong-phong"].managing_body == ManagingBody.AGENCY_HEAD
    assert TITLES_BY_CODE["truong-phong-ubnd-xa"].managing_body == ManagingBody.AFFILIATED_STANDING
    # Heads outrank their deputies; staff seats are not leadership and are never heads.
    for spec in STANDARD_TITLES:
        deputy = TITLES_BY_CODE.get(f"pho-{spec.code}")
        if deputy is not None:
            assert spec.is_head and not deputy.is_head and spec.rank > deputy.rank
    staff = [TITLES_BY_CODE[code] for code in ("chuyen-vien", "cong-chuc-xa", "vien-chuc")]
    assert all(not s.is_leadership and not s.is_head for s in staff)


@pytest.mark.django_db
def test_load_is_idempotent_and_restores_edited_titles():
    assert load_standard_titles() == len(STANDARD_TITLES)
    assert Title.objects.count() == len(STANDARD_TITLES)
    created = AuditEvent.objects.filter(action="title.create").count()
    assert created == len(STANDARD_TITLES)
    events = AuditEvent.objects.count()
    assert load_standard_titles() == 0
    assert AuditEvent.objects.count() == events

    title = Title.objects.get(code="bi-thu-chi-bo")
    org_services.title_update(actor=None, title=title, name="Bí thư chi bộ (sửa tay)", rank=1)
    custom = org_services.title_create(actor=None, code="to-truong-tdp", name="Tổ trưởng tổ dân phố",
                                       managing_body=ManagingBody.AGENCY_HEAD)  # fmt: skip
    assert load_standard_titles() == 1
    title.refresh_from_db()
    assert (title.name, title.rank) == ("Bí thư chi bộ", TITLES_BY_CODE["bi-thu-chi-bo"].rank)
    restored = AuditEvent.objects.filter(action="title.update", object_id=title.pk).order_by("-id").first()
    assert restored.before["name"] == "Bí thư chi bộ (sửa tay)" and restored.after["name"] == "Bí thư chi bộ"
    assert Title.objects.filter(pk=custom.pk).exists()  # titles users added are left alone


@pytest.mark.django_db
def test_titles_command_loads_and_lists():
    out = io.StringIO()
    call_command("titles", "load", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "changed": len(STANDARD_TITLES), "standard": len(STANDARD_TITLES), "total": len(STANDARD_TITLES)
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="title.create", source="cli").count() == len(STANDARD_TITLES)
    out = io.StringIO()
    call_command("titles", "load", stdout=out)
    assert "0 chức danh được tạo hoặc cập nhật" in out.getvalue()
    out = io.StringIO()
    call_command("titles", "list", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["code"] == "bi-thu-thanh-uy"  # highest rank first
    assert {row["code"] for row in rows} == set(TITLES_BY_CODE)
    chuyen_vien = next(row for row in rows if row["code"] == "chuyen-vien")
    assert chuyen_vien["is_leadership"] is False and "division" in chuyen_vien["unit_kinds"]
    out = io.StringIO()
    call_command("titles", "list", stdout=out)
    assert "Bí thư Thành ủy" in out.getvalue() and "không phải lãnh đạo" in out.getvalue()
