"""Template helpers of the people figures: the link from a count to the people behind it."""

from django import template

from canbo.people.populations import OWN, SUBTREE, list_url

register = template.Library()


@register.simple_tag
def people_url(basis, unit, as_of_param="", own=False):
    """The people list behind the figure `basis` (a `Basis` value) of `unit`, as of the page's date."""
    if unit is None or unit == "":
        return ""
    return list_url(basis, unit, as_of_param=as_of_param or "", scope=OWN if own else SUBTREE)
