"""Violations in a unit and its subtree on a date, each naming its rule and sources.

Checks: local secretaries/chairmen where the targets require non-local; a standing committee
without a woman; women or under-40 shares below target (committees, councils, key cadres,
planning lists; "at least N%" is met at N%, "more than N%" is not); kinship conflicts;
over-filled seats; planned people who became ineligible; plan entries overdue for their yearly
review; holders of a post whose last confidence vote calls for relief or dismissal; more HTXS
than the allowed share of HTT.

Everything is read in bulk (a few queries grouped by unit path, people's facts by chunks), so a
200,000-person province is checked in one pass. A reform (draft parameter values) runs the same
check in memory with other values; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from canbo.common.dates import years_between
from canbo.evaluation.models import AnnualGrade, ConfidenceVote, Grade
from canbo.org.models import PARTY_KINDS, ManagingBody, Position, Title, UnitKind
from canbo.people.models import Assignment, Person, Relation
from canbo.planning.models import SuccessionPlanEntry, SuccessionPlanReview

from .eligibility import d, low_confidence, planning_outcomes, planning_review_due, relation_label
from .facts import TargetSeat, chunked, conflict_groups_for, load_people_facts
from .locality import AreaIndex, PlaceFacts, local_reasons
from .models import LocalTarget
from .params import (
    ParameterNotInForce,
    ParameterSet,
    ParameterValue,
    Reference,
    default_parameters,
    json_value,
)
from .rules.base import FAIL
from .rules.base import WARNING as RULE_WARNING
from .structure import STEPLEN, TitleRoles, UnitIndex, path_prefixes
from .targets import TARGET_UNITS, TARGETS

RULES = {
    "compliance.non_local_heads": (
        _("Bí thư, Chủ tịch UBND không là người địa phương theo chỉ tiêu"),
        (Reference("Quy định 65-QĐ/TW ngày 28/4/2022", "bố trí cán bộ không phải người địa phương"),
         Reference("Chỉ thị 45-CT/TW ngày 14/4/2025", "bố trí bí thư cấp ủy không là người địa phương")),
    ),
    "compliance.standing_committee_woman": (
        _("Ban thường vụ cấp ủy có cán bộ nữ"),
        (Reference("Nghị quyết của Tỉnh ủy về công tác cán bộ (tài liệu nguồn 003)", "phải có nữ trong ban thường vụ cấp ủy"),),
    ),
    "compliance.women_share": (
        _("Tỷ lệ cán bộ nữ đạt chỉ tiêu"),
        (Reference("Quy định 50-QĐ/TW → 377-QĐ/TW", "cơ cấu quy hoạch"),
         Reference("Nghị quyết địa phương về cơ cấu cán bộ", "chỉ tiêu nữ")),
    ),
    "compliance.under_40_share": (
        _("Tỷ lệ cán bộ trẻ (dưới 40 tuổi) đạt chỉ tiêu"),
        (Reference("Quy định 50-QĐ/TW → 377-QĐ/TW", "cơ cấu quy hoạch"),
         Reference("Nghị quyết địa phương về cơ cấu cán bộ", "chỉ tiêu cán bộ trẻ")),
    ),
    "compliance.kinship": (
        _("Người có quan hệ gia đình cùng giữ chức vụ không được cùng đảm nhiệm"),
        (Reference("Quy định 205-QĐ/TW (2019) → Quy định 114-QĐ/TW (2023)", "các chức vụ không được cùng đảm nhiệm"),),
    ),
    "compliance.seat_overfilled": (
        _("Vị trí có nhiều người hơn số lượng"),
        (Reference("Quyết định về cơ cấu, số lượng lãnh đạo của đơn vị", "số lượng người của vị trí"),),
    ),
    "compliance.planned_ineligible": (
        _("Người trong quy hoạch không còn đủ điều kiện"),
        (Reference("Quy định 50-QĐ/TW → 377-QĐ/TW", "đưa ra khỏi quy hoạch"),),
    ),
    "compliance.plan_review_overdue": (
        _("Quy hoạch quá hạn rà soát hằng năm"),
        (Reference("Quy định 50-QĐ/TW → 377-QĐ/TW", "rà soát, bổ sung quy hoạch hằng năm"),),
    ),
    "compliance.confidence_low_in_post": (
        _("Người đang giữ chức vụ có phiếu tín nhiệm thấp phải xem xét cho thôi chức vụ hoặc miễn nhiệm"),
        (Reference("Quy định 96-QĐ/TW ngày 02/02/2023", "sử dụng kết quả lấy phiếu tín nhiệm"),
         Reference("Quy định 41-QĐ/TW (2021) → Quy định 377-QĐ/TW (2025)", "cho thôi giữ chức vụ, miễn nhiệm")),
    ),
    "compliance.excellent_ratio": (
        _("Số HTXS không vượt tỷ lệ cho phép so với số HTT"),
        (Reference("Quy định 366-QĐ/TW (2025); Nghị định 335/2025/NĐ-CP", "tỷ lệ hoàn thành xuất sắc nhiệm vụ"),),
    ),
}  # fmt: skip
VIOLATION, WARNING = "violation", "warning"


@dataclass
class Finding:
    rule_id: str
    unit_id: int
    unit_name: str
    unit_path: str
    severity: str
    message: str
    people: list[tuple[int, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.rule_id, self.unit_id, tuple(sorted(p for p, _n in self.people)), self.values.get("target_key"))

    def as_dict(self) -> dict:
        return {
            "rule": self.rule_id,
            "unit": {"id": self.unit_id, "name": self.unit_name},
            "severity": self.severity,
            "message": self.message,
            "people": [{"id": pid, "name": name} for pid, name in self.people],
            "values": json_value(self.values),
        }


@dataclass
class ComplianceReport:
    root_id: int
    root_name: str
    root_path: str
    on: dt.date
    findings: list[Finding] = field(default_factory=list)
    parameters: dict[str, dict[str, ParameterValue]] = field(default_factory=lambda: defaultdict(dict))
    local_sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    reform: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {rule_id: 0 for rule_id in RULES}
        for finding in self.findings:
            counts[finding.rule_id] += 1
        return counts

    def references(self, rule_id: str) -> list[Reference]:
        refs = list(RULES[rule_id][1])
        for value in self.parameters.get(rule_id, {}).values():
            refs.extend(r for r in value.references if r not in refs)
        refs.extend(Reference(s, "chỉ tiêu địa phương") for s in sorted(self.local_sources.get(rule_id, ())))
        return refs

    def rollup(self, children: list[tuple[int, str, str]]) -> list[dict]:
        """Counts per rule for each child unit's subtree (and the root's own findings)."""
        rows = {path: {"id": uid, "name": name, "path": path, "counts": dict.fromkeys(RULES, 0), "total": 0}
                for uid, name, path in children}  # fmt: skip
        own = {"id": self.root_id, "name": self.root_name, "path": self.root_path, "counts": dict.fromkeys(RULES, 0),
               "total": 0, "own": True}  # fmt: skip
        depth = len(self.root_path) + STEPLEN
        for finding in self.findings:
            row = rows.get(finding.unit_path[:depth]) if len(finding.unit_path) >= depth else None
            row = row or own
            row["counts"][finding.rule_id] += 1
            row["total"] += 1
        return [own, *rows.values()]

    def as_dict(self) -> dict:
        counts = self.counts()
        return {
            "unit": {"id": self.root_id, "name": self.root_name},
            "date": self.on.isoformat(),
            "reform": json_value(self.reform),
            "total": len(self.findings),
            "rules": [
                {
                    "id": rule_id,
                    "label": str(label),
                    "count": counts[rule_id],
                    "sources": [r.as_dict() for r in self.references(rule_id)],
                    "parameters": [p.as_dict() for p in self.parameters.get(rule_id, {}).values()],
                    "findings": [f.as_dict() for f in self.findings if f.rule_id == rule_id],
                }
                for rule_id, (label, _refs) in RULES.items()
            ],
        }


@dataclass(frozen=True)
class TargetValue:
    key: str
    value: float
    scope_path: str
    due_on: dt.date | None
    source: str
    parameter: ParameterValue | None = None


class Targets:
    """The target in force for a unit: nearest local resolution at or above it, else the
    national parameter; a reform overrides both (in memory)."""

    def __init__(self, root_path: str, on: dt.date, params: ParameterSet):
        self.root_path, self.on, self.params = root_path, on, params
        rows = (
            LocalTarget.objects.filter(effective_from__lte=on)
            .filter(
                Q(resolution__scope_unit__path__in=path_prefixes(root_path))
                | Q(resolution__scope_unit__path__startswith=root_path)
            )
            .order_by("effective_from", "id")
            .values_list("key", "value", "due_on", "resolution__scope_unit__path", "resolution__code", "resolution__issuer")
        )
        self.local: dict[tuple[str, str], TargetValue] = {}
        for key, value, due_on, scope_path, code, issuer in rows:
            # Later effective dates overwrite earlier ones: the value in force on the date.
            self.local[(scope_path, key)] = TargetValue(key, float(value), scope_path, due_on, f"{code} ({issuer})")

    def for_path(self, key: str, path: str) -> TargetValue | None:
        found = None
        for prefix in reversed(path_prefixes(path)):
            found = self.local.get((prefix, key))
            if found:
                break
        if found is None and key in self.params:
            try:
                pv = self.params.at(key, self.on)
            except ParameterNotInForce:
                pv = None
            if pv is not None:
                found = TargetValue(key, float(pv.value), self.root_path, None, str(pv.references[0]), pv)
        if key in self.params.overrides:
            scope = found.scope_path if found else self.root_path
            found = TargetValue(key, float(self.params.overrides[key]), scope, None, "Dự thảo thay đổi (chưa lưu)")
        return found

    def group_path(self, target: TargetValue) -> str:
        """Members are grouped per scope; a scope above the checked unit is counted within it."""
        return target.scope_path if target.scope_path.startswith(self.root_path) else self.root_path


class Holding(NamedTuple):
    """A current holder of a seat (a tuple: built by the hundred thousand in a full check)."""

    person_id: int
    position_id: int
    unit_id: int
    title_id: int
    is_key_post: bool
    sex: str
    birth_date: dt.date
    full_name: str


class ComplianceCheck:
    def __init__(self, root, on: dt.date, params: ParameterSet):
        self.root, self.on, self.params = root, on, params
        self.report = ComplianceReport(root.pk, root.name, root.path, on, reform=dict(params.overrides))
        self.units = UnitIndex.load(subtree=root.path)
        self.targets = Targets(root.path, on, params)
        self.roles = TitleRoles(self.param("compliance.kinship", "titles.roles"))
        self.titles = {t["id"]: t for t in Title.objects.values("id", "code", "name", "rank", "is_head", "is_leadership", "managing_body")}
        self._title_roles: dict[tuple[int, int], frozenset[str]] = {}
        self.holdings = self._load_holdings()

    # Helpers -------------------------------------------------------------------------------
    def param(self, rule_id: str, name: str, on: dt.date | None = None):
        value = self.params.at(name, on or self.on)
        self.report.parameters[rule_id][name] = value
        return value.value

    def add(self, rule_id: str, unit_path: str, message: str, *, severity=VIOLATION, people=(), **values) -> None:
        unit = self.units.by_path.get(unit_path) or self.units.by_path[self.root.path]
        self.report.findings.append(
            Finding(rule_id, unit.id, unit.name, unit.path, severity, message, list(people), values)
        )

    def roles_of(self, holding: Holding) -> frozenset[str]:
        key = (holding.title_id, holding.unit_id)
        if key not in self._title_roles:
            title = self.titles[holding.title_id]
            unit = self.units.by_id.get(holding.unit_id)
            self._title_roles[key] = self.roles.roles(title["code"], title["is_head"], unit.search_name if unit else "")
        return self._title_roles[key]

    def path_of(self, holding: Holding) -> str:
        return self.units.by_id[holding.unit_id].path

    def age(self, birth: dt.date) -> int:
        return years_between(birth, self.on)

    def _load_holdings(self) -> list[Holding]:
        """Current holders of leadership seats and of any seat with a role in the rules."""
        role_codes = set().union(*self.roles.codes_by_role.values()) if self.roles.codes_by_role else set()
        relevant = [tid for tid, t in self.titles.items() if t["is_leadership"] or t["code"] in role_codes]
        rows = Assignment.objects.filter(
            Assignment.current_on_q(self.on), position__unit__path__startswith=self.root.path, position__title_id__in=relevant
        ).order_by().values_list(
            "person_id", "position_id", "position__unit_id", "position__title_id", "position__is_key_post",
            "person__sex", "person__birth_date", "person__full_name",
        )  # fmt: skip
        return [Holding(*row) for row in rows]

    def severity(self, target: TargetValue) -> str:
        return WARNING if target.due_on and self.on < target.due_on else VIOLATION

    def note_target(self, rule_id: str, target: TargetValue) -> None:
        if target.parameter is not None:
            self.report.parameters[rule_id][target.key] = target.parameter
        elif target.source:
            self.report.local_sources[rule_id].add(target.source)

    def share_check(self, rule_id: str, key: str, members, is_ok, describe) -> None:
        """Group `members` (path, person id, name, …) by the scope of their target; flag each
        group whose share of `is_ok` members is below the target."""
        groups: dict[str, list] = defaultdict(list)
        targets: dict[str, TargetValue] = {}
        for member in members:
            target = self.targets.for_path(key, member[0])
            if target is None:
                continue
            group = self.targets.group_path(target)
            groups[group].append(member)
            targets[group] = target
        for group, group_members in groups.items():
            target = targets[group]
            self.note_target(rule_id, target)
            ok = [m for m in group_members if is_ok(m)]
            share = len(ok) / len(group_members)
            kind = TARGETS[key]
            if not kind.met(share, target.value):
                not_ok = [(m[1], m[2]) for m in group_members if not is_ok(m)]
                due = f", thời hạn {target.due_on:%d/%m/%Y}" if target.due_on else ""
                self.add(
                    rule_id, group,
                    f"{describe}: {len(ok)}/{len(group_members)} ({share:.0%}) chưa đạt chỉ tiêu {kind.wording(target.value)} "
                    f"({target.source}{due}).",
                    severity=self.severity(target), people=not_ok, target_key=key, target=target.value,
                    actual=round(share, 4), members=len(group_members), satisfying=len(ok),
                )  # fmt: skip

    # Checks --------------------------------------------------------------------------------
    def run(self) -> ComplianceReport:
        checks = (
            self.check_non_local_heads, self.check_committees, self.check_councils, self.check_under_40,
            self.check_kinship, self.check_overfilled, self.check_planning, self.check_confidence_in_post,
            self.check_excellent_ratio,
        )  # fmt: skip
        for check in checks:
            try:
                check()
            except ParameterNotInForce:
                continue  # a date before the text the check reads: nothing to check against
        return self.report

    def check_non_local_heads(self) -> None:
        rule_id = "compliance.non_local_heads"
        policy = self.param(rule_id, "heads.non_local_policy")
        heads = []
        for h in self.holdings:
            roles = self.roles_of(h)
            if not roles & {"secretary", "people_committee_chair"}:
                continue
            path = self.path_of(h)
            unit = self.units.by_path[path]
            if "secretary" in roles and unit.kind not in PARTY_KINDS:
                continue
            if "people_committee_chair" in roles and "secretary" not in roles and unit.kind != UnitKind.PEOPLES_COMMITTEE:
                continue
            level, area_id = self.units.territorial_level(path)
            if level is None:
                continue
            if level == "province" and "province" in policy["levels"]:
                key = "targets.non_local.provincial_heads"
            elif level == "commune" and "commune" in policy["levels"]:
                key = "targets.non_local.commune_heads"
            elif level == "district" and "secretary" in roles:
                key = "targets.non_local.district_secretaries"
            else:
                continue
            heads.append((key, path, h, area_id))
        if not heads:
            return
        places = {
            row[0]: PlaceFacts(*row[1:])
            for row in Person.objects.filter(pk__in={h.person_id for _k, _p, h, _a in heads}).order_by().values_list(
                "id", "hometown_id", "birthplace_id", "residence_id", "residence_since"
            )
        }
        self.param(rule_id, "local_person.criteria")
        self.param(rule_id, "local_person.residence_min_years")
        areas = AreaIndex()
        for key in ("targets.non_local.provincial_heads", "targets.non_local.district_secretaries", "targets.non_local.commune_heads"):
            members = []
            for k, path, h, area_id in heads:
                if k != key:
                    continue
                reasons = local_reasons(places[h.person_id], area_id, self.on, self.params, areas) if area_id else []
                members.append((path, h.person_id, h.full_name, reasons))
            if members:
                self.share_check(
                    rule_id, key, members, is_ok=lambda m: not m[3],
                    describe=f"{TARGETS[key].label}; không là người địa phương",
                )  # fmt: skip

    def _committee_members(self, role: str) -> dict[str, list[Holding]]:
        by_committee: dict[str, dict[int, Holding]] = defaultdict(dict)
        for h in self.holdings:
            if role in self.roles_of(h):
                committee = self.units.committee_of(self.path_of(h))
                if committee is not None:
                    by_committee[committee.path][h.person_id] = h
        return {path: list(people.values()) for path, people in by_committee.items()}

    def check_committees(self) -> None:
        key_count = "targets.women.standing_committee_min_count"
        for path, members in self._committee_members("standing_member").items():
            target = self.targets.for_path(key_count, path)
            if target is None:
                continue
            self.note_target("compliance.standing_committee_woman", target)
            women = sum(1 for m in members if m.sex == "F")
            if women < target.value:
                self.add(
                    "compliance.standing_committee_woman", path,
                    f"Ban thường vụ có {len(members)} người, {women} nữ (tối thiểu {int(target.value)}; {target.source}).",
                    severity=self.severity(target), people=[(m.person_id, m.full_name) for m in members],
                    target_key=key_count, target=target.value, women=women, members=len(members),
                )  # fmt: skip
        self._check_women_share(self._committee_members("committee_member"), "targets.women.committee", "Nữ cấp ủy viên")

    def check_councils(self) -> None:
        key = "targets.women.council_delegates"
        by_council: dict[str, list[Holding]] = defaultdict(list)
        for h in self.holdings:
            if "council_delegate" in self.roles_of(h):
                by_council[self.path_of(h)].append(h)
        self._check_women_share(by_council, key, "Nữ đại biểu HĐND")

    def _check_women_share(self, groups: dict[str, list[Holding]], key: str, who: str) -> None:
        """The women's share of each group (a committee, a council) against the target `key`."""
        for path, members in groups.items():
            target = self.targets.for_path(key, path)
            if target is None:
                continue
            self.note_target("compliance.women_share", target)
            women = [m for m in members if m.sex == "F"]
            share = len(women) / len(members)
            kind = TARGETS[key]
            if not kind.met(share, target.value):
                self.add(
                    "compliance.women_share", path,
                    f"{who} {len(women)}/{len(members)} ({share:.0%}) chưa đạt chỉ tiêu {kind.wording(target.value)} ({target.source}).",
                    severity=self.severity(target), people=[(m.person_id, m.full_name) for m in women],
                    target_key=key, target=target.value, actual=round(share, 4), members=len(members),
                )  # fmt: skip

    def check_under_40(self) -> None:
        rule_id = "compliance.under_40_share"
        managed, district_key = {}, {}
        for h in self.holdings:
            path = self.path_of(h)
            title = self.titles[h.title_id]
            if title["managing_body"] == ManagingBody.PROVINCIAL_STANDING:
                managed[h.person_id] = (path, h.person_id, h.full_name, h.birth_date)
            if self.units.level_of(path) == "district" and (h.is_key_post or "standing_member" in self.roles_of(h)):
                district_key[h.person_id] = (path, h.person_id, h.full_name, h.birth_date)

        def young(member) -> bool:
            return self.age(member[3]) < 40  # the targets say "dưới 40 tuổi"

        self.share_check(rule_id, "targets.under_40.provincial_managed", managed.values(), young,
                         "Cán bộ dưới 40 tuổi thuộc diện Ban Thường vụ Tỉnh ủy quản lý")  # fmt: skip
        self.share_check(rule_id, "targets.under_40.district_key_cadres", district_key.values(), young,
                         "Cán bộ chủ chốt, ủy viên ban thường vụ cấp huyện dưới 40 tuổi")  # fmt: skip

    def check_kinship(self) -> None:
        rule_id = "compliance.kinship"
        kinds = set(self.param(rule_id, "kinship.relations"))
        groups = self.param(rule_id, "kinship.conflict_groups")
        # person → [(group id, scope path, roles in group, roles in "with", seat label)]
        memberships: dict[int, list] = defaultdict(list)
        names: dict[int, str] = {}
        groups_of: dict[frozenset, list] = {}
        for h in self.holdings:
            roles = self.roles_of(h)
            if not roles:
                continue
            if roles not in groups_of:
                groups_of[roles] = conflict_groups_for(roles, groups)
            if not groups_of[roles]:
                continue
            path = self.path_of(h)
            for group, _peer_roles in groups_of[roles]:
                if group["scope"] == "unit":
                    scope = path
                else:
                    committee = self.units.committee_of(path)
                    if committee is None:
                        continue
                    scope = committee.path
                in_roles = bool(roles & set(group["roles"]))
                in_with = bool(roles & set(group.get("with") or ()))
                title = self.titles[h.title_id]["name"]
                memberships[h.person_id].append((group, scope, in_roles, in_with, f"{title} – {self.units.by_path[path].name}"))
                names[h.person_id] = h.full_name
        if len(memberships) < 2:
            return
        holder = Assignment.objects.filter(
            Assignment.current_on_q(self.on), position__unit__path__startswith=self.root.path
        )
        relations = Relation.objects.filter(
            Exists(holder.filter(person=OuterRef("person"))), Exists(holder.filter(person=OuterRef("relative"))),
            kind__in=kinds,
        ).order_by().values_list("person_id", "relative_id", "kind")  # fmt: skip
        for a, b, kind in relations:
            # One finding per pair, naming every group in which their seats clash.
            clashes = {}
            for ga, scope_a, roles_a, with_a, seat_a in memberships.get(a, ()):
                for gb, scope_b, roles_b, with_b, seat_b in memberships.get(b, ()):
                    if ga["id"] != gb["id"] or scope_a != scope_b:
                        continue
                    clash = (roles_a and roles_b) if not ga.get("with") else (roles_a and with_b) or (with_a and roles_b)
                    if clash:
                        clashes.setdefault(ga["id"], (scope_a, seat_a, seat_b))
            if clashes:
                scope, seat_a, seat_b = min(clashes.values(), key=lambda c: len(c[0]))
                self.add(
                    rule_id, scope,
                    f"{names[b]} ({relation_label(kind)} của {names[a]}) cùng giữ chức vụ: {seat_a}; {seat_b}.",
                    people=[(a, names[a]), (b, names[b])], groups=sorted(clashes), relation=kind,
                )  # fmt: skip

    def check_overfilled(self) -> None:
        rule_id = "compliance.seat_overfilled"
        current = Assignment.current_on_q(self.on, "assignments__")
        seats = (
            Position.objects.filter(unit__path__startswith=self.root.path)
            .annotate(held=Count("assignments", filter=current))
            .filter(held__gt=F("seat_count"))
            .order_by()
            .values_list("id", "unit__path", "title__name", "seat_count", "held")
        )
        seats = list(seats)
        if not seats:
            return
        holders = defaultdict(list)
        for position_id, person_id, name in Assignment.objects.filter(
            Assignment.current_on_q(self.on), position_id__in=[s[0] for s in seats]
        ).order_by().values_list("position_id", "person_id", "person__full_name"):
            holders[position_id].append((person_id, name))
        for position_id, path, title, seat_count, held in seats:
            self.add(
                rule_id, path, f"Vị trí «{title}» có {held} người, vượt số lượng {seat_count}.",
                people=holders[position_id], position_id=position_id, seat_count=seat_count, held=held,
            )  # fmt: skip

    def check_planning(self) -> None:
        entries = list(
            SuccessionPlanEntry.objects.filter(SuccessionPlanEntry.active_on_q(self.on), unit__path__startswith=self.root.path)
            .order_by()
            .values_list("id", "person_id", "title_id", "unit_id", "unit__path", "term", "approved_on")
        )
        if not entries:
            return
        facts = load_people_facts({e[1] for e in entries}, self.on, self.params)
        last_review = self._last_plan_reviews([e[0] for e in entries])
        rule_id = "compliance.planned_ineligible"
        for entry_id, person_id, title_id, unit_id, unit_path, term, approved_on in entries:
            title = self.titles[title_id]
            unit = self.units.by_path.get(unit_path)
            seat = TargetSeat(
                position_id=0, seat_count=0, unit_id=unit_id, unit_path=unit_path, unit_name=unit.name if unit else "",
                unit_search_name=unit.search_name if unit else "", title_id=title_id, title_code=title["code"],
                title_name=title["name"], title_rank=title["rank"], is_head=title["is_head"],
                is_leadership=title["is_leadership"], managing_body=title["managing_body"], plan_approved_on=approved_on,
                plan_last_review=last_review.get(entry_id),
            )  # fmt: skip
            person = facts[person_id]
            self._check_plan_review(entry_id, person, seat, term)
            failed = [o for o in planning_outcomes(person, seat, self.on, term, self.params) if o.status == FAIL]
            if failed:
                for outcome in failed:
                    for pv in outcome.parameters:
                        self.report.parameters[rule_id].setdefault(pv.name, pv)
                self.add(
                    rule_id, unit_path,
                    f"{person.full_name} (quy hoạch {title['name']}, nhiệm kỳ {term}): "
                    + " ".join(f"{o.label}: {o.reason}" for o in failed),
                    people=[(person_id, person.full_name)], plan_entry=entry_id, rules=[o.rule_id for o in failed],
                )  # fmt: skip
        # Structure of the planning lists: women and young people (distinct people per scope).
        people = {}
        for _e, person_id, _t, _u, unit_path, _term, _approved in entries:
            person = facts[person_id]
            people[person_id] = (unit_path, person_id, person.full_name, person.sex, person.birth_date)
        young_under = self.param("compliance.under_40_share", "planning.targets.young_age_under")
        self.share_check("compliance.women_share", "planning.targets.women_share", people.values(),
                         lambda m: m[3] == "F", "Cán bộ nữ trong danh sách quy hoạch")  # fmt: skip
        self.share_check("compliance.under_40_share", "planning.targets.young_share", people.values(),
                         lambda m: self.age(m[4]) < young_under, f"Cán bộ dưới {young_under} tuổi trong danh sách quy hoạch")  # fmt: skip

    def _last_plan_reviews(self, entry_ids: list[int]) -> dict[int, tuple[dt.date, bool]]:
        """The latest yearly review of each entry on or before the date (ordered, so the last row wins)."""
        result: dict[int, tuple[dt.date, bool]] = {}
        for ids in chunked(entry_ids):
            rows = SuccessionPlanReview.objects.filter(entry_id__in=ids, reviewed_on__lte=self.on).order_by("reviewed_on", "id")
            for entry_id, reviewed_on, meets in rows.values_list("entry_id", "reviewed_on", "meets_standards"):
                result[entry_id] = (reviewed_on, meets)
        return result

    def _check_plan_review(self, entry_id: int, person, seat: TargetSeat, term: str) -> None:
        rule_id = "compliance.plan_review_overdue"
        outcome = planning_review_due.evaluate(self.params, self.on, person, seat, "plan", term)
        for pv in outcome.parameters:
            self.report.parameters[rule_id].setdefault(pv.name, pv)
        if outcome.status == RULE_WARNING:
            self.add(
                rule_id, seat.unit_path,
                f"{person.full_name} (quy hoạch {seat.title_name}, nhiệm kỳ {term}): {outcome.reason}",
                severity=VIOLATION, people=[(person.id, person.full_name)], plan_entry=entry_id,
                review_due=outcome.values["review_due"],
            )  # fmt: skip

    def check_confidence_in_post(self) -> None:
        """Holders of a leadership seat whose last valid confidence vote, held while in that seat,
        has more than 1/2 low votes (relief from post to be considered: a warning) or at least
        2/3 (dismissal: a violation) — Quy định 96-QĐ/TW; the consequence is not only for planning."""
        rule_id = "compliance.confidence_low_in_post"
        try:
            self.param(rule_id, "confidence.min_attendance_share")
        except ParameterNotInForce:
            return
        in_post: dict[int, list[Holding]] = defaultdict(list)
        for h in self.holdings:
            if self.titles[h.title_id]["is_leadership"]:
                in_post[h.person_id].append(h)
        if not in_post:
            return
        starts = defaultdict(lambda: dt.date.max)
        rows = Assignment.objects.filter(
            Assignment.current_on_q(self.on), position__unit__path__startswith=self.root.path, position__title__is_leadership=True
        ).order_by().values_list("person_id", "start_date")
        for person_id, start in rows:
            starts[person_id] = min(starts[person_id], start)
        votes: dict[int, list] = defaultdict(list)
        for ids in chunked(list(in_post)):
            for row in (
                ConfidenceVote.objects.filter(person_id__in=ids, held_on__lte=self.on)
                .order_by("held_on", "id")
                .values_list("person_id", "held_on", "eligible_voters", "attendance", "votes_high", "votes_confident", "votes_low")
            ):
                votes[row[0]].append(row[1:])
        for person_id, person_votes in votes.items():
            found = low_confidence(self.params, self.on, [v for v in person_votes if v[0] >= starts[person_id]])
            if found is None:
                continue
            consequence, vote, parameters = found
            for pv in parameters:
                self.report.parameters[rule_id].setdefault(pv.name, pv)
            holding = in_post[person_id][0]
            held_on, _eligible, _present, high, confident, low = vote
            label = "miễn nhiệm" if consequence == "dismissal" else "xem xét cho thôi giữ chức vụ"
            seat = f"{self.titles[holding.title_id]['name']} – {self.units.by_id[holding.unit_id].name}"
            self.add(
                rule_id, self.path_of(holding),
                f"{holding.full_name} ({seat}): phiếu tín nhiệm thấp {low}/{high + confident + low} ngày {d(held_on)}: {label}.",
                severity=VIOLATION if consequence == "dismissal" else WARNING, people=[(person_id, holding.full_name)],
                consequence=consequence, held_on=held_on, low=low, votes=high + confident + low,
            )  # fmt: skip

    def check_excellent_ratio(self) -> None:
        rule_id = "compliance.excellent_ratio"
        grades = AnnualGrade.objects.filter(unit__path__startswith=self.root.path, year__lte=self.on.year)
        year = grades.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            return
        rows = (
            grades.filter(year=year, grade__in=[Grade.EXCELLENT, Grade.GOOD])
            .order_by()
            .values("unit_id", "unit__path", "unit__kind", "person__category", "grade")
            .annotate(n=Count("id"))
        )
        counts: dict[tuple, dict[str, int]] = defaultdict(lambda: {Grade.EXCELLENT: 0, Grade.GOOD: 0})
        for row in rows:
            counts[(row["unit__path"], row["unit__kind"], row["person__category"])][row["grade"]] = row["n"]
        year_end = dt.date(year, 12, 31)
        for (path, kind, category), n in counts.items():
            name = "grading.excellent_ratio_party" if kind in PARTY_KINDS else "grading.excellent_ratio_state"
            try:
                ratio = self.param(rule_id, name, year_end)
            except ParameterNotInForce:
                continue
            allowed = Decimal(str(ratio)) * n[Grade.GOOD]
            if n[Grade.EXCELLENT] > allowed:
                self.add(
                    rule_id, path,
                    f"Năm {year}, nhóm {category}: {n[Grade.EXCELLENT]} HTXS so với {n[Grade.GOOD]} HTT "
                    f"(tối đa {ratio:.0%} số HTT = {float(allowed):g}).",
                    year=year, category=category, excellent=n[Grade.EXCELLENT], good=n[Grade.GOOD], ratio=ratio,
                )  # fmt: skip


def check_unit(root, on: dt.date, *, params: ParameterSet | None = None) -> ComplianceReport:
    return ComplianceCheck(root, on, params or default_parameters()).run()


def reform_keys() -> dict[str, str]:
    """Keys a reform may set besides YAML parameters (the local target catalogue), with their unit."""
    return TARGET_UNITS


def diff_reports(base: ComplianceReport, reformed: ComplianceReport) -> dict:
    """Counts per rule before/after and the findings that appear or disappear."""
    base_keys = {f.key(): f for f in base.findings}
    new_keys = {f.key(): f for f in reformed.findings}
    base_counts, new_counts = base.counts(), reformed.counts()
    return {
        "counts": [
            {"rule": rule_id, "label": str(RULES[rule_id][0]), "before": base_counts[rule_id], "after": new_counts[rule_id]}
            for rule_id in RULES
        ],
        "added": [f for k, f in new_keys.items() if k not in base_keys],
        "removed": [f for k, f in base_keys.items() if k not in new_keys],
    }
