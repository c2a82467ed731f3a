"""Job-system settings, each with its default, read from Django settings or the environment.

MOBSEC_BROKER_URL     Redis URL: use Celery workers instead of the local pool
MOBSEC_JOBS_LEASE_SECONDS   a running job's lease; renewed every third of it (default 30)
MOBSEC_JOBS_REAP_SECONDS    how often the reaper looks for expired leases (default 15)
MOBSEC_WORKER_CAPACITY      total worker slots (local pool: its size); 0 = unknown
MOBSEC_JOBS_INTERACTIVE_RESERVE  slots kept for interactive jobs (default 1 when capacity >= 2)
MOBSEC_JOBS_IMPORT          extra modules that register job kinds, imported by every worker
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    return type(default)(os.environ[name]) if name in os.environ else default


def broker_url() -> str:
    return str(_get("MOBSEC_BROKER_URL", ""))


def backend() -> str:
    return "celery" if broker_url() else "local"


def lease_seconds() -> float:
    return float(_get("MOBSEC_JOBS_LEASE_SECONDS", 30.0))


def reap_seconds() -> float:
    return float(_get("MOBSEC_JOBS_REAP_SECONDS", 15.0))


def capacity() -> int:
    return int(_get("MOBSEC_WORKER_CAPACITY", 0))


def interactive_reserve(cap: int) -> int:
    default = 1 if cap >= 2 else 0
    return min(int(_get("MOBSEC_JOBS_INTERACTIVE_RESERVE", default)), max(cap - 1, 0))


def extra_modules() -> list[str]:
    return [m for m in str(_get("MOBSEC_JOBS_IMPORT", "")).split(",") if m.strip()]
