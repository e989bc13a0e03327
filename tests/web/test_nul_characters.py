"""A NUL character gets a Vietnamese answer like every other bad input: a message on the form
field it was typed into, or the Vietnamese 400 page when it sits in a page's address."""

import pytest
from django.test import Client
from django.urls import reverse

from canbo.access.models import Role
from canbo.people.models import Person
from tests import factories as f
from tests.people.test_person_forms import person_post

NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL, mã 0) trong nội dung: hãy xóa rồi gõ lại."


@pytest.fixture
def officer(client, city):
    client.force_login(f.make_user("city_officer", grants=[(city["root"], Role.OFFICER)]))
    return Client(raise_request_exception=False), client


def test_a_nul_in_a_form_field_is_reported_on_the_field_in_vietnamese(officer, city):
    _plain, client = officer
    response = client.post(reverse("people:person_create"), person_post(city["ward_a"], full_name="Nguyễn\x00 Thị Mai"))
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [NUL_MESSAGE]
    assert NUL_MESSAGE in response.content.decode()
    assert "Null characters" not in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "url", [reverse("people:person_list"), reverse("org:tree"), reverse("people:unit_chooser")]
)
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b&page=2", "tim=%00", "%00=1"])
def test_a_nul_in_a_page_address_answers_the_vietnamese_400_page(officer, url, query):
    plain, client = officer
    plain.cookies = client.cookies
    response = plain.get(f"{url}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Yêu cầu không hợp lệ" in html


@pytest.mark.parametrize("path", ["/api/people", "/api/units"])
def test_the_api_refuses_nul_with_its_documented_422(officer, path):
    _plain, client = officer
    response = client.get(f"{path}?q=a%00b")
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "q: không được chứa ký tự NUL (mã 0)"
