"""Synthetic 2C résumés for the demo: who a person is, given the post they are drawn for.

A profile ("head", "deputy", "staff", "teacher"…) sets the age band, the share of women,
degrees, political theory, state management training and party membership, so that the
totals look like a real city's cadre corps (women ~45% overall but ~20% of heads, leaders
older and better trained, ~97% Kinh). Everything is drawn from the builder's seeded
`random.Random`; nothing here touches the database.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from canbo.people.catalogues import (
    AcademicTitle,
    Category,
    DatePrecision,
    DegreeLevel,
    GeneralEducation,
    PoliticalTheory,
    StateManagement,
)
from canbo.people.citizen_id import century_sex_digit

from . import hanoi, names

PT = PoliticalTheory
SM = StateManagement
DL = DegreeLevel


@dataclass(frozen=True)
class Profile:
    ages: tuple[int, int]
    female: float
    # (level, weight) of the highest degree
    degree: tuple[tuple[int, float], ...]
    theory: tuple[tuple[int, float], ...]
    state_management: tuple[tuple[int, float], ...]
    party: float
    party_age: tuple[int, int] = (22, 32)


PROFILES: dict[str, Profile] = {
    "top": Profile((50, 59), 0.15, ((DL.MASTER, 55), (DL.DOCTOR, 45)), ((PT.ADVANCED, 55), (PT.BACHELOR, 45)),
                   ((SM.SENIOR, 75), (SM.PRINCIPAL, 25)), 1.0, (21, 28)),
    "head": Profile((44, 59), 0.17, ((DL.BACHELOR, 40), (DL.MASTER, 53), (DL.DOCTOR, 7)),
                    ((PT.ADVANCED, 72), (PT.BACHELOR, 15), (PT.INTERMEDIATE, 13)),
                    ((SM.PRINCIPAL, 60), (SM.SENIOR, 25), (SM.SPECIALIST, 15)), 1.0),
    "deputy": Profile((36, 58), 0.28, ((DL.BACHELOR, 52), (DL.MASTER, 45), (DL.DOCTOR, 3)),
                      ((PT.ADVANCED, 50), (PT.INTERMEDIATE, 44), (PT.BACHELOR, 6)),
                      ((SM.PRINCIPAL, 45), (SM.SPECIALIST, 50), (SM.SENIOR, 5)), 0.98),
    "manager": Profile((32, 57), 0.3, ((DL.BACHELOR, 62), (DL.MASTER, 36), (DL.DOCTOR, 2)),
                       ((PT.INTERMEDIATE, 60), (PT.ADVANCED, 28), (PT.ELEMENTARY, 12)),
                       ((SM.SPECIALIST, 60), (SM.PRINCIPAL, 35), (SM.NONE, 5)), 0.93),
    "youth": Profile((27, 35), 0.35, ((DL.BACHELOR, 70), (DL.MASTER, 30)),
                     ((PT.INTERMEDIATE, 70), (PT.ELEMENTARY, 20), (PT.ADVANCED, 10)),
                     ((SM.SPECIALIST, 70), (SM.NONE, 30)), 1.0, (19, 25)),
    "staff": Profile((24, 58), 0.48, ((DL.INTERMEDIATE, 4), (DL.COLLEGE, 8), (DL.BACHELOR, 75), (DL.MASTER, 13)),
                     ((PT.NONE, 40), (PT.ELEMENTARY, 35), (PT.INTERMEDIATE, 20), (PT.ADVANCED, 5)),
                     ((SM.SPECIALIST, 55), (SM.NONE, 40), (SM.PRINCIPAL, 5)), 0.5, (22, 35)),
    "teacher": Profile((24, 56), 0.7, ((DL.COLLEGE, 12), (DL.BACHELOR, 75), (DL.MASTER, 13)),
                       ((PT.NONE, 50), (PT.ELEMENTARY, 42), (PT.INTERMEDIATE, 8)),
                       ((SM.NONE, 85), (SM.SPECIALIST, 15)), 0.45, (23, 38)),
    "health": Profile((25, 58), 0.6, ((DL.INTERMEDIATE, 8), (DL.COLLEGE, 15), (DL.BACHELOR, 50), (DL.MASTER, 22),
                                       (DL.DOCTOR, 5)),
                      ((PT.NONE, 55), (PT.ELEMENTARY, 35), (PT.INTERMEDIATE, 10)),
                      ((SM.NONE, 85), (SM.SPECIALIST, 15)), 0.42, (24, 38)),
    "cell": Profile((40, 60), 0.15, ((DL.INTERMEDIATE, 25), (DL.COLLEGE, 15), (DL.BACHELOR, 55), (DL.MASTER, 5)),
                    ((PT.ELEMENTARY, 60), (PT.INTERMEDIATE, 35), (PT.ADVANCED, 5)),
                    ((SM.NONE, 85), (SM.SPECIALIST, 15)), 1.0, (20, 32)),
}  # fmt: skip

# Retirement in 2026 (Labour Code 2019 art. 169): men at 61y6m, women at 57y. Keep everyone below it.
MAX_AGE = {False: 60, True: 56}


@dataclass(slots=True, eq=False)
class PlannedPerson:
    """A résumé waiting to be written; `unit` (the record unit) is settled once the seats are."""

    key: int
    full_name: str
    sex: str
    birth_date: dt.date
    birth_date_precision: str
    birthplace_id: int | None
    hometown_id: int | None
    residence_id: int | None
    residence_detail: str
    residence_since: dt.date | None
    ethnicity: str
    religion: str
    citizen_id: str
    category: str
    party_joined_on: dt.date | None
    party_official_on: dt.date | None
    party_card_number: str
    general_education: str
    political_theory: int
    state_management: int
    foreign_language: str
    it_skill: str
    academic_title: str
    degrees: list[dict] = field(default_factory=list)
    unit: object = None
    pk: int | None = None

    def model_fields(self) -> dict:
        return {
            "full_name": self.full_name,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "birth_date_precision": self.birth_date_precision,
            "birthplace_id": self.birthplace_id,
            "hometown_id": self.hometown_id,
            "residence_id": self.residence_id,
            "residence_detail": self.residence_detail,
            "residence_since": self.residence_since,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "citizen_id": self.citizen_id,
            "category": self.category,
            "party_joined_on": self.party_joined_on,
            "party_official_on": self.party_official_on,
            "party_card_number": self.party_card_number,
            "general_education": self.general_education,
            "political_theory": self.political_theory,
            "state_management": self.state_management,
            "foreign_language": self.foreign_language,
            "it_skill": self.it_skill,
            "academic_title": self.academic_title,
        }


@dataclass(frozen=True)
class Places:
    """Where people come from: Hà Nội's communes and the rest of the country (area ids)."""

    hanoi_communes: tuple[int, ...]
    # 2025 province code -> its communes
    communes_by_province: dict[str, tuple[int, ...]]
    # commune id -> the legacy province code that registered births there (citizen ID digits 2–3)
    legacy_province: dict[int, str]
    ward_ids: frozenset[int]


