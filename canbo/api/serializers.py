"""Rows to JSON-ready dicts. Each function takes rows already fetched with what it reads
(select_related / prefetch), so a list page costs the same few queries whatever its length."""

from collections.abc import Iterable

from canbo.org.models import Position, Unit
from canbo.people.models import Assignment, Person


def area_ref(area) -> dict | None:
    return None if area is None else {"id": area.pk, "code": area.code, "name": area.name}


def unit_ref(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def title_ref(title) -> dict:
    return {
        "id": title.pk,
        "code": title.code,
        "name": title.name,
        "is_head": title.is_head,
        "managing_body": title.managing_body,
    }


def parent_path(unit: Unit) -> str | None:
    return unit.path[: -Unit.steplen] if unit.depth > 1 else None


def visible_parent_ids(units: Iterable[Unit], visible_units) -> dict[str, int]:
    """Parent path → id for the parents the caller may see (one query for the whole page)."""
    paths = {p for p in (parent_path(u) for u in units) if p}
    if not paths:
        return {}
    return dict(visible_units.filter(path__in=paths).values_list("path", "pk"))


def unit_out(unit: Unit, parent_ids: dict[str, int], *, detail: bool = False) -> dict:
    data = {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent_id": parent_ids.get(parent_path(unit) or ""),
        "depth": unit.depth,
        "child_count": unit.numchild,
        "area": area_ref(unit.area),
        "established_on": unit.established_on,
        "dissolved_on": unit.dissolved_on,
    }
    if detail:
        data["note"] = unit.note
    return data


def position_out(position: Position) -> dict:
    """A seat with `current_assignments` prefetched (canbo.people.selectors.holders_on)."""
    holders = [
        {
            "assignment_id": a.pk,
            "person_id": a.person_id,
            "full_name": a.person.full_name,
            "kind": a.kind,
            "start_date": a.start_date,
            "end_date": a.end_date,
        }
        for a in position.current_assignments
    ]
    return {
        "id": position.pk,
        "unit_id": position.unit_id,
        "title": title_ref(position.title),
        "seat_count": position.seat_count,
        "is_key_post": position.is_key_post,
        "note": position.note,
        "holders": holders,
        "vacancies": max(position.seat_count - len(holders), 0),
    }


def person_out(person: Person) -> dict:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "category": person.category,
        "unit": unit_ref(person.unit),
        "is_party_member": person.is_party_member,
    }


def person_detail_out(person: Person) -> dict:
    """Résumé fields; expects unit, birthplace, hometown, residence selected and degrees prefetched."""
    return {
        **person_out(person),
        "other_names": person.other_names,
        "citizen_id": person.citizen_id,
        "birthplace": area_ref(person.birthplace),
        "hometown": area_ref(person.hometown),
        "residence": area_ref(person.residence),
        "residence_detail": person.residence_detail,
        "ethnicity": person.ethnicity,
        "religion": person.religion,
        "party_joined_on": person.party_joined_on,
        "party_official_on": person.party_official_on,
        "party_card_number": person.party_card_number,
        "general_education": person.general_education,
        "political_theory": person.political_theory,
        "state_management": person.state_management,
        "foreign_language": person.foreign_language,
        "it_skill": person.it_skill,
        "academic_title": person.academic_title,
        "degrees": [d.as_dict() for d in person.degrees.all()],
    }


def assignment_out(assignment: Assignment, *, in_scope: bool) -> dict:
    """Expects person, position__unit and position__title selected. A seat outside the caller's
    scope is given by its title and its unit's name only, as the 2C résumé lists it."""
    position = assignment.position
    unit = position.unit
    return {
        "id": assignment.pk,
        "in_scope": in_scope,
        "person": {"id": assignment.person.pk, "full_name": assignment.person.full_name},
        "position": {
            "id": position.pk if in_scope else None,
            "unit": unit_ref(unit) if in_scope else {"id": None, "code": None, "name": unit.name},
            "title": title_ref(position.title),
        },
        "kind": assignment.kind,
        "decision_number": assignment.decision_number,
        "decision_date": assignment.decision_date,
        "issuing_body": assignment.issuing_body,
        "start_date": assignment.start_date,
        "end_date": assignment.end_date,
        "note": assignment.note,
    }

