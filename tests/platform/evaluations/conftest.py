"""Evaluation fixtures: a corpus app that reads the IMEI (DroidBench DirectLeak1), scanned
plain and with an app type (then 191 scenario 4.1 fails), a reviewer in organisation a,
and an organisation scheme that the plain scan passes after one manual item."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

import mobsec
from mobsec.platform.accounts.models import Membership, User
from mobsec.platform.evaluations import actions
from mobsec.platform.scans import actions as scans
from tests.platform.conftest import PASSWORD, upload_file

LEAK_APP = "droidbench/AndroidSpecific__DirectLeak1.apk"
APP_TYPE = "map-navigation"
SCHEME = """\
scheme: lab-baseline
version: "1"
standard:
  code: LAB-2026
  title: {en: Lab baseline for PI and network, zh-CN: 实验室个人信息与网络基线}
items:
  - id: "net"
    title: {en: No weak TLS, zh-CN: 无不安全的 TLS}
    findings:
      - check: android.network.
        min_severity: high
  - id: "pi-necessity"
    title: {en: Only necessary PI collected, zh-CN: 仅收集必要个人信息}
    privacy: ["191:4.1"]
  - id: "ui"
    title: {en: Privacy prompt on first run, zh-CN: 首次运行提示隐私政策}
    evidence: dynamic
"""


@pytest.fixture(scope="session")
def leak_app(corpus_apks) -> Path:
    return corpus_apks / LEAK_APP


@pytest.fixture(scope="session")
def leak_docs(leak_app):
    plain = mobsec.scan(leak_app, mobsec.ScanOptions(threads=1)).to_json()
    typed = mobsec.scan(leak_app, mobsec.ScanOptions(threads=1, app_type=APP_TYPE)).to_json()
    return plain, typed


@pytest.fixture(autouse=True)
def keydir(tmp_path):
    with override_settings(MOBSEC_KEY_DIR=tmp_path / "keys"):
        yield tmp_path / "keys"


def add_reviewer(world, name: str = "reviewer", org: str = "a") -> User:
    u = User.objects.create_user(name, password=PASSWORD, first_name="Rev", last_name="Iewer")
    Membership.objects.create(user=u, organisation=world.orgs[org], role="reviewer")
    return u


@pytest.fixture
def reviewer(world):
    return add_reviewer(world)


def scan_leak(world, leak_app, doc, options=None):
    scan = scans.create_scan(world.orgs["a"], world.user("tester"), upload_file(leak_app), options)
    return scans.store_report(scan, doc)


@pytest.fixture
def lab_scheme(world):
    return actions.add_scheme(
        world.user("org_admin"), world.orgs["a"],
        SimpleUploadedFile("lab.yaml", SCHEME.encode()),
    )  # fmt: skip


def evidence_file(name: str = "run.png", data: bytes = b"\x89PNG screenshot") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")
