"""Area autocomplete for forms: `AreaField` and its `AreaAutocomplete` widget (HTMX, no JS framework).

The widget renders a visible text input and a hidden input holding the area id. Typing calls
`areas:search` (/dia-ban/tim/?q=…) through HTMX; clicking a suggestion puts its id in the hidden
input and its full name in the text input. Editing the text again clears the id, so the form
only accepts an area picked from the list. When editing, the current area's full name is shown.

Usage::

    from canbo.areas.forms import AreaField

    class PersonForm(forms.ModelForm):
        birthplace = AreaField(label=_("Nơi sinh"), required=False)            # any area, any regime
        residence = AreaField(label=_("Nơi thường trú"), required=False,
                              regime=AdminArea.Regime.TWO_TIER)                 # only 2025 areas

        class Meta:
            model = Person
            fields = ["birthplace", "hometown", "residence"]
            field_classes = {"hometown": AreaField}                            # the same, declaratively

Options: `regime` ("2025" or "legacy"), `level` (1 province, 2 district, 3 commune) and `on`
(a date the area must be valid on) narrow both the suggestions and what the field accepts.
The page must load HTMX (base.html does). The cleaned value is an `AdminArea` with its parents
joined, so `value.full_name` costs no query.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import PARENT_CHAIN, AdminArea


class AreaAutocomplete(forms.Widget):
    template_name = "areas/widgets/area_autocomplete.html"

    def __init__(self, attrs=None, *, regime: str | None = None, level: int | None = None, on: dt.date | None = None):
        defaults = {"class": "form-control", "placeholder": _("Gõ tên xã, phường, tỉnh… (không cần dấu)")}
        super().__init__({**defaults, **(attrs or {})})
        self.regime, self.level, self.on = regime, level, on

    def search_url(self) -> str:
        params = {"regime": self.regime, "level": self.level, "on": self.on.isoformat() if self.on else None}
        query = urlencode({key: value for key, value in params.items() if value})
        return reverse("areas:search") + (f"?{query}" if query else "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        area = self._selected(context["widget"]["value"])
        context["widget"]["label"] = area.full_name if area else ""
        context["widget"]["search_url"] = self.search_url()
        return context

    @staticmethod
    def _selected(value) -> AdminArea | None:
        if value is None or not str(value).isdigit():
            return None
        return AdminArea.objects.select_related(PARENT_CHAIN).filter(pk=int(value)).first()


class AreaField(forms.ModelChoiceField):
    """A foreign key to `AdminArea`, picked by typing its name (see the module docstring)."""

    default_error_messages = {
        "invalid_choice": _("Hãy chọn một địa bàn trong danh sách gợi ý."),
    }

    def __init__(
        self,
        queryset=None,
        *,
        regime: str | None = None,
        level: int | None = None,
        on: dt.date | None = None,
        widget=None,
        **kwargs,
    ):
        areas = AdminArea.objects.all() if queryset is None else queryset
        if regime is not None:
            areas = areas.filter(regime=regime)
        if level is not None:
            areas = areas.filter(level=level)
        if on is not None:
            areas = areas.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
            )
        if widget is None or isinstance(widget, type):
            widget = (widget or AreaAutocomplete)(regime=regime, level=level, on=on)
        super().__init__(areas.select_related(PARENT_CHAIN), widget=widget, **kwargs)

    def label_from_instance(self, obj: AdminArea) -> str:
        return obj.full_name