@lru_cache(maxsize=256)
def _cumulative(weighted: tuple) -> tuple[tuple, tuple[float, ...]]:
    values = tuple(v for v, _w in weighted)
    return values, tuple(accumulate(w for _v, w in weighted))


def _pick(rng: random.Random, weighted: tuple) -> object:
    values, cumulative = _cumulative(weighted)
    return rng.choices(values, cum_weights=cumulative)[0]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PersonFactory:
    """Draws people; one instance per build, so citizen IDs are unique across the demo."""

    def __init__(self, rng: random.Random, places: Places, as_of: dt.date):
        self.rng = rng
        self.places = places
        self.as_of = as_of
        self._serials: set[str] = set()
        self._count = 0
        self._home_provinces = tuple((code, w) for code, w in hanoi.HOME_PROVINCES if places.communes_by_province.get(code))

    # Places ------------------------------------------------------------------------------------
    def _elsewhere(self) -> tuple[int, str]:
        province = _pick(self.rng, self._home_provinces)
        return self.rng.choice(self.places.communes_by_province[province]), province

    def _hanoi(self, near: int | None, same_share: float) -> int:
        if near is not None and self.rng.random() < same_share:
            return near
        return self.rng.choice(self.places.hanoi_communes)

    def _citizen_id(self, *, province: str, birth_year: int, female: bool) -> str:
        head = f"0{province}{century_sex_digit(birth_year=birth_year, female=female)}{birth_year % 100:02d}"
        while True:
            number = f"{head}{self.rng.randrange(1_000_000):06d}"
            if number not in self._serials:
                self._serials.add(number)
                return number

    # People ------------------------------------------------------------------------------------
    def new(
        self,
        profile: str,
        *,
        category: str,
        sector: str = "commune",
        near: int | None = None,
        local_share: float = 0.8,
        female: bool | None = None,
        min_age: int | None = None,
        max_age: int | None = None,
    ) -> PlannedPerson:
        """A person for a post of `profile`; `near` is the commune they work in (for locality)."""
        rng = self.rng
        p = PROFILES[profile]
        if female is None:
            female = rng.random() < p.female
        low, high = p.ages
        low = max(low, min_age or low)
        high = min(high, max_age or high, MAX_AGE[female])
        low = min(low, high)
        # Leaders cluster in the upper half of their band; staff spread evenly.
        age = round(rng.triangular(low, high, high if profile in ("top", "head") else (low + high) / 2))
        birth = self.as_of - dt.timedelta(days=age * 365 + rng.randrange(365))
        precision = DatePrecision.DAY
        roll = rng.random()
        if roll < 0.04:
            precision, birth = DatePrecision.MONTH, birth.replace(day=1)
        elif roll < 0.05 and birth.year < 1975:
            precision, birth = DatePrecision.YEAR, birth.replace(month=1, day=1)

        # Birthplace, hometown, residence: mostly Hà Nội, about one in five from another province.
        local = rng.random() < local_share
        if local:
            birthplace = self._hanoi(near, 0.55)
            id_province = self.places.legacy_province.get(birthplace, "01")
            mountain = False
        else:
            birthplace, province = self._elsewhere()
            id_province = self.places.legacy_province.get(birthplace, province)
            mountain = province in hanoi.MOUNTAIN_PROVINCES
        if rng.random() < 0.72:
            hometown = birthplace
        elif rng.random() < 0.6 or not local:
            hometown = self._elsewhere()[0]
        else:
            hometown = self._hanoi(None, 0)
        residence = self._hanoi(near if local else None, 0.6)
        if local and residence == birthplace and rng.random() < 0.6:
            residence_since = birth
        else:  # moved there as an adult, at least a year ago
            adult = add_years(birth, 18)
            latest = self.as_of - dt.timedelta(days=365)
            residence_since = adult + dt.timedelta(days=rng.randrange(max(1, (latest - adult).days)))
        if residence in self.places.ward_ids:
            detail = f"Số {rng.randint(1, 180)}, tổ dân phố số {rng.randint(1, 40)}"
        else:
            detail = f"Xóm {rng.randint(1, 12)}, thôn {rng.choice(('Đông', 'Đoài', 'Thượng', 'Hạ', 'Trung', 'Nam', 'Bắc'))}"

        ethnicity = names.ethnicity(rng, minority_boost=4.0 if mountain else 1.0)
        full = names.full_name(rng, female=female, birth_year=birth.year, ethnicity=ethnicity)

        # Party membership: joined (dự bị), official twelve months later (Điều lệ Đảng, art. 5).
        joined = official = None
        card = ""
        if rng.random() < p.party:
            join_age = rng.randint(*p.party_age)
            joined = add_years(birth, join_age) + dt.timedelta(days=rng.randrange(365))
            latest = self.as_of - dt.timedelta(days=rng.randrange(60, 400))
            if joined > latest:
                joined = max(latest, add_years(birth, 18))
            official = add_years(joined, 1)
            if official > self.as_of:
                official = None
            else:
                card = f"{rng.randrange(10**7, 10**8)}"

        degree_level = _pick(rng, p.degree)
        degrees = self._degrees(degree_level, sector, birth.year)
        theory = _pick(rng, p.theory)
        if joined is None and theory > PT.ELEMENTARY:
            theory = PT.ELEMENTARY if rng.random() < 0.5 else PT.NONE
        academic = ""
        if degree_level == DL.DOCTOR and profile in ("top", "head") and rng.random() < 0.25:
            academic = AcademicTitle.ASSOCIATE_PROFESSOR
        religion = "none"
        if joined is None:
            roll = rng.random()
            religion = "buddhism" if roll < 0.08 else "catholic" if roll < 0.11 else "none"

        self._count += 1
        return PlannedPerson(
            key=self._count,
            full_name=full,
            sex="F" if female else "M",
            birth_date=birth,
            birth_date_precision=precision,
            birthplace_id=birthplace,
            hometown_id=hometown,
            residence_id=residence,
            residence_detail=detail,
            residence_since=residence_since,
            ethnicity=ethnicity,
            religion=religion,
            citizen_id=self._citizen_id(province=id_province, birth_year=birth.year, female=female),
            category=category,
            party_joined_on=joined,
            party_official_on=official,
            party_card_number=card,
            general_education=(GeneralEducation.GRADE_10 if birth.year < 1973 and rng.random() < 0.4
                               else GeneralEducation.GRADE_12),
            political_theory=int(theory),
            state_management=int(_pick(rng, p.state_management)),
            foreign_language=rng.choice(hanoi.FOREIGN_LANGUAGES) if rng.random() < 0.85 else "",
            it_skill=rng.choice(hanoi.IT_SKILLS) if rng.random() < 0.9 else "",
            academic_title=academic,
            degrees=degrees,
        )  # fmt: skip

    def _degrees(self, highest: int, sector: str, birth_year: int) -> list[dict]:
        rng = self.rng
        subjects = hanoi.SUBJECTS.get(sector, hanoi.SUBJECTS["commune"])
        schools = hanoi.INSTITUTIONS.get(sector, hanoi.INSTITUTIONS["default"])
        first_level = min(highest, DL.BACHELOR)
        subject = rng.choice(subjects)
        first_year = birth_year + (22 if first_level == DL.BACHELOR else 20) + rng.randint(0, 3)
        rows = [{"level": int(first_level), "field": subject, "institution": rng.choice(schools), "year": first_year}]
        if highest >= DL.MASTER:
            year = min(birth_year + rng.randint(27, 40), self.as_of.year - 1)
            field_name = subject if rng.random() < 0.5 else rng.choice(hanoi.SUBJECTS["party"] + subjects)
            rows.append({"level": int(DL.MASTER), "field": field_name, "institution": rng.choice(schools),
                         "year": max(year, first_year + 2)})  # fmt: skip
        if highest >= DL.DOCTOR:
            year = min(birth_year + rng.randint(35, 48), self.as_of.year - 1)
            rows.append({"level": int(DL.DOCTOR), "field": rows[-1]["field"], "institution": rng.choice(schools),
                         "year": max(year, rows[-1]["year"] + 3)})  # fmt: skip
        for row in rows:
            row["year"] = min(row["year"], self.as_of.year)
        return rows


def category_for(title_code: str, unit_kind: str) -> str:
    """Cán bộ for elected posts, viên chức in public service units, công chức otherwise."""
    if unit_kind == "public_service_unit":
        return Category.PUBLIC_EMPLOYEE
    elected = ("bi-thu", "pho-bi-thu", "chu-tich", "pho-chu-tich", "chu-nhiem", "pho-chu-nhiem", "uv-")
    if title_code.startswith(elected) and "chi-bo" not in title_code and "co-so" not in title_code:
        return Category.CADRE
    return Category.CIVIL_SERVANT

