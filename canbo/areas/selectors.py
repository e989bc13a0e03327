"""Reads about administrative areas: diacritic-free search, successors and predecessors across the 2025 reform.

Areas are public reference data: these selectors are not scoped by the access policy.
Lists that show an area's full name should read through `with_parents()` (or
`select_related(related_chain("birthplace"))` from another model) so naming costs no query.
"""

import datetime as dt
import operator
from functools import reduce

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from canbo.common.text import fold

from .models import PARENT_CHAIN, AdminArea, AreaSuccession

# Folded kind words that open an area's name ("Phường Ba Đình"): "ba dinh" is a prefix match.
_KIND_PREFIXES = ("phuong", "xa", "thi tran", "dac khu", "quan", "huyen", "thi xa", "thanh pho", "tinh")


def with_parents(areas: QuerySet[AdminArea] | None = None) -> QuerySet[AdminArea]:
    """Areas with their parent chain joined: `full_name` and `str()` cost no further query."""
    return (AdminArea.objects.all() if areas is None else areas).select_related(PARENT_CHAIN)


def related_chain(field: str) -> str:
    """The select_related path that names an area reached through `field`, e.g. "birthplace"."""
    return f"{field}__{PARENT_CHAIN}"


def search_areas(
    query: str,
    *,
    regime: str | None = None,
    level: int | None = None,
    on: dt.date | None = None,
    limit: int = 20,
) -> list[AdminArea]:
    """Areas whose name matches `query` without diacritics, best first.

    "ba dinh" finds "Phường Ba Đình". Text after a comma narrows by the parent or province:
    "ba dinh, ha noi". Digits also match an official code exactly. Order: exact name
    (ignoring the kind word), then names starting with the query, then a word starting with it,
    then anywhere; within a rank the 2025 regime first, higher levels first, then by name.
    """
    name_part, _, parent_part = query.partition(",")
    key, parent_key = fold(name_part), fold(parent_part)
    if not key:
        return []
    prefixed = [f"{prefix} {key}" for prefix in _KIND_PREFIXES]
    matches = Q(search_name__contains=key)
    exact = Q(search_name=key) | Q(search_name__in=prefixed)
    if key.isdigit():
        matches |= Q(code=key)
        exact |= Q(code=key)
    starts = reduce(operator.or_, (Q(search_name__startswith=p) for p in (key, *prefixed)))
    areas = with_parents().filter(matches)
    if parent_key:
        areas = areas.filter(
            Q(parent__search_name__contains=parent_key) | Q(parent__parent__search_name__contains=parent_key)
        )
    if regime is not None:
        areas = areas.filter(regime=regime)
    if level is not None:
        areas = areas.filter(level=level)
    if on is not None:
        areas = areas.valid_on(on)
    rank = Case(
        When(exact, then=Value(0)),
        When(starts, then=Value(1)),
        When(search_name__contains=f" {key}", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(areas.annotate(rank=rank).order_by("rank", "regime", "level", "search_name", "code")[:limit])


def successors_of(area: AdminArea) -> list[AdminArea]:
    """The areas `area` became part of, main receiver first.

    A legacy district has no row of its own (its communes went different ways), so its
    successors are those of its communes; island districts without communes have their own.
    """
    links = AreaSuccession.objects.filter(old=area)
    if area.level == AdminArea.Level.DISTRICT and not links.exists():
        links = AreaSuccession.objects.filter(old__parent=area)
    return _in_order(links.order_by("-is_primary", "new__search_name").values_list("new_id", flat=True))


def predecessors_of(area: AdminArea) -> list[AdminArea]:
    """The areas that became, wholly or in part, `area`."""
    links = AreaSuccession.objects.filter(new=area)
    return _in_order(links.order_by("old__level", "old__code").values_list("old_id", flat=True))


def _in_order(ids) -> list[AdminArea]:
    unique = list(dict.fromkeys(ids))
    areas = with_parents().in_bulk(unique)
    return [areas[pk] for pk in unique]
