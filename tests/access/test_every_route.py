"""THE access test: every URL of the project, walked as an officer of ward A.

For every URL pattern (found through `get_resolver()`, recursively through includes) and every
API operation (from /api/openapi.json), ward B's ids are substituted by kwarg name and the
response must be 404, identical to the response for an id that does not exist (same status;
for JSON, same body). The same URL with ward A's ids must not be 404, which shows that the
scoping, not a broken route, produces the 404. With two scoped kwargs, each is also swapped
alone for ward B's (the view must check every id, not just the first). A refused request
writes nothing to the audit trail. Pages without kwargs (also asked `?q=Bê`, for searches),
and A's pages, must not show ward B's names. Views that accept POST get an empty POST too
(on A's ids it is rolled back); API operations other than GET need a sample body in
API_SAMPLE_BODIES.

How each kwarg is treated (a new kwarg name fails `test_every_url_kwarg_is_registered` until
it is added to KWARGS below with its treatment):

| kwarg          | treatment                                                                    |
|----------------|------------------------------------------------------------------------------|
| unit_id        | scoped: ward A's unit / ward B's unit / missing id                           |
| person_id      | scoped: person kept in A's cell / person kept in B's cell / missing id       |
| position_id    | scoped: A's seat / B's seat / missing id                                     |
| assignment_id  | scoped: A's person on A's seat / B's person on B's seat / missing id         |
| title_id       | global catalogue: every user reads it; the existing title must not be 404,   |
|                | a missing id must be 404; in scoped URLs it stays the existing title         |
| area_id        | global catalogue (administrative areas): treated like title_id               |
| indicator      | a dashboard indicator key (API quotas drill-down): stays "headcount", which  |
|                | exists on every date, so only the scoped kwargs decide the answer            |

Skipped patterns, each with its reason, are listed in SKIPPED; the test fails if a skip no
longer matches anything (so the list cannot go stale silently).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern, RoutePattern

from canbo.access import services as access_services
from canbo.audit.models import AuditEvent

from .world import WARD_B_MARKERS, World, build_world

MISSING_ID = 987_654_321

# kwarg → how to get (ward A value, ward B value) from the world; None for global catalogues.
SCOPED_KWARGS: dict[str, Callable[[World], tuple[int, int]]] = {
    "unit_id": lambda w: (w.a.unit.pk, w.b.unit.pk),
    "person_id": lambda w: (w.a.person.pk, w.b.person.pk),
    "position_id": lambda w: (w.a.position.pk, w.b.position.pk),
    "assignment_id": lambda w: (w.a.assignment.pk, w.b.assignment.pk),
}
GLOBAL_KWARGS: dict[str, Callable[[World], int | str]] = {
    "title_id": lambda w: w.title.pk,
    "area_id": lambda w: w.area.pk,
    "indicator": lambda w: "headcount",
}
KWARGS = set(SCOPED_KWARGS) | set(GLOBAL_KWARGS)

# What is not walked, and why. Keys: "namespace:" for a whole include, or a URL name.
SKIPPED = {
    "admin:": "Django admin (quan-tri/): staff only, guarded by Django's own model permissions",
    "login": "login page: public by design",
    "logout": "logout: POST only, acts on the session, reads nothing",
    "set_language": "i18n/setlang/: switches the interface language, reads nothing",
}
# Only present when DEBUG serves static files; skipped by URL prefix when it is.
STATIC_PREFIXES = ("static/", "media/")

# Request bodies for API operations that take one (issue 4 adds writes): keyed by
# (METHOD, openapi path). Without a valid body ninja answers 422 before the lookup, which
# would prove nothing about scoping, so such an operation must be registered here.
API_SAMPLE_BODIES: dict[tuple[str, str], dict] = {}

# List and search pages are also asked for ward B by name: a search is where a leak hides.
SEARCH_FOR_WARD_B = "q=B%C3%AA&term=B%C3%AA&search=B%C3%AA"  # "Bê", in every marker

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_API_PARAM = re.compile(r"\{(?P<name>[^}:]+)\}")


@dataclass(frozen=True)
class Route:
    template: str  # "don-vi/<int:unit_id>/" relative to the site root
    name: str  # namespaced URL name, "" when the pattern has none
    namespaces: tuple[str, ...]
    kwargs: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return "api" in self.namespaces

    def url(self, values: dict[str, int]) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m["name"]]), self.template)


@dataclass
class Walk:
    routes: list[Route] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)


def _skip_key(namespaces: tuple[str, ...], name: str | None) -> str | None:
    for ns in namespaces:
        if f"{ns}:" in SKIPPED:
            return f"{ns}:"
    if name and name in SKIPPED and not namespaces:
        return name
    return None


def walk_patterns(patterns, prefix: str = "", namespaces: tuple[str, ...] = (), result: Walk | None = None) -> Walk:
    """Every endpoint pattern under `patterns`, with its full route and kwargs."""
    result = result if result is not None else Walk()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            key = _skip_key(inner, None)
            if key:
                result.skipped.setdefault(key, []).append(prefix + str(pattern.pattern))
                continue
            if not isinstance(pattern.pattern, RoutePattern):
                result.unsupported.append(f"{prefix}{pattern.pattern} (regex include: use path())")
                continue
            walk_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner, result)
        elif isinstance(pattern, URLPattern):
            full = prefix + str(pattern.pattern)
            key = _skip_key(namespaces, pattern.name)
            if key:
                result.skipped.setdefault(key, []).append(full)
                continue
            if full.startswith(STATIC_PREFIXES) or full.lstrip("^").startswith(STATIC_PREFIXES):
                result.skipped.setdefault("static", []).append(full)
                continue
            if isinstance(pattern.pattern, RegexPattern):
                result.unsupported.append(f"{full} (regex pattern: use path() so the walker can fill it)")
                continue
            name = ":".join([*namespaces, pattern.name]) if pattern.name else ""
            result.routes.append(Route(full, name, namespaces, tuple(m["name"] for m in _PARAM.finditer(full))))
    return result


def unregistered_kwargs(routes: list[Route]) -> dict[str, list[str]]:
    unknown: dict[str, list[str]] = {}
    for route in routes:
        for kwarg in route.kwargs:
            if kwarg not in KWARGS:
                unknown.setdefault(kwarg, []).append("/" + route.template)
    return unknown


def project_walk() -> Walk:
    return walk_patterns(get_resolver().url_patterns)


# The walker itself --------------------------------------------------------------------------
def _view(request, **kwargs):  # pragma: no cover - never called
    raise AssertionError


def test_walker_flags_unknown_kwargs_and_regex_patterns():
    from django.urls import include, re_path

    fake = [
        path("a/<int:unit_id>/", _view, name="known"),
        path("b/", include(([path("<int:motion_id>/", _view, name="x")], "b"), namespace="b")),
        re_path(r"^c/(?P<unit_id>\d+)/$", _view),
    ]
    walk = walk_patterns(fake)
    assert unregistered_kwargs(walk.routes) == {"motion_id": ["/b/<int:motion_id>/"]}
    assert walk.unsupported == ["^c/(?P<unit_id>\\d+)/$ (regex pattern: use path() so the walker can fill it)"]
    assert walk.routes[0].url({"unit_id": 7}) == "/a/7/"


def test_every_url_kwarg_is_registered():
    walk = project_walk()
    unknown = unregistered_kwargs(walk.routes)
    assert not unknown, (
        "URL kwargs unknown to the access test: "
        + json.dumps(unknown, ensure_ascii=False)
        + ". Name them unit_id/person_id/position_id/assignment_id/title_id/area_id, or register the new "
        "name in tests/access/test_every_route.py (SCOPED_KWARGS or GLOBAL_KWARGS) with objects of ward A and B."
    )
    assert not walk.unsupported, walk.unsupported


def test_skips_are_explicit_and_still_match():
    walk = project_walk()
    stale = set(SKIPPED) - set(walk.skipped)
    assert not stale, f"SKIPPED entries that match no URL any more: {sorted(stale)}"
    assert set(walk.skipped) <= set(SKIPPED) | {"static"}


# The walk ----------------------------------------------------------------------------------
@pytest.fixture
def world(db) -> World:
    return build_world()


@dataclass
class Checker:
    client: object
    headers: dict
    problems: list[str] = field(default_factory=list)
    walked: list[str] = field(default_factory=list)

    def request(self, method: str, url: str, body: dict | None = None, *, rollback: bool = False):
        """One request in a savepoint: a crashing view (or, on PostgreSQL, a failed statement)
        must not hide the other routes' results. `rollback` undoes whatever the request wrote."""
        kwargs = dict(self.headers)
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        try:
            with transaction.atomic():
                response = getattr(self.client, method.lower())(url, **kwargs)
                if rollback:
                    transaction.set_rollback(True)
            return response
        except Exception as exc:
            self.problems.append(f"{method} {url}: raised {type(exc).__name__}: {exc}")
            return None

    def no_markers(self, method: str, url: str, response) -> None:
        body = response.content.decode("utf-8", "replace")
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        leaked = [m for m in WARD_B_MARKERS if m in body]
        if leaked:
            self.problems.append(f"{method} {url}: shows ward B's {leaked}")

    def check(self, method: str, label: str, make_url: Callable[[str], str], scoped: list[str], *, compare_body: bool, body=None):
        """`make_url(which)` builds the URL with ward "A", ward "B", "missing" or "mixed:<kwarg>" ids."""
        self.walked.append(f"{method} {label}")
        events = AuditEvent.objects.count()
        url_b, url_missing = make_url("B"), make_url("missing")
        b = self.request(method, url_b, body)
        missing = self.request(method, url_missing, body)
        if b is None or missing is None:
            return
        if b.status_code != 404:
            self.problems.append(f"{method} {url_b}: ward B's object answered {b.status_code}, expected 404")
        if missing.status_code != b.status_code:
            self.problems.append(f"{method} {url_b} → {b.status_code} but a missing id → {missing.status_code}")
        elif compare_body and b.content != missing.content:
            self.problems.append(f"{method} {url_b}: body differs from a missing id's: {b.content[:200]!r} vs {missing.content[:200]!r}")
        for kwarg in scoped if len(scoped) > 1 else []:
            url_mixed = make_url(f"mixed:{kwarg}")
            mixed = self.request(method, url_mixed, body)
            if mixed is not None and mixed.status_code != 404:
                self.problems.append(f"{method} {url_mixed}: only {kwarg} is ward B's, answered {mixed.status_code}")
        if AuditEvent.objects.count() != events:
            self.problems.append(f"{method} {url_b}: a refused request wrote to the audit trail")
        # Ward A's ids: the route works, so the 404 above comes from the scoping. A POST may
        # write: it is rolled back.
        a = self.request(method, make_url("A"), body, rollback=True)
        if a is None:
            return
        if a.status_code == 404:
            self.problems.append(f"{method} {make_url('A')}: ward A's own object answered 404 (broken route?)")
        elif method == "GET":
            self.no_markers(method, make_url("A"), a)


