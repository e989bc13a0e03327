"""Eligibility of a person for an action (plan, appoint, rotate, renominate, second) to a seat
on a date: yes or no, with every rule that decided it (id, label, legal source, effective
dates, the values used, pass/fail and why). Each rule below is registered with its dated
versions; a version's docstring says what changed with the regulation that introduced it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from canbo.discipline.models import DisciplineForm, ReviewOutcome
from canbo.evaluation.models import Grade
from canbo.people.catalogues import RelationKind
from canbo.planning.models import parse_term, term_containing

from .calendar import add_months, format_years_months
from .facts import PersonFacts, TargetSeat, conflict_peers, load_people_facts, load_target_seat
from .params import ParameterNotInForce, ParameterSet, Reference, default_parameters
from .retirement import retirement_of
from .rules.base import FAIL, NOT_APPLICABLE, PASS, WARNING, Ctx, Outcome, RuleResult, rule
from .structure import TitleRoles, UnitIndex

ACTIONS = {
    "plan": _("Quy hoạch"),
    "appoint": _("Bổ nhiệm, chỉ định"),
    "rotate": _("Luân chuyển"),
    "renominate": _("Giới thiệu tái cử"),
    "second": _("Biệt phái"),
}
# Which actions a title allows, by how it is filled (parameter `titles.elected`).
ALLOWED_ACTIONS = {
    "party": {"plan", "appoint", "rotate", "renominate"},
    "state": {"plan", "appoint", "rotate"},
    "front": {"plan", "appoint", "rotate"},
    "appointed": {"plan", "appoint", "rotate", "second"},
    "staff": {"second"},
}
FILLING_LABELS = {
    "party": "chức danh do đại hội, cấp ủy bầu",
    "state": "chức danh do HĐND bầu",
    "front": "chức danh do đại hội Mặt trận, đoàn thể bầu",
    "appointed": "chức danh bổ nhiệm",
    "staff": "vị trí không phải lãnh đạo, quản lý",
}
SEAT_REFERENCE = Reference("Số lượng người của vị trí theo quyết định về cơ cấu, số lượng lãnh đạo của đơn vị", "")


class ActionNotAllowed(ValueError):
    """The action makes no sense for the title (e.g. seconding someone to an elected title)."""


def d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# Helpers the rules share ----------------------------------------------------------------------


def max_current_rank(person: PersonFacts) -> int | None:
    ranks = [s.title_rank for s in person.seats if s.is_leadership]
    return max(ranks) if ranks else None


def is_higher_post(person: PersonFacts, seat: TargetSeat) -> bool:
    """Higher than every leadership seat the person holds (catalogue ranks compare across levels)."""
    current = max_current_rank(person)
    return current is None or seat.title_rank > current


def is_first_appointment(person: PersonFacts, on: dt.date) -> bool:
    return not any(s.is_leadership and s.start_date < on for s in person.past_seats)


def to_higher_post(person: PersonFacts, seat: TargetSeat, action: str, on: dt.date) -> bool:
    """Whether the action puts the person in a higher post than the ones held: planning is always
    for a higher title (rule planning.higher_title); an appointment is higher when it is the first
    leadership post or outranks the posts held; a rotation or re-nomination when it outranks them."""
    if action == "plan":
        return True
    if action == "appoint" and is_first_appointment(person, on):
        return True
    return is_higher_post(person, seat)


def service_left(ctx: Ctx, person: PersonFacts, start: dt.date, minimum_param: str, purpose: str) -> RuleResult:
    minimum = ctx.p(minimum_param)
    # Retirement is read from the age parameter of the person's retirement year, not the date's.
    ctx.used[person.retirement.age_parameter.name] = person.retirement.age_parameter
    left = person.retirement.service_left_months(start)
    values = {
        "service_left_months": left,
        "minimum_months": minimum,
        "counted_from": start,
        "retirement_month": f"{person.retirement.year:04d}-{person.retirement.month:02d}",
        "retirement_age": format_years_months(person.retirement.age_months),
    }
    if left >= minimum:
        return PASS, f"Còn {left} tháng công tác tính từ {d(start)} (tối thiểu {minimum} tháng {purpose}).", values
    return FAIL, f"Chỉ còn {left} tháng công tác tính từ {d(start)}; cần tối thiểu {minimum} tháng {purpose}.", values


def planning_start(on: dt.date, term: str | None) -> dt.date:
    if not term:
        return on
    return max(on, dt.date(parse_term(term)[0], 1, 1))


# Service left -------------------------------------------------------------------------------

appointment_service_left = rule("service_left.appointment", _("Thời gian công tác còn lại khi bổ nhiệm lần đầu hoặc giữ chức vụ cao hơn"))


@appointment_service_left.version(dt.date(2021, 8, 1), dt.date(2022, 8, 17))
def appointment_service_left_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Kết luận 08-KL/TW (15/6/2021) and Hướng dẫn 06-HD/BTCTW (26/7/2021, applied from 1/8/2021):
    a first appointment or nomination, or one to a higher post, needs at least 60 months of service
    left, counted from the actual retirement age (Labour Code 2019, Decree 135/2020) on the day the
    organization board receives the dossier."""
    if not (is_first_appointment(person, ctx.on) or is_higher_post(person, seat)):
        return NOT_APPLICABLE, "Không phải bổ nhiệm lần đầu hoặc giữ chức vụ cao hơn.", {"current_rank": max_current_rank(person)}
    return service_left(ctx, person, ctx.on, "appointment.service_left_min_months", "khi bổ nhiệm lần đầu hoặc giữ chức vụ cao hơn")


