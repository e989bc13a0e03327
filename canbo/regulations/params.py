"""Legal parameters: the YAML tree under `parameters/`, always read as of a date (after OpenFisca).

`parameters.get("retirement.age.male", on=date)` gives the value in force on that date;
`parameters.at(...)` gives it with its effective dates, references and "to confirm" flag.
A reform (`parameters.with_reform({...})`) is a copy with some values replaced in memory, to
see how findings would change before anyone edits a rule; nothing is saved.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"
# Templates of local resolutions live beside the parameters but are database seeds, not parameters.
NOT_PARAMETERS = {"resolutions"}
UNITS = {
    "month", "year", "month_of_year", "count", "share", "fraction", "bool", "list", "code-list", "mapping",
}  # fmt: skip

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParameterNotFound(KeyError):
    def __str__(self) -> str:
        return f"Không có tham số «{self.args[0]}»"


class ParameterNotInForce(LookupError):
    """The parameter exists but sets no value on that date (before its first text, or repealed)."""

    def __init__(self, name: str, on: dt.date):
        super().__init__(name, on)
        self.name, self.on = name, on

    def __str__(self) -> str:
        return f"Tham số «{self.name}» chưa có (hoặc không còn) giá trị vào ngày {self.on:%d/%m/%Y}"


@dataclass(frozen=True)
class Reference:
    document: str
    article: str = ""
    link: str = ""

    def __str__(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document

    def as_dict(self) -> dict:
        return {"document": self.document, "article": self.article, "link": self.link}


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    value: Any
    references: tuple[Reference, ...]
    to_confirm: bool
    note: str = ""


@dataclass(frozen=True)
class ParameterValue:
    """One parameter's value on a date, with where it comes from."""

    name: str
    value: Any
    since: dt.date | None
    until: dt.date | None  # last day in force (inclusive); None while open
    references: tuple[Reference, ...]
    to_confirm: bool
    description: str
    unit: str
    reformed: bool = False

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "value": json_value(self.value),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "references": [r.as_dict() for r in self.references],
            "to_confirm": self.to_confirm,
            "reformed": self.reformed,
        }


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    references: tuple[Reference, ...]
    to_confirm: bool
    note: str
    values: tuple[DatedValue, ...]
    _starts: tuple[dt.date, ...] = field(default=(), repr=False, compare=False)

    def value_index(self, on: dt.date) -> int:
        """Index of the dated value in force on `on`, or -1 before the first one."""
        return bisect.bisect_right(self._starts, on) - 1

    def at(self, on: dt.date) -> ParameterValue:
        index = self.value_index(on)
        if index < 0 or self.values[index].value is None:
            raise ParameterNotInForce(self.name, on)
        dated = self.values[index]
        until = self.values[index + 1].start - dt.timedelta(days=1) if index + 1 < len(self.values) else None
        return ParameterValue(
            name=self.name,
            value=dated.value,
            since=dated.start,
            until=until,
            references=dated.references or self.references,
            to_confirm=self.to_confirm or dated.to_confirm,
            description=self.description,
            unit=self.unit,
        )


def json_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def coerce(unit: str, value: Any, *, where: str) -> Any:
    """A YAML (or reform) value as the engine uses it: fractions exact, shares as floats."""
    if value is None:
        return None
    try:
        if unit == "fraction":
            return Fraction(str(value))
        if unit == "share":
            number = float(Fraction(str(value)))
            if not 0 <= number <= 1:
                raise ValueError("phải trong khoảng 0–1")
            return number
        if unit in {"month", "year", "count", "month_of_year"}:
            if isinstance(value, bool) or int(value) != value:
                raise ValueError("phải là số nguyên")
            return int(value)
        if unit == "bool":
            if not isinstance(value, bool):
                raise ValueError("phải là true/false")
            return value
        if unit in {"list", "code-list"}:
            if not isinstance(value, list):
                raise ValueError("phải là danh sách")
            return tuple(value)
        if unit == "mapping":
            if not isinstance(value, dict):
                raise ValueError("phải là ánh xạ")
            return value
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{where}: giá trị «{value}» không hợp lệ cho đơn vị {unit} ({exc})") from exc
    raise ValueError(f"{where}: đơn vị «{unit}» không được hỗ trợ")


