"""The people pages: the list with its filters, the résumé, its forms, work history and change history.

Every read goes through the request's access policy (an object outside it answers 404, like one
that does not exist); every write goes through `canbo.people.services`, which validates and
records the audit event. Lists prefetch what their rows show, so a page costs the same number
of queries whatever its size.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from canbo.access.models import Permission
from canbo.access.policy import policy_for
from canbo.audit.selectors import state_as_of
from canbo.common.dates import today
from canbo.common.text import fold
from canbo.org.models import Unit
from canbo.web.params import as_of_context, as_of_date

from . import catalogues as c
from . import services
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    DegreeFormSet,
    PersonFilterForm,
    PersonForm,
    add_service_errors,
    cap,
    degree_rows,
    degrees_initial,
)
from .models import Assignment, Person
from .populations import DEFINITIONS, OWN, OWN_SCOPE, SUBTREE, Basis, counted_people
from .selectors import (
    filter_people,
    holders_on,
    person_audit_events,
    person_for_resume,
    positions_matching,
    search_people,
    with_current_posts,
    work_history,
)

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50
CHOOSER_LIMIT = 30


def _post_data(request):
    return request.POST if request.method == "POST" else None


def _require_any(policy, permission: str) -> None:
    if not policy.has_any(permission):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _visible_person(policy, person_id, *, for_resume=False, permission=Permission.VIEW) -> Person:
    """The person through the policy (404 outside it), optionally with the résumé's related rows."""
    people = policy.people(permission)
    if for_resume:
        people = person_for_resume(people)
    try:
        return people.get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The list ------------------------------------------------------------------------------------------


