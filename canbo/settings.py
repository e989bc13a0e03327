"""Django settings. SQLite is the embedded default; set CANBO_DATABASE_URL for PostgreSQL.

Everything an office sets is an environment variable (docs/deployment.md lists them).
CANBO_ENV=production turns on the production profile: DEBUG off, HTTPS-only cookies, HSTS, the
redirect to HTTPS, hashed and compressed static files; and it refuses to start without a real
secret key and the host names the site answers to, rather than run with the demo's defaults.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CANBO_VAR_DIR", PROJECT_DIR / "var"))

DEMO_SECRET_KEY = "insecure-local-demo-key-change-me-in-production"


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: dùng 1 (bật) hoặc 0 (tắt).")


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần một số nguyên.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: không được nhỏ hơn {minimum}.")
    return value


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


CANBO_ENV = os.environ.get("CANBO_ENV", "development").strip().lower() or "development"
if CANBO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"CANBO_ENV={CANBO_ENV!r}: dùng production (máy chủ thật) hoặc development (mặc định).")
PRODUCTION = CANBO_ENV == "production"

SECRET_KEY = os.environ.get("CANBO_SECRET_KEY", "").strip() or DEMO_SECRET_KEY
DEBUG = _env_flag("CANBO_DEBUG", False)
ALLOWED_HOSTS = _env_list("CANBO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CANBO_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    # Refuse to start rather than run a real office on the demo's key or with debug pages.
    if SECRET_KEY == DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "CANBO_ENV=production: chưa đặt CANBO_SECRET_KEY (khóa bí mật riêng của máy chủ, ít nhất 50 ký tự). "
            "Tạo một khóa: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "CANBO_SECRET_KEY quá ngắn hoặc quá đơn giản: cần ít nhất 50 ký tự ngẫu nhiên. "
            "Tạo một khóa: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "CANBO_ENV=production: chưa đặt CANBO_ALLOWED_HOSTS, tên miền hoặc địa chỉ mà người dùng gõ để "
            "mở hệ thống, cách nhau bằng dấu phẩy (ví dụ canbo.tinhuy.example.vn)."
        )
    if DEBUG:
        raise ImproperlyConfigured("CANBO_ENV=production: không được bật CANBO_DEBUG (trang gỡ lỗi lộ dữ liệu hồ sơ).")

# HTTPS. In production TLS ends at the reverse proxy (nginx) in front of gunicorn; the proxy
# tells Django the original scheme in X-Forwarded-Proto. CANBO_PROXY_COUNT is how many proxies
# stand in front: with one or more, that header is trusted and the login throttle reads the
# client's address from X-Forwarded-For (see canbo/web/login_throttle.py).
CANBO_PROXY_COUNT = _env_int("CANBO_PROXY_COUNT", 1 if PRODUCTION else 0)
if CANBO_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_flag("CANBO_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = _env_flag("CANBO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = _env_int("CANBO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("CANBO_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_flag("CANBO_HSTS_PRELOAD", PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves the static files under runserver too, as it does under gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "canbo.common",
    "canbo.audit",
    "canbo.areas",
    "canbo.org",
    "canbo.people",
    "canbo.access",
    "canbo.regulations",
    "canbo.discipline",
    "canbo.planning",
    "canbo.evaluation",
    "canbo.dashboard",
    "canbo.exchange",
    "canbo.api",
    "canbo.demo",
    "canbo.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "canbo.web.middleware.ChosenLanguageMiddleware",
    "canbo.web.middleware.RefuseNulInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "canbo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "canbo.wsgi.application"


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"CANBO_DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": parsed.username or "postgres",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
        "CONN_MAX_AGE": 60,
    }


if os.environ.get("CANBO_DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["CANBO_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("CANBO_SQLITE_PATH", str(VAR_DIR / "canbo.sqlite3")),
            "OPTIONS": {
                # WAL lets the web process read while an import or the demo loader writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                # Writers take turns: wait for a long write (an import) rather than fail with "database is locked".
                "timeout": 30,
            },
        }
    }

# Background jobs (large imports and exports) run through django-tasks' database backend, so a
# worker (`canbo db_worker`, started by `make demo`) needs nothing beyond the application database.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CANBO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "canbo.access.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes). Its backend comes first: it refuses a locked-out login
# before the password is even checked. Policy (docs/deployment.md, "the login lock"):
# CANBO_LOGIN_FAILURE_LIMIT failures within the cool-off lock the account (from every address,
# so guessing one account from many machines stops) and the address (for every account, so
# trying one password on many accounts stops), until CANBO_LOGIN_COOLOFF_MINUTES pass without
# another failure or an administrator runs `canbo axes_reset_username USER` / `canbo axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("CANBO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_env_int("CANBO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "canbo.web.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "canbo.web.login_throttle.lockout_response"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese is the source language of the interface; English comes from locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["canbo.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("CANBO_STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise serves the static files from the application itself (no separate file server).
# In production they come from STATIC_ROOT, filled by `canbo collectstatic` with hashed names
# (cached for a year by browsers) and gzip copies. Elsewhere, the demo and the tests,
# they are read straight from canbo/static: nothing to collect.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "canbo.web.static_storage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; kept default-safe.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CANBO_LOG_LEVEL", "WARNING")},
}
