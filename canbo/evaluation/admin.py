"""Read-only admin: writes go through canbo.evaluation.services (audited)."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import AnnualGrade, ConfidenceVote


@admin.register(AnnualGrade)
class AnnualGradeAdmin(ReadOnlyAdmin):
    list_display = ("person", "year", "grade", "score", "unit")
    list_filter = ("year", "grade")
    search_fields = ("person__search_name",)
    raw_id_fields = ("person", "unit")


@admin.register(ConfidenceVote)
class ConfidenceVoteAdmin(ReadOnlyAdmin):
    list_display = ("person", "held_on", "eligible_voters", "attendance", "votes_high", "votes_confident", "votes_low")
    raw_id_fields = ("person",)
