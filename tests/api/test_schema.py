"""The API against its own OpenAPI schema: the document is valid OpenAPI 3.1, and schemathesis
walks every operation (valid and invalid parameters, with and without a token) against the WSGI
app over a small city: no 5xx, and every response has a documented status code, content type
and body shape.

Deterministic and bounded: Hypothesis is derandomized with a fixed number of examples per
operation and no example database; ids and indicator keys of the city are mixed into the
generated path parameters, so the 200 answers are checked too, not only the 404s.
"""

import jsonschema_rs
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from canbo.access import services as access_services
from canbo.common.dates import today
from canbo.dashboard.selectors import build_catalogue
from canbo.org.models import Unit
from canbo.people.models import Assignment, Person

from ..dashboard.conftest import quota_city  # noqa: F401  (the dashboard's city, a fixture)

MAX_EXAMPLES = 50


def test_openapi_document_is_valid_openapi_3_1(client, db):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert not errors, errors
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_operation_documents_its_errors_and_parameters(client, db):
    document = client.get("/api/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            assert operation.get("summary"), label
            assert {"200", "401", "422"} <= set(operation["responses"]), label
            if "{" in path or any(p["name"] in {"parent", "unit"} for p in operation.get("parameters", [])):
                assert "404" in operation["responses"], label
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{label}: {parameter['name']}"
            names = {p["name"] for p in operation.get("parameters", [])}
            returns_page = "count" in _resolve(document, operation["responses"]["200"])["properties"]
            if returns_page:
                assert {"limit", "offset"} <= names, f"{label}: a list without pagination"


def _resolve(document, response) -> dict:
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


@pytest.fixture
def token_headers(quota_city):  # noqa: F811
    _token, key = access_services.api_token_create(actor=None, user=quota_city.officer, name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


def _real_path_values() -> dict[str, list]:
    """Ids of the city (and today's indicator keys), so generated requests also reach real rows."""
    return {
        "unit_id": sorted(Unit.objects.values_list("pk", flat=True)),
        "person_id": sorted(Person.objects.values_list("pk", flat=True)),
        "position_id": sorted(set(Assignment.objects.values_list("position_id", flat=True))),
        "assignment_id": sorted(Assignment.objects.values_list("pk", flat=True)),
        "indicator": sorted(build_catalogue(today()).indicators),
    }


def _strategy(operation, real: dict[str, list]):
    """Valid and invalid requests as schemathesis generates them, and valid ones on real rows."""
    strategies = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    names = [p.name for p in operation.path_parameters]
    if names:
        real_params = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
        on_real_rows = real_params.flatmap(
            lambda params: operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=params)
        )
        strategies += [on_real_rows, on_real_rows]  # weighted: most generated ids match no row
    return st.one_of(strategies)


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, kept from closing the test's database connection after each request.

    The handler closes connections it thinks stale when a request starts and ends; on PostgreSQL
    that is the connection holding the test's transaction. Django's test client disconnects the
    same receiver around its requests.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_conforms_to_its_schema(quota_city, token_headers, wsgi_app):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    real = _real_path_values()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = {}
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, real))
        def run(case):
            case.call_and_validate(headers=token_headers)

        try:
            run()
        except Exception as exc:  # every operation is walked; all failures are reported together
            failures[operation.label] = f"{type(exc).__name__}: {exc}"
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
