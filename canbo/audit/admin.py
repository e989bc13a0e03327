"""Django admin for the audit trail: superusers may read it; nobody may add, change or delete."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import AuditEvent


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
        "object_repr", "unit", "before", "after",
    ]  # fmt: skip
