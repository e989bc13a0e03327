"""Writes to access: grants of a role on a unit, and API tokens (created, revoked, used).

Each write is atomic, takes the acting user as a keyword argument (None for the console and
the system) and records an AuditEvent in the same transaction. When an actor is given, the
service itself refuses what the actor may not do, so no caller can forget the check.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.org.models import Unit

from .models import ApiToken, Grant, Permission, Role
from .policy import AccessPolicy

# Writing last_used_at on every request would turn each API read into a write.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)
TOKEN_PREFIX = "cb_"


def _check_may_manage(actor, unit: Unit) -> None:
    if actor is None:
        return
    if not AccessPolicy(actor).covers_path(unit.path, Permission.MANAGE_ACCESS):
        raise PermissionDenied("Bạn không có quyền phân quyền trên đơn vị này.")


def _check_may_handle_tokens_of(actor, user) -> None:
    if actor is None or actor.pk == user.pk or (actor.is_superuser and actor.is_active):
        return
    raise PermissionDenied("Chỉ người dùng đó hoặc quản trị hệ thống mới được quản lý mã truy cập API của họ.")


USER_AUDIT_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    source: str = AuditEvent.Source.WEB,
):
    """A login account with no power of its own: what it may see and do comes from its grants.

    A `password` must pass AUTH_PASSWORD_VALIDATORS (as in Django's own password forms).
    `password_hash` (from make_password) lets a caller creating several accounts hash once.
    The audit row never holds the password or its hash.
    """
    User = get_user_model()
    if actor is not None and not (actor.is_superuser or AccessPolicy(actor).prefixes(Permission.MANAGE_ACCESS)):
        raise PermissionDenied("Bạn không có quyền tạo tài khoản.")
    user = User(username=username.strip(), first_name=first_name, last_name=last_name, email=email)
    if password_hash is not None:
        user.password = password_hash
    elif password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    after = {name: getattr(user, name) for name in USER_AUDIT_FIELDS}
    record_event(actor=actor, action="user.create", obj=user, before=None, after=after, source=source)
    return user


def _token_snapshot(token: ApiToken) -> dict:
    # The hash is a credential too: keep it out of the audit trail.
    data = snapshot(token)
    data.pop("key_hash", None)
    return data


@transaction.atomic
def grant_create(*, actor, user, unit: Unit, role: str, source: str = AuditEvent.Source.WEB) -> Grant:
    if role not in Role.values:
        raise ValidationError({"role": f"Vai trò «{role}» không hợp lệ; chọn một trong: {', '.join(Role.values)}."})
    if not user.is_active:
        raise ValidationError({"user": f"Tài khoản «{user.get_username()}» đã bị khóa."})
    _check_may_manage(actor, unit)
    if Grant.objects.filter(user=user, unit=unit, role=role).exists():
        raise ValidationError({"role": f"«{user.get_username()}» đã có vai trò này trên đơn vị «{unit}»."})
    grant = Grant.objects.create(user=user, unit=unit, role=role)
    record_event(actor=actor, action="grant.create", obj=grant, before=None, after=snapshot(grant), unit=unit, source=source)
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: Grant, source: str = AuditEvent.Source.WEB) -> None:
    grant = Grant.objects.select_for_update().select_related("unit", "user").get(pk=grant.pk)
    _check_may_manage(actor, grant.unit)
    # Recorded before the delete: the event needs the grant's id.
    record_event(
        actor=actor, action="grant.revoke", obj=grant, before=snapshot(grant), after=None, unit=grant.unit, source=source
    )
    grant.delete()


@transaction.atomic
def api_token_create(*, actor, user, name: str, source: str = AuditEvent.Source.WEB) -> tuple[ApiToken, str]:
    """A new token and its key; the key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Cần đặt tên cho mã truy cập (ví dụ: tên hệ thống sẽ dùng nó)."})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "Tên mã truy cập dài quá 100 ký tự."})
    if not user.is_active:
        raise ValidationError({"user": f"Tài khoản «{user.get_username()}» đã bị khóa."})
    _check_may_handle_tokens_of(actor, user)
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key))
    record_event(
        actor=actor, action="api_token.create", obj=token, before=None, after=_token_snapshot(token), source=source
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, source: str = AuditEvent.Source.WEB) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _check_may_handle_tokens_of(actor, token.user)
    if token.revoked_at is not None:
        raise ValidationError(
            {"token": f"Mã truy cập số {token.pk} đã bị thu hồi lúc {timezone.localtime(token.revoked_at):%d/%m/%Y %H:%M}."}
        )
    before = _token_snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=actor, action="api_token.revoke", obj=token, before=before, after=_token_snapshot(token), source=source
    )
    return token


def api_token_user(key: str):
    """The active user of a live token, or None; notes the use at most once a minute.

    last_used_at is bookkeeping, not a change to a record, so it is not audited.
    """
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = now - TOKEN_TOUCH_INTERVAL
    if token.last_used_at is None or token.last_used_at <= stale:
        # The filter repeats the test so that concurrent requests write once.
        ApiToken.objects.filter(pk=token.pk).filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)).update(
            last_used_at=now
        )
    return token.user
