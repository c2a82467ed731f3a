"""The local pool (what ``mobsec serve --workers N`` runs) on the test database: real worker
processes scan real packages; a worker killed with SIGKILL mid-scan loses no job and
duplicates no result."""

from __future__ import annotations

import pytest

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.jobs import api as jobs
from mobsec.platform.jobs import periodic
from mobsec.platform.jobs.models import Job, JobAttempt, Outcome, State
from tests.platform.jobs.conftest import worker_env
from tests.platform.jobs.hostile import memory_bomb
from tests.platform.jobs.kinds import result_rows
from tests.platform.jobs.processes import alive, kill_tree, tree, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

APK = "realworld/appium-uiautomator2-server-v10.6.6.apk"  # long enough to kill mid-scan
SMALL_APK = "vulnapps/InsecureBankv2.apk"


# Scans in the pool get 400 MB of address space: enough for the real apps here, not for
# the memory bomb.
MEMORY_MB = "400"


@pytest.fixture
def pool():
    # The reaper runs in this process's scheduler: every second here (lease 3 s).
    periodic.register("jobs.reap", 1.0, periodic._TASKS["jobs.reap"].func)
    p = jobs.local.start_pool(2, env=worker_env(MOBSEC_SCAN_MEMORY_MB=MEMORY_MB))
    yield p
    p.stop()
    from mobsec.platform.jobs import conf

    periodic.register("jobs.reap", conf.reap_seconds, periodic._TASKS["jobs.reap"].func)


def state_of(job):
    return Job.objects.get(pk=job.pk)


def test_pool_runs_scans_and_survives_hostile_ones(pool, corpus_apks, tmp_path):
    org = Organisation.objects.create(name="Pool")
    bomb = memory_bomb(tmp_path / "bomb.apk", dex_files=3)  # 360 MB of DEX
    hostile = jobs.submit("test.scan", organisation=org, payload={"path": str(bomb)})
    bad = jobs.submit("test.scan", organisation=org, payload={"path": str(tmp_path / "gone.apk")})
    good = jobs.submit(
        "test.scan", organisation=org, payload={"path": str(corpus_apks / SMALL_APK)}
    )
    for job in (hostile, bad, good):
        wait_for(lambda j=job: state_of(j).is_final, 90, f"job {job.kind} to end")
    hostile, good, bad = state_of(hostile), state_of(good), state_of(bad)
    # The engine reads the bomb's DEX files one at a time and drops each bad one, so the
    # scan ends with a report well inside its memory limit (the limit itself is exercised
    # in test_sandbox); the workers were untouched and ran the next jobs.
    assert hostile.state == State.DONE and hostile.attempts == 1
    assert "dex.bad_magic" in hostile.result["errors"]
    assert hostile.result["memory_mb"] < int(MEMORY_MB)
    assert len(pool.pids()) == 2
    assert good.state == State.DONE and len(good.result["sha256"]) == 64
    assert good.result["findings"] and result_rows(good) == 1
    assert bad.state == State.FAILED and bad.error["code"] == "input.not_found"
    assert bad.error["zh"] and bad.attempts == 1


def test_worker_killed_mid_scan_loses_nothing_and_duplicates_nothing(pool, corpus_apks):
    org = Organisation.objects.create(name="Kill")
    job = jobs.submit("test.scan", organisation=org, payload={"path": str(corpus_apks / APK)})

    def scanning():  # claimed, and the sandbox child has reported progress
        j = state_of(job)
        return j if j.state == State.RUNNING and j.progress > 0 else None

    running = wait_for(scanning, 60, "the scan to start", step=0.02)
    victim_pid = int(running.lease_owner.split(":")[1])
    assert victim_pid in pool.pids()
    victims = tree(victim_pid)
    assert len(victims) >= 2  # the worker and its scan child
    kill_tree(victim_pid)
    wait_for(lambda: not any(alive(p) for p in victims), 10, "the killed tree to be gone")

    done = wait_for(lambda: state_of(job).is_final and state_of(job), 90, "the job to end")
    assert done.state == State.DONE, done.error
    assert done.attempts == 2 and result_rows(done) == 1
    attempts = list(JobAttempt.objects.filter(job=job).values_list("worker", "outcome"))
    assert attempts[0] == (running.lease_owner, Outcome.LOST)
    assert attempts[1][1] == Outcome.DONE and attempts[1][0] != running.lease_owner
    wait_for(lambda: len(pool.pids()) == 2, 10, "the pool to replace the dead worker")
