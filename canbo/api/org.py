"""API reads of the structure: units (list, detail) and their seats with holders on a date."""

import datetime as dt

from django.db.models import Q
from ninja import Router

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.common.text import fold
from canbo.org.models import Unit
from canbo.people.selectors import holders_on

from . import serializers as s
from .pagination import LimitParam, OffsetParam, paginate
from .schemas import Error, PositionDetailOut, UnitDetailOut, UnitPage, UnitPositionsOut

router = Router(tags=["units"])
NOT_FOUND = {404: Error}


@router.get("/units", response=UnitPage, summary="Đơn vị trong phạm vi được giao")
def list_units(
    request,
    parent: int | None = None,
    q: str = "",
    as_of: dt.date | None = None,
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    """Units of the caller's subtrees in tree order.

    `parent`: only its direct children. `q`: name without diacritics, or the exact unit code.
    `as_of` (YYYY-MM-DD): only units existing on that day; without it, dissolved units are listed too.
    """
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


@router.get("/units/{unit_id}", response={200: UnitDetailOut, **NOT_FOUND}, summary="Một đơn vị")
def get_unit(request, unit_id: int):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    unit = Unit.objects.select_related("area").get(pk=unit.pk)
    return s.unit_out(unit, s.visible_parent_ids([unit], policy.units()), detail=True)


@router.get(
    "/units/{unit_id}/positions",
    response={200: UnitPositionsOut, **NOT_FOUND},
    summary="Vị trí chức vụ của đơn vị, người đảm nhiệm và chỗ trống vào một ngày",
)
def unit_positions(request, unit_id: int, as_of: dt.date | None = None):
    """The unit's own seats (not its subtree's), each with its holders on `as_of` (default: today)."""
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = as_of or today()
    seats = [s.position_out(p) for p in holders_on(policy.positions().filter(unit=unit), day)]
    seat_count, vacancies = s.seat_totals(seats)
    return {"unit_id": unit.pk, "as_of": day, "seat_count": seat_count, "vacancies": vacancies, "items": seats}


@router.get(
    "/positions/{position_id}",
    response={200: PositionDetailOut, **NOT_FOUND},
    summary="Một vị trí chức vụ và người đảm nhiệm vào một ngày",
)
def get_position(request, position_id: int, as_of: dt.date | None = None):
    policy = policy_for(request)
    position = policy.get_position(position_id)
    day = as_of or today()
    seat = holders_on(policy.positions().filter(pk=position.pk).select_related("unit"), day).get()
    return {**s.position_out(seat), "unit": s.unit_ref(seat.unit), "as_of": day}
