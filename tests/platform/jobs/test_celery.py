"""PostgreSQL + Celery + Redis: real Celery workers (and beat) run the platform's real scan
job; the worker running it is killed with SIGKILL, whole process tree, mid-scan. The job
is retried on the other worker and completes exactly once: one report row, one set of
finding rows.

Needs MOBSEC_TEST_DATABASE_URL (PostgreSQL) and MOBSEC_TEST_BROKER_URL (Redis), which
``./dev test`` and CI provide (``.ci/services``); skips without them (fails in CI)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.test import override_settings

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.jobs.models import Job, JobAttempt, Outcome, State
from mobsec.platform.scans import actions
from mobsec.platform.scans.models import Finding, Report, Scan
from tests.platform.jobs.conftest import worker_env
from tests.platform.jobs.processes import alive, kill_tree, tree, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = os.environ.get("MOBSEC_TEST_BROKER_URL", "")
APK = "realworld/appium-uiautomator2-server-v10.6.6.apk"


@pytest.fixture
def celery_cluster(tmp_path):
    if not BROKER or connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL and Redis: MOBSEC_TEST_DATABASE_URL and MOBSEC_TEST_BROKER_URL"
        )
    import redis

    redis.Redis.from_url(BROKER).flushdb()  # no tokens left over from an earlier run
    env = {**os.environ, **worker_env(MOBSEC_BROKER_URL=BROKER)}
    celery = [sys.executable, "-m", "celery", "-A", "mobsec.platform.jobs.celery_app"]
    quiet = ["--loglevel", "warning"]
    procs = [
        subprocess.Popen(
            [*celery, "worker", "-c", "1", "-P", "prefork", "-n", f"w{i}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", *quiet],
            env=env, cwd=tmp_path,
        )
        for i in range(2)
    ]  # fmt: skip
    procs.append(
        subprocess.Popen(
            [*celery, "beat", "-s", str(tmp_path / "beat-schedule"), *quiet], env=env, cwd=tmp_path
        )
    )
    with override_settings(MOBSEC_BROKER_URL=BROKER):
        yield procs
    for p in procs:
        if p.poll() is None:
            for pid in reversed(tree(p.pid)):
                os.kill(pid, 15)
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            kill_tree(p.pid)
            p.wait()


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_celery_worker_killed_mid_scan_completes_exactly_once(celery_cluster, corpus_apks):
    org = Organisation.objects.create(name="Celery kill")
    apk = corpus_apks / APK
    with apk.open("rb") as f:
        scan = actions.submit_upload(
            org, None, UploadedFile(f, name="appium.apk", size=apk.stat().st_size)
        )
    job = Job.objects.get(public_id=scan.job_id)

    def scanning():
        j = Job.objects.get(pk=job.pk)
        return j if j.state == State.RUNNING and j.progress > 0 else None

    running = wait_for(scanning, 90, "a Celery worker to start the scan", step=0.02)
    task_pid = int(running.lease_owner.split(":")[1])  # the prefork child running the task
    worker_main = _ppid(task_pid)
    assert worker_main in [p.pid for p in celery_cluster]
    victims = tree(worker_main)
    assert len(victims) >= 3  # worker, its pool child, the scan child
    kill_tree(worker_main)
    wait_for(lambda: not any(alive(p) for p in victims), 10, "the killed tree to be gone")

    def ended():
        j = Job.objects.get(pk=job.pk)
        return j if j.is_final else None

    done = wait_for(ended, 120, "the job to be retried and end")
    assert done.state == State.DONE, done.error
    assert done.attempts == 2
    attempts = list(JobAttempt.objects.filter(job=job).values_list("worker", "outcome"))
    assert attempts[0] == (running.lease_owner, Outcome.LOST)
    assert attempts[1][1] == Outcome.DONE and attempts[1][0] != running.lease_owner
    scan = Scan.objects.get(pk=scan.pk)
    assert scan.state == Scan.State.DONE
    assert Report.objects.filter(package=scan.package).count() == 1
    fingerprints = {f["fingerprint"] for f in scan.report.document["findings"]}
    assert fingerprints
    assert Finding.objects.filter(version=scan.version).count() == len(fingerprints)


@pytest.fixture
def broker():
    if not BROKER:
        pytest.skip("needs Redis: MOBSEC_TEST_BROKER_URL")
    import redis

    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    with override_settings(MOBSEC_BROKER_URL=BROKER, MOBSEC_WORKER_CAPACITY=3):
        yield client
    client.flushdb()


def test_submit_sends_a_token_and_kick_replaces_lost_ones(broker):
    from mobsec.platform.jobs import api as jobs
    from mobsec.platform.jobs.celery_app import QUEUE, pending_tokens
    from mobsec.platform.jobs.reaper import kick

    org = Organisation.objects.create(name="Tokens")
    job = jobs.submit("test.echo", organisation=org)
    assert pending_tokens() == 1  # sent once the submit's transaction committed
    message = json.loads(broker.lindex(QUEUE, 0))
    assert message["headers"]["task"] == "mobsec.jobs.run"
    assert json.loads(base64.b64decode(message["body"]))[0] == [job.pk]  # only the id
    broker.delete(QUEUE)  # the broker lost the token
    assert kick() == 3 and pending_tokens() == 3  # one per worker slot
    assert kick() == 0  # enough tokens wait already
    Job.objects.filter(pk=job.pk).update(state=State.DONE)
    broker.delete(QUEUE)
    assert kick() == 0  # nothing queued: nothing sent
