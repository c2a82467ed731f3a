"""``mobsec serve --check`` and ``mobsec platform create-user``: the commands as a user runs
them (fresh data directory, real web server, real worker pool, the app scanned via the API)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def mobsec(*args: str) -> subprocess.CompletedProcess[str]:
    # As a user runs it: not with the test settings pytest-django put in the environment.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "mobsec.cli", *args], capture_output=True,
                          text=True, timeout=300, env=env)  # fmt: skip


def test_serve_check_scans_through_the_api(tmp_path, fixture_apk):
    data = tmp_path / "data"
    r = mobsec("serve", "--data", str(data), "--port", "0", "--workers", "1",
               "--demo", str(fixture_apk("java-basic")), "--check")  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "check: ok  GET /api/health/" in r.stdout
    assert "check: FAIL" not in r.stdout and "Traceback" not in r.stderr
    assert "http://127.0.0.1:" in r.stdout
    assert (data / "mobsec.sqlite3").is_file() and (data / "secret_key").stat().st_mode & 0o077 == 0
    # Two uploads of the same bytes (the demo seed and the check): one stored package.
    packages = [p for p in (data / "packages").rglob("*") if p.is_file()]
    assert len(packages) == 1


def test_create_user_prints_the_token_last(tmp_path):
    data = tmp_path / "data"
    r = mobsec("platform", "create-user", "ci-bot", "--org", "ACME", "--role", "tester",
               "--token", "--data", str(data))  # fmt: skip
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("mst_") and len(token) > 30
    db = sqlite3.connect(data / "mobsec.sqlite3")
    assert db.execute("select role from accounts_membership").fetchall() == [("tester",)]
    assert token not in "".join(str(row) for row in db.execute("select * from accounts_apitoken"))
    bad = mobsec("platform", "create-user", "x", "--org", "ACME", "--role", "boss",
                 "--data", str(data))  # fmt: skip
    assert bad.returncode == 2 and "boss" in bad.stderr and "tester" in bad.stderr
