"""CloudInterview settings: every value comes from the environment with a working default.

With nothing set this is the embedded default (SQLite, in-memory channel layer, local-memory
cache, eager Celery, offline AI). `DATABASE_URL` and `REDIS_URL` switch to the distributed
deployment (PostgreSQL with a connection pool, Redis for cache, channel layer and broker).
"""

import ipaddress
import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cloudinterview.rates import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CLOUDINTERVIEW_VAR_DIR", BASE_DIR / "var"))

log = logging.getLogger("cloudinterview.settings")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    """The configured key, or one generated once and kept in a file only this user can read."""
    if key := env_str("DJANGO_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", HOST])

DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
DISTRIBUTED = bool(DATABASE_URL)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    "reversion",
    "accounts",
    "questionbank",
    "interviews",
    "feedback",
    "webhooks",
    "pages",
]

MIDDLEWARE = [
    "cloudinterview.api.headers.ResponseHeadersMiddleware",  # X-Request-Id and RateLimit-* on every response
    "cloudinterview.api.middleware.ApiPathMiddleware",
    "cloudinterview.api.middleware.UrlTextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cloudinterview.content_security.ContentSecurityPolicyMiddleware",
    "cloudinterview.static_files.StaticFilesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cloudinterview.api.idempotency.IdempotencyMiddleware",  # innermost: it remembers what the view answered
]

ROOT_URLCONF = "cloudinterview.urls"
ASGI_APPLICATION = "cloudinterview.asgi.application"
WSGI_APPLICATION = "cloudinterview.wsgi.application"

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

# --- Database -------------------------------------------------------------------------------
DB_POOL_MIN_SIZE = env_int("DB_POOL_MIN_SIZE", 2)
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 10)

if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    # A new PostgreSQL connection costs ~5 ms on a 2-core machine; the pool removes it from every request.
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": DB_POOL_MIN_SIZE,
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
    # A query stuck behind a lock or running away ends after this long (a 503 for the request) instead of
    # holding a pooled connection until the pool runs dry for everyone.
    _db["OPTIONS"]["options"] = f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 15000)}"
    if test_name := env_str("TEST_DATABASE_NAME"):  # lets several test runs share one PostgreSQL server
        _db["TEST"] = {"NAME": test_name}
    DATABASES = {"default": _db}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {
                # Daphne's worker threads and eager tasks write concurrently: take the write lock up front
                # and let readers proceed (WAL) instead of failing with "database is locked".
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, channel layer, tasks ------------------------------------------------------------
# redis-py 8's async pool raises once 100 commands are in flight: 1,000 sockets closing at once lost
# 766 group_discard calls. cloudinterview.channel_layer waits for a free connection instead (for up to
# WS_REDIS_POOL_TIMEOUT seconds). Sockets refresh their group membership on every heartbeat, so
# members left behind by a crashed process expire after WS_GROUP_EXPIRY_SECONDS.
WS_REDIS_MAX_CONNECTIONS = env_int("WS_REDIS_MAX_CONNECTIONS", 50)
WS_REDIS_POOL_TIMEOUT = float(env_str("WS_REDIS_POOL_TIMEOUT", "10"))
WS_GROUP_EXPIRY_SECONDS = env_int("WS_GROUP_EXPIRY_SECONDS", 600)

if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX"),  # several deployments (or test runs) on one Redis
        # Fail fast when Redis is unreachable: the request answers 503 instead of hanging.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "cloudinterview.channel_layer.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": WS_REDIS_MAX_CONNECTIONS,
                           "timeout": WS_REDIS_POOL_TIMEOUT}],
                "capacity": 1000,
                "expiry": 60,
                "group_expiry": WS_GROUP_EXPIRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cloudinterview"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that died comes back after the visibility timeout: minutes, not an hour, and
