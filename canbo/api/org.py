"""API reads of the structure: units (list, detail) and their seats with holders on a date."""

from django.db.models import Count, Q
from ninja import Query, Router

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.common.text import fold
from canbo.org.models import Position, Unit
from canbo.org.selectors import lineage_of, subtree_counts
from canbo.people.models import Assignment
from canbo.people.populations import Basis, counted_people, definitions
from canbo.people.selectors import holders_on

from . import serializers as s
from .errors import COMMON, NOT_FOUND
from .pagination import LimitParam, OffsetParam, page, paginate
from .params import AsOfParam, IsoDate, SearchText, id_path, id_query
from .schemas import PositionDetailOut, UnitDetailOut, UnitFiguresOut, UnitPage, UnitPositionsOut

router = Router(tags=["units"])
EXISTING_ON = Query(None, description="Chỉ các đơn vị tồn tại vào ngày này (YYYY-MM-DD); bỏ trống: cả đơn vị đã giải thể.")
UNIT_SEARCH = Query("", max_length=200, description="Tên đơn vị (không cần dấu) hoặc đúng mã đơn vị.")


@router.get(
    "/units",
    response={200: UnitPage, **NOT_FOUND, **COMMON},
    summary="Đơn vị trong phạm vi được giao",
    description=(
        "Các đơn vị thuộc phạm vi được phân quyền, theo thứ tự cây. Lọc theo đơn vị cha, tên (không cần "
        "dấu) hoặc mã, và theo ngày tồn tại. `parent` ngoài phạm vi trả 404 như đơn vị không tồn tại."
    ),
)
def list_units(
    request,
    parent: int | None = id_query("Chỉ các đơn vị trực thuộc trực tiếp của đơn vị này (id)."),
    q: SearchText = UNIT_SEARCH,
    as_of: IsoDate | None = EXISTING_ON,
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    policy = policy_for(request)
    units = policy.units()
    if parent is not None:
        parent_unit = policy.get_unit(parent)
        units = units.filter(path__startswith=parent_unit.path, depth=parent_unit.depth + 1)
    if q.strip():
        units = units.filter(Q(search_name__contains=fold(q)) | Q(code__iexact=q.strip()))
    if as_of is not None:
        units = units.filter(Unit.existing_on_q(as_of))
    units = units.select_related("area").order_by("path")

    def serialize(rows):
        parent_ids = s.visible_parent_ids(rows, policy.units())
        return [s.unit_out(u, parent_ids) for u in rows]

    return paginate(units, limit=limit, offset=offset, serialize=serialize)


@router.get(
    "/units/{unit_id}",
    response={200: UnitDetailOut, **NOT_FOUND, **COMMON},
    summary="Một đơn vị",
    description=(
        "Thông tin một đơn vị. `parent_id` là null khi đơn vị cha nằm ngoài phạm vi được giao. "
        "`predecessor_ids`, `successor_ids`: các đơn vị tiền thân (đã giải thể/sáp nhập mà đơn vị này tiếp nhận) "
        "và kế tục, chỉ những đơn vị trong phạm vi được giao."
    ),
)
def get_unit(request, unit_id: int = id_path("Mã (id) đơn vị.")):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    unit = Unit.objects.select_related("area").get(pk=unit.pk)
    predecessors, successors = lineage_of(unit, policy)
    return {
        **s.unit_out(unit, s.visible_parent_ids([unit], policy.units()), detail=True),
        "predecessor_ids": [u.pk for u in predecessors.units],
        "successor_ids": [u.pk for u in successors.units],
    }


@router.get(
    "/units/{unit_id}/figures",
    response={200: UnitFiguresOut, **NOT_FOUND, **COMMON},
    summary="Các con số của đơn vị vào một ngày: hồ sơ, người giữ vị trí, cán bộ đang công tác, chỗ",
    description=(
        "Các con số của cây tổ chức và trang đơn vị, tính cho đơn vị cùng mọi đơn vị cấp dưới. Mỗi số người "
        "có danh sách tương ứng: /api/people?unit={unit_id}&basis=records|holders|in_service&as_of=… "
        "(`count` bằng con số). `in_service` bằng `headcount` của /api/units/{unit_id}/quotas."
    ),
)
def unit_figures(
    request,
    unit_id: int = id_path("Mã (id) đơn vị."),
    as_of: IsoDate | None = AsOfParam,
):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = as_of or today()
    counts = subtree_counts([unit], day, policy)[unit.pk]
    return {
        "unit_id": unit.pk,
        "as_of": day,
        "exists_on_date": unit.exists_on(day),
        "records": counts.records,
        "holders": counts.holders,
        "in_service": counted_people(policy.people(), Basis.IN_SERVICE, unit, day).count(),
        "seat_count": counts.seats,
        "vacancies": counts.vacancies,
        "definitions": {name: str(text) for name, text in definitions().items()},
    }


@router.get(
    "/units/{unit_id}/positions",
    response={200: UnitPositionsOut, **NOT_FOUND, **COMMON},
    summary="Vị trí chức vụ của đơn vị, người đảm nhiệm và chỗ trống vào một ngày",
    description=(
        "Các vị trí của chính đơn vị (không gồm đơn vị cấp dưới), mỗi vị trí với người đảm nhiệm vào ngày "
        "xem. `seat_count` và `vacancies` là tổng của mọi vị trí, không chỉ trang này. Vào một ngày đơn vị "
        "chưa thành lập hoặc đã giải thể (`exists_on_date` false), đơn vị không có vị trí nào: danh sách rỗng, "
        "không có chỗ trống."
    ),
)
def unit_positions(
    request,
    unit_id: int = id_path("Mã (id) đơn vị."),
    as_of: IsoDate | None = AsOfParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = as_of or today()
    exists = unit.exists_on(day)
    positions = policy.positions().filter(unit=unit) if exists else Position.objects.none()
    # One query for the totals of every seat (and the page's count), then the page with its holders.
    seats = list(
        positions.annotate(held=Count("assignments", filter=Assignment.current_on_q(day, "assignments__")))
        .order_by()
        .values_list("seat_count", "held")
    )
    rows = holders_on(positions, day).order_by("-title__rank", "title__name", "id")[offset : offset + limit]
    page_rows = list(rows) if offset < len(seats) else []
    return {
        "unit_id": unit.pk,
        "as_of": day,
        "exists_on_date": exists,
        "seat_count": sum(n for n, _held in seats),
        "vacancies": sum(max(n - held, 0) for n, held in seats),
        **page(len(seats), page_rows, limit=limit, offset=offset, serialize=lambda rows: [s.position_out(p) for p in rows]),
    }


@router.get(
    "/positions/{position_id}",
    response={200: PositionDetailOut, **NOT_FOUND, **COMMON},
    summary="Một vị trí chức vụ và người đảm nhiệm vào một ngày",
    description=(
        "Vào một ngày đơn vị của vị trí chưa thành lập hoặc đã giải thể (`unit_exists_on_date` false), vị trí "
        "không có người đảm nhiệm và không có chỗ trống (`vacancies` là 0)."
    ),
)
def get_position(
    request,
    position_id: int = id_path("Mã (id) vị trí."),
    as_of: IsoDate | None = AsOfParam,
):
    policy = policy_for(request)
    position = policy.get_position(position_id)
    day = as_of or today()
    seat = holders_on(policy.positions().filter(pk=position.pk).select_related("unit"), day).get()
    exists = seat.unit.exists_on(day)
    out = s.position_out(seat)
    if not exists:
        out["vacancies"] = 0
    return {**out, "unit": s.unit_ref(seat.unit), "as_of": day, "unit_exists_on_date": exists}
