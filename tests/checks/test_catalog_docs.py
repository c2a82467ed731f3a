"""docs/checks.md is generated from the registry and must match it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mobsec.checks.catalog import catalog_markdown
from mobsec.checks.registry import load_all

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_docs_page_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == catalog_markdown(load_all()), (
        "docs/checks.md is stale: run `mobsec checks --format markdown > docs/checks.md`"
    )


def test_cli_lists_every_check_as_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mobsec.cli", "checks", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    ids = [c["id"] for c in json.loads(out)]
    assert ids == sorted(load_all())
