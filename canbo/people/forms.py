"""Forms of the people pages: the résumé with its degrees, assignments, choosers and list filters.

Forms check the shape of the input (dates typed dd/mm/yyyy, a choice within the user's scope);
the rules across fields and rows live in `canbo.people.services`, whose ValidationErrors are put
back on the fields by `add_service_errors`. Every choice of a unit, seat or person is limited to a
queryset built from the request's access policy, so a forged id is just an invalid choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from canbo.access.models import Permission
from canbo.areas.forms import AreaField
from canbo.org.models import Title
from canbo.people import catalogues as c
from canbo.people.models import Assignment, Degree, Person
from canbo.people.populations import OWN_SCOPE, Basis
from canbo.people.selectors import AGE_BANDS
from canbo.people.services import ASSIGNMENT_FIELDS, PERSON_FIELDS

DATE_PLACEHOLDER = "dd/mm/yyyy"


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy: browsers' date pickers show the locale's order, not ours."""

    def __init__(self, attrs=None):
        base = {
            "placeholder": DATE_PLACEHOLDER,
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "date-input",
        }
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Ngày phải ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        super().__init__(**kwargs)


class ChooserWidget(forms.Widget):
    """A hidden id, the chosen item's label, and a search box that lists matches over HTMX.

    Lists of thousands (units, seats, people) cannot be a <select>; the server filters them
    within the user's scope and the field still validates the id against that scope.
    """

    template_name = "people/widgets/chooser.html"

    def __init__(self, *, url, placeholder="", attrs=None):
        self.url = url
        self.placeholder = placeholder
        self.queryset = None
        self.label_from_instance = str
        self.known_labels: dict[str, str] = {}  # labels the view already has, to spare a query
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = self.known_labels.get(str(value), "")
        if not label and value not in (None, "") and self.queryset is not None:
            try:
                obj = self.queryset.filter(pk=value).first()
            except (ValueError, TypeError):
                obj = None
            label = self.label_from_instance(obj) if obj is not None else ""
        context["widget"].update(
            {"url": str(self.url), "label": label, "placeholder": self.placeholder}
        )
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's templates live outside any app, where the default form renderer does not look.
        return mark_safe(render_to_string(template_name, context))


class ChooserField(forms.ModelChoiceField):
    def __init__(self, queryset, *, url, placeholder="", label_from_instance=None, **kwargs):
        kwargs.setdefault("widget", ChooserWidget(url=url, placeholder=placeholder))
        super().__init__(queryset, **kwargs)
        if label_from_instance is not None:
            self.label_from_instance = label_from_instance
        self.widget.label_from_instance = self.label_from_instance

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


def cap(text) -> str:
    """Upper-case the first letter only: str.capitalize() would turn "vào Đảng" into "vào đảng"."""
    text = str(text or "")
    return text[:1].upper() + text[1:]


def unit_label(unit) -> str:
    if unit.dissolved_on:
        return _("%(name)s (đã giải thể %(date)s)") % {
            "name": unit.name,
            "date": f"{unit.dissolved_on:%d/%m/%Y}",
        }
    return unit.name


def position_label(position) -> str:
    return f"{position.title.name} – {position.unit.name}"


def person_label(person) -> str:
    return f"{person.full_name} ({person.birth_date_display}) – {person.unit.name}"


def area_field(label, help_text=""):
    """Birthplace, hometown and residence: the areas app's autocomplete (14,000 areas, both regimes)."""
    return AreaField(required=False, label=label, help_text=help_text)


def apply_bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", "---------"):
                field.choices = [("", _("— Chọn —")), *choices[1:]]
        widget = field.widget
        if isinstance(widget, ChooserWidget | forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, formsets: dict | None = None
) -> None:
    """Put a service's ValidationError on the form's fields; keys the form lacks go on top, named."""
    formsets = formsets or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        messages = [_friendly(name, error) for error in errors]
        if name in formsets:
            formsets[name].non_form_errors().extend(messages)
        elif name in form.fields:
            form.add_error(name, messages)
        elif name == "__all__":
            form.add_error(None, messages)
        else:
            verbose = _field_label(form, name)
            form.add_error(None, [f"{verbose}: {m}" for m in messages])


