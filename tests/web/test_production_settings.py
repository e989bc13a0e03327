"""CANBO_ENV=production: DEBUG off, HTTPS everywhere, hashed static files, and no start at all
without a real secret key and the site's host names. Each case runs in a fresh process,
because settings are read from the environment once, at start-up."""

import json
import os
import subprocess
import sys

import pytest

KEY = "k3y-" + "x9Qm2pLr7vTz" * 5  # 64 characters, not the demo's
PRODUCTION = {"CANBO_ENV": "production", "CANBO_SECRET_KEY": KEY, "CANBO_ALLOWED_HOSTS": "canbo.tinhuy.example.vn"}
CANBO = os.path.join(os.path.dirname(sys.executable), "canbo")


def environment(**changes):
    """A server's environment: the caller's, less canbo's settings and the browser tests' async switch."""
    env = {
        k: v
        for k, v in os.environ.items()
        if (not k.startswith("CANBO_") or k == "CANBO_DATABASE_URL") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def settings_in(**env) -> dict:
    names = [
        "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS", "STORAGES", "WHITENOISE_USE_FINDERS", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME",
    ]  # fmt: skip
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment(DJANGO_SETTINGS_MODULE="canbo.settings", **env),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def canbo(*args, **env):
    return subprocess.run([CANBO, *args], env=environment(**env), capture_output=True, text=True, timeout=120)


def test_production_defaults_are_https_only_and_hashed_static_files():
    s = settings_in(**PRODUCTION)
    assert s["DEBUG"] is False and s["ALLOWED_HOSTS"] == ["canbo.tinhuy.example.vn"]
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 31_536_000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_HSTS_PRELOAD"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "canbo.web.static_storage.StaticFilesStorage"
    assert s["WHITENOISE_USE_FINDERS"] is False


def test_production_settings_follow_the_environment():
    s = settings_in(
        **PRODUCTION, CANBO_SSL_REDIRECT="0", CANBO_HSTS_SECONDS="3600", CANBO_HSTS_PRELOAD="0",
        CANBO_HSTS_INCLUDE_SUBDOMAINS="0", CANBO_PROXY_COUNT="0", CANBO_LOGIN_FAILURE_LIMIT="10",
        CANBO_LOGIN_COOLOFF_MINUTES="60", CANBO_CSRF_TRUSTED_ORIGINS="https://a.example.vn, https://b.example.vn",
    )  # fmt: skip
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 3600
    assert not s["SECURE_HSTS_PRELOAD"] and not s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["AXES_FAILURE_LIMIT"] == 10 and s["AXES_COOLOFF_TIME"] == "1:00:00"
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://a.example.vn", "https://b.example.vn"]


def test_development_keeps_plain_http_and_needs_no_collectstatic():
    s = settings_in()
    assert not s["SECURE_SSL_REDIRECT"] and not s["SESSION_COOKIE_SECURE"] and s["SECURE_HSTS_SECONDS"] == 0
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert s["WHITENOISE_USE_FINDERS"] is True


def test_deploy_check_is_clean_with_production_settings():
    result = canbo("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"CANBO_SECRET_KEY": None}, "chưa đặt CANBO_SECRET_KEY"),
        ({"CANBO_SECRET_KEY": "insecure-local-demo-key-change-me-in-production"}, "chưa đặt CANBO_SECRET_KEY"),
        ({"CANBO_SECRET_KEY": "ngan-qua"}, "CANBO_SECRET_KEY quá ngắn"),
        ({"CANBO_ALLOWED_HOSTS": None}, "chưa đặt CANBO_ALLOWED_HOSTS"),
        ({"CANBO_DEBUG": "1"}, "không được bật CANBO_DEBUG"),
        ({"CANBO_HSTS_SECONDS": "mot-nam"}, "CANBO_HSTS_SECONDS='mot-nam': cần một số nguyên"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(missing, message):
    result = canbo("check", **{**PRODUCTION, **missing})
    assert result.returncode != 0
    assert message in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = canbo("check", CANBO_ENV="prod")
    assert result.returncode != 0 and "CANBO_ENV='prod'" in result.stderr


def test_production_collectstatic_hashes_and_compresses_the_vendored_files(tmp_path):
    # The vendored bundles name source maps that are not shipped; collecting must not fail on them.
    result = canbo("collectstatic", "--noinput", "-v0", **PRODUCTION, CANBO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/chartjs-4.6.1/chart.umd.min.js"]
    assert hashed != "vendor/chartjs-4.6.1/chart.umd.min.js"
    assert (tmp_path / hashed).exists() and (tmp_path / f"{hashed}.gz").exists()


def test_gunicorn_settings_follow_the_environment():
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = subprocess.run(
        [gunicorn, "-c", "python:canbo.gunicorn_conf", "--print-config", "canbo.wsgi"],
        env=environment(CANBO_BIND="127.0.0.1:9123", CANBO_WEB_WORKERS="3", CANBO_WEB_TIMEOUT="300"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    config = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    config = {name.strip(): value.strip() for name, value in config.items()}
    assert config["bind"] == "['127.0.0.1:9123']" and config["workers"] == "3" and config["timeout"] == "300"
    assert config["worker_class"] == "gthread" and config["threads"] == "4"
