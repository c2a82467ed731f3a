"""The affected-scope query (issue 10) over 100,000 synthetic app versions in PostgreSQL,
seeded reproducibly (random.Random(10), COPY), measured through the whole Django stack
(test client on GET /api/v1/inventory/affected/: auth, reach, ORM, JSON; count + the first
page of 50 results with their evidence).

    .venv/bin/python bench/bench_affected.py [--database-url URL] [--apps 20000]
        [--versions-per-app 5] [--runs 10]

Each version: 15 libraries (of 200, versions 1.0.0-3.9.9), 60 framework APIs (of 1,500),
4 hosts (of 2,000), 2 native libraries (of 300) — the shape of a real inventory, smaller
than a large app's (hundreds of APIs) to keep the seed within the shared machine. Without
--database-url it starts PostgreSQL 15 itself (.ci/services). Writes
bench/results/affected.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_platform import ROOT, _copy, setup_django, start_postgres

LIBS, APIS, HOSTS, NATIVES = 200, 1500, 2000, 300


def vocab(rnd: random.Random) -> dict:
    return {
        "libs": [f"sdk-{i:03d}" for i in range(LIBS)],
        "apis": [(f"android.bench.Api{i // 10}", f"call{i % 10}") for i in range(APIS)],
        "hosts": [f"h{i}.bench{i % 50}.example" for i in range(HOSTS)],
        "natives": [
            (f"libbench{i}.so", hashlib.sha256(b"%d" % i).hexdigest()) for i in range(NATIVES)
        ],
    }


def inventory(v: dict, rnd: random.Random) -> dict:
    apis: dict[str, list[str]] = {}
    for cls, m in rnd.sample(v["apis"], 60):
        apis.setdefault(cls, []).append(m)
    libs = []
    for key in rnd.sample(v["libs"], 15):
        version = f"{rnd.randint(1, 3)}.{rnd.randint(0, 9)}.{rnd.randint(0, 9)}"
        libs.append({"kind": "sdk", "id": key, "name": key, "vendor": None, "group": None,
                     "artifact": None, "version": version, "version_source": "META-INF/x.version",
                     "sdk_id": key, "classes": 10})  # fmt: skip
    return {
        "version": 1,
        "libraries": libs,
        "native_libraries": [
            {
                "path": f"lib/arm64-v8a/{n}",
                "name": n,
                "abi": "arm64-v8a",
                "sha256": h,
                "size": 1000,
                "soname": n,
                "versions": [],
            }
            for n, h in rnd.sample(v["natives"], 2)
        ],
        "permissions": ["android.permission.INTERNET"],
        "exported_components": [],
        "hosts": [
            {"host": h, "owners": ["app"], "urls": [f"https://{h}/"]}
            for h in rnd.sample(v["hosts"], 4)
        ],
        "apis": apis,
    }


def seed(apps: int, per_app: int, rnd: random.Random) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from mobsec.platform.accounts import roles
    from mobsec.platform.accounts.models import Membership, Organisation, User
    from mobsec.platform.core.ids import new_public_id
    from mobsec.platform.inventory.actions import terms_of
    from mobsec.platform.inventory.models import VersionInventory
    from mobsec.platform.inventory.versions import sort_key

    if VersionInventory.objects.count() >= apps * per_app:
        return {}
    v = vocab(rnd)
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        orgs = [Organisation.objects.create(name=f"Bench org {i}") for i in range(20)]
        for name, role, org in (("bench-tester", roles.TESTER.id, orgs[0]),
                                ("bench-admin", roles.PLATFORM_ADMIN.id, orgs[1])):  # fmt: skip
            u = User.objects.create_user(name, password="bench")
            Membership.objects.create(user=u, organisation=org, role=role)
        n = apps * per_app
        with connection.cursor() as cur:
            raw = cur.cursor
            _copy(raw, "registry_package", ["sha256", "size", "format", "created_at"],
                  ((hashlib.sha256(b"p%d" % i).hexdigest(), 1, "apk", now)
                   for i in range(n)))  # fmt: skip
            raw.execute("SELECT id FROM registry_package ORDER BY id")
            packages = [r[0] for r in raw.fetchall()]
            _copy(raw, "registry_app",
                  ["public_id", "organisation_id", "platform", "package_name", "signer_sha256",
                   "certificates", "label", "signer_conflict", "created_at", "updated_at",
                   "official", "official_name_zh", "official_name_en", "official_pinyin",
                   "official_channels", "official_icon"],
                  ((new_public_id(), orgs[i % 20].pk, "android", f"com.bench.app{i}", "ab" * 32,
                    "[]", f"Bench app {i}", False, now, now, False, "", "", "", "[]", "{}")
                   for i in range(apps)))  # fmt: skip
            raw.execute("SELECT id, organisation_id FROM registry_app ORDER BY id")
            app_rows = raw.fetchall()
            _copy(raw, "registry_version",
                  ["public_id", "app_id", "package_id", "version_name", "version_code",
                   "file_name", "uploaded_at"],
                  ((new_public_id(), app_rows[i // per_app][0], packages[i], f"{i % per_app}.0",
                    i % per_app, "a.apk", now + timezone.timedelta(seconds=i % per_app))
                   for i in range(n)))  # fmt: skip
            raw.execute("SELECT id, app_id FROM registry_version ORDER BY id")
            versions = raw.fetchall()
            docs = [inventory(v, rnd) for _ in range(n)]
            _copy(raw, "inventory_versioninventory",
                  ["version_id", "app_id", "organisation_id", "latest", "engine_version",
                   "document", "terms", "created_at"],
                  ((vid, aid, app_rows[i // per_app][1], i % per_app == per_app - 1, "bench",
                    json.dumps(docs[i]), json.dumps(terms_of(docs[i])), now)
                   for i, (vid, aid) in enumerate(versions)))  # fmt: skip
            raw.execute("SELECT id, version_id FROM inventory_versioninventory ORDER BY version_id")
            inv_ids = [r[0] for r in raw.fetchall()]
            _copy(raw, "inventory_libraryrow",
                  ["inventory_id", "latest", "key", "version", "version_sort", "source"],
                  ((inv_ids[i], i % per_app == per_app - 1, lib["id"], lib["version"],
                    sort_key(lib["version"]), lib["version_source"])
                   for i, d in enumerate(docs) for lib in d["libraries"]))  # fmt: skip
            raw.execute("ANALYZE")
    took = time.monotonic() - started
    print(f"seeded {n} app versions of {apps} apps in {took:.0f} s", file=sys.stderr)
    return {"seed_seconds": round(took, 1)}


def measure(runs: int) -> dict:
    from django.test import Client

    queries = {
        "sdk below version, latest": "kind=sdk&value=sdk-007&below=2.0.0",
        "sdk below version, any version": "kind=sdk&value=sdk-007&below=2.0.0&scope=any",
        "sdk any version, latest": "kind=sdk&value=sdk-042",
        "API called, latest": "kind=api&value=android.bench.Api12.call3",
        "API called, any version": "kind=api&value=android.bench.Api12.call3&scope=any",
        "native library by name, any": "kind=library&value=libbench17.so&scope=any",
        "native library by SHA-256": "kind=library&value=" + hashlib.sha256(b"17").hexdigest(),
        "host (parent domain), any": "kind=host&value=bench7.example&scope=any",
    }
    out = {}
    for user in ("bench-admin", "bench-tester"):
        c = Client()
        c.login(username=user, password="bench")
        for name, q in queries.items():
            url = f"/api/v1/inventory/affected/?{q}"
            first = c.get(url)
            assert first.status_code == 200, (url, first.content[:300])
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                r = c.get(url)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            count = r.json()["count"]
            out[f"{user}: {name}"] = {"count": count, "p50_ms": round(statistics.median(times), 1),
                                      "max_ms": round(times[-1], 1)}  # fmt: skip
            print(f"{user:12} {name:34} {count:6} hits  p50 {statistics.median(times):7.1f} ms"
                  f"  max {times[-1]:7.1f} ms", flush=True)  # fmt: skip
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url")
    ap.add_argument("--apps", type=int, default=20_000)
    ap.add_argument("--versions-per-app", type=int, default=5)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-affected-"))
    services = None
    url = args.database_url
    if not url:
        url, services = start_postgres(tmp)
    try:
        setup_django(url, tmp / "data")
        out: dict = {"versions": args.apps * args.versions_per_app, "apps": args.apps}
        out.update(seed(args.apps, args.versions_per_app, random.Random(10)))
        out["latency"] = measure(args.runs)
        dest = ROOT / "bench" / "results" / "affected.json"
        dest.parent.mkdir(exist_ok=True)
        dest.write_text(json.dumps(out, indent=2) + "\n")
    finally:
        if services is not None:
            subprocess.run([str(ROOT / ".ci" / "services"), "stop", str(services)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
