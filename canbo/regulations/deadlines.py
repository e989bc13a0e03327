"""Deadlines in a subtree over a window: retirements, periodic position changes, heads past two
consecutive terms, secondments, rotations and appointment terms ending, re-appointment proposals
due (90 working days before a term ends), discipline effects ending, probationary party
membership ending, plan entries due for their yearly review, and the relief or dismissal a low
confidence vote of a holder calls for.

Everything is read in a handful of bulk queries filtered by the unit path prefix (never one
query per person); retirement is computed once per (sex, birth month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canbo.discipline.models import DisciplineForm, DisciplineRecord
from canbo.evaluation.models import ConfidenceVote
from canbo.people.catalogues import AssignmentKind
from canbo.people.models import Assignment, Person
from canbo.planning.models import SuccessionPlanEntry, SuccessionPlanReview

from .calendar import add_months, month_end, working_calendar
from .eligibility import low_confidence
from .facts import chunked
from .models import ListedPost
from .params import ParameterNotInForce, ParameterSet, default_parameters
from .retirement import retirement_for

KINDS = {
    "retirement": _("Nghỉ hưu"),
    "periodic_change": _("Định kỳ chuyển đổi vị trí công tác"),
    "head_two_terms": _("Người đứng đầu đủ hai nhiệm kỳ liên tiếp"),
    "secondment_end": _("Hết thời hạn biệt phái"),
    "rotation_end": _("Luân chuyển đủ thời gian tối thiểu"),
    "appointment_term_end": _("Hết thời hạn bổ nhiệm"),
    "reappointment_proposal": _("Hạn đề xuất bổ nhiệm lại (90 ngày làm việc trước khi hết thời hạn)"),
    "discipline_effect_end": _("Hết thời hạn ảnh hưởng của kỷ luật"),
    "probation_end": _("Hết thời kỳ dự bị đảng viên"),
    "plan_review": _("Rà soát quy hoạch hằng năm"),
    "confidence_consequence": _("Xem xét cho thôi giữ chức vụ, miễn nhiệm sau lấy phiếu tín nhiệm"),
}
REFERENCES = {
    "retirement": "Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP",
    "periodic_change": "Luật Phòng, chống tham nhũng 2018, Điều 25; Nghị định 59/2019/NĐ-CP, Điều 36",
    "head_two_terms": "Quy định 65-QĐ/TW; Chỉ thị 45-CT/TW",
    "secondment_end": "Luật Cán bộ, công chức 2008, Điều 53; Nghị định 170/2025/NĐ-CP, Điều 26",
    "rotation_end": "Quy định 65-QĐ/TW",
    "appointment_term_end": "Nghị định 138/2020/NĐ-CP, Điều 41; Nghị định 170/2025/NĐ-CP (cần xác nhận)",
    "reappointment_proposal": "Quy định 377-QĐ/TW, Điều 40; Bộ luật Lao động 2019, Điều 112 (ngày nghỉ lễ, tết)",
    "discipline_effect_end": (
        "Quy định 80-QĐ/TW, 377-QĐ/TW; Luật Cán bộ, công chức 2008, Điều 82 và Nghị định 112/2020/NĐ-CP; "
        "từ 01/7/2025 Luật Cán bộ, công chức số 80/2025/QH15 và Nghị định 172/2025/NĐ-CP"
    ),
    "probation_end": "Điều lệ Đảng, Điều 5",
    "plan_review": "Quy định 50-QĐ/TW → 377-QĐ/TW: rà soát, bổ sung quy hoạch hằng năm",
    "confidence_consequence": "Quy định 96-QĐ/TW; Quy định 377-QĐ/TW (đề xuất trong 10 ngày làm việc)",
}


@dataclass
class DeadlineItem:
    kind: str
    due: dt.date
    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    detail: str
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def reference(self) -> str:
        return REFERENCES[self.kind]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": str(self.kind_label),
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "person": {"id": self.person_id, "name": self.person_name},
            "unit": {"id": self.unit_id, "name": self.unit_name},
            "detail": self.detail,
            "reference": self.reference,
        }


@dataclass
class DeadlineReport:
    root_id: int
    root_name: str
    start: dt.date
    end: dt.date
    items: list[DeadlineItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for item in self.items:
            counts[item.kind] += 1
        return counts

    def as_dict(self) -> dict:
        return {
            "unit": {"id": self.root_id, "name": self.root_name},
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "counts": self.counts(),
            "items": [item.as_dict() for item in self.items],
        }


def _param(params: ParameterSet, name: str, *days: dt.date):
    """The value on the first of `days` on which the parameter is in force."""
    for day in days:
        try:
            return params.get(name, day)
        except ParameterNotInForce:
            continue
    return None


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _retirements(root, start, end, params) -> list[DeadlineItem]:
    items = []
    for sex in ("M", "F"):
        # Retirement month grows with the birth month, so the birth months retiring in the
        # window are one contiguous range: find its ends, then one indexed range query.
        months = []
        for year in range(start.year - 70, end.year - 45):
            for month in range(1, 13):
                try:
                    r = retirement_for(sex=sex, birth_year=year, birth_month=month, params=params)
                except ValueError:
                    continue
                if start <= r.retirement_date <= end:
                    months.append((year, month, r))
        if not months:
            continue
        by_month = {(y, m): r for y, m, r in months}
        first, last = months[0], months[-1]
        people = Person.objects.filter(
            unit__path__startswith=root.path,
            sex=sex,
            birth_date__gte=dt.date(first[0], first[1], 1),
            birth_date__lte=month_end(last[0], last[1]),
        ).order_by().values_list("id", "full_name", "birth_date", "birth_date_precision", "unit_id", "unit__name")
        for person_id, name, birth, precision, unit_id, unit_name in people:
            month = 1 if precision == "year" else birth.month
            r = by_month.get((birth.year, month))
            if r is None:
                continue
            years, rest = r.age
            items.append(DeadlineItem(
                "retirement", r.retirement_date, person_id, name, unit_id, unit_name,
                f"Đủ {years} tuổi {rest} tháng; hưởng lương hưu từ {_d(r.pension_from)}",
            ))  # fmt: skip
    return items


def _probations(root, start, end, params) -> list[DeadlineItem]:
    months = _param(params, "party.probation_months", start)
    if months is None:
        return []
    people = Person.objects.filter(
        unit__path__startswith=root.path,
        party_official_on__isnull=True,
        party_joined_on__gte=add_months(start, -months),
        party_joined_on__lte=add_months(end, -months),
    ).order_by().values_list("id", "full_name", "party_joined_on", "unit_id", "unit__name")
    items = []
    for person_id, name, joined, unit_id, unit_name in people:
        due = add_months(joined, months)
        if start <= due <= end:
            items.append(DeadlineItem(
                "probation_end", due, person_id, name, unit_id, unit_name,
                f"Kết nạp ngày {_d(joined)}; xét công nhận đảng viên chính thức",
            ))  # fmt: skip
    return items


def _discipline(root, start, end, params) -> list[DeadlineItem]:
    longest = 0
    for name in ("discipline.party.effect_months", "discipline.state.effect_months"):
        for value in params.parameter(name).values:
            if value.value:
                longest = max(longest, *value.value.values())
    records = DisciplineRecord.objects.filter(
        person__unit__path__startswith=root.path, decided_on__gte=add_months(start, -longest), decided_on__lte=end
    ).order_by().values_list("person_id", "person__full_name", "person__unit_id", "person__unit__name", "side", "form", "decided_on")
    items = []
    for person_id, name, unit_id, unit_name, side, form, decided in records:
        months = _param(params, f"discipline.{side}.effect_months", decided, start) or {}
        if form not in months:
            continue
        due = add_months(decided, months[form])
        if start <= due <= end:
            label = DisciplineForm(form).label
            items.append(DeadlineItem(
                "discipline_effect_end", due, person_id, name, unit_id, unit_name,
                f"{label} ({'đảng' if side == 'party' else 'hành chính'}) ngày {_d(decided)}: hết {months[form]} tháng",
            ))  # fmt: skip
    return items


SEAT_FIELDS = (
    "person_id", "person__full_name", "position_id", "position__unit_id", "position__unit__name",
    "position__title_id", "position__title__name", "position__title__is_head", "position__title__is_leadership",
    "kind", "start_date", "end_date",
)  # fmt: skip


def _merge(intervals: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """Continuous tenures: assignments that follow each other without a gap become one."""
    merged: list[list] = []
    for s, e in sorted(intervals, key=lambda i: i[0]):
        if merged and (merged[-1][1] is None or s <= merged[-1][1] + dt.timedelta(days=1)):
            if merged[-1][1] is not None and (e is None or e > merged[-1][1]):
                merged[-1][1] = e
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _tenure_deadlines(rows, key, due_of, start, end):
    """For each key's continuous tenure overlapping the window, the due date if it falls in the
    window, or before it while the tenure still runs (overdue)."""
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    for group_rows in groups.values():
        for tenure_start, tenure_end in _merge([(r[10], r[11]) for r in group_rows]):
            if tenure_start > end or (tenure_end is not None and tenure_end < start):
                continue
            due = due_of(tenure_start, group_rows[-1])
            if due is None or due > end or (tenure_end is not None and tenure_end < due):
                continue
            latest = max(group_rows, key=lambda r: r[10])
            yield latest, tenure_start, due, due < start


def _assignments(root, start, end, params) -> list[DeadlineItem]:
    items: list[DeadlineItem] = []
    running = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), position__unit__path__startswith=root.path, start_date__lte=end
    )
    timed = running.filter(
        Q(kind__in=[AssignmentKind.SECONDMENT, AssignmentKind.ROTATION])
        | Q(kind__in=[AssignmentKind.APPOINTMENT, AssignmentKind.REAPPOINTMENT], position__title__is_leadership=True)
    )
    for row in timed.order_by().values_list(*SEAT_FIELDS):
        person_id, name, _pos, unit_id, unit_name, _t, title, _h, _l, kind, s, e = row
        if kind == AssignmentKind.SECONDMENT:
            months = _param(params, "secondment.max_months", s, start)
            due = e or (add_months(s, months) - dt.timedelta(days=1) if months else None)
            item_kind, detail = "secondment_end", f"Biệt phái làm {title} từ {_d(s)}"
        elif kind == AssignmentKind.ROTATION:
            months = _param(params, "rotation.min_duration_months", s, start)
            due = add_months(s, months) - dt.timedelta(days=1) if months else None
            item_kind, detail = "rotation_end", f"Luân chuyển làm {title} từ {_d(s)} ({months} tháng)"
        else:
            months = _param(params, "appointment.term_months", s, start)
            due = add_months(s, months) - dt.timedelta(days=1) if months else None
            item_kind, detail = "appointment_term_end", f"Bổ nhiệm {title} từ {_d(s)} ({months} tháng)"
            proposal = _reappointment_proposal(due, start, end, params)
            if proposal is not None and (e is None or proposal[0] <= e):
                items.append(DeadlineItem(
                    "reappointment_proposal", proposal[0], person_id, name, unit_id, unit_name,
                    f"{title}: thời hạn bổ nhiệm đến {_d(due)}; đề xuất chậm nhất {proposal[1]} ngày làm việc trước",
                ))  # fmt: skip
        if due is not None and start <= due <= end and (e is None or due <= e):
            items.append(DeadlineItem(item_kind, due, person_id, name, unit_id, unit_name, detail))

    # Heads: continuous tenure as head of the same unit across titles and seats.
    head_rows = Assignment.objects.filter(
        position__unit__path__startswith=root.path, position__title__is_head=True, start_date__lte=end
    ).order_by().values_list(*SEAT_FIELDS)
    terms = _param(params, "heads.max_consecutive_terms", start)
    term_months = _param(params, "heads.term_months", start)
    if terms and term_months:
        for row, tenure_start, due, overdue in _tenure_deadlines(
            head_rows, key=lambda r: (r[0], r[3]), due_of=lambda s, _r: add_months(s, terms * term_months),
            start=start, end=end,
        ):  # fmt: skip
            items.append(DeadlineItem(
                "head_two_terms", due, row[0], row[1], row[3], row[4],
                f"{row[6]} liên tục từ {_d(tenure_start)} ({terms} nhiệm kỳ × {term_months} tháng)", overdue,
            ))  # fmt: skip

    # Periodic position change: listed seats and titles, period per listed post.
    period_by_position: dict[int, tuple[int, str]] = {}
    period_by_title: dict[int, tuple[int, str]] = {}
    for post in ListedPost.objects.prefetch_related("titles", "positions"):
        for title in post.titles.all():
            period_by_title[title.pk] = min(period_by_title.get(title.pk, (999, "")), (post.period_months, post.name))
        for position in post.positions.all():
            period_by_position[position.pk] = min(
                period_by_position.get(position.pk, (999, "")), (post.period_months, post.name)
            )
    if period_by_position or period_by_title:
        listed_rows = Assignment.objects.filter(
            Q(position_id__in=list(period_by_position)) | Q(position__title_id__in=list(period_by_title)),
            position__unit__path__startswith=root.path,
            start_date__lte=end,
        ).order_by().values_list(*SEAT_FIELDS)

        def period(row):
            return period_by_position.get(row[2]) or period_by_title.get(row[5])

        for row, tenure_start, due, overdue in _tenure_deadlines(
            listed_rows, key=lambda r: (r[0], r[2]), due_of=lambda s, r: add_months(s, period(r)[0]), start=start, end=end
        ):
            months, post_name = period(row)
            items.append(DeadlineItem(
                "periodic_change", due, row[0], row[1], row[3], row[4],
                f"{row[6]} từ {_d(tenure_start)}; vị trí «{post_name}» chuyển đổi sau {months} tháng", overdue,
            ))  # fmt: skip
    return items


# The latest a proposal can fall before the end of a term: 90 working days are < 150 calendar days.
PROPOSAL_LOOKAHEAD = dt.timedelta(days=200)


def _reappointment_proposal(term_end: dt.date | None, start, end, params) -> tuple[dt.date, int] | None:
    """Quy định 377-QĐ/TW art. 40: the proposal to re-appoint is made at least the parameter's
    number of working days before the term ends (weekends and public holidays not counted). An
    item only when the rule is in force on its due date."""
    if term_end is None or term_end < start or term_end - PROPOSAL_LOOKAHEAD > end:
        return None
    name = "appointment.reappointment_notice_working_days"
    days = _param(params, name, term_end)
    if days is None:
        return None
    try:
        due = working_calendar(params).shift(term_end, -days)
        params.at(name, due)
    except ParameterNotInForce:
        return None
    return (due, days) if start <= due <= end else None


def _plan_reviews(root, start, end, params) -> list[DeadlineItem]:
    """Plan entries whose yearly review falls due in the window, counted from the latest review
    up to the window's end (or the approval): overdue when it fell due before the window and no
    review followed (Quy định 50-QĐ/TW, then 377-QĐ/TW)."""
    entries = list(
        SuccessionPlanEntry.objects.filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=start), unit__path__startswith=root.path, approved_on__lte=end
        ).order_by().values_list("id", "person_id", "person__full_name", "unit_id", "unit__name", "title__name", "term",
                                 "approved_on", "removed_on")
    )  # fmt: skip
    if not entries:
        return []
    latest: dict[int, dt.date] = {}
    for ids in chunked(e[0] for e in entries):
        reviews = SuccessionPlanReview.objects.filter(entry_id__in=ids, reviewed_on__lte=end)
        for entry_id, reviewed_on in reviews.order_by("reviewed_on").values_list("entry_id", "reviewed_on"):
            latest[entry_id] = reviewed_on
    items = []
    for entry_id, person_id, name, unit_id, unit_name, title, term, approved, removed in entries:
        base = latest.get(entry_id, approved)
        months = _param(params, "planning.review_interval_months", base, start)
        if months is None:
            continue
        due = add_months(base, months)
        if due > end or (removed is not None and removed <= due):
            continue
        since = f"rà soát gần nhất {_d(base)}" if entry_id in latest else f"phê duyệt {_d(approved)}"
        items.append(DeadlineItem(
            "plan_review", due, person_id, name, unit_id, unit_name,
            f"Quy hoạch {title}, nhiệm kỳ {term}: {since}; chu kỳ {months} tháng", due < start,
        ))  # fmt: skip
    return items


def _confidence(root, start, end, params) -> list[DeadlineItem]:
    """Holders of a leadership seat whose latest valid confidence vote up to the window's end calls
    for relief from post (> 1/2 low) or dismissal (≥ 2/3 low): due within the parameter's working
    days of the vote (Quy định 377-QĐ/TW), on the vote's day before it; overdue while the person
    still holds the seat after the due date."""
    seats = defaultdict(list)
    rows = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), position__unit__path__startswith=root.path,
        position__title__is_leadership=True, start_date__lte=end,
    ).order_by().values_list("person_id", "person__full_name", "position__unit_id", "position__unit__name",
                             "position__title__name", "start_date", "end_date")  # fmt: skip
    for row in rows:
        seats[row[0]].append(row)
    if not seats:
        return []
    votes = defaultdict(list)
    for ids in chunked(seats):
        for row in (
            ConfidenceVote.objects.filter(person_id__in=ids, held_on__lte=end)
            .order_by("held_on", "id")
            .values_list("person_id", "held_on", "eligible_voters", "attendance", "votes_high", "votes_confident", "votes_low")
        ):
            votes[row[0]].append(row[1:])
    items = []
    for person_id, person_votes in votes.items():
        found = low_confidence(params, person_votes[-1][0], person_votes)
        if found is None:
            continue
        consequence, vote, _used = found
        held_on = vote[0]
        days = _param(params, "relief.proposal_working_days", held_on)
        due = working_calendar(params).shift(held_on, days) if days else held_on
        in_post = [s for s in seats[person_id] if s[5] <= held_on and (s[6] is None or s[6] >= max(due, start))]
        if not in_post or due > end:
            continue
        _pid, name, unit_id, unit_name, title, _s, _e = in_post[0]
        what = "miễn nhiệm" if consequence == "dismissal" else "xem xét cho thôi giữ chức vụ"
        limit = f"trong {days} ngày làm việc" if days else "không quy định thời hạn trước Quy định 377-QĐ/TW"
        items.append(DeadlineItem(
            "confidence_consequence", due, person_id, name, unit_id, unit_name,
            f"{title}: phiếu tín nhiệm thấp {vote[5]}/{sum(vote[3:6])} ngày {_d(held_on)} — {what} ({limit})", due < start,
        ))  # fmt: skip
    return items


def deadlines_in(root, start: dt.date, end: dt.date, *, params: ParameterSet | None = None) -> DeadlineReport:
    params = params or default_parameters()
    report = DeadlineReport(root.pk, root.name, start, end)
    report.items = (
        _retirements(root, start, end, params)
        + _probations(root, start, end, params)
        + _discipline(root, start, end, params)
        + _assignments(root, start, end, params)
        + _plan_reviews(root, start, end, params)
        + _confidence(root, start, end, params)
    )
    report.items.sort(key=lambda i: (i.due, i.kind, i.person_name, i.person_id))
    return report
