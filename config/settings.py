"""Settings for the contract register: one file, read from the environment.

Every value has an embedded default good enough for `make run` (SQLite, a
file-system Celery broker, e-mail to the console). Production sets the
environment; a missing secret or a malformed value stops start-up loudly.
"""

import logging
import re
from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config
from config.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` (made by `make`, never committed) holds this checkout's own secret key, so that
# `manage.py` works as it is. Variables already set in the environment win over it.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-key-do-not-use-in-production-" + "x" * 20

# seed_demo creates users with a published password: only where this says so.
DEMO_DATA_ALLOWED = env.bool("DJANGO_ALLOW_DEMO_DATA", default=DEBUG)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # the admin site, needing a verified TOTP device when REQUIRE_2FA is on
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
    "core",
    "accounts",
    "notifications",
    "suppliers",
    "market",
    "contracts",
    "performance",
    "meetings",
    "dashboard",
    "exchange",
    "reporting",  # SQL views for the reporting tool (docs/reporting.md)
    "portal",
    "demo",  # last: it may import every app above, and none imports it
]

MIDDLEWARE = [
    "config.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.sessions.RefreshingSessionMiddleware",  # Django's, saving only a changed or minute-old session
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the sign-in check: a supplier's person reaches the supplier portal only (403 elsewhere).
    "accounts.middleware.SupplierGateMiddleware",
    # After the sign-in check: with REQUIRE_2FA on, sends whoever must give a second factor to give it.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a sign-in refused by django-axes into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "accounts.context_processors.roles",
                "notifications.context_processors.bell",
            ],
            # After Django's own: `|date` is core's, which writes each calendar day once per format.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database cannot be reached (a request, /healthz) rather than hang.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2))

# Per-process memory by default; in production a shared cache, e.g. CACHE_URL=redis://127.0.0.1:6379/2.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How old the Procurement dashboard's figures may be (the page says); 0 computes them on every visit.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# A renewal decision is due this many months before the contract's notice date (its decide-by date).
RENEWAL_DECISION_LEAD_MONTHS = env.int("RENEWAL_DECISION_LEAD_MONTHS", default=3)
# The OCDS import takes only the force's own awards: a release whose buyer has one of these identifiers
# (its party id, or "scheme-id" of its identifier, e.g. GB-PPON-ABCD-1234-EFGH) or one of these names
# (compared without case, punctuation, "&"/"and" or a leading "The"). The force's buyer identity for
# notices (OCDS_BUYER_ID, OCDS_BUYER_NAME), when set, counts too.
OCDS_IMPORT_BUYER_IDS = env.list("OCDS_IMPORT_BUYER_IDS", default=[])
OCDS_IMPORT_BUYER_NAMES = env.list("OCDS_IMPORT_BUYER_NAMES", default=[])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked. It needs the
    # request, so a test calls `client.login(request=HttpRequest(), ...)` (or `force_login`).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the signed-in person's roles with them (one query, not two).
    "accounts.backends.ModelBackend",
    # Only for sessions signed in before the backend above replaced it (they name this one): never reached
    # by a sign-in, which the backend above accepts or refuses for good.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after eight idle hours: a request pushes the expiry forward, saving the session when it
# changed or was last saved over a minute ago (core.sessions), not on every request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
# With a cache shared by every web process (CACHE_URL, Redis in production), sessions are read through
# it (cached_db: a page costs a cache read, not a query; still written to the database). Never with a
# per-process cache: a session ended in one process would live on in the others.
_SHARED_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[0] not in {
    "django.core.cache.backends.locmem",
    "django.core.cache.backends.dummy",
}
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if _SHARED_CACHE else 'db'}"
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (United Kingdom)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

# The Procurement Act 2023 (contracts/models/regime.py): it governs procurements begun on or after
# this day; section 71 (KPI assessment notices) came into force later, in England and for procurements
# regulated by the Welsh Ministers.
PROCUREMENT_ACT_COMMENCEMENT = date(2025, 2, 24)
ACT_KPI_NOTICES_IN_FORCE = {"england": date(2026, 1, 1), "wales": date(2026, 4, 1)}

# The force's identity on its OCDS export and its Procurement Act notices (Find a Tender's form):
# the ocid prefix the Open Contracting Partnership registered for the publisher, the buyer's PPON
# identifier and name, and the publisher's name. A PPON is "GB-PPON-" and the identifier
# Find a Tender gave the force; a malformed one fails at start-up.
OCDS_PREFIX = env.str("OCDS_PREFIX", default="ocds-xxxxxx")
OCDS_BUYER_ID = env.str("OCDS_BUYER_ID", default="GB-PPON-XXXX-0000-XXXX")
OCDS_BUYER_NAME = env.str("OCDS_BUYER_NAME", default="The Chief Constable of the force")
OCDS_PUBLISHER_NAME = env.str("OCDS_PUBLISHER_NAME", default=OCDS_BUYER_NAME)
if not re.fullmatch(r"ocds-[a-z0-9]{6}", OCDS_PREFIX):
    raise ImproperlyConfigured(f"OCDS_PREFIX must be 'ocds-' and six letters or digits, not {OCDS_PREFIX!r}.")
if not re.fullmatch(r"GB-PPON-[A-Z0-9-]+", OCDS_BUYER_ID):
    raise ImproperlyConfigured(
        f"OCDS_BUYER_ID must be the buyer's PPON identifier (GB-PPON-...), not {OCDS_BUYER_ID!r}."
    )
# Find a Tender's public OCDS API: the confirmation job reads {FIND_A_TENDER_API}/ocdsReleasePackages/{noticeId}.
FIND_A_TENDER_API = env.str("FIND_A_TENDER_API", default="https://www.find-tender.service.gov.uk/api/1.0").rstrip("/")
if not re.match(r"https?://", FIND_A_TENDER_API):
    raise ImproperlyConfigured(f"FIND_A_TENDER_API must be an http(s) address, not {FIND_A_TENDER_API!r}.")
FIND_A_TENDER_TIMEOUT_SECONDS = env.int("FIND_A_TENDER_TIMEOUT_SECONDS", default=10)

# Uploaded contract documents: outside static, never served by URL, only
# through a view that checks the user may see the contract.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# Behind nginx: the download views check the user and answer with an empty body and
# `X-Accel-Redirect: <prefix><path under MEDIA_ROOT>`, and nginx sends the file from an `internal`
# location with that prefix (deploy/nginx/contract-register.conf). Empty: Django streams the file.
DOCUMENT_X_ACCEL_REDIRECT_PREFIX = env.str("DJANGO_X_ACCEL_REDIRECT_PREFIX", default="")
if DOCUMENT_X_ACCEL_REDIRECT_PREFIX and not (
    DOCUMENT_X_ACCEL_REDIRECT_PREFIX.startswith("/") and DOCUMENT_X_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ImproperlyConfigured("DJANGO_X_ACCEL_REDIRECT_PREFIX must start and end with /, e.g. /protected-media/.")
# Reject request bodies well above the document limit before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# `make run` serves static files straight from static/ (no collectstatic step).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = env.bool("DJANGO_STATIC_FROM_FINDERS", default=DEBUG)

# The read-only API for the reporting system: token authentication for service accounts
# (tokens are created in the admin), the same visibility rules as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "exchange.api.authentication.ApiTokenAuthentication",
        "exchange.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# API tokens are kept hashed (exchange.models.ApiToken); those made before hashing keep working until this day.
API_LEGACY_TOKENS_UNTIL = date.fromisoformat(env.str("DJANGO_API_LEGACY_TOKENS_UNTIL", default="2027-03-31"))
# How long a new API token works unless its maker says otherwise.
API_TOKEN_DAYS = env.int("DJANGO_API_TOKEN_DAYS", default=365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Contract register API",
    "DESCRIPTION": "Read-only access for the force's reporting system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console by default; `filemail://` for files; SMTP from EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # `filemail://` writes each e-mail to a file in this folder (make run).
    EMAIL_FILE_PATH = str(env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail"))
# Absolute links in e-mails and calendar feeds.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="contract-register@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict by default, relaxed only by DEBUG for local work.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this site only; no inline script or style,
# no eval (templates keep scripts in static/js and styles in static/css: tests/core/test_security.py checks
# every template). htmx is told in base.html not to inject its indicator style and not to eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's icons (select arrow, close button) are data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Sign-in throttling (django-axes): five failed sign-ins for a username lock that username for
# 15 minutes, whoever tries. An address is locked once it has failed LOGIN_FAILURES_PER_ADDRESS
# times in 15 minutes, whichever usernames it tried (a higher limit, since an office may share
# one address). Administrators see and clear lockouts in the admin (Axes: Access attempts).
LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts. Try again after 15 minutes or ask an administrator to unlock your account."
)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # accounts.lockout.LockoutHandler counts each on its own
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"
AXES_RESET_ON_SUCCESS = True
# The 15 minutes run from the lockout: tries while locked out neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_COOLOFF_MESSAGE = LOCKOUT_MESSAGE
# Logged and shown to administrators: the username and address of each failure (never the password).
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken", "otp_token"]
AXES_VERBOSE = False  # no start-up banner in every command's output
LOGIN_FAILURES_PER_ADDRESS = env.int("DJANGO_LOGIN_FAILURES_PER_ADDRESS", default=20)
# Reverse proxies in front of the application that append the client's address to X-Forwarded-For
# (0: the client connects directly, its address is REMOTE_ADDR).
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# Two-step sign-in (django-otp, TOTP, with single-use recovery codes): on in production. The Procurement
# Unit and administrators must give a code once a session before any page, and whoever else enrolled an
# authenticator app must too. `make run` and most tests switch it off. (DJANGO_ADMIN_REQUIRE_2FA is the
# variable's earlier name, when it covered the admin site only.)
REQUIRE_2FA = env.bool("DJANGO_REQUIRE_2FA", default=env.bool("DJANGO_ADMIN_REQUIRE_2FA", default=not DEBUG))
OTP_TOTP_ISSUER = "Contract register"
# A password reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
# Reset e-mails: at most this many an hour for one address typed in, and for one account.
PASSWORD_RESET_PER_HOUR = env.int("DJANGO_PASSWORD_RESET_PER_HOUR", default=3)

