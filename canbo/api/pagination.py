"""Offset pagination: `{"count", "next_offset", "items"}`, one COUNT and one page query."""

from collections.abc import Callable, Sequence

from django.db.models import QuerySet
from ninja import Query

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

LimitParam = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Số dòng mỗi trang (1–{MAX_LIMIT}).")
OffsetParam = Query(0, ge=0, description="Bỏ qua bao nhiêu dòng đầu (trang sau: `next_offset`).")


def paginate(queryset: QuerySet, *, limit: int, offset: int, serialize: Callable[[list], list[dict]]) -> dict:
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if offset < count else []
    return page(count, rows, limit=limit, offset=offset, serialize=serialize)


def paginate_list(rows: Sequence, *, limit: int, offset: int, serialize: Callable[[list], list[dict]]) -> dict:
    """The same page over rows already computed in memory (e.g. head seats, judged in Python)."""
    return page(len(rows), list(rows[offset : offset + limit]), limit=limit, offset=offset, serialize=serialize)


def page(count: int, rows: list, *, limit: int, offset: int, serialize: Callable[[list], list[dict]]) -> dict:
    return {
        "count": count,
        "next_offset": offset + limit if offset + limit < count else None,
        "items": serialize(rows),
    }
