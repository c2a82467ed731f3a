"""Report numbers stay unique and gap-free when approvals happen at the same moment (the
counter row is locked; on PostgreSQL in CI, on SQLite with IMMEDIATE transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.evaluations import actions

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_numbering_is_sequential():
    org = Organisation.objects.create(name="Lab")
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def approve_one() -> None:
        try:
            start.wait()
            with transaction.atomic():
                numbers.append(actions._next_report_number(org, 2026))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(numbers) == [f"R-2026-{n:05d}" for n in range(1, 7)]
