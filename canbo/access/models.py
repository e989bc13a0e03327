"""Grants: a user holds a role on a unit, which covers the unit's whole subtree."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị")
    OFFICER = "officer", _("Chuyên viên tổ chức (cập nhật)")
    READER = "reader", _("Người xem")
    INSPECTOR = "inspector", _("Kiểm tra")
    AUDITOR = "auditor", _("Kiểm toán nhật ký")


class Permission(models.TextChoices):
    VIEW = "view", _("Xem")
    EDIT = "edit", _("Cập nhật hồ sơ")
    MANAGE_ACCESS = "manage_access", _("Phân quyền")
    VIEW_AUDIT = "view_audit", _("Xem nhật ký")
    INSPECT = "inspect", _("Kiểm tra, kỷ luật")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(Permission.values),
    Role.OFFICER: frozenset({Permission.VIEW, Permission.EDIT, Permission.VIEW_AUDIT}),
    Role.READER: frozenset({Permission.VIEW}),
    Role.INSPECTOR: frozenset({Permission.VIEW, Permission.INSPECT, Permission.VIEW_AUDIT}),
    Role.AUDITOR: frozenset({Permission.VIEW, Permission.VIEW_AUDIT}),
}


class Grant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)

    class Meta:
        verbose_name = _("quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} – {self.name}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "cb_" + secrets.token_urlsafe(32)
