"""The rule registry. A rule has dated versions (a new regulation that changes a check is a new
version with a docstring saying what changed); evaluating it on a date picks the version in
force and returns an `Outcome` with the rule id, its label, the legal sources, the effective
dates, the values used and why it passed or failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..params import ParameterNotInForce, ParameterSet, ParameterValue, Reference, json_value

PASS, FAIL, WARNING, NOT_APPLICABLE = "pass", "fail", "warning", "not_applicable"
STATUS_LABELS = {PASS: _("Đạt"), FAIL: _("Không đạt"), WARNING: _("Lưu ý"), NOT_APPLICABLE: _("Không áp dụng")}


@dataclass
class Outcome:
    rule_id: str
    label: str
    status: str
    reason: str
    version_since: dt.date | None = None
    version_until: dt.date | None = None
    version_doc: str = ""
    references: list[Reference] = field(default_factory=list)
    parameters: list[ParameterValue] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def to_confirm(self) -> bool:
        return any(p.to_confirm for p in self.parameters)

    @property
    def blocks(self) -> bool:
        return self.status == FAIL

    def as_dict(self) -> dict:
        return {
            "rule": self.rule_id,
            "label": str(self.label),
            "status": self.status,
            "passed": self.status != FAIL,
            "reason": self.reason,
            "effective_from": self.version_since.isoformat() if self.version_since else None,
            "effective_until": self.version_until.isoformat() if self.version_until else None,
            "sources": [r.as_dict() for r in self.references],
            "parameters": [p.as_dict() for p in self.parameters],
            "values": json_value(self.values),
            "to_confirm": self.to_confirm,
        }


class Ctx:
    """What a rule version sees: the parameters as of the date, recording which ones it read."""

    def __init__(self, params: ParameterSet, on: dt.date):
        self.params = params
        self.on = on
        self.used: dict[str, ParameterValue] = {}

    def p(self, name: str, on: dt.date | None = None):
        value = self.params.at(name, on or self.on)
        self.used[name] = value
        return value.value


RuleResult = tuple[str, str, dict]


@dataclass(frozen=True)
class RuleVersion:
    since: dt.date | None
    until: dt.date | None  # last day in force, inclusive
    func: Callable[..., RuleResult]
    references: tuple[Reference, ...]

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    def covers(self, on: dt.date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)


class Rule:
    def __init__(self, rule_id: str, label: str):
        self.id = rule_id
        self.label = label
        self.versions: list[RuleVersion] = []

    def version(self, since: dt.date | None, until: dt.date | None = None, references: tuple[Reference, ...] = ()):
        def register(func):
            self.versions.append(RuleVersion(since, until, func, tuple(references)))
            self.versions.sort(key=lambda v: v.since or dt.date.min)
            return func

        return register

    def version_on(self, on: dt.date) -> RuleVersion | None:
        for version in self.versions:
            if version.covers(on):
                return version
        return None

    def evaluate(self, params: ParameterSet, on: dt.date, *args, **kwargs) -> Outcome:
        version = self.version_on(on)
        if version is None:
            first = self.versions[0].since if self.versions else None
            reason = (
                f"Quy định chưa có hiệu lực vào ngày {on:%d/%m/%Y} (áp dụng từ {first:%d/%m/%Y})."
                if first and on < first
                else f"Không có quy định có hiệu lực vào ngày {on:%d/%m/%Y}."
            )
            return Outcome(self.id, self.label, NOT_APPLICABLE, reason)
        ctx = Ctx(params, on)
        try:
            status, reason, values = version.func(ctx, *args, **kwargs)
        except ParameterNotInForce as exc:
            status, reason, values = NOT_APPLICABLE, str(exc) + ".", {}
        references: list[Reference] = list(version.references)
        for used in ctx.used.values():
            references.extend(r for r in used.references if r not in references)
        return Outcome(
            rule_id=self.id,
            label=self.label,
            status=status,
            reason=reason,
            version_since=version.since,
            version_until=version.until,
            version_doc=version.doc,
            references=references,
            parameters=list(ctx.used.values()),
            values=values,
        )


RULES: dict[str, Rule] = {}


def rule(rule_id: str, label: str) -> Rule:
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} registered twice")
    RULES[rule_id] = Rule(rule_id, label)
    return RULES[rule_id]