def _friendly(name: str, error: ValidationError) -> str:
    if name == "citizen_id" and error.code == "unique":
        return str(_("Số định danh cá nhân này đã có trong hồ sơ của một cán bộ khác."))
    return " ".join(error.messages)


def _field_label(form, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            return cap(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a key that is not a field keeps its own name
            pass
    return name


class ServiceModelForm(forms.ModelForm):
    """A ModelForm for its fields and labels only: the service validates and saves."""

    def _post_clean(self):
        # Model validation runs once, in the service, inside its transaction; doing it here too
        # would validate against a half-built instance and report some errors twice.
        pass


# The résumé ------------------------------------------------------------------------------------

PERSON_DATE_FIELDS = ("birth_date", "residence_since", "party_joined_on", "party_official_on")
PERSON_AREA_FIELDS = ("birthplace", "hometown", "residence")


class PersonForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "citizen_id": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 12, "autocomplete": "off"}
            ),
        }

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        editable_units = policy.units(Permission.EDIT).order_by("path")
        self.fields["unit"] = ChooserField(
            editable_units,
            url=reverse_lazy("people:unit_chooser") + "?quyen=edit",
            placeholder=_("Chọn đơn vị quản lý hồ sơ"),
            label=cap(Person._meta.get_field("unit").verbose_name),
            help_text=Person._meta.get_field("unit").help_text,
            label_from_instance=unit_label,
            error_messages={
                "invalid_choice": _("Chỉ được chọn đơn vị thuộc phạm vi bạn được cập nhật.")
            },
        )
        for name in PERSON_DATE_FIELDS:
            model_field = Person._meta.get_field(name)
            self.fields[name] = DateField(
                label=cap(model_field.verbose_name),
                required=not model_field.blank,
                help_text=model_field.help_text,
            )
        for name in PERSON_AREA_FIELDS:
            self.fields[name] = area_field(cap(Person._meta.get_field(name).verbose_name))
        for name, field in self.fields.items():
            if name not in ("unit", *PERSON_DATE_FIELDS, *PERSON_AREA_FIELDS):
                field.label = cap(field.label)
        apply_bootstrap(self)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PERSON_FIELDS}


