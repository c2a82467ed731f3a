"""Production: PostgreSQL from DATABASE_URL, every secret from the environment, secure
cookies and HSTS behind TLS. ``manage.py check --deploy`` is clean with these settings."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"environment variable {name} must be set")
    return value


SECRET_KEY = _env("MOBSEC_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = _env("MOBSEC_ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("MOBSEC_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL"), conn_max_age=60)}

SECURE_SSL_REDIRECT = os.environ.get("MOBSEC_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

if os.environ.get("MOBSEC_CACHE_URL"):  # e.g. redis://127.0.0.1:6379/1, shared throttling
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["MOBSEC_CACHE_URL"],
        }
    }
