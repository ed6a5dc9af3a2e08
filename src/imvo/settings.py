"""Settings for the IMVO platform, read from the environment.

DATABASE_URL  database (default: SQLite file var/imvo.sqlite3)
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true" to turn debugging on (the demo does); off otherwise
ALLOWED_HOSTS comma-separated host names (default: localhost names)
IMVO_VAR_DIR  where the SQLite file, uploads and keys live (default: ./var)
TASK_BACKEND  "database" (default), "redis" or "immediate"
REDIS_URL     for the redis task backend (default redis://127.0.0.1:6379/0)
CACHE_URL     shared cache, e.g. redis://127.0.0.1:6379/1 (default: each server
              process has its own in-memory cache; see docs/performance.md)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("IMVO_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG")
TESTING = env_bool("IMVO_TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. To run the platform for real, set it to a long random "
            "string: export SECRET_KEY=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')\" (docs/operations.md lists every setting). "
            "To try it on this machine: `imvo demo` builds and serves a demo database, "
            "`imvo serve --demo` serves the one built before."
        )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    # Only for its static files: /api/docs serves Swagger UI from them, not from a CDN.
    "ninja",
    "imvo.core",
    "imvo.accounts",
    "imvo.covenants",
    "imvo.supplychain",
    "imvo.risk",
    "imvo.duediligence",
    "imvo.complaints",
    "imvo.library",
    "imvo.collective",
    "imvo.regulation",
    "imvo.parties",
    "imvo.reporting",
]

MIDDLEWARE = [
    "imvo.core.middleware.HealthProbeMiddleware",  # probes: any Host, plain http
    "imvo.core.middleware.RequestSizeLimitMiddleware",
    "imvo.core.middleware.NulInQueryMiddleware",
    "imvo.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "imvo.core.middleware.ApiDefaultLanguageMiddleware",  # API without Accept-Language: English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "imvo.core.middleware.DatabaseUnavailableMiddleware",
    "imvo.core.middleware.NoStoreForSensitivePagesMiddleware",
]

ROOT_URLCONF = "imvo.urls"
WSGI_APPLICATION = "imvo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "imvo.core.context_processors.platform",
            ],
            # Django's date filter, with Dutch short months in lower case.
            "builtins": ["imvo.core.templatetags.imvo_dates"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'imvo.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the worker write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("IMVO_TEST_SQLITE") or str(VAR_DIR / "test_imvo.sqlite3")
    }
else:
    # Several checkouts may test against one server: keep their databases apart.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("IMVO_TEST_DB_NAME", "test_imvo"),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests check behaviour, not hash cost.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock an account+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client as every other limit sees it: behind a reverse proxy, the address
# from IMVO_CLIENT_IP_HEADER, not the proxy's (else 5 wrong passwords from
# anyone would lock the account for everyone).
AXES_CLIENT_IP_CALLABLE = "imvo.core.ratelimit.client_ip"

# E-mail (invitations, password resets, complaint reminders) through Django's
# backends, configured by one URL (dj-email-url): smtp://user:password@host:587/?tls=True,
# smtps://...:465, console:// (prints mail; the demo's default), file:///path/to/dir,
# locmem://. Without EMAIL_URL and DEBUG off: smtp://localhost:25.
EMAIL_URL = os.environ.get("EMAIL_URL") or ("console://" if DEBUG else "smtp://localhost:25")


def _mailer(url: str) -> dict[str, object]:
    """Django 6.1's MAILERS entry for an EMAIL_URL."""
    if url.startswith("locmem:"):
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if url.startswith("file:"):
        # dj-email-url drops the leading '/' of an absolute path: read it here.
        path = url.removeprefix("file://") or str(VAR_DIR / "mail")
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": path},
        }
    parsed = dj_email_url.parse(url)
    backend = str(parsed["EMAIL_BACKEND"])
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": parsed["EMAIL_HOST"] or "localhost",
            "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"] or None,
            "password": parsed["EMAIL_HOST_PASSWORD"] or None,
            "use_tls": bool(parsed["EMAIL_USE_TLS"]),
            "use_ssl": bool(parsed["EMAIL_USE_SSL"]),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
        },
    }


