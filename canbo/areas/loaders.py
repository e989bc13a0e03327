"""Loading the real administrative areas (both regimes) and the 2025 old → new mapping into the database.

`load_areas()` is idempotent: rows are matched on (regime, level, code), created when missing,
updated when the packaged data changed, and never deleted (people and units point at them).
Successions dated 1 July 2025 are kept in step with the packaged mapping.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from canbo.common.text import fold

from . import sources
from .models import LEGACY_END, TWO_TIER_START, AdminArea, AreaSuccession

LEVEL_KEYS = {AdminArea.Level.PROVINCE: "province", AdminArea.Level.DISTRICT: "district", AdminArea.Level.COMMUNE: "commune"}
_BATCH = 1000
_AREA_FIELDS = ("name", "kind", "parent_id", "valid_from", "valid_to", "search_name")

AreaKey = tuple[str, int, str]  # (regime, level, code)


def province_codes() -> set[str]:
    """Two-digit codes of every province, legacy or 2025."""
    return {r.province_code for r in (*sources.two_tier_records(), *sources.legacy_records())}


def normalize_province_codes(codes: Iterable[str]) -> set[str]:
    """Normalize "1" to "01"; raise ValueError naming any code that is not a province of either regime."""
    known = province_codes()
    result: set[str] = set()
    for raw in codes:
        code = str(raw).strip()
        if code.isdigit() and len(code) <= 2:
            code = code.zfill(2)
        if code not in known:
            raise ValueError(f"Mã tỉnh «{raw}» không có trong danh mục (mã hai chữ số, ví dụ 01 là Hà Nội).")
        result.add(code)
    return result


def load_areas(*, provinces: set[str] | None = None) -> dict[str, int]:
    """Load areas of both regimes and their successions; `provinces` restricts to two-digit codes.

    Returns the number of rows per "<regime>.<level>" in the loaded scope, "successions",
    and what changed: "created", "updated", "successions_created", "successions_updated",
    "successions_deleted".
    """
    scope = None if provinces is None else normalize_province_codes(provinces)
    records = [
        r
        for r in (*sources.two_tier_records(), *sources.legacy_records())
        if scope is None or r.province_code in scope
    ]
    successions = [s for s in sources.succession_records() if scope is None or s.old_province in scope]
    with transaction.atomic():
        ids, created, updated = _upsert_areas(records)
        in_scope_olds = {ids[(r.regime, r.level, r.code)] for r in records if r.regime == sources.LEGACY}
        succession_counts = _sync_successions(successions, ids, in_scope_olds)
    result = Counter(f"{r.regime}.{LEVEL_KEYS[r.level]}" for r in records)
    result.update(created=created, updated=updated, **succession_counts)
    return dict(result)


def _validity(regime: str) -> tuple[dt.date | None, dt.date | None]:
    return (TWO_TIER_START, None) if regime == sources.TWO_TIER else (None, LEGACY_END)


def _upsert_areas(records: list[sources.AreaRecord]) -> tuple[dict[AreaKey, int], int, int]:
    existing = {
        (regime, level, code): (pk, rest)
        for pk, regime, level, code, *rest in AdminArea.objects.values_list("pk", "regime", "level", "code", *_AREA_FIELDS)
    }
    ids = {key: pk for key, (pk, _rest) in existing.items()}
    created = updated = 0
    # Parents first, so each level can point at the ids of the one above.
    for level in sorted({r.level for r in records}):
        to_create: list[AdminArea] = []
        to_update: list[AdminArea] = []
        for r in (r for r in records if r.level == level):
            key = (r.regime, r.level, r.code)
            valid_from, valid_to = _validity(r.regime)
            values = {
                "name": r.name,
                "kind": r.kind,
                "parent_id": ids[(r.regime, *r.parent)] if r.parent else None,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "search_name": fold(r.name),
            }
            if key not in existing:
                to_create.append(AdminArea(regime=r.regime, level=r.level, code=r.code, **values))
            elif list(values.values()) != list(existing[key][1]):
                to_update.append(AdminArea(pk=existing[key][0], regime=r.regime, level=r.level, code=r.code, **values))
        AdminArea.objects.bulk_create(to_create, batch_size=_BATCH)
        AdminArea.objects.bulk_update(to_update, _AREA_FIELDS, batch_size=_BATCH)
        if any(area.pk is None for area in to_create):  # backends that do not return ids from a bulk insert
            ids.update(
                ((regime, lvl, code), pk)
                for pk, regime, lvl, code in AdminArea.objects.filter(level=level).values_list("pk", "regime", "level", "code")
            )
        else:
            ids.update(((a.regime, a.level, a.code), a.pk) for a in to_create)
        created += len(to_create)
        updated += len(to_update)
    return ids, created, updated


def _sync_successions(
    records: list[sources.SuccessionRecord], ids: dict[AreaKey, int], in_scope_olds: set[int]
) -> dict[str, int]:
    wanted: dict[tuple[int, int], bool] = {}
    for s in records:
        old = ids.get((sources.LEGACY, s.old_level, s.old_code))
        new = ids.get((sources.TWO_TIER, s.new_level, s.new_code))
        # A successor in a province outside the loaded scope is linked when that province is loaded.
        if old is not None and new is not None:
            wanted[(old, new)] = s.is_primary
    existing = {
        (old, new): (pk, is_primary, effective_on)
        for pk, old, new, is_primary, effective_on in AreaSuccession.objects.values_list(
            "pk", "old_id", "new_id", "is_primary", "effective_on"
        )
        if old in in_scope_olds
    }
    to_create = [
        AreaSuccession(old_id=old, new_id=new, is_primary=primary, effective_on=TWO_TIER_START)
        for (old, new), primary in wanted.items()
        if (old, new) not in existing
    ]
    to_update = [
        AreaSuccession(pk=existing[pair][0], is_primary=primary, effective_on=TWO_TIER_START)
        for pair, primary in wanted.items()
        if pair in existing and existing[pair][1:] != (primary, TWO_TIER_START)
    ]
    # Only rows of the 2025 reform belong to this loader; a later, hand-entered change stays.
    stale = [
        pk for pair, (pk, _primary, effective_on) in existing.items() if pair not in wanted and effective_on == TWO_TIER_START
    ]
    AreaSuccession.objects.bulk_create(to_create, batch_size=_BATCH)
    AreaSuccession.objects.bulk_update(to_update, ["is_primary", "effective_on"], batch_size=_BATCH)
    AreaSuccession.objects.filter(pk__in=stale).delete()
    return {
        "successions": len(wanted),
        "successions_created": len(to_create),
        "successions_updated": len(to_update),
        "successions_deleted": len(stale),
    }
