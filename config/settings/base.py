"""Settings shared by every environment.

All configuration is read from the environment through one django-environ object
(``env``); `.env.example` lists every variable. Environment-specific modules
(local, test, production) import from here and override.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer's .env is read if present; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.VagenAdminConfig",  # admin site limited to administrators
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_otp",  # second factor for local accounts (signin)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "mozilla_django_oidc",  # staff single sign-on (signin)
    "django_htmx",
    "csp",  # django-csp: the Content-Security-Policy header (its checks catch old settings)
    "django_filters",
    "django_tables2",
    "import_export",
    "cases",
    "workplans",
    "referrals",
    "reporting",
    "signin",  # how staff sign in: SSO, group mapping, second factor, sign-in log
    "eservice",  # Min ansökan: the citizen's e-service (issue 19)
    "benchdata",  # seed_bench: benchmark data for every app (no models, no URLs)
]

MIDDLEWARE = [
    # First: /halsa/, /halsa/redo/ and /metrics answer before the HTTPS redirect and the
    # ALLOWED_HOSTS check, and are never logged as access (config.ops).
    "config.ops.OpsEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, so static files keep their caching; everything else is no-store.
    "cases.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "cases.middleware.RequestIdMiddleware",
    # One log line per request (view name, status, user id – no path) and its latency.
    "config.ops.RequestLogMiddleware",
    # Sheds a request that waited too long in the queue before any session or database
    # work (cases.overload; issue 20).
    "cases.overload.OverloadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the second factor of this session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Inside /e-tjanst/: the citizen's own session, request.user anonymous (before the
    # viewer and the staff idle timeout, which must never see a staff user there).
    "eservice.sessions.CitizenSessionMiddleware",
    "cases.middleware.ViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cases.middleware.IdleTimeoutMiddleware",
    # A local sign-in is not finished before the second factor (signin.middleware).
    "signin.middleware.SecondFactorRequiredMiddleware",
    # Axes must be last: it turns a locked-out login attempt into the lockout page.
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
                "cases.context_processors.staff",
                "eservice.context_processors.eservice",
            ],
        },
    },
]

DATABASES = {
    # Without DATABASE_URL (the `make run` default) an SQLite file under var/ is used.
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vagen.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def postgres_oltp(database: dict) -> dict:
    """Vägen's own PostgreSQL connections (web, worker, tests; reports in psql keep the
    server's defaults) – short OLTP reads, many times the same:

    * JIT off: it compiles a query whose *estimated* cost is high – and the permission
      gates' EXISTS branches are estimated high whatever they read: a person search
      that runs in 17 ms spent 449 ms compiling (issue 20, bench at 200 000 households).
    * No server-side cursors: every select of a model (ModelChoiceField iterates with
      .iterator()) opened one – DECLARE … WITH HOLD, FETCH, CLOSE: three round trips for
      a list of ten closing reasons, several on each case page. The one large read, the
      case export, is built in memory anyway (reporting.exports).
    * Server-side parameters and prepared statements (psycopg ``prepare_threshold``): a
      query a connection has run twice is prepared and PostgreSQL reuses its parse and,
      once it has seen it five times, its plan. Planning the case page's ~20 queries
      cost PostgreSQL 4.9 ms against 1.2 ms running them; per request of bench/load.py's
      mix PostgreSQL's CPU went from 7.5 to 5 ms. Prepared statements live in the
      connection (CONN_MAX_AGE); a pooler in transaction mode would need
      ``prepare_threshold`` None.
    """
    if database.get("ENGINE", "").endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 2)
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    return database


postgres_oltp(DATABASES["default"])
# Graceful overload (cases.overload, issue 20): a request that waited longer than this
# in the server's queue (X-Request-Start from the proxy) gets 503 at once; 0 = off.
VAGEN_REQUEST_QUEUE_TIMEOUT_MS = env.int("VAGEN_REQUEST_QUEUE_TIMEOUT_MS", default=0)
# A per-request deadline in the database: PostgreSQL cancels a statement that runs
# longer (the middleware answers 503); 0 = off.
VAGEN_DB_STATEMENT_TIMEOUT_MS = env.int("VAGEN_DB_STATEMENT_TIMEOUT_MS", default=0)
if VAGEN_DB_STATEMENT_TIMEOUT_MS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={VAGEN_DB_STATEMENT_TIMEOUT_MS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and login -------------------------------------------------------------
AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
    # The municipality's IdP over OpenID Connect (signin.backends); only when configured.
    "signin.backends.VagenOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Not on the password step's success: the failures of the second factor count towards
# the same lockout (signin.views), and a correct password must not wipe them. The
# attempts are reset when the whole sign-in succeeds (signin.services.signin_completed).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False  # axes would otherwise log usernames and addresses

# Sessions: logged out after VAGEN_IDLE_TIMEOUT_MINUTES without a request
# (cases.middleware.IdleTimeoutMiddleware), and never longer than a working day.
VAGEN_IDLE_TIMEOUT_MINUTES = env.int("VAGEN_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "vagen_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cases.views.errors.csrf_failure"

# A sign-in lasts at most this long (seconds) whichever way it was made, however active
# the user is (cases.middleware.IdleTimeoutMiddleware); the cookie's age alone would be
# renewed by every saved request.
VAGEN_MAX_SESSION_SECONDS = env.int("VAGEN_MAX_SESSION_SECONDS", default=SESSION_COOKIE_AGE)

# --- Single sign-on (OpenID Connect, mozilla-django-oidc) and the second factor ----------
# SSO is offered when the IdP is configured (issuer and client id). Endpoints are given
# one by one (README: the values for Entra ID and Keycloak); the ID token must be RS256,
# signed by a key in the IdP's JWKS, for this client (aud) from this issuer (iss), and
# unexpired (signin.backends.VagenOIDCBackend).
VAGEN_OIDC_ISSUER = env("VAGEN_OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("VAGEN_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("VAGEN_OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("VAGEN_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("VAGEN_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("VAGEN_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("VAGEN_OIDC_JWKS_ENDPOINT", default="")
# RP-initiated logout: Vägen's logout also ends the IdP session (empty: IdP has none).
VAGEN_OIDC_END_SESSION_ENDPOINT = env("VAGEN_OIDC_END_SESSION_ENDPOINT", default="")
OIDC_RP_SCOPES = env("VAGEN_OIDC_SCOPES", default="openid profile email")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the logout request
OIDC_TIMEOUT = env.int("VAGEN_OIDC_TIMEOUT_SECONDS", default=10)
OIDC_CREATE_USER = True
OIDC_OP_LOGOUT_URL_METHOD = "signin.backends.provider_logout_url"
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/"
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# Claim names (Entra ID sends the groups' object ids in "groups", or app roles in "roles").
VAGEN_OIDC_GROUPS_CLAIM = env("VAGEN_OIDC_GROUPS_CLAIM", default="groups")
VAGEN_OIDC_USERNAME_CLAIM = env("VAGEN_OIDC_USERNAME_CLAIM", default="preferred_username")
VAGEN_OIDC_EMAIL_CLAIM = env("VAGEN_OIDC_EMAIL_CLAIM", default="email")
VAGEN_OIDC_GIVEN_NAME_CLAIM = env("VAGEN_OIDC_GIVEN_NAME_CLAIM", default="given_name")
VAGEN_OIDC_FAMILY_NAME_CLAIM = env("VAGEN_OIDC_FAMILY_NAME_CLAIM", default="family_name")
# The label of the SSO button on the login page.
VAGEN_OIDC_BUTTON_LABEL = env("VAGEN_OIDC_BUTTON_LABEL", default="Logga in med kommunens konto")
# SSO is the only way in: the local form then admits only these (break-glass) accounts,
# and they still need their second factor.
VAGEN_SSO_ONLY = env.bool("VAGEN_SSO_ONLY", default=False)
VAGEN_BREAK_GLASS_USERNAMES = env.list("VAGEN_BREAK_GLASS_USERNAMES", default=[])
# The issuer name shown in authenticator apps next to the account (TOTP enrolment).
OTP_TOTP_ISSUER = env("VAGEN_TOTP_ISSUER", default="Vägen")
VAGEN_RECOVERY_CODE_COUNT = 10

# Case access (DESIGN.md "Roles and access").
UNIT_COLLEAGUES_CAN_READ = env.bool("UNIT_COLLEAGUES_CAN_READ", default=True)
GUARDIAN_RAISE_403 = False
GUARDIAN_MONKEY_PATCH_USER = False  # guardian 3: no anonymous-user proxy on our model
ANONYMOUS_USER_NAME = None

# --- Language and time ------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# How dates look: config/formats/sv/formats.py is the one place ("1 dec 2026", "tis 1 dec").
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"  # calendar rules; instants are stored in UTC
USE_TZ = True

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Files on S3-compatible object storage (issue 23) when a bucket is named: every
# FileField and default_storage (export/import files, scanned signatures). The bucket is
# private; files are only ever streamed through Vägen's views after the permission gate,
# so no URL to the storage is handed out (querystring_auth stays on, short, as a second
# line should a template ever call .url). Without VAGEN_S3_BUCKET (`make run`) files are
# on the filesystem under MEDIA_ROOT.
VAGEN_S3_BUCKET = env("VAGEN_S3_BUCKET", default="")
if VAGEN_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": VAGEN_S3_BUCKET,
            "endpoint_url": env("VAGEN_S3_ENDPOINT_URL", default="") or None,
            "access_key": env("VAGEN_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("VAGEN_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("VAGEN_S3_REGION", default="us-east-1"),
            "addressing_style": env("VAGEN_S3_ADDRESSING_STYLE", default="path"),
            "default_acl": None,  # the bucket's own policy: private
            "object_parameters": {"CacheControl": "no-store"},
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }

# --- Security headers that hold everywhere -----------------------------------------
# The health and metrics paths are never redirected to HTTPS (config.ops answers them
# first anyway): the container's healthcheck speaks plain HTTP to 127.0.0.1.
SECURE_REDIRECT_EXEMPT = [r"^halsa/", r"^metrics$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): scripts and styles only from our own static
# files – no inline <script>, no on…= handlers, no style= attributes (templates/ has none;
# htmx is told not to inject its indicator <style>, see base.html). Charts are inline SVG
# (markup, not style), images may be data: URLs. No report-uri: nothing leaves the host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Sent by cases.middleware.PrivacyHeadersMiddleware (Django has no setting for it):
# no page of Vägen uses the camera, microphone, position or the like.
VAGEN_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

# --- E-mail -------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="vagen@kommun.example")
# One SMTP exchange must end well inside the claim timeout of a notification e-mail.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A claimed notification e-mail not handed to the mail server within this time is
# claimed again (cases.notifications): bounds the delay a killed worker causes.
VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.int(
    "VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=120
)

# --- Celery -------------------------------------------------------------------------
# With REDIS_URL the broker is Redis; without it (`make run`) kombu's filesystem
# transport under var/ needs no server and still survives restarts.
REDIS_URL = env("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task not acknowledged within this time is delivered again (acks_late).
        "visibility_timeout": 60 * 60,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        # Broadcast (remote control) exchanges, which would otherwise land in the cwd.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Acknowledge after the task ran, so a worker killed mid-task leaves the message to be
# delivered again; tasks are written to be idempotent for exactly this reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Take one message at a time: with acks_late a prefetched message would wait behind a
# long task on a busy worker while another worker sits idle.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task may hang a worker forever; the soft limit lets a task clean up first.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # the database, not a result backend, records outcomes
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    # At most one beat sends, however many are started (config.beat: a Redis lock).
    CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"
VAGEN_BEAT_LOCK_TTL = env.int("VAGEN_BEAT_LOCK_TTL", default=30)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging: no personal data; every line carries the request id -------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "json" (production's default): one JSON object per line with request_id, user_id
# (a number, never a client's data), view, status and duration for the request lines.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cases.request_context.RequestIdLogFilter"},
        "expected_client_error": {"()": "cases.request_context.ExpectedClientErrorFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s u=%(user_id)s] %(name)s: "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "timestamp": "time",  # UTC, ISO 8601
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default sends "django" to a second console handler when DEBUG is
        # on, so each line came twice; ours is the only handler (via the root logger).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403/404 is one line with the request id, never a traceback (see the filter).
        "django.request": {"filters": ["expected_client_error"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # progress lines per PDF are noise
        "fontTools": {"level": "WARNING"},
        # pysaml2 logs assertions, attributes (the personnummer) and NameIDs at INFO and
        # DEBUG: never in the application log (no personal data in logs).
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}

# --- Vägen ---------------------------------------------------------------------------
# Targets for the unit manager's indicators (municipal goals, DOMAIN.md §9; configurable).
VAGEN_INDICATOR_TARGETS = {
    "callback_share": env.float("TARGET_CALLBACK_SHARE", default=100.0),  # % within 24 wh
    "days_to_decision": env.float("TARGET_DAYS_TO_DECISION", default=16.0),  # national avg
    "days_to_first_visit": env.float("TARGET_DAYS_TO_FIRST_VISIT", default=14.0),
    "meeting_share": env.float("TARGET_MEETING_SHARE", default=100.0),  # personal meeting
    "visits_per_day": env.float("TARGET_VISITS_PER_DAY", default=1.0),  # Norrköping 2015
    "plan_share": env.float("TARGET_PLAN_SHARE", default=100.0),  # plan within 3 months
    "reviews_per_year": env.int("TARGET_REVIEWS_PER_YEAR", default=3),  # ärendegenomgångar
}
# Exports up to this many rows are made at once in the request; larger ones by a worker.
VAGEN_EXPORT_SYNC_MAX_ROWS = env.int("VAGEN_EXPORT_SYNC_MAX_ROWS", default=1000)
# /metrics answers only to these networks (the scraper's own address; config.ops). The
# reverse proxy refuses /metrics from outside whatever this says (deploy/nginx).
VAGEN_METRICS_ALLOWED_NETWORKS = env.list(
    "VAGEN_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"]
)
# Queues besides the default one whose length /metrics reports.
VAGEN_METRICS_QUEUES = env.list("VAGEN_METRICS_QUEUES", default=[])
# Uploaded spreadsheets (the legacy import): checked before anything parses them
# (cases.spreadsheets.check_upload). An XLSX file is a zip archive: its entries together
# may inflate to at most the uncompressed limit, each at most ratio × its packed size –
# real workbooks pack 5–20×, a "zip bomb" thousands of times.
VAGEN_UPLOAD_MAX_BYTES = env.int("VAGEN_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
VAGEN_UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int(
    "VAGEN_UPLOAD_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
)
VAGEN_UPLOAD_MAX_COMPRESSION_RATIO = env.int("VAGEN_UPLOAD_MAX_COMPRESSION_RATIO", default=100)
VAGEN_UPLOAD_MAX_ROWS = env.int("VAGEN_UPLOAD_MAX_ROWS", default=20_000)
# Links in e-mails point here.
VAGEN_BASE_URL = env("VAGEN_BASE_URL", default="http://127.0.0.1:8000")
VAGEN_MUNICIPALITY_NAME = env("VAGEN_MUNICIPALITY_NAME", default="Exempelby kommun")
# Letters to a person with skyddad folkbokföring or sekretessmarkering go through
# Skatteverket's särskilda postförmedling: the envelope's address lines after the name
# and personnummer, as Skatteverket tells the municipality (configuration, not code).
VAGEN_PROTECTED_MAIL_LINES = env.list(
    "VAGEN_PROTECTED_MAIL_LINES", default=["Skatteverket", "Särskild postförmedling"]
)
# Letters to a person whose language is not Swedish carry a short notice in that language
# (FL 13 §, cases.language_notices) saying whom to call: the unit's phone when the unit
# records one, else this number (the social services' switchboard or reception).
VAGEN_CONTACT_PHONE = env("VAGEN_CONTACT_PHONE", default="")
# A folder of the municipality's own corrected notices (<code>.toml), which win over the
# shipped ones in cases/letter_notices/ file by file. Empty: the shipped ones only.
VAGEN_LETTER_NOTICE_DIR = env("VAGEN_LETTER_NOTICE_DIR", default="")
# load_demo refuses to run unless this is true (never in production).
VAGEN_DEMO_DATA_ALLOWED = env.bool("VAGEN_DEMO_DATA_ALLOWED", default=False)
# The nämnd that decides (by delegation) and where appeals are sent – the defaults for
# every unit; a unit's own fields (Unit.board_name, postal_address, email, phone) win.
VAGEN_BOARD_NAME = env("VAGEN_BOARD_NAME", default="Socialnämnden")
VAGEN_BOARD_POSTAL_ADDRESS = env.list("VAGEN_BOARD_POSTAL_ADDRESS", default=[])
VAGEN_BOARD_EMAIL = env("VAGEN_BOARD_EMAIL", default="")
VAGEN_BOARD_PHONE = env("VAGEN_BOARD_PHONE", default="")
# Where the kommun's anslagstavla is (laglighetsprövning runs from its notices, KL 13:5).
VAGEN_NOTICE_BOARD = env("VAGEN_NOTICE_BOARD", default="kommunens webbplats")
# The title a decision letter gives a user without one of their own, by role.
VAGEN_ROLE_TITLES = {"unit_manager": "Enhetschef", "caseworker": "Socialsekreterare"}

# Gallring (SoL 2025:400 16 kap. 1 och 4 §§; DOMAIN.md §8). The municipality is one of those
# chosen for Socialstyrelsen's representative sample (16:4): then every record is kept.
VAGEN_GALLRING_RESEARCH_MUNICIPALITY = env.bool(
    "VAGEN_GALLRING_RESEARCH_MUNICIPALITY", default=False
)
# Persons born on these days of a month are kept for research (16:4, Socialstyrelsen).
VAGEN_GALLRING_RESEARCH_DAYS = [5, 15, 25]
# How long access-log rows are kept after what they describe is destroyed (the
# municipality's informationshanteringsplan; Lag 2001:454 10 § needs them checkable).
VAGEN_ACCESS_LOG_RETENTION_YEARS = env.int("VAGEN_ACCESS_LOG_RETENTION_YEARS", default=3)

# Min ansökan – the citizen's e-service (eservice/, README "Min ansökan"): SAML 2.0 in the
# Swedish eID framework (DIGG). The IdP's metadata (file or URL); the SP's key pair.
VAGEN_ESERVICE_IDP_METADATA = env("VAGEN_ESERVICE_IDP_METADATA", default="")
VAGEN_ESERVICE_SP_ENTITY_ID = env("VAGEN_ESERVICE_SP_ENTITY_ID", default="")
VAGEN_ESERVICE_SP_KEY_FILE = env(
    "VAGEN_ESERVICE_SP_KEY_FILE", default=str(VAR_DIR / "eid" / "sp.key")
)
VAGEN_ESERVICE_SP_CERT_FILE = env(
    "VAGEN_ESERVICE_SP_CERT_FILE", default=str(VAR_DIR / "eid" / "sp.crt")
)
# Make a self-signed SP pair when missing – demo and tests only, never production.
VAGEN_ESERVICE_TEST_KEYS = env.bool("VAGEN_ESERVICE_TEST_KEYS", default=False)
VAGEN_ESERVICE_XMLSEC_BINARY = env("VAGEN_ESERVICE_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
# The address the IdP sends the person back to; empty = the request's own host.
VAGEN_ESERVICE_BASE_URL = env("VAGEN_ESERVICE_BASE_URL", default="")
VAGEN_ESERVICE_COOKIE_NAME = "vagen_etjanst"
VAGEN_ESERVICE_LANGUAGE_COOKIE = "vagen_etjanst_sprak"
VAGEN_ESERVICE_IDLE_TIMEOUT_MINUTES = env.int("VAGEN_ESERVICE_IDLE_TIMEOUT_MINUTES", default=15)
VAGEN_ESERVICE_LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("ar", "العربية")]
# Rate limits: sign-ins started per address in 10 minutes; signatures, attachments and
# messages per person in an hour.
VAGEN_ESERVICE_LOGIN_LIMIT = env.int("VAGEN_ESERVICE_LOGIN_LIMIT", default=20)
VAGEN_ESERVICE_SUBMIT_LIMIT = env.int("VAGEN_ESERVICE_SUBMIT_LIMIT", default=30)
VAGEN_ESERVICE_ATTACHMENT_MAX_BYTES = env.int(
    "VAGEN_ESERVICE_ATTACHMENT_MAX_BYTES", default=VAGEN_UPLOAD_MAX_BYTES
)
# Outside the web root (nothing under it has a URL).
VAGEN_ESERVICE_UPLOAD_ROOT = env(
    "VAGEN_ESERVICE_UPLOAD_ROOT", default=str(VAR_DIR / "private" / "eservice")
)
# The unit a first application goes to when the person is unknown (a Unit code).
VAGEN_ESERVICE_UNIT = env("VAGEN_ESERVICE_UNIT", default="")
# Form widgets rendered with Django's own Jinja2 widget templates, the admin's with the
# Django engine (config.form_renderer; issue 20).
FORM_RENDERER = "config.form_renderer.WidgetRenderer"
