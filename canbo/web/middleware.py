"""Language choice: Vietnamese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many office machines
run an English browser; the interface must still open in Vietnamese. Only the choice the user
made with the language switcher (the language cookie set by `set_language`) changes it.
"""

from django.conf import settings
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
