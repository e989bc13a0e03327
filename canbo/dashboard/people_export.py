"""Which people the people-list export holds: the filters of the people list page, within a unit.

The filters are those of `people:person_list`: the same query-string names, the same form and
the same `canbo.people.selectors.filter_people`, so the export holds what the page lists. A figure of the
dashboard (`chi_so`, with `ngay` and `pham_vi`) can narrow the list further, so a drill-down
list can be taken to Excel as it is.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from canbo.common.dates import today
from canbo.people.forms import PersonFilterForm
from canbo.people.models import Person
from canbo.people.selectors import filter_people, people_in_subtree

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
    people = filter_people(people, data, today())
    for name in LIST_FILTERS:
        value = data.get(name)
        if value is None or value == "":
            continue
        field_ = form.fields[name]
        choices = dict((str(k), str(v)) for k, v in getattr(field_, "choices", []) or [])
        filters.append((str(field_.label), choices.get(str(value), str(value))))
    return Selection(unit=unit, day=day, people=people, filters=filters)
