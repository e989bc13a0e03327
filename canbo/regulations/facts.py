"""The facts rules read, loaded in a fixed number of queries: about people (seats, planning,
discipline, votes, relatives) and about a target seat (holders, planned people, conflicting
seats). The same loader serves one person (eligibility) and thousands (compliance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from canbo.discipline.models import DisciplineRecord, DisciplineReview
from canbo.evaluation.models import AnnualGrade, ConfidenceVote
from canbo.org.models import Position
from canbo.people.catalogues import INVERSE_RELATION
from canbo.people.models import Assignment, Person, Relation
from canbo.planning.models import SuccessionPlanEntry

from .params import ParameterNotInForce, ParameterSet
from .retirement import Retirement, retirement_for
from .structure import TitleRoles, UnitIndex

CHUNK = 2000


def chunked(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class Seat(NamedTuple):
    """A seat held (an assignment), with what the rules need of its unit and title."""

    assignment_id: int
    person_id: int
    position_id: int
    unit_id: int
    unit_path: str
    unit_name: str
    unit_search_name: str
    title_id: int
    title_code: str
    title_name: str
    title_rank: int
    is_head: bool
    is_leadership: bool
    start_date: dt.date
    end_date: dt.date | None
    kind: str

    @property
    def depth(self) -> int:
        return len(self.unit_path) // 4

    def label(self) -> str:
        return f"{self.title_name} – {self.unit_name}"


SEAT_FIELDS = (
    "id", "person_id", "position_id", "position__unit_id", "position__unit__path", "position__unit__name",
    "position__unit__search_name", "position__title_id", "position__title__code", "position__title__name",
    "position__title__rank", "position__title__is_head", "position__title__is_leadership", "start_date", "end_date",
    "kind",
)  # fmt: skip


def seats_from(rows) -> list[Seat]:
    return [Seat(*row) for row in rows]


class PlanFact(NamedTuple):
    id: int
    person_id: int
    title_id: int
    unit_id: int
    unit_path: str
    term: str
    approved_on: dt.date
    removed_on: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return self.approved_on <= day and (self.removed_on is None or day < self.removed_on)


class ReviewFact(NamedTuple):
    """A period under discipline review or investigation and how the violation was concluded."""

    kind: str
    started_on: dt.date
    ended_on: dt.date | None
    outcome: str  # ReviewOutcome value, "" while open or not recorded
    remedied_on: dt.date | None


class ProcedureFact(NamedTuple):
    """A planning, appointment or nomination procedure under way for the person (Quy định
    377-QĐ/TW: planning and an appointment or nomination proposal do not run at the same time)."""

    kind: str  # "planning" | "appointment" | "nomination"
    opened_on: dt.date
    closed_on: dt.date | None
    label: str = ""

    def open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)


@dataclass
class PersonFacts:
    id: int
    full_name: str
    sex: str
    birth_date: dt.date
    birth_date_precision: str
    category: str
    party_joined_on: dt.date | None
    party_official_on: dt.date | None
    unit_id: int
    retirement: Retirement
    seats: list[Seat] = field(default_factory=list)  # held on the date
    past_seats: list[Seat] = field(default_factory=list)  # started before the date, all
    plans: list[PlanFact] = field(default_factory=list)
    discipline: list[tuple[str, str, dt.date]] = field(default_factory=list)  # side, form, decided_on
    reviews: list[ReviewFact] = field(default_factory=list)
    votes: list[tuple[dt.date, int, int, int, int, int]] = field(default_factory=list)  # on, eligible, present, H, C, L
    grades: list[tuple[int, str]] = field(default_factory=list)  # (year, grade) up to the date's year
    relatives: dict[int, str] | None = None  # relative id → kind as seen from this person
    # Procedures under way (planning, appointment or nomination proposals); None while no record of
    # them is kept (see `procedures_of`), so the rule reading them says it cannot check.
    procedures: list[ProcedureFact] | None = None


PERSON_FIELDS = (
    "id", "full_name", "sex", "birth_date", "birth_date_precision", "category", "party_joined_on", "party_official_on",
    "unit_id",
)  # fmt: skip


def load_people_facts(
    person_ids: Iterable[int], on: dt.date, params: ParameterSet, *, with_relatives: bool = False
) -> dict[int, PersonFacts]:
    """Facts of many people in 6–8 queries per chunk of 2,000 (never one query per person)."""
    result: dict[int, PersonFacts] = {}
    for ids in chunked(person_ids):
        for row in Person.objects.filter(pk__in=ids).order_by().values_list(*PERSON_FIELDS):
            data = dict(zip(PERSON_FIELDS, row, strict=True))
            month = None if data["birth_date_precision"] == "year" else data["birth_date"].month
            retirement = retirement_for(sex=data["sex"], birth_year=data["birth_date"].year, birth_month=month, params=params)
            result[data["id"]] = PersonFacts(retirement=retirement, **data)
        seats = Assignment.objects.filter(person_id__in=ids, start_date__lte=on).order_by().values_list(*SEAT_FIELDS)
        for seat in seats_from(seats):
            facts = result[seat.person_id]
            facts.past_seats.append(seat)
            if seat.end_date is None or on <= seat.end_date:
                facts.seats.append(seat)
        plans = SuccessionPlanEntry.objects.filter(person_id__in=ids, approved_on__lte=on).order_by().values_list(
            "id", "person_id", "title_id", "unit_id", "unit__path", "term", "approved_on", "removed_on"
        )
        for plan in plans:
            result[plan[1]].plans.append(PlanFact(*plan))
        records = DisciplineRecord.objects.filter(person_id__in=ids, decided_on__lte=on).order_by().values_list(
            "person_id", "side", "form", "decided_on"
        )
        for person_id, side, form, decided_on in records:
            result[person_id].discipline.append((side, form, decided_on))
        reviews = DisciplineReview.objects.filter(person_id__in=ids, started_on__lte=on).order_by().values_list(
            "person_id", "kind", "started_on", "ended_on", "outcome", "remedied_on"
        )
        for person_id, *review in reviews:
            result[person_id].reviews.append(ReviewFact(*review))
        grades = AnnualGrade.objects.filter(person_id__in=ids, year__lte=on.year).order_by("year")
        for person_id, year, grade in grades.values_list("person_id", "year", "grade"):
            result[person_id].grades.append((year, grade))
        votes = ConfidenceVote.objects.filter(person_id__in=ids, held_on__lte=on).order_by("held_on", "id")
        for row in votes.values_list(
            "person_id", "held_on", "eligible_voters", "attendance", "votes_high", "votes_confident", "votes_low"
        ):
            result[row[0]].votes.append(row[1:])
        for person_id, procedures in procedures_of(ids, on).items():
            if person_id in result:
                result[person_id].procedures = procedures
        if with_relatives:
            for facts in (result[i] for i in ids if i in result):
                facts.relatives = {}
            forward = Relation.objects.filter(person_id__in=ids).order_by().values_list("person_id", "relative_id", "kind")
            for person_id, relative_id, kind in forward:
                result[person_id].relatives[relative_id] = kind
            backward = Relation.objects.filter(relative_id__in=ids).order_by().values_list("relative_id", "person_id", "kind")
            for person_id, relative_id, kind in backward:
                result[person_id].relatives[relative_id] = INVERSE_RELATION[kind]
    return result


def procedures_of(person_ids: list[int], on: dt.date) -> dict[int, list[ProcedureFact]]:
    """Planning, appointment and nomination procedures under way on `on`, by person.

    The system keeps approved plan entries and assignments (the results), not the procedures that
    lead to them (the proposal, the ballots of each step, DOMAIN.md §4b): there is nothing to read
    yet, so every person's `procedures` stays None and the rule that needs them reports that it
    could not check. When procedure records exist, this is the one place that loads them."""
    return {}


@dataclass
class Peer:
    """Someone holding, on the date, a seat that may not be held together with the target seat."""

    person_id: int
    full_name: str
    seat_label: str
    group: str


@dataclass
class TargetSeat:
    position_id: int
    seat_count: int
    unit_id: int
    unit_path: str
    unit_name: str
    unit_search_name: str
    title_id: int
    title_code: str
    title_name: str
    title_rank: int
    is_head: bool
    is_leadership: bool
    managing_body: str
    holders: list[tuple[int, str]] = field(default_factory=list)  # (person id, name) on the date
    planned: dict[str, set[int]] = field(default_factory=dict)  # term → person ids active on the date
    peers: list[Peer] | None = None
    units: UnitIndex | None = None  # the target's and the person's planned units, for levels
    plan_approved_on: dt.date | None = None  # when checking an existing plan entry
    plan_last_review: tuple[dt.date, bool] | None = None  # its latest review on or before the date: (day, meets standards)

    @property
    def depth(self) -> int:
        return len(self.unit_path) // 4

    def level(self, path: str) -> int:
        """The level (cấp) of a unit: the depth of its committee, so a ward's people's committee
        and the ward's party committee are the same level."""
        committee = self.units.committee_of(path) if self.units else None
        return len(committee.path if committee else path) // 4

    def label(self) -> str:
        return f"{self.title_name} – {self.unit_name}"


