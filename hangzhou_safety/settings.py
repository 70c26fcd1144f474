"""Settings for hangzhou-safety: one file, driven by environment variables.

Defaults are safe to run on a laptop and leak nothing when exposed (DEBUG off, a
generated secret key under var/); production sets DJANGO_SECRET_KEY, DJANGO_HTTPS=1,
DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL (see .env.example).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HS_VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a newcomer who exposes `make run` on a network must not show
# tracebacks and settings to whoever connects.
DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, else a random key kept in var/secret_key (made on first use),
    so `make run` needs no setup and no key is ever committed or shared."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (web, worker) made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Form widgets render through TEMPLATES (FORM_RENDERER below), which finds
    # Django's own widget templates here and the project's overrides in templates/.
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "hangzhou_safety.accounts",
    "hangzhou_safety.audit",
    "hangzhou_safety.workdays",
    "hangzhou_safety.documents",
    "hangzhou_safety.web",
    "enterprises",
    "inspections",
    "enforcement",
    "credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hangzhou_safety.boundary.middleware.InputGuardMiddleware",
    "hangzhou_safety.boundary.middleware.NoStoreApiMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hangzhou_safety.accounts.middleware.IdleTimeoutMiddleware",
    "hangzhou_safety.web.middleware.HtmxLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes must be last: it turns lockouts raised by the backend into responses.
    "axes.middleware.AxesMiddleware",
]

# benchmarks/throughput.py serves its naive reference views beside the app this way.
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "hangzhou_safety.urls")
WSGI_APPLICATION = "hangzhou_safety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hangzhou_safety.web.context_processors.navigation",
            ],
        },
    },
]

# Widgets rendered by the project's template engine, so templates/django/forms/ can
# override one (the empty choice reads 请选择, not Django's "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: PostgreSQL only (trigram search, row locks, triggers). ---
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise RuntimeError(
        "DATABASE_URL is not set. Use `make run` / `make test` (they start the embedded "
        "PostgreSQL) or point DATABASE_URL at a PostgreSQL server."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Our backend only adds a UTF-8 locale to the test database it creates (see db/base.py).
DATABASES["default"]["ENGINE"] = "hangzhou_safety.db"
DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery: Redis when REDIS_URL is set, else local fallbacks. ---


def _redis_url() -> str:
    """REDIS_URL; in a parallel test process (pytest-xdist sets PYTEST_XDIST_WORKER to
    gw0, gw1, ...) the database number is moved past the configured one, so that one
    process's Celery worker never takes another's tasks and cache keys never collide.
    Subprocesses a test starts inherit the variable and land on the same database."""
    url = os.environ.get("REDIS_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker.startswith("gw") or not worker[2:].isdigit():
        return url
    base, _, db = url.rpartition("/")
    if "://" not in base or not db.isdigit():
        base, db = url.rstrip("/"), "0"
    return f"{base}/{(int(db) + 1 + int(worker[2:])) % 16}"


REDIS_URL = _redis_url()
if REDIS_URL:
    # Django's Redis backend, keeping one client per pool (hangzhou_safety.cache).
    CACHES = {"default": {"BACKEND": "hangzhou_safety.cache.RedisCache",
                          "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Celery's filesystem transport: a broker with no server, for `make run` without Redis.
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    # Kombu's filesystem transport does not create its folders.
    for _folder in ("queue", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat watchdog ends as failed an import job silent (no progress) for this long.
IMPORT_JOB_STALL_MINUTES = int(os.environ.get("IMPORT_JOB_STALL_MINUTES", "15"))
# The hourly case reminders: a running case clock is "due soon" when its last day is
# at most this many working days away (enforcement/cases/reminders.py).
CASE_REMINDER_WORKING_DAYS = int(os.environ.get("CASE_REMINDER_WORKING_DAYS", "3"))

# --- Auth and accounts ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hangzhou_safety.accounts.passwords.CharacterClassValidator"},
    {"NAME": "hangzhou_safety.accounts.passwords.NotUsernameValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# MLPS level 3: lock an account (per username and IP) for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hangzhou_safety.accounts.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "hangzhou_safety.accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# How many reverse proxies (nginx, load balancer) stand in front of gunicorn; their
# X-Forwarded-For entries are trusted, nothing else is.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Idle timeout: 30 minutes without a request ends the session.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
API_TOKEN_TTL = timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "12")))

# --- Production hardening: on when the site is served over HTTPS (DJANGO_HTTPS=1) ---
# Separate from DEBUG: `make run` on a laptop answers plain http://127.0.0.1:8000 with
# DEBUG off, and would be unusable with secure-only cookies and an HTTPS redirect.
# docker-compose.yml and .env.example set DJANGO_HTTPS=1; `check --deploy` warns when
# a deployment forgets it.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # blob: previews of photos queued on the phone (static/js/offline-queue.js).
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation: Chinese first, English available. ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Inspection evidence and signatures: outside any public media root, served only by
# views that check permissions (originals are kept byte for byte).
EVIDENCE_ROOT = Path(os.environ.get("HS_EVIDENCE_ROOT") or VAR_DIR / "evidence")

# --- Static files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names once collectstatic has written its manifest (`make run`, the
# Docker image); plain names before that (a fresh clone, DEBUG). `make test` turns it
# off, so a manifest left by an earlier `make run` cannot go stale under the tests.
_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST",
                     (STATIC_ROOT / "staticfiles.json").exists()) and not DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The project's error pages and JSON error bodies for what Django answers itself.
CSRF_FAILURE_VIEW = "hangzhou_safety.boundary.responses.csrf_failure"
# Tracebacks (DEBUG pages, error mails) mask every credential-bearing URL too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "hangzhou_safety.boundary.reporting.CredentialMaskingFilter"

# --- API ---
# How long a public API answer may be served from the cache (hangzhou_safety.api.cached);
# a change of status invalidates it at once, this bounds any other change.
API_RESPONSE_CACHE_SECONDS = int(os.environ.get("API_RESPONSE_CACHE_SECONDS", "60"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hangzhou_safety.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hangzhou_safety.api.permissions.IsStaffMember"],
    "DEFAULT_PAGINATION_CLASS": "hangzhou_safety.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["hangzhou_safety.api.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "hangzhou_safety.boundary.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Keyed on the same trusted client address as the login lockout, never on a
    # client-supplied X-Forwarded-For.
    "DEFAULT_THROTTLE_CLASSES": ["hangzhou_safety.boundary.throttling.AnonClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "60/minute"),
        "public_page": os.environ.get("PUBLIC_PAGE_RATE", "60/minute"),
        # 12350 submissions (API and form) per client: a flood is cut at the door.
        "public_report": os.environ.get("PUBLIC_REPORT_RATE", "10/hour"),
    },
    "EXCEPTION_HANDLER": "hangzhou_safety.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hangzhou-safety API",
    "DESCRIPTION": "杭州市安全生产监管执法平台 API / Hangzhou safety-production enforcement API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "hangzhou_safety.api.schema.document_errors"],
    # Several models call their choice field "kind"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "JurisdictionKindEnum": "hangzhou_safety.accounts.models.Jurisdiction.Kind",
        "AuthorityKindEnum": "hangzhou_safety.accounts.models.Authority.Kind",
        "SpecialDayKindEnum": "hangzhou_safety.workdays.models.SpecialDay.Kind",
        "DeadlineCountKindEnum": ["working", "calendar"],
        "EvidenceKindEnum": "inspections.models.Evidence.Kind",
        "RectificationOrderKindEnum": "inspections.models.RectificationOrder.Kind",
        "DiscretionLevelEnum": "enforcement.grounds.models.DiscretionLevel",
        "LevelEnum": "enterprises.models.MajorHazardSource.Level",
        "CaseStatusEnum": "enforcement.cases.models.Case.Status",
        "PenaltyDecisionStatusEnum": "enforcement.cases.models.PenaltyDecision.Status",
        "PartyKindEnum": "enforcement.grounds.models.PartyKind",
        "PartyRoleEnum": "enforcement.cases.models.PartyRole",
        "RoleEnum": "hangzhou_safety.accounts.models.Role",
        "CaseEvidenceKindEnum": "enforcement.cases.models.EvidenceKind",
        "NoPenaltyGroundEnum": "enforcement.cases.models.Case.NoPenaltyGround",
        "PreservationOutcomeEnum": "enforcement.cases.models.PreservationOutcome",
        "ServiceMethodEnum": "enforcement.cases.models.PenaltyDecision.ServiceMethod",
        "SourceEnum": "enforcement.cases.models.Case.Source",
        "DecisionChangeSourceEnum": "enforcement.cases.changes.ChangeSource",
        "DecisionChangeOutcomeEnum": "enforcement.cases.changes.ChangeOutcome",
        "DecisionChangeStatusEnum": "enforcement.cases.changes.DecisionChange.Status",
        "PlanCategoryEnum": "inspections.plans.models.PlanCategory",
        "TransferCategoryEnum": "enforcement.transfers.categories.CHOICES",
        "MeasureKindEnum": "enforcement.measures.models.MeasureKind",
        "LiftReasonEnum": "enforcement.measures.models.LiftReason",
        "RatingReasonEnum": "credit.ratings.models.IntegrityRating.Reason",
        "CompulsoryMeasureStatusEnum": "enforcement.measures.models.CompulsoryMeasure.Status",
        "CriminalTransferStatusEnum": "enforcement.transfers.models.CriminalTransfer.Status",
        "AccidentStatusEnum": "enforcement.accidents.models.Accident.Status",
        "IntegrityRatingStatusEnum": "credit.ratings.models.IntegrityRating.Status",
        "BlacklistEntryStatusEnum": "credit.blacklist.models.BlacklistEntry.Status",
        "DisclosureStatusEnum": "enforcement.disclosure.models.Disclosure.Status",
        "HoldBackReasonEnum": "enforcement.disclosure.models.HoldBackReason",
        "TimelinessEnum": "enforcement.disclosure.models.Timeliness",
        "ReportCategoryEnum": "enforcement.public_reports.models.ReportCategory",
        "ReportTopicEnum": "enforcement.public_reports.models.ReportTopic",
    },
}

# --- Mail (deadline warnings to administrators). Console output when no host is set. ---
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@safety.hangzhou.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO ("Step 5 - Creating layout").
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# --- Credit platform pushes (credit/outbox). One entry per platform; endpoint, token and
# field mapping from the environment, defaulting to the fake platform `make run` starts
# on 127.0.0.1:8765 (credit/fakeplatform). ``fields`` maps our payload keys to the
# platform's field codes (双公示 CF_* codes, shared/docs/credit-data.md §1.2: [K], kept as
# data so a platform's own template can replace it); unmapped keys are sent unchanged.
CREDIT_FAKE_PLATFORM_URL = os.environ.get("CREDIT_FAKE_PLATFORM_URL", "http://127.0.0.1:8765")
_CF_FIELDS = {
    "subject_name": "CF_XDR_MC", "subject_category": "CF_XDR_LB", "uscc": "CF_XDR_SHXYM",
    "legal_representative": "CF_FRDB", "id_number": "CF_XDR_ZJHM",
    "decision_number": "CF_WSH", "violation_type": "CF_WFXW", "facts": "CF_SY",
    "legal_basis": "CF_YJ", "penalty_kinds": "CF_CFLB", "fine_wan_yuan": "CF_NR_FK",
    "decided_on": "CF_JDRQ", "disclose_until": "CF_GSJZQ", "authority_name": "CF_CFJG",
}
CREDIT_PLATFORMS: dict[str, dict] = {
    "hz_public": {
        "name": "杭州市公共信用信息平台",
        "endpoint": os.environ.get("CREDIT_HZ_PUBLIC_URL",
                                   f"{CREDIT_FAKE_PLATFORM_URL}/hz_public/records"),
        "acks": os.environ.get("CREDIT_HZ_PUBLIC_ACKS_URL",
                               f"{CREDIT_FAKE_PLATFORM_URL}/hz_public/acks"),
        "token": os.environ.get("CREDIT_HZ_PUBLIC_TOKEN", "dev-hz-public"),
        "fields": _CF_FIELDS,
    },
    "joint": {
        "name": "企业信用联合监管平台",
        "endpoint": os.environ.get("CREDIT_JOINT_URL",
                                   f"{CREDIT_FAKE_PLATFORM_URL}/joint/records"),
        "acks": os.environ.get("CREDIT_JOINT_ACKS_URL", f"{CREDIT_FAKE_PLATFORM_URL}/joint/acks"),
        "token": os.environ.get("CREDIT_JOINT_TOKEN", "dev-joint"),
        "fields": _CF_FIELDS,
    },
}
# Relay: rows claimed per batch, HTTP timeout (s), capped exponential back-off with full
# jitter (base * 2**attempt, at most cap seconds), dead-letter after this many failures.
CREDIT_OUTBOX_BATCH = int(os.environ.get("CREDIT_OUTBOX_BATCH", "100"))
CREDIT_OUTBOX_TIMEOUT = float(os.environ.get("CREDIT_OUTBOX_TIMEOUT", "5"))
CREDIT_OUTBOX_BACKOFF_BASE = float(os.environ.get("CREDIT_OUTBOX_BACKOFF_BASE", "2"))
CREDIT_OUTBOX_BACKOFF_CAP = float(os.environ.get("CREDIT_OUTBOX_BACKOFF_CAP", "600"))
CREDIT_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("CREDIT_OUTBOX_MAX_ATTEMPTS", "12"))
# One relay task runs at most this long (s) before handing over to the next one.
CREDIT_OUTBOX_RUN_SECONDS = float(os.environ.get("CREDIT_OUTBOX_RUN_SECONDS", "50"))
ADMINS = [("", a) for a in env_list("DJANGO_ADMINS")]
