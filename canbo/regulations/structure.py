"""How rules read the unit tree and the title catalogue: roles of titles, the committee a unit
belongs to, the area and level of a unit — computed from paths in memory, no query per row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from canbo.areas.models import AdminArea
from canbo.org.models import Unit, UnitKind

STEPLEN = Unit.steplen
COMMITTEE_KINDS = frozenset(
    {
        UnitKind.PROVINCIAL_COMMITTEE,
        UnitKind.DISTRICT_COMMITTEE,
        UnitKind.AFFILIATED_COMMITTEE,
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.GRASSROOTS_CELL,
        # A cell under a grassroots committee has its own secretary and deputy: its key posts
        # are its own, not those of the committee above it (Quy định 114-QĐ/TW applies per cấp ủy).
        UnitKind.PARTY_CELL,
    }
)
LEVEL_NAMES = {AdminArea.Level.PROVINCE: "province", AdminArea.Level.DISTRICT: "district", AdminArea.Level.COMMUNE: "commune"}


def path_prefixes(path: str) -> list[str]:
    """The paths of a unit's ancestors and itself, root first."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


class TitleRoles:
    """Roles of titles in the rules (`titles.roles`): secretary, unit_head, people_committee_chair…"""

    def __init__(self, mapping: dict):
        self.by_code: dict[str, set[str]] = {}
        self.codes_by_role: dict[str, set[str]] = {}
        for role, codes in mapping.items():
            if role in {"deputy_code_prefixes", "head_of_units_named"}:
                continue
            self.codes_by_role[role] = set(codes)
            for code in codes:
                self.by_code.setdefault(code, set()).add(role)
        self.deputy_prefixes = tuple(mapping.get("deputy_code_prefixes") or ())
        self.head_of_units_named: dict[str, tuple[str, ...]] = {
            role: tuple(names) for role, names in (mapping.get("head_of_units_named") or {}).items()
        }

    def roles(self, title_code: str, is_head: bool, unit_search_name: str = "") -> frozenset[str]:
        result = set(self.by_code.get(title_code, ()))
        if is_head:
            result.add("unit_head")
            for role, names in self.head_of_units_named.items():
                if any(name in unit_search_name for name in names):
                    result.add(role)
        if self.deputy_prefixes and title_code.startswith(self.deputy_prefixes):
            result.add("unit_deputy")
        return frozenset(result)

    def codes(self, roles: Iterable[str]) -> set[str]:
        result: set[str] = set()
        for role in roles:
            result |= self.codes_by_role.get(role, set())
        return result


@dataclass(frozen=True)
class UnitInfo:
    id: int
    path: str
    kind: str
    name: str
    search_name: str
    area_id: int | None
    area_level: int | None


class UnitIndex:
    """Units by path, enough to find each unit's committee and area without more queries."""

    def __init__(self, units: Iterable[UnitInfo]):
        self.by_path: dict[str, UnitInfo] = {u.path: u for u in units}
        self.by_id: dict[int, UnitInfo] = {u.id: u for u in self.by_path.values()}
        self._committee: dict[str, UnitInfo | None] = {}
        self._area: dict[str, UnitInfo | None] = {}

    @classmethod
    def load(cls, paths: Iterable[str] = (), *, subtree: str | None = None) -> UnitIndex:
        """Units on the given paths and all their ancestors, or a whole subtree with its ancestors."""
        wanted: set[str] = set()
        for path in paths:
            wanted.update(path_prefixes(path))
        query = Unit.objects.none()
        if wanted:
            query = Unit.objects.filter(path__in=wanted)
        if subtree is not None:
            query = query | Unit.objects.filter(path__startswith=subtree) | Unit.objects.filter(path__in=path_prefixes(subtree))
        rows = query.order_by().values_list("id", "path", "kind", "name", "search_name", "area_id", "area__level")
        return cls(UnitInfo(*row) for row in rows)

    def committee_of(self, path: str) -> UnitInfo | None:
        """The nearest committee (cấp ủy) at or above the unit: its party agencies, council and
        people's committee belong to it."""
        if path not in self._committee:
            found = None
            for prefix in reversed(path_prefixes(path)):
                info = self.by_path.get(prefix)
                if info and info.kind in COMMITTEE_KINDS:
                    found = info
                    break
            self._committee[path] = found
        return self._committee[path]

    def area_unit_of(self, path: str) -> UnitInfo | None:
        """The nearest unit at or above with an administrative area (its area is the unit's)."""
        if path not in self._area:
            found = None
            for prefix in reversed(path_prefixes(path)):
                info = self.by_path.get(prefix)
                if info and info.area_id:
                    found = info
                    break
            self._area[path] = found
        return self._area[path]

    def territorial_level(self, path: str) -> tuple[str | None, int | None]:
        """(level, area id) of a unit that stands for a territory: one with its own area, or a
        people's committee/council taking its committee's. Other units (cells, schools' party
        committees) are not territorial: (None, None)."""
        info = self.by_path.get(path)
        if info is None:
            return None, None
        if info.area_id:
            return LEVEL_NAMES.get(info.area_level), info.area_id
        if info.kind in (UnitKind.PEOPLES_COMMITTEE, UnitKind.PEOPLES_COUNCIL):
            committee = self.committee_of(path)
            if committee and committee.area_id:
                return LEVEL_NAMES.get(committee.area_level), committee.area_id
            info = committee or info
        if info.kind == UnitKind.PROVINCIAL_COMMITTEE:
            return "province", None
        if info.kind == UnitKind.DISTRICT_COMMITTEE:
            return "district", None
        return None, None

    def level_of(self, path: str) -> str | None:
        """province / district / commune from the unit's area; without one, from the kind of its
        committee (provincial or legacy district committee)."""
        info = self.area_unit_of(path)
        if info and info.area_level:
            return LEVEL_NAMES.get(info.area_level)
        committee = self.committee_of(path)
        if committee and committee.kind == UnitKind.DISTRICT_COMMITTEE:
            return "district"
        if committee and committee.kind == UnitKind.PROVINCIAL_COMMITTEE:
            return "province"
        return None
