from __future__ import annotations

from pathlib import Path

import pytest

from .repack import repackage


@pytest.fixture(scope="session")
def repackaged_apk(fixture_apk, tmp_path_factory) -> Path:
    """dataflow-cases decoded, an ad class injected, rebuilt and signed with a new key."""
    out = tmp_path_factory.mktemp("repack") / "dataflow-repackaged.apk"
    return repackage(fixture_apk("dataflow-cases"), out)


@pytest.fixture(scope="session")
def counterfeit_apk(fixture_apk, tmp_path_factory) -> Path:
    """Another app (java-basic) given the genuine app's name, signed with a new key."""
    out = tmp_path_factory.mktemp("counterfeit") / "dataflow-counterfeit.apk"
    return repackage(fixture_apk("java-basic"), out, inject=False, label="dataflow")


@pytest.fixture(autouse=True)
def fresh_index():
    """Row ids come back after a test's rollback: no index outlives its test."""
    from mobsec.platform.monitoring import index

    index.forget()
    yield
    index.forget()
