"""Grant and token services: atomic, audited in the same transaction, refusing what the actor may not do."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.access import services
from canbo.access.models import ApiToken, Grant, Role
from canbo.access.policy import AccessPolicy
from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for

from .. import factories as f


@pytest.fixture
def people(city):
    return {
        "admin_a": f.make_user("admin_a", grants=[(city["ward_a"], Role.ADMINISTRATOR)]),
        "officer_a": f.make_user("officer_a", grants=[(city["ward_a"], Role.OFFICER)]),
        "newcomer": f.make_user("newcomer"),
    }


def test_grant_create_gives_the_subtree_and_is_audited_on_the_unit(city, people):
    grant = services.grant_create(actor=people["admin_a"], user=people["newcomer"], unit=city["cell_a"], role=Role.READER)
    event = events_for(grant).get()
    assert (event.action, event.unit_id, event.actor_id) == ("grant.create", city["cell_a"].pk, people["admin_a"].pk)
    assert event.after["role"] == Role.READER and event.after["user_id"] == people["newcomer"].pk
    policy = AccessPolicy(people["newcomer"])
    assert list(policy.units().order_by("path")) == [city["cell_a"]]


def test_grant_create_refuses_bad_role_duplicate_and_outside_actor(city, people):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.grant_create(actor=None, user=people["newcomer"], unit=city["ward_a"], role="boss")
    assert "role" in exc.value.message_dict and "boss" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.grant_create(actor=None, user=people["officer_a"], unit=city["ward_a"], role=Role.OFFICER)
    # An administrator of ward A cannot grant on ward B; an officer cannot grant at all.
    with pytest.raises(PermissionDenied):
        services.grant_create(actor=people["admin_a"], user=people["newcomer"], unit=city["ward_b"], role=Role.READER)
    with pytest.raises(PermissionDenied):
        services.grant_create(actor=people["officer_a"], user=people["newcomer"], unit=city["cell_a"], role=Role.READER)
    assert AuditEvent.objects.count() == before
    assert not Grant.objects.filter(user=people["newcomer"]).exists()


def test_grant_revoke_removes_access_and_keeps_the_trace(city, people):
    grant = Grant.objects.get(user=people["officer_a"])
    services.grant_revoke(actor=people["admin_a"], grant=grant)
    assert not Grant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="grant.revoke")
    assert (event.object_id, event.unit_id, event.after) == (grant.pk, city["ward_a"].pk, None)
    assert event.before["role"] == Role.OFFICER
    assert not AccessPolicy(people["officer_a"]).units().exists()


def test_token_create_returns_the_key_once_and_audits_without_the_hash(city, people):
    token, key = services.api_token_create(actor=people["officer_a"], user=people["officer_a"], name="  báo cáo  ")
    assert key.startswith("cb_") and len(key) > 40
    assert token.name == "báo cáo"
    assert token.key_hash == ApiToken.hash_key(key)
    event = events_for(token).get()
    assert event.action == "api_token.create"
    assert "key_hash" not in event.after and token.key_hash not in str(event.after)
    assert services.api_token_user(key) == people["officer_a"]
    assert services.api_token_user(key + "x") is None
    assert services.api_token_user("no-prefix") is None


def test_token_create_refuses_empty_name_and_someone_elses_tokens(people):
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(actor=None, user=people["newcomer"], name="  ")
    assert "name" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=people["admin_a"], user=people["officer_a"], name="x")
    superuser = f.make_user("root", superuser=True)
    token, _key = services.api_token_create(actor=superuser, user=people["officer_a"], name="x")
    assert token.user == people["officer_a"]
    assert not ApiToken.objects.filter(user=people["newcomer"]).exists()


def test_token_revoke_is_audited_and_final(people):
    token, key = services.api_token_create(actor=None, user=people["officer_a"], name="x")
    services.api_token_revoke(actor=people["officer_a"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = events_for(token).get(action="api_token.revoke")
    assert event.before["revoked_at"] is None and event.after["revoked_at"] is not None
    assert services.api_token_user(key) is None
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=None, token=token)
    assert events_for(token).count() == 2


def test_user_create_is_audited_without_the_password(db):
    from canbo.access.services import user_create
    from canbo.audit.selectors import events_for

    user = user_create(actor=None, username="  chuyenvien2 ", password="pw-12345678", source="cli")
    assert user.username == "chuyenvien2"
    assert user.check_password("pw-12345678")
    assert not user.is_staff and not user.is_superuser
    event = events_for(user).get()
    assert event.action == "user.create"
    assert event.after["username"] == "chuyenvien2"
    assert "password" not in event.after and all("pbkdf2" not in str(v) for v in event.after.values())


def test_user_create_refused_to_an_actor_who_cannot_grant(city):
    from django.core.exceptions import PermissionDenied

    from canbo.access.services import user_create

    reader = f.make_user("doc", grants=[(city["ward_a"], "reader")])
    with pytest.raises(PermissionDenied):
        user_create(actor=reader, username="khac", password="pw-12345678")


@pytest.mark.parametrize("password", ["12345678", "password", "chuyenvien3", "ngắn"])
def test_user_create_refuses_weak_passwords_in_vietnamese(db, password):
    from canbo.access.services import user_create

    with pytest.raises(ValidationError) as refused:
        user_create(actor=None, username="chuyenvien3", password=password)
    messages = refused.value.message_dict["password"]
    assert messages and all(m.startswith("Mật khẩu") for m in messages), messages
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_the_demo_password_passes_the_validators_for_every_demo_login():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from canbo.demo.builder import DEMO_PASSWORD, LOGINS

    for username, *_rest in LOGINS:
        validate_password(DEMO_PASSWORD, get_user_model()(username=username))
