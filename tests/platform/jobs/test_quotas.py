"""Per-organisation quotas at submit: uploads per day and stored bytes, in zh and en."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from mobsec.platform.jobs import api as jobs

DAY = timezone.make_aware(datetime(2026, 3, 1, 9, 0))


def upload(org, size=1000, now=DAY):
    return jobs.submit("test.echo", organisation=org, upload_bytes=size, now=now)


def test_uploads_per_day(orgs):
    a, b, _ = orgs
    a.quota_uploads_per_day = 2
    a.save()
    upload(a)
    upload(a, now=DAY + timedelta(hours=1))
    with pytest.raises(jobs.QuotaExceeded) as e:
        upload(a, now=DAY + timedelta(hours=2))
    err = e.value
    assert err.code == "quota.uploads-per-day" and err.limit == 2 and err.used == 2
    assert "Org A" in err.en and "2" in err.en and "每日 2 次" in err.zh
    upload(b, now=DAY + timedelta(hours=2))  # other organisations are not affected
    jobs.submit("test.echo", organisation=a, now=DAY + timedelta(hours=2))  # not an upload
    upload(a, now=DAY + timedelta(hours=15, minutes=1))  # next UTC day


def test_stored_bytes(orgs):
    a = orgs[0]
    a.quota_stored_bytes = 10 << 20
    a.save()
    upload(a, size=6 << 20)
    with pytest.raises(jobs.QuotaExceeded) as e:
        upload(a, size=5 << 20)
    assert e.value.code == "quota.stored-bytes"
    assert "11.0 MB" in e.value.en and "10.0 MB" in e.value.zh
    upload(a, size=4 << 20)  # exactly at the limit is allowed


def test_zero_means_unlimited(orgs):
    for i in range(5):
        upload(orgs[0], size=1 << 30, now=DAY + timedelta(minutes=i))
