"""Independent counts for the dashboard tests: plain Python over every person and seat, one at a
time, with the rules written out again (ages with `Person.age_on`, retirement per person with
`retirement_of`, locality by walking area parents and the official mapping), never through the
dashboard's selectors, birth-date ranges or SQL."""

import datetime as dt
from collections import Counter

from canbo.areas.models import AdminArea, AreaSuccession
from canbo.org.models import Unit
from canbo.people import catalogues as c
from canbo.people.models import Assignment, Person
from canbo.regulations.retirement import retirement_of


def serving_people(unit: Unit, day: dt.date, *, own_only: bool = False) -> list[Person]:
    result = []
    for person in Person.objects.select_related("unit").prefetch_related("assignments", "degrees"):
        inside = person.unit_id == unit.pk if own_only else person.unit.path.startswith(unit.path)
        if inside and any(a.is_current_on(day) for a in person.assignments.all()):
            result.append(person)
    return result


def pyramid_band(age: int) -> str:
    if age < 25:
        return "duoi-25"
    if age >= 60:
        return "tu-60"
    low = 25 + (age - 25) // 5 * 5
    return f"{low}-{low + 4}"


def people_expected(unit: Unit, day: dt.date, *, own_only: bool = False) -> Counter:
    counts: Counter = Counter()
    for p in serving_people(unit, day, own_only=own_only):
        age = p.age_on(day)
        counts["headcount"] += 1
        counts["women"] += p.sex == "F"
        counts["men"] += p.sex == "M"
        counts["under_young"] += age < 40
        counts["under_youth"] += age < 35
        counts["minorities"] += p.ethnicity != c.KINH
        counts[f"pt_{p.political_theory}"] += 1
        counts[f"sm_{p.state_management}"] += 1
        counts[f"degree_{max((d.level for d in p.degrees.all()), default=0)}"] += 1
        counts[f"age_{pyramid_band(age)}_{p.sex}"] += 1
        r = retirement_of(p)
        if (r.year, r.month) < (day.year, day.month):
            counts["past_retirement"] += 1
        elif r.year < day.year + 5:
            counts[f"retire_{r.year}"] += 1
            counts[f"retire_{r.year}_{p.sex}"] += 1
    return counts


def _area_of(unit: Unit):
    node = unit
    while node is not None:
        if node.area_id:
            return node.area
        node = (
            Unit.objects.filter(path=node.path[: -Unit.steplen]).first() if node.depth > 1 else None
        )
    return None


def _inside(area: AdminArea | None, root: AdminArea) -> bool:
    while area is not None:
        if area.pk == root.pk:
            return True
        area = area.parent
    return False


def _local_to(place: AdminArea | None, root: AdminArea) -> bool:
    if place is None:
        return False
    if _inside(place, root):
        return True
    # A legacy place counts where it (or an area above it) went in the 2025 rearrangement.
    chain = place
    while chain is not None:
        for succession in AreaSuccession.objects.filter(old=chain).select_related(
            "new__parent__parent"
        ):
            if _inside(succession.new, root):
                return True
        chain = chain.parent
    # A new area counts for the legacy area it absorbed (root is legacy).
    return AreaSuccession.objects.filter(old=root, new=place).exists()


def heads_expected(unit: Unit, day: dt.date, *, own_only: bool = False) -> Counter:
    counts: Counter = Counter(heads=0, heads_known=0, heads_non_local=0, heads_unknown=0)
    seats = Assignment.objects.select_related(
        "position__unit",
        "position__title",
        "person__hometown",
        "person__birthplace",
        "person__residence",
    )
    for a in seats:
        seat_unit = a.position.unit
        inside = seat_unit.pk == unit.pk if own_only else seat_unit.path.startswith(unit.path)
        if not (inside and a.position.title.is_head and a.is_current_on(day)):
            continue
        counts["heads"] += 1
        p = a.person
        area = _area_of(seat_unit)
        if area is None or (p.hometown is None and p.birthplace is None and p.residence is None):
            counts["heads_unknown"] += 1
            continue
        counts["heads_known"] += 1
        long_residence = p.residence_since is not None and p.residence_since <= dt.date(
            day.year - 10, day.month, min(day.day, 28)
        )
        local = (
            _local_to(p.hometown, area)
            or _local_to(p.birthplace, area)
            or (long_residence and _local_to(p.residence, area))
        )
        counts["heads_non_local"] += not local
    return counts


def expected(unit: Unit, day: dt.date, *, own_only: bool = False) -> Counter:
    return people_expected(unit, day, own_only=own_only) + heads_expected(
        unit, day, own_only=own_only
    )
