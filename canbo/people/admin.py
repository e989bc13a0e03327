"""Django admin for people: read-only for superusers; records change through the people pages and services."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import Assignment, Degree, Person


class DegreeInline(admin.TabularInline):
    model = Degree
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "birth_date", "sex", "category", "unit")
    list_filter = ("sex", "category")
    search_fields = ("full_name", "search_name", "citizen_id")
    list_select_related = ("unit",)
    inlines = [DegreeInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("person", "position", "kind", "start_date", "end_date", "decision_number")
    list_filter = ("kind",)
    search_fields = ("person__full_name", "position__title__name", "position__unit__name", "decision_number")
    list_select_related = ("person", "position__title", "position__unit")
    date_hierarchy = "start_date"
