"""The official CSAF 2.0, OSV and CVE JSON 5 schemas from ../shared/schemas, and the CSAF
mandatory tests (npm @secvisogram/csaf-validator-lib installed by ./dev setup).

Every ``$ref`` resolves from the local registry: nothing is ever fetched from the network (an
unknown reference fails the validation instead)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource

from tests.conftest import ROOT, SHARED

SCHEMAS = SHARED / "schemas"
VALIDATOR_DIR = ROOT / "build" / "csaf-validator"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _load(rel: str) -> dict[str, Any]:
    path = SCHEMAS / rel
    if not path.is_file():
        _skip_or_fail(f"official schema missing: {path} (set MOBSEC_SHARED)")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = []
    for name in ("cvss-v2.0", "cvss-v3.0", "cvss-v3.1"):
        schema = _load(f"csaf/{name}.json")
        resource = Resource.from_contents(schema)
        own_id = schema.get("$id") or schema.get("id")
        # CSAF refers to them without the ?date suffix of their own ids.
        resources += [(f"https://www.first.org/cvss/{name}.json", resource), (own_id, resource)]
    csaf = _load("csaf/csaf_json_schema.json")
    resources.append((csaf["$id"], Resource.from_contents(csaf)))
    return Registry().with_resources(resources)


def _errors(validator: Any, doc: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    ]


def csaf_errors(doc: dict[str, Any]) -> list[str]:
    schema = _load("csaf/csaf_json_schema.json")
    fc = Draft202012Validator.FORMAT_CHECKER
    return _errors(Draft202012Validator(schema, registry=_registry(), format_checker=fc), doc)


def provider_metadata_errors(doc: dict[str, Any]) -> list[str]:
    schema = _load("csaf/provider_json_schema.json")
    fc = Draft202012Validator.FORMAT_CHECKER
    return _errors(Draft202012Validator(schema, registry=_registry(), format_checker=fc), doc)


def osv_errors(doc: dict[str, Any]) -> list[str]:
    schema = _load("osv/schema.json")
    fc = Draft202012Validator.FORMAT_CHECKER
    return _errors(Draft202012Validator(schema, format_checker=fc), doc)


def cve_record_errors(doc: dict[str, Any]) -> list[str]:
    return _errors(Draft7Validator(_load("cve/CVE_Record_Format_bundled.json")), doc)


def cna_container_errors(doc: dict[str, Any]) -> list[str]:
    """Against the bundled schema's ``cnaPublishedContainer`` (what goes to a CNA)."""
    bundled = _load("cve/CVE_Record_Format_bundled.json")
    schema = {
        "$schema": bundled["$schema"],
        "definitions": bundled["definitions"],
        "$ref": "#/definitions/cnaPublishedContainer",
    }
    return _errors(Draft7Validator(schema), doc)


def csaf_mandatory_failures(docs: list[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    """Run the strict CSAF 2.0 schema test and every mandatory test (6.1.x) on each document;
    the failed tests per document (an empty list per valid document)."""
    node = shutil.which("node")
    script = VALIDATOR_DIR / "validate.mjs"
    if not node or not (VALIDATOR_DIR / "node_modules").is_dir() or not script.is_file():
        _skip_or_fail(f"CSAF validator not installed in {VALIDATOR_DIR} (./dev setup, needs npm)")
    files = []
    for i, doc in enumerate(docs):
        path = tmp / f"csaf-{i}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    out = subprocess.run(
        [node, str(script), *files], capture_output=True, text=True, timeout=120, check=False
    )
    if out.returncode != 0:
        pytest.fail(f"CSAF validator failed: {out.stderr[-2000:]}", pytrace=False)
    return [r["failed"] for r in json.loads(out.stdout)]
