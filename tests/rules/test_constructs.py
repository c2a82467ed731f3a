"""Every rule construct fires on the 'fires' fixture and stays silent on its near twin, and
rule findings have the shape of built-in ones (schema-valid, rendered by every output)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from mobsec.engine import scan
from mobsec.options import ScanOptions
from mobsec.report.render import render
from mobsec.rules.loader import load_pack

from .conftest import CONSTRUCTS_PACK

SCHEMA = Path(__file__).resolve().parents[2] / "src/mobsec/report/schema/report.schema.json"


@pytest.fixture(scope="module")
def reports(emergency_apks: dict[str, Path]) -> dict[str, dict]:
    pack = load_pack(CONSTRUCTS_PACK)
    options = ScanOptions(rule_packs=(pack,), threads=1)
    return {name: scan(apk, options).to_json() for name, apk in emergency_apks.items()}


def _rule_findings(doc: dict) -> Counter:
    found = [*doc["findings"], *doc["unreachable_findings"]]
    return Counter(f["check_id"] for f in found if f["check_id"].startswith("android.constructs."))


def test_every_construct_fires_on_the_fixture_and_not_on_its_twin(reports):
    ids = {r.meta.id for r in load_pack(CONSTRUCTS_PACK).rules}
    assert len(ids) == 18
    assert set(_rule_findings(reports["fires"])) == ids
    assert _rule_findings(reports["twin"]) == Counter()
    for doc in reports.values():  # a rule never breaks the scan
        assert not [d for d in doc["diagnostics"] if d["code"].startswith("internal.")]


def test_findings_carry_the_evidence_of_their_kind(reports):
    by_id = {}
    for f in [*reports["fires"]["findings"], *reports["fires"]["unreachable_findings"]]:
        by_id.setdefault(f["check_id"], f)
    call = by_id["android.constructs.call-constant-arg"]
    assert call["location"]["class"] == "com.example.emergency.MainActivity"
    assert call["location"]["source_file"] == "MainActivity.java"
    assert "invoke-virtual" in call["evidence"] and "exec" in call["evidence"]
    assert call["message"]["en"] == "Call of java.lang.Runtime.exec (arg 0 = 'su')"
    # the URL reaches getSharedPreferences through a parameter: the data flow follows it
    flow = by_id["android.constructs.call-arg-via-dataflow"]
    assert "https://c2.evil.example/beacon" in flow["message"]["en"]
    perm = by_id["android.constructs.permission"]
    assert perm["location"] == {**perm["location"], "file": "AndroidManifest.xml"}
    assert perm["location"]["line"] and "READ_SMS" in perm["evidence"]
    sdk = by_id["android.constructs.sdk-version-range"]
    assert sdk["owner"]["kind"] == "sdk" and sdk["owner"]["sdk_id"] == "msa-oaid"
    assert sdk["location"]["file"] == "assets/supplierconfig.json"
    assert "1.0.10" in sdk["message"]["en"]
    assert by_id["android.constructs.native-symbol"]["location"]["file"].endswith("libbadcrypt.so")
    assert by_id["android.constructs.not"]["location"]["file"] == ""  # the package
    for cid, f in by_id.items():
        if cid.startswith("android.constructs."):
            assert f["title"]["zh-CN"] and f["cwe"] == [1104] and f["masvs"] == ["MASVS-CODE-3"]


def test_reports_with_rule_findings_are_schema_valid_and_render(reports):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = reports["fires"]
    jsonschema.validate(doc, schema)
    assert doc["scan"]["options"]["rule_packs"] == [
        {"id": "mobsec.tests.constructs", "version": "1"}
    ]
    for fmt in ("sarif", "html"):  # the text summary lists only the most severe
        text = render(doc, fmt, "en").decode("utf-8")
        assert "android.constructs.host" in text, fmt
