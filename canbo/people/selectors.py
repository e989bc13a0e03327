"""Reads about people and seats: holders on a date, vacancies, work history, search."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from canbo.audit.models import AuditEvent
from canbo.common.text import fold
from canbo.org.models import Position

from .catalogues import ETHNIC_MINORITIES, INVERSE_RELATION, KINH
from .models import Assignment, Degree, Person, Relation


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
    """The person's whole work history, newest first, in units inside the viewer's scope or not:
    like the 2C résumé, it names every unit. Pages and the API link only the units the viewer may
    see (`AccessPolicy.covers_path`) and give the others by name."""
    return person.assignments.select_related("position__unit", "position__title").order_by("-start_date", "-id")


def readable_assignment(policy, pk) -> Assignment:
    """One assignment the user may read, or Http404 (as for one that does not exist): an
    assignment to a seat of the user's scope, or an entry of the work history of a person the
    user may see, so every entry a history lists can also be opened alone."""
    try:
        assignment = Assignment.objects.select_related("person", "position__unit", "position__title").get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if policy.covers_path(assignment.position.unit.path) or policy.people().filter(pk=assignment.person_id).exists():
        return assignment
    raise Http404


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


# Pages of people (list, résumé, history) -------------------------------------------------------

AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    # key: (minimum age, maximum age) in whole years, both inclusive; None is open-ended.
    "duoi-30": (None, 29),
    "30-39": (30, 39),
    "40-49": (40, 49),
    "50-54": (50, 54),
    "55-tro-len": (55, None),
}


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date_range(band: str, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Birth dates (earliest, latest; inclusive) of the people whose age on `day` is in `band`.

    Age bands become ranges on the indexed birth_date column instead of a computed age.
    """
    low_age, high_age = AGE_BANDS[band]
    latest = years_before(day, low_age) if low_age is not None else None
    earliest = years_before(day, high_age + 1) + dt.timedelta(days=1) if high_age is not None else None
    return earliest, latest


def filter_people_by_age(people: QuerySet[Person], band: str, day: dt.date) -> QuerySet[Person]:
    earliest, latest = birth_date_range(band, day)
    if earliest is not None:
        people = people.filter(birth_date__gte=earliest)
    if latest is not None:
        people = people.filter(birth_date__lte=latest)
    return people


def people_in_subtree(people: QuerySet[Person], unit) -> QuerySet[Person]:
    """People whose record is kept in `unit` or below it."""
    return people.filter(unit__path__startswith=unit.path)


def people_holding_title(people: QuerySet[Person], title_id: int, day: dt.date) -> QuerySet[Person]:
    held = Assignment.objects.filter(Assignment.current_on_q(day), person=OuterRef("pk"), position__title_id=title_id)
    return people.filter(Exists(held))


def with_current_posts(people: QuerySet[Person], day: dt.date) -> QuerySet[Person]:
    """People with their record unit and the seats they hold on `day` (as `current_assignments`).

    Two queries for any number of rows: the people, then all their current assignments.
    """
    current = (
        Assignment.objects.filter(Assignment.current_on_q(day))
        .select_related("position__title", "position__unit")
        .order_by("-position__title__rank", "start_date", "id")
    )
    return people.select_related("unit").prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def person_for_resume(people: QuerySet[Person]) -> QuerySet[Person]:
    """The résumé's person: record unit, areas (with their parents for the full name) and degrees."""
    areas = [f"{name}__parent__parent" for name in ("birthplace", "hometown", "residence")]
    return people.select_related("unit", *areas).prefetch_related(
        Prefetch("degrees", queryset=Degree.objects.order_by("-level", "year", "id"))
    )


def person_audit_events(person: Person) -> QuerySet[AuditEvent]:
    """Audit events of the person's record and of all their assignments, newest first."""
    person_type = ContentType.objects.get_for_model(Person)
    assignment_type = ContentType.objects.get_for_model(Assignment)
    assignment_ids = Assignment.objects.filter(person=person).values("pk")
    return (
        AuditEvent.objects.filter(
            Q(object_type=person_type, object_id=person.pk)
            | Q(object_type=assignment_type, object_id__in=assignment_ids)
        )
        .select_related("actor", "object_type")
        .order_by("-occurred_at", "-id")
    )


def positions_matching(positions: QuerySet[Position], query: str) -> QuerySet[Position]:
    """Seats whose title or unit name contains every word of `query`, without diacritics."""
    from canbo.org.models import Title

    words = fold(query).split()
    if not words:
        return positions
    # The title catalogue is small (hundreds), so its names are folded here rather than stored.
    titles = [(pk, fold(name)) for pk, name in Title.objects.values_list("pk", "name")]
    for word in words:
        title_ids = [pk for pk, folded in titles if word in folded]
        positions = positions.filter(Q(unit__search_name__contains=word) | Q(title_id__in=title_ids))
    return positions


def filter_people(people: QuerySet[Person], data: dict, day: dt.date) -> QuerySet[Person]:
    """The people list's filters (cleaned data of `PersonFilterForm`), shared by the list page
    and the list's Excel export so both always hold the same people. Ages are as of `day`."""
    people = search_people(people, data.get("q") or "")
    if data.get("gioi_tinh"):
        people = people.filter(sex=data["gioi_tinh"])
    if data.get("tuoi"):
        people = filter_people_by_age(people, data["tuoi"], day)
    if data.get("dan_toc") == ETHNIC_MINORITIES:
        people = people.exclude(ethnicity=KINH)
    elif data.get("dan_toc"):
        people = people.filter(ethnicity=data["dan_toc"])
    if data.get("chuc_danh"):
        people = people_holding_title(people, data["chuc_danh"], day)
    if data.get("llct") is not None:
        people = people.filter(political_theory=data["llct"])
    if data.get("doi_tuong"):
        people = people.filter(category=data["doi_tuong"])
    return people
