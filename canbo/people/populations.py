"""Who a figure about a unit counts: the three sets of people of a unit (and the units below it)
on a day, their names, and the query of each.

The tree, the unit page, the people list, the dashboard and the API name their figures with
these words and count them with these filters, so one name always means one set of people and
every figure can be opened as the list of the people behind it:

- records (hồ sơ quản lý): people whose record is kept (`Person.unit`) in the unit or below it.
  Not dated: the system keeps only where a record is kept now, also in a unit since dissolved.
- holders (người đang giữ vị trí): people holding at least one seat of the unit or below it on
  the day, wherever their record is kept; a person holding two seats there counts once.
- in service (cán bộ đang công tác): records kept in the unit or below it whose person holds at
  least one seat, anywhere, on the day. It is the dashboard's headcount
  (`canbo.dashboard.selectors.people_in_service`): retirees keep their record but hold no seat.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from canbo.org.models import Unit

from .models import Assignment, Person


class Basis(models.TextChoices):
    """What a count of people counts; the value is the people list's `dem` parameter."""

    RECORDS = "ho-so", _("Hồ sơ quản lý")
    HOLDERS = "giu-vi-tri", _("Người đang giữ vị trí")
    IN_SERVICE = "dang-cong-tac", _("Cán bộ đang công tác")


DEFINITIONS = {
    Basis.RECORDS: _(
        "Hồ sơ quản lý: hồ sơ cán bộ do đơn vị và các đơn vị cấp dưới quản lý (đơn vị quản lý hồ sơ hiện nay), "
        "kể cả người đã nghỉ hưu hoặc không giữ vị trí nào."
    ),
    Basis.HOLDERS: _(
        "Người đang giữ vị trí: người giữ ít nhất một vị trí chức vụ của đơn vị hoặc đơn vị cấp dưới vào ngày xem, "
        "dù hồ sơ do đơn vị nào quản lý; một người giữ hai vị trí được tính một lần."
    ),
    Basis.IN_SERVICE: _(
        "Cán bộ đang công tác: người có hồ sơ do đơn vị hoặc đơn vị cấp dưới quản lý và đang giữ ít nhất một vị trí "
        "(ở bất kỳ đơn vị nào) vào ngày xem; là cột «Cán bộ đang công tác» của báo cáo chỉ tiêu."
    ),
}
# The names of the bases in templates and the API (machine words; links use the values).
API_NAMES = {"records": Basis.RECORDS, "holders": Basis.HOLDERS, "in_service": Basis.IN_SERVICE}


def definitions() -> dict[str, str]:
    """Each basis's definition by its API name, for a page's legend."""
    return {name: DEFINITIONS[basis] for name, basis in API_NAMES.items()}

# Where a figure's people are: the unit with everything below it, or the unit itself only.
SUBTREE, OWN = "subtree", "own"


def _units_q(prefix: str, unit: Unit | None, scope: str, policy) -> Q:
    """Rows whose unit (reached through `prefix`, e.g. "position__unit__") is `unit`'s subtree,
    or `unit` itself; without a unit, any unit the user may see."""
    if unit is None:
        return policy.path_q(field=f"{prefix}path")
    if scope == OWN:
        return Q(**{f"{prefix}id": unit.pk})
    return Q(**{f"{prefix}path__startswith": unit.path})


def holds_a_seat_q(day: dt.date, units: Q | None = None) -> Q:
    """People holding a seat on `day`: anywhere, or in the units matched by `units` (a Q on the
    seat's unit, prefixed "position__unit__") that exist on that day."""
    seats = Assignment.objects.filter(Assignment.current_on_q(day), person=OuterRef("pk"))
    if units is not None:
        seats = seats.filter(units, Unit.existing_on_q(day, "position__unit__"))
    return Q(Exists(seats))


def counted_people(
    people: QuerySet[Person], basis: str, unit: Unit | None, day: dt.date, *, scope: str = SUBTREE, policy=None
) -> QuerySet[Person]:
    """`people` (already limited to what the user may see) narrowed to those `basis` counts for
    `unit` (without a unit: for all the units `policy` lets the user see)."""
    if basis == Basis.RECORDS:
        return people.filter(_units_q("unit__", unit, scope, policy))
    if basis == Basis.HOLDERS:
        return people.filter(holds_a_seat_q(day, _units_q("position__unit__", unit, scope, policy)))
    if basis == Basis.IN_SERVICE:
        return people.filter(_units_q("unit__", unit, scope, policy)).filter(holds_a_seat_q(day))
    raise ValueError(f"unknown basis {basis!r}")


# The people list's query parameters for a figure (`people:person_list`).
BASIS_PARAM, UNIT_PARAM, SCOPE_PARAM, OWN_SCOPE = "dem", "don_vi", "pham_vi", "rieng"


def list_url(basis: str, unit: Unit, *, as_of_param: str = "", scope: str = SUBTREE) -> str:
    """The people list holding exactly the people a figure of `unit` counts.

    `as_of_param` is the page's "ngay=dd/mm/yyyy" (empty for today); records are not dated, so
    their list does not carry it.
    """
    query = {UNIT_PARAM: unit.pk, BASIS_PARAM: basis}
    if scope == OWN:
        query[SCOPE_PARAM] = OWN_SCOPE
    url = f"{reverse('people:person_list')}?{urlencode(query)}"
    if as_of_param and basis != Basis.RECORDS:
        url += f"&{as_of_param}"
    return url
