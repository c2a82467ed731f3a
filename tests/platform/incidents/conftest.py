"""The incident desk around the platform's test world: an incident coordinator (who is also
a vulnerability coordinator), a verifier, organisation a's app ``com.example.versions``
(diff-v1, owned by the ``vendor`` organisation) and organisation b's ``java-basic``, both
with their inventories; signed rule packs built and zipped from a folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mobsec.platform.accounts.models import Membership, Organisation
from mobsec.platform.incidents import actions, packs
from mobsec.platform.incidents import roles as incident_roles
from mobsec.platform.inventory import actions as inventory
from mobsec.platform.jobs.dispatch import claim_next
from mobsec.platform.jobs.runner import run_claimed
from mobsec.platform.keys import custody
from mobsec.platform.vulns import fixes
from mobsec.platform.vulns import roles as vuln_roles
from mobsec.rules.signing import sign_pack
from tests.platform.vulns.conftest import add_user

CVSS = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
RULE_ID = "android.incident.contacts-reader"

PACK_YAML = """id: mobsec.incident.test
version: 2026.12.1
publisher: mobsec incident tests
description:
  en: Apps that read the contacts
  zh-CN: 读取通讯录的应用
"""
RULES_YAML = """rules:
  - id: android.incident.contacts-reader
    title: {en: 'Reads the contacts', zh-CN: '读取通讯录'}
    description: {en: 'The app asks for READ_CONTACTS.', zh-CN: '应用申请 READ_CONTACTS 权限。'}
    remediation: {en: 'Remove the permission.', zh-CN: '移除该权限。'}
    severity: high
    confidence: high
    cwe: [359]
    masvs: [MASVS-PRIVACY-1]
    match:
      permission: "^android\\\\.permission\\\\.READ_CONTACTS$"
"""


def write_pack(root: Path) -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(PACK_YAML, encoding="utf-8")
    (root / "rules" / "incident.yaml").write_text(RULES_YAML, encoding="utf-8")
    return root


def platform_key() -> Path:
    """The platform's own rule-pack signing key (key custody creates it on first use)."""
    custody.signing_key(packs.PLATFORM_KEY)
    return custody.key_dir() / f"{packs.PLATFORM_KEY}.pem"


def zip_folder(root: Path, prefix: str = "pack/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, prefix + p.relative_to(root).as_posix())
    return buf.getvalue()


def upload(data: bytes, name: str = "pack.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture
def signed_pack(tmp_path) -> bytes:
    root = write_pack(tmp_path / "signed")
    sign_pack(root, platform_key())
    return zip_folder(root)


@pytest.fixture
def desk(world):
    org = fixes.desk_organisation()
    centre = Organisation.objects.create(name="Emergency response centre")
    responder = add_user("responder", centre, incident_roles.INCIDENT_COORDINATOR.id)
    Membership.objects.create(user=responder, organisation=org, role=vuln_roles.COORDINATOR.id)
    verifier = add_user("inc-verifier", org, vuln_roles.VERIFIER.id)
    runner_only = add_user("runner-only", centre, incident_roles.INCIDENT_COORDINATOR.id)
    return {"responder": responder, "verifier": verifier, "runner_only": runner_only,
            "org": org}  # fmt: skip


@pytest.fixture
def fleet_apps(world, ingest):
    """diff-v1 in a (owned by vendor) and java-basic in b, with inventories."""
    tester = world.user("tester")
    s1 = ingest(world.orgs["a"], tester, "diff-v1")
    app = s1.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    s2 = ingest(world.orgs["b"], world.user("other_org"), "java-basic")
    for s in (s1, s2):
        inventory.record_scan(scan=s)
    return {"affected": s1, "clean": s2}


ADVISORY = {
    "title_en": "Contacts harvesting SDK",
    "title_zh": "窃取通讯录的 SDK",
    "description_en": "An SDK abuses READ_CONTACTS.",
    "description_zh": "某 SDK 滥用 READ_CONTACTS 权限。",
    "refs": ["https://example.org/advisory/1"],
    "cve_ids": ["CVE-2026-12345"],
    "cnvd_ids": ["CNVD-2026-00001"],
    "cvss31": CVSS,
    "cwe": "CWE-359",
}


@pytest.fixture
def incident(desk):
    return actions.create(desk["responder"], dict(ADVISORY))


def run_jobs(worker: str = "incident-test") -> list[str]:
    """Run every job due now in this process, as a worker does; returns their kinds in the
    order they were claimed."""
    kinds = []
    while (job := claim_next(worker, now=timezone.now(), capacity=0)) is not None:
        kinds.append(job.kind)
        run_claimed(job, worker)
    return kinds


@pytest.fixture(autouse=True)
def fresh_facts(settings, tmp_path, monkeypatch):
    """Each test starts without stored facts (the first re-scan of an app is a full scan),
    worker pools it starts too (they read the environment, not this process's settings;
    routine scans of earlier tests store facts in the session's data directory)."""
    settings.MOBSEC_FACTS_DIR = tmp_path / "facts"
    monkeypatch.setenv("MOBSEC_FACTS_DIR", str(tmp_path / "facts"))
