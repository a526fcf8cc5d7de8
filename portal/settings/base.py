"""Settings read from the environment, so one image runs as demo, test or production.

DATABASE_URL defaults to a SQLite file under var/ so the demo needs no server;
production and CI point it at PostgreSQL.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=env.bool("DJANGO_DEBUG", default=False))
SECRET_KEY = env.str("SECRET_KEY", default=env.str("DJANGO_SECRET_KEY", default=""))
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For a local run set DEBUG=true "
            "(or use ./scripts/demo.sh); in production set SECRET_KEY."
        )
    SECRET_KEY = "insecure-demo-key-only-for-debug"  # noqa: S105 - never used with DEBUG off
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "import_export",
    "simple_history",
    "axes",
    "portal",
    "organisations",
    "indicators",
    "plans",
    "assignments",
    "results",
    "dashboards",
    "django_filters",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.RequestTextMiddleware",  # after these: its 400 page has the person's language and menu
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

PORTAL_DEMO = env.bool("PORTAL_DEMO", default=False)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
                "organisations.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Failing well: an unreachable database or a runaway query ends in an error page (and /healthz in
# a 503) within seconds, instead of holding a worker until the proxy gives up.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)  # seconds
DB_STATEMENT_TIMEOUT = env.int("DB_STATEMENT_TIMEOUT", default=30)  # seconds; 0 = no limit
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _db_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if DB_STATEMENT_TIMEOUT:
        _pg_options = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
        _db_options["options"] = f"{_db_options['options']} {_pg_options}" if "options" in _db_options else _pg_options
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has no server to reach: its timeout is how long a write waits for another's lock.
    _db_options.setdefault("timeout", DB_CONNECT_TIMEOUT)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Imports (portal/uploads.py): checked before a file is parsed, so no upload holds a worker past
# its timeout or fills its memory; bigger files are split by the office.
IMPORT_MAX_FILE_MB = env.int("IMPORT_MAX_FILE_MB", default=5)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=500)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=5000)
# An XLSX file cannot be streamed (the workbook is zipped once whole): past this many rows the admin
# offers CSV, which streams (48,389 units in about 7 s), instead of running past 10 s in a request.
EXPORT_MAX_XLSX_ROWS = env.int("EXPORT_MAX_XLSX_ROWS", default=20_000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after 5 wrong passwords for one account from one address,
# that pair waits 15 minutes. Attempts live in the database, so every app server sees them.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username <name>`; no extra admin screens
# Behind reverse proxies, the number of them in front of the app (AXES_PROXY_COUNT; 0 = none, the
# client is REMOTE_ADDR). Each must append to X-Forwarded-For; see portal/client_ip.py.
TRUSTED_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # portal.views.home_view sends each role to its own starting page
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first; English available through the language switcher.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Django's own vi formats lack NUMBER_GROUPING, so 344050 would print without its dots.
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files: a local folder, or an S3-compatible bucket (portal/settings/storage.py).
try:
    _default_storage = default_storage_from_env(env.ENVIRON)
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000  # a whole plan page with its targets inline posts many fields
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_ENGINE = "django.contrib.sessions.backends.db"  # the app tier keeps no state of its own
# Outgoing mail: EMAIL_URL (e.g. smtp+tls://user:password@mail.example.vn:587) or EMAIL_HOST with
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS. Without an SMTP server a reset
# e-mail would only reach the log with its link in it: in production mail is then dropped and the
# password-reset page says to ask the office instead (PASSWORD_RESET_BY_EMAIL). The demo (DEBUG)
# prints mail to the console.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.dummy.EmailBackend"
    )
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # a slow mail server must not hang a request
EMAIL_IS_SMTP = EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
PASSWORD_RESET_BY_EMAIL = EMAIL_IS_SMTP or DEBUG
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

# django-import-export: a bad row rolls the whole file back.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Off on purpose: the library's escaping drops a leading "=" and turns numbers into text. The
# admin's formats (portal.exports.InertCSV/InertXLSX) prefix an apostrophe instead, the same rule
# as the portal's own exports, for "=", "+", "-", "@", tab and carriage return.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# A control character openpyxl cannot write becomes U+FFFD instead of a failed export.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own files, no
# inline script, style attribute or handler anywhere (behaviour lives in static/js/, looks in
# static/css/; tests/portal/test_csp.py renders every page and checks). data: images are the
# admin's icons inlined in its CSS. CSP_REPORT_ONLY=true sends the same policy as report-only,
# to try a change on a live site without breaking it.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# (Not a CSP_* setting: django-csp 4 refuses those as its old format, check csp.E001.)
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