def load_target_seat(position: Position, on: dt.date, params: ParameterSet, *, with_peers: bool = True) -> TargetSeat:
    unit, title = position.unit, position.title
    seat = TargetSeat(
        position_id=position.pk, seat_count=position.seat_count, unit_id=unit.pk, unit_path=unit.path,
        unit_name=unit.name, unit_search_name=unit.search_name, title_id=title.pk, title_code=title.code,
        title_name=title.name, title_rank=title.rank, is_head=title.is_head, is_leadership=title.is_leadership,
        managing_body=title.managing_body,
    )  # fmt: skip
    holders = Assignment.objects.filter(Assignment.current_on_q(on), position=position)
    seat.holders = list(holders.order_by().values_list("person_id", "person__full_name"))
    planned = SuccessionPlanEntry.objects.filter(SuccessionPlanEntry.active_on_q(on), unit=unit, title=title)
    for person_id, term in planned.order_by().values_list("person_id", "term"):
        seat.planned.setdefault(term, set()).add(person_id)
    if with_peers:
        seat.peers = conflict_peers(seat, on, params)
    return seat


def conflict_groups_for(roles: frozenset[str], groups: Iterable[dict]) -> list[tuple[dict, set[str]]]:
    """The kinship groups the target roles belong to, each with the roles it conflicts with."""
    result = []
    for group in groups:
        members, others = set(group["roles"]), set(group.get("with") or ())
        if not others:
            if roles & members:
                result.append((group, members))
        else:
            peer_roles = (others if roles & members else set()) | (members if roles & others else set())
            if peer_roles:
                result.append((group, peer_roles))
    return result


