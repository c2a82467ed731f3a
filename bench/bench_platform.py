"""Page and API latency of the platform at scale: 10,000 apps and 1,000,000 finding rows in
PostgreSQL, seeded synthetically (COPY), measured through the whole Django stack (test client:
middleware, auth, ORM, templates, JSON; no network).

    .venv/bin/python bench/bench_platform.py [--database-url URL] [--apps 10000]
        [--findings-per-app 100] [--runs 30]

Without --database-url it starts PostgreSQL 15 itself (.ci/services, temporary directory,
127.0.0.1). Prints p50/p95 per request for two users: a tester of one organisation (500
apps) and a platform administrator (everything), and writes bench/results/platform.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORGS = 20
SEVERITIES = ("critical", "high", "medium", "low", "info")
SEV_WEIGHTS = (1, 6, 20, 40, 33)
OWNERS = ("app", "sdk", "unknown-third-party", "framework")


def start_postgres(tmp: Path) -> tuple[str, Path]:
    out = subprocess.run([str(ROOT / ".ci" / "services"), "start", str(tmp / "svc")],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    for line in out.splitlines():
        if "MOBSEC_TEST_DATABASE_URL=" in line:
            return line.split("=", 1)[1].strip(), tmp / "svc"
    raise SystemExit("could not start PostgreSQL: " + out)


def setup_django(url: str, data: Path) -> None:
    os.environ.update(DATABASE_URL=url, MOBSEC_DATA_DIR=str(data),
                      DJANGO_SETTINGS_MODULE="mobsec.platform.settings.local",
                      MOBSEC_ALLOWED_HOSTS="testserver")  # fmt: skip
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(apps: int, per_app: int, rnd: random.Random) -> dict:
    """Organisations, apps with one version each, findings; all by COPY in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mobsec.checks.registry import load_all
    from mobsec.platform.accounts import roles
    from mobsec.platform.accounts.models import Membership, Organisation, User
    from mobsec.platform.core.ids import new_public_id
    from mobsec.platform.registry.models import App

    if App.objects.count() >= apps:
        print(f"already seeded: {App.objects.count()} apps", file=sys.stderr)
        return {}
    checks = sorted(load_all("android"))
    sdks = [f"sdk-{i:03d}" for i in range(60)]
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        orgs = [Organisation.objects.create(name=f"Bench org {i}") for i in range(ORGS)]
        for name, role, org in (("bench-tester", roles.TESTER.id, orgs[0]),
                                ("bench-admin", roles.PLATFORM_ADMIN.id, orgs[1])):  # fmt: skip
            u = User.objects.create_user(name, password="bench")
            Membership.objects.create(user=u, organisation=org, role=role)
        with connection.cursor() as cur:
            raw = cur.cursor
            _copy(
                raw,
                "registry_package",
                ["sha256", "size", "format", "created_at"],
                ((secrets.token_hex(32), 10_000_000, "apk", now) for _ in range(apps)),
            )
            raw.execute("SELECT id FROM registry_package ORDER BY id")
            packages = [r[0] for r in raw.fetchall()]
            _copy(raw, "registry_app",
                  ["public_id", "organisation_id", "platform", "package_name", "signer_sha256",
                   "certificates", "label", "signer_conflict", "created_at", "updated_at"],
                  ((new_public_id(), orgs[i % ORGS].pk, "android", f"com.bench.app{i}",
                    "ab" * 32, "[]", f"Bench app {i}", False, now,
                    now - timezone.timedelta(minutes=i)) for i in range(apps)))  # fmt: skip
            raw.execute("SELECT id, organisation_id FROM registry_app ORDER BY id")
            app_rows = raw.fetchall()
            _copy(raw, "registry_version",
                  ["public_id", "app_id", "package_id", "version_name", "version_code",
                   "file_name", "uploaded_at"],
                  ((new_public_id(), a, packages[i], "1.0", 1, f"app{i}.apk", now)
                   for i, (a, _o) in enumerate(app_rows)))  # fmt: skip
            raw.execute("SELECT id, app_id FROM registry_version ORDER BY id")
            versions = dict((a, v) for v, a in raw.fetchall())

            def findings():
                for a, org in app_rows:
                    month = now - timezone.timedelta(days=rnd.randrange(0, 720))
                    for j in range(per_app):
                        owner = rnd.choice(OWNERS)
                        yield (org, a, versions[a], rnd.choice(checks),
                               rnd.choices(SEVERITIES, SEV_WEIGHTS)[0], "medium",
                               secrets.token_hex(16), "Title", "标题", "classes.dex",
                               f"Lcom/bench/C{j};", "m()V", "evidence", owner,
                               rnd.choice(sdks) if owner == "sdk" else "", "",
                               ",295,", ",MASVS-NETWORK-1,", "open", month)  # fmt: skip

            _copy(raw, "scans_finding",
                  ["organisation_id", "app_id", "version_id", "check_id", "severity",
                   "confidence", "fingerprint", "title_en", "title_zh", "file", "class_name",
                   "method", "evidence", "owner_kind", "sdk_id", "sdk_name", "cwe", "masvs",
                   "status", "created_at"], findings())  # fmt: skip
        from mobsec.platform.scans import counts

        counts.rebuild()  # the dashboard counters, as store_report keeps them
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    took = time.monotonic() - started
    print(f"seeded {apps} apps, {apps * per_app} findings in {took:.0f} s", file=sys.stderr)
    return {"seed_seconds": round(took, 1)}


