"""Shared test fixtures: where the labelled corpus is, and the APK fixture builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# CI checks out the project with ../shared beside it; MOBSEC_SHARED overrides.
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"

pytest_plugins = ["tests.fixtures.plugin"]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        reason = f"labelled corpus not present at {CORPUS} (set MOBSEC_SHARED)"
        if os.environ.get("CI"):  # CI runs with ../shared beside the checkout
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_apks(corpus_dir: Path) -> Path:
    return corpus_dir / "apks"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure.

    Tests skip when a tool or the corpus is absent, so a fresh clone still passes; CI
    installs every tool itself and has ../shared beside the checkout, so a skip there means
    a broken set-up that would silently hide the tests that depend on it.
    """
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where nothing may be missing: {reason}"


@pytest.fixture(autouse=True)
def _sarif_written_is_accepted(request: pytest.FixtureRequest):
    """Every SARIF file a test writes must pass GitHub code scanning's upload rules."""
    yield
    tmp = request.node.funcargs.get("tmp_path") if hasattr(request.node, "funcargs") else None
    if tmp is None:
        return
    import json

    from tests.report.sarif_github import github_upload_problems

    for path in list(tmp.rglob("*.sarif")) + list(tmp.rglob("*.sarif.json")):
        try:
            log = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a test of a broken output; its own asserts judge it
        problems = github_upload_problems(log)
        if problems:
            pytest.fail(f"{path.name} would be refused by GitHub: {problems[:5]}", pytrace=False)
