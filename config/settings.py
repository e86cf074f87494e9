"""Settings for the POW case management system.

One file, driven by the environment (django-environ). The defaults run on one machine with nothing
else installed: a SQLite file in the project, Celery tasks executed eagerly in process. Production
values come from the environment; a bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _bool(name: str, default: bool) -> bool:
    """Read a boolean variable, refusing anything that is not clearly true or false."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: expected one of true/false, 1/0, yes/no, on/off.")


def _int(name: str, default: int, minimum: int = 0) -> int:
    """Read a whole number no smaller than `minimum`."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def _url(name: str, default: str | None, schemes: set[str]) -> str | None:
    """Read a URL whose scheme must be one of `schemes`."""
    raw = env.str(name, default=default)
    if raw is None or raw == "":
        return None
    scheme = urlparse(raw).scheme
    if scheme not in schemes:
        expected = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name}={raw!r} has scheme {scheme!r}: expected one of {expected}.")
    return raw


DEBUG = _bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production refuses a default key).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - development default only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "powcases",
    "compliance",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication: remembers POST responses under an Idempotency-Key (API only).
    "integrations.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_database_url = _url(
    "DATABASE_URL",
    default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes={"sqlite", "postgres", "postgresql", "pgsql", "psql"},
)
try:
    DATABASES = {"default": env.db_url_config(_database_url)}
except Exception as exc:  # django-environ raises several types for malformed URLs
    raise ImproperlyConfigured(f"DATABASE_URL={_database_url!r} could not be parsed: {exc}") from exc
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = _int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media (photographs of detainees, reports) is private: MEDIA_URL is never routed. Files are served only
# through views that check permissions (powcases.views.media_download, compliance report downloads).
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
MEDIA_URL = None
MEDIA_MAX_UPLOAD_BYTES = _int("MEDIA_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Security (production) ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _int("SESSION_COOKIE_AGE", default=8 * 3600, minimum=60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", default=0)

# --- Celery ---------------------------------------------------------------------------------------
REDIS_URL = _url("REDIS_URL", default=None, schemes={"redis", "rediss"})
CELERY_BROKER_URL = _url("CELERY_BROKER_URL", default=REDIS_URL, schemes={"redis", "rediss", "amqp", "memory"})
# Without a broker, tasks run eagerly in the calling process: the embedded default needs no services.
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL is None)
if CELERY_BROKER_URL is None:
    # Nothing is ever sent to a broker when tasks run eagerly; the in-memory transport keeps Celery from
    # guessing a default host.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Time-based compliance rules (capture card overdue, monthly inspection missed) and waiver expiry.
    "compliance-periodic-sweep": {"task": "compliance.tasks.periodic_sweep", "schedule": 3600.0},
}

# --- Cache (throttling, locks) --------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["powcases.api.base.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "powcases.api.base.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_THROTTLE_CLASSES": ["powcases.api.throttling.TokenRateThrottle"],
    "EXCEPTION_HANDLER": "powcases.api.base.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "POW case management API",
    "DESCRIPTION": "Case data, exchange tracking and Geneva Convention (III) compliance findings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DetaineeStatusEnum": "powcases.choices.DetaineeStatus",
        "ExchangeStatusEnum": "powcases.choices.ExchangeStatus",
        "RepatriationWishEnum": "powcases.choices.RepatriationWishChoice",
        "RunStatusEnum": "compliance.choices.RunStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "powcases.api.schema.document_errors",  # every error response, Idempotency-Key / If-Match / ETag
    ],
}

# --- Webhooks and idempotency ---------------------------------------------------------------------
WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", default=8, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = _int("WEBHOOK_RETRY_BASE_SECONDS", default=30, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = _int("WEBHOOK_TIMEOUT_SECONDS", default=10, minimum=1)
# The beat task that sends pending deliveries that are due (the outbox is replayed after any outage).
CELERY_BEAT_SCHEDULE["integrations-deliveries-replay"] = {
    "task": "integrations.tasks.deliveries_replay",
    "schedule": timedelta(seconds=_int("WEBHOOK_REPLAY_SECONDS", default=60, minimum=5)),
}
# A request holding an Idempotency-Key this long without an answer is considered dead.
IDEMPOTENCY_LOCK_SECONDS = _int("IDEMPOTENCY_LOCK_SECONDS", default=300, minimum=1)

# --- Compliance -----------------------------------------------------------------------------------
# Rule ids listed here are not evaluated (like Django's SILENCED_SYSTEM_CHECKS).
COMPLIANCE_SILENCED_RULES = env.list("COMPLIANCE_SILENCED_RULES", default=[])
# Policy periods: the treaty does not fix these; see ../shared/LAW.md ("policy" rows).
COMPLIANCE_POLICY = {
    "DOUBT_TRIBUNAL_DAYS": _int("COMPLIANCE_DOUBT_TRIBUNAL_DAYS", default=30, minimum=1),
    "CAPTURE_CARD_DAYS": _int("COMPLIANCE_CAPTURE_CARD_DAYS", default=7, minimum=1),
    "MEDICAL_INSPECTION_DAYS": _int("COMPLIANCE_MEDICAL_INSPECTION_DAYS", default=31, minimum=1),
    "INFO_BUREAU_DAYS": _int("COMPLIANCE_INFO_BUREAU_DAYS", default=7, minimum=1),
    "EVACUATION_HOURS": _int("COMPLIANCE_EVACUATION_HOURS", default=72, minimum=1),
    "EFFECTS_RECEIPT_HOURS": _int("COMPLIANCE_EFFECTS_RECEIPT_HOURS", default=48, minimum=1),
    "ADULT_AGE": _int("COMPLIANCE_ADULT_AGE", default=18, minimum=15),
    "MEDICAL_CERTIFICATE_DAYS": _int("COMPLIANCE_MEDICAL_CERTIFICATE_DAYS", default=30, minimum=1),
}
# Additional Protocol I binds the parties to this conflict (API-77-CHILD applies only then).
COMPLIANCE_AP1_APPLIES = _bool("COMPLIANCE_AP1_APPLIES", default=True)
COMPLIANCE_CHUNK_SIZE = _int("COMPLIANCE_CHUNK_SIZE", default=5000, minimum=1)
COMPLIANCE_STATEMENT_TIMEOUT_MS = _int("COMPLIANCE_STATEMENT_TIMEOUT_MS", default=120_000, minimum=1000)
# Reports of more findings than this (HTML, PDF; 20 times as many for CSV and SARIF) are built by a Celery task.
COMPLIANCE_REPORT_DIRECT_LIMIT = _int("COMPLIANCE_REPORT_DIRECT_LIMIT", default=500, minimum=1)

# --- The detaining power this installation serves -------------------------------------------------
DETAINING_POWER = env.str("DETAINING_POWER", default="UA")
DETAINING_POWER_LANGUAGE = env.str("DETAINING_POWER_LANGUAGE", default="ukr")
CASE_NUMBER_PREFIX = env.str("CASE_NUMBER_PREFIX", default="POW")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Eager tasks still touch a producer pool, whose connection warns about the placeholder broker's host.
        "kombu.connection": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"},
    },
}
