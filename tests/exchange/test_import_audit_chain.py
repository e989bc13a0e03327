"""An import's audit rows (written in bulk by `canbo.exchange.bulk`) carry their content hash and
join the audit hash chain when the import commits, and the chain verifies."""

import pytest

from canbo.audit import chain
from canbo.audit.models import AuditEvent, AuditLink
from canbo.audit.verification import verify
from canbo.people.models import Person

from .conftest import cid, do_import, people_rows, workbook_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_imported_people_are_sealed_on_commit_and_verify(city):
    numbers = [cid(1980), cid(1985, female=True), cid(1990)]
    created = do_import(workbook_bytes(people_rows(
        [numbers[0], "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH"],
        [numbers[1], "Trần Thị Bình", "Nữ", "03/02/1985", "HN-BADINH-CB1"],
        [numbers[2], "Lê Văn Cường", "Nam", "01/01/1990", "HN-HOANKIEM"],
    )), commit=True)  # fmt: skip
    assert created.committed and created.created == 3
    updated = do_import(workbook_bytes(people_rows(
        [numbers[0], "Nguyễn Văn Ân", "Nam", "17/05/1980", "HN-BADINH"],
    )), commit=True)  # fmt: skip
    assert updated.committed and updated.updated == 1

    events = AuditEvent.objects.filter(source="import").order_by("id")
    assert [e.action for e in events] == ["person.create"] * 3 + ["person.update"]
    people = set(Person.objects.filter(citizen_id__in=numbers).values_list("id", flat=True))
    assert {e.object_id for e in events} == people
    rows = {row["id"]: row for row in chain.events_as_text().filter(source="import")}
    for event in events:
        assert event.content_hash == chain.recomputed_hash(rows[event.pk])
    # Sealed by the import's own commit, not by a later sweep.
    assert AuditLink.objects.filter(event__in=events).count() == 4
    assert chain.unsealed().count() == 0
    result = verify(seal_first=False)
    assert result.intact and result.links == AuditEvent.objects.count()
