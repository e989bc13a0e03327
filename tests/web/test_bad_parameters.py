"""Bad query parameters answer 404, 400, 422 or a message on the page: never a 500.

Every GET route of the project (found as the access test finds them) is asked as the city's
administrator with every query parameter the views and the API read, all at once, set to values
that break naive code: words where numbers go, numbers past any integer column, NUL bytes,
impossible and extreme dates, huge strings. The parameter names are those of the views'
`request.GET` reads and of the forms bound to the query string; a guard test fails when a view
reads a parameter this list does not know.

All at once is not enough: a view that refuses one bad parameter (the API's 422 on
`limit=abc`) never uses the others. So when a route refuses a query (4xx), the walk asks again
with each parameter the route read during that request, alone.
"""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from canbo.access.models import Role
from canbo.people.forms import PersonFilterForm
from canbo.regulations.forms import ReformForm
from tests import factories as f
from tests.access.test_every_route import project_walk
from tests.access.world import build_world

# The views' own reads (request.GET.get("…"), request.GET["…"]) and the fields of the forms
# bound to request.GET: the person list's filters, the eligibility question, the deadlines'
# window, the export form, the dashboard's drill-down. The walk adds the API's query parameters
# from its OpenAPI schema.
VIEW_PARAMS = [
    "q", "page", "ngay", "loai", "luot", "don_vi", "tim", "xuat", "quy_tac", "sua", "chi_so", "pham_vi",
    "quyen", "hanh_dong", "vi_tri", "ngay_xet", "nhiem_ky", "tu", "den", "gioi_tinh", "tuoi", "dan_toc",
    "chuc_danh", "llct", "doi_tuong", "regime", "level", "on", "limit", "next", "term", "search",
]  # fmt: skip
FORM_PARAMS = list(ReformForm().fields) + list(PersonFilterForm.base_fields)
PARAMS = list(dict.fromkeys(VIEW_PARAMS + FORM_PARAMS))

GARBAGE = [
    "abc",
    "99999999999999999999999999",  # past any integer column (SQLite raises OverflowError)
    "-1",
    "\x00",
    "a\x00b",
    "99/99/9999",
    "31/02/2025",
    "01/01/1900",  # a real day, before any regulation's parameters exist
    "01/01/0001",  # the first day there is: the day before it does not exist
    "31/12/9999",  # the last day there is: the day after it does not exist
    "0001-01-01",
    "9999-12-31",
    "1e999",
    "x" * 3000,
]

ROOT = Path(settings.BASE_DIR)
GET_READ = re.compile(r"""request\.GET(?:\.get\(|\[)\s*["']([a-z_]+)["']""")


def garbage_queries(names=PARAMS):
    """One query per garbage value with every parameter set to it, then two with the values
    rotated across the parameters, so that each parameter also meets the others' bad values."""
    queries = [dict.fromkeys(names, value) for value in GARBAGE]
    for shift in (1, 5):
        queries.append({name: GARBAGE[(i + shift) % len(GARBAGE)] for i, name in enumerate(names)})
    return queries


def test_the_walk_knows_every_parameter_the_views_read():
    read = set()
    for path in (ROOT).rglob("*.py"):
        read |= set(GET_READ.findall(path.read_text(encoding="utf-8")))
    assert read, "the pattern finds nothing: the guard would be vacuous"
    assert read <= set(PARAMS), sorted(read - set(PARAMS))


@pytest.fixture
def admin_client(db):
    world = build_world()
    admin = f.make_user("quantri_tp", grants=[(world.root, Role.ADMINISTRATOR)])
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    return world, client


def api_query_params(client) -> dict[str, set[str]]:
    """Each API path's declared query parameters (ninja reads every key it is given)."""
    schema = client.get("/api/openapi.json").json()
    return {
        path: {p["name"] for op in item.values() for p in op.get("parameters", []) if p["in"] == "query"}
        for path, item in schema["paths"].items()
    }


def route_urls(world):
    """(url, API path template or None) of every GET route, with ward A's ids."""
    ids = {
        "unit_id": world.a.unit.pk,
        "person_id": world.a.person.pk,
        "position_id": world.a.position.pk,
        "assignment_id": world.a.assignment.pk,
        "title_id": world.title.pk,
        "area_id": world.area.pk,
        "indicator": "headcount",
    }
    routes = project_walk().routes
    return [(route.url(ids), "/" + re.sub(r"<([^>:]+)>", r"{\1}", route.template) if route.is_api else None) for route in routes]


@contextmanager
def recording_reads():
    """The names looked up in any QueryDict (request.GET) while the block runs."""
    read: set[str] = set()
    with pytest.MonkeyPatch.context() as patch:
        # Not __contains__: building a QueryDict tests every key with it, which is no read by a view.
        for name in ("get", "__getitem__", "getlist"):
            original = getattr(QueryDict, name)

            def recorded(self, key, *args, _original=original, **kwargs):
                read.add(key)
                return _original(self, key, *args, **kwargs)

            patch.setattr(QueryDict, name, recorded)
        yield read


def _shown(query: dict) -> str:
    return ", ".join(sorted({f"{k}={v[:12]!r}" if len(query) == 1 else repr(v[:12]) for k, v in query.items()}))


def test_no_get_route_answers_500_to_bad_parameters(admin_client):
    world, client = admin_client
    urls = route_urls(world)
    assert len(urls) > 50
    api_params = api_query_params(client)
    names = list(dict.fromkeys(PARAMS + sorted(set().union(*api_params.values()))))
    failures, asked_alone = [], set()

    def ask(url, query) -> tuple[int, set[str]]:
        # A savepoint per request: on PostgreSQL a failed statement would poison the rest.
        with recording_reads() as read, transaction.atomic():
            response = client.get(url, query)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"GET {url} → {response.status_code} with {_shown(query)}")
        return response.status_code, read & set(query)

    for url, api_path in urls:
        for query in garbage_queries(names):
            status, read = ask(url, query)
            if api_path is not None:
                read &= api_params.get(api_path, set())
            if 400 <= status < 500:
                for name in sorted(read):
                    if (url, name, query[name]) not in asked_alone:
                        asked_alone.add((url, name, query[name]))
                        ask(url, {name: query[name]})
    assert not failures, "\n".join(dict.fromkeys(failures))
    # The second pass ran where it matters: the API refuses `limit=abc` but must survive `q` alone.
    assert ("/api/people", "q", "\x00") in asked_alone


def test_editing_a_listed_post_by_a_bad_id_is_a_page_not_an_error(admin_client):
    """The bug report: /quy-dinh/vi-tri-chuyen-doi/?sua=abc answered 500 with a debug page."""
    _world, client = admin_client
    url = reverse("regulations:listed_posts")
    for bad in ("abc", "99999999999999999999999", "-1", "1.5"):
        response = client.get(url, {"sua": bad})
        assert response.status_code == 200, bad
        assert response.context["editing"] is None
    assert client.get(url, {"sua": "\x00"}).status_code == 400
    posted = client.post(url, {"post": "abc", "vt-name": ""})
    assert posted.status_code == 200 and posted.context["editing"] is None


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999999", "\x00"])
def test_deleting_by_a_bad_id_is_not_found(admin_client, bad):
    world, client = admin_client
    relations = reverse("regulations:person_relations", kwargs={"person_id": world.a.person.pk})
    assert client.post(relations, {"op": "delete", "relation": bad}).status_code == 404
    targets = reverse("regulations:targets", kwargs={"unit_id": world.a.unit.pk})
    assert client.post(targets, {"op": "delete_target", "target": bad}).status_code == 404
