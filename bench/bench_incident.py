"""Fleet re-scan throughput of the incident workflow (issue 10 point 4) through the job system.

    .venv/bin/python bench/bench_incident.py [--n 8] [--workers 2] [--out bench/results/incident.json]

Registers the ``--n`` smallest APKs of the corpus's realworld and vulnapps sets as apps (each
uploaded and scanned by the job system once, not timed), signs a small rule pack with the
platform's rule-pack key (a permission, a host and a code-string rule: all run on stored
facts), attaches it to an incident, then times two fleet re-scans of every registered app's
latest version run by a local pool of ``--workers`` worker processes (what ``mobsec serve``
starts): the first re-scan finds no stored facts (full scans, which store them), the second
runs the rules on the stored facts. Local settings, SQLite in a temporary data directory.
Prints wall time, app versions per minute and the per-version seconds the re-scan child
reported, by mode.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
sys.path.insert(0, str(ROOT))

PACK = {
    "pack.yaml": "id: bench.incident\nversion: 1.0.0\npublisher: bench\n",
    "rules/bench.yaml": """rules:
  - id: android.bench.sms-reader
    title: {en: Reads SMS, zh-CN: 读取短信}
    description: {en: READ_SMS requested., zh-CN: 申请 READ_SMS。}
    remediation: {en: Remove it., zh-CN: 移除。}
    severity: medium
    confidence: high
    cwe: [359]
    masvs: [MASVS-CODE-3]
    match: {permission: "READ_SMS$"}
  - id: android.bench.example-host
    title: {en: Talks to example hosts, zh-CN: 连接示例主机}
    description: {en: A URL names an example host., zh-CN: URL 指向示例主机。}
    remediation: {en: Check it., zh-CN: 检查。}
    severity: low
    confidence: medium
    cwe: [200]
    masvs: [MASVS-CODE-3]
    match: {host: "(^|\\\\.)example\\\\.(com|org)$"}
  - id: android.bench.su-string
    title: {en: Mentions su, zh-CN: 含 su 字符串}
    description: {en: The code holds the string su., zh-CN: 代码中含有 su 字符串。}
    remediation: {en: Check it., zh-CN: 检查。}
    severity: low
    confidence: low
    cwe: [250]
    masvs: [MASVS-CODE-3]
    match: {string: "^su$"}
""",
}


def setup(data: Path):
    os.environ["MOBSEC_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobsec.platform.settings.local"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from mobsec.platform.accounts import roles
    from mobsec.platform.accounts.models import Membership, Organisation, User
    from mobsec.platform.incidents import roles as incident_roles

    org = Organisation.objects.create(name="Bench testing org")
    tester = User.objects.create_user("bench", password="bench-pw-1234")
    Membership.objects.create(user=tester, organisation=org, role=roles.TESTER.id)
    centre = Organisation.objects.create(name="Bench response centre")
    responder = User.objects.create_user("responder", password="bench-pw-1234")
    Membership.objects.create(user=responder, organisation=centre,
                              role=incident_roles.INCIDENT_COORDINATOR.id)  # fmt: skip
    return org, tester, responder


def register(org, tester, apks: list[Path]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mobsec.platform.jobs.worker import Worker
    from mobsec.platform.scans import actions

    for apk in apks:
        actions.submit_upload(org, tester, SimpleUploadedFile(apk.name, apk.read_bytes()))
    Worker("bench-register").run_available()


def signed_pack(tmp: Path) -> bytes:
    from mobsec.platform.incidents import packs
    from mobsec.platform.keys import custody
    from mobsec.rules.signing import sign_pack

    root = tmp / "pack"
    for name, text in PACK.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    custody.signing_key(packs.PLATFORM_KEY)
    sign_pack(root, custody.key_dir() / f"{packs.PLATFORM_KEY}.pem")
    out = tmp / "pack.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(root).as_posix())
    return out.read_bytes()


def timed_rescan(incident, responder, pack, workers: int) -> dict:
    from mobsec.platform.incidents import actions, fleet
    from mobsec.platform.jobs import local

    rescan = actions.start_rescan(incident, responder, "all", pack.public_id)
    t0 = time.perf_counter()
    pool = local.start_pool(workers, scheduler=False)
    try:
        while True:
            rescan.refresh_from_db()
            if rescan.finished_at is not None:
                break
            time.sleep(0.2)
    finally:
        wall = time.perf_counter() - t0
        pool.stop()
    s = fleet.status(rescan)
    by_mode: dict[str, list[float]] = {}
    for mode, secs in rescan.items.values_list("mode", "seconds"):
        if secs is not None:
            by_mode.setdefault(mode, []).append(secs)
    return {
        "versions": s["total"], "done": s["done"], "failed": s["failed"],
        "affected": s["affected"], "wall_seconds": round(wall, 2),
        "versions_per_minute_wall": round(60 * s["total"] / wall, 1),
        "platform_throughput_per_minute": s["throughput_per_minute"],
        "child_seconds_by_mode": {m: {"n": len(v), "median": round(statistics.median(v), 3),
                                      "sum": round(sum(v), 2)} for m, v in by_mode.items()},
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=8, help="corpus APKs registered (smallest first)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "incident.json")
    args = ap.parse_args()
    named = sorted((APKS / "realworld").glob("*.apk")) + sorted((APKS / "vulnapps").glob("*.apk"))
    apks = sorted(named, key=lambda p: p.stat().st_size)[: args.n]
    if not apks:
        print(f"no corpus APKs under {APKS}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-incident-"))
    org, tester, responder = setup(tmp / "data")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mobsec.platform.incidents import actions

    t0 = time.perf_counter()
    register(org, tester, apks)
    print(f"registered {len(apks)} APKs in {time.perf_counter() - t0:.1f} s", flush=True)
    incident = actions.create(responder, {
        "title_en": "Bench", "title_zh": "基准", "description_en": "d", "description_zh": "描述",
        "cvss31": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"})  # fmt: skip
    pack = actions.attach_pack(incident, responder,
                               SimpleUploadedFile("bench.zip", signed_pack(tmp)))  # fmt: skip
    first = timed_rescan(incident, responder, pack, args.workers)
    print("first re-scan (no stored facts):", json.dumps(first), flush=True)
    second = timed_rescan(incident, responder, pack, args.workers)
    print("second re-scan (stored facts):  ", json.dumps(second), flush=True)
    result = {"apks": [p.name for p in apks], "workers": args.workers, "cpus": os.cpu_count(),
              "load": os.getloadavg(), "first": first, "second": second}  # fmt: skip
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
