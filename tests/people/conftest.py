"""Fixtures of the people pages: users with grants on the test city, logged-in clients."""

import pytest

from canbo.access.models import Role

from .. import factories as f


@pytest.fixture
def city_officer(city):
    return f.make_user("city_officer", grants=[(city["root"], Role.OFFICER)])


@pytest.fixture
def ward_officer(city):
    """An officer of ward A only: ward B's people, units and seats must stay invisible."""
    return f.make_user("ward_officer", grants=[(city["ward_a"], Role.OFFICER)])


@pytest.fixture
def reader(city):
    return f.make_user("reader", grants=[(city["root"], Role.READER)])


@pytest.fixture
def officer_client(client, city_officer):
    client.force_login(city_officer)
    return client


@pytest.fixture
def ward_client(client, ward_officer):
    client.force_login(ward_officer)
    return client
