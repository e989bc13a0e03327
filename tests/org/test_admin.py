"""The Django admin: superusers only; the audit trail read-only; writes it allows go through services."""

import pytest
from django.urls import reverse

from canbo.access.models import Grant, Role
from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.org.models import Title

from .. import factories as f


@pytest.fixture
def superuser_client(hn, as_user):
    return as_user(hn.admin)


def test_superuser_reads_every_registered_model(hn, superuser_client):
    for model in ("org_unit", "org_position", "org_title", "people_person", "people_assignment", "access_grant", "audit_auditevent"):
        assert superuser_client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
    event = AuditEvent.objects.first()
    assert superuser_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200


def test_audit_trail_cannot_be_added_changed_or_deleted(hn, superuser_client):
    event = AuditEvent.objects.first()
    count = AuditEvent.objects.count()
    assert superuser_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert superuser_client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    response = superuser_client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == count
    page = superuser_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert 'name="_save"' not in page


def test_records_are_read_only_in_the_admin(hn, superuser_client):
    assert superuser_client.get(reverse("admin:org_unit_add")).status_code == 403
    assert superuser_client.get(reverse("admin:people_person_add")).status_code == 403
    person = hn.people["a_secretary"]
    page = superuser_client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert 'name="_save"' not in page


def test_staff_without_superuser_sees_nothing(hn, client):
    staff = f.make_user("staff")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 403


def test_grant_added_in_the_admin_is_audited(hn, superuser_client):
    user = f.make_user("newcomer")
    response = superuser_client.post(
        reverse("admin:access_grant_add"), {"user": user.pk, "unit": hn.ward_b.pk, "role": Role.READER}
    )
    assert response.status_code == 302
    grant = Grant.objects.get(user=user)
    event = events_for(grant).get()
    assert (event.action, event.actor, event.unit_id) == ("grant.create", hn.admin, hn.ward_b.pk)
    superuser_client.post(reverse("admin:access_grant_delete", args=[grant.pk]), {"post": "yes"})
    assert not Grant.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="grant.revoke", object_id=grant.pk).exists()


def test_title_added_in_the_admin_goes_through_the_service(hn, superuser_client):
    response = superuser_client.post(
        reverse("admin:org_title_add"),
        {"code": "chu-tich-hdnd", "name": "Chủ tịch HĐND", "managing_body": "provincial_standing", "rank": 8, "unit_kinds": "[]", "is_leadership": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    title = Title.objects.get(code="chu-tich-hdnd")
    assert events_for(title).get().actor == hn.admin
