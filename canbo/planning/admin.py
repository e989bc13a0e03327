"""Read-only admin: writes go through canbo.planning.services (audited)."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import SuccessionPlanEntry, SuccessionPlanReview


@admin.register(SuccessionPlanEntry)
class SuccessionPlanEntryAdmin(ReadOnlyAdmin):
    list_display = ("person", "title", "unit", "term", "approved_on", "removed_on", "removal_reason")
    list_filter = ("term", "removal_reason")
    search_fields = ("person__search_name", "title__name")
    raw_id_fields = ("person", "unit", "title")


@admin.register(SuccessionPlanReview)
class SuccessionPlanReviewAdmin(ReadOnlyAdmin):
    list_display = ("entry", "reviewed_on", "meets_standards", "decision_number")
    list_filter = ("meets_standards",)
    raw_id_fields = ("entry",)
