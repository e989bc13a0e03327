"""Read-only admin: local resolutions, targets and the listed posts are edited on the
regulations pages, through canbo.regulations.services (audited)."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin

from .models import ListedPost, LocalResolution, LocalTarget


class LocalTargetInline(admin.TabularInline):
    model = LocalTarget
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LocalResolution)
class LocalResolutionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "issuer", "issued_on", "scope_unit")
    search_fields = ("code", "name")
    inlines = [LocalTargetInline]


@admin.register(ListedPost)
class ListedPostAdmin(ReadOnlyAdmin):
    list_display = ("name", "sector", "period_months", "is_sample")
    list_filter = ("sector", "is_sample")
    search_fields = ("name", "sector")
