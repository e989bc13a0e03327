"""Middleware of the site: the interface language, and query strings no view should see.

Language choice: Vietnamese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many office machines
run an English browser; the interface must still open in Vietnamese. Only the choice the user
made with the language switcher (the language cookie set by `set_language`) changes it.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import get_resolver
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RefuseNulInQueryMiddleware:
    """A NUL character in the query string of a page answers 400 (the Vietnamese 400 page).

    No link or form of the site produces one; it only comes from tampering or a bad paste, and
    PostgreSQL refuses text containing it, so a search would fail with a 500 instead. Forms
    report a NUL in their fields themselves (canbo.web.apps); the API answers with its own
    documented errors, so it is left to itself.
    """

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.API_PREFIX) and any(
            "\x00" in text for key, values in request.GET.lists() for text in (key, *values)
        ):
            # The project's 400 page, without the traceback Django would log for a raised error.
            handler = get_resolver().resolve_error_handler(400)
            return handler(request, BadRequest("NUL character in the query string"))
        return self.get_response(request)
