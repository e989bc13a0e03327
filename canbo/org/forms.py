"""Forms of the structure pages: they parse input only; the services in canbo.org.services validate and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Position, Unit
from .selectors import area_choices_for, title_choices_for

DATE_FORMAT = "%d/%m/%Y"


class StyledForm(forms.BaseForm):
    """Bootstrap classes on the widgets, dd/mm/yyyy text inputs for dates, service errors on the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field, forms.DateField):
                form_field.input_formats = [DATE_FORMAT]
                form_field.error_messages["invalid"] = _("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
                form_field.widget = forms.DateInput(
                    format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
                )
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (on the form when it names none)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
        self._mark_invalid()


class ServiceForm(StyledForm, forms.ModelForm):
    """A ModelForm that only parses: model validation and saving belong to the service.

    Skipping `_post_clean` keeps the instance untouched and leaves `full_clean` to the service,
    whose Vietnamese errors `add_service_errors` then attaches to the fields.
    """

    def _post_clean(self):
        pass


class UnitForm(ServiceForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "code", "kind", "area", "established_on", "dissolved_on", "predecessors", "note"]

    def __init__(self, *args, parent: Unit | None, policy, **kwargs):
        super().__init__(*args, **kwargs)
        # Predecessors are units that have ended, among those the user may see; the ones the
        # user may not see are kept as they are (see clean_predecessors).
        offered = policy.units().filter(dissolved_on__isnull=False).order_by("path")
        if self.instance.pk:
            offered = offered.exclude(pk=self.instance.pk)
            self._hidden_predecessors = list(self.instance.predecessors.exclude(pk__in=policy.units().values("pk")))
        else:
            self._hidden_predecessors = []
        predecessors = self.fields["predecessors"]
        predecessors.queryset = offered
        predecessors.label_from_instance = lambda u: _("%(name)s (đến hết %(day)s)") % {
            "name": u.name, "day": f"{u.dissolved_on:%d/%m/%Y}"
        }
        predecessors.widget.attrs["size"] = 6
        current = self.instance.area if self.instance.pk and self.instance.area_id else None
        area = self.fields["area"]
        area.queryset = area_choices_for(parent, current)
        area.label_from_instance = lambda a: f"{a.name} – {a.parent.name} ({a.get_regime_display()})" if a.parent_id else f"{a.name} ({a.get_regime_display()})"
        area.empty_label = _("— không gắn địa bàn —")
        self.fields["kind"].choices = [("", _("— chọn loại đơn vị —")), *self.fields["kind"].choices[1:]]


    def clean_predecessors(self):
        return [*self.cleaned_data["predecessors"], *self._hidden_predecessors]


class UnitMoveForm(StyledForm, forms.Form):
    # Named "parent" like the key of unit_move's ValidationError, so its message lands here.
    parent = forms.ModelChoiceField(label=_("Đơn vị cấp trên mới"), queryset=Unit.objects.none())

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = choices
        self.fields["parent"].label_from_instance = lambda u: f"{'— ' * (u.depth - 1)}{u.name}"


class PositionCreateForm(ServiceForm):
    class Meta:
        model = Position
        fields = ["title", "seat_count", "is_key_post", "note"]

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = title_choices_for(unit)
        self.fields["title"].label_from_instance = lambda t: f"{t.name} ({t.get_managing_body_display()})"
        self.fields["title"].empty_label = _("— chọn chức danh —")


class PositionUpdateForm(ServiceForm):
    class Meta:
        model = Position
        fields = ["seat_count", "is_key_post", "note"]