def conflict_peers(seat: TargetSeat, on: dt.date, params: ParameterSet) -> list[Peer]:
    """Holders on `on` of seats in the kinship groups of the target seat (Quy định 205 → 114)."""
    try:
        roles_map = TitleRoles(params.get("titles.roles", on))
        groups = params.get("kinship.conflict_groups", on)
    except ParameterNotInForce:
        return []  # no kinship rule on that date: nobody to compare with
    target_roles = roles_map.roles(seat.title_code, seat.is_head, seat.unit_search_name)
    wanted = conflict_groups_for(target_roles, groups)
    if not wanted:
        return []
    index = UnitIndex.load([seat.unit_path])
    committee = index.committee_of(seat.unit_path)
    peers: list[Peer] = []
    for group, peer_roles in wanted:
        if group["scope"] == "unit":
            scope_q = Q(position__unit_id=seat.unit_id)
        elif committee is not None:
            scope_q = Q(position__unit__path__startswith=committee.path)
        else:
            continue
        role_q = Q(position__title__code__in=roles_map.codes(peer_roles))
        if "unit_head" in peer_roles:
            role_q |= Q(position__title__is_head=True)
        if "unit_deputy" in peer_roles:
            for prefix in roles_map.deputy_prefixes:
                role_q |= Q(position__title__code__startswith=prefix)
        for role, names in roles_map.head_of_units_named.items():
            if role in peer_roles:
                for name in names:
                    role_q |= Q(position__title__is_head=True, position__unit__search_name__contains=name)
        query = Assignment.objects.filter(Assignment.current_on_q(on), scope_q, role_q)
        if seat.seat_count == 1:
            # The holder of a single seat is the one being replaced, not someone serving alongside.
            query = query.exclude(position_id=seat.position_id)
        rows = list(query.order_by().values_list(*SEAT_FIELDS, "person__full_name"))
        candidates = [(Seat(*row[:-1]), row[-1]) for row in rows]
        if group["scope"] != "unit":
            # Seats of sub-committees lie under the same path; keep those whose committee is this one.
            index = UnitIndex.load([s.unit_path for s, _n in candidates] + [seat.unit_path])
        for other, name in candidates:
            if group["scope"] != "unit" and index.committee_of(other.unit_path) != committee:
                continue
            other_roles = roles_map.roles(other.title_code, other.is_head, other.unit_search_name)
            if other_roles & peer_roles:
                peers.append(Peer(other.person_id, name, other.label(), group["id"]))
    return peers
