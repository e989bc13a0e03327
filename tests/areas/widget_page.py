"""A bare page with an AreaField, for the browser test of the autocomplete (a test-only URLconf)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from canbo.areas.forms import AreaField
from canbo.areas.models import AdminArea

PAGE = engines["django"].from_string(
    """{% load static %}<!doctype html><html lang="vi"><head><meta charset="utf-8">
<script src="{% static 'vendor/htmx-2.0.11/htmx.min.js' %}"></script></head><body>
<form method="post">{% csrf_token %}{{ form.as_p }}<button type="submit">Lưu</button></form>
<p id="result">{{ result }}</p></body></html>"""
)


class ResidenceForm(forms.Form):
    residence = AreaField(label="Nơi thường trú", regime=AdminArea.Regime.TWO_TIER)


@login_required
def residence_page(request):
    form = ResidenceForm(request.POST or None)
    result = form.cleaned_data["residence"].full_name if request.method == "POST" and form.is_valid() else ""
    return HttpResponse(PAGE.render({"form": form, "result": result}, request))


urlpatterns = [
    path("", include("canbo.areas.urls")),
    path("thu-dia-ban/", residence_page),
]