@appointment_service_left.version(dt.date(2022, 8, 18), dt.date(2025, 10, 7))
def appointment_service_left_2022(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 80-QĐ/TW (18/8/2022): a first appointment or an appointment to a higher post needs
    at least 60 months of service left, counted from the day the dossier is received (the 2021
    conclusion's threshold and method, now in the regulation itself)."""
    return appointment_service_left_2021(ctx, person, seat, action, term)


@appointment_service_left.version(dt.date(2025, 10, 8))
def appointment_service_left_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (2025) replaced Quy định 80-QĐ/TW: the 60-month threshold is kept; the
    outcome now cites the new text (its dated parameter value), so answers for dates before and
    after the change name the regulation in force on each."""
    return appointment_service_left_2022(ctx, person, seat, action, term)


planning_service_left = rule("service_left.planning", _("Đủ tuổi công tác trọn một nhiệm kỳ khi quy hoạch"))


@planning_service_left.version(dt.date(2021, 12, 27), dt.date(2025, 10, 7))
def planning_service_left_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW (27/12/2021): a planned person must be able to serve a full term, counted
    from the later of the date and the start of the planned term."""
    return service_left(ctx, person, planning_start(ctx.on, term), "planning.service_left_min_months", "để công tác trọn một nhiệm kỳ")


@planning_service_left.version(dt.date(2025, 10, 8))
def planning_service_left_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (2025) took over the planning rules of Quy định 50-QĐ/TW: same full-term
    condition; the source cited changes with the dated parameter."""
    return planning_service_left_2021(ctx, person, seat, action, term)


rotation_service_left = rule("service_left.rotation", _("Còn ít nhất 10 năm công tác khi luân chuyển"))


@rotation_service_left.version(dt.date(2022, 4, 28))
def rotation_service_left_2022(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 65-QĐ/TW (28/4/2022): the rotated cadre has at least 10 years of service left."""
    return service_left(ctx, person, ctx.on, "rotation.service_left_min_months", "khi luân chuyển")


renomination_service_left = rule("service_left.renomination", _("Còn ít nhất 48 tháng công tác khi giới thiệu tái cử cấp ủy"))


@renomination_service_left.version(dt.date(2025, 4, 14))
def renomination_service_left_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Chỉ thị 45-CT/TW (14/4/2025): re-nomination to the committee needs 48 months left."""
    return service_left(ctx, person, ctx.on, "nomination.renomination_min_months", "khi tái cử cấp ủy")


first_entry_service_left = rule(
    "service_left.first_entry", _("Tham gia lần đầu cấp ủy, chính quyền, Mặt trận Tổ quốc phải đủ tuổi công tác trọn một nhiệm kỳ")
)
FIRST_ENTRY_BODIES = {"party": "cấp ủy", "state": "HĐND, UBND", "front": "Mặt trận Tổ quốc, đoàn thể"}


@first_entry_service_left.version(dt.date(2025, 4, 14))
def first_entry_service_left_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Chỉ thị 45-CT/TW (14/4/2025): whoever enters for the first time a party committee, the
    people's council and committee (chính quyền) or the Fatherland Front of a level needs a full
    term of service left. Someone already on the committee (party), or already holding an elected
    post of the council or people's committee (state) or of the front (front) of the same level,
    is not entering for the first time."""
    elected = ctx.p("titles.elected")
    body = next((group for group in FIRST_ENTRY_BODIES if seat.title_code in elected.get(group, ())), None)
    if body is None:
        return NOT_APPLICABLE, "Không phải chức danh bầu cử của cấp ủy, chính quyền, Mặt trận Tổ quốc.", {}
    if body == "party":
        members = TitleRoles(ctx.p("titles.roles")).codes(["committee_member"])
        inside = [s for s in person.seats if s.title_code in members and s.unit_id == seat.unit_id]
    else:
        target_level = seat.units.committee_of(seat.unit_path) if seat.units else None
        inside = [
            s for s in person.seats
            if s.title_code in elected.get(body, ())
            and (s.unit_id == seat.unit_id or (target_level is not None and seat.units.committee_of(s.unit_path) == target_level))
        ]  # fmt: skip
    name = FIRST_ENTRY_BODIES[body]
    if inside:
        return NOT_APPLICABLE, f"Đang giữ {inside[0].label()} ({name} cùng cấp): không phải tham gia lần đầu.", {"body": body}
    return service_left(ctx, person, ctx.on, "nomination.first_entry_min_months", f"khi tham gia {name} lần đầu")


# Planning -------------------------------------------------------------------------------------

planning_max_persons = rule("planning.max_persons", _("Mỗi chức danh quy hoạch không quá 3 người"))


@planning_max_persons.version(dt.date(2021, 12, 27))
def planning_max_persons_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: at most 3 people planned for one title (of one unit) per term."""
    limit = ctx.p("planning.max_persons_per_title")
    term = term or term_containing(ctx.on)
    others = seat.planned.get(term, set()) - {person.id}
    values = {"term": term, "planned_others": len(others), "limit": limit}
    if person.id in seat.planned.get(term, set()):
        return PASS, f"Cán bộ đã trong quy hoạch chức danh này nhiệm kỳ {term}.", values
    if len(others) < limit:
        return PASS, f"Chức danh đang có {len(others)} người trong quy hoạch nhiệm kỳ {term} (tối đa {limit}).", values
    return FAIL, f"Chức danh đã có {len(others)} người trong quy hoạch nhiệm kỳ {term} (tối đa {limit}).", values


planning_max_titles = rule("planning.max_titles", _("Mỗi người quy hoạch không quá 3 chức danh cùng cấp"))


@planning_max_titles.version(dt.date(2021, 12, 27))
def planning_max_titles_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: one person is planned for at most 3 titles at the same level."""
    limit = ctx.p("planning.max_titles_per_person")
    term = term or term_containing(ctx.on)
    level = seat.level(seat.unit_path)
    same_level = {
        (p.unit_id, p.title_id)
        for p in person.plans
        if p.active_on(ctx.on) and p.term == term and seat.level(p.unit_path) == level
    } - {(seat.unit_id, seat.title_id)}
    values = {"term": term, "titles_same_level": len(same_level), "limit": limit}
    if len(same_level) < limit:
        return PASS, f"Đang quy hoạch {len(same_level)} chức danh cùng cấp nhiệm kỳ {term} (tối đa {limit}).", values
    return FAIL, f"Đã quy hoạch {len(same_level)} chức danh cùng cấp nhiệm kỳ {term} (tối đa {limit}).", values


planning_higher_title = rule("planning.higher_title", _("Chỉ quy hoạch vào chức danh cao hơn"))


@planning_higher_title.version(dt.date(2021, 12, 27))
def planning_higher_title_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: planning is for titles higher than the one held."""
    if not ctx.p("planning.only_higher_titles"):
        return NOT_APPLICABLE, "Không áp dụng.", {}
    current = max_current_rank(person)
    values = {"current_rank": current, "target_rank": seat.title_rank}
    if is_higher_post(person, seat):
        return PASS, "Chức danh quy hoạch cao hơn chức vụ đang đảm nhiệm.", values
    return FAIL, "Chức danh quy hoạch không cao hơn chức vụ đang đảm nhiệm.", values


planning_removal_discipline = rule("planning.removal_discipline", _("Bị kỷ luật từ khiển trách trở lên sau khi được quy hoạch"))


@planning_removal_discipline.version(dt.date(2021, 12, 27))
def planning_removal_discipline_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: a planned person disciplined (reprimand or above) is taken out of
    planning; applies to an existing entry, from its approval date."""
    if seat.plan_approved_on is None:
        return NOT_APPLICABLE, "Chỉ áp dụng với người đã có trong quy hoạch.", {}
    forms = set(ctx.p("planning.removal_discipline_forms"))
    since = [(side, form, day) for side, form, day in person.discipline if form in forms and day >= seat.plan_approved_on]
    if since:
        side, form, day = since[-1]
        return FAIL, f"Bị kỷ luật {form_label(form)} ngày {d(day)}, sau khi được quy hoạch ({d(seat.plan_approved_on)}).", {
            "form": form, "decided_on": day, "plan_approved_on": seat.plan_approved_on,
        }  # fmt: skip
    return PASS, "Không bị kỷ luật kể từ khi được quy hoạch.", {"plan_approved_on": seat.plan_approved_on}


planning_standards = rule("planning.standards", _("Rà soát quy hoạch: còn đáp ứng tiêu chuẩn chức danh"))


@planning_standards.version(dt.date(2021, 12, 27), dt.date(2025, 10, 7))
def planning_standards_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: planning is reviewed every year and whoever no longer meets the title's
    standards is taken out; reads the latest yearly review of the entry on or before the date."""
    if seat.plan_approved_on is None:
        return NOT_APPLICABLE, "Chỉ áp dụng với người đã có trong quy hoạch.", {}
    ctx.p("planning.review_interval_months")
    if seat.plan_last_review is None:
        return PASS, "Chưa có kết quả rà soát quy hoạch.", {"plan_approved_on": seat.plan_approved_on}
    reviewed_on, meets = seat.plan_last_review
    values = {"reviewed_on": reviewed_on, "meets_standards": meets}
    if meets:
        return PASS, f"Rà soát ngày {d(reviewed_on)}: đáp ứng tiêu chuẩn chức danh.", values
    return FAIL, f"Rà soát ngày {d(reviewed_on)}: không còn đáp ứng tiêu chuẩn chức danh, phải đưa ra khỏi quy hoạch.", values


@planning_standards.version(dt.date(2025, 10, 8))
def planning_standards_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (2025): planning stays "dynamic and open", reviewed every year, and
    those who fail the standards, their tasks or the rules are taken out; the check on the
    recorded review is unchanged, the cited text is the new one."""
    return planning_standards_2021(ctx, person, seat, action, term)


planning_review_due = rule("planning.review_due", _("Quy hoạch được rà soát hằng năm"))


def plan_review_due_on(seat: TargetSeat, months: int) -> dt.date:
    base = seat.plan_last_review[0] if seat.plan_last_review else seat.plan_approved_on
    return add_months(base, months)


@planning_review_due.version(dt.date(2021, 12, 27), dt.date(2025, 10, 7))
def planning_review_due_2021(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 50-QĐ/TW: planning is reviewed and supplemented every year; an entry whose last
    review (or approval) is older than `planning.review_interval_months` is overdue (a warning:
    the entry stays valid, the review is late)."""
    if seat.plan_approved_on is None:
        return NOT_APPLICABLE, "Chỉ áp dụng với người đã có trong quy hoạch.", {}
    months = ctx.p("planning.review_interval_months")
    due = plan_review_due_on(seat, months)
    last = seat.plan_last_review[0] if seat.plan_last_review else None
    values = {"last_review": last, "plan_approved_on": seat.plan_approved_on, "interval_months": months, "review_due": due}
    since = f"rà soát gần nhất ngày {d(last)}" if last else f"phê duyệt ngày {d(seat.plan_approved_on)}, chưa rà soát"
    if ctx.on <= due:
        return PASS, f"{since.capitalize()}; hạn rà soát tiếp theo {d(due)}.", values
    return WARNING, f"Quá hạn rà soát từ {d(due)} ({since}; chu kỳ {months} tháng).", values


@planning_review_due.version(dt.date(2025, 10, 8))
def planning_review_due_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (2025) keeps the yearly review of planning; the cited text changes."""
    return planning_review_due_2021(ctx, person, seat, action, term)


GRADE_ORDER = {Grade.NOT_COMPLETE: 0, Grade.COMPLETE: 1, Grade.GOOD: 2, Grade.EXCELLENT: 3}
planning_violation = rule("planning.violation", _("Quy hoạch cán bộ có vi phạm chỉ trong các trường hợp được phép"))


@planning_violation.version(dt.date(2025, 10, 8))
def planning_violation_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (8/10/2025): a person with a violation is planned only when (1) the
    violation needed self-criticism only, (2) no discipline was imposed, or its limitation period
    passed, and the required remedies are done, or (3) the discipline's effect period has passed,
    the standards are met and the person is assessed well: the latest annual grade of a year after
    the decision is at least `after_period.min_grade`. A discipline still in its period is refused
    by discipline.party / discipline.state; a review still open by discipline.under_review."""
    allowed = ctx.p("planning.violation_exceptions")
    blocking, warnings, values = [], [], {"reviews": [], "discipline": []}
    for review in sorted(person.reviews, key=lambda r: r.started_on):
        if review.ended_on is None or review.ended_on > ctx.on or review.outcome in (ReviewOutcome.NO_VIOLATION, ReviewOutcome.DISCIPLINED):
            continue
        values["reviews"].append({"ended_on": review.ended_on, "outcome": review.outcome, "remedied_on": review.remedied_on})
        ended = d(review.ended_on)
        if not review.outcome:
            warnings.append(f"kết quả xem xét kết thúc ngày {ended} chưa được ghi")
        elif review.outcome == ReviewOutcome.SELF_CRITICISM:
            if not allowed.get("self_criticism_only"):
                blocking.append(f"vi phạm phải kiểm điểm (kết thúc ngày {ended})")
        elif not allowed.get("not_disciplined_remedied"):
            blocking.append(f"vi phạm không bị kỷ luật (kết thúc ngày {ended})")
        elif review.remedied_on is None or review.remedied_on > ctx.on:
            blocking.append(f"vi phạm kết luận ngày {ended} không bị kỷ luật nhưng chưa khắc phục xong")
    after = allowed.get("after_period") or {}
    min_grade = after.get("min_grade")
    for side, form, decided_on in sorted(person.discipline, key=lambda r: r[2]):
        months = effect_months_for(ctx, f"discipline.{side}.effect_months", decided_on).get(form)
        if months is None or ctx.on < add_months(decided_on, months):
            continue  # permanent, or still within its period: the discipline rules decide
        later = [(year, grade) for year, grade in person.grades if year > decided_on.year]
        record = {"form": form, "decided_on": decided_on, "latest_grade": later[-1] if later else None}
        values["discipline"].append(record)
        if min_grade is None:
            continue
        if not later:
            warnings.append(f"chưa có kết quả đánh giá sau kỷ luật {form_label(form)} ngày {d(decided_on)}")
        elif GRADE_ORDER[later[-1][1]] < GRADE_ORDER[min_grade]:
            year, grade = later[-1]
            blocking.append(
                f"sau kỷ luật {form_label(form)} ngày {d(decided_on)}, năm {year} xếp loại «{Grade(grade).label}» "
                f"(cần từ «{Grade(min_grade).label}»)"
            )
    if blocking:
        return FAIL, "Không thuộc trường hợp được quy hoạch khi có vi phạm: " + "; ".join(blocking) + ".", values
    if warnings:
        return WARNING, "Cần xác nhận: " + "; ".join(warnings) + ".", values
    if values["reviews"] or values["discipline"]:
        return PASS, "Vi phạm trước đây thuộc trường hợp được quy hoạch.", values
    return PASS, "Không có vi phạm đã kết luận.", values


# Procedures under way --------------------------------------------------------------------------

concurrent_procedure = rule("procedure.concurrent", _("Không đồng thời quy hoạch và đề nghị bổ nhiệm, giới thiệu ứng cử"))
CONFLICTING_PROCEDURES = {"plan": ("appointment", "nomination"), "appoint": ("planning",), "renominate": ("planning",)}
PROCEDURE_LABELS = {"planning": "quy hoạch", "appointment": "đề nghị bổ nhiệm", "nomination": "giới thiệu ứng cử"}


@concurrent_procedure.version(dt.date(2025, 10, 8))
def concurrent_procedure_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (8/10/2025): planning a person and proposing the same person for
    appointment or nomination are not done at the same time. Reads the procedures under way
    (`PersonFacts.procedures`); while the system keeps no record of them the answer is "could
    not check", never a pass."""
    if not ctx.p("planning.no_concurrent_proposal"):
        return NOT_APPLICABLE, "Không áp dụng.", {}
    if person.procedures is None:
        return NOT_APPLICABLE, "Hệ thống chưa ghi nhận các quy trình quy hoạch, đề nghị bổ nhiệm, giới thiệu ứng cử đang thực hiện; cần kiểm tra thủ công.", {}
    conflicting = [p for p in person.procedures if p.kind in CONFLICTING_PROCEDURES.get(action, ()) and p.open_on(ctx.on)]
    values = {"open": [{"kind": p.kind, "opened_on": p.opened_on, "label": p.label} for p in conflicting]}
    if conflicting:
        first = conflicting[0]
        what = PROCEDURE_LABELS[first.kind] + (f" {first.label}" if first.label else "")
        return FAIL, f"Đang thực hiện quy trình {what} (từ {d(first.opened_on)}).", values
    return PASS, "Không có quy trình khác đang thực hiện đối với cán bộ.", values


# Rotation -------------------------------------------------------------------------------------

rotation_planned = rule("rotation.planned", _("Cán bộ luân chuyển phải nằm trong quy hoạch"))


@rotation_planned.version(dt.date(2022, 4, 28))
def rotation_planned_2022(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 65-QĐ/TW (28/4/2022): the rotated cadre must be in succession planning."""
    if not ctx.p("rotation.requires_planning"):
        return NOT_APPLICABLE, "Không áp dụng.", {}
    active = [p for p in person.plans if p.active_on(ctx.on)]
    values = {"active_plan_entries": len(active)}
    if active:
        return PASS, f"Đang trong quy hoạch ({len(active)} chức danh).", values
    return FAIL, "Không có trong quy hoạch vào ngày này.", values


rotation_equivalent = rule("rotation.equivalent_post", _("Luân chuyển vào chức vụ tương đương"))


@rotation_equivalent.version(dt.date(2022, 4, 28))
def rotation_equivalent_2022(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 65-QĐ/TW: rotation is to an equivalent post; a higher one only for outstanding
    cadres, which the competent body decides (so it is a warning, not a refusal)."""
    ctx.p("rotation.higher_post_only_outstanding")
    values = {"current_rank": max_current_rank(person), "target_rank": seat.title_rank}
    if max_current_rank(person) is not None and is_higher_post(person, seat):
        return WARNING, "Chức vụ cao hơn chức vụ đang giữ: chỉ áp dụng với cán bộ thật sự nổi trội, cấp có thẩm quyền quyết định.", values
    return PASS, "Chức vụ tương đương hoặc thấp hơn chức vụ đang giữ.", values


# Re-nomination --------------------------------------------------------------------------------

renomination_member = rule("renomination.current_member", _("Tái cử: đang là cấp ủy viên của cấp ủy này"))


@renomination_member.version(dt.date(2025, 4, 14))
def renomination_member_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Chỉ thị 45-CT/TW (14/4/2025): re-nomination concerns sitting committee members."""
    roles = TitleRoles(ctx.p("titles.roles"))
    members = roles.codes(["committee_member"]) | {seat.title_code}
    held = [s for s in person.seats if s.unit_id == seat.unit_id and s.title_code in members]
    if held:
        return PASS, f"Đang giữ {held[0].title_name}.", {"seat": held[0].label()}
    return FAIL, "Không phải cấp ủy viên đương nhiệm của cấp ủy này; tái cử chỉ áp dụng với người đang là cấp ủy viên.", {}


# Discipline -----------------------------------------------------------------------------------


def effect_months_for(ctx: Ctx, months_param: str, decided_on: dt.date) -> dict:
    """The effect periods that apply to a decision: those of the text in force on the day it was
    decided (a longer period of a later text is not applied to earlier decisions — no retroactive
    burden; to confirm for Quy định 377-QĐ/TW), or, for a decision older than the parameter, those
    in force on the date checked. The value used is recorded with its own sources."""
    try:
        value = ctx.params.at(months_param, decided_on)
    except ParameterNotInForce:
        value = ctx.params.at(months_param, ctx.on)
    ctx.used[f"{months_param}@{value.since}"] = value
    return value.value


def discipline_effects(
    ctx: Ctx, person: PersonFacts, side: str, months_param: str, permanent_param: str, *, higher_only: bool = False,
    higher: bool = True,
) -> RuleResult:  # fmt: skip
    """A permanent form (expulsion, dismissal) blocks; a form with an effect period blocks until
    the period ends, counted from the decision. With `higher_only` the periods block only a post
    higher than the ones held (`higher`); a lateral move is not blocked by them."""
    permanent = set(ctx.p(permanent_param))
    ctx.p(months_param)  # the text in force on the date is cited even when no record applies
    considered = []
    for record_side, form, decided_on in sorted(person.discipline, key=lambda r: r[2]):
        if record_side != side:
            continue
        if form in permanent:
            return FAIL, f"Đã bị kỷ luật {form_label(form)} ngày {d(decided_on)}.", {"form": form, "decided_on": decided_on}
        months = effect_months_for(ctx, months_param, decided_on)
        if form not in months:
            continue
        ends = add_months(decided_on, months[form])
        considered.append({"form": form, "decided_on": decided_on, "effect_months": months[form], "effect_ends": ends})
        if decided_on <= ctx.on < ends and (higher or not higher_only):
            return (
                FAIL,
                f"Đang trong thời hạn {months[form]} tháng sau kỷ luật {form_label(form)} ngày {d(decided_on)} (đến {d(ends)}).",
                {"records": considered},
            )
    if higher_only and not higher and any(r["effect_ends"] > ctx.on >= r["decided_on"] for r in considered):
        return (
            NOT_APPLICABLE,
            "Thời hạn ảnh hưởng của kỷ luật chỉ hạn chế bổ nhiệm, giới thiệu ứng cử vào chức vụ cao hơn; đây không phải chức vụ cao hơn.",
            {"records": considered},
        )
    if considered:
        return PASS, "Các kỷ luật đã hết thời hạn ảnh hưởng.", {"records": considered}
    return PASS, "Không có quyết định kỷ luật.", {"records": []}


def form_label(form: str) -> str:
    return str(DisciplineForm(form).label).lower()


party_discipline = rule("discipline.party", _("Thời hạn ảnh hưởng của kỷ luật đảng"))


@party_discipline.version(dt.date(2022, 8, 18), dt.date(2025, 10, 7))
def party_discipline_2022(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 80-QĐ/TW and 69-QĐ/TW (2022): no appointment, nomination or planning to a higher
    post for 12 months after a reprimand, 30 after a warning, 60 after removal from post. Only a
    higher post is blocked: planning, a first appointment, or a post outranking the ones held; a
    lateral move (rotation, re-nomination, appointment to an equal or lower post) is not."""
    return discipline_effects(
        ctx, person, "party", "discipline.party.effect_months", "discipline.party.permanent_forms", higher_only=True,
        higher=to_higher_post(person, seat, action, ctx.on),
    )  # fmt: skip


@party_discipline.version(dt.date(2025, 10, 8))
def party_discipline_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 377-QĐ/TW (8/10/2025) with Quy định 69-QĐ/TW as amended by 264-QĐ/TW (2025): the
    periods become 24 months after a reprimand, 36 after a warning, 60 after removal from post
    (12 / 30 / 60 before), for decisions from that day; a decision taken earlier keeps the period
    of the text in force when it was taken. Still only a higher post is blocked; when planning
    despite a violation is allowed is the rule planning.violation."""
    return party_discipline_2022(ctx, person, seat, action, term)


state_discipline = rule("discipline.state", _("Thời hạn ảnh hưởng của kỷ luật hành chính"))


@state_discipline.version(dt.date(2020, 7, 1), dt.date(2025, 6, 30))
def state_discipline_2020(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Law on Cadres and Civil Servants art. 82 (amended 2019) and Decree 112/2020: 12 months
    (reprimand, warning, salary reduction) or 24 months (demotion, removal) without promotion,
    planning, training or appointment."""
    return discipline_effects(ctx, person, "state", "discipline.state.effect_months", "discipline.state.permanent_forms")


@state_discipline.version(dt.date(2025, 7, 1))
def state_discipline_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Law on Cadres and Civil Servants 80/2025/QH15 and Decree 172/2025 (from 1/7/2025, replacing
    the 2008 law's art. 82 and Decree 112/2020): the forms are reprimand, warning, removal from
    post (leaders only) and dismissal; salary reduction and demotion are abolished for new
    decisions, but those decided before keep their effect. The periods stay 12 / 24 months (to
    confirm against the new texts)."""
    return state_discipline_2020(ctx, person, seat, action, term)


under_review = rule("discipline.under_review", _("Không đang bị xem xét kỷ luật, điều tra, truy tố, xét xử"))


@under_review.version(dt.date(2020, 7, 1), dt.date(2025, 6, 30))
def under_review_2020(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Law on Cadres and Civil Servants art. 82 and Decree 112/2020: nothing is done for a person
    while under discipline review or investigation."""
    if not ctx.p("discipline.no_action_while_under_review"):
        return NOT_APPLICABLE, "Không áp dụng.", {}
    for kind, started, ended, *_outcome in person.reviews:
        if started <= ctx.on and (ended is None or ctx.on <= ended):
            label = "xem xét kỷ luật" if kind == "discipline_review" else "điều tra, truy tố, xét xử"
            return FAIL, f"Đang bị {label} từ {d(started)}" + (f" đến {d(ended)}." if ended else "."), {
                "kind": kind, "from": started, "to": ended,
            }  # fmt: skip
    return PASS, "Không đang bị xem xét kỷ luật hoặc điều tra.", {}


@under_review.version(dt.date(2025, 7, 1))
def under_review_2025(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Law on Cadres and Civil Servants 80/2025/QH15 and Decree 172/2025 (from 1/7/2025) keep the
    restriction while under discipline review or investigation; the cited texts change."""
    return under_review_2020(ctx, person, seat, action, term)


# Confidence votes -----------------------------------------------------------------------------

confidence_low = rule("confidence.low", _("Kết quả lấy phiếu tín nhiệm gần nhất"))


def low_confidence(params: ParameterSet, on: dt.date, votes) -> tuple[str, tuple, list] | None:
    """The consequence of the latest valid vote among `votes` ((held_on, eligible, present, high,
    confident, low), oldest first): "dismissal" (≥ 2/3 low), "relief" (> 1/2 low) or None, with
    the vote and the parameter values read (Quy định 96-QĐ/TW, 2/2/2023; None before it)."""
    try:
        used = [params.at(name, on) for name in CONFIDENCE_PARAMETERS]
    except ParameterNotInForce:
        return None
    attendance_min, relief, dismissal = (value.value for value in used)
    valid = [v for v in votes if v[1] and Fraction(v[2], v[1]) >= attendance_min and sum(v[3:6]) > 0]
    if not valid:
        return None
    vote = valid[-1]
    share = Fraction(vote[5], sum(vote[3:6]))
    if share >= dismissal:
        return "dismissal", vote, used
    if share > relief:
        return "relief", vote, used
    return None


CONFIDENCE_PARAMETERS = ("confidence.min_attendance_share", "confidence.low_relief_share", "confidence.low_dismissal_share")


@confidence_low.version(dt.date(2023, 2, 2))
def confidence_low_2023(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 96-QĐ/TW (2/2/2023): a vote counts only with ≥ 2/3 attendance; low confidence from
    more than 1/2 of the votes takes the person out of planning (relief from post considered),
    from 2/3 leads to dismissal."""
    attendance_min = ctx.p("confidence.min_attendance_share")
    for name in CONFIDENCE_PARAMETERS[1:]:
        ctx.p(name)
    valid = [v for v in person.votes if v[1] and Fraction(v[2], v[1]) >= attendance_min and sum(v[3:6]) > 0]
    if not valid:
        return PASS, "Chưa có kết quả lấy phiếu tín nhiệm hợp lệ.", {}
    held_on, eligible, present, high, confident, low = valid[-1]
    share = Fraction(low, high + confident + low)
    values = {"held_on": held_on, "eligible": eligible, "attendance": present, "high": high, "confident": confident,
              "low": low, "low_share": round(float(share), 4)}  # fmt: skip
    found = low_confidence(ctx.params, ctx.on, [valid[-1]])
    if found and found[0] == "dismissal":
        return FAIL, f"Phiếu tín nhiệm thấp {low}/{high + confident + low} (từ 2/3 trở lên) ngày {d(held_on)}: miễn nhiệm.", values
    if found:
        return FAIL, f"Phiếu tín nhiệm thấp {low}/{high + confident + low} (trên 1/2) ngày {d(held_on)}: đưa ra khỏi quy hoạch.", values
    return PASS, f"Phiếu tín nhiệm thấp {low}/{high + confident + low} ngày {d(held_on)}.", values


# The seat --------------------------------------------------------------------------------------

seat_capacity = rule("seat.capacity", _("Vị trí còn chỗ (không vượt số lượng)"))


@seat_capacity.version(None, references=(SEAT_REFERENCE,))
def seat_capacity_any(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """A seat never holds more people than its seat count."""
    others = [name for pid, name in seat.holders if pid != person.id]
    values = {"seat_count": seat.seat_count, "holders": others}
    if any(pid == person.id for pid, _n in seat.holders):
        return PASS, "Cán bộ đang giữ vị trí này.", values
    if len(others) < seat.seat_count:
        return PASS, f"Vị trí có {seat.seat_count} chỗ, đang có {len(others)} người.", values
    return FAIL, f"Vị trí chỉ có {seat.seat_count} chỗ và đã có {len(others)} người ({', '.join(others)}).", values


kinship_conflict = rule("kinship.conflict", _("Không cùng giữ chức vụ với người có quan hệ gia đình"))


@kinship_conflict.version(dt.date(2019, 9, 23), dt.date(2023, 7, 10))
def kinship_conflict_2019(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 205-QĐ/TW (23/9/2019): spouse, parents, parents-in-law, children and siblings may
    not hold together the key posts of one committee, the chair of the people's committee with
    the heads of home affairs or inspection of the same level, or head and deputy of one unit."""
    kinds = set(ctx.p("kinship.relations"))
    ctx.p("kinship.conflict_groups")
    ctx.p("titles.roles")
    relatives = person.relatives or {}
    clashes = [
        {"person_id": peer.person_id, "name": peer.full_name, "seat": peer.seat_label, "relation": relatives[peer.person_id], "group": peer.group}
        for peer in seat.peers or []
        if peer.person_id in relatives and relatives[peer.person_id] in kinds and peer.person_id != person.id
    ]  # fmt: skip
    values = {"checked_seats": len(seat.peers or []), "conflicts": clashes}
    if clashes:
        names = "; ".join(f"{c['name']} ({relation_label(c['relation'])}, {c['seat']})" for c in clashes)
        return FAIL, f"Có người thân đang giữ chức vụ không được cùng đảm nhiệm: {names}.", values
    return PASS, f"Không có người thân trong {len(seat.peers or [])} vị trí liên quan.", values


@kinship_conflict.version(dt.date(2023, 7, 11))
def kinship_conflict_2023(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Quy định 114-QĐ/TW (11/7/2023) replaced 205-QĐ/TW on power control in cadre work; the
    relations and seat groups carried over (dated parameters cite the new text)."""
    return kinship_conflict_2019(ctx, person, seat, action, term)


def relation_label(kind: str) -> str:
    return str(RelationKind(kind).label).lower()


# Terms and durations (information for the decision) ------------------------------------------

appointment_term = rule("appointment.term", _("Thời hạn giữ chức vụ bổ nhiệm"))


@appointment_term.version(dt.date(2020, 11, 27))
def appointment_term_2020(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Decree 138/2020 art. 41: an appointment lasts 5 years (then re-appointment)."""
    elected = ctx.p("titles.elected")
    if any(seat.title_code in codes for codes in elected.values()):
        return NOT_APPLICABLE, "Chức danh bầu cử: theo nhiệm kỳ, không theo thời hạn bổ nhiệm.", {}
    months = ctx.p("appointment.term_months")
    ends = add_months(ctx.on, months) - dt.timedelta(days=1)
    return PASS, f"Thời hạn bổ nhiệm {months} tháng, đến {d(ends)}.", {"term_months": months, "term_ends": ends}


secondment_duration = rule("secondment.duration", _("Thời hạn biệt phái không quá 3 năm"))


@secondment_duration.version(dt.date(2010, 1, 1))
def secondment_duration_2010(ctx: Ctx, person: PersonFacts, seat: TargetSeat, action: str, term) -> RuleResult:
    """Law on Cadres and Civil Servants 2008 art. 53, then Decree 170/2025 art. 26 (to confirm):
    a secondment lasts at most 3 years."""
    months = ctx.p("secondment.max_months")
    ends = add_months(ctx.on, months) - dt.timedelta(days=1)
    left = person.retirement.service_left_months(ctx.on)
    values = {"max_months": months, "latest_end": ends, "service_left_months": left}
    return PASS, f"Biệt phái tối đa {months} tháng, chậm nhất đến {d(ends)}.", values


# The decision ---------------------------------------------------------------------------------

ACTION_RULES = {
    "plan": [planning_service_left, planning_max_persons, planning_max_titles, planning_higher_title, party_discipline,
             state_discipline, under_review, planning_violation, confidence_low, concurrent_procedure],
    "appoint": [appointment_service_left, first_entry_service_left, party_discipline, state_discipline, under_review,
                confidence_low, seat_capacity, kinship_conflict, appointment_term, concurrent_procedure],
    "rotate": [rotation_service_left, rotation_planned, rotation_equivalent, party_discipline, state_discipline,
               under_review, confidence_low, seat_capacity, kinship_conflict],
    "renominate": [renomination_service_left, renomination_member, party_discipline, under_review, confidence_low,
                   kinship_conflict, concurrent_procedure],
    "second": [secondment_duration, under_review, seat_capacity, kinship_conflict],
}  # fmt: skip
PLANNING_KEEP_RULES = [planning_service_left, planning_removal_discipline, planning_standards, party_discipline,
                       state_discipline, under_review, confidence_low]  # fmt: skip


def filling_of(title_code: str, is_leadership: bool, params: ParameterSet, on: dt.date) -> str:
    if not is_leadership:
        return "staff"
    for group, codes in params.get("titles.elected", on).items():
        if title_code in codes:
            return group
    return "appointed"


def check_action_allowed(action: str, seat: TargetSeat, params: ParameterSet, on: dt.date) -> None:
    if action not in ACTIONS:
        raise ActionNotAllowed(f"Hành động «{action}» không hợp lệ; chọn một trong: {', '.join(ACTIONS)}.")
    filling = filling_of(seat.title_code, seat.is_leadership, params, on)
    if action not in ALLOWED_ACTIONS[filling]:
        allowed = ", ".join(f"{a} ({ACTIONS[a]})" for a in ACTIONS if a in ALLOWED_ACTIONS[filling])
        raise ActionNotAllowed(
            f"Không thể «{str(ACTIONS[action]).lower()}» vào «{seat.title_name}» ({FILLING_LABELS[filling]}); "
            f"chức danh này cho phép: {allowed}."
        )


@dataclass
class Decision:
    person_id: int
    person_name: str
    action: str
    seat: TargetSeat
    on: dt.date
    term: str | None
    outcomes: list[Outcome] = field(default_factory=list)
    reformed: bool = False

    @property
    def eligible(self) -> bool:
        return not any(o.blocks for o in self.outcomes)

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action]

    def as_dict(self) -> dict:
        return {
            "person": {"id": self.person_id, "name": self.person_name},
            "action": self.action,
            "position": {"id": self.seat.position_id, "title": self.seat.title_name, "unit": self.seat.unit_name},
            "date": self.on.isoformat(),
            "term": self.term,
            "eligible": self.eligible,
            "rules": [o.as_dict() for o in self.outcomes],
        }


def evaluate_eligibility(
    person, action: str, position, on: dt.date, *, term: str | None = None, params: ParameterSet | None = None
) -> Decision:
    """Decide whether `person` may be the object of `action` for `position` on `on`.

    Raises ActionNotAllowed for an action the title does not allow, ValueError for a bad term.
    """
    params = params or default_parameters()
    if term:
        parse_term(term)
    seat = load_target_seat(position, on, params, with_peers=False)
    check_action_allowed(action, seat, params, on)
    rules = ACTION_RULES[action]
    needs_kinship = kinship_conflict in rules
    if needs_kinship:
        seat.peers = conflict_peers(seat, on, params)
    facts = load_people_facts([person.pk], on, params, with_relatives=needs_kinship)[person.pk]
    if action == "plan":
        seat.units = UnitIndex.load([seat.unit_path, *(p.unit_path for p in facts.plans)])
    elif action == "appoint":
        # The level of the target and of the seats held: first entry to the council, people's
        # committee or front of a level (service_left.first_entry).
        seat.units = UnitIndex.load([seat.unit_path, *(s.unit_path for s in facts.seats)])
    decision = Decision(person.pk, facts.full_name, action, seat, on, term, reformed=params.is_reform)
    for item in rules:
        decision.outcomes.append(item.evaluate(params, on, facts, seat, action, term))
    return decision


def planning_outcomes(facts: PersonFacts, seat: TargetSeat, on: dt.date, term: str, params: ParameterSet) -> list[Outcome]:
    """The rules that keep a planned person in planning (used by compliance on each entry)."""
    return [item.evaluate(params, on, facts, seat, "plan", term) for item in PLANNING_KEEP_RULES]


def service_left_summary(facts_or_person, on: dt.date, params: ParameterSet | None = None) -> dict:
    """Retirement month and service left of a person on a date (for the person page)."""
    retirement = retirement_of(facts_or_person, params or default_parameters())
    return {
        "retirement": retirement,
        "service_left_months": retirement.service_left_months(on),
        "retired": on >= retirement.pension_from,
    }