def _references(raw, *, where: str) -> tuple[Reference, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ImproperlyConfigured(f"{where}: reference phải là danh sách")
    result = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("document"):
            raise ImproperlyConfigured(f"{where}: mỗi reference cần document")
        result.append(Reference(str(item["document"]), str(item.get("article") or ""), str(item.get("link") or "")))
    return tuple(result)


def _date(key, *, where: str) -> dt.date:
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{where}: ngày hiệu lực «{key}» không hợp lệ (YYYY-MM-DD)") from exc


def parse_parameter(name: str, data: dict, *, where: str) -> Parameter:
    if not isinstance(data, dict):
        raise ImproperlyConfigured(f"{where}: tệp tham số phải là một ánh xạ")
    missing = [key for key in ("description", "unit", "values") if key not in data]
    if missing:
        raise ImproperlyConfigured(f"{where}: thiếu {', '.join(missing)}")
    unit = data["unit"]
    if unit not in UNITS:
        raise ImproperlyConfigured(f"{where}: đơn vị «{unit}» không được hỗ trợ")
    metadata = data.get("metadata") or {}
    references = _references(metadata.get("reference"), where=where)
    if not references:
        raise ImproperlyConfigured(f"{where}: mỗi tham số phải nêu văn bản nguồn (metadata.reference)")
    values = []
    for key, entry in (data["values"] or {}).items():
        start = _date(key, where=where)
        if not isinstance(entry, dict) or "value" not in entry:
            raise ImproperlyConfigured(f"{where}: giá trị ngày {start} cần khóa value")
        try:
            value = coerce(unit, entry["value"], where=f"{where} {start}")
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
        values.append(
            DatedValue(
                start=start,
                value=value,
                references=_references(entry.get("reference"), where=where),
                to_confirm=bool(entry.get("to_confirm", False)),
                note=str(entry.get("note") or ""),
            )
        )
    if not values:
        raise ImproperlyConfigured(f"{where}: không có giá trị nào")
    values.sort(key=lambda v: v.start)
    return Parameter(
        name=name,
        description=str(data["description"]),
        unit=unit,
        references=references,
        to_confirm=bool(metadata.get("to_confirm", False)),
        note=str(metadata.get("note") or ""),
        values=tuple(values),
        _starts=tuple(v.start for v in values),
    )


class ParameterSet:
    """All parameters, plus the overrides of a reform (empty for the law as it is)."""

    def __init__(self, parameters: dict[str, Parameter], overrides: dict[str, Any] | None = None):
        self._parameters = parameters
        self.overrides: dict[str, Any] = dict(overrides or {})
        # Per-set memo for derived values (retirement by birth month, …): a reform gets its own.
        self.memo: dict = {}

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def __iter__(self):
        return iter(sorted(self._parameters.values(), key=lambda p: p.name))

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterNotFound(name) from None

    @property
    def is_reform(self) -> bool:
        return bool(self.overrides)

    def at(self, name: str, on: dt.date) -> ParameterValue:
        parameter = self.parameter(name)
        if name in self.overrides:
            return ParameterValue(
                name=name,
                value=self.overrides[name],
                since=None,
                until=None,
                references=(Reference("Dự thảo thay đổi (chưa lưu)", "cải cách thử nghiệm"),),
                to_confirm=False,
                description=parameter.description,
                unit=parameter.unit,
                reformed=True,
            )
        return parameter.at(on)

    def get(self, name: str, on: dt.date):
        return self.at(name, on).value

    def with_reform(self, overrides: dict[str, Any], *, extra_keys: dict[str, str] | None = None) -> ParameterSet:
        """A copy with `overrides` applied. `extra_keys` maps other overridable keys (local
        targets) to their unit. Raises ValueError naming the first bad key or value."""
        extra_keys = extra_keys or {}
        coerced = dict(self.overrides)
        for key, value in overrides.items():
            if key in self._parameters:
                unit = self._parameters[key].unit
            elif key in extra_keys:
                unit = extra_keys[key]
            else:
                raise ValueError(f"Không có tham số hoặc chỉ tiêu «{key}»")
            coerced[key] = coerce(unit, value, where=key)
        return ParameterSet(self._parameters, coerced)


def parse_reform(text: str) -> dict[str, Any]:
    """The JSON of a reform (`{"targets.women.committee": 0.30}`), or ValueError in Vietnamese."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"Dự thảo thay đổi không phải JSON hợp lệ: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ValueError("Dự thảo thay đổi phải là một đối tượng JSON {\"tên tham số\": giá trị}")
    return data


def load_parameters(root: Path = PARAMETERS_DIR) -> ParameterSet:
    parameters: dict[str, Parameter] = {}
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_PARAMETERS:
            continue
        name = ".".join(relative.with_suffix("").parts)
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
        parameters[name] = parse_parameter(name, data, where=str(relative))
    return ParameterSet(parameters)


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    return load_parameters()


class _LazyParameters:
    """`parameters` reads the YAML tree on first use, not at import time."""

    def __getattr__(self, name):
        return getattr(default_parameters(), name)

    def __contains__(self, name) -> bool:
        return name in default_parameters()

    def __iter__(self):
        return iter(default_parameters())


parameters = _LazyParameters()
