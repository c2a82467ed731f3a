"""What becomes of a handler's result, refusal, crash, or an unknown kind."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mobsec.platform.jobs import api as jobs
from mobsec.platform.jobs.dispatch import claim_next, claim_one
from mobsec.platform.jobs.models import Job, JobAttempt, Outcome, State
from mobsec.platform.jobs.runner import run_claimed
from tests.platform.jobs.kinds import failure_rows


def run(job):
    job = claim_one(job, "w")
    return run_claimed(job, "w"), Job.objects.get(pk=job.pk)


def test_result_is_stored(orgs):
    outcome, job = run(jobs.submit("test.echo", organisation=orgs[0], payload={"x": 1}))
    assert outcome == Outcome.DONE
    assert job.state == State.DONE and job.result == {"echo": {"x": 1}} and job.progress == 100
    assert job.finished_at >= job.started_at >= job.created_at


def test_job_failed_is_final_with_both_languages(orgs):
    outcome, job = run(jobs.submit("test.refuse", organisation=orgs[0]))
    assert outcome == Outcome.FAILED and job.state == State.FAILED and job.attempts == 1
    assert job.error["code"] == "test.refused"
    assert (
        job.error["en"] == "the package is not an app" and job.error["zh"] == "该文件不是应用安装包"
    )
    assert failure_rows(job) == ["test.refused"]  # on_failure ran once, with the error


def test_unexpected_error_is_retried_then_fails(orgs):
    job = jobs.submit("test.crash", organisation=orgs[0])
    outcome, job = run(job)
    assert outcome == Outcome.RETRY and job.state == State.QUEUED
    assert "RuntimeError" in job.error["en"] and "traceback" in job.error["details"]
    job2 = claim_next("w", now=timezone.now() + timezone.timedelta(seconds=1), capacity=0)
    assert job2.pk == job.pk and job2.attempts == 2
    assert run_claimed(job2, "w") == Outcome.FAILED
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert list(JobAttempt.objects.filter(job=job).values_list("outcome", flat=True)) == [
        Outcome.RETRY,
        Outcome.FAILED,
    ]


def test_unknown_kind_is_refused_at_submit(orgs):
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.submit("no.such.kind", organisation=orgs[0])


def test_bad_priority_is_refused(orgs):
    with pytest.raises(ValueError, match="unknown priority"):
        jobs.submit("test.echo", organisation=orgs[0], priority="urgent")


def test_hostile_package_becomes_a_job_error(orgs, corpus_apks):
    apk = corpus_apks / "vulnapps/UnCrackable-Level4_r2pay-v0.9.apk"
    job = jobs.submit("test.scan", organisation=orgs[0], payload={"path": str(apk)})
    from django.test import override_settings

    with override_settings(MOBSEC_SCAN_CPU_SECONDS=1):
        outcome, job = run(job)
    assert outcome == Outcome.FAILED and job.attempts == 1  # no retry: it would fail again
    assert job.error["code"] == "sandbox.cpu-time"
    assert job.error["details"]["signal"] == "SIGXCPU"
    assert "CPU" in job.error["zh"]
