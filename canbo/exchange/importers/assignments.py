"""Importing assignments (quá trình công tác): a person (by citizen ID) on a seat (unit code + title code).

A row matches the assignment of the same person on the same seat starting on the same day;
other rows create assignments. Writes go through `canbo.people.services` (assignment_create,
assignment_update), which check the rules across rows (seat capacity, overlapping terms,
dates of the unit): the dry run runs them too, in a transaction rolled back at the end.
"""

import copy

from django.core.exceptions import ValidationError
from django.db.models import Q

from canbo.access.models import Permission
from canbo.common.text import clean_text, fold
from canbo.org.models import Position, Title, Unit
from canbo.people import catalogues as c
from canbo.people import services as people_services
from canbo.people.models import Assignment, Person

from .base import CREATE, UNCHANGED, UPDATE, Importer, RowPlan, register
from .columns import ChoiceColumn, CitizenIdColumn, CodeColumn, DateColumn, TextColumn, quote

FIELDS = ("kind", "decision_number", "decision_date", "issuing_body", "start_date", "end_date", "note")


def _same_name(given: str, recorded: str) -> bool:
    """Equal ignoring case; a name typed without any diacritics also matches its accented form."""
    given, recorded = clean_text(given).casefold(), clean_text(recorded).casefold()
    return given == recorded or (given == fold(given) and given == fold(recorded))


def _title_codes() -> list[str]:
    return list(Title.objects.order_by("-rank", "name").values_list("code", flat=True))


