"""Test data built through the real services (as Zulip's tests do), never raw objects.create."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from canbo.access import services as access_services
from canbo.org import services as org_services
from canbo.org.models import ManagingBody, Title, Unit, UnitKind
from canbo.people import services as people_services
from canbo.people.citizen_id import century_sex_digit

_serial = itertools.count(1)


def citizen_id_for(*, birth_year: int, female: bool, province: str = "01") -> str:
    return f"0{province}{century_sex_digit(birth_year=birth_year, female=female)}{birth_year % 100:02d}{next(_serial):06d}"


def make_user(username: str = "officer", *, grants: list[tuple[Unit, str]] = (), superuser: bool = False, password="pw-12345678"):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.invalid", password)
    else:
        user = access_services.user_create(actor=None, username=username, email=f"{username}@example.invalid", password=password)
    for unit, role in grants:
        access_services.grant_create(actor=None, user=user, unit=unit, role=role)
    return user


def make_unit(name: str, *, parent: Unit | None = None, kind: str = UnitKind.AFFILIATED_COMMITTEE, actor=None, **fields) -> Unit:
    code = fields.pop("code", None) or f"U{next(_serial):05d}"
    return org_services.unit_create(actor=actor, parent=parent, name=name, code=code, kind=kind, **fields)


def make_title(code: str = "bi-thu", name: str = "Bí thư", *, actor=None, **fields) -> Title:
    existing = Title.objects.filter(code=code).first()
    if existing:
        return existing
    fields.setdefault("managing_body", ManagingBody.PROVINCIAL_STANDING)
    return org_services.title_create(actor=actor, code=code, name=name, **fields)


def make_position(unit: Unit, title: Title | None = None, *, actor=None, **fields):
    return org_services.position_create(actor=actor, unit=unit, title=title or make_title(), **fields)


def make_person(unit: Unit, full_name: str = "Nguyễn Văn An", *, actor=None, sex: str = "M", birth_date=dt.date(1980, 5, 17), **fields):
    fields.setdefault("citizen_id", citizen_id_for(birth_year=birth_date.year, female=sex == "F"))
    return people_services.person_create(
        actor=actor, unit=unit, full_name=full_name, sex=sex, birth_date=birth_date, **fields
    )


def make_assignment(person, position, *, actor=None, kind="appointment", start_date=dt.date(2021, 1, 1), **fields):
    return people_services.assignment_create(
        actor=actor, person=person, position=position, kind=kind, start_date=start_date, **fields
    )
