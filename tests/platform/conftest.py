"""Platform fixtures: organisations with a user per role, real APKs scanned by the engine.

Organisations: ``a`` (the testing organisation whose data the tests look at), ``b`` (another
tenant: must see nothing of ``a``), ``vendor`` (owns app ``a``'s demo app), ``regulator``
(``a`` granted it read access), ``operator`` (the platform admin's home).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import mobsec
from mobsec.platform.accounts import roles
from mobsec.platform.accounts.auth import new_token
from mobsec.platform.accounts.models import AccessGrant, Membership, Organisation, User
from mobsec.platform.scans import actions
from tests.fixtures.build import FIXTURES_DIR, KEY_ALIAS, KEYSTORE, KEYSTORE_PASSWORD_FILE

PASSWORD = "pw-for-tests-1234"
ROLES = ("platform_admin", "org_admin", "tester", "vendor", "regulator", "other_org")


@dataclass
class World:
    orgs: dict[str, Organisation]
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


def make_world() -> World:
    orgs = {n: Organisation.objects.create(name=f"Org {n}")
            for n in ("a", "b", "vendor", "regulator", "operator")}  # fmt: skip
    AccessGrant.objects.create(organisation=orgs["a"], grantee=orgs["regulator"])
    where = {
        "platform_admin": ("operator", roles.PLATFORM_ADMIN.id),
        "org_admin": ("a", roles.ORG_ADMIN.id),
        "tester": ("a", roles.TESTER.id),
        "vendor": ("vendor", roles.VENDOR.id),
        "regulator": ("regulator", roles.REGULATOR.id),
        "other_org": ("b", roles.ORG_ADMIN.id),
    }
    users = {}
    for role, (org, role_id) in where.items():
        u = User.objects.create_user(role, password=PASSWORD)
        Membership.objects.create(user=u, organisation=orgs[org], role=role_id)
        users[role] = u
    return World(orgs, users)


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(scope="session")
def scanned(fixture_apk: Callable[[str], Path]) -> Callable[[str], tuple[Path, dict[str, Any]]]:
    """``scanned("diff-v1")`` -> (apk path, the engine's Report JSON), once per session."""
    cache: dict[str, tuple[Path, dict[str, Any]]] = {}

    def get(name: str) -> tuple[Path, dict[str, Any]]:
        if name not in cache:
            apk = rotated_apk(fixture_apk) if name == "rotated" else fixture_apk(name)
            cache[name] = (apk, mobsec.scan(apk, mobsec.ScanOptions(threads=1)).to_json())
        return cache[name]

    return get


def rotated_apk(fixture_apk: Callable[[str], Path]) -> Path:
    """diff-v2 re-signed with a v3 proof-of-rotation from the fixtures' debug key (diff-v1's
    signer) to diff-v2's release key: a later build by the same signer after key rotation."""
    src = fixture_apk("diff-v2")
    out = src.with_name("diff-v2-rotated.apk")
    if out.exists():
        return out
    password = KEYSTORE_PASSWORD_FILE.read_text().strip()
    release = FIXTURES_DIR / "apps" / "diff-v2" / "release.p12"
    lineage = src.with_name("diff-v2-rotation.lineage")

    def signer(ks: Path) -> list[str]:
        return ["--ks", str(ks), "--ks-key-alias", KEY_ALIAS, "--ks-pass", f"pass:{password}"]

    subprocess.run(["apksigner", "rotate", "--out", str(lineage), "--old-signer",
                    *signer(KEYSTORE), "--new-signer", *signer(release)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    tmp = out.with_suffix(".tmp")
    subprocess.run(["apksigner", "sign", *signer(KEYSTORE), "--next-signer", *signer(release),
                    "--lineage", str(lineage), "--v1-signing-enabled=true",
                    "--v2-signing-enabled=true", "--v3-signing-enabled=true",
                    "--out", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    tmp.replace(out)
    return out


def upload_file(apk: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name or apk.name, apk.read_bytes(), content_type="application/octet-stream"
    )


@pytest.fixture
def ingest(scanned):
    """Upload a fixture app into an organisation and store its report, as the scan job does
    (the engine ran once per session in ``scanned``)."""

    def run(org: Organisation, user: User, name: str, file_name: str | None = None):
        apk, doc = scanned(name)
        scan = actions.create_scan(org, user, upload_file(apk, file_name))
        return actions.store_report(scan, doc)

    return run


@pytest.fixture
def token_client(client):
    """A Django test client that authenticates API calls with a fresh token of ``user``."""

    def make(user: User):
        _, key = new_token(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
        return client

    return make
