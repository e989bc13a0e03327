"""Writes to annual grades and confidence votes; each atomic and audited.

A grade with a score must agree with the thresholds of the 100-point scale in force for that
year (`grading.thresholds`, Quy định 366-QĐ/TW and Decree 335/2025), except "not complete" for a
person disciplined in the year. Years before the scale existed accept any score.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.text import clean_text
from canbo.discipline.models import DisciplineRecord
from canbo.regulations.params import ParameterNotInForce, default_parameters

from .models import AnnualGrade, ConfidenceVote, Grade


def grade_for_score(score: Decimal, thresholds: dict) -> str:
    if score >= thresholds["excellent"]:
        return Grade.EXCELLENT
    if score >= thresholds["good"]:
        return Grade.GOOD
    if score >= thresholds["complete"]:
        return Grade.COMPLETE
    return Grade.NOT_COMPLETE


def _check_score(person, year: int, grade: str, score) -> None:
    if score is None:
        return
    try:
        thresholds = default_parameters().get("grading.thresholds", dt.date(year, 12, 31))
    except ParameterNotInForce:
        return
    expected = grade_for_score(Decimal(score), thresholds)
    if expected == grade:
        return
    if grade == Grade.NOT_COMPLETE and DisciplineRecord.objects.filter(person=person, decided_on__year=year).exists():
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
    _check_score(person, year, grade, score)
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