def measure(runs: int) -> dict:
    from django.test import Client

    from mobsec.platform.registry.models import App
    from mobsec.platform.scans.models import Finding

    results = {}
    for user in ("bench-tester", "bench-admin"):
        c = Client()
        c.login(username=user, password="bench")
        org_app = App.objects.filter(organisation__name="Bench org 0").order_by("id").first()
        check = Finding.objects.filter(app=org_app).values_list("check_id", flat=True).first()
        requests = {
            "app list (page)": "/apps/",
            "app list (API)": "/api/v1/apps/",
            "an app's findings (page)": f"/apps/{org_app.public_id}/",
            "an app's findings (API)": f"/api/v1/apps/{org_app.public_id}/findings/",
            "cross-app finding query (API)": f"/api/v1/findings/?check_id={check}&owner_kind=app",
            "cross-app finding query (page)": f"/findings/?check_id={check}&owner_kind=app",
            "dashboard (page)": "/dashboard/",
            "statistics (API)": "/api/v1/statistics/",
        }
        for name, url in requests.items():
            assert c.get(url).status_code == 200, (user, url)  # warm-up
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                r = c.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            results[f"{user}: {name}"] = {"p50_ms": round(statistics.median(times), 1),
                                          "p95_ms": round(p95, 1), "runs": runs}  # fmt: skip
            print(f"{user:13} {name:32} p50 {statistics.median(times):7.1f} ms  "
                  f"p95 {p95:7.1f} ms", flush=True)  # fmt: skip
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url")
    ap.add_argument("--apps", type=int, default=10_000)
    ap.add_argument("--findings-per-app", type=int, default=100)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="leave the started PostgreSQL running")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-platform-"))
    services = None
    url = args.database_url
    if not url:
        url, services = start_postgres(tmp)
        print(f"PostgreSQL: {url}", file=sys.stderr)
    try:
        setup_django(url, tmp / "data")
        out = {"apps": args.apps, "findings": args.apps * args.findings_per_app}
        out.update(seed(args.apps, args.findings_per_app, random.Random(8)))
        out["latency"] = measure(args.runs)
        dest = ROOT / "bench" / "results" / "platform.json"
        dest.parent.mkdir(exist_ok=True)
        dest.write_text(json.dumps(out, indent=2) + "\n")
    finally:
        if services is not None and not args.keep:
            subprocess.run([str(ROOT / ".ci" / "services"), "stop", str(services)],
                           capture_output=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
