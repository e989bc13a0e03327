"""API reads of people: search, the résumé, work history, one assignment."""

from django.db.models import Exists, OuterRef, Q
from ninja import Router

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.people.models import Assignment
from canbo.people.selectors import search_people, work_history

from . import serializers as s
from .pagination import LimitParam, OffsetParam, paginate
from .schemas import AssignmentList, AssignmentOut, Error, PersonDetailOut, PersonPage

router = Router(tags=["people"])
NOT_FOUND = {404: Error}


@router.get("/people", response=PersonPage, summary="Cán bộ trong phạm vi được giao")
def list_people(request, q: str = "", unit: int | None = None, limit: int = LimitParam, offset: int = OffsetParam):
    """People the caller may see, by name.

    `q`: name without diacritics, or a whole 12-digit citizen ID. `unit`: only people whose
    record is kept in that unit's subtree or who hold a seat there today.
    """
    policy = policy_for(request)
    people = policy.people()
    if unit is not None:
        root = policy.get_unit(unit)
        seat_here = Assignment.objects.filter(
            Assignment.current_on_q(today()), position__unit__path__startswith=root.path, person=OuterRef("pk")
        )
        people = people.filter(Q(unit__path__startswith=root.path) | Q(Exists(seat_here)))
    people = search_people(people, q).select_related("unit").order_by("search_name", "id")
    return paginate(people, limit=limit, offset=offset, serialize=lambda rows: [s.person_out(p) for p in rows])


@router.get("/people/{person_id}", response={200: PersonDetailOut, **NOT_FOUND}, summary="Sơ yếu lý lịch của một cán bộ")
def get_person(request, person_id: int):
    policy = policy_for(request)
    person = (
        policy.people()
        .select_related("unit", "birthplace", "hometown", "residence")
        .prefetch_related("degrees")
        .filter(pk=policy.get_person(person_id).pk)
        .get()
    )
    return s.person_detail_out(person)


@router.get(
    "/people/{person_id}/assignments",
    response={200: AssignmentList, **NOT_FOUND},
    summary="Quá trình công tác của một cán bộ",
)
def person_assignments(request, person_id: int):
    """The person's whole work history, newest first: part of the résumé of a person the caller may see."""
    person = policy_for(request).get_person(person_id)
    return {"person_id": person.pk, "items": [s.assignment_out(a) for a in work_history(person).select_related("person")]}


@router.get("/assignments/{assignment_id}", response={200: AssignmentOut, **NOT_FOUND}, summary="Một quyết định/quá trình công tác")
def get_assignment(request, assignment_id: int):
    return s.assignment_out(policy_for(request).get_assignment(assignment_id))
