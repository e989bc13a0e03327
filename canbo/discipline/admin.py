"""Read-only admin: writes go through canbo.discipline.services (audited)."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import DisciplineRecord, DisciplineReview


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ReadOnlyAdmin):
    list_display = ("person", "side", "form", "decided_on", "decision_number", "authority")
    list_filter = ("side", "form")
    search_fields = ("person__search_name", "decision_number")
    raw_id_fields = ("person",)


@admin.register(DisciplineReview)
class DisciplineReviewAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "started_on", "ended_on", "outcome", "remedied_on")
    list_filter = ("kind", "outcome")
    raw_id_fields = ("person",)
