"""Reads about people and seats: holders on a date, vacancies, work history, search."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from canbo.common.text import fold
from canbo.org.models import Position

from .catalogues import INVERSE_RELATION
from .models import Assignment, Person, Relation


def max_concurrent_holders(
    position: Position, *, start: dt.date, end: dt.date | None, exclude_pk: int | None = None, extra: tuple | None = None
) -> int:
    """The largest number of people holding `position` at once on any day of [start, end].

    `extra` is a (start, end) interval to count as if it were saved (the assignment being checked).
    """
    overlapping = Assignment.objects.filter(position=position).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start_date__lte=end)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    intervals = list(overlapping.values_list("start_date", "end_date"))
    if extra is not None:
        intervals.append(extra)
    # Sweep: +1 on each start day, -1 on the day after each end.
    events: list[tuple[dt.date, int]] = []
    for s, e in intervals:
        events.append((max(s, start), 1))
        if e is not None and e < dt.date.max:
            events.append((e + dt.timedelta(days=1), -1))
    events.sort(key=lambda item: (item[0], item[1]))
    current = best = 0
    for _day, delta in events:
        current += delta
        best = max(best, current)
    return best


def holders_on(positions: QuerySet[Position], day: dt.date) -> QuerySet[Position]:
    """Seats with their holders on `day` prefetched as `current_assignments` (two queries in all)."""
    current = Assignment.objects.filter(Assignment.current_on_q(day)).select_related("person").order_by("start_date")
    return positions.select_related("title").prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def vacancy_count(positions: QuerySet[Position], day: dt.date) -> int:
    rows = positions.annotate(
        held=Count("assignments", filter=Assignment.current_on_q(day, "assignments__"))
    ).values_list("seat_count", "held")
    return sum(max(seats - held, 0) for seats, held in rows)


def work_history(person: Person) -> QuerySet[Assignment]:
    return person.assignments.select_related("position__unit", "position__title").order_by("-start_date", "-id")


def search_people(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Match without diacritics on the folded name, or a citizen ID typed whole."""
    key = fold(query)
    if not key:
        return people
    if key.isdigit() and len(key) == 12:
        return people.filter(citizen_id=key)
    return people.filter(search_name__contains=key)


def relatives_of(person: Person) -> list[tuple[Person, str, Relation]]:
    """(relative, kind as seen from `person`, the stored row) for every recorded tie, both directions."""
    forward = Relation.objects.filter(person=person).select_related("relative")
    backward = Relation.objects.filter(relative=person).select_related("person")
    ties = [(r.relative, r.kind, r) for r in forward]
    ties += [(r.person, INVERSE_RELATION[r.kind], r) for r in backward]
    return ties
