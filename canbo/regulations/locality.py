"""Who counts as local (người địa phương) for a unit's area, per the parameters
`local_person.criteria` and `local_person.residence_min_years`.

A person is local when their hometown, birthplace or (long enough) residence lies in the area
of the unit: the area itself, anything below it, and the legacy areas that became it or part of
it in the 2025 rearrangement (`AreaSuccession`), so a hometown recorded as a legacy commune
counts for the new commune it became. Areas are loaded once per check, only when needed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from canbo.areas.models import AdminArea, AreaSuccession
from canbo.common.dates import years_between

from .params import ParameterSet


class AreaIndex:
    def __init__(self):
        self._children: dict[int | None, list[int]] | None = None
        self._olds: dict[int, list[int]] = defaultdict(list)
        self._news: dict[int, list[int]] = defaultdict(list)
        self._cache: dict[int, frozenset[int]] = {}

    def _load(self) -> None:
        if self._children is not None:
            return
        self._children = defaultdict(list)
        for area_id, parent_id in AdminArea.objects.order_by().values_list("id", "parent_id"):
            self._children[parent_id].append(area_id)
        for old_id, new_id in AreaSuccession.objects.order_by().values_list("old_id", "new_id"):
            self._olds[new_id].append(old_id)
            self._news[old_id].append(new_id)

    def _below(self, roots) -> set[int]:
        seen, stack = set(), list(roots)
        while stack:
            area = stack.pop()
            if area in seen:
                continue
            seen.add(area)
            stack.extend(self._children.get(area, ()))
        return seen

    def local_set(self, area_id: int) -> frozenset[int]:
        """The areas whose people are local to `area_id`."""
        if area_id not in self._cache:
            self._load()
            covered = self._below([area_id])
            predecessors = {old for new in covered for old in self._olds.get(new, ())}
            successors = {new for old in covered for new in self._news.get(old, ())}
            self._cache[area_id] = frozenset(covered | self._below(predecessors) | successors)
        return self._cache[area_id]


@dataclass(frozen=True)
class PlaceFacts:
    hometown_id: int | None
    birthplace_id: int | None
    residence_id: int | None
    residence_since: dt.date | None


CRITERIA_LABELS = {"hometown": "quê quán", "birthplace": "nơi sinh", "residence": "thường trú"}


def local_reasons(place: PlaceFacts, area_id: int, on: dt.date, params: ParameterSet, index: AreaIndex) -> list[str]:
    """Why the person is local to the area (empty when not local)."""
    criteria = params.get("local_person.criteria", on)
    local = index.local_set(area_id)
    reasons = []
    if criteria.get("hometown") and place.hometown_id in local:
        reasons.append(CRITERIA_LABELS["hometown"])
    if criteria.get("birthplace") and place.birthplace_id in local:
        reasons.append(CRITERIA_LABELS["birthplace"])
    if criteria.get("residence") and place.residence_id in local and place.residence_since is not None:
        years = params.get("local_person.residence_min_years", on)
        if years_between(place.residence_since, on) >= years:
            reasons.append(f"{CRITERIA_LABELS['residence']} từ {years} năm trở lên")
    return reasons