class DegreeForm(ServiceModelForm):
    class Meta:
        model = Degree
        fields = ("level", "field", "institution", "year")
        widgets = {
            "year": forms.NumberInput(attrs={"min": 1950, "max": 2100, "inputmode": "numeric"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = cap(field.label)
        self.fields["level"].choices = [("", _("— Chọn —")), *c.DegreeLevel.choices]
        apply_bootstrap(self)

    def as_service_dict(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


DegreeFormSet = forms.formset_factory(DegreeForm, extra=0, can_delete=True)


def degrees_initial(person: Person | None) -> list[dict]:
    if person is None:
        return []
    return [d.as_dict() for d in person.degrees.all()]


def degree_rows(formset) -> list[dict]:
    """The degrees the formset keeps: filled rows not marked for removal."""
    return [
        form.as_service_dict()
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# Assignments -----------------------------------------------------------------------------------


class AssignmentForm(ServiceModelForm):
    """A work-history entry; the seat (new entry from a person) or the person (from a seat) is chosen."""

    class Meta:
        model = Assignment
        fields = ASSIGNMENT_FIELDS

    def __init__(self, *args, policy, choose_position=False, choose_person=False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_position:
            self.fields["position"] = ChooserField(
                policy.positions(Permission.EDIT).select_related("unit", "title"),
                url=reverse_lazy("people:position_chooser"),
                placeholder=_("Chọn vị trí chức vụ"),
                label=_("Vị trí chức vụ"),
                label_from_instance=position_label,
                error_messages={
                    "invalid_choice": _("Chỉ được chọn vị trí thuộc đơn vị bạn được cập nhật.")
                },
            )
        if choose_person:
            self.fields["person"] = ChooserField(
                policy.people().select_related("unit"),
                url=reverse_lazy("people:person_chooser"),
                placeholder=_("Tìm cán bộ theo tên hoặc số định danh"),
                label=_("Cán bộ"),
                label_from_instance=person_label,
                error_messages={
                    "invalid_choice": _("Không tìm thấy cán bộ này trong phạm vi bạn được xem.")
                },
            )
        for name in ("start_date", "end_date", "decision_date"):
            model_field = Assignment._meta.get_field(name)
            self.fields[name] = DateField(
                label=cap(model_field.verbose_name), required=not model_field.blank
            )
        for field in self.fields.values():
            field.label = cap(field.label)
        self.fields["kind"].choices = [("", _("— Chọn hình thức —")), *c.AssignmentKind.choices]
        self.order_fields(["person", "position", "kind", "start_date", "end_date"])
        apply_bootstrap(self)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ASSIGNMENT_FIELDS}


class AssignmentEndForm(forms.Form):
    end_date = DateField(label=_("Ngày kết thúc"))
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: nghỉ hưu, chuyển công tác, miễn nhiệm theo quyết định…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap(self)


# The list's filters ------------------------------------------------------------------------------

AGE_BAND_LABELS = {
    "duoi-30": _("Dưới 30"),
    "30-39": _("30–39"),
    "40-49": _("40–49"),
    "50-54": _("50–54"),
    "55-tro-len": _("55 trở lên"),
}
MINORITIES = c.ETHNIC_MINORITIES


class PersonFilterForm(forms.Form):
    """The list's filters, read from the query string (unknown values are ignored, not fatal)."""

    q = forms.CharField(label=_("Tên hoặc số định danh"), required=False, max_length=100)
    gioi_tinh = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Tất cả")), *c.Sex.choices]
    )
    tuoi = forms.ChoiceField(
        label=_("Độ tuổi"),
        required=False,
        choices=[("", _("Tất cả")), *((k, AGE_BAND_LABELS[k]) for k in AGE_BANDS)],
    )
    dan_toc = forms.ChoiceField(
        label=_("Dân tộc"),
        required=False,
        choices=[("", _("Tất cả")), (MINORITIES, _("Dân tộc thiểu số")), *c.ETHNIC_GROUPS],
    )
    chuc_danh = forms.TypedChoiceField(
        label=_("Chức danh đang giữ"), required=False, coerce=int, empty_value=None
    )
    llct = forms.TypedChoiceField(
        label=_("Lý luận chính trị"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *c.PoliticalTheory.choices],
    )
    doi_tuong = forms.ChoiceField(
        label=_("Đối tượng"), required=False, choices=[("", _("Tất cả")), *c.Category.choices]
    )
    # What the list counts for the unit (the figures of the tree, unit page and dashboard).
    dem = forms.ChoiceField(
        label=_("Tính theo"),
        required=False,
        choices=[("", _("Mọi người trong phạm vi")), *Basis.choices],
        help_text=_("Hồ sơ quản lý, người đang giữ vị trí hoặc cán bộ đang công tác của đơn vị đã chọn."),
    )
    pham_vi = forms.ChoiceField(
        label=_("Cấp dưới"),
        required=False,
        choices=[("", _("Gồm đơn vị cấp dưới")), (OWN_SCOPE, _("Chỉ chính đơn vị"))],
    )

    def __init__(self, *args, subtree=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The view resolves the unit through the policy (404 outside it); the form only shows it.
        widget = ChooserWidget(
            url=reverse_lazy("people:unit_chooser"), placeholder=_("Tất cả đơn vị trong phạm vi")
        )
        if subtree is not None:
            widget.known_labels[str(subtree.pk)] = unit_label(subtree)
        self.fields["don_vi"] = forms.IntegerField(
            label=_("Đơn vị (gồm cấp dưới)"), required=False, widget=widget
        )
        self.order_fields(["q", "don_vi"])
        self.fields["chuc_danh"].choices = [
            ("", _("Tất cả")),
            *Title.objects.order_by("-rank", "name").values_list("pk", "name"),
        ]
        apply_bootstrap(self)
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = (
                f"{css} {'form-select-sm' if 'form-select' in css else 'form-control-sm'}".strip()
            )
