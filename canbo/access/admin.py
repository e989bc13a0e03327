"""Django admin for grants and API tokens, and the superuser-only admin bases the other apps use.

The admin is a superuser's back door, not the working interface: records are changed through
the pages and services, so most models are shown read-only, and what the admin may change
(grants, token revocation, the title catalogue) goes through the services that audit it.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from canbo.audit.models import AuditEvent

from . import services
from .models import ApiToken, Grant


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Visible to active superusers only, whatever Django model permissions a staff user holds."""

    def _superuser(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


class ReadOnlyAdmin(SuperuserOnlyAdmin):
    """Superusers may look; writes go through the services (and their audit records) only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GrantAdminForm(forms.ModelForm):
    class Meta:
        model = Grant
        fields = ["user", "unit", "role"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise ValidationError(_("Tài khoản «%(name)s» đã bị khóa.") % {"name": user.get_username()})
        return user


@admin.register(Grant)
class GrantAdmin(SuperuserOnlyAdmin):
    """Grants are added and revoked (never edited), through the services that audit them."""

    form = GrantAdminForm
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    list_select_related = ("user", "unit")
    raw_id_fields = ("unit",)
    actions = None  # bulk delete would bypass grant_revoke

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        grant = services.grant_create(
            actor=request.user, user=obj.user, unit=obj.unit, role=obj.role, source=AuditEvent.Source.WEB
        )
        # The admin goes on with `obj` (its log entry and redirect), so give it the saved row's identity.
        obj.pk = grant.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.grant_revoke(actor=request.user, grant=obj, source=AuditEvent.Source.WEB)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "name")
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=request.user, token=token, source=AuditEvent.Source.WEB)
            revoked += 1
        self.message_user(request, _("Đã thu hồi %(n)d mã truy cập.") % {"n": revoked})

    def has_revoke_permission(self, request):
        return self._superuser(request)
