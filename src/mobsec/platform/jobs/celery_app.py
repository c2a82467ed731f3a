"""The Celery backend: ``celery -A mobsec.platform.jobs.celery_app worker`` and ``... beat``.

A task carries only a job id, and only as a hint: the worker claims from the rows with the
same fair dispatch as the local pool, and the row decides what runs. Late acknowledgement,
``reject_on_worker_lost`` and a prefetch of 1 keep a message until the work is done; a worker
killed outright loses its lease instead, the reaper (run by beat) requeues the job and sends
a fresh token, and the job's result is still written once (``runner.py``).
"""

from __future__ import annotations

import os

import django
from celery import Celery
from celery.signals import worker_process_init
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.production")
django.setup()

from . import conf, periodic  # noqa: E402 - Django must be set up first
from .sandbox import FORK_SERVER  # noqa: E402
from .worker import Worker, worker_name  # noqa: E402

QUEUE = "mobsec-jobs"
# One token can run several queued jobs in a row; bound it so a worker also picks up
# newer tokens (and restarts) now and then.
JOBS_PER_TOKEN = 20

app = Celery("mobsec")
app.conf.update(
    broker_url=conf.broker_url(),
    broker_connection_retry_on_startup=True,
    task_default_queue=QUEUE,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
    # Tokens are hints; a redelivered one is harmless. An hour covers the longest scan.
    broker_transport_options={"visibility_timeout": 3600},
    beat_schedule={
        t.name: {"task": "mobsec.jobs.periodic", "schedule": t.every_seconds, "args": (t.name,)}
        for t in periodic.tasks()
    },
)


@worker_process_init.connect
def _start_fork_server(**_) -> None:
    FORK_SERVER.start()  # per pool process: its imports run now, not in the first job


@app.task(name="mobsec.jobs.run")
def run(job_id: int | None = None) -> int:
    """Claim and run jobs from the rows (``job_id`` is only the reason we were woken)."""
    return Worker(worker_name("celery")).run_available(max_jobs=JOBS_PER_TOKEN)


@app.task(name="mobsec.jobs.periodic")
def run_periodic(name: str) -> None:
    close_old_connections()
    periodic.run(name)


def send_token(job_id: int) -> None:
    run.apply_async(args=(job_id,), queue=QUEUE)


def pending_tokens() -> int:
    with app.connection_for_write() as conn:
        return int(conn.default_channel.client.llen(QUEUE))
