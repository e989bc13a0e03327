"""The admin page that verifies the audit hash chain: superusers only; intact or the first broken link."""

import pytest
from django.urls import reverse

from canbo.audit.models import AuditLink

from .. import factories as f
from .conftest import drop_event_trigger, sql

pytestmark = pytest.mark.django_db

URL = reverse("admin:audit_auditevent_verify")


@pytest.fixture
def superuser_client(city, client):
    f.make_person(city["ward_a"], "Nguyễn Văn An")
    client.force_login(f.make_user("root", superuser=True))
    return client


def test_the_page_shows_the_head_and_verifies_on_request(superuser_client):
    page = superuser_client.get(URL).content.decode()
    assert "Kiểm tra chuỗi băm nhật ký" in page and "Chuỗi chưa có mắt xích nào." in page
    assert 'id="verify-result"' not in page  # a GET only shows; the walk runs on POST
    page = superuser_client.post(URL).content.decode()
    links = AuditLink.objects.count()
    assert links > 0
    assert f"Chuỗi băm nguyên vẹn: {links} mắt xích đã kiểm tra" in page
    assert f"Đầu chuỗi: mắt xích số {links}," in superuser_client.get(URL).content.decode()


def test_the_page_reports_the_first_broken_link(superuser_client):
    superuser_client.post(URL)
    link = AuditLink.objects.order_by("seq")[1]
    drop_event_trigger()
    sql("UPDATE audit_auditevent SET object_repr = 'đã sửa' WHERE id = %s", [link.event_id])
    page = superuser_client.post(URL).content.decode()
    assert "Chuỗi băm bị phá vỡ." in page
    assert f"Nội dung sự kiện số {link.event_id} (mắt xích số {link.seq}) đã bị sửa sau khi ghi." in page


def test_the_changelist_links_to_the_page(superuser_client):
    assert URL in superuser_client.get(reverse("admin:audit_auditevent_changelist")).content.decode()


def test_staff_without_superuser_cannot_open_it(city, client):
    staff = f.make_user("staff")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page