@register
class AssignmentImporter(Importer):
    kind = "assignments"
    label = "Quá trình công tác"
    sheet_name = "Quá trình công tác"
    order = 30
    template_filename = "mau-nhap-qua-trinh-cong-tac.xlsx"
    intro = (
        "Mỗi dòng là một lần cán bộ đảm nhiệm một vị trí: cán bộ theo «Số định danh cá nhân», vị trí theo «Mã đơn vị» "
        "và «Mã chức danh» (đơn vị phải đã có vị trí cho chức danh đó). Dòng trùng cán bộ, vị trí và «Từ ngày» với "
        "quá trình đã có thì cập nhật quá trình đó; dòng khác tạo quá trình mới. Các cột tên chỉ để đối chiếu; "
        "«Họ và tên», nếu ghi, phải khớp với hồ sơ."
    )
    columns = (
        CitizenIdColumn("citizen_id", "Số định danh cá nhân", required=True, model_fields=("person",),
                        aliases=("Số CCCD", "CCCD", "Số căn cước", "Số định danh")),
        TextColumn("full_name", "Họ và tên", max_length=120, width=28, informational=True, aliases=("Họ tên",),
                   help="Để đối chiếu: nếu ghi, phải khớp với họ tên trong hồ sơ."),
        CodeColumn("unit_code", "Mã đơn vị", required=True, max_length=40, model_fields=("position",)),
        TextColumn("unit_name", "Tên đơn vị", width=34, informational=True, help="Chỉ để đọc; không dùng khi nhập."),
        CodeColumn("title_code", "Mã chức danh", required=True, model_fields=("position",),
                   help="Mã trong danh mục chức danh (xem trang «Danh mục» của tệp mẫu)."),
        TextColumn("title_name", "Tên chức danh", width=28, informational=True, help="Chỉ để đọc; không dùng khi nhập."),
        ChoiceColumn("kind", "Hình thức", required=True, choices=c.AssignmentKind.choices),
        CodeColumn("decision_number", "Số quyết định", max_length=60),
        DateColumn("decision_date", "Ngày quyết định"),
        TextColumn("issuing_body", "Cơ quan ban hành", max_length=200, width=28),
        DateColumn("start_date", "Từ ngày", required=True),
        DateColumn("end_date", "Đến ngày",
                   help="Để trống khi đang đảm nhiệm; ghi «[xóa]» để bỏ ngày kết thúc đã nhập trước đó."),
        TextColumn("note", "Ghi chú", max_length=300, width=30),
    )  # fmt: skip

    def __init__(self, ctx, present=()):
        super().__init__(ctx, present)
        self.seen: dict[tuple, int] = {}

    @classmethod
    def allowed_for(cls, field: str) -> list[str]:
        return _title_codes() if field == "title_code" else []

    # Checking -------------------------------------------------------------------------------
    def check(self, rows: list[RowPlan]) -> None:
        policy = self.ctx.policy
        ids = {r.values.get("citizen_id") for r in rows} - {None}
        unit_codes = {r.values.get("unit_code") for r in rows} - {None, ""}
        title_codes = {r.values.get("title_code") for r in rows} - {None, ""}
        # A person is within reach when the policy shows them, or when they held a seat the policy shows.
        people = {
            p.citizen_id: p
            for p in Person.objects.filter(citizen_id__in=ids).filter(
                Q(pk__in=policy.people(Permission.VIEW).values("pk"))
                | Q(pk__in=policy.assignments(Permission.VIEW).values("person_id"))
            )
        }
        units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes).only("pk", "code", "path", "name")}
        titles = {t.code: t for t in Title.objects.filter(code__in=title_codes)}
        positions = {
            (p.unit.code, p.title.code): p
            for p in Position.objects.filter(unit__code__in=unit_codes, title__code__in=title_codes).select_related("unit", "title")
        }
        existing = {
            (a.person_id, a.position_id, a.start_date): a
            for a in Assignment.objects.filter(person__in=people.values(), position__in=positions.values())
        }
        for row in rows:
            self._check_row(row, people, units, titles, positions, existing)

    def _check_row(self, row: RowPlan, people, units, titles, positions, existing) -> None:
        v = row.values
        citizen_id, unit_code, title_code = v.get("citizen_id"), v.get("unit_code"), v.get("title_code")
        row.label = f"{citizen_id or ''} – {title_code or ''} @ {unit_code or ''}"
        person = people.get(citizen_id) if citizen_id else None
        if citizen_id and person is None:
            row.error("Số định danh cá nhân", f"Không tìm thấy cán bộ có số định danh «{citizen_id}» trong phạm vi của bạn.")
        if person is not None and v.get("full_name") and not _same_name(v["full_name"], person.full_name):
            row.error("Họ và tên", f"Họ và tên {quote(v['full_name'])} không khớp với hồ sơ có số định danh này ({quote(person.full_name)}).")
        position = None
        if unit_code and title_code:
            unit, title = units.get(unit_code), titles.get(title_code)
            if unit is None:
                row.error("Mã đơn vị", f"Không có đơn vị mã «{unit_code}».")
            elif not self.ctx.policy.covers_path(unit.path, Permission.EDIT):
                row.error("Mã đơn vị", f"Không có quyền: đơn vị «{unit_code}» nằm ngoài phạm vi bạn được cập nhật.")
            elif title is None:
                row.error("Mã chức danh", f"Không có chức danh mã «{title_code}» trong danh mục.")
            else:
                position = positions.get((unit_code, title_code))
                if position is None:
                    row.error("Mã chức danh", f"Đơn vị «{unit_code}» chưa có vị trí cho chức danh «{title.name}».")
        if row.errors:
            return
        row.label = f"{person.full_name} – {position.title.name}, {position.unit.name}"
        key = (person.pk, position.pk, v["start_date"])
        if key in self.seen:
            row.error("Từ ngày", f"Trùng cán bộ, vị trí và ngày bắt đầu với dòng {self.seen[key]}.")
            return
        self.seen[key] = row.number
        fields = {name: clean_text(v[name]) if isinstance(v[name], str) else v[name] for name in FIELDS if name in v}
        current = existing.get(key)
        if current is None:
            candidate = Assignment(person=person, position=position, **fields)
        else:
            candidate = copy.copy(current)
            fields = {name: value for name, value in fields.items() if getattr(current, name) != value}
            if not fields:
                row.action = UNCHANGED
                return
            for name, value in fields.items():
                setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=["person", "position"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return
        if current is None:
            row.action = CREATE
            row.target = (person, position, fields)
        else:
            row.action = UPDATE
            row.target = (current.pk, fields)
            self.describe_changes(row, {name: getattr(current, name) for name in FIELDS}, fields)

    # Writing --------------------------------------------------------------------------------
    def write(self, rows: list[RowPlan]) -> None:
        ctx = self.ctx
        for row in rows:
            try:
                if row.action == CREATE:
                    person, position, fields = row.target
                    people_services.assignment_create(
                        actor=ctx.actor, person=person, position=position, source=ctx.source, **fields
                    )
                else:
                    pk, fields = row.target
                    people_services.assignment_update(
                        actor=ctx.actor, assignment=Assignment.objects.get(pk=pk), source=ctx.source, **fields
                    )
            except ValidationError as exc:
                self.report_validation(row, exc, {"person": "Số định danh cá nhân", "position": "Mã chức danh"})

    # Exporting ------------------------------------------------------------------------------
    @classmethod
    def export_rows(cls, policy, unit):
        assignments = (
            policy.assignments(Permission.VIEW)
            .filter(position__unit__path__startswith=unit.path)
            .select_related("person", "position__unit", "position__title")
            .order_by("position__unit__path", "-position__title__rank", "position__title__name", "start_date", "id")
        )
        for a in assignments.iterator(chunk_size=2000):
            values = {
                "citizen_id": a.person.citizen_id,
                "full_name": a.person.full_name,
                "unit_code": a.position.unit.code,
                "unit_name": a.position.unit.name,
                "title_code": a.position.title.code,
                "title_name": a.position.title.name,
                **{name: getattr(a, name) for name in FIELDS},
            }
            yield [column.to_cell(values[column.field]) for column in cls.columns]
