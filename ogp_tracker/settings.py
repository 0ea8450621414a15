"""Settings for ogp-tracker.

Everything that differs between deployments is read from the environment (see the
configuration table in the README). The defaults give a working development site:
a SQLite file, the console e-mail backend and local media storage.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default starts with "django-insecure-" so that "check --deploy" (run by
# the release step) refuses a deployment that forgot to set its own key.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-development-only-key-never-use-it-in-production",
)
# Old keys still accepted for signatures while sessions and links roll over.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "simple_history",
    "markdownx",
    "django_filters",
    "widget_tweaks",
    "dsfr",
    "csp",
    "django_tasks",
    "ogp_tracker.tasks_app.BackgroundTasksConfig",
    "allauth",
    "allauth.account",
    "community",
    "commitments",
    "workshops",
    "ogp_tracker",
]

MIDDLEWARE = [
    # Serves stored anonymous pages before anything else runs; see its module.
    "ogp_tracker.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ogp_tracker.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ogp_tracker.middleware.AdminInFrenchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ogp_tracker.middleware.MethodNotAllowedPageMiddleware",
    "ogp_tracker.middleware.AccountPageMethodsMiddleware",
    "ogp_tracker.middleware.RefusedFormStatusMiddleware",
]

ROOT_URLCONF = "ogp_tracker.urls"
WSGI_APPLICATION = "ogp_tracker.wsgi.application"

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
                "commitments.context_processors.site",
            ],
            "builtins": ["ogp_tracker.templatetags.long_dates"],
        },
    },
]

# A SQLite file needs no setup; production sets DATABASE_URL to PostgreSQL.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db = DATABASES["default"]
    _db.setdefault("OPTIONS", {})
    # A readiness probe or a request must fail in seconds, not hang, when the
    # database host is unreachable.
    _db["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    if env.bool("DATABASE_POOL", default=False):
        # One psycopg pool per server process; Django refuses persistent
        # connections (CONN_MAX_AGE) together with a pool.
        _db["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
        _db["CONN_HEALTH_CHECKS"] = True
    # Needed behind PgBouncer in transaction mode, where a cursor cannot
    # outlive its transaction.
    _db["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Addresses typed without a scheme are taken as https, as Django 6 will do.
FORMS_URLFIELD_ASSUME_HTTPS = True
AUTH_USER_MODEL = "community.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth). Members sign in with their e-mail address, which
# must be confirmed before the first login; the forms never tell whether an
# address has an account. Rate limits are counted in the cache, so they hold
# across servers when CACHE_URL points to Redis.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "community:profile"
ACCOUNT_ADAPTER = "community.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "community.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupExtraForm"
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "commitments:dashboard"
# Links in e-mails are absolute: this is the public address of the site.
OGP_SITE_URL = env.str("OGP_SITE_URL", default="http://127.0.0.1:8000")
# Account e-mails (confirmation, password reset) link with the scheme of the
# site's public address, so that a server run without TLS sends working links.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str(
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    default=urlsplit(OGP_SITE_URL).scheme or "https",
)
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("RATE_LIMIT_SIGNUP", default="5/m/ip,20/h/ip"),
    "login": env.str("RATE_LIMIT_LOGIN", default="20/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
# Comments: how many a member may post in a window of seconds, how long an
# author may still edit one, and the longest text accepted.
OGP_COMMENT_RATE_LIMIT = env.int("OGP_COMMENT_RATE_LIMIT", default=5)
OGP_COMMENT_RATE_WINDOW = env.int("OGP_COMMENT_RATE_WINDOW", default=600)
OGP_COMMENT_EDIT_MINUTES = env.int("OGP_COMMENT_EDIT_MINUTES", default=30)
OGP_COMMENT_MAX_LENGTH = env.int("OGP_COMMENT_MAX_LENGTH", default=10000)
# Unsubscribe links in e-mails stop working after this many days.
OGP_UNSUBSCRIBE_LINK_DAYS = env.int("OGP_UNSUBSCRIBE_LINK_DAYS", default=90)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ogp-tracker")}
# Several servers share one cache (Redis) in production, so that rate limits
# and invalidations hold across them. A dead Redis must fail a request in
# seconds rather than hang it.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)
CACHES["default"].setdefault(
    "KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="ogp-tracker")
)

# French first: the first real user is France's plan, and the public site must
# be complete in French. English is the second language.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# An absolute STATIC_URL (https://cdn.example.org/static/) puts a CDN in front
# of the files whitenoise serves; the CDN fetches them from /static/ here.
STATIC_URL = env.str("STATIC_URL", default="static/")
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploaded files stay on the local disk (MEDIA_ROOT) unless MEDIA_STORAGE=s3:
# then they go to an S3-compatible bucket, which every server shares.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Signed, expiring links by default: documents awaiting review
            # live in the same bucket as published ones.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ogp-tracker@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# E-mail is sent by the task worker; a stuck mail server must not hold it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
if env.str("EMAIL_URL", default=""):
    # One address such as smtp+tls://user:password@smtp.example.org:587
    # replaces the variables above.
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or EMAIL_HOST
    EMAIL_PORT = _email["EMAIL_PORT"] or EMAIL_PORT
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", EMAIL_USE_TLS)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", EMAIL_USE_SSL)
    if _email["EMAIL_FILE_PATH"]:
        EMAIL_FILE_PATH = "/" + _email["EMAIL_FILE_PATH"]

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is read "as of a date" for whole plans: index by date, then id.
SIMPLE_HISTORY_DATE_INDEX = "composite"

# A commitment with no progress update for this many days is "stale". The OGP
# reporting calendar asks for a self-assessment at least once a year; the
# default of 183 days flags a commitment that missed a half-year report.
OGP_STALE_AFTER_DAYS = env.int("OGP_STALE_AFTER_DAYS", default=183)
# Public pages are stored whole for visitors who are not signed in, and
# retired as soon as anything they show changes (ogp_tracker/pagecache.py);
# this bounds what only the clock changes. 0 turns the page cache off. It is
# off by default with DEBUG (template changes show at once) and with a cache
# private to each process: a change made in one worker, or by a management
# command, must retire the pages every other process stored.
_SHARED_CACHE = "LocMemCache" not in CACHES["default"]["BACKEND"]
OGP_PAGE_CACHE_SECONDS = env.int(
    "OGP_PAGE_CACHE_SECONDS", default=300 if _SHARED_CACHE and not DEBUG else 0
)
# The plan shown on the home dashboard. France's 2021-2023 plan is the first
# real user; when no published plan has this slug, the latest one is shown.
OGP_CURRENT_PLAN = env.str("OGP_CURRENT_PLAN", default="fr-2021-2023")
# Official State branding (bloc-marque, Marianne font, State links) is reserved
# to State websites, so it stays off unless a deployment turns it on.
OGP_OFFICIAL_BRANDING = env.bool("OGP_OFFICIAL_BRANDING", default=False)
# Plans loaded by "make run" when the database holds none.
OGP_BUNDLED_PLANS_DIR = BASE_DIR / "data" / "plans"
# Largest workshop document accepted, in bytes (20 MB). A reverse proxy in
# front must accept a little more, for the rest of the form.
OGP_UPLOAD_MAX_BYTES = env.int("OGP_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# The back-office Markdown preview goes through the same sanitiser as the
# public pages.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "ogp_tracker.markdown.markdownify"

# ---------------------------------------------------------------------------
# Production: HTTPS behind a reverse proxy, cookies and security headers.
# Everything here is off or harmless in development; a deployment turns it on
# with HTTPS=true and the HSTS variables (see .env.example).
# ---------------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=False)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only safe when the proxy in front overwrites this header on every
    # request; otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# Probes talk plain HTTP to the server's own address.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ogp_tracker.views.csrf_failure"


def _origin(url: str) -> str:
    """Return scheme://host[:port] of an absolute URL, or "" for a relative one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy (django-csp). Scripts come only from this site (or
