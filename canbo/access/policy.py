"""The one access policy: a user's grants become path-prefix filters on the unit tree.

Every list, detail, search, export and API endpoint reads through `AccessPolicy`. An object
outside the user's subtree is reported exactly like one that does not exist (404), so the
policy never reveals that it exists (after wagtail/permission_policies and Zulip's access_*).
"""

import operator
from functools import cached_property, reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from canbo.common.dates import today
from canbo.org.models import Position, Unit
from canbo.people.models import Assignment, Person

from .models import ROLE_PERMISSIONS, Grant, Permission


def minimal_prefixes(paths: list[str]) -> list[str]:
    """Drop paths that lie inside another path of the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


class AccessPolicy:
    def __init__(self, user):
        self.user = user

    @cached_property
    def _grants(self) -> list[tuple[str, str]]:
        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return []
        return list(Grant.objects.filter(user=self.user).values_list("unit__path", "role"))

    @property
    def is_global(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False) and self.user.is_active)

    def prefixes(self, permission: str = Permission.VIEW) -> list[str]:
        return minimal_prefixes([path for path, role in self._grants if permission in ROLE_PERMISSIONS[role]])

    def has_any(self, permission: str = Permission.VIEW) -> bool:
        return self.is_global or bool(self.prefixes(permission))

    def path_q(self, permission: str = Permission.VIEW, field: str = "path") -> Q:
        """Q matching rows whose `field` (a unit path) lies in the user's subtrees."""
        if self.is_global:
            return Q()
        prefixes = self.prefixes(permission)
        if not prefixes:
            return Q(pk__in=[])
        return reduce(operator.or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))

    def covers_path(self, path: str, permission: str = Permission.VIEW) -> bool:
        return self.is_global or any(path.startswith(p) for p in self.prefixes(permission))

    def root_units(self, permission: str = Permission.VIEW) -> QuerySet[Unit]:
        """The top units of the user's subtrees (the roots of their tree view)."""
        if self.is_global:
            return Unit.objects.get_root_nodes()
        return Unit.objects.filter(path__in=self.prefixes(permission)).order_by("path")

    # Units -------------------------------------------------------------------------------
    def units(self, permission: str = Permission.VIEW) -> QuerySet[Unit]:
        return Unit.objects.filter(self.path_q(permission))

    def get_unit(self, pk, permission: str = Permission.VIEW) -> Unit:
        try:
            return self.units(permission).get(pk=pk)
        except (Unit.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    # Seats -------------------------------------------------------------------------------
    def positions(self, permission: str = Permission.VIEW) -> QuerySet[Position]:
        return Position.objects.filter(self.path_q(permission, "unit__path"))

    def get_position(self, pk, permission: str = Permission.VIEW) -> Position:
        try:
            return self.positions(permission).select_related("unit", "title").get(pk=pk)
        except (Position.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    # People ------------------------------------------------------------------------------
    def people(self, permission: str = Permission.VIEW) -> QuerySet[Person]:
        """People whose record is kept in the user's subtrees, or who hold a seat there today.

        Editing is narrower than viewing: only the unit keeping the record may change it.
        """
        if self.is_global:
            return Person.objects.all()
        record_q = self.path_q(permission, "unit__path")
        if permission != Permission.VIEW:
            return Person.objects.filter(record_q)
        seat_here = Assignment.objects.filter(
            Assignment.current_on_q(today()), self.path_q(permission, "position__unit__path"), person=OuterRef("pk")
        )
        return Person.objects.filter(record_q | Q(Exists(seat_here)))

    def get_person(self, pk, permission: str = Permission.VIEW) -> Person:
        try:
            return self.people(permission).get(pk=pk)
        except (Person.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    # Assignments -------------------------------------------------------------------------
    def assignments(self, permission: str = Permission.VIEW) -> QuerySet[Assignment]:
        """Assignments to seats in the user's subtrees."""
        return Assignment.objects.filter(self.path_q(permission, "position__unit__path"))

    def get_assignment(self, pk, permission: str = Permission.VIEW) -> Assignment:
        try:
            return self.assignments(permission).select_related("person", "position__unit", "position__title").get(pk=pk)
        except (Assignment.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def policy_for(request_or_user) -> AccessPolicy:
    """The request's policy, built once per request."""
    user = getattr(request_or_user, "user", request_or_user)
    if hasattr(request_or_user, "user"):
        cached = getattr(request_or_user, "_canbo_policy", None)
        if cached is None or cached.user is not user:
            cached = AccessPolicy(user)
            request_or_user._canbo_policy = cached
        return cached
    return AccessPolicy(user)
