"""The live site the smoke tests talk to, over HTTP, as the reverse proxy would.

`.ci/deploy-smoke` starts gunicorn with the production settings and runs these tests with
CANBO_SMOKE_URL set; they are outside the suite's `testpaths` and never run without it. No
Django here: the tests see only what a browser behind the proxy sees.
"""

import http.client
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def set_cookies(self) -> dict[str, str]:
        """Set-Cookie headers by cookie name (the whole header, attributes included)."""
        return {value.split("=", 1)[0]: value for value in self.headers.get_all("Set-Cookie") or []}


@dataclass
class Visitor:
    """One browser behind the proxy: its address (X-Forwarded-For, as nginx appends it), its
    cookies (kept whatever their Secure flag: TLS ended at the proxy), HTTPS as the scheme."""

    base: str
    address: str = "10.20.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, *, data: dict | None = None, https: bool = True, headers=None) -> Response:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        sent = {"Host": parts.netloc, "X-Forwarded-For": self.address, "Accept-Encoding": "identity"}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://{parts.netloc}"
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        raw = connection.getresponse()
        response = Response(raw.status, raw.headers, raw.read())
        connection.close()
        for name, value in response.set_cookies().items():
            self.cookies[name] = value.split(";", 1)[0].split("=", 1)[1]
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def log_in(self, username: str, password: str) -> Response:
        form = self.get("/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.request("POST", "/dang-nhap/", data={"csrfmiddlewaretoken": token, "username": username, "password": password})


@pytest.fixture(scope="session")
def site_url() -> str:
    url = os.environ.get("CANBO_SMOKE_URL")
    if not url:
        pytest.fail("CANBO_SMOKE_URL is not set: run these tests through .ci/deploy-smoke")
    return url.rstrip("/")


@pytest.fixture
def visitor(site_url) -> Visitor:
    return Visitor(site_url)


@pytest.fixture
def visitor_from(site_url):
    """Another browser, from another address."""
    return lambda address: Visitor(site_url, address=address)


@pytest.fixture(scope="session")
def admin(site_url) -> Visitor:
    """The demo's city administrator, logged in once."""
    browser = Visitor(site_url, address="10.20.0.2")
    response = browser.log_in("admin", os.environ.get("CANBO_SMOKE_PASSWORD", "canbo-demo"))
    assert response.status == 302, response.text[:500]
    return browser