# its static CDN) or carry the per-request nonce: <script nonce="{{
# request.csp_nonce }}">; inline event handlers and javascript: URLs are
# refused. style="" attributes stay allowed (progress bars set their width
# that way), <style> elements need the nonce.
_static_origins = [o for o in [_origin(STATIC_URL)] if o]
_media_origins = []
if MEDIA_STORAGE == "s3":
    _s3 = STORAGES["default"]["OPTIONS"]
    if _s3["custom_domain"]:
        _media_origins.append(f"https://{_s3['custom_domain']}")
    elif _s3["endpoint_url"]:
        _media_origins.append(_origin(_s3["endpoint_url"]))
    else:
        _media_origins.append(f"https://{_s3['bucket_name']}.s3.amazonaws.com")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *_static_origins],
        "style-src": [SELF, NONCE, *_static_origins],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", *_static_origins, *_media_origins],
        "font-src": [SELF, *_static_origins],
        "media-src": [SELF, *_media_origins],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    },
}

# ---------------------------------------------------------------------------
# Background tasks (django-tasks). "immediate" runs a task inside the request
# that queues it (development, tests); "database" stores it in PostgreSQL for
# the "manage.py db_worker" process, which every server shares.
# ---------------------------------------------------------------------------
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
_task_backends = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
# An empty QUEUES accepts any queue name; the worker picks the ones it serves.
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND], "QUEUES": []}}
