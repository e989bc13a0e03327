"""The client address the login throttle (django-axes) counts failures against.

Behind the reverse proxy every request comes from the proxy's own address, so counting by
REMOTE_ADDR would lock the whole office out at once. Each proxy appends the address it received
the request from to X-Forwarded-For; with CANBO_PROXY_COUNT proxies in front, the client is the
entry that many places from the right. Entries further left were written by the client and are
not trusted. Without a proxy (CANBO_PROXY_COUNT=0) the header is ignored.
"""

from django.conf import settings
from django.shortcuts import render


def client_address(request) -> str | None:
    proxies = settings.CANBO_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Not through the expected chain of proxies (a direct request to the application).
        return remote
    return forwarded[-proxies]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets instead of the login form (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
