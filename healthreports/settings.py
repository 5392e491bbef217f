"""Settings for healthreports, read from the environment.

DATABASE_URL   default: SQLite file under var/ (embedded first run); PostgreSQL in production and CI
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to switch on; off by default
ALLOWED_HOSTS  comma-separated
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "django-insecure-dev-only-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "reports",  # before django_tasks_db: its db_worker command adds crash recovery to theirs
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "indicators",
    "accounts",  # last: its post_migrate gives the role groups every other app's permissions
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "healthreports.http.RequestTooLargeMiddleware",  # after CSP, so the 413 page carries the header
    "healthreports.http.QueryStringGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "healthreports.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "healthreports.http.PrivateNoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AccountPolicyMiddleware",  # idle timeout, two-factor, password age
    "healthreports.middleware.LoginForPostMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "healthreports.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context.idle_timeout",
                "reports.views.notifications.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "healthreports.wsgi.application"

(BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'healthreports.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if env_bool("PGBOUNCER", False):
    # DATABASE_URL points at pgbouncer in transaction mode: a connection is only ours for one
    # transaction, so Django must not keep it, nor hold a server-side cursor (QuerySet.iterator())
    # open across transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# Check a kept connection before each request uses it: after PostgreSQL dropped connections
# (restart, failover, idle timeout) every web worker answered one 500 (issue 12).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a writer instead of failing at once; the dev server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (等保 level 3, configurable): at least PASSWORD_MIN_LENGTH characters mixing
# PASSWORD_MIN_CLASSES of lower-case, capitals, digits and others; changed every
# PASSWORD_MAX_AGE_DAYS (0: never); an administrator's reset must be changed at the next log-in.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
PASSWORD_MIN_CLASSES = int(os.environ.get("PASSWORD_MIN_CLASSES", "3"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.ComplexityValidator"},  # also records when a password was set
]
# Mail-based password reset where mail is configured (EMAIL_HOST set, or switched on explicitly).
PASSWORD_RESET_BY_MAIL = env_bool("PASSWORD_RESET_BY_MAIL", bool(os.environ.get("EMAIL_HOST")))

# Two-factor log-in (django-otp, TOTP): required for reviewers and administrators, optional for
# clerks. On by default; DEBUG (make run's demo, the test suite) switches the default off, see
# docs/security.md for logging in to the demo with it on (TWO_FACTOR_REQUIRED=1).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "healthreports"

# Idle session timeout: a session unused this long ends; the page warns before it.
SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
SESSION_IDLE_WARNING = datetime.timedelta(minutes=int(os.environ.get("SESSION_IDLE_WARNING_MINUTES", "2")))
# The audit trail's hash chain key (reports/services/audit.py); defaults to SECRET_KEY.
AUDIT_HASH_KEY = os.environ.get("AUDIT_HASH_KEY", "")

# Login throttling (django-axes): 5 failures for one username from one address lock that pair out
# for 15 minutes, and AXES_ADDRESS_FAILURE_LIMIT failures from one address across usernames lock
# the address (accounts/throttle.py); the lockout page says until when (HTTP 429).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "accounts.throttle.AddressThrottleHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout"
AXES_RESET_ON_SUCCESS = True
# Behind nginx every request comes from 127.0.0.1: take the client address from X-Real-IP, which
# our nginx sets (docs/deploy.md). Only switch this on behind a proxy that overwrites the header.
# healthreports.http.client_ip gives the address to the audit trail and to django-axes alike.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "healthreports.http.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # nothing is served from it: generated files are downloaded through the app

# Generated files (batch-export ZIPs, the frozen documents of approved reports) live in the named
# storage "generated" (code reaches it as django.core.files.storage.storages["generated"]):
#   GENERATED_STORAGE=filesystem  (default) under MEDIA_ROOT: one server, or a shared mount;
#   GENERATED_STORAGE=s3          any S3-compatible object store, for several servers:
#       S3_BUCKET (required), S3_ENDPOINT_URL (empty for AWS), S3_REGION, S3_PREFIX,
#       S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (or boto3's own credential chain).
# Never public: objects are private, names are never overwritten, downloads go through the views
# (permission checks, audit); a download of a large ZIP spills to a temporary file past 8 MB.


def generated_storage_config(env) -> dict:
    """STORAGES["generated"] from the environment (a function, so tests check the same options)."""
    from django.core.exceptions import ImproperlyConfigured

    kind = env.get("GENERATED_STORAGE", "filesystem").strip().lower()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # under MEDIA_ROOT
    if kind != "s3":
        raise ImproperlyConfigured(f"GENERATED_STORAGE must be filesystem or s3, not {kind!r}.")
    if not env.get("S3_BUCKET"):
        raise ImproperlyConfigured("GENERATED_STORAGE=s3 needs S3_BUCKET.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["S3_BUCKET"],
            "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
            "region_name": env.get("S3_REGION") or None,
            "access_key": env.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": env.get("S3_SECRET_ACCESS_KEY") or None,
            "location": env.get("S3_PREFIX", ""),
            "addressing_style": "path",  # works with every S3-compatible store and a bare IP address
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,  # should a URL ever be made, it is signed and expires
            "file_overwrite": False,
            "max_memory_size": 8 * 1024 * 1024,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "generated": generated_storage_config(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work (batch exports): django-tasks with its database backend, so a first run
# needs no broker; `manage.py db_worker` is the worker process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Batch exports (reports/services/exports.py): a running job without progress for this long lost its
# worker and is queued again, up to EXPORT_MAX_ATTEMPTS times; finished ZIPs are deleted after
# EXPORT_KEEP_DAYS days. The worker (manage.py db_worker) checks every EXPORT_SWEEP_SECONDS.
EXPORT_STALE_SECONDS = int(os.environ.get("EXPORT_STALE_SECONDS", "90"))
EXPORT_MAX_ATTEMPTS = int(os.environ.get("EXPORT_MAX_ATTEMPTS", "3"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
EXPORT_SWEEP_SECONDS = int(os.environ.get("EXPORT_SWEEP_SECONDS", "30"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "healthreports@localhost")
# The portal's public address, for links in notification mail (e.g. https://reports.example.gov.cn).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Timeliness and reminders (issue 16): flag submissions waiting longer than REVIEW_WAIT_DAYS for
# review; send_reminders writes to clerks REMINDER_DAYS_BEFORE days before a deadline, on it, and
# weekly while overdue.
REVIEW_WAIT_DAYS = int(os.environ.get("REVIEW_WAIT_DAYS", "7"))
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "7"))

# Uploads: refuse huge bodies early (imports are small text / spreadsheet files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "healthreports.http.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere; the admin needs no
# exception (checked in a browser, see tests/e2e/test_admin_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

REPORT_SECTION_MAX_DEPTH = 4
REPORT_SECTION_MAX_CHARS = 100_000  # one section's text (a whole yearly report is rarely 50,000)
IMPORT_MAX_CHARS = 500_000  # one text to import (a compilation of several years is rarely 200,000)
REPORT_MAX_SECTIONS = int(os.environ.get("REPORT_MAX_SECTIONS", "300"))
REPORT_MAX_CHARS = int(os.environ.get("REPORT_MAX_CHARS", "200000"))  # all sections' text together
SITE_TITLE = _("Health work reports")
