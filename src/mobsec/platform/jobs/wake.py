"""Tell the workers there is work. The local pool polls the rows, so only Celery needs a
message: a token carrying the job id; whichever worker gets it claims from the rows."""

from __future__ import annotations

from django.db import transaction

from . import conf


def job_queued(job_id: int) -> None:
    if conf.backend() != "celery":
        return

    def send() -> None:
        from .celery_app import send_token

        send_token(job_id)

    transaction.on_commit(send)
