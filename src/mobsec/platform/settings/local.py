"""Local mode: one data directory (SQLite database, package store, secret key), no external
service. ``mobsec serve --data DIR`` sets MOBSEC_DATA_DIR before loading these settings."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATA_DIR


def _secret_key(data_dir: Path) -> str:
    """Read (or create on first start, owner-only) the key that signs sessions and tokens."""
    if os.environ.get("MOBSEC_SECRET_KEY"):
        return os.environ["MOBSEC_SECRET_KEY"]
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key(DATA_DIR)
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
DEBUG = os.environ.get("MOBSEC_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("MOBSEC_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "mobsec.sqlite3",
        # Workers write while the web process reads: wait rather than fail on a lock.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }
}
if os.environ.get("DATABASE_URL"):  # the same local mode on PostgreSQL
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