@login_required
def person_list(request):
    """The people in the user's scope, filtered; with a unit, the people one of its figures counts
    (`dem`: records, holders or in service; `pham_vi=rieng`: the unit itself only) on the day
    (`ngay`, today by default), so every figure of the tree, unit page and dashboard opens here."""
    policy = policy_for(request)
    as_of = as_of_context(request)
    day = as_of["as_of"]
    subtree = (
        policy.get_unit(request.GET["don_vi"]) if request.GET.get("don_vi", "").strip() else None
    )
    form = PersonFilterForm(request.GET, subtree=subtree)
    form.is_valid()
    data = form.cleaned_data  # the valid filters apply even when another one is bad
    basis = data.get("dem") or (Basis.RECORDS if subtree is not None else "")
    scope = OWN if data.get("pham_vi") == OWN_SCOPE and subtree is not None else SUBTREE
    people = policy.people()
    if basis:
        people = counted_people(people, basis, subtree, day, scope=scope, policy=policy)
    people = filter_people(people, data, day)

    paginator = Paginator(with_current_posts(people, day), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for person in rows:
        person.age_today = person.age_on(day)
    active_filters = _active_filters(request, form, subtree)
    context = {
        **as_of,
        "form": form,
        "page": page,
        "people": rows,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "count": paginator.count,
        "subtree": subtree,
        "basis": basis,
        "own_only": scope == OWN,
        "definition": DEFINITIONS.get(basis, ""),
        "active_filters": active_filters,
        # Filters beyond the figure itself (the unit, what is counted, with or without sub-units).
        "narrowed": any(f["name"] not in ("don_vi", "dem", "pham_vi") for f in active_filters),
        "can_create": policy.has_any(Permission.EDIT),
        "today": day,
    }
    return render(request, "people/person_list.html", context)


FILTER_NAMES = ("q", "don_vi", "dem", "pham_vi", "gioi_tinh", "tuoi", "dan_toc", "chuc_danh", "llct", "doi_tuong")


def _active_filters(request, form, subtree) -> list[dict]:
    """The filters in force, each with its label, value in words and the URL without it."""
    active = []
    for name in FILTER_NAMES:
        value = subtree if name == "don_vi" else form.cleaned_data.get(name)
        if value is None or value == "":
            continue
        field = form.fields[name]
        if hasattr(value, "pk"):
            shown = str(value)
        elif getattr(field, "choices", None) and name != "don_vi":
            shown = str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
        else:
            shown = str(value)
        remaining = request.GET.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        active.append(
            {
                "name": name,
                "label": field.label,
                "value": shown,
                "remove_url": "?" + remaining.urlencode(),
            }
        )
    return active


# The résumé ----------------------------------------------------------------------------------------


def _months_between(start: dt.date, end: dt.date) -> int:
    return max((end.year - start.year) * 12 + end.month - start.month - (end.day < start.day), 0)


def _duration_label(start: dt.date, end: dt.date) -> str:
    months = _months_between(start, end + dt.timedelta(days=1))
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(_("%(n)d năm") % {"n": years})
    if months:
        parts.append(_("%(n)d tháng") % {"n": months})
    return " ".join(parts) or _("dưới 1 tháng")


@login_required
def person_detail(request, person_id):
    policy = policy_for(request)
    person = _visible_person(policy, person_id, for_resume=True)
    as_of, as_of_error = as_of_date(request)
    day = today()
    history = list(work_history(person))
    for assignment in history:
        path = assignment.position.unit.path
        assignment.held_on_as_of = assignment.is_current_on(as_of)
        assignment.unit_visible = policy.covers_path(path)
        assignment.can_edit = policy.covers_path(path, Permission.EDIT)
        assignment.duration = _duration_label(
            assignment.start_date, min(assignment.end_date or day, day)
        )
    context = {
        "person": person,
        "age": person.age_on(day),
        "degrees": list(person.degrees.all()),
        "history": history,
        "held_on_as_of": [a for a in history if a.held_on_as_of],
        "as_of": as_of,
        "as_of_error": as_of_error,
        "as_of_is_today": as_of == day,
        "can_edit": policy.covers_path(person.unit.path, Permission.EDIT),
        "can_add_assignment": policy.has_any(Permission.EDIT),
        "can_view_audit": policy.has_any(Permission.VIEW_AUDIT),
        "record_unit_visible": policy.covers_path(person.unit.path),
        "tab": "resume",
    }
    return render(request, "people/person_detail.html", context)


def _read_person_forms(form, formset, *, person) -> bool:
    """Whether the résumé and its degrees parsed; when they did not, the service's checks are
    still run on what did parse, so every error shows in one pass instead of the format errors
    first and the checks across fields only after they are fixed."""
    form_ok = form.is_valid()
    formset_ok = formset.is_valid()
    if form_ok and formset_ok:
        return True
    readable = {name: value for name, value in form.cleaned_data.items() if name in services.PERSON_FIELDS}
    unreadable = [name for name in services.PERSON_FIELDS if name not in readable]
    degrees = [
        degree.as_service_dict()
        for degree in formset.forms
        if degree.is_valid() and degree.cleaned_data and not degree.cleaned_data.get("DELETE")
    ]
    try:
        services.person_validate(person=person, degrees=degrees, unreadable=unreadable, **readable)
    except ValidationError as exc:
        add_service_errors(form, exc, formsets={"degrees": formset})
    return False


@login_required
def person_create(request):
    policy = policy_for(request)
    _require_any(policy, Permission.EDIT)
    initial = {}
    if request.GET.get("don_vi", "").strip():
        initial["unit"] = policy.get_unit(request.GET["don_vi"], Permission.EDIT).pk
    elif not policy.is_global and len(policy.prefixes(Permission.EDIT)) == 1:
        # An officer of one unit files records there unless told otherwise.
        initial["unit"] = policy.root_units(Permission.EDIT).values_list("pk", flat=True).first()
    form = PersonForm(_post_data(request), policy=policy, initial=initial)
    formset = DegreeFormSet(_post_data(request), prefix="degrees")
    if request.method == "POST" and _read_person_forms(form, formset, person=None):
        try:
            person = services.person_create(
                actor=request.user, degrees=degree_rows(formset), **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, formsets={"degrees": formset})
        else:
            messages.success(
                request, _("Đã tạo hồ sơ cán bộ %(name)s.") % {"name": person.full_name}
            )
            return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "formset": formset, "person": None}
    )


@login_required
def person_update(request, person_id):
    policy = policy_for(request)
    person = _visible_person(policy, person_id, for_resume=True, permission=Permission.EDIT)
    form = PersonForm(_post_data(request), policy=policy, instance=person)
    formset = DegreeFormSet(_post_data(request), initial=degrees_initial(person), prefix="degrees")
    if request.method == "POST" and _read_person_forms(form, formset, person=person):
        events_before = person_audit_events(person).count()
        try:
            person = services.person_update(
                actor=request.user,
                person=person,
                degrees=degree_rows(formset),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, formsets={"degrees": formset})
        else:
            if person_audit_events(person).count() > events_before:
                messages.success(request, _("Đã lưu thay đổi hồ sơ."))
            else:
                messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "formset": formset, "person": person}
    )


