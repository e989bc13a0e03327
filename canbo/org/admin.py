"""Django admin for the structure: units and seats read-only; the title catalogue edited through its services."""

from django.contrib import admin

from canbo.access.admin import ReadOnlyAdmin, SuperuserOnlyAdmin
from canbo.audit.models import AuditEvent

from . import services
from .models import Position, Title, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "established_on", "dissolved_on")
    list_filter = ("kind",)
    search_fields = ("name", "code", "search_name")
    ordering = ("path",)
    exclude = ("path", "depth", "numchild")


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "seat_count", "is_key_post")
    list_filter = ("is_key_post",)
    search_fields = ("title__name", "unit__name", "unit__code")
    list_select_related = ("title", "unit")


@admin.register(Title)
class TitleAdmin(SuperuserOnlyAdmin):
    list_display = ("name", "code", "managing_body", "is_head", "rank", "is_leadership")
    list_filter = ("managing_body", "is_head", "is_leadership")
    search_fields = ("name", "code")

    def has_delete_permission(self, request, obj=None):
        return False  # seats refer to titles; retire a title instead of deleting it

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.TITLE_FIELDS if name in form.cleaned_data}
        if change:
            services.title_update(actor=request.user, title=obj, source=AuditEvent.Source.WEB, **fields)
        else:
            saved = services.title_create(actor=request.user, source=AuditEvent.Source.WEB, **fields)
            # The admin goes on with `obj` (its log entry and redirect), so give it the saved row's identity.
            obj.pk = saved.pk
            obj._state.adding = False
