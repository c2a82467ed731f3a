"""Fixtures for the job tests: organisations, and the environment of worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mobsec.platform.accounts.models import Organisation
from tests.conftest import ROOT
from tests.platform.jobs import kinds  # noqa: F401 - registers the test kinds


@pytest.fixture
def orgs(db):
    return [Organisation.objects.create(name=n) for n in ("Org A", "Org B", "Org C")]


def database_url() -> str:
    """The URL of the database this test runs on, for worker processes to open."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgresql://{s['USER']}@{host}:{port}/{s['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "mobsec.platform.settings.test",
        "MOBSEC_TEST_DATABASE_URL": database_url(),
        "MOBSEC_TEST_DATA_DIR": str(settings.DATA_DIR),
        "MOBSEC_JOBS_IMPORT": "tests.platform.jobs.kinds",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # Short enough for quick kill tests, long enough that a worker slowed down by a
        # loaded machine keeps its lease (heartbeat every second).
        "MOBSEC_JOBS_LEASE_SECONDS": "3",
        "MOBSEC_JOBS_REAP_SECONDS": "1",
        **extra,
    }