# Work history --------------------------------------------------------------------------------------


def _read_assignment_form(form, *, person, position, assignment=None) -> bool:
    """Whether the form parsed; when it did not, the service's checks run on what did parse
    (once the person and the seat are known), so every error shows in one pass."""
    if form.is_valid():
        return True
    person = person or form.cleaned_data.get("person")
    position = position or form.cleaned_data.get("position")
    if person is None or position is None:
        return False
    readable = {name: value for name, value in form.cleaned_data.items() if name in services.ASSIGNMENT_FIELDS}
    unreadable = [name for name in services.ASSIGNMENT_FIELDS if name not in readable]
    try:
        services.assignment_validate(
            person=person, position=position, assignment=assignment, unreadable=unreadable, **readable
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    return False


@login_required
def assignment_create(request, person_id=None, position_id=None):
    """A new work-history entry, from the person's page (choose a seat) or from a seat (choose a person)."""
    policy = policy_for(request)
    person = position = None
    if person_id is not None:
        person = _visible_person(policy, person_id)
    else:
        position = policy.get_position(position_id, Permission.EDIT)
    _require_any(policy, Permission.EDIT)
    form = AssignmentForm(
        _post_data(request),
        policy=policy,
        choose_position=position is None,
        choose_person=person is None,
    )
    if request.method == "POST" and _read_assignment_form(form, person=person, position=position):
        try:
            assignment = services.assignment_create(
                actor=request.user,
                person=person or form.cleaned_data["person"],
                position=position or form.cleaned_data["position"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi %(person)s đảm nhiệm %(position)s.")
                % {"person": assignment.person.full_name, "position": f"{assignment.position}"},
            )
            return redirect("people:person_detail", person_id=assignment.person_id)
    seat = None
    if position is not None:
        seat = holders_on(
            policy.positions().filter(pk=position.pk).select_related("unit"), today()
        ).get()
    context = {"form": form, "person": person, "position": position, "seat": seat, "mode": "create"}
    return render(request, "people/assignment_form.html", context)


@login_required
def assignment_update(request, assignment_id):
    policy = policy_for(request)
    assignment = policy.get_assignment(assignment_id, Permission.EDIT)
    form = AssignmentForm(_post_data(request), policy=policy, instance=assignment)
    if request.method == "POST" and _read_assignment_form(
        form, person=assignment.person, position=assignment.position, assignment=assignment
    ):
        try:
            services.assignment_update(
                actor=request.user, assignment=assignment, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quá trình công tác."))
            return redirect("people:person_detail", person_id=assignment.person_id)
    context = {
        "form": form,
        "person": assignment.person,
        "position": assignment.position,
        "assignment": assignment,
        "mode": "update",
    }
    return render(request, "people/assignment_form.html", context)


@login_required
def assignment_end(request, assignment_id):
    policy = policy_for(request)
    assignment = policy.get_assignment(assignment_id, Permission.EDIT)
    initial = {"end_date": assignment.end_date or today(), "note": assignment.note}
    form = AssignmentEndForm(_post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(
                actor=request.user,
                assignment=assignment,
                end_date=form.cleaned_data["end_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi %(person)s thôi đảm nhiệm %(position)s từ sau ngày %(date)s.")
                % {
                    "person": assignment.person.full_name,
                    "position": f"{assignment.position}",
                    "date": f"{form.cleaned_data['end_date']:%d/%m/%Y}",
                },
            )
            return redirect("people:person_detail", person_id=assignment.person_id)
    context = {"form": form, "person": assignment.person, "assignment": assignment}
    return render(request, "people/assignment_end.html", context)


# Change history ------------------------------------------------------------------------------------

ACTION_LABELS = {
    "person.create": gettext_lazy("Tạo hồ sơ"),
    "person.update": gettext_lazy("Cập nhật hồ sơ"),
    "assignment.create": gettext_lazy("Thêm quá trình công tác"),
    "assignment.update": gettext_lazy("Sửa quá trình công tác"),
}
EXTRA_LABELS = {"degrees": gettext_lazy("Văn bằng")}


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


class AuditFormatter:
    """Turns snapshots (field attnames → JSON values) into labelled, readable values.

    Related ids become names with one query per related model for a whole page of events.
    Units and seats are named only when the user may see them (else "#id"), like everywhere else.
    """

    def __init__(self, policy):
        self.policy = policy
        self._wanted: dict[type, set] = {}
        self._names: dict[type, dict] = {}

    @staticmethod
    def fields_of(model) -> dict:
        return {f.attname: f for f in model._meta.concrete_fields}

    def want(self, field, value) -> None:
        if field is not None and field.is_relation and not _is_empty(value):
            self._wanted.setdefault(field.related_model, set()).add(value)

    def load(self) -> None:
        from canbo.areas.models import AdminArea
        from canbo.org.models import Position

        for model, ids in self._wanted.items():
            if model is Unit:
                rows = self.policy.units().filter(pk__in=ids)
            elif model is Position:
                rows = self.policy.positions().filter(pk__in=ids)
            else:
                rows = model.objects.filter(pk__in=ids)
            if model is AdminArea:
                rows = rows.select_related("parent__parent")
            elif model is Position:
                rows = rows.select_related("unit", "title")
            self._names[model] = {row.pk: str(row) for row in rows}

    def label(self, model, fields: dict, key: str) -> str:
        if key in EXTRA_LABELS:
            return str(EXTRA_LABELS[key])
        field = fields.get(key)
        return cap(field.verbose_name) if field is not None else key

    def format(self, field, key: str, value) -> str:
        if _is_empty(value):
            return ""
        if key == "degrees":
            return "\n".join(self._degree(d) for d in value)
        if field is None:
            return str(value)
        if field.is_relation:
            return self._names.get(field.related_model, {}).get(value, f"#{value}")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateField):
            try:
                return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
            except (TypeError, ValueError):
                return str(value)
        if isinstance(field, models.BooleanField):
            return _("Có") if value else _("Không")
        return str(value)

    @staticmethod
    def _degree(data: dict) -> str:
        level = (
            c.DegreeLevel(data["level"]).label
            if data.get("level") in c.DegreeLevel.values
            else data.get("level")
        )
        parts = [str(level), data.get("field") or ""]
        if data.get("institution"):
            parts.append(data["institution"])
        if data.get("year"):
            parts.append(str(data["year"]))
        return " – ".join(p for p in parts if p)


def _action_label(event) -> str:
    before, after = event.before or {}, event.after or {}
    if (
        event.action == "assignment.update"
        and before.get("end_date") is None
        and after.get("end_date")
    ):
        return _("Kết thúc công tác")
    return str(ACTION_LABELS.get(event.action, event.action))


def describe_events(events, policy) -> list[dict]:
    """Each event with its action in words and its changed fields as (label, before, after)."""
    formatter = AuditFormatter(policy)
    prepared = []
    for event in events:
        model = event.object_type.model_class()
        fields = AuditFormatter.fields_of(model) if model is not None else {}
        changes = [
            (k, b, a)
            for k, b, a in event.changed_fields()
            if not (_is_empty(b) and _is_empty(a))
            and not (model is Assignment and k == "person_id")
        ]
        for key, before, after in changes:
            formatter.want(fields.get(key), before)
            formatter.want(fields.get(key), after)
        seat_id = (event.after or event.before or {}).get("position_id")
        if model is Assignment and seat_id:
            formatter.want(fields["position_id"], seat_id)
        prepared.append((event, model, fields, changes, seat_id))
    formatter.load()
    entries = []
    for event, model, fields, changes, seat_id in prepared:
        entries.append(
            {
                "event": event,
                "action": _action_label(event),
                "is_assignment": model is Assignment,
                "seat": formatter.format(fields.get("position_id"), "position_id", seat_id)
                if model is Assignment
                else "",
                "is_create": event.before is None,
                # A whole new résumé is long: folded away, the list stays readable.
                "collapsed": event.before is None and len(changes) > 8,
                "changes": [
                    {
                        "label": formatter.label(model, fields, key),
                        "before": formatter.format(fields.get(key), key, before),
                        "after": formatter.format(fields.get(key), key, after),
                    }
                    for key, before, after in changes
                ],
            }
        )
    return entries


def describe_state(snapshot: dict | None, policy) -> list[dict]:
    """The recorded résumé as (label, value) rows in the order of the form."""
    if not snapshot:
        return []
    formatter = AuditFormatter(policy)
    fields = AuditFormatter.fields_of(Person)
    keys = [Person._meta.get_field(name).attname for name in services.PERSON_FIELDS] + ["degrees"]
    keys += [k for k in snapshot if k not in keys]
    for key in keys:
        formatter.want(fields.get(key), snapshot.get(key))
    formatter.load()
    return [
        {
            "label": formatter.label(Person, fields, key),
            "value": formatter.format(fields.get(key), key, snapshot.get(key)),
        }
        for key in keys
        if key in snapshot
    ]


@login_required
def person_history(request, person_id):
    policy = policy_for(request)
    person = _visible_person(policy, person_id)
    _require_any(policy, Permission.VIEW_AUDIT)
    # Audit rows are scoped by the unit they were recorded under, like every other read.
    audit_scope = policy.path_q(Permission.VIEW_AUDIT, "unit__path")
    events = person_audit_events(person).filter(audit_scope)
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = describe_events(list(page.object_list), policy)

    as_of, as_of_error = as_of_date(request)
    state_event = state_as_of(person, as_of)
    if state_event is not None and not policy.is_global:
        if not policy.units(Permission.VIEW_AUDIT).filter(pk=state_event.unit_id).exists():
            state_event = None
    first_recorded = None
    if state_event is None:
        first_recorded = (
            person_audit_events(person)
            .filter(audit_scope)
            .aggregate(first=Min("occurred_at"))["first"]
        )
    context = {
        "person": person,
        "page": page,
        "entries": entries,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "state_event": state_event,
        "state_rows": describe_state(state_event.after, policy) if state_event is not None else [],
        "first_recorded": first_recorded,
        "age": person.age_on(today()),
        "can_edit": policy.covers_path(person.unit.path, Permission.EDIT),
        "can_add_assignment": policy.has_any(Permission.EDIT),
        "can_view_audit": True,
        "tab": "history",
    }
    return render(request, "people/person_history.html", context)


# Choosers (HTMX fragments) ------------------------------------------------------------------------


def _words(request) -> list[str]:
    return fold(request.GET.get("tim", ""))[:100].split()


@login_required
@require_GET
def unit_chooser(request):
    policy = policy_for(request)
    permission = Permission.EDIT if request.GET.get("quyen") == "edit" else Permission.VIEW
    units = policy.units(permission)
    for word in _words(request):
        units = units.filter(search_name__contains=word)
    units = list(units.order_by("path")[:CHOOSER_LIMIT])
    parent_paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
    parents = dict(policy.units().filter(path__in=parent_paths).values_list("path", "name"))
    for unit in units:
        unit.parent_name = parents.get(unit.path[: -Unit.steplen], "")
    return render(request, "people/chooser/units.html", {"units": units, "limit": CHOOSER_LIMIT})


@login_required
@require_GET
def position_chooser(request):
    policy = policy_for(request)
    day = today()
    positions = positions_matching(
        policy.positions(Permission.EDIT), request.GET.get("tim", "")[:100]
    )
    positions = list(
        positions.select_related("unit", "title")
        .annotate(held=Count("assignments", filter=Assignment.current_on_q(day, "assignments__")))
        .order_by("unit__path", "-title__rank", "title__name")[: CHOOSER_LIMIT * 2]
    )
    return render(
        request,
        "people/chooser/positions.html",
        {"positions": positions, "limit": CHOOSER_LIMIT * 2},
    )


@login_required
@require_GET
def person_chooser(request):
    policy = policy_for(request)
    query = request.GET.get("tim", "")[:100].strip()
    people = []
    if fold(query):
        people = list(
            with_current_posts(search_people(policy.people(), query), today())[:CHOOSER_LIMIT]
        )
    return render(
        request,
        "people/chooser/people.html",
        {"people": people, "query": query, "limit": CHOOSER_LIMIT},
    )
