"""The site's shell: landing page, error pages, login throttling, shared query parameters."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "canbo.web"
    label = "web"

    def ready(self):
        from django.core.validators import ProhibitNullCharactersValidator

        # Every form text field refuses NUL characters with this validator; Django's Vietnamese
        # catalogue lacks its message, so users would read it in English among Vietnamese ones.
        ProhibitNullCharactersValidator.message = _(
            "Có ký tự không hợp lệ (ký tự NUL, mã 0) trong nội dung: hãy xóa rồi gõ lại."
        )