def _values(world: World, kwargs: tuple[str, ...], which: str) -> dict[str, int]:
    values = {}
    for kwarg in kwargs:
        if kwarg in GLOBAL_KWARGS:
            values[kwarg] = GLOBAL_KWARGS[kwarg](world)
            continue
        a, b = SCOPED_KWARGS[kwarg](world)
        if which == "A" or (which.startswith("mixed:") and which != f"mixed:{kwarg}"):
            values[kwarg] = a
        elif which == "missing":
            values[kwarg] = MISSING_ID
        else:
            values[kwarg] = b
    return values


def _walk_django_routes(checker: Checker, world: World, routes: list[Route]) -> None:
    for route in routes:
        scoped = [k for k in route.kwargs if k in SCOPED_KWARGS]
        if not route.kwargs:
            checker.walked.append(f"GET /{route.template}")
            for url in ("/" + route.template, f"/{route.template}?{SEARCH_FOR_WARD_B}"):
                response = checker.request("GET", url)
                if response is not None:
                    if response.status_code >= 500:
                        checker.problems.append(f"GET {url}: {response.status_code}")
                    checker.no_markers("GET", url, response)
            continue
        if not scoped:
            # Only global catalogue kwargs: the existing object answers, a missing id is 404.
            existing = route.url(_values(world, route.kwargs, "A"))
            missing = route.url({k: MISSING_ID for k in route.kwargs})
            checker.walked.append(f"GET /{route.template} (catalogue)")
            ok, absent = checker.request("GET", existing), checker.request("GET", missing)
            if ok is not None and ok.status_code == 404:
                checker.problems.append(f"GET {existing}: an existing catalogue object answered 404")
            if ok is not None and ok.status_code < 400:
                checker.no_markers("GET", existing, ok)
            if absent is not None and absent.status_code != 404:
                checker.problems.append(f"GET {missing}: a missing catalogue object answered {absent.status_code}")
            continue

        def make_url(which, route=route):
            return route.url(_values(world, route.kwargs, which))

        checker.check("GET", "/" + route.template, make_url, scoped, compare_body=route.is_api)
        if route.is_api:
            continue  # API methods are walked from the OpenAPI schema, with their bodies
        # POST with an empty body; a view that refuses POST answers 405 for A, B and missing alike.
        probe = checker.request("POST", make_url("A"), rollback=True)
        if probe is None or probe.status_code != 405:
            checker.check("POST", "/" + route.template, make_url, scoped, compare_body=False)


