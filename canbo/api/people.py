"""API reads of people: search, the résumé, work history, one assignment."""

from typing import Literal

from django.db.models import Exists, OuterRef, Q
from ninja import Query, Router

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.people.models import Assignment
from canbo.people.populations import API_NAMES, counted_people
from canbo.people.selectors import readable_assignment, search_people, work_history

from . import serializers as s
from .errors import COMMON, NOT_FOUND
from .pagination import LimitParam, OffsetParam, paginate
from .params import IsoDate, SearchText, id_path, id_query
from .schemas import AssignmentOut, AssignmentPage, PersonDetailOut, PersonPage

router = Router(tags=["people"])


BASIS_DESCRIPTION = (
    "Những ai được tính, như các con số của cây tổ chức, trang đơn vị và báo cáo chỉ tiêu: "
    "`records` — hồ sơ quản lý: hồ sơ do đơn vị (`unit`) hoặc cấp dưới quản lý; "
    "`holders` — người đang giữ vị trí: giữ ít nhất một vị trí của đơn vị hoặc cấp dưới vào ngày `as_of`; "
    "`in_service` — cán bộ đang công tác: hồ sơ do đơn vị hoặc cấp dưới quản lý và đang giữ ít nhất một vị trí "
    "(ở bất kỳ đơn vị nào) vào ngày `as_of` (bằng `headcount` của /api/units/{unit_id}/quotas). "
    "Không có `unit`: tính trên mọi đơn vị trong phạm vi được giao. "
    "Bỏ trống: hồ sơ quản lý hoặc đang giữ vị trí hôm nay (hợp của hai tập)."
)

BASIS_AS_OF = Query(None, description="Ngày của `basis` holders và in_service, dạng YYYY-MM-DD (mặc định: hôm nay).")
PERSON_SEARCH = Query("", max_length=200, description="Họ tên (không cần dấu) hoặc đủ 12 số căn cước công dân.")


@router.get(
    "/people",
    response={200: PersonPage, **NOT_FOUND, **COMMON},
    summary="Cán bộ trong phạm vi được giao",
    description=(
        "Những người có hồ sơ do đơn vị trong phạm vi quản lý, hoặc đang giữ một vị trí trong phạm vi, theo "
        "tên; với `basis`, đúng những người một con số của đơn vị đếm (`count` bằng con số đó). "
        "`unit` ngoài phạm vi trả 404 như đơn vị không tồn tại."
    ),
)
def list_people(
    request,
    q: SearchText = PERSON_SEARCH,
    unit: int | None = id_query(
        "Chỉ những người có hồ sơ trong đơn vị này (id) hoặc cấp dưới, hoặc đang giữ vị trí ở đó hôm nay "
        "(với `basis`: theo `basis`)."
    ),
    basis: Literal["records", "holders", "in_service"] | None = Query(None, description=BASIS_DESCRIPTION),
    as_of: IsoDate | None = BASIS_AS_OF,
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    policy = policy_for(request)
    people = policy.people()
    root = policy.get_unit(unit) if unit is not None else None
    if basis is not None:
        people = counted_people(people, API_NAMES[basis], root, as_of or today(), policy=policy)
    elif root is not None:
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


HISTORY_RULE = (
    "Quá trình công tác của một cán bộ xem được gồm mọi vị trí người đó đã và đang đảm nhiệm, kể cả ở đơn vị "
    "ngoài phạm vi được giao (như sơ yếu lý lịch mẫu 2C): với các dòng đó `in_scope` là false, đơn vị chỉ có "
    "tên (`id`, `code` là null) và vị trí không có `id`. Mỗi dòng của danh sách mở được qua "
    "/api/assignments/{assignment_id} với cùng nội dung."
)


@router.get(
    "/people/{person_id}/assignments",
    response={200: AssignmentPage, **NOT_FOUND, **COMMON},
    summary="Quá trình công tác của một cán bộ",
    description="Toàn bộ quá trình công tác (thuộc sơ yếu lý lịch), mới nhất trước. " + HISTORY_RULE,
)
def person_assignments(
    request,
    person_id: int = id_path("Mã (id) cán bộ."),
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    policy = policy_for(request)
    person = policy.get_person(person_id)
    page = paginate(
        work_history(person).select_related("person"),
        limit=limit,
        offset=offset,
        serialize=lambda rows: [s.assignment_out(a, in_scope=policy.covers_path(a.position.unit.path)) for a in rows],
    )
    return {"person_id": person.pk, **page}


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentOut, **NOT_FOUND, **COMMON},
    summary="Một quyết định/quá trình công tác",
    description=(
        "Một dòng quá trình công tác: ở vị trí thuộc phạm vi được giao, hoặc trong quá trình công tác của một "
        "cán bộ xem được. " + HISTORY_RULE + " Ngoài hai trường hợp đó: 404 như không tồn tại."
    ),
)
def get_assignment(request, assignment_id: int = id_path("Mã (id) quá trình công tác.")):
    policy = policy_for(request)
    assignment = readable_assignment(policy, assignment_id)
    return s.assignment_out(assignment, in_scope=policy.covers_path(assignment.position.unit.path))