MAILERS = {"default": _mailer(EMAIL_URL)}
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "IMVO platform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails: set this to the address people use (behind a proxy the
# request's own host may be an internal name).
IMVO_PUBLIC_URL = os.environ.get("IMVO_PUBLIC_URL", "").rstrip("/")
# An invitation link stays valid a week; a password-reset link an hour.
PASSWORD_RESET_TIMEOUT = 3600
IMVO_INVITATION_SECONDS = 7 * 24 * 3600

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
# Dutch and English everywhere; the public pages and the complaint flow also in
# the main production-country languages of the covenants, and Arabic (RTL).
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("bn", "বাংলা"),
    ("hi", "हिन्दी"),
    ("tr", "Türkçe"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
# Languages in which every page (also the logged-in ones) is translated.
FULL_LANGUAGES = ["nl", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# English dates day-first (imvo/core/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["imvo.core.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
with contextlib.suppress(OSError):  # whitenoise warns at start-up when it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Uploads are bounded; larger request bodies are refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Behind a reverse proxy: the header it sets with the client address (e.g.
# X-Forwarded-For; its last entry is used). Empty: the connection's address.
# Every per-client limit reads it (imvo/core/ratelimit.py): the complaint
# forms, the risk scan API, the covenant application form and the log-in
# lock-out (AXES_CLIENT_IP_CALLABLE). Set it only when a proxy you run sets it.
IMVO_CLIENT_IP_HEADER = os.environ.get("IMVO_CLIENT_IP_HEADER", "")
# The anonymous risk scan API (imvo/risk/api.py): body size and scans per
# client address per hour (about a second of CPU per megabyte scanned).
IMVO_RISK_SCAN_MAX_BYTES = int(os.environ.get("IMVO_RISK_SCAN_MAX_BYTES", str(2 * 1024 * 1024)))
IMVO_RISK_SCAN_LIMIT = int(os.environ.get("IMVO_RISK_SCAN_LIMIT", "20"))
# The public "apply to join" form of a covenant (covenants/services/membership.py):
# applications per client address per hour and per contact e-mail per day.
IMVO_APPLY_LIMIT = int(os.environ.get("IMVO_APPLY_LIMIT", "5"))
IMVO_APPLY_EMAIL_LIMIT = int(os.environ.get("IMVO_APPLY_EMAIL_LIMIT", "3"))
# The password-reset form (accounts/views.py): requests per client address per
# hour, and reset mails queued per e-mail address per hour (docs/security.md, T60).
IMVO_PASSWORD_RESET_LIMIT = int(os.environ.get("IMVO_PASSWORD_RESET_LIMIT", "10"))
IMVO_PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("IMVO_PASSWORD_RESET_EMAIL_LIMIT", "3"))
# Paths whose requests may carry what a complainant wrote: error reports and
# logs never show their form data, files or local variables (imvo/core/privacy.py).
IMVO_PRIVATE_PATHS = ("/complaints/", "/api/complaints")
DEFAULT_EXCEPTION_REPORTER_FILTER = "imvo.core.privacy.PrivatePathReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "imvo.core.privacy.PrivatePathExceptionReporter"
# Days a complaint receipt code keeps working after its case closed.
IMVO_RECEIPT_DAYS_AFTER_CLOSURE = int(os.environ.get("IMVO_RECEIPT_DAYS_AFTER_CLOSURE", "365"))
# The facility registry prepared for matching, kept between uploads
# (supplychain/registry_index.py); it can be deleted at any time and is rebuilt.
IMVO_MATCHING_INDEX_DIR = Path(
    os.environ.get("IMVO_MATCHING_INDEX_DIR") or VAR_DIR / "matching" / "registry-index"
)
IMVO_MAX_UPLOAD_BYTES = int(os.environ.get("IMVO_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
# Any request body over this is refused at the door, before it is read
# (imvo.core.middleware.RequestSizeLimitMiddleware): the largest upload plus its form.
IMVO_MAX_REQUEST_BYTES = int(
    os.environ.get("IMVO_MAX_REQUEST_BYTES", str(IMVO_MAX_UPLOAD_BYTES + 1024 * 1024))
)

# Background work (django.tasks).
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate" if TESTING else "database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "redis": {
        "BACKEND": "django_tasks_redis.backends.RedisTaskBackend",
        "OPTIONS": {
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "REDIS_KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "imvo_tasks"),
        },
    },
}
TASKS = {"default": _TASK_BACKENDS[TASK_BACKEND]}

# The cache holds public page fragments and their data versions, and the
# complaint form's rate limits. With several server processes (gunicorn workers)
# a shared cache makes a change visible to all at once and counts a client's
# attempts across processes; the in-memory default suits one process (the demo).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES: dict[str, dict[str, object]]
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "imvo"),
        }
    }
elif CACHE_URL:
    raise ValueError(f"CACHE_URL must start with redis://, rediss:// or unix://, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered public fragments, keyed by the data versions above (imvo/core/cache.py).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "imvo-local",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
IMVO_PUBLIC_CACHE_SECONDS = int(os.environ.get("IMVO_PUBLIC_CACHE_SECONDS", "60"))
if TASK_BACKEND == "redis":
    INSTALLED_APPS.append("django_tasks_redis")

# Security. Production defaults; the demo and tests run over plain http.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
_https = not (DEBUG or TESTING) and env_bool("IMVO_HTTPS", True)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = _https and env_bool("IMVO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# LOG_FORMAT=json (set by `imvo serve` for itself, gunicorn and the worker): one
# JSON object per line on standard output (imvo/core/logs.py). Otherwise plain
# text on standard error, so a command's own output (`imvo scan --format csv`) stays clean.
_JSON_LOGS = os.environ.get("LOG_FORMAT") == "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "imvo.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"private_paths": {"()": "imvo.core.privacy.PrivatePathLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if _JSON_LOGS else "ext://sys.stderr",
            "formatter": "json" if _JSON_LOGS else "text",
            "filters": ["private_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.tasks": {"level": "INFO"},
        "imvo": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

PLATFORM_NAME = _("IMVO Covenant Platform")
OTP_TOTP_ISSUER = "IMVO platform"