def _openapi_operations(client) -> list[tuple[str, str, tuple[str, ...]]]:
    schema = client.get("/api/openapi.json").json()
    operations = []
    for api_path, item in schema["paths"].items():
        for method in item:
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                operations.append((method.upper(), api_path, tuple(m["name"] for m in _API_PARAM.finditer(api_path))))
    return operations


def _walk_api_operations(checker: Checker, world: World, operations) -> None:
    for method, api_path, kwargs in operations:
        unknown = [k for k in kwargs if k not in KWARGS]
        if unknown:
            checker.problems.append(f"{method} {api_path}: path parameters {unknown} unknown to the access test")
            continue
        body = API_SAMPLE_BODIES.get((method, api_path))
        if method != "GET" and body is None:
            checker.problems.append(f"{method} {api_path}: register a valid sample body in API_SAMPLE_BODIES")
            continue
        scoped = [k for k in kwargs if k in SCOPED_KWARGS]
        if not scoped:
            checker.walked.append(f"{method} {api_path}")
            urls = (api_path, f"{api_path}?{SEARCH_FOR_WARD_B}") if method == "GET" else (api_path,)
            for url in urls:
                response = checker.request(method, url, body)
                if response is not None and response.status_code < 400:
                    checker.no_markers(method, url, response)
            continue

        def make_url(which, api_path=api_path, kwargs=kwargs):
            values = _values(world, kwargs, which)
            return _API_PARAM.sub(lambda m: str(values[m["name"]]), api_path)

        checker.check(method, api_path, make_url, scoped, compare_body=True, body=body)


