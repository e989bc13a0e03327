"""The JSON shapes of the API (machine formats: ISO 8601 dates, catalogue codes, ids).

The endpoints build plain dicts from rows they have already fetched in bulk (see
serializers.py); these schemas validate them and document them in /api/openapi.json.
"""

import datetime as dt

from ninja import Schema


class Page(Schema):
    """A page of a list: `next_offset` is null on the last page."""

    count: int
    next_offset: int | None
    items: list


class Error(Schema):
    detail: str


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


class UnitPositionsOut(Schema):
    unit_id: int
    as_of: dt.date
    seat_count: int
    vacancies: int
    items: list[PositionOut]


class PositionDetailOut(PositionOut):
    unit: UnitRef
    as_of: dt.date


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


class AssignmentPositionRef(Schema):
    id: int
    unit: UnitRef
    title: TitleRef


class PersonRef(Schema):
    id: int
    full_name: str


class AssignmentOut(Schema):
    id: int
    person: PersonRef
    position: AssignmentPositionRef
    kind: str
    decision_number: str
    decision_date: dt.date | None
    issuing_body: str
    start_date: dt.date
    end_date: dt.date | None
    note: str


class AssignmentList(Schema):
    person_id: int
    items: list[AssignmentOut]