# Celery: a file-system broker needs no server; production names Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = env.path("CELERY_FILESYSTEM_BROKER_DIR", default=BASE_DIR / "var" / "broker")
    for _sub in ("queue", "processed", "control"):
        Path(_broker_dir, _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(Path(_broker_dir, "queue")),
        "data_folder_out": str(Path(_broker_dir, "queue")),
        "processed_folder": str(Path(_broker_dir, "processed")),
        "control_folder": str(Path(_broker_dir, "control")),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task a worker took but never acknowledged (the worker was killed) goes back on the queue
        # after this many seconds: keep it longer than the longest job (the reminder jobs take minutes).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # Redis unreachable: a page that queues a task gives up in seconds instead of hanging.
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged when it has finished, and given back to the queue when its worker dies:
# a killed reminder job runs again, and its ledger keeps each reminder exactly once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker waits for the broker however long it is down, instead of exiting after 100 attempts.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing to a broker that is down fails within a second; notifications.queue logs it, and
# the work it records as waiting is queued again by the catch-up job.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Beat's schedule: config/schedule.py (every job date-driven and idempotent).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# Companies House monitoring (contracts.services.companies_house): with an API key, the daily job reads each
# supplier's company profile, keeping under the API's limit of requests per 5 minutes per key.
COMPANIES_HOUSE_API_KEY = env.str("COMPANIES_HOUSE_API_KEY", default="")
COMPANIES_HOUSE_API_URL = env.str(
    "COMPANIES_HOUSE_API_URL", default="https://api.company-information.service.gov.uk"
).rstrip("/")
COMPANIES_HOUSE_REQUESTS_PER_5_MINUTES = env.int("COMPANIES_HOUSE_REQUESTS_PER_5_MINUTES", default=600)
if COMPANIES_HOUSE_REQUESTS_PER_5_MINUTES < 1:
    raise ImproperlyConfigured("COMPANIES_HOUSE_REQUESTS_PER_5_MINUTES must be at least 1.")

# Key suppliers: the rule suggests the suppliers among this many with the highest active contract value.
KEY_SUPPLIER_TOP_N = env.int("KEY_SUPPLIER_TOP_N", default=10)

# The Procurement Unit responds to an escalation within this many working days of its raising, by
# severity (docs/guide.md, "Escalations"); past it, unanswered, it shows as overdue and is reminded once.
ESCALATION_RESPONSE_WORKING_DAYS = {"critical": 1, "high": 2, "medium": 5, "low": 10}

# Sent by the catch-up job on each run, by name (notifications imports none of the apps above it).
CATCH_UP_TASKS = ["exchange.tasks.import_jobs_requeue"]

# Logs go to stderr: plain text by default, one JSON object a line with LOG_FORMAT=json (config/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
try:
    LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
if LOG_FORMAT == "json":
    # Python's warnings too become log records, so that every line on stderr is JSON.
    logging.captureWarnings(True)
# In JSON the worker and beat keep the configuration above rather than Celery's own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
