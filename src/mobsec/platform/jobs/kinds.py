"""Which function runs which kind of job. Apps register their kinds in ``AppConfig.ready``
(so every worker process knows them); ``MOBSEC_JOBS_IMPORT`` names extra modules."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Job
    from .progress import JobProgress

Handler = Callable[["Job", "JobProgress"], dict[str, Any]]
OnSuccess = Callable[["Job", dict[str, Any]], None]
OnFailure = Callable[["Job", dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    handler: Handler
    # Runs in the transaction that marks the job done, only for the attempt that still held
    # the lease: side effects written here (report rows, notifications) happen exactly once.
    on_success: OnSuccess | None = None
    max_attempts: int = 3
    # Seconds before a retry after an unexpected error (attempt n waits backoff * 2**(n-1)).
    backoff_seconds: float = 10.0
    # Runs in the transaction that marks the job failed for good (a refusal, the last
    # retry, a worker lost max_attempts times), once, with the error (code, en, zh).
    on_failure: OnFailure | None = None


_KINDS: dict[str, Kind] = {}
_imported = False


def register(
    kind: str,
    handler: Handler,
    *,
    on_success: OnSuccess | None = None,
    max_attempts: int = 3,
    backoff_seconds: float = 10.0,
    on_failure: OnFailure | None = None,
) -> None:
    _KINDS[kind] = Kind(kind, handler, on_success, max_attempts, backoff_seconds, on_failure)


def get(kind: str) -> Kind | None:
    import_extra_modules()
    return _KINDS.get(kind)


def import_extra_modules() -> None:
    global _imported
    if _imported:
        return
    _imported = True
    from . import conf

    for name in conf.extra_modules():
        importlib.import_module(name.strip())
