"""The area search endpoint behind the autocomplete widget (public reference data, login required)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from canbo.common.dates import parse_iso_date

from .models import AdminArea
from .selectors import search_areas

MAX_LIMIT = 50


@login_required
@require_GET
def search(request):
    """Suggestions for `q` as an HTML fragment; optional filters `regime`, `level`, `on`, `limit`.

    Areas are the same for every user, so the access policy does not narrow them.
    """
    params = request.GET
    regime = params.get("regime") or None
    if regime is not None and regime not in AdminArea.Regime.values:
        return HttpResponseBadRequest("regime: giá trị không hợp lệ".encode())
    try:
        level = int(params["level"]) if params.get("level") else None
        if level is not None and level not in AdminArea.Level.values:
            raise ValueError
        on = parse_iso_date(params["on"], field="on") if params.get("on") else None
        limit = min(max(int(params.get("limit") or 20), 1), MAX_LIMIT)
    except ValueError:
        return HttpResponseBadRequest("level, on, limit: giá trị không hợp lệ".encode())
    query = params.get("q", "")
    results = search_areas(query, regime=regime, level=level, on=on, limit=limit)
    return render(request, "areas/partials/search_results.html", {"results": results, "query": query.strip()})
