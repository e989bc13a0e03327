"""Forms of the exchange pages: the upload (kind + file) and the export (kind + unit)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from canbo.people.forms import ChooserWidget, unit_label

from .importers import registered


def kind_choices():
    return [(importer.kind, importer.label) for importer in registered()]


class UploadForm(forms.Form):
    loai = forms.ChoiceField(label=_("Loại dữ liệu"), choices=kind_choices)
    tep = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )


class ExportForm(forms.Form):
    loai = forms.ChoiceField(label=_("Loại dữ liệu"), choices=kind_choices)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The view resolves the unit through the policy (404 outside it); the form only shows it.
        widget = ChooserWidget(url=reverse_lazy("people:unit_chooser"), placeholder=_("Chọn đơn vị (gồm cấp dưới)"))
        if unit is not None:
            widget.known_labels[str(unit.pk)] = unit_label(unit)
        self.fields["don_vi"] = forms.IntegerField(label=_("Đơn vị (gồm các đơn vị cấp dưới)"), widget=widget)
