"""API reads of people: search, the résumé, work history, one assignment."""

from django.db.models import Exists, OuterRef, Q
from ninja import Query, Router

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.people.models import Assignment
from canbo.people.selectors import search_people, work_history

from . import serializers as s
from .errors import COMMON, NOT_FOUND
from .pagination import LimitParam, OffsetParam, paginate
from .params import id_path, id_query
from .schemas import AssignmentOut, AssignmentPage, PersonDetailOut, PersonPage

router = Router(tags=["people"])


@router.get(
    "/people",
    response={200: PersonPage, **NOT_FOUND, **COMMON},
    summary="Cán bộ trong phạm vi được giao",
    description=(
        "Những người có hồ sơ do đơn vị trong phạm vi quản lý, hoặc đang giữ một vị trí trong phạm vi, theo "
        "tên. `unit` ngoài phạm vi trả 404 như đơn vị không tồn tại."
    ),
)
def list_people(
    request,
    q: str = Query("", max_length=200, description="Họ tên (không cần dấu) hoặc đủ 12 số căn cước công dân."),
    unit: int | None = id_query(
        "Chỉ những người có hồ sơ trong đơn vị này (id) hoặc cấp dưới, hoặc đang giữ vị trí ở đó hôm nay."
    ),
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
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


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **NOT_FOUND, **COMMON},
    summary="Sơ yếu lý lịch của một cán bộ",
)
def get_person(request, person_id: int = id_path("Mã (id) cán bộ.")):
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
    response={200: AssignmentPage, **NOT_FOUND, **COMMON},
    summary="Quá trình công tác của một cán bộ",
    description="Toàn bộ quá trình công tác (thuộc sơ yếu lý lịch), mới nhất trước.",
)
def person_assignments(
    request,
    person_id: int = id_path("Mã (id) cán bộ."),
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    person = policy_for(request).get_person(person_id)
    page = paginate(
        work_history(person).select_related("person"),
        limit=limit,
        offset=offset,
        serialize=lambda rows: [s.assignment_out(a) for a in rows],
    )
    return {"person_id": person.pk, **page}


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentOut, **NOT_FOUND, **COMMON},
    summary="Một quyết định/quá trình công tác",
)
def get_assignment(request, assignment_id: int = id_path("Mã (id) quá trình công tác.")):
    return s.assignment_out(policy_for(request).get_assignment(assignment_id))
