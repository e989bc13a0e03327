"""The JSON shapes of the API (machine formats: ISO 8601 dates, catalogue codes, ids).

The endpoints build plain dicts from rows they have already fetched in bulk (see
serializers.py); these schemas validate them and document them in /api/openapi.json.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class Page(Schema):
    """A page of a list: `next_offset` is null on the last page."""

    count: int = Field(description="Tổng số dòng của danh sách (mọi trang).")
    next_offset: int | None = Field(description="`offset` của trang sau; null ở trang cuối.")
    items: list


class Error(Schema):
    detail: str = Field(description="Lý do, ví dụ `Unauthorized` (401) hoặc `Not Found` (404).")


class ValidationErrorItem(Schema):
    type: str = Field(description="Loại lỗi (mã của pydantic).")
    loc: list[str | int] = Field(description="Vị trí: nguồn (`query`, `path`, `body`) rồi tên tham số.")
    msg: str = Field(description="Thông báo bằng tiếng Việt, nêu tên tham số.")
    ctx: dict[str, Any] | None = Field(None, description="Ngưỡng hoặc mẫu bị vi phạm, nếu có.")


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


class AreaRef(Schema):
    id: int
    code: str
    name: str


class UnitRef(Schema):
    id: int
    code: str
    name: str


class TitleRef(Schema):
    id: int
    code: str
    name: str
    is_head: bool
    managing_body: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None = None  # null when the parent lies outside the caller's subtrees
    depth: int
    child_count: int
    area: AreaRef | None
    established_on: dt.date | None
    dissolved_on: dt.date | None


class UnitDetailOut(UnitOut):
    note: str
    predecessor_ids: list[int] = Field(description="Đơn vị tiền thân trong phạm vi được giao (id).")
    successor_ids: list[int] = Field(description="Đơn vị kế tục trong phạm vi được giao (id).")


class UnitFiguresOut(Schema):
    unit_id: int
    as_of: dt.date
    exists_on_date: bool = Field(description="Đơn vị có tồn tại vào ngày xem không (đã thành lập, chưa giải thể).")
    records: int = Field(description="Hồ sơ quản lý: hồ sơ do đơn vị hoặc cấp dưới quản lý (không theo ngày).")
    holders: int = Field(description="Người đang giữ vị trí của đơn vị hoặc cấp dưới vào ngày xem (mỗi người một lần).")
    in_service: int = Field(description="Cán bộ đang công tác: hồ sơ do đơn vị hoặc cấp dưới quản lý, đang giữ ít nhất một vị trí.")
    seat_count: int = Field(description="Tổng số chỗ của các vị trí của đơn vị và cấp dưới tồn tại vào ngày xem.")
    vacancies: int = Field(description="Số chỗ chưa có người vào ngày xem.")
    definitions: dict[str, str] = Field(description="Cách đếm records, holders, in_service.")


class UnitPage(Page):
    items: list[UnitOut]


class HolderOut(Schema):
    assignment_id: int
    person_id: int
    full_name: str
    kind: str
    start_date: dt.date
    end_date: dt.date | None


class PositionOut(Schema):
    id: int
    unit_id: int
    title: TitleRef
    seat_count: int
    is_key_post: bool
    note: str
    holders: list[HolderOut]
    vacancies: int


class UnitPositionsOut(Page):
    unit_id: int
    as_of: dt.date
    exists_on_date: bool = Field(description="false: đơn vị chưa thành lập hoặc đã giải thể vào ngày xem (không có vị trí).")
    seat_count: int = Field(description="Tổng số chỗ của mọi vị trí của đơn vị.")
    vacancies: int = Field(description="Tổng số chỗ trống vào ngày xem.")
    items: list[PositionOut]


class PositionDetailOut(PositionOut):
    unit: UnitRef
    as_of: dt.date
    unit_exists_on_date: bool = Field(description="false: đơn vị chưa thành lập hoặc đã giải thể vào ngày xem.")


class PersonOut(Schema):
    id: int
    full_name: str
    sex: str
    birth_date: dt.date
    birth_date_precision: str
    category: str
    unit: UnitRef
    is_party_member: bool


class PersonPage(Page):
    items: list[PersonOut]


class DegreeOut(Schema):
    level: int
    field: str
    institution: str
    year: int | None


class PersonDetailOut(PersonOut):
    other_names: str
    citizen_id: str
    birthplace: AreaRef | None
    hometown: AreaRef | None
    residence: AreaRef | None
    residence_detail: str
    ethnicity: str
    religion: str
    party_joined_on: dt.date | None
    party_official_on: dt.date | None
    party_card_number: str
    general_education: str
    political_theory: int
    state_management: int
    foreign_language: str
    it_skill: str
    academic_title: str
    degrees: list[DegreeOut]


class HistoryUnitRef(Schema):
    id: int | None = Field(description="null khi đơn vị nằm ngoài phạm vi được giao: chỉ có tên.")
    code: str | None = Field(description="null khi đơn vị nằm ngoài phạm vi được giao.")
    name: str


class AssignmentPositionRef(Schema):
    id: int | None = Field(description="Mã (id) vị trí; null khi vị trí thuộc đơn vị ngoài phạm vi được giao.")
    unit: HistoryUnitRef
    title: TitleRef


class PersonRef(Schema):
    id: int
    full_name: str


class AssignmentOut(Schema):
    id: int
    in_scope: bool = Field(
        description=(
            "true: vị trí thuộc đơn vị trong phạm vi được giao (mở được qua /api/positions/{id}); "
            "false: một dòng của quá trình công tác ở đơn vị ngoài phạm vi, chỉ có tên đơn vị và chức danh "
            "(như sơ yếu lý lịch mẫu 2C)."
        )
    )
    person: PersonRef
    position: AssignmentPositionRef
    kind: str
    decision_number: str
    decision_date: dt.date | None
    issuing_body: str
    start_date: dt.date
    end_date: dt.date | None
    note: str


class AssignmentPage(Page):
    person_id: int
    items: list[AssignmentOut]


# Quota dashboard -----------------------------------------------------------------------------
# Every figure carries its indicator key: GET /api/units/{unit_id}/quotas/{indicator}/people
# lists the people (or head seats) it counts.


class IndicatorOut(Schema):
    key: str = Field(description="Mã chỉ số, dùng trong đường dẫn danh sách chi tiết.")
    label: str
    group: str = Field(description="Nhóm: core, political_theory, state_management, degree, pyramid, retirement, heads.")
    population: Literal["people", "heads"] = Field(description="people: đếm cán bộ; heads: đếm vị trí người đứng đầu.")
    base: str | None = Field(description="Mã chỉ số làm mẫu số của tỷ lệ; null nếu chỉ là số đếm.")


class ReferenceOut(Schema):
    document: str
    article: str
    link: str


class TargetOut(Schema):
    indicator: str = Field(description="Mã chỉ số có chỉ tiêu.")
    value: float = Field(description="Tỷ lệ tối thiểu để đạt (0–1).")
    name: str = Field(description="Tham số chứa chỉ tiêu.")
    since: dt.date | None
    until: dt.date | None
    references: list[ReferenceOut]
    to_confirm: bool = Field(description="Giá trị còn chờ xác nhận văn bản.")
    reformed: bool


class FigureOut(Schema):
    indicator: str = Field(description="Mã chỉ số (xem `indicators`).")
    count: int
    base: int | None = Field(description="Mẫu số của tỷ lệ (số của chỉ số `base`); null nếu không tính tỷ lệ.")
    share: float | None = Field(description="count / base, làm tròn 4 chữ số; null khi không tính được.")


class ShareOut(FigureOut):
    target: float | None = Field(
        description="Chỉ tiêu (tỷ lệ tối thiểu) có hiệu lực vào ngày xem, nguồn ở `targets`; null nếu không có."
    )
    status: Literal["met", "not_met", "no_target", "no_data"] = Field(
        description="met: đạt; not_met: chưa đạt; no_target: không có chỉ tiêu; no_data: mẫu số bằng 0."
    )


class HeadSeatsOut(Schema):
    seats: FigureOut = Field(description="Vị trí người đứng đầu có người giữ.")
    known: FigureOut = Field(description="Xác định được là người địa phương hay không.")
    unknown: FigureOut = Field(description="Chưa xác định được (thiếu địa bàn hoặc quê quán, nơi sinh, thường trú).")


class AgeBandOut(Schema):
    band: str
    label: str
    min_age: int | None
    max_age: int | None
    men: FigureOut
    women: FigureOut


class RetirementYearOut(Schema):
    year: int
    total: FigureOut
    men: FigureOut
    women: FigureOut


class QuotaFiguresOut(Schema):
    headcount: FigureOut = Field(
        description=(
            "Cán bộ đang công tác: hồ sơ do đơn vị hoặc cấp dưới quản lý, đang giữ ít nhất một vị trí vào ngày xem "
            "(định nghĩa trong `definitions`; danh sách: /api/people?unit=…&basis=in_service)."
        )
    )
    women: ShareOut
    men: FigureOut
    under_young: ShareOut = Field(description="Dưới `thresholds.young` tuổi (tham số, 40 tuổi).")
    under_youth: ShareOut = Field(description="Dưới `thresholds.youth` tuổi (tham số, 35 tuổi).")
    minorities: ShareOut = Field(description="Dân tộc thiểu số.")
    non_local_heads: ShareOut = Field(
        description="Người đứng đầu không là người địa phương, trên số vị trí xác định được."
    )
    heads: HeadSeatsOut
    political_theory: list[FigureOut]
    state_management: list[FigureOut]
    degree: list[FigureOut] = Field(description="Theo trình độ chuyên môn cao nhất, từ cao xuống thấp.")
    age_pyramid: list[AgeBandOut] = Field(description="Tháp tuổi theo giới tính, từ trẻ đến già.")
    retirements: list[RetirementYearOut] = Field(description="Đến tuổi nghỉ hưu trong năm năm tới.")
    past_retirement: FigureOut = Field(description="Đã qua tuổi nghỉ hưu, còn giữ vị trí.")


class SubUnitQuotaOut(Schema):
    unit: UnitRef
    label: str
    own_records: bool = Field(
        description="true: dòng hồ sơ, vị trí của chính đơn vị (chi tiết: `scope=own` trên đơn vị này)."
    )
    exists_on_date: bool
    figures: QuotaFiguresOut


class ThresholdsOut(Schema):
    young: int = Field(description="Ngưỡng tuổi trẻ (dưới).")
    youth: int = Field(description="Ngưỡng tuổi thứ hai (dưới).")


class QuotaReportOut(Schema):
    unit: UnitRef
    as_of: dt.date
    thresholds: ThresholdsOut
    definitions: dict[str, str] = Field(description="Cách đếm: headcount, heads, age, retirement.")
    indicators: list[IndicatorOut]
    targets: list[TargetOut] = Field(description="Các chỉ tiêu có hiệu lực vào ngày xem, với văn bản nguồn.")
    total: QuotaFiguresOut = Field(description="Toàn bộ đơn vị và các đơn vị cấp dưới.")
    sub_units: list[SubUnitQuotaOut] = Field(description="Từng đơn vị trực thuộc trực tiếp.")


class PostOut(Schema):
    assignment_id: int
    position_id: int
    title: str
    unit: UnitRef
    start_date: dt.date


class QuotaProfileOut(Schema):
    sex: str
    birth_date: dt.date
    birth_date_precision: str
    age: int = Field(description="Tuổi tròn vào ngày xem.")
    ethnicity: str
    political_theory: int
    state_management: int
    unit: UnitRef = Field(description="Đơn vị quản lý hồ sơ.")
    posts: list[PostOut] = Field(description="Vị trí đang giữ vào ngày xem.")


class HeadSeatOut(Schema):
    assignment_id: int
    position_id: int
    title: str
    unit: UnitRef
    start_date: dt.date
    area: AreaRef | None = Field(description="Địa bàn của đơn vị (đơn vị gần nhất có địa bàn).")
    hometown: AreaRef | None
    birthplace: AreaRef | None
    residence: AreaRef | None
    residence_since: dt.date | None
    locality: Literal["local", "non_local", "unknown"]
    reasons: list[str] = Field(description="Căn cứ kết luận (người địa phương vì…, hoặc lý do chưa xác định).")


class QuotaPersonOut(Schema):
    person_id: int
    full_name: str
    record_visible: bool = Field(description="Hồ sơ xem được qua /api/people/{person_id}.")
    profile: QuotaProfileOut | None = Field(description="Với chỉ số đếm cán bộ; null với chỉ số người đứng đầu.")
    head_seat: HeadSeatOut | None = Field(description="Với chỉ số người đứng đầu: vị trí được đếm.")


class QuotaPeoplePage(Page):
    unit: UnitRef
    as_of: dt.date
    indicator: IndicatorOut
    scope: Literal["subtree", "own"]
    items: list[QuotaPersonOut]
