"""Dispatch from the rows: priority classes, round-robin across organisations, the
interactive reserve, and claims that never hand one job to two workers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mobsec.platform.jobs import api as jobs
from mobsec.platform.jobs.dispatch import claim_next, claim_one
from mobsec.platform.jobs.models import Job, JobAttempt, State
from mobsec.platform.jobs.runner import complete

T0 = timezone.now().replace(microsecond=0)


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


def submit(org, n=1, priority="normal", t=0.0):
    return [
        jobs.submit(
            "test.echo", organisation=org, payload={"i": i}, priority=priority, now=at(t + i / 1000)
        )
        for i in range(n)
    ]


def drain(n, worker="w", t=100.0, finish=True):
    """Claim ``n`` jobs one after another (finishing each when ``finish``); their orgs."""
    order = []
    for i in range(n):
        job = claim_next(worker, now=at(t + i), capacity=0)
        assert job is not None
        order.append(job)
        if finish:
            complete(job, worker, {"ok": True})
    return order


def test_priority_classes_come_first(orgs):
    a = orgs[0]
    batch = submit(a, priority="batch", t=0)[0]
    normal = submit(a, priority="normal", t=1)[0]
    interactive = submit(a, priority="interactive", t=2)[0]
    emergency = submit(a, priority="emergency", t=3)[0]
    got = [j.pk for j in drain(4)]
    assert got == [emergency.pk, interactive.pk, normal.pk, batch.pk]


def test_one_orgs_backlog_does_not_starve_another(orgs):
    a, b, c = orgs
    submit(a, n=50, t=0)  # a big batch first
    submit(b, n=2, t=10)
    submit(c, n=1, t=20)
    order = [j.organisation.name for j in drain(8)]
    # Round robin while all three wait, then A and B, then A alone.
    assert order[:3] == ["Org A", "Org B", "Org C"]
    assert order[3:5] == ["Org A", "Org B"]
    assert order[5:] == ["Org A"] * 3


def test_an_org_with_running_jobs_yields_to_one_without(orgs):
    a, b, _ = orgs
    submit(a, n=10, t=0)
    running = drain(2, finish=False)  # two workers busy with A's jobs
    assert [j.organisation for j in running] == [a, a] or running[1].organisation == a
    submit(b, n=1, t=50)
    nxt = claim_next("w3", now=at(200), capacity=0)
    assert nxt.organisation == b


def test_interactive_capacity_is_kept(orgs):
    a, b, _ = orgs
    submit(a, n=5, priority="batch", t=0)
    first = claim_next("w1", now=at(10), capacity=3, reserve=1)
    second = claim_next("w2", now=at(11), capacity=3, reserve=1)
    assert first.priority_name == second.priority_name == "batch"
    # Two of three slots run batch work; the last is kept for interactive uploads.
    assert claim_next("w3", now=at(12), capacity=3, reserve=1) is None
    upload = submit(b, priority="interactive", t=13)[0]
    assert claim_next("w3", now=at(14), capacity=3, reserve=1).pk == upload.pk


def test_a_job_is_claimed_once(orgs):
    job = submit(orgs[0])[0]
    assert claim_one(job, "w1") is not None
    assert claim_one(job, "w2") is None
    job.refresh_from_db()
    assert job.lease_owner == "w1" and job.attempts == 1 and job.state == State.RUNNING
    assert JobAttempt.objects.filter(job=job).count() == 1


def test_retry_back_off_is_respected(orgs):
    job = submit(orgs[0])[0]
    Job.objects.filter(pk=job.pk).update(run_after=at(60))
    assert claim_next("w", now=at(59), capacity=0) is None
    assert claim_next("w", now=at(61), capacity=0).pk == job.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_share_a_job():
    from mobsec.platform.accounts.models import Organisation

    orgs = [Organisation.objects.create(name=f"Concurrent {i}") for i in range(3)]
    for org in orgs:
        submit(org, n=10)
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(name):
        try:
            while (job := claim_next(name, capacity=0)) is not None:
                with lock:
                    claimed.append(job.pk)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(claimed) == sorted(Job.objects.values_list("pk", flat=True))
    assert len(set(claimed)) == 30
