"""Retirement per Labour Code 2019 art. 169 and Decree 135/2020/NĐ-CP (Appendix I).

A person retires at the age in force for the calendar year in which they reach it: for each
candidate year Y, take the age A(Y) of the parameter on 1 January Y and the month the person
reaches A(Y); the first Y in which that month falls is the retirement year (this reproduces the
Appendix I table, e.g. men born 01–09/1961 retire in 2021 at 60y3m, 10/1961–06/1962 in 2022 at
60y6m). Retirement is at the end of that month, the pension from the 1st of the next month; an
unknown birth month counts as January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import full_months, month_end
from .params import ParameterNotInForce, ParameterSet, ParameterValue, default_parameters

SEX_PARAMETER = {"M": "retirement.age.male", "F": "retirement.age.female"}
SEX_ALIASES = {"male": "M", "m": "M", "nam": "M", "female": "F", "f": "F", "nu": "F", "nữ": "F"}


@dataclass(frozen=True)
class Retirement:
    age_months: int
    year: int
    month: int
    age_parameter: ParameterValue

    @property
    def retirement_date(self) -> dt.date:
        """The last day of work: the end of the month in which the age is reached."""
        return month_end(self.year, self.month)

    @property
    def pension_from(self) -> dt.date:
        return self.retirement_date + dt.timedelta(days=1)

    @property
    def age(self) -> tuple[int, int]:
        return divmod(self.age_months, 12)

    def service_left_months(self, on: dt.date) -> int:
        """Whole months of service from `on` to the pension date (0 once retired)."""
        return full_months(on, self.pension_from)

    def as_json(self) -> dict:
        years, months = self.age
        return {
            "retirement_age": {"years": years, "months": months},
            "retirement_month": f"{self.year:04d}-{self.month:02d}",
            "pension_from": self.pension_from.isoformat(),
        }


def normalize_sex(value: str) -> str:
    key = (value or "").strip()
    if key in SEX_PARAMETER:
        return key
    try:
        return SEX_ALIASES[key.lower()]
    except KeyError:
        raise ValueError(f"Giới tính «{value}» không hợp lệ (male|female)") from None


def retirement_for(
    *, sex: str, birth_year: int, birth_month: int | None = None, params: ParameterSet | None = None
) -> Retirement:
    params = _default(params)
    sex = normalize_sex(sex)
    if birth_month is None:
        birth_month = params.get("retirement.unknown_birth_month", dt.date(2021, 1, 1))
    if not 1 <= birth_month <= 12:
        raise ValueError(f"Tháng sinh «{birth_month}» không hợp lệ")
    key = ("retirement", sex, birth_year, birth_month)
    cached = params.memo.get(key)
    if cached is not None:
        return cached
    name = SEX_PARAMETER[sex]
    birth_index = birth_year * 12 + birth_month - 1
    parameter = params.parameter(name)
    youngest = min(v.value for v in parameter.values if v.value is not None) // 12
    for year in range(birth_year + youngest, birth_year + 100):
        # Before the first text in the tree (1995), the same age applied: read its first value.
        try:
            value = params.at(name, max(dt.date(year, 1, 1), parameter.values[0].start))
        except ParameterNotInForce:
            continue
        reached = birth_index + value.value
        if reached // 12 == year:
            result = Retirement(age_months=value.value, year=year, month=reached % 12 + 1, age_parameter=value)
            params.memo[key] = result
            return result
    raise ValueError(f"Không có tuổi nghỉ hưu có hiệu lực cho người sinh năm {birth_year}")


def _default(params: ParameterSet | None) -> ParameterSet:
    return params if params is not None else default_parameters()


def retirement_of(person, params: ParameterSet | None = None) -> Retirement:
    """Retirement of a Person (or any object with sex, birth_date, birth_date_precision)."""
    month = None if getattr(person, "birth_date_precision", "day") == "year" else person.birth_date.month
    return retirement_for(sex=person.sex, birth_year=person.birth_date.year, birth_month=month, params=params)
