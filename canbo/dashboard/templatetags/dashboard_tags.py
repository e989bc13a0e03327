"""Template helpers of the dashboard: drill-down links and Vietnamese number formats."""

from django import template

from ..charts import drill_url

register = template.Library()


@register.simple_tag
def drill(report, key, row=None):
    """The drill-down list behind a figure of `report` (the whole unit, or one sub-unit row)."""
    return drill_url(report, key, row)


@register.filter
def pct(value, digits=1):
    """A percentage with a decimal comma ("23,5%"), or "—" without a base."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}".replace(".", ",") + "%"


@register.filter
def target_pct(target):
    if target is None:
        return "—"
    return pct(target.value * 100, 0)
