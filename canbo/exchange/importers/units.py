"""Importing units (đơn vị): matched by unit code, placed under the unit of the parent code.

Writes go through `canbo.org.services` (unit_create, unit_update, unit_move), one row at a
time: unit files are small, and the services keep the tree (treebeard paths) and its rules.
A parent may be an existing unit or a unit created by an earlier row of the same file.
"""

import copy

from django.core.exceptions import ValidationError

from canbo.access.models import Permission
from canbo.org import services as org_services
from canbo.org.models import Unit, UnitKind

from .base import CREATE, UNCHANGED, UPDATE, Importer, RowPlan, as_date, register
from .columns import EXCEL_CELL_LIMIT, AreaColumn, ChoiceColumn, CodeColumn, DateColumn, TextColumn

FIELDS = ("name", "short_name", "kind", "area", "established_on", "dissolved_on", "note")


@register
class UnitImporter(Importer):
    kind = "units"
    label = "Đơn vị"
    sheet_name = "Đơn vị"
    order = 10
    template_filename = "mau-nhap-don-vi.xlsx"
    intro = (
        "Mỗi dòng là một đơn vị, đối chiếu theo «Mã đơn vị»: mã đã có thì cập nhật, mã mới thì tạo đơn vị mới "
        "dưới đơn vị có «Mã đơn vị cấp trên» (đã có trong hệ thống hoặc ở một dòng phía trên). Đổi mã cấp trên "
        "của một đơn vị đã có là chuyển đơn vị đó (cùng các đơn vị cấp dưới) sang đơn vị cấp trên mới."
    )
    columns = (
        CodeColumn("code", "Mã đơn vị", required=True, max_length=40, help="Mã duy nhất của đơn vị, dùng để đối chiếu.",
                   aliases=("Mã ĐV",)),
        TextColumn("name", "Tên đơn vị", required=True, max_length=200, width=40),
        CodeColumn("parent_code", "Mã đơn vị cấp trên", max_length=40,
                   help="Để trống với đơn vị gốc (chỉ quản trị toàn hệ thống được tạo đơn vị gốc).",
                   aliases=("Mã cấp trên", "Mã đơn vị cha")),
        ChoiceColumn("kind", "Loại đơn vị", required=True, choices=UnitKind.choices, width=28),
        TextColumn("short_name", "Tên viết tắt", max_length=60),
        AreaColumn("area", "Địa bàn", help="Đơn vị hành chính nơi đơn vị đóng: mã, tên, hoặc «mã - tên»."),
        DateColumn("established_on", "Ngày thành lập"),
        DateColumn("dissolved_on", "Ngày giải thể", help="Ngày cuối cùng đơn vị còn hoạt động.",
                   aliases=("Ngày giải thể/sáp nhập",)),
        TextColumn("note", "Ghi chú", max_length=EXCEL_CELL_LIMIT, width=30),
    )  # fmt: skip

    def __init__(self, ctx, present=()):
        super().__init__(ctx, present)
        self.units: dict[str, Unit | None] = {}  # code → unit in the database (None: no such unit)
        self.planned: dict[str, int] = {}  # code of a unit the file creates → its row
        self.failed: dict[str, int] = {}  # code whose row has errors → its row
        self.seen: dict[str, int] = {}

    def _load(self, codes: set[str]) -> None:
        missing = codes - self.units.keys()
        if missing:
            found = {u.code: u for u in Unit.objects.filter(code__in=missing).select_related("area__parent__parent")}
            for code in missing:
                self.units[code] = found.get(code)
        parent_paths = {u.path[: -Unit.steplen] for u in self.units.values() if u is not None and u.depth > 1}
        known = {u.path: u for u in self.units.values() if u is not None}
        need = parent_paths - known.keys()
        if need:
            for unit in Unit.objects.filter(path__in=need):
                self.units.setdefault(unit.code, unit)

    def _parent_code(self, unit: Unit) -> str:
        if unit.depth <= 1:
            return ""
        parent_path = unit.path[: -Unit.steplen]
        for other in self.units.values():
            if other is not None and other.path == parent_path:
                return other.code
        return Unit.objects.filter(path=parent_path).values_list("code", flat=True).first() or ""

    def _editable(self, unit: Unit) -> bool:
        return self.ctx.policy.covers_path(unit.path, Permission.EDIT)

    def check(self, rows: list[RowPlan]) -> None:
        codes = set()
        for row in rows:
            codes.add(row.values.get("code", ""))
            codes.add(row.values.get("parent_code", ""))
        codes.discard("")
        codes.discard(None)
        self._load(codes)
        for row in rows:
            self._check_row(row)

    def _check_row(self, row: RowPlan) -> None:
        values = row.values
        code = values.get("code")
        if code:
            row.label = f"{code} – {values.get('name', '')}"
            if code in self.seen:
                row.error("Mã đơn vị", f"Mã đơn vị «{code}» trùng với dòng {self.seen[code]}.")
            else:
                self.seen[code] = row.number
        if row.errors:
            if code:
                self.failed.setdefault(code, row.number)
            return
        existing = self.units.get(code)
        parent, parent_code = self._parent(row, existing)
        if row.errors:
            self.failed.setdefault(code, row.number)
            return
        fields = {name: as_date(values[name]) if name.endswith("_on") else values[name] for name in FIELDS if name in values}
        if existing is None:
            self._plan_create(row, code, fields, parent, parent_code)
        else:
            self._plan_update(row, existing, fields, parent, parent_code)
        if row.errors:
            self.failed.setdefault(code, row.number)

    def _parent(self, row: RowPlan, existing: Unit | None):
        """The parent the row names: a Unit, the code of a unit planned above, or None for a root."""
        if "parent_code" not in row.values:
            # No parent given (no column, or an empty cell): an existing unit stays where it is.
            return (None, None) if existing is not None else (None, "")
        code = row.values["parent_code"]
        if not code:
            return None, ""
        if code == row.values.get("code"):
            row.error("Mã đơn vị cấp trên", "Đơn vị không thể là cấp trên của chính nó.")
            return None, code
        unit = self.units.get(code)
        if unit is not None:
            return unit, code
        if code in self.planned:
            return code, code
        if code in self.failed:
            row.error("Mã đơn vị cấp trên", f"Đơn vị cấp trên «{code}» ở dòng {self.failed[code]} có lỗi.")
        else:
            row.error(
                "Mã đơn vị cấp trên",
                f"Không có đơn vị mã «{code}» trong hệ thống hay ở một dòng phía trên trong tệp.",
            )
        return None, code

    def _plan_create(self, row: RowPlan, code: str, fields: dict, parent, parent_code) -> None:
        if parent is None and not self.ctx.policy.is_global:
            row.error("Mã đơn vị cấp trên", "Không có quyền tạo đơn vị gốc: hãy ghi mã đơn vị cấp trên.")
            return
        if isinstance(parent, Unit) and not self._editable(parent):
            row.error("Mã đơn vị cấp trên", f"Không có quyền: đơn vị cấp trên «{parent_code}» nằm ngoài phạm vi bạn được cập nhật.")
            return
        unit = Unit(code=code, **fields)
        try:
            unit.full_clean(exclude=["path", "depth", "numchild", "area"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return
        row.action = CREATE
        row.target = {"code": code, "fields": fields, "parent_code": parent_code or ""}
        self.planned[code] = row.number

    def _plan_update(self, row: RowPlan, existing: Unit, fields: dict, parent, parent_code) -> None:
        if not self._editable(existing):
            row.error("Mã đơn vị", f"Không có quyền: đơn vị «{existing.code}» nằm ngoài phạm vi bạn được cập nhật.")
            return
        before = {name: getattr(existing, name) for name in FIELDS}
        changed = {name: value for name, value in fields.items() if before[name] != value}
        current_parent = self._parent_code(existing)
        move_to = None
        if parent_code is not None and parent_code != current_parent:
            if not parent_code:
                row.error("Mã đơn vị cấp trên", "Không thể chuyển một đơn vị đã có thành đơn vị gốc.")
                return
            if isinstance(parent, Unit):
                if parent.path.startswith(existing.path):
                    row.error("Mã đơn vị cấp trên", "Không thể chuyển đơn vị vào chính nó hoặc một đơn vị cấp dưới của nó.")
                    return
                if not self._editable(parent):
                    row.error("Mã đơn vị cấp trên", f"Không có quyền: đơn vị cấp trên «{parent_code}» nằm ngoài phạm vi bạn được cập nhật.")
                    return
            move_to = parent_code
        if not changed and move_to is None:
            row.action = UNCHANGED
            return
        candidate = copy.copy(existing)
        for name, value in changed.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=["path", "depth", "numchild", "area"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return
        row.action = UPDATE
        row.target = {"pk": existing.pk, "changed": changed, "move_to": move_to}
        self.describe_changes(row, {**before, "parent_code": current_parent}, {**changed, **({"parent_code": move_to} if move_to else {})})

    def write(self, rows: list[RowPlan]) -> None:
        ctx = self.ctx
        by_code: dict[str, Unit] = {}

        def unit_by_code(code: str) -> Unit:
            if code not in by_code:
                by_code[code] = Unit.objects.get(code=code)
            return by_code[code]

        for row in rows:
            target = row.target
            try:
                if row.action == CREATE:
                    parent = unit_by_code(target["parent_code"]) if target["parent_code"] else None
                    by_code[target["code"]] = org_services.unit_create(
                        actor=ctx.actor, parent=parent, source=ctx.source, code=target["code"], **target["fields"]
                    )
                else:
                    unit = Unit.objects.get(pk=target["pk"])
                    if target["changed"]:
                        unit = org_services.unit_update(actor=ctx.actor, unit=unit, source=ctx.source, **target["changed"])
                    if target["move_to"]:
                        unit = org_services.unit_move(
                            actor=ctx.actor, unit=unit, new_parent=unit_by_code(target["move_to"]), source=ctx.source
                        )
                    by_code[unit.code] = unit
            except ValidationError as exc:
                self.report_validation(row, exc, {"parent": "Mã đơn vị cấp trên"})
            except Unit.DoesNotExist:
                row.error("Mã đơn vị cấp trên", "Đơn vị cấp trên không còn trong hệ thống.")

    @classmethod
    def export_rows(cls, policy, unit):
        units = policy.units(Permission.VIEW).filter(path__startswith=unit.path).select_related("area__parent__parent")
        codes = dict(Unit.objects.filter(path__in=[unit.path[: -Unit.steplen]]).values_list("path", "code")) if unit.depth > 1 else {}
        for u in units.order_by("path").iterator(chunk_size=2000):
            codes[u.path] = u.code
            values = {
                "code": u.code,
                "name": u.name,
                "parent_code": codes.get(u.path[: -Unit.steplen], "") if u.depth > 1 else "",
                "kind": u.kind,
                "short_name": u.short_name,
                "area": u.area,
                "established_on": u.established_on,
                "dissolved_on": u.dissolved_on,
                "note": u.note,
            }
            yield [column.to_cell(values[column.field]) for column in cls.columns]
