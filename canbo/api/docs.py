"""The /api/docs page: Swagger UI from the assets vendored in canbo/api/static (no CDN)."""

import json

from django.shortcuts import render
from ninja.openapi.docs import Swagger

SWAGGER_ASSETS = "api/vendor/swagger-ui-5.31.0"


class VendoredSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings, indent=1), "api": api, "assets": SWAGGER_ASSETS}
        return render(request, "api/swagger.html", context)
