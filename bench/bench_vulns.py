"""Vulnerability desk costs on the test database (SQLite by default, PostgreSQL with
MOBSEC_TEST_DATABASE_URL): receiving N reports (case + intake log + acknowledgement +
notification), walking them to the vendor, the guards' publication check per case, and the
case list / case page through the whole Django stack (test client).

    .venv/bin/python bench/bench_vulns.py [--reports 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.test")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=300)
    n = ap.parse_args().reports
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from django.test import Client
    from django.utils import timezone
    from tests.platform.conftest import PASSWORD
    from tests.platform.vulns.conftest import Desk, add_user, to_vendor

    from mobsec.platform.accounts.models import Organisation
    from mobsec.platform.registry.models import App
    from mobsec.platform.vulns import actions, fixes, guards, roles

    org = fixes.desk_organisation()
    vendor = Organisation.objects.create(name="Vendor")
    add_user("vendor", vendor, "vendor")
    world = type("W", (), {"orgs": {"vendor": vendor}, "user": lambda self, r: None})()
    desk = Desk(world, add_user("c", org, roles.COORDINATOR.id), add_user("v", org, roles.VERIFIER.id),
                add_user("r", org, roles.REPORTER.id), None, org)  # fmt: skip
    app = App.objects.create(organisation=vendor, package_name="com.bench", owner=vendor)
    t = time.perf_counter()
    cases = []
    for i in range(n):
        sub = actions.Submission(package_name="com.bench", title=f"case {i}", description="d",
                                 cwe="CWE-295", location=f"c/L{i}")  # fmt: skip
        cases.append(actions.submit(sub, reporter=desk.reporter)[0])
    submit_ms = (time.perf_counter() - t) * 1000 / n
    t = time.perf_counter()
    for v in cases[: n // 3]:
        to_vendor(desk, v, app=app)
    walk_ms = (time.perf_counter() - t) * 1000 / (n // 3)
    now = timezone.now()
    t = time.perf_counter()
    for v in cases:
        guards.publication_blockers(v, now)
    blockers_ms = (time.perf_counter() - t) * 1000 / n
    c = Client()
    c.login(username="vendor", password=PASSWORD)
    pages = {
        "list": "/vulns/",
        "case": f"/vulns/{cases[0].public_id}/",
        "api list": "/api/v1/vulns/",
        "api case": f"/api/v1/vulns/{cases[0].public_id}/",
    }
    print(f"database: {connection.vendor}, {n} reports")
    print(f"receive one report (case, intake log, acknowledgement): {submit_ms:.1f} ms")
    print(f"walk one case to the vendor (triage..notify, 6 actions): {walk_ms:.1f} ms")
    print(f"publication_blockers per case: {blockers_ms:.2f} ms")
    for name, url in pages.items():
        times = []
        for _ in range(20):
            t = time.perf_counter()
            assert c.get(url).status_code == 200, url
            times.append((time.perf_counter() - t) * 1000)
        print(f"vendor GET {name}: p50 {statistics.median(times):.1f} ms")
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