# above every task's hard time limit (tests/test_tasks_config.py), so a slow task is never run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Scan for tasks of dead workers on every restore tick (10 s), not every tenth: a cheap ZRANGEBYSCORE.
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ROUTES = {"sandbox.*": {"queue": "sandbox"}}
CELERY_BEAT_SCHEDULE = {
    "sweep-abandoned-sessions": {"task": "interviews.sweep_abandoned_sessions", "schedule": 300.0},
    "requeue-stalled-evaluations": {"task": "interviews.requeue_stalled_evaluations", "schedule": 300.0},
    # Webhook retries further off than a countdown may safely wait on the broker (docs/webhooks.md).
    "dispatch-due-webhooks": {"task": "webhooks.dispatch_due", "schedule": 15.0},
}

# --- Auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCESS_TOKEN_MINUTES = env_int("ACCESS_TOKEN_MINUTES", 15)
REFRESH_TOKEN_DAYS = env_int("REFRESH_TOKEN_DAYS", 14)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=ACCESS_TOKEN_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=REFRESH_TOKEN_DAYS),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_FIELD": "public_id",
    "USER_ID_CLAIM": "sub",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

# --- REST API -------------------------------------------------------------------------------
RATE_LIMIT_AUTH = env_str("RATE_LIMIT_AUTH", "5/min")
RATE_LIMIT_SESSIONS = env_str("RATE_LIMIT_SESSIONS", "60/min")
RATE_LIMIT_QUESTIONS = env_str("RATE_LIMIT_QUESTIONS", "100/min")
RATE_LIMIT_FEEDBACK = env_str("RATE_LIMIT_FEEDBACK", "30/min")
RATE_LIMITS = {
    "auth": RATE_LIMIT_AUTH,
    "sessions": RATE_LIMIT_SESSIONS,
    "questions": RATE_LIMIT_QUESTIONS,
    "feedback": RATE_LIMIT_FEEDBACK,
}


