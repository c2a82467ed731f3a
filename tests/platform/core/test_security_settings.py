"""Production settings: secrets only from the environment, ``manage.py check --deploy``
clean; CSP on every page; CSRF enforced on forms."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("MOBSEC_", "DATABASE_URL", "DJANGO_"))}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "mobsec.platform.manage", "check", "--deploy",
         "--fail-level", "WARNING"],
        env={**base, "DJANGO_SETTINGS_MODULE": "mobsec.platform.settings.production", **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    r = _check_deploy({
        "MOBSEC_SECRET_KEY": secrets.token_urlsafe(50),
        "MOBSEC_ALLOWED_HOSTS": "mobsec.example.org",
        "DATABASE_URL": "postgresql://mobsec@127.0.0.1:5432/mobsec",
        "MOBSEC_DATA_DIR": str(tmp_path),
    })  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_refuses_to_start_without_secrets(tmp_path):
    r = _check_deploy({"MOBSEC_ALLOWED_HOSTS": "x", "MOBSEC_DATA_DIR": str(tmp_path),
                       "DATABASE_URL": "postgresql://m@127.0.0.1/m"})  # fmt: skip
    assert r.returncode != 0 and "MOBSEC_SECRET_KEY" in r.stderr


@pytest.mark.django_db
def test_every_page_has_a_csp_and_forms_need_csrf(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    for url in ("/accounts/login/", "/api/health/", "/api/docs/", "/api/schema/"):
        r = c.get(url)
        assert "default-src" in r.headers["Content-Security-Policy"], url
        assert r.headers["X-Frame-Options"] == "DENY"
    r = c.post("/accounts/login/", {"username": "tester", "password": "x"})
    assert r.status_code == 403  # no CSRF token
    c.force_login(world.user("tester"))
    assert c.post("/api/v1/scans/", {}).status_code == 403  # session auth needs CSRF too
