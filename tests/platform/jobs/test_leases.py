"""Leases, heartbeat, reaper (with a controlled clock), idempotent completion, cancel."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from mobsec.platform.jobs import api as jobs
from mobsec.platform.jobs.dispatch import claim_next, claim_one
from mobsec.platform.jobs.models import Job, JobAttempt, Outcome, State
from mobsec.platform.jobs.progress import JobProgress
from mobsec.platform.jobs.reaper import reap
from mobsec.platform.jobs.runner import complete, run_claimed
from tests.platform.jobs.kinds import failure_rows, result_rows, store_scan_result


def test_expired_lease_is_requeued_within_the_reap_interval(orgs):
    t0 = timezone.now()
    job = jobs.submit("test.echo", organisation=orgs[0], now=t0)
    claim_one(job, "dead-worker", now=t0)
    assert reap(now=t0 + timedelta(seconds=29)) == []  # lease (30 s) still valid
    requeued = reap(now=t0 + timedelta(seconds=31))
    assert [j.pk for j in requeued] == [job.pk]
    job.refresh_from_db()
    assert job.state == State.QUEUED and job.lease_owner == "" and job.attempts == 1
    assert JobAttempt.objects.get(job=job, number=1).outcome == Outcome.LOST


def test_late_worker_cannot_overwrite_the_result(orgs):
    """The first worker's lease ran out, the job ran again elsewhere; the first worker
    finishes late: nothing it writes lands, and the result row exists once."""
    t0 = timezone.now()
    job = jobs.submit("test.scan", organisation=orgs[0], payload={"path": "x"}, now=t0)
    first = claim_one(job, "slow", now=t0)
    reap(now=t0 + timedelta(seconds=60))
    second = claim_next("fast", now=t0 + timedelta(seconds=61), capacity=0)
    assert second.pk == job.pk and second.attempts == 2
    assert complete(second, "fast", {"by": "fast"}, store_scan_result) == Outcome.DONE
    assert complete(first, "slow", {"by": "slow"}, store_scan_result) == Outcome.STOPPED
    job.refresh_from_db()
    assert job.state == State.DONE and job.result == {"by": "fast"}
    assert result_rows(job) == 1
    assert complete(second, "fast", {"by": "again"}, store_scan_result) == Outcome.STOPPED
    assert result_rows(job) == 1
    outcomes = list(JobAttempt.objects.filter(job=job).values_list("number", "outcome"))
    assert outcomes == [(1, Outcome.LOST), (2, Outcome.DONE)]


def test_a_job_that_keeps_losing_workers_fails(orgs):
    t0 = timezone.now()
    job = jobs.submit("test.echo", organisation=orgs[0], now=t0, max_attempts=2)
    for i in range(2):
        t = t0 + timedelta(minutes=i)
        claim_next(f"w{i}", now=t, capacity=0)
        reap(now=t + timedelta(seconds=45))
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.error["code"] == "job.worker-lost"
    assert failure_rows(job) == ["job.worker-lost"]
    assert "2" in job.error["zh"] and job.error["en"]


@pytest.mark.django_db(transaction=True)
@override_settings(MOBSEC_JOBS_LEASE_SECONDS=1.5)
def test_heartbeat_keeps_a_long_job_alive():
    from mobsec.platform.accounts.models import Organisation

    org = Organisation.objects.create(name="Heartbeat")
    job = jobs.submit("test.sleep", organisation=org, payload={"seconds": 3.5})
    job = claim_one(job, "w")
    outcome: list[str] = []
    t = threading.Thread(target=lambda: (outcome.append(run_claimed(job, "w")), connection.close()))
    t.start()
    reaped = []
    while t.is_alive():  # the lease is 1.5 s, the job takes 3.5 s: only heartbeats save it
        reaped += reap()
        time.sleep(0.2)
    t.join()
    assert reaped == [] and outcome == [Outcome.DONE]
    job.refresh_from_db()
    assert job.state == State.DONE and job.result == {"slept": 3.5}


@pytest.mark.django_db(transaction=True)
@override_settings(MOBSEC_JOBS_LEASE_SECONDS=0.6)
def test_cancel_stops_a_running_scan(corpus_apks):
    from mobsec.platform.accounts.models import Organisation

    org = Organisation.objects.create(name="Cancel")
    apk = corpus_apks / "vulnapps/UnCrackable-Level4_r2pay-v0.9.apk"
    job = claim_one(jobs.submit("test.scan", organisation=org, payload={"path": str(apk)}), "w")
    progress = JobProgress(job, "w")
    outcome: list[str] = []
    t = threading.Thread(
        target=lambda: (outcome.append(run_claimed(job, "w", progress)), connection.close())
    )
    t0 = time.monotonic()
    t.start()
    while Job.objects.get(pk=job.pk).progress == 0 and time.monotonic() - t0 < 20:
        time.sleep(0.05)  # the scan is under way once it reports
    assert jobs.cancel(job)
    t.join(timeout=20)
    job.refresh_from_db()
    assert outcome == [Outcome.STOPPED]
    assert job.state == State.CANCELLED and job.result is None and result_rows(job) == 0
    assert not jobs.cancel(job)  # already ended
