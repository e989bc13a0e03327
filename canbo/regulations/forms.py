"""Forms of the regulations pages: eligibility question, relations, local targets, listed posts,
the deadline window and the draft changes (reform) of the compliance page."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from canbo.people.catalogues import RelationKind
from canbo.people.forms import ChooserField, DateField
from canbo.planning.models import parse_term
from canbo.web.params import EARLIEST_YEAR, LATEST_YEAR, year_out_of_range

from .eligibility import ACTIONS
from .targets import TARGET_CHOICES, TARGET_KINDS, TARGETS

ACTION_CHOICES = [(key, _(label)) for key, label in ACTIONS.items()]


def seat_label(position) -> str:
    return f"{position.title.name} – {position.unit.name}"


class EligibilityForm(forms.Form):
    """Asked by GET (it changes nothing): action, seat among those the user may see, date."""

    hanh_dong = forms.ChoiceField(label=_("Hành động"), choices=ACTION_CHOICES)
    vi_tri = ChooserField(
        queryset=None,
        url=reverse_lazy("regulations:position_chooser"),
        placeholder=_("Gõ tên chức danh hoặc đơn vị…"),
        label=_("Vị trí"),
        label_from_instance=seat_label,
    )
    ngay_xet = DateField(label=_("Ngày xét"))
    nhiem_ky = forms.CharField(label=_("Nhiệm kỳ quy hoạch"), required=False, max_length=9, help_text=_("Ví dụ 2030-2035; để trống: tính từ ngày xét."))

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vi_tri"].queryset = positions.select_related("unit", "title")

    def clean_nhiem_ky(self):
        value = (self.cleaned_data.get("nhiem_ky") or "").strip()
        if value:
            try:
                parse_term(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value


class RelationForm(forms.Form):
    relative = ChooserField(
        queryset=None,
        url=reverse_lazy("people:person_chooser"),
        placeholder=_("Gõ tên người thân (đã có hồ sơ)…"),
        label=_("Người thân"),
    )
    kind = forms.ChoiceField(label=_("Là … của cán bộ này"), choices=RelationKind.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relative"].queryset = people


class WindowForm(forms.Form):
    tu = DateField(label=_("Từ ngày"))
    den = DateField(label=_("Đến ngày"))

    def clean(self):
        data = super().clean()
        for name in ("tu", "den"):
            if data.get(name) and year_out_of_range(data[name]):
                self.add_error(name, _("Ngày phải trong các năm %(first)s–%(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR})
        if data.get("tu") and data.get("den") and data["den"] < data["tu"]:
            self.add_error("den", _("Ngày kết thúc không được trước ngày bắt đầu."))
        if data.get("tu") and data.get("den") and (data["den"] - data["tu"]).days > 366 * 10:
            self.add_error("den", _("Khoảng thời gian tối đa 10 năm."))
        return data


def percent_or_share(value: Decimal) -> Decimal:
    """Users type 30 or 0,3 for 30%."""
    return value / 100 if value > 1 else value


class ReformForm(forms.Form):
    """One optional field per target: the draft value to try (in %, or a count)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in TARGET_KINDS:
            self.fields[self.field_name(kind.key)] = forms.DecimalField(
                label=kind.label, required=False, min_value=0, max_value=100 if kind.unit == "share" else 1000,
                decimal_places=2, help_text=_("%") if kind.unit == "share" else _("người"),
            )  # fmt: skip

    @staticmethod
    def field_name(key: str) -> str:
        return "cc_" + key.replace(".", "__")

    def overrides(self) -> dict:
        result = {}
        for kind in TARGET_KINDS:
            value = self.cleaned_data.get(self.field_name(kind.key))
            if value is None:
                continue
            result[kind.key] = float(percent_or_share(value)) if kind.unit == "share" else int(value)
        return result


class ResolutionForm(forms.Form):
    code = forms.CharField(label=_("Số hiệu"), max_length=40)
    name = forms.CharField(label=_("Tên văn bản"), max_length=300)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=150)
    issued_on = DateField(label=_("Ngày ban hành"))
    link = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")


class TargetForm(forms.Form):
    resolution = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.ChoiceField(label=_("Chỉ tiêu"), choices=TARGET_CHOICES)
    value = forms.DecimalField(label=_("Giá trị (% hoặc số người)"), min_value=0, max_digits=7, decimal_places=2)
    effective_from = DateField(label=_("Áp dụng từ ngày"))
    due_on = DateField(label=_("Thời hạn đạt"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("key") and data.get("value") is not None and TARGETS[data["key"]].unit == "share":
            data["value"] = percent_or_share(data["value"])
        return data


class ListedPostForm(forms.Form):
    sector = forms.CharField(label=_("Ngành, lĩnh vực"), max_length=150)
    name = forms.CharField(label=_("Vị trí công tác"), max_length=300)
    period_months = forms.IntegerField(label=_("Thời hạn chuyển đổi (tháng)"), min_value=1, max_value=120)
    titles = forms.ModelMultipleChoiceField(label=_("Chức danh trong danh mục"), queryset=None, required=False)
    positions = forms.CharField(
        label=_("Mã các vị trí cụ thể (cách nhau bởi dấu phẩy)"), required=False, max_length=2000,
        help_text=_("Chỉ các vị trí trong phạm vi của bạn; vị trí ngoài phạm vi đã gắn được giữ nguyên."),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args, visible_positions=None, **kwargs):
        from canbo.org.models import Title

        super().__init__(*args, **kwargs)
        self.visible_positions = visible_positions
        self.fields["titles"].queryset = Title.objects.order_by("name")
        self.fields["titles"].widget.attrs["size"] = 8

    def clean_positions(self):
        raw = [part.strip() for part in (self.cleaned_data.get("positions") or "").replace(";", ",").split(",")]
        raw = [part for part in raw if part]
        bad = [part for part in raw if not part.isdigit()]
        if bad:
            raise forms.ValidationError(_("Mã vị trí không hợp lệ: %(ids)s.") % {"ids": ", ".join(bad)})
        ids = {int(part) for part in raw}
        found = list(self.visible_positions.filter(pk__in=ids)) if ids else []
        missing = ids - {p.pk for p in found}
        if missing:
            raise forms.ValidationError(
                _("Không có vị trí mã %(ids)s trong phạm vi của bạn.") % {"ids": ", ".join(map(str, sorted(missing)))}
            )
        return found


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    from .calendar import add_months

    return today, add_months(today, 12) - dt.timedelta(days=1)
