"""AreaField and its autocomplete widget: rendering, cleaning, restrictions, use in a ModelForm."""

import datetime as dt
import re

from django import forms

from canbo.areas.forms import AreaAutocomplete, AreaField
from canbo.areas.models import AdminArea
from canbo.people.models import Person


class PlaceForm(forms.Form):
    birthplace = AreaField(label="Nơi sinh", required=False)
    residence = AreaField(label="Nơi thường trú", regime=AdminArea.Regime.TWO_TIER, level=AdminArea.Level.COMMUNE)


class PersonPlacesForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["birthplace", "hometown"]
        field_classes = {"birthplace": AreaField, "hometown": AreaField}


def test_empty_widget_renders_text_input_hidden_input_and_htmx_search(hanoi_areas):
    html = str(PlaceForm()["residence"])
    assert re.search(r'<input type="hidden" name="residence" id="id_residence_value" value="">', html)
    text_input = re.search(r'<input type="text"[^>]*>', html).group(0)
    assert 'id="id_residence"' in text_input and "name=" not in text_input  # the text itself is never submitted
    assert 'hx-get="/dia-ban/tim/?regime=2025&amp;level=3"' in text_input
    assert "hx-on::config-request" in text_input and "required" in text_input
    assert 'class="area-suggestions' in html and "data-area-id" in html  # the click handler reads the suggestions


def test_editing_shows_the_current_areas_full_name(hanoi_areas, django_assert_num_queries):
    form = PlaceForm(initial={"birthplace": hanoi_areas["legacy_commune"], "residence": hanoi_areas["ba_dinh"].pk})
    with django_assert_num_queries(1):
        html = str(form["birthplace"])
    assert f'value="{hanoi_areas["legacy_commune"].pk}"' in html
    assert 'value="Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội"' in html
    assert 'value="Phường Ba Đình, Thành phố Hà Nội"' in str(form["residence"])


def test_cleans_an_id_into_an_area_with_its_parents(hanoi_areas, django_assert_num_queries):
    form = PlaceForm(data={"birthplace": str(hanoi_areas["legacy_commune"].pk), "residence": str(hanoi_areas["ba_dinh"].pk)})
    assert form.is_valid(), form.errors
    with django_assert_num_queries(0):
        assert form.cleaned_data["birthplace"].full_name == "Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội"
    assert form.cleaned_data["residence"] == hanoi_areas["ba_dinh"]


def test_rejects_areas_outside_the_fields_restriction_and_unknown_ids(hanoi_areas):
    legacy = PlaceForm(data={"residence": str(hanoi_areas["legacy_commune"].pk)})
    assert not legacy.is_valid()
    assert legacy.errors["residence"] == ["Hãy chọn một địa bàn trong danh sách gợi ý."]
    province = PlaceForm(data={"residence": str(hanoi_areas["province"].pk)})
    assert "residence" in province.errors  # a 2025 province is not a commune
    assert "birthplace" in PlaceForm(data={"birthplace": "999999999", "residence": str(hanoi_areas["ba_dinh"].pk)}).errors
    missing = PlaceForm(data={"residence": ""})
    assert "residence" in missing.errors
    # A rejected value is echoed back (as typed) so the user can correct it.
    assert 'value="Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội"' in str(legacy["residence"])


def test_valid_on_a_date(hanoi_areas):
    field = AreaField(on=dt.date(2025, 7, 1))
    assert field.clean(str(hanoi_areas["ba_dinh"].pk)) == hanoi_areas["ba_dinh"]
    assert "on=2025-07-01" in field.widget.search_url()
    try:
        field.clean(str(hanoi_areas["legacy_commune"].pk))
    except forms.ValidationError as error:
        assert error.messages == ["Hãy chọn một địa bàn trong danh sách gợi ý."]
    else:
        raise AssertionError("a legacy commune is not valid on 01/07/2025")


def test_model_form_with_field_classes(hanoi_areas):
    form = PersonPlacesForm(data={"birthplace": str(hanoi_areas["ba_dinh"].pk), "hometown": ""})
    assert isinstance(form.fields["birthplace"].widget, AreaAutocomplete)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birthplace"] == hanoi_areas["ba_dinh"] and form.cleaned_data["hometown"] is None
