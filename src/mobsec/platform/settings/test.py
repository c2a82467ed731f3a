"""Tests: SQLite in a temporary directory, or PostgreSQL when MOBSEC_TEST_DATABASE_URL is set
(CI starts PostgreSQL 15 and sets it)."""

from __future__ import annotations

import os
import tempfile

import dj_database_url

from .base import *  # noqa: F403

# Worker processes started by the job tests share the test process's data directory.
DATA_DIR = __import__("pathlib").Path(
    os.environ.get("MOBSEC_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="mobsec-test-data-")
)
PACKAGE_STORE = DATA_DIR / "packages"
EMAIL_FILE_PATH = DATA_DIR / "mail"  # worker processes' mail stays out of the work tree
SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if os.environ.get("MOBSEC_TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["MOBSEC_TEST_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "test.sqlite3",
            # As in local mode: writers take the lock up front instead of failing on upgrade.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
            # A file, not Django's in-memory test database: the job tests' worker
            # processes open the same database.
            "TEST": {"NAME": DATA_DIR / "test-db.sqlite3"},
        }
    }
# Fast hashing in tests only; the production hasher is covered by its own test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