def _check_rate(name: str, value: str) -> None:
    """A rate that cannot be parsed would fail every request it guards: refuse to start instead."""
    try:
        parse_rate(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


for _scope, _rate in RATE_LIMITS.items():
    _check_rate(f"RATE_LIMIT_{_scope.upper()}", _rate)


def _networks(values: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(v, strict=False) for v in values]


TRUSTED_PROXIES = _networks(env_list("TRUSTED_PROXIES"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.LoginTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["cloudinterview.api.renderers.StorableJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["cloudinterview.api.parsers.StrictJSONParser"],
    "EXCEPTION_HANDLER": "cloudinterview.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "cloudinterview.api.openapi_conventions.ApiAutoSchema",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CloudInterview API",
    "DESCRIPTION": "AI interview practice: sessions, questions, evaluations and feedback. Conventions (the envelope, "
                   "errors, limits, pagination, idempotency, the 202 flow) are in docs/api.md; the live interview "
                   "socket is described by the AsyncAPI document at /v1/asyncapi.",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "MIT", "identifier": "MIT"},  # as package.json says
    # Where the document is served, its own origin replaces this (openapi_conventions.document_conventions).
    "SERVERS": [{"url": "http://127.0.0.1:8000", "description": "A local server (`make run`); a deployment serves "
                                                                "the same paths on its own origin"}],
    "TAGS": [
        {"name": "auth", "description": "Accounts and tokens: register, log in, refresh, log out, change password."},
        {"name": "users", "description": "The signed-in user: profile, history, analytics and data export."},
        {"name": "questions", "description": "The published question bank."},
        {"name": "languages", "description": "The programming languages that sessions can run."},
        {"name": "sessions", "description": "Interview sessions: questions, answers, completion, sharing."},
        {"name": "feedback", "description": "A completed session's feedback report."},
        {"name": "webhooks", "description": "Endpoints of yours that receive events, and their deliveries."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links wrap each operation's path in a link inside the operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/v1",
    "OAS_VERSION": "3.1.0",  # 3.1 has a `webhooks` section: the events we POST to users' endpoints
    "WEBHOOKS": "webhooks.schema.OPENAPI_WEBHOOKS",
    "COMPONENT_SPLIT_REQUEST": True,
    # Idempotency-Key on every POST and the shared response headers, documented once (docs/api.md)
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "cloudinterview.api.openapi_conventions.document_conventions"],
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "cloudinterview.choices.Language",
        "RunnableLanguageEnum": "domain.languages.RUNNABLE_LANGUAGES",
        "ModeEnum": "cloudinterview.choices.Mode",
        "DifficultyEnum": "cloudinterview.choices.Difficulty",
        "ExperienceLevelEnum": "cloudinterview.choices.ExperienceLevel",
        "FeedbackStyleEnum": "cloudinterview.choices.FeedbackStyle",
        "QuestionTypeEnum": "cloudinterview.choices.QuestionType",
        "SessionStatusEnum": "interviews.models.SessionStatus",
        "AnswerStatusEnum": "interviews.models.AnswerStatus",
        "FeedbackStatusEnum": "feedback.models.FeedbackStatus",
        "PresentedQuestionStatusEnum": ["presented", "answered", "skipped"],
        "PlanItemStatusEnum": "interviews.models.PlanStatus",
        "CodingChallengeStatusEnum": "interviews.serializers.CODING_CHALLENGE_STATUSES",
        "NextActionTypeEnum": "interviews.serializers.NEXT_ACTION_TYPES",
        "EvaluatorProviderEnum": "interviews.serializers.EVALUATOR_PROVIDERS",
        "SentimentEnum": "interviews.serializers.SENTIMENTS",
        "TokenTypeEnum": ["Bearer"],
        "RecommendationPriorityEnum": "feedback.serializers.PRIORITIES",
        "RecommendationTypeEnum": "feedback.serializers.RECOMMENDATION_TYPES",
        "ErrorCodeEnum": "cloudinterview.api.schema.ERROR_CODES",
        "WebhookEventTypeEnum": "webhooks.models.EventType",
        "SubscribableEventEnum": "webhooks.serializers.SUBSCRIBABLE_EVENTS",
        "DeliveryStatusEnum": "webhooks.models.DeliveryStatus",
        "AttemptStatusEnum": "webhooks.serializers.ATTEMPT_OUTCOMES",
        "TestCaseStatusEnum": "domain.verdicts.CASE_STATUSES",
        "VerdictEnum": "domain.verdicts.VERDICTS",
        "SkillLevelEnum": "feedback.measures.LEVELS",
        "TrendEnum": "feedback.measures.TRENDS",
    },
}

MAX_BODY_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/v1/.*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key", "x-request-id")
CORS_EXPOSE_HEADERS = ["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After",
                       "Location", "Idempotent-Replayed"]

# Idempotency keys (docs/api.md, "Idempotency"): a response is replayed for this long; a key stays claimed by a
# request still running for at most IDEMPOTENCY_LOCK_SECONDS (longer than any request: a crashed process frees it).
IDEMPOTENCY_TTL_SECONDS = env_int("IDEMPOTENCY_TTL_SECONDS", 24 * 3600)
IDEMPOTENCY_LOCK_SECONDS = env_int("IDEMPOTENCY_LOCK_SECONDS", 120)

# --- Security -------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS")
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", CORS_ALLOWED_ORIGINS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (pages, admin, Swagger UI); connect-src gains ws(s)://<host> per request
# (cloudinterview.content_security). docs/security.md explains each directive.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # NONCE only where a page asks for one (request.csp_nonce): the room's code editor, whose CodeMirror
        # writes its styles into a <style> element carrying it (frontend/editor.js). Still no inline style attribute.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Interview engine -----------------------------------------------------------------------
AI_PROVIDER = env_str("AI_PROVIDER") or ("anthropic" if env_str("ANTHROPIC_API_KEY") else "offline")
ANTHROPIC_API_KEY = env_str("ANTHROPIC_API_KEY")
ANTHROPIC_MODEL = env_str("ANTHROPIC_MODEL", "claude-sonnet-4-5")
EVALUATION_WAIT_SECONDS = float(env_str("EVALUATION_WAIT_SECONDS", "15"))
# An answer still `evaluating` this long after it was submitted has its evaluation queued again (an outage that
# outlasted the task's retries, a lost message): longer than the task can take with all its retries
# (tests/test_tasks_config.py), so a task still retrying is not doubled.
EVALUATION_STALL_SECONDS = env_int("EVALUATION_STALL_SECONDS", 900)
SANDBOX_REQUIRE_STRONG = env_bool("SANDBOX_REQUIRE_STRONG", DISTRIBUTED)

# --- Webhooks (docs/webhooks.md) ------------------------------------------------------------------
# Endpoints must be public HTTPS; local development and the tests set both switches to reach 127.0.0.1.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP")
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE")
WEBHOOK_TIMEOUT_SECONDS = float(env_str("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_MAX_ENDPOINTS_PER_USER = env_int("WEBHOOK_MAX_ENDPOINTS_PER_USER", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 11)
WEBHOOK_RETRY_BASE_SECONDS = float(env_str("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_RETRY_MAX_DELAY_SECONDS = float(env_str("WEBHOOK_RETRY_MAX_DELAY_SECONDS", str(8 * 3600)))
WEBHOOK_DISABLE_AFTER_DAYS = float(env_str("WEBHOOK_DISABLE_AFTER_DAYS", "3"))
WEBHOOK_SECRET_OVERLAP_HOURS = float(env_str("WEBHOOK_SECRET_OVERLAP_HOURS", "24"))
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)
# One attempt must end well inside the delivery task's time limit (webhooks/tasks.py).
if not 0 < WEBHOOK_TIMEOUT_SECONDS <= 30:
    raise ImproperlyConfigured("WEBHOOK_TIMEOUT_SECONDS must be above 0 and at most 30.")
if WEBHOOK_MAX_ATTEMPTS < 1 or WEBHOOK_RETRY_BASE_SECONDS <= 0:
    raise ImproperlyConfigured("WEBHOOK_MAX_ATTEMPTS must be at least 1 and WEBHOOK_RETRY_BASE_SECONDS above 0.")

# --- Live interview (WebSocket) ---------------------------------------------------------------
# A socket silent for WS_HEARTBEAT_SECONDS gets a `ping` event; silent WS_HEARTBEAT_TIMEOUT_SECONDS
# more, it is closed (4408). Daphne's protocol-level pings catch dead TCP; this catches dead clients.
WS_HEARTBEAT_SECONDS = float(env_str("WS_HEARTBEAT_SECONDS", "25"))
WS_HEARTBEAT_TIMEOUT_SECONDS = float(env_str("WS_HEARTBEAT_TIMEOUT_SECONDS", "10"))
WS_MAX_MESSAGE_BYTES = env_int("WS_MAX_MESSAGE_BYTES", 256 * 1024)
WS_SOCKET_RATE = env_str("WS_SOCKET_RATE", "5/s")  # typing and ping, per socket
# Threads that authenticate sockets, build their snapshot and run their actions (cloudinterview.handshake):
# each holds a pooled database connection only while it runs, so keep it at or below DB_POOL_MAX_SIZE.
WS_HANDSHAKE_THREADS = env_int("WS_HANDSHAKE_THREADS", min(8, DB_POOL_MAX_SIZE))
_check_rate("WS_SOCKET_RATE", WS_SOCKET_RATE)
# The sandbox package reads its policy from the environment (its worker loads no Django settings);
# publish ours so an in-process (eager) run follows the same rule as the server.
os.environ.setdefault("SANDBOX_REQUIRE_STRONG", "1" if SANDBOX_REQUIRE_STRONG else "0")

# --- Static files, i18n, email ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")  # nginx serves it under make up
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True



def _email_from_url(url: str) -> dict[str, Any]:
    """`smtp://user:password@host:587` (STARTTLS on port 587 or with `?tls=1`) or `smtps://…:465` (implicit
    TLS) as Django's SMTP settings; user and password may be percent-encoded."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL: expected smtp://[user:password@]host[:port] or smtps://…, got "
                                   f"{parts.scheme or 'no'} scheme")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    port = parts.port or (465 if ssl else 25)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname, "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""), "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": not ssl and (port == 587 or query.get("tls", ["0"])[0] in {"1", "true", "yes"}),
    }


# Mail (password resets, notices) goes to the console unless EMAIL_URL or the SMTP variables name a server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if email_url := env_str("EMAIL_URL"):
    globals().update(_email_from_url(email_url))
elif EMAIL_HOST := env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CloudInterview <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cloudinterview.api.headers.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
