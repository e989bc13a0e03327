"""Django admin for the audit trail: superusers may read it and verify its hash chain; nobody may
add, change or delete."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from canbo.access.admin import ReadOnlyAdmin

from .models import AuditEvent
from .verification import chain_head, verify


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_label", "source", "action", "object_repr")
    list_filter = ("source", "action")
    search_fields = ("actor_label", "action", "object_repr")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-id")
    actions = None
    readonly_fields = [
        "occurred_at", "actor", "actor_label", "source", "action", "object_type", "object_id",
        "object_repr", "unit", "before", "after", "content_hash",
    ]  # fmt: skip

    def get_urls(self):
        verify_url = path(
            "kiem-tra-chuoi/", self.admin_site.admin_view(self.verify_view), name="audit_auditevent_verify"
        )
        return [verify_url, *super().get_urls()]

    def verify_view(self, request):
        """GET: the chain's head; POST: verify the whole chain (seal pending events first), as
        `canbo audit verify` does, and show the first broken link if any."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        result = verify() if request.method == "POST" else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Kiểm tra chuỗi băm nhật ký"),
            "head": chain_head(),
            "events": AuditEvent.objects.count(),
            "result": result,
        }
        return TemplateResponse(request, "admin/audit/verify.html", context)
