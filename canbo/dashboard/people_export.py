"""Which people the people-list export holds: the filters of the people list page, within a unit.

The filters are those of `people:person_list` (same query-string names, same form, same
selectors), applied the way that view applies them. The view keeps that sequence inline, so it
is mirrored here until `canbo.people.selectors` offers one shared filter function (requested);
`tests/dashboard/test_exports.py` checks that both give the same people. A figure of the
dashboard (`chi_so`, with `ngay` and `pham_vi`) can narrow the list further, so a drill-down
list can be taken to Excel as it is.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from canbo.common.dates import today
from canbo.people import catalogues as c
from canbo.people.forms import MINORITIES, PersonFilterForm
from canbo.people.models import Person
from canbo.people.selectors import (
    filter_people_by_age,
    people_holding_title,
    people_in_subtree,
    search_people,
)

from .selectors import HEADS, build_catalogue, drilldown_people

LIST_FILTERS = ("q", "gioi_tinh", "tuoi", "dan_toc", "chuc_danh", "llct", "doi_tuong")


class BadFilter(ValueError):
    pass


@dataclass
class Selection:
    unit: object
    day: dt.date
    people: QuerySet[Person]
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, value in words)


def apply_list_filters(people: QuerySet[Person], data: dict, day: dt.date) -> QuerySet[Person]:
    """The people list's filters (canbo/people/views.py: person_list), in the same order."""
    people = search_people(people, data.get("q") or "")
    if data.get("gioi_tinh"):
        people = people.filter(sex=data["gioi_tinh"])
    if data.get("tuoi"):
        people = filter_people_by_age(people, data["tuoi"], day)
    if data.get("dan_toc") == MINORITIES:
        people = people.exclude(ethnicity=c.KINH)
    elif data.get("dan_toc"):
        people = people.filter(ethnicity=data["dan_toc"])
    if data.get("chuc_danh"):
        people = people_holding_title(people, data["chuc_danh"], day)
    if data.get("llct") is not None:
        people = people.filter(political_theory=data["llct"])
    if data.get("doi_tuong"):
        people = people.filter(category=data["doi_tuong"])
    return people


def select(params, *, unit, day: dt.date, policy) -> Selection:
    form = PersonFilterForm(params, subtree=unit)
    form.is_valid()
    data = form.cleaned_data  # like the list: the valid filters apply even when another one is bad
    filters: list[tuple[str, str]] = [(str(_("Đơn vị (gồm cấp dưới)")), unit.name)]
    key = (params.get("chi_so") or "").strip()
    if key:
        catalogue = build_catalogue(day)
        if key not in catalogue or catalogue[key].population == HEADS:
            raise BadFilter(_("Chỉ số «%(key)s» không xuất được danh sách cán bộ vào ngày %(day)s.")
                            % {"key": key, "day": f"{day:%d/%m/%Y}"})  # fmt: skip
        indicator = catalogue[key]
        people = drilldown_people(
            unit, day, policy, indicator, own_only=params.get("pham_vi") == "rieng"
        )
        filters.append((str(_("Chỉ số")), f"{indicator.label} ({day:%d/%m/%Y})"))
    else:
        people = people_in_subtree(policy.people(), unit)
    # The list's own filters use today's date, as the list page does.
    people = apply_list_filters(people, data, today())
    for name in LIST_FILTERS:
        value = data.get(name)
        if value is None or value == "":
            continue
        field_ = form.fields[name]
        choices = dict((str(k), str(v)) for k, v in getattr(field_, "choices", []) or [])
        filters.append((str(field_.label), choices.get(str(value), str(value))))
    return Selection(unit=unit, day=day, people=people, filters=filters)
