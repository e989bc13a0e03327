"""Importing people (cán bộ): matched by the 12-digit citizen ID, kept by the unit of the unit code.

People files are the large ones (a province's whole registry), so `check` validates a chunk
with a few bulk queries and `write` goes through `canbo.exchange.bulk`, which writes the same
rows and audit rows as `canbo.people.services` in batches (see that module for why).
Degrees are not part of this file: an update leaves them as they are.
"""

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from canbo.access.models import Permission
from canbo.org.models import Unit
from canbo.people import catalogues as c
from canbo.people.models import Person

from .. import bulk
from .base import CREATE, UNCHANGED, UPDATE, Importer, RowPlan, register
from .columns import (
    AreaColumn,
    BirthDateColumn,
    ChoiceColumn,
    CitizenIdColumn,
    CodeColumn,
    DateColumn,
    TextColumn,
)

AREA_FIELDS = ("birthplace", "hometown", "residence")


class GeneralEducationColumn(ChoiceColumn):
    """"12/12" typed into a General-format cell becomes 12 December: read such a date back."""

    def parse(self, value, ctx):
        if isinstance(value, dt.date):
            value = f"{value.day}/{value.month}"
        return super().parse(value, ctx)


@register
class PersonImporter(Importer):
    kind = "people"
    label = "Cán bộ"
    sheet_name = "Cán bộ"
    order = 20
    template_filename = "mau-nhap-can-bo.xlsx"
    write_in_dry_run = False  # every rule of `write` is checked row by row in `check`
    intro = (
        "Mỗi dòng là một cán bộ, đối chiếu theo «Số định danh cá nhân» (12 chữ số): số đã có thì cập nhật hồ sơ, "
        "số mới thì tạo hồ sơ mới tại đơn vị có «Mã đơn vị quản lý hồ sơ». Cột số định danh phải định dạng "
        "Văn bản (Text) để Excel không bỏ chữ số 0 ở đầu. Văn bằng chuyên môn không nhập qua tệp này."
    )
    columns = (
        CitizenIdColumn("citizen_id", "Số định danh cá nhân", required=True,
                        help="12 chữ số, ghi dạng văn bản (giữ chữ số 0 ở đầu).",
                        aliases=("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh", "Mã định danh")),
        TextColumn("full_name", "Họ và tên", required=True, max_length=120, width=28, aliases=("Họ tên",)),
        ChoiceColumn("sex", "Giới tính", required=True, choices=c.Sex.choices, width=10),
        BirthDateColumn("birth_date", "Ngày sinh", required=True, precision_field="birth_date_precision",
                        precisions=c.DatePrecision,
                        help="dd/mm/yyyy; khi không rõ ngày ghi mm/yyyy, không rõ tháng ghi yyyy."),
        CodeColumn("unit_code", "Mã đơn vị quản lý hồ sơ", required=True, model_fields=("unit",),
                   help="Mã của đơn vị đang lưu giữ hồ sơ (xem trang Đơn vị hoặc tệp xuất đơn vị).",
                   aliases=("Mã đơn vị", "Đơn vị quản lý hồ sơ")),
        TextColumn("other_names", "Tên gọi khác", max_length=120),
        ChoiceColumn("ethnicity", "Dân tộc", choices=c.ETHNIC_GROUPS, pad=2, aliases_of={"Việt": c.KINH},
                     help="Tên dân tộc hoặc mã 2 chữ số; để trống: Kinh (khi tạo mới)."),
        ChoiceColumn("religion", "Tôn giáo", choices=c.RELIGIONS),
        ChoiceColumn("category", "Đối tượng", choices=c.Category.choices),
        AreaColumn("birthplace", "Nơi sinh", help="Mã, tên, hoặc «mã - tên» đơn vị hành chính; thêm «(cũ)» với địa danh trước 01/07/2025."),
        AreaColumn("hometown", "Quê quán"),
        AreaColumn("residence", "Nơi thường trú"),
        TextColumn("residence_detail", "Địa chỉ thường trú", max_length=200, help="Số nhà, đường phố, thôn, tổ dân phố."),
        DateColumn("residence_since", "Thường trú từ ngày"),
        DateColumn("party_joined_on", "Ngày vào Đảng"),
        DateColumn("party_official_on", "Ngày chính thức"),
        CodeColumn("party_card_number", "Số thẻ đảng viên", max_length=20),
        GeneralEducationColumn("general_education", "Giáo dục phổ thông", choices=c.GeneralEducation.choices),
        ChoiceColumn("political_theory", "Lý luận chính trị", choices=c.PoliticalTheory.choices,
                     aliases_of={"Không": 0, "Cử nhân chính trị": 4}),
        ChoiceColumn("state_management", "Quản lý nhà nước", choices=c.StateManagement.choices, aliases_of={"Không": 0}),
        TextColumn("foreign_language", "Ngoại ngữ", max_length=100),
        TextColumn("it_skill", "Tin học", max_length=100),
        ChoiceColumn("academic_title", "Học hàm", choices=c.AcademicTitle.choices, cleared_to="",
                     aliases_of={"PGS": "pgs", "GS": "gs", "PGS.TS": "pgs", "GS.TS": "gs"}),
    )  # fmt: skip

    def __init__(self, ctx, present=()):
        super().__init__(ctx, present)
        self.units: dict[str, Unit | None] = {}
        self.seen: dict[str, int] = {}

    # Checking -------------------------------------------------------------------------------
    def check(self, rows: list[RowPlan]) -> None:
        codes = {row.values.get("unit_code") for row in rows} - {None, ""} - self.units.keys()
        if codes:
            found = {u.code: u for u in Unit.objects.filter(code__in=codes).only("pk", "code", "path", "name")}
            self.units.update({code: found.get(code) for code in codes})
        ids = {row.values.get("citizen_id") for row in rows} - {None}
        existing = {p.citizen_id: p for p in Person.objects.filter(citizen_id__in=ids).select_related("unit")}
        for row in rows:
            self._check_row(row, existing)

    def _check_row(self, row: RowPlan, existing: dict[str, Person]) -> None:
        values = row.values
        citizen_id = values.get("citizen_id")
        row.label = f"{citizen_id or ''} – {values.get('full_name', '')}"
        if citizen_id:
            if citizen_id in self.seen:
                row.error("Số định danh cá nhân", f"Số định danh trùng với dòng {self.seen[citizen_id]}.")
            else:
                self.seen[citizen_id] = row.number
        unit = None
        code = values.get("unit_code")
        if code:
            unit = self.units.get(code)
            if unit is None:
                row.error("Mã đơn vị quản lý hồ sơ", f"Không có đơn vị mã «{code}».")
            elif not self.ctx.policy.covers_path(unit.path, Permission.EDIT):
                row.error(
                    "Mã đơn vị quản lý hồ sơ",
                    f"Không có quyền: đơn vị «{code}» nằm ngoài phạm vi bạn được cập nhật.",
                )
        person = existing.get(citizen_id)
        if person is not None and not self.ctx.policy.covers_path(person.unit.path, Permission.EDIT):
            row.error(
                "Số định danh cá nhân",
                "Không có quyền: hồ sơ có số định danh này do một đơn vị ngoài phạm vi bạn được cập nhật quản lý.",
            )
        if row.errors:
            return
        fields = self._fields(values, unit)
        if person is None:
            self._plan_create(row, fields)
        else:
            self._plan_update(row, person, fields)

    def _fields(self, values: dict, unit: Unit | None) -> dict:
        fields = {}
        for name, value in values.items():
            if name == "unit_code":
                fields["unit"] = unit
            elif name == "birth_date":
                fields["birth_date"], fields["birth_date_precision"] = value
            else:
                fields[name] = value
        return bulk.clean_person_fields(fields)

    def _plan_create(self, row: RowPlan, fields: dict) -> None:
        person = Person(**fields)
        try:
            bulk.validate_person(person)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return
        row.action = CREATE
        row.target = person

    def _plan_update(self, row: RowPlan, person: Person, fields: dict) -> None:
        changed = {}
        for name, value in fields.items():
            if name in ("unit", *AREA_FIELDS):
                if getattr(person, f"{name}_id") != (value.pk if value is not None else None):
                    changed[name] = value
            elif getattr(person, name) != value:
                changed[name] = value
        if not changed:
            row.action = UNCHANGED
            return
        candidate = copy.copy(person)
        for name, value in changed.items():
            setattr(candidate, name, value)
        try:
            bulk.validate_person(candidate)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return
        row.action = UPDATE
        row.target = (person.pk, changed)
        self.describe_changes(row, self._display_values(person), self._display_values(candidate, only=changed))

    def _display_values(self, person: Person, only: dict | None = None) -> dict:
        """Column field → value in the form the columns display, for the preview's before → after."""
        areas = self.ctx.areas
        values = {}
        for column in self.columns:
            name = column.field
            if name == "unit_code":
                if only is None or "unit" in only:
                    values[name] = person.unit.code
            elif name == "birth_date":
                if only is None or "birth_date" in only or "birth_date_precision" in only:
                    values[name] = (person.birth_date, person.birth_date_precision)
            elif only is None or name in only:
                value = getattr(person, f"{name}_id") if name in AREA_FIELDS else getattr(person, name)
                values[name] = areas.by_id.get(value) if name in AREA_FIELDS else value
        return values

    # Writing --------------------------------------------------------------------------------
    def write(self, rows: list[RowPlan]) -> None:
        ctx = self.ctx
        creates = [row for row in rows if row.action == CREATE]
        for start in range(0, len(creates), bulk.BATCH):
            batch = creates[start : start + bulk.BATCH]
            try:
                with transaction.atomic():
                    bulk.person_bulk_create([row.target for row in batch], actor=ctx.actor, source=ctx.source)
            except IntegrityError:
                # Another import or a user created one of these people since the check.
                batch[0].error("Số định danh cá nhân", "Một số định danh trong nhóm dòng này vừa được ghi bởi người khác; hãy nhập lại tệp.")
                return
        updates = [row for row in rows if row.action == UPDATE]
        by_pk = {row.target[0]: row for row in updates}
        failures = bulk.person_bulk_update([row.target for row in updates], actor=ctx.actor, source=ctx.source)
        for pk, exc in failures.items():
            self.report_validation(by_pk[pk], exc)

    # Exporting ------------------------------------------------------------------------------
    @classmethod
    def export_rows(cls, policy, unit):
        from .areas import AreaIndex

        areas = None
        names = [f for f in Person._meta.concrete_fields if f.name not in ("id", "search_name")]
        attnames = [f.attname for f in names]
        people = Person.objects.filter(policy.path_q(Permission.VIEW, "unit__path"), unit__path__startswith=unit.path)
        rows = people.order_by("unit__path", "search_name", "id").values_list(*attnames, "unit__code")
        for record in rows.iterator(chunk_size=2000):
            data = dict(zip(attnames, record, strict=False))
            data["unit_code"] = record[-1]
            values = {}
            for column in cls.columns:
                name = column.field
                if name == "birth_date":
                    values[name] = (data["birth_date"], data["birth_date_precision"])
                elif name in AREA_FIELDS:
                    area_id = data[f"{name}_id"]
                    if area_id is not None and areas is None:
                        areas = AreaIndex()
                    values[name] = areas.by_id.get(area_id) if area_id is not None else None
                else:
                    values[name] = data[name]
            yield [column.to_cell(values[column.field]) for column in cls.columns]
