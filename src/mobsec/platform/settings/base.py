"""Settings shared by every deployment. Environment-specific modules import * from here."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PLATFORM_DIR = Path(__file__).resolve().parent.parent

# The data directory holds the package store (and, locally, the SQLite database and keys).
DATA_DIR = Path(os.environ.get("MOBSEC_DATA_DIR", "mobsec-data")).resolve()
PACKAGE_STORE = Path(os.environ.get("MOBSEC_PACKAGE_STORE", DATA_DIR / "packages"))
# Stored facts of scanned packages (rule-only re-scans); unset: DATA_DIR / "facts", decided
# when used (registry/store.py facts_dir()) so settings that move DATA_DIR move it too.
MOBSEC_FACTS_DIR = os.environ.get("MOBSEC_FACTS_DIR") or None
# Routine scans store them (0.5-1.8 core-s more on a mid/large app, bench/RESULTS.md); "0":
# only incident re-scans do (an app's first re-scan is then a full scan).
MOBSEC_FACTS_ON_SCAN = os.environ.get("MOBSEC_FACTS_ON_SCAN", "1") != "0"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mobsec.platform.core",
    "mobsec.platform.accounts",
    "mobsec.platform.registry",
    "mobsec.platform.scans",
    "mobsec.platform.jobs",
    "mobsec.platform.keys",
    "mobsec.platform.notifications",
    "mobsec.platform.monitoring",
    "mobsec.platform.vulns",
    "mobsec.platform.evaluations",
    "mobsec.platform.testsets",
    "mobsec.platform.disclosure",
    "mobsec.platform.inventory",
    "mobsec.platform.incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mobsec.platform.core.middleware.ContentSecurityPolicyMiddleware",
    "mobsec.platform.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mobsec.platform.vulns.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mobsec.platform.urls"
WSGI_APPLICATION = "mobsec.platform.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "mobsec.platform.core.context.platform",
            ],
        },
    }
]

# Argon2 first: new passwords are hashed with it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# zh-CN is the default language; en is the other one. Both are complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve static files straight from the apps (no collectstatic needed for mobsec serve).
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"  # only the report (same origin, own decorator) is ever framed
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads: a package larger than this is refused before it is stored (bytes).
MOBSEC_MAX_UPLOAD_BYTES = int(os.environ.get("MOBSEC_MAX_UPLOAD_BYTES", 300 << 20))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 << 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 << 20
# Anonymous public upload page (free testing service): off unless the operator enables it.
MOBSEC_PUBLIC_UPLOAD = os.environ.get("MOBSEC_PUBLIC_UPLOAD", "") == "1"
MOBSEC_PUBLIC_UPLOADS_PER_HOUR = int(os.environ.get("MOBSEC_PUBLIC_UPLOADS_PER_HOUR", 5))
# Channel monitoring: the directories that sources (watched folders, local mirrors) may read
# (os.pathsep-separated; default <data>/monitoring), and how often they are polled.
MOBSEC_MONITORING_ROOTS = [
    p for p in os.environ.get("MOBSEC_MONITORING_ROOTS", "").split(os.pathsep) if p
]
MOBSEC_MONITORING_POLL_SECONDS = int(os.environ.get("MOBSEC_MONITORING_POLL_SECONDS", 300))
# Login throttling: failures per (username, client) within the window lock it out.
MOBSEC_LOGIN_MAX_FAILURES = 5
MOBSEC_LOGIN_WINDOW_SECONDS = 15 * 60

# E-mail (notifications): SMTP when MOBSEC_EMAIL_HOST is set, else files in <data>/mail so
# that local mode needs no mail server and messages can still be read.
DEFAULT_FROM_EMAIL = os.environ.get("MOBSEC_EMAIL_FROM", "mobsec@localhost")
if os.environ.get("MOBSEC_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["MOBSEC_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("MOBSEC_EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("MOBSEC_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("MOBSEC_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("MOBSEC_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mobsec.platform.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "mobsec.platform.core.api.exception_handler",
    # ?format= picks a report format (json, sarif, html, pdf), not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mobsec platform API",
    "DESCRIPTION": "Upload app packages, follow scans, read reports and findings, triage.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names other apps use too ("state", "kind"): named explicitly.
    "ENUM_NAME_OVERRIDES": {
        "VulnerabilityStateEnum": "mobsec.platform.vulns.machine.State",
        "VulnAttachmentKindEnum": "mobsec.platform.vulns.models.Attachment.Kind",
        "MonitoringSourceKindEnum": "mobsec.platform.monitoring.models.Source.Kind",
        "CandidateStateEnum": "mobsec.platform.monitoring.models.Candidate.State",
    },
}

PLATFORM_NAME = _("mobsec testing platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
