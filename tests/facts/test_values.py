"""The inter-procedural value analysis (mobsec.facts.values) on fixtures built from source.

The fixtures' marks (tests/checks/*/…values-across-methods) test the checks built on it;
these tests assert what the marks cannot: the path a value took, the source of the
variable part of SQL (severity and confidence follow it), and that the work per question
is bounded by the limits.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools

from mobsec import ScanOptions, scan
from mobsec.diagnostics import Diagnostics
from mobsec.facts.values import ValueAnalysis, constant_bytes, describe_path
from mobsec.ingest.dex import DexSet
from mobsec.limits import DEFAULT_LIMITS

CHECKS = Path(__file__).resolve().parents[1] / "checks"
CRYPTO = CHECKS / "crypto" / "crypto-values-across-methods"
STORAGE = CHECKS / "storage" / "values-across-methods"
SPEC = "Ljavax/crypto/spec/SecretKeySpec;"


def _apk(src: Path) -> Path:
    missing = missing_tools(src)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    return build_apk(src)


def _findings(src: Path, check: str) -> list[dict]:
    doc = scan(_apk(src), ScanOptions(include_unreachable=True)).to_json()
    return [f for f in doc["findings"] if f["check_id"] == check]


def _at(findings: list[dict], source_file: str, line: int) -> dict:
    hits = [
        f
        for f in findings
        if f["location"]["source_file"] == source_file and f["location"]["line"] == line
    ]
    assert len(hits) == 1, (source_file, line, findings)
    return hits[0]


def _code(src: Path) -> DexSet:
    with zipfile.ZipFile(_apk(src)) as z:
        data = z.read("classes.dex")
    return DexSet.parse([("classes.dex", data)], Diagnostics())


def _key_site(code: DexSet, method: str):
    sites = [
        s
        for s in code.call_sites(SPEC, "<init>")
        if s.caller.class_desc == "Lcom/example/values/Holder;" and s.caller.name == method
    ]
    assert len(sites) == 1
    return sites[0]


@pytest.mark.toolchain
def test_path_names_definition_carrier_and_use() -> None:
    keys = _findings(CRYPTO, "android.crypto.hardcoded-key")
    ctor = _at(keys, "Holder.java", 20)["message"]["en"]
    # made in the caller, passed to the constructor, stored in the field read at the use
    assert "made in com.example.values.Holder.make" in ctor
    assert "passed by com.example.values.Holder.make" in ctor
    assert (
        "stored in field com.example.values.Holder.key by com.example.values.Holder.<init>" in ctor
    )
    getter = _at(keys, "Crypto.java", 29)["message"]
    assert "returned by com.example.values.Secrets.keyBytes" in getter["en"]
    assert "由 com.example.values.Secrets.keyBytes" in getter["zh-CN"]


@pytest.mark.toolchain
def test_sql_source_decides_severity_and_confidence() -> None:
    sql = _findings(STORAGE, "android.storage.sql-injection")
    typed = _at(sql, "MainActivity.java", 83)
    assert typed["severity"] == "info"  # the device's own user, the app's own database
    assert "typed into the app's own views" in typed["message"]["en"]
    provider = _at(sql, "NotesProvider.java", 21)
    assert provider["severity"] == "high" and provider["confidence"] == "high"
    extra = _at(sql, "MainActivity.java", 56)  # built by a helper from an Intent extra
    assert extra["confidence"] == "high"
    assert "returned by com.example.flow.MainActivity.queryFor" in extra["message"]["en"]


@pytest.mark.toolchain
def test_constructor_field_resolves_and_runtime_twin_does_not() -> None:
    code = _code(CRYPTO)
    va = ValueAnalysis(code)
    site = _key_site(code, "spec")
    got = [r for r in va.arg(site, 1) if constant_bytes(r) is not None]
    assert [constant_bytes(r) for r in got] == [b"constructor-key-0123"]
    en, zh = describe_path(got[0])
    assert en.startswith("made in com.example.values.Holder.make") and zh
    twin = [
        s
        for s in code.call_sites(SPEC, "<init>")
        if s.caller.class_desc == "Lcom/example/values/RuntimeHolder;" and s.caller.name == "spec"
    ]
    assert not any(constant_bytes(r) is not None for r in va.arg(twin[0], 1))


@pytest.mark.toolchain
def test_work_per_question_is_bounded() -> None:
    code = _code(CRYPTO)
    site = _key_site(code, "spec")
    # One step: the field is looked at, its writer's parameter is not followed further.
    tight = ValueAnalysis(code, limits=replace(DEFAULT_LIMITS, value_steps=1))
    assert not any(constant_bytes(r) is not None for r in tight.arg(site, 1))
    assert tight.steps <= 1
    shallow = ValueAnalysis(code, limits=replace(DEFAULT_LIMITS, value_depth=1))
    assert not any(constant_bytes(r) is not None for r in shallow.arg(site, 1))
    # The default bound reaches it, and asking again is answered from the memo.
    va = ValueAnalysis(code)
    assert any(constant_bytes(r) is not None for r in va.arg(site, 1))
    first = va.steps
    assert any(constant_bytes(r) is not None for r in va.arg(site, 1))
    assert va.steps - first <= 1


CREDS = CHECKS / "secrets" / "credential-maps"
EQUALS_DEFAULT = ("Lkotlin/text/StringsKt;", "equals$default")
ARE_EQUAL = ("Lkotlin/jvm/internal/Intrinsics;", "areEqual")


def _compare(code: DexSet, callee: tuple[str, str], method: str):
    sites = [s for s in code.call_sites(*callee) if s.caller.name == method]
    assert len(sites) == 1
    return sites[0]


@pytest.mark.toolchain
def test_map_lookup_names_the_put_and_the_key() -> None:
    code = _code(CREDS)
    va = ValueAnalysis(code)
    got = va.arg(_compare(code, EQUALS_DEFAULT, "verifyUserNamePassword"), 0)
    assert [r.value.text() for r in got] == ["sh0pp4ss!"]
    en, zh = describe_path(got[0])
    assert en.startswith("made in com.example.creds.Util.getUserCreds")
    assert 'put in a map under key "shopuser" by com.example.creds.Util.getUserCreds' in en
    assert en.endswith("returned by com.example.creds.Util.getUserCreds @000c"), (
        en
    )  # the return-object in dexdump
    assert '以键 "shopuser" 放入映射表' in zh
    # A constant key picks its entry of a Kotlin mapOf(pairs): only admin's password.
    admin = [
        s for s in code.call_sites("Ljava/lang/String;", "equals") if s.caller.name == "isAdmin"
    ]
    assert [r.value.text() for r in va.arg(admin[0], 1)] == ["4dm1n-s3cret"]
    # A static map filled in <clinit> and only read elsewhere.
    op = va.arg(_compare(code, ARE_EQUAL, "verifyOperator"), 0)
    assert [r.value.text() for r in op] == ["op3r4t0r#2019"]
    assert "stored in field com.example.creds.Util.OPERATORS" in describe_path(op[0])[0]
    # Iterating the table: entry.getKey() is the key, entry.getValue() the value.
    loop = [
        s
        for s in code.call_sites("Ljava/lang/String;", "equals")
        if s.caller.name == "verifyAnyUser"
    ]
    assert sorted(r.value.text() for s in loop for r in va.arg(s, 0)) == ["sh0pp4ss!", "shopuser"]


@pytest.mark.toolchain
def test_maps_that_are_not_constant_stay_unresolved() -> None:
    code = _code(CREDS)
    va = ValueAnalysis(code)
    for callee, method in (
        (EQUALS_DEFAULT, "verifySaved"),  # a put of a SharedPreferences value
        (ARE_EQUAL, "verifyMerged"),  # handed to a method that puts into it
        (ARE_EQUAL, "verifyRemembered"),  # a static map another method puts into
        (ARE_EQUAL, "verifyBig"),  # more entries than the bound
        (("Ljava/lang/String;", "equals"), "isSavedUser"),  # iterating the prefs table
    ):
        got = va.arg(_compare(code, callee, method), 0)
        assert not any(r.constant for r in got), (method, got)
