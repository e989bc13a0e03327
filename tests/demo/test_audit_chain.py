"""The demo builder writes its events in bulk (86,000 for the default city, 700,000 at --scale 10):
they carry their content hash, are sealed into the audit hash chain when the build commits, and
the chain verifies."""

import pytest

from canbo.audit import chain
from canbo.audit.models import AuditEvent
from canbo.audit.verification import verify
from canbo.demo.builder import build_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_built_demo_is_sealed_and_verifies():
    result = build_demo(scale=0.02, seed=5)
    events = AuditEvent.objects.count()
    assert events >= result["counts"]["audit_events"] > 1000
    assert not AuditEvent.objects.filter(content_hash__isnull=True).exists()
    assert chain.unsealed().count() == 0  # sealed when the build committed
    outcome = verify(seal_first=False)
    assert outcome.intact, outcome.problem and outcome.problem.message()
    assert outcome.links == events
