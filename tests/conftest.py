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
        pytest.skip(f"labelled corpus not present at {CORPUS} (set MOBSEC_SHARED)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_apks(corpus_dir: Path) -> Path:
    return corpus_dir / "apks"
