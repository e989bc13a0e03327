"""Pages of the regulations engine: a person's rules (retirement, relations, eligibility), a
unit's deadlines and compliance, local targets, the parameters and the listed posts.

Every page reads through the access policy (404 outside the user's subtree) and every write
goes through a service that records an AuditEvent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from canbo.access.models import Permission
from canbo.access.policy import policy_for
from canbo.audit.models import AuditEvent
from canbo.common.dates import today
from canbo.org.models import Unit
from canbo.org.selectors import visible_ancestors_map
from canbo.people import services as people_services
from canbo.people.catalogues import RelationKind
from canbo.people.forms import add_service_errors
from canbo.people.models import Assignment, Relation
from canbo.people.selectors import positions_matching, relatives_of
from canbo.web.params import as_of_date, id_param

from . import services
from .compliance import RULES, check_unit, diff_reports, reform_keys
from .deadlines import KINDS, deadlines_in
from .eligibility import ActionNotAllowed, evaluate_eligibility, service_left_summary
from .exports import deadlines_csv, deadlines_xlsx
from .forms import (
    EligibilityForm,
    ListedPostForm,
    ReformForm,
    RelationForm,
    ResolutionForm,
    TargetForm,
    WindowForm,
    default_window,
)
from .models import ListedPost, LocalResolution, LocalTarget
from .params import ParameterNotInForce, default_parameters
from .structure import path_prefixes

CHOOSER_LIMIT = 40


# A person's rules ---------------------------------------------------------------------------


@login_required
def person_rules(request, person_id):
    policy = policy_for(request)
    person = policy.get_person(person_id)
    as_of, as_of_error = as_of_date(request)
    params = default_parameters()
    summary = service_left_summary(person, as_of, params)
    positions = policy.positions()
    question = None
    decision = None
    refusal = None
    if "hanh_dong" in request.GET:
        question = EligibilityForm(request.GET, positions=positions)
        if question.is_valid():
            data = question.cleaned_data
            try:
                decision = evaluate_eligibility(
                    person, data["hanh_dong"], data["vi_tri"], data["ngay_xet"], term=data["nhiem_ky"] or None, params=params
                )
            except ActionNotAllowed as exc:
                refusal = str(exc)
                question.add_error("hanh_dong", refusal)
    else:
        question = EligibilityForm(positions=positions, initial={"ngay_xet": as_of, "hanh_dong": "appoint"})
    can_edit = policy.covers_path(person.unit.path, Permission.EDIT)
    context = {
        "person": person,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "summary": summary,
        "relatives": _visible_relatives(policy, person),
        "relation_form": RelationForm(people=policy.people()) if can_edit else None,
        "can_edit": can_edit,
        "question": question,
        "decision": decision,
        "refusal": refusal,
        "crumb": _("Quy định"),
        "age": person.age_on(today()),
        "tab": "rules",
        "can_view_audit": policy.covers_path(person.unit.path, Permission.VIEW_AUDIT),
    }
    return render(request, "regulations/person_rules.html", context)


def _visible_relatives(policy, person):
    """Relatives with whether the user may open their record (names are shown either way:
    the tie is part of this person's record)."""
    ties = relatives_of(person)
    visible = set(policy.people().filter(pk__in=[r.pk for r, _k, _row in ties]).values_list("pk", flat=True))
    return [
        {"person": relative, "kind": RelationKind(kind).label, "relation": row, "visible": relative.pk in visible}
        for relative, kind, row in ties
    ]


@login_required
def person_relations(request, person_id):
    """Add or remove a family tie (POST), through the people services (audited)."""
    policy = policy_for(request)
    person = policy.get_person(person_id, Permission.EDIT)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    target = reverse("regulations:person_rules", kwargs={"person_id": person.pk})
    if request.POST.get("op") == "delete":
        relation = (
            Relation.objects.filter(Q(person=person) | Q(relative=person), pk=id_param(request.POST, "relation") or 0)
            .select_related("person", "relative")
            .first()
        )
        if relation is None:
            raise Http404
        people_services.relation_delete(actor=request.user, relation=relation)
        messages.success(request, _("Đã xóa quan hệ gia đình."))
        return redirect(target)
    form = RelationForm(request.POST, people=policy.people())
    if form.is_valid():
        try:
            people_services.relation_create(
                actor=request.user, person=person, relative=form.cleaned_data["relative"], kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi quan hệ gia đình."))
            return redirect(target)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return redirect(target)


@login_required
@require_GET
def position_chooser(request):
    """Seats the user may see, for the eligibility question (a read: view permission suffices)."""
    policy = policy_for(request)
    day = today()
    positions = positions_matching(policy.positions(), request.GET.get("tim", "")[:100])
    positions = list(
        positions.select_related("unit", "title")
        .annotate(held=Count("assignments", filter=Assignment.current_on_q(day, "assignments__")))
        .order_by("unit__path", "-title__rank", "title__name")[:CHOOSER_LIMIT]
    )
    return render(request, "people/chooser/positions.html", {"positions": positions, "limit": CHOOSER_LIMIT})


def _unit_header(policy, unit) -> dict:
    return {"unit": unit, "ancestors": visible_ancestors_map([unit], policy)[unit.pk], "as_of_query": ""}


# A unit's deadlines ------------------------------------------------------------------------------


@login_required
def deadlines(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    start, end = default_window(today())
    asked = "tu" in request.GET or "den" in request.GET
    form = WindowForm(request.GET if asked else None, initial={"tu": start, "den": end})
    if asked and form.is_valid():
        start, end = form.cleaned_data["tu"], form.cleaned_data["den"]
    report = None if asked and form.errors else deadlines_in(unit, start, end)
    export = request.GET.get("xuat")
    if report is not None and export in {"csv", "xlsx"}:
        return deadlines_csv(report, unit) if export == "csv" else deadlines_xlsx(report, unit)
    kind = request.GET.get("loai", "")
    items = report.items if report else []
    if kind in KINDS:
        items = [i for i in items if i.kind == kind]
    context = {
        **_unit_header(policy, unit),
        "form": form,
        "report": report,
        "items": items,
        "kinds": KINDS,
        "kind": kind,
        "kind_counts": [(key, label, report.counts()[key]) for key, label in KINDS.items()] if report else [],
        "start": start,
        "end": end,
        "query": request.GET.urlencode(),
    }
    return render(request, "regulations/deadlines.html", context)


# A unit's compliance -----------------------------------------------------------------------------


@login_required
def compliance(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    as_of, as_of_error = as_of_date(request)
    params = default_parameters()
    try:
        report = check_unit(unit, as_of, params=params)
    except ParameterNotInForce as exc:
        # A day before the rules' parameters exist: nothing can be checked on it.
        as_of_error = _("%(reason)s: chưa thể kiểm tra ngày này. Đang hiển thị ngày hôm nay.") % {"reason": exc}
        as_of = today()
        report = check_unit(unit, as_of, params=params)
    reform_form = ReformForm(request.GET if any(k.startswith("cc_") for k in request.GET) else None)
    diff = None
    reform = {}
    if reform_form.is_bound and reform_form.is_valid():
        reform = reform_form.overrides()
        if reform:
            try:
                reformed = check_unit(unit, as_of, params=params.with_reform(reform, extra_keys=reform_keys()))
            except ValueError as exc:
                reform_form.add_error(None, str(exc))
            else:
                diff = diff_reports(report, reformed)
    rule = request.GET.get("quy_tac", "")
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .filter(Unit.existing_on_q(as_of))
        .order_by("path")
        .values_list("id", "name", "path")
    )
    counts = report.counts()
    context = {
        **_unit_header(policy, unit),
        "as_of": as_of,
        "as_of_error": as_of_error,
        "report": report,
        "rules": [
            {"id": rule_id, "label": label, "count": counts[rule_id], "references": report.references(rule_id),
             "to_confirm": any(p.to_confirm for p in report.parameters.get(rule_id, {}).values())}
            for rule_id, (label, _refs) in RULES.items()
        ],  # fmt: skip
        "rollup": report.rollup(children),
        "rule": rule if rule in RULES else "",
        "rule_label": RULES[rule][0] if rule in RULES else "",
        "findings": [f for f in report.findings if f.rule_id == rule] if rule in RULES else [],
        "reform_form": reform_form,
        "reform": reform,
        "diff": diff,
    }
    return render(request, "regulations/compliance.html", context)


# Local targets ---------------------------------------------------------------------------------


def _resolutions_for(unit):
    """Resolutions that apply to the unit (scoped at or above it) or inside its subtree."""
    return (
        LocalResolution.objects.filter(
            Q(scope_unit__path__in=path_prefixes(unit.path)) | Q(scope_unit__path__startswith=unit.path)
        )
        .select_related("scope_unit")
        .prefetch_related("targets")
        .order_by("scope_unit__path", "-issued_on")
    )


@login_required
def targets(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    can_manage = policy.covers_path(unit.path, Permission.MANAGE_ACCESS)
    resolution_form = ResolutionForm(prefix="nq")
    target_form = TargetForm(prefix="ct")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        op = request.POST.get("op")
        try:
            if op == "resolution":
                resolution_form = ResolutionForm(request.POST, prefix="nq")
                if resolution_form.is_valid():
                    services.resolution_create(actor=request.user, scope_unit=unit, **resolution_form.cleaned_data)
                    messages.success(request, _("Đã thêm nghị quyết."))
                    return redirect(request.path)
            elif op == "target":
                target_form = TargetForm(request.POST, prefix="ct")
                if target_form.is_valid():
                    data = target_form.cleaned_data
                    resolution = _own_resolution(unit, data["resolution"])
                    services.target_set(
                        actor=request.user, resolution=resolution, key=data["key"], value=data["value"],
                        effective_from=data["effective_from"], due_on=data["due_on"], note=data["note"],
                    )  # fmt: skip
                    messages.success(request, _("Đã lưu chỉ tiêu."))
                    return redirect(request.path)
            elif op == "delete_target":
                target = LocalTarget.objects.filter(
                    pk=id_param(request.POST, "target") or 0, resolution__scope_unit=unit
                ).first()
                if target is None:
                    raise Http404
                services.target_delete(actor=request.user, target=target)
                messages.success(request, _("Đã xóa giá trị chỉ tiêu."))
                return redirect(request.path)
            else:
                messages.error(request, _("Thao tác không hợp lệ."))
        except ValidationError as exc:
            add_service_errors(target_form if op == "target" else resolution_form, exc)
    resolutions = list(_resolutions_for(unit))
    for resolution in resolutions:
        resolution.visible_scope = policy.covers_path(resolution.scope_unit.path)
        resolution.editable = can_manage and resolution.scope_unit_id == unit.pk
    history = None
    if policy.covers_path(unit.path, Permission.VIEW_AUDIT):
        history = (
            AuditEvent.objects.filter(unit=unit)
            .filter(Q(action__startswith="resolution.") | Q(action__startswith="target."))
            .select_related("actor")[:100]
        )
    context = {
        **_unit_header(policy, unit),
        "resolutions": resolutions,
        "own_resolutions": [r for r in resolutions if r.scope_unit_id == unit.pk],
        "can_manage": can_manage,
        "resolution_form": resolution_form,
        "target_form": target_form,
        "history": history,
        "templates": services.available_templates(),
    }
    return render(request, "regulations/targets.html", context)


def _own_resolution(unit, resolution_id):
    resolution = LocalResolution.objects.filter(pk=resolution_id, scope_unit=unit).first()
    if resolution is None:
        raise Http404
    return resolution


# Parameters and listed posts ----------------------------------------------------------------------


@login_required
def parameters(request):
    policy = policy_for(request)
    if not policy.has_any():
        raise Http404
    as_of, as_of_error = as_of_date(request)
    rows = []
    for parameter in default_parameters():
        try:
            value = parameter.at(as_of)
        except ParameterNotInForce:
            value = None
        rows.append({"parameter": parameter, "value": value, "group": parameter.name.split(".")[0]})
    context = {
        "as_of": as_of,
        "as_of_error": as_of_error,
        "rows": rows,
        "to_confirm_count": sum(1 for r in rows if (r["value"].to_confirm if r["value"] else r["parameter"].to_confirm)),
        "resolutions": _visible_resolutions(policy),
        "listed_posts": ListedPost.objects.count(),
    }
    return render(request, "regulations/parameters.html", context)


def _visible_resolutions(policy):
    """Resolutions scoped inside the user's subtrees or above them (they apply to the user)."""
    if policy.is_global:
        return LocalResolution.objects.select_related("scope_unit").prefetch_related("targets")
    prefixes = policy.prefixes()
    above = {p for prefix in prefixes for p in path_prefixes(prefix)}
    return (
        LocalResolution.objects.filter(policy.path_q(field="scope_unit__path") | Q(scope_unit__path__in=above))
        .select_related("scope_unit")
        .prefetch_related("targets")
    )


def _can_edit_catalogue(policy) -> bool:
    return policy.is_global or policy.has_any(Permission.MANAGE_ACCESS)


@login_required
def listed_posts(request):
    policy = policy_for(request)
    if not policy.has_any():
        raise Http404
    can_edit = _can_edit_catalogue(policy)
    form = ListedPostForm(prefix="vt", visible_positions=policy.positions())
    editing = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        post_id = id_param(request.POST, "post")
        editing = ListedPost.objects.filter(pk=post_id).first() if post_id else None
        form = ListedPostForm(request.POST, prefix="vt", visible_positions=policy.positions())
        if form.is_valid():
            data = dict(form.cleaned_data)
            titles, positions = data.pop("titles"), data.pop("positions")
            if editing is not None:
                # Seats outside the user's scope stay linked: the user cannot see them to decide.
                positions += [p for p in editing.positions.all() if not policy.covers_path(p.unit.path)]
            try:
                services.listed_post_save(actor=request.user, post=editing, titles=titles, positions=positions, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu vị trí phải định kỳ chuyển đổi."))
                return redirect(request.path)
    elif (editing_id := id_param(request.GET, "sua")) is not None:
        editing = ListedPost.objects.filter(pk=editing_id).first()
        if editing is not None:
            visible = [p.pk for p in editing.positions.select_related("unit") if policy.covers_path(p.unit.path)]
            form = ListedPostForm(
                prefix="vt",
                visible_positions=policy.positions(),
                initial={"sector": editing.sector, "name": editing.name, "period_months": editing.period_months,
                         "titles": list(editing.titles.all()), "note": editing.note,
                         "positions": ", ".join(map(str, visible))},  # fmt: skip
            )
    posts = list(ListedPost.objects.prefetch_related("titles", "positions__unit", "positions__title"))
    for post in posts:
        seats = list(post.positions.all())
        post.visible_positions = [p for p in seats if policy.covers_path(p.unit.path)]
        post.hidden_positions = len(seats) - len(post.visible_positions)
    context = {
        "posts": posts,
        "form": form,
        "editing": editing,
        "can_edit": can_edit,
        "full_size": _full_catalogue_size(),
    }
    return render(request, "regulations/listed_posts.html", context)


def _full_catalogue_size():
    try:
        return default_parameters().get("periodic_change.listed_posts", today())
    except ParameterNotInForce:
        return None
