"""Django settings for pledgewatch, read from environment variables with safe defaults.

Variables (all documented in docs/configuration.md):
PLEDGEWATCH_DATA_DIR, DATABASE_URL, PLEDGEWATCH_SECRET_KEY, PLEDGEWATCH_DEBUG, PLEDGEWATCH_ALLOWED_HOSTS,
PLEDGEWATCH_BASE_URL, PLEDGEWATCH_TODAY, EMAIL_URL, PLEDGEWATCH_SECURE (behind TLS),
REDIS_URL/CACHE_URL and PLEDGEWATCH_CACHE_* / PLEDGEWATCH_PAGE_CACHE_SECONDS (HTTP caching).
"""

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("PLEDGEWATCH_DATA_DIR") or platformdirs.user_data_dir("pledgewatch"))


def _secret_key() -> str:
    """Return the secret key from the environment, or one generated once and kept in the data dir."""
    key = os.environ.get("PLEDGEWATCH_SECRET_KEY") or os.environ.get("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret.key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("PLEDGEWATCH_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PLEDGEWATCH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
BASE_URL = os.environ.get("PLEDGEWATCH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "pledgewatch.ledger",
    "pledgewatch.totals",
    "pledgewatch.web",
    "pledgewatch.api",
    "pledgewatch.press",
    "pledgewatch.newsletter",
    "pledgewatch.iati",
    "pledgewatch.exports",
    "pledgewatch.accounts",
    "pledgewatch.backup",
]

MIDDLEWARE = [
    "pledgewatch.accounts.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (also on the 503 page)
    "pledgewatch.web.dberrors.DatabaseUnavailableMiddleware",  # 503 while the database is away
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pledgewatch.web.middleware.LanguageParamMiddleware",
    "pledgewatch.web.middleware.NulParameterMiddleware",  # drops NUL from query values (PostgreSQL refuses it)
    "pledgewatch.web.caching.HttpCacheMiddleware",  # ETag/304, page cache, Cache-Control (docs/deploy.md)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pledgewatch.urls"
WSGI_APPLICATION = "pledgewatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database: SQLite file in the data dir unless DATABASE_URL says otherwise
_default_sqlite = f"sqlite:///{DATA_DIR / 'pledgewatch.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # reconnect after the database was away
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-pledgewatch.sqlite3")} if _env_bool(
        "PLEDGEWATCH_TEST_SQLITE_FILE") else {}
if os.environ.get("PLEDGEWATCH_TEST_DB"):  # name of the throwaway test database (parallel test runs)
    DATABASES["default"]["TEST"] = {**DATABASES["default"].get("TEST", {}), "NAME": os.environ["PLEDGEWATCH_TEST_DB"]}
# --- IATI publisher of the export (`export iati`): "identifier;name;type" (OrganisationType code)
_publisher = [p.strip() for p in os.environ.get("PLEDGEWATCH_IATI_PUBLISHER", "").split(";")]
IATI_PUBLISHER = {"ref": _publisher[0] or "XI-PLEDGEWATCH",
                  "name": (_publisher[1:2] or [""])[0] or "pledgewatch (demo publisher)",
                  "type": (_publisher[2:3] or [""])[0] or "90"}
# --- read replica (optional): public pages and the public API read from it (pledgewatch/dbrouter.py)
REPLICA_PIN_SECONDS = int(os.environ.get("PLEDGEWATCH_REPLICA_PIN_SECONDS", "5"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pledgewatch.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(0, "pledgewatch.dbrouter.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- HTTP caching of public pages (pledgewatch/web/caching.py): Redis shared by every web process when
# REDIS_URL or CACHE_URL is set (redis://host:6379/0), otherwise each process keeps its own pages in memory.
CACHE_MAX_AGE = int(os.environ.get("PLEDGEWATCH_CACHE_MAX_AGE", "1"))
CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PLEDGEWATCH_CACHE_STALE_WHILE_REVALIDATE", "5"))
PAGE_CACHE_SECONDS = int(os.environ.get("PLEDGEWATCH_PAGE_CACHE_SECONDS", "600"))
# pages a server process renders at once; beyond that, readers get a page's last complete version meanwhile
PAGE_RENDER_SLOTS = max(1, int(os.environ.get("PLEDGEWATCH_PAGE_RENDER_SLOTS", "2")))
# bytes of pages each process keeps of those it served from Redis (a key names one version of a page: never stale)
PAGE_NEAR_BYTES = int(os.environ.get("PLEDGEWATCH_PAGE_NEAR_BYTES", str(32 * 1024 * 1024)))
_cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
                          "KEY_PREFIX": "pledgewatch", "TIMEOUT": PAGE_CACHE_SECONDS}}
elif _cache_url in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pledgewatch",
                          "TIMEOUT": PAGE_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 2000}}}
else:
    raise ValueError(f"CACHE_URL must start with redis://, rediss:// or locmem:// (got {_cache_url.split(':')[0]}:)")

# --- i18n: Japanese first, English, Russian for public pages
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "pledgewatch_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- static files, served by whitenoise from the package (no CDN)
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# whitenoise serves from the package through finders; it warns when this folder is missing.
# A read-only data dir is fine: static files still come from the package.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- security: Django's protections on
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE = _env_bool("PLEDGEWATCH_SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PLEDGEWATCH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Roles, login lock-out (pledgewatch/accounts; docs/security.md): a locked-out login is refused even
# with the right password, by every web process (the counters live in the database).
AUTHENTICATION_BACKENDS = ["pledgewatch.accounts.backends.ThrottledModelBackend"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- e-mail (newsletter): EMAIL_URL such as smtp://127.0.0.1:2525. Every mail Django sends (notices,
# tests of an issue, staff alerts) goes through the project's backend, which keeps each server reply
# (docs/newsletter.md "Sending"); the test suite swaps in Django's locmem backend.
EMAIL_URL = os.environ.get("EMAIL_URL", "smtp://127.0.0.1:25")
EMAIL_BACKEND = "pledgewatch.newsletter.mail.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("PLEDGEWATCH_FROM_EMAIL", "pledgewatch <newsletter@localhost>")

NINJA_PAGINATION_PER_PAGE = 50

# --- uploads: a multipart body larger than the review queue's 5 MB files is refused (400) before it is read
FILE_UPLOAD_HANDLERS = ["pledgewatch.web.uploads.RefuseOversizedUpload",
                        "django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "django.core.files.uploadhandler.TemporaryFileUploadHandler"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PLEDGEWATCH_LOG_LEVEL", "WARNING")},
}
