"""Writes to annual grades and confidence votes; each atomic and audited.

A grade with a score must agree with the thresholds of the 100-point scale in force for that
year on its side: the party side (`grading.thresholds`, Quy định 366-QĐ/TW from 30/08/2025) for a
grade given in a party organization, the state side (`grading.state_thresholds`, Decree 335/2025
from 01/01/2026) otherwise. "Not complete" may go with any score when one of the side's grounds
(`grading.*_not_complete_triggers`) applies: a discipline decided in the year (checked against
the records), or a ground the system cannot see (degradation, corruption in the unit led), which
the note must then state. Under Decree 335 a civil servant disciplined in the year for a breach in
public service is graded "not complete". Years before a side's scale accept any score.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.text import clean_text
from canbo.discipline.models import DisciplineRecord, DisciplineSide
from canbo.org.models import PARTY_KINDS
from canbo.regulations.params import ParameterNotInForce, default_parameters

from .models import AnnualGrade, ConfidenceVote, Grade

SIDE_PARAMETERS = {
    "party": ("grading.thresholds", "grading.party_not_complete_triggers"),
    "state": ("grading.state_thresholds", "grading.state_not_complete_triggers"),
}
CHECKED_TRIGGERS = {"discipline_in_year"}


def grade_for_score(score: Decimal, thresholds: dict) -> str:
    if score >= thresholds["excellent"]:
        return Grade.EXCELLENT
    if score >= thresholds["good"]:
        return Grade.GOOD
    if score >= thresholds["complete"]:
        return Grade.COMPLETE
    return Grade.NOT_COMPLETE


def grading_side(unit) -> str:
    """A grade given in a party organization follows the party's rules, any other the state's."""
    return "party" if unit is not None and unit.kind in PARTY_KINDS else "state"


def _param(name: str, year: int):
    try:
        return default_parameters().get(name, dt.date(year, 12, 31))
    except ParameterNotInForce:
        return None


def _disciplined_in_year(person, year: int, side: str) -> bool:
    records = DisciplineRecord.objects.filter(person=person, decided_on__year=year)
    if side == "state":
        records = records.filter(side=DisciplineSide.STATE)
    return records.exists()


def _check_score(person, year: int, grade: str, score, *, unit=None, note: str = "") -> None:
    side = grading_side(unit if unit is not None else person.unit)
    thresholds_name, triggers_name = SIDE_PARAMETERS[side]
    triggers = _param(triggers_name, year)
    if (
        side == "state" and triggers is not None and "discipline_in_year" in triggers
        and grade != Grade.NOT_COMPLETE and _disciplined_in_year(person, year, side)
    ):  # fmt: skip
        raise ValidationError(
            {"grade": f"Cán bộ bị kỷ luật hành chính trong năm {year}: xếp loại «{Grade(Grade.NOT_COMPLETE).label}» (Nghị định 335/2025/NĐ-CP)."}
        )
    if score is None:
        return
    thresholds = _param(thresholds_name, year)
    if thresholds is None:
        return
    expected = grade_for_score(Decimal(score), thresholds)
    if expected == grade:
        return
    if grade == Grade.NOT_COMPLETE:
        if triggers is None:  # before the side's list of grounds: a discipline in the year, as before
            if _disciplined_in_year(person, year, "party"):
                return
        elif ("discipline_in_year" in triggers and _disciplined_in_year(person, year, side)) or (
            set(triggers) - CHECKED_TRIGGERS and note.strip()
        ):
            return
    raise ValidationError(
        {"grade": f"Điểm {score} tương ứng mức «{Grade(expected).label}» theo thang điểm năm {year}, không phải «{Grade(grade).label}»."}
    )


@transaction.atomic
def annual_grade_set(
    *, actor, person, year: int, grade: str, score=None, unit=None, note: str = "", source: str = AuditEvent.Source.WEB
) -> AnnualGrade:
    """Record (or correct) a person's grade for a year."""
    existing = AnnualGrade.objects.select_for_update().filter(person=person, year=year).first()
    record = existing or AnnualGrade(person=person, year=year)
    before = snapshot(record) if existing else None
    if unit is not None:
        record.unit = unit
    elif not existing:
        record.unit = person.unit
    record.grade, record.score, record.note = grade, score, clean_text(note)
    record.full_clean()
    _check_score(person, year, grade, score, unit=record.unit, note=record.note)
    record.save()
    after = snapshot(record)
    if after != before:
        record_event(
            actor=actor, action="grade.update" if existing else "grade.create", obj=record, before=before, after=after,
            unit=record.unit, source=source,
        )  # fmt: skip
    return record


@transaction.atomic
def confidence_vote_create(
    *, actor, person, held_on: dt.date, eligible_voters: int, attendance: int, votes_high: int, votes_confident: int,
    votes_low: int, note: str = "", source: str = AuditEvent.Source.WEB,
) -> ConfidenceVote:  # fmt: skip
    vote = ConfidenceVote(
        person=person, held_on=held_on, eligible_voters=eligible_voters, attendance=attendance, votes_high=votes_high,
        votes_confident=votes_confident, votes_low=votes_low, note=clean_text(note),
    )  # fmt: skip
    vote.full_clean()
    vote.save()
    record_event(
        actor=actor, action="confidence_vote.create", obj=vote, before=None, after=snapshot(vote), unit=person.unit,
        source=source,
    )  # fmt: skip
    return vote
