"""A person's work history in the API: every entry the list gives can be opened alone, with the
same content; units outside the caller's scope are given by name only, as on the 2C résumé,
and the person's page links only the units the viewer may see."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.access import services as access_services
from canbo.access.models import Role

from .. import factories as f
from ..access.world import build_world


@pytest.fixture
def world(db):
    """Ward B's cell keeps its member's record; a reader of that cell only sees the member, whose
    seat (ward B's secretary) and earlier post (in ward A) lie outside the reader's scope."""
    world = build_world()
    person = world.b.person
    earlier_seat = f.make_position(world.a.cell, f.make_title("pho-bi-thu", "Phó Bí thư", rank=9))
    world.earlier = f.make_assignment(person, earlier_seat, start_date=dt.date(2018, 1, 1), end_date=dt.date(2020, 12, 31))
    world.reader = f.make_user("reader_b", grants=[(world.b.cell, Role.READER)])
    return world


def api(client, user):
    _token, key = access_services.api_token_create(actor=None, user=user, name="thử")
    return lambda url: client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_every_entry_of_a_history_opens_alone_with_the_same_content(client, world):
    get = api(client, world.reader)
    history = get(f"/api/people/{world.b.person.pk}/assignments").json()
    assert [a["id"] for a in history["items"]] == [world.b.assignment.pk, world.earlier.pk]
    for entry in history["items"]:
        one = get(f"/api/assignments/{entry['id']}")
        assert one.status_code == 200, entry["id"]
        assert one.json() == entry


def test_units_outside_the_scope_are_named_without_ids(client, world):
    get = api(client, world.reader)
    current = get(f"/api/assignments/{world.b.assignment.pk}").json()
    assert current["in_scope"] is False
    assert current["position"] == {
        "id": None,
        "unit": {"id": None, "code": None, "name": "Phường Thử Nghiệm Bê"},
        "title": current["position"]["title"],
    }
    assert current["position"]["title"]["name"] == "Bí thư" and current["decision_number"] == "TN-B/QĐ-1"
    # The unit itself stays closed to the reader.
    assert get(f"/api/units/{world.b.unit.pk}").status_code == 404
    assert get(f"/api/positions/{world.b.position.pk}").status_code == 404


def test_units_in_the_scope_keep_their_ids(client, world):
    admin = f.make_user("admin", superuser=True)
    entry = api(client, admin)(f"/api/assignments/{world.b.assignment.pk}").json()
    assert entry["in_scope"] is True
    assert entry["position"]["id"] == world.b.position.pk and entry["position"]["unit"]["id"] == world.b.unit.pk


def test_an_assignment_of_someone_the_user_cannot_see_stays_404(client, world):
    officer = api(client, world.officer)  # ward A's officer: ward B's person is out of reach
    outside = officer(f"/api/assignments/{world.b.assignment.pk}")
    missing = officer("/api/assignments/99999999")
    assert outside.status_code == missing.status_code == 404 and outside.json() == missing.json()
    # An entry on ward A's seat is readable by its officer, as a seat of the scope.
    assert officer(f"/api/assignments/{world.earlier.pk}").json()["in_scope"] is True


def test_the_rule_is_documented_in_the_schema(client, db):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/people/{person_id}/assignments", "/api/assignments/{assignment_id}"):
        assert "ngoài phạm vi" in schema["paths"][path]["get"]["description"]
    assert "in_scope" in schema["components"]["schemas"]["AssignmentOut"]["properties"]


def test_the_person_page_names_every_unit_and_links_only_those_in_scope(client, world):
    client.force_login(world.reader)
    body = client.get(reverse("people:person_detail", kwargs={"person_id": world.b.person.pk})).content.decode()
    assert "Phường Thử Nghiệm Bê" in body and "Chi bộ A Một" in body
    assert reverse("org:unit_detail", kwargs={"unit_id": world.b.unit.pk}) not in body
    assert reverse("org:unit_detail", kwargs={"unit_id": world.a.cell.pk}) not in body
    assert reverse("org:unit_detail", kwargs={"unit_id": world.b.cell.pk}) in body  # the record unit
