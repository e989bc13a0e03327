"""Writes to regulation data: local resolutions and their dated targets, the listed posts.

Each service is atomic, takes the acting user as a keyword argument and records an AuditEvent
with before/after snapshots in the same transaction (the history shown on the targets page).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.dates import today
from canbo.common.text import clean_text

from .models import ListedPost, LocalResolution, LocalTarget
from .params import PARAMETERS_DIR, default_parameters

RESOLUTION_FIELDS = ("code", "name", "issuer", "issued_on", "link", "note")
TEMPLATES_DIR = PARAMETERS_DIR / "resolutions"


@transaction.atomic
def resolution_create(*, actor, scope_unit, source: str = AuditEvent.Source.WEB, **fields) -> LocalResolution:
    unknown = set(fields) - set(RESOLUTION_FIELDS)
    if unknown:
        raise ValueError(f"resolution_create: unknown fields {sorted(unknown)}")
    resolution = LocalResolution(scope_unit=scope_unit, **{k: clean_text(v) if isinstance(v, str) else v for k, v in fields.items()})
    resolution.full_clean()
    resolution.save()
    record_event(
        actor=actor, action="resolution.create", obj=resolution, before=None, after=snapshot(resolution),
        unit=scope_unit, source=source,
    )  # fmt: skip
    return resolution


@transaction.atomic
def resolution_update(*, actor, resolution: LocalResolution, source: str = AuditEvent.Source.WEB, **fields):
    resolution = LocalResolution.objects.select_for_update().select_related("scope_unit").get(pk=resolution.pk)
    before = snapshot(resolution)
    for name, value in fields.items():
        if name not in RESOLUTION_FIELDS:
            raise ValueError(f"resolution_update: unknown field {name}")
        setattr(resolution, name, clean_text(value) if isinstance(value, str) else value)
    resolution.full_clean()
    after = snapshot(resolution)
    if after != before:
        resolution.save()
        record_event(
            actor=actor, action="resolution.update", obj=resolution, before=before, after=after,
            unit=resolution.scope_unit, source=source,
        )  # fmt: skip
    return resolution


def _decimal(value, *, field: str = "value") -> Decimal:
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"Giá trị «{value}» không phải là số."}) from None


@transaction.atomic
def target_set(
    *, actor, resolution: LocalResolution, key: str, value, effective_from: dt.date, due_on: dt.date | None = None,
    note: str = "", source: str = AuditEvent.Source.WEB,
) -> LocalTarget:  # fmt: skip
    """Set the value a resolution gives a target from `effective_from` (creates or corrects that dated value)."""
    resolution = LocalResolution.objects.select_related("scope_unit").get(pk=resolution.pk)
    target = (
        LocalTarget.objects.select_for_update().filter(resolution=resolution, key=key, effective_from=effective_from).first()
    )
    before = snapshot(target) if target else None
    target = target or LocalTarget(resolution=resolution, key=key, effective_from=effective_from)
    # Quantized as stored, so that the audit snapshot and the no-change test compare like with like.
    target.value = _decimal(value).quantize(Decimal("0.0001"))
    target.due_on = due_on
    target.note = clean_text(note)
    target.full_clean()
    after = snapshot(target)
    if after == before:
        return target
    target.save()
    after = snapshot(target)  # with the new row's id
    record_event(
        actor=actor, action="target.update" if before else "target.create", obj=target, before=before, after=after,
        unit=resolution.scope_unit, source=source,
    )  # fmt: skip
    return target


@transaction.atomic
def target_delete(*, actor, target: LocalTarget, source: str = AuditEvent.Source.WEB) -> None:
    target = LocalTarget.objects.select_for_update().select_related("resolution__scope_unit").get(pk=target.pk)
    record_event(
        actor=actor, action="target.delete", obj=target, before=snapshot(target), after=None,
        unit=target.resolution.scope_unit, source=source,
    )  # fmt: skip
    target.delete()


def available_templates() -> list[str]:
    return sorted(path.stem for path in TEMPLATES_DIR.glob("*.yaml"))


def load_template(name: str) -> dict:
    path = TEMPLATES_DIR / f"{name}.yaml"
    if name not in available_templates():
        raise ValueError(f"Không có mẫu nghị quyết «{name}»; có: {', '.join(available_templates())}")
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def resolution_from_template(*, actor, scope_unit, template: str, source: str = AuditEvent.Source.CLI) -> LocalResolution:
    """Copy a resolution template (parameters/resolutions/*.yaml) into the database for a subtree."""
    data = load_template(template)
    existing = LocalResolution.objects.filter(scope_unit=scope_unit, code=data["code"]).first()
    resolution = existing or resolution_create(
        actor=actor, scope_unit=scope_unit, code=data["code"], name=data["name"], issuer=data["issuer"],
        issued_on=data["issued_on"], note=data.get("source", ""), source=source,
    )  # fmt: skip
    for item in data.get("targets", []):
        target_set(
            actor=actor, resolution=resolution, key=item["key"], value=item["value"],
            effective_from=item["effective_from"], due_on=item.get("due_on"), note=item.get("note", ""), source=source,
        )  # fmt: skip
    return resolution


# Listed posts (periodic position change) ---------------------------------------------------------

LISTED_POST_FIELDS = ("sector", "name", "period_months", "reference", "note")


def _listed_post_snapshot(post: ListedPost) -> dict:
    return snapshot(
        post,
        extra={
            "titles": sorted(post.titles.values_list("id", flat=True)) if post.pk else [],
            "positions": sorted(post.positions.values_list("id", flat=True)) if post.pk else [],
        },
    )


def _check_period(post: ListedPost, on: dt.date) -> None:
    params = default_parameters()
    low, high = params.get("periodic_change.period_min_months", on), params.get("periodic_change.period_max_months", on)
    if not low <= post.period_months <= high:
        raise ValidationError(
            {"period_months": f"Thời hạn chuyển đổi phải từ {low} đến {high} tháng (Nghị định 59/2019/NĐ-CP)."}
        )


@transaction.atomic
def listed_post_save(
    *, actor, post: ListedPost | None = None, titles=None, positions=None, on: dt.date | None = None,
    source: str = AuditEvent.Source.WEB, **fields,
) -> ListedPost:  # fmt: skip
    """Create (post=None) or change a listed post; `titles`/`positions` replace its links when given."""
    creating = post is None
    post = ListedPost() if creating else ListedPost.objects.select_for_update().get(pk=post.pk)
    before = None if creating else _listed_post_snapshot(post)
    for name, value in fields.items():
        if name not in LISTED_POST_FIELDS:
            raise ValueError(f"listed_post_save: unknown field {name}")
        setattr(post, name, clean_text(value) if isinstance(value, str) else value)
    if creating:
        post.is_sample = False
    post.full_clean()
    _check_period(post, on or today())
    post.save()
    if titles is not None:
        post.titles.set(titles)
    if positions is not None:
        post.positions.set(positions)
    after = _listed_post_snapshot(post)
    if after != before:
        record_event(
            actor=actor, action="listed_post.create" if creating else "listed_post.update", obj=post, before=before,
            after=after, source=source,
        )  # fmt: skip
    return post