def _report(checker: Checker) -> str:
    return "\n".join(["Access problems:", *dict.fromkeys(checker.problems), "", f"Walked ({len(checker.walked)}):", *checker.walked])


def test_every_route_answers_404_for_ward_b_like_a_missing_id(client, world):
    client.force_login(world.officer)
    walk = project_walk()
    assert not unregistered_kwargs(walk.routes), "see test_every_url_kwarg_is_registered"
    checker = Checker(client, headers={})
    _walk_django_routes(checker, world, walk.routes)
    _walk_api_operations(checker, world, _openapi_operations(client))
    assert not checker.problems, _report(checker)
    # The walk reached the API's scoped routes: a walker that silently found nothing proves nothing.
    assert {"GET /api/units/{unit_id}", "GET /api/people/{person_id}", "GET /api/assignments/{assignment_id}"} <= set(
        checker.walked
    )


def test_every_api_route_with_a_bearer_token(client, world):
    _token, key = access_services.api_token_create(actor=None, user=world.officer, name="kiểm thử truy cập")
    checker = Checker(client, headers={"HTTP_AUTHORIZATION": f"Bearer {key}"})
    operations = _openapi_operations(client)
    _walk_api_operations(checker, world, operations)
    assert not checker.problems, _report(checker)
    assert len([op for op in operations if op[2]]) >= 6


def test_every_openapi_path_is_a_walked_url_pattern():
    from django.test import Client

    schema_paths = set(json.loads(Client().get("/api/openapi.json").content)["paths"])
    walked = {"/" + _PARAM.sub(lambda m: "{" + m["name"] + "}", r.template) for r in project_walk().routes if r.is_api}
    assert schema_paths <= walked, schema_paths - walked


def test_the_walk_notices_an_unscoped_lookup(client, world, monkeypatch):
    """The checker is not vacuous: with the unit scoping switched off, it reports ward B's unit."""
    from canbo.access.policy import AccessPolicy
    from canbo.org.models import Unit

    monkeypatch.setattr(AccessPolicy, "units", lambda self, permission="view": Unit.objects.all())
    client.force_login(world.officer)
    checker = Checker(client, headers={})
    _walk_api_operations(checker, world, _openapi_operations(client))
    assert f"GET /api/units/{world.b.unit.pk}: ward B's object answered 200, expected 404" in checker.problems
    assert "GET /api/units: shows ward B's ['Phường Thử Nghiệm Bê', 'Chi bộ Bê Một']" in checker.problems
    assert f"GET /api/units/{world.b.unit.pk}/positions → 200 but a missing id → 404" in checker.problems
