"""Pages of the structure: the unit tree, a unit's page and history, and the forms that change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from canbo.access.models import Permission
from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.people.populations import definitions
from canbo.web.params import as_of_context

from . import selectors, services
from .forms import PositionCreateForm, PositionUpdateForm, UnitForm, UnitMoveForm
from .models import Unit

HISTORY_PAGE_SIZE = 50


def _as_of(request) -> dict:
    return as_of_context(request)


@login_required
def tree(request):
    policy = policy_for(request)
    context = _as_of(request)
    day = context["as_of"]
    query = (request.GET.get("q") or "").strip()
    if query:
        results = selectors.search_units(query, day, policy)
        context.update(
            query=query,
            results=results,
            results_cap=selectors.SEARCH_RESULTS_SHOWN if len(results) >= selectors.SEARCH_RESULTS_SHOWN else None,
        )
    else:
        roots = selectors.with_counts(selectors.root_units_on(day, policy), day, policy)
        context.update(nodes=roots, open_nodes=len(roots) == 1)
    context["definitions"] = definitions()
    # The filter box swaps only the panel; any other request gets the whole page.
    panel_only = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "tree-panel"
    return render(request, "org/_tree_panel.html" if panel_only else "org/tree.html", context)


@login_required
def tree_children(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    context = _as_of(request)
    day = context["as_of"]
    context["nodes"] = selectors.with_counts(selectors.children_on(unit, day, policy), day, policy)
    return render(request, "org/_tree_nodes.html", context)


@login_required
def unit_detail(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    context = _as_of(request)
    context.update(selectors.unit_detail_context(unit, context["as_of"], policy), definitions=definitions())
    return render(request, "org/unit_detail.html", context)


@login_required
def unit_history(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id, Permission.VIEW_AUDIT)
    context = _as_of(request)
    page = Paginator(selectors.unit_events(unit), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    state_event, state_fields = selectors.unit_state_on(unit, context["as_of"], policy)
    context.update(
        unit=unit,
        ancestors=selectors.visible_ancestors_map([unit], policy)[unit.pk],
        page=page,
        rows=selectors.history_rows(page.object_list, policy),
        state_event=state_event,
        state_fields=state_fields,
    )
    return render(request, "org/unit_history.html", context)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_page(request, *, form, unit, heading, submit, intro=""):
    policy = policy_for(request)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "unit": unit,
            "ancestors": selectors.visible_ancestors_map([unit], policy)[unit.pk],
            "heading": heading,
            "submit": submit,
            "intro": intro,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request, unit_id):
    parent = policy_for(request).get_unit(unit_id, Permission.EDIT)
    form = UnitForm(_posted(request), parent=parent, policy=policy_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã thêm đơn vị «%(name)s».") % {"name": unit.name})
            return redirect("org:unit_detail", unit_id=unit.pk)
    return _form_page(
        request,
        form=form,
        unit=parent,
        heading=_("Thêm đơn vị trực thuộc «%(name)s»") % {"name": parent.name},
        submit=_("Thêm đơn vị"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id, Permission.EDIT)
    parent = Unit.objects.get_parent(unit)
    form = UnitForm(_posted(request), instance=unit, parent=parent, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị «%(name)s».") % {"name": form.cleaned_data["name"]})
            return redirect("org:unit_detail", unit_id=unit.pk)
    return _form_page(
        request, form=form, unit=unit, heading=_("Sửa thông tin đơn vị «%(name)s»") % {"name": unit.name}, submit=_("Lưu thay đổi")
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id, Permission.EDIT)
    choices = policy.units(Permission.EDIT).filter(Unit.existing_on_q(today())).exclude(pk=unit.pk).order_by("path")
    current_parent = Unit.objects.get_parent(unit)
    form = UnitMoveForm(_posted(request), choices=choices, initial={"parent": current_parent})
    if request.method == "POST" and form.is_valid():
        new_parent = form.cleaned_data["parent"]
        try:
            services.unit_move(actor=request.user, unit=unit, new_parent=new_parent)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if current_parent is not None and current_parent.pk == new_parent.pk:
                messages.info(request, _("Đơn vị đã trực thuộc «%(name)s»; không có gì thay đổi.") % {"name": new_parent.name})
            else:
                messages.success(
                    request,
                    _("Đã chuyển «%(unit)s» cùng các đơn vị trực thuộc sang «%(parent)s».")
                    % {"unit": unit.name, "parent": new_parent.name},
                )
            return redirect("org:unit_detail", unit_id=unit.pk)
    return _form_page(
        request,
        form=form,
        unit=unit,
        heading=_("Chuyển đơn vị «%(name)s»") % {"name": unit.name},
        submit=_("Chuyển đơn vị"),
        intro=_("Đơn vị được chuyển cùng toàn bộ đơn vị trực thuộc, vị trí chức vụ và hồ sơ cán bộ đang lưu tại đó. Thao tác được ghi vào nhật ký."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request, unit_id):
    unit = policy_for(request).get_unit(unit_id, Permission.EDIT)
    form = PositionCreateForm(_posted(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã thêm vị trí «%(title)s».") % {"title": position.title.name})
            return redirect("org:unit_detail", unit_id=unit.pk)
    return _form_page(
        request, form=form, unit=unit, heading=_("Thêm vị trí chức vụ cho «%(name)s»") % {"name": unit.name}, submit=_("Thêm vị trí")
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_update(request, position_id):
    position = policy_for(request).get_position(position_id, Permission.EDIT)
    form = PositionUpdateForm(_posted(request), instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(actor=request.user, position=position, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã lưu vị trí «%(title)s».") % {"title": position.title.name})
            return redirect("org:unit_detail", unit_id=position.unit_id)
    return _form_page(
        request,
        form=form,
        unit=position.unit,
        heading=_("Sửa vị trí «%(title)s» – %(unit)s") % {"title": position.title.name, "unit": position.unit.name},
        submit=_("Lưu thay đổi"),
    )
