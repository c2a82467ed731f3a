"""Debian's Chromium driven by Playwright for the platform's browser tests (Playwright's own
browser download does not work offline). Skips without them, fails in CI."""

from __future__ import annotations

import base64
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.conf import settings

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "platform"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A fresh Chromium context (own profile: no cookies shared between tests)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).is_file():
        _skip_or_fail("chromium not installed (./dev setup installs Debian's chromium)")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # between browser steps are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        context.set_default_timeout(30_000)
        yield context
        context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def worker_pool(**env: str) -> Iterator[Any]:
    """A real local worker pool (what ``mobsec serve`` starts) on the test database; ``env``
    adds to the workers' environment."""
    from mobsec.platform.jobs import api as jobs
    from tests.platform.jobs.conftest import database_url

    env = {
        "DJANGO_SETTINGS_MODULE": "mobsec.platform.settings.test",
        "MOBSEC_TEST_DATABASE_URL": database_url(),
        "MOBSEC_TEST_DATA_DIR": str(settings.DATA_DIR),
        **env,
    }
    p = jobs.local.start_pool(1, env=env, scheduler=False)
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture
def pool(live_server: Any) -> Iterator[Any]:
    with worker_pool() as p:
        yield p


class Authenticator:
    """A person's authenticator app: the TOTP secret read from the enrolment page at the first
    log-in, kept for the next ones."""

    def __init__(self) -> None:
        self.secrets: dict[str, bytes] = {}

    def code(self, page: Any, username: str) -> str:
        if username not in self.secrets:
            secret = page.locator("#totp-secret").inner_text().strip()
            self.secrets[username] = base64.b32decode(secret + "=" * (-len(secret) % 8))
        else:
            assert page.locator("#totp-secret").count() == 0  # shown at enrolment only
            time.sleep(30 - time.time() % 30 + 0.5)  # a code is accepted once: next step
        return TOTP(self.secrets[username], 6, SHA1(), 30).generate(time.time()).decode()


def log_in(
    page: Any,
    base: str,
    username: str,
    password: str,
    authenticator: Authenticator | None = None,
) -> None:
    """Log in through the form; with an ``authenticator``, pass the TOTP step too."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    if authenticator is not None:
        page.wait_for_url(re.compile(r".*/vulns/2fa/.*"))
        page.fill("#id_code", authenticator.code(page, username))
        page.click("#totp-form button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
