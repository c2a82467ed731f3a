"""Data flow on the dataflow-cases fixture: what reaches each API argument, case and twin.

The fixture (tests/fixtures/apps/dataflow-cases) is Java compiled by javac + dx, so the
bytecode has the shapes real apps have (StringBuilder chains, fill-array-data, wide
constants, try/catch). Each case has a twin where the value is NOT constant; the tests
assert the analysis result itself, not a check built on it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.facts.dataflow import (
    ArrayData,
    MethodFlow,
    Value,
    field_constants,
    method_flow,
    string_constants,
)
from mobsec.ingest.dex import DexFile, DexSet, FieldRef

CASES = "Lcom/example/dataflow/Cases;"
SOURCE = (
    Path(__file__).resolve().parents[1]
    / "fixtures/apps/dataflow-cases/java/com/example/dataflow/Cases.java"
)


@pytest.fixture(scope="module")
def dex_set(fixture_apk) -> DexSet:
    apk = fixture_apk("dataflow-cases")
    with zipfile.ZipFile(apk) as z:
        data = z.read("classes.dex")
    return DexSet.parse([("classes.dex", data)], Diagnostics())


@pytest.fixture(scope="module")
def dex(dex_set: DexSet) -> DexFile:
    return dex_set.dexes[0]


def flow_of(dex: DexFile, name: str) -> MethodFlow:
    found = [
        m
        for m in dex.iter_methods()
        if dex.method_ref(m.method_idx).class_desc == CASES
        and dex.method_ref(m.method_idx).name == name
    ]
    assert len(found) == 1, name
    flow = method_flow(dex, found[0])
    assert flow is not None and flow.complete
    return flow


def call(flow: MethodFlow, cls: str, name: str, nth: int = 0) -> list[frozenset[Value]]:
    sites = [c for c in flow.invokes() if c.callee.class_desc == cls and c.callee.name == name]
    return flow.args_at(sites[nth].offset)


def only(values: frozenset[Value]) -> Value:
    assert len(values) == 1, values
    return next(iter(values))


CIPHER = "Ljavax/crypto/Cipher;"


# ---- Cipher.getInstance -----------------------------------------------------------------


def test_cipher_constant_and_parameter_twin(dex: DexFile) -> None:
    (arg,) = call(flow_of(dex, "cipherConst"), CIPHER, "getInstance")
    assert string_constants(arg) == {"AES/ECB/PKCS5Padding"}
    assert only(arg).is_constant()
    (arg,) = call(flow_of(dex, "cipherFromParam"), CIPHER, "getInstance")
    assert only(arg) == Value("param", 0)
    assert not only(arg).is_constant() and string_constants(arg) == frozenset()


def test_cipher_from_fields(dex_set: DexSet, dex: DexFile) -> None:
    for method, field, expected in [
        ("cipherStaticField", "staticTransformation", {"DES/CBC/PKCS5Padding"}),
        ("cipherCtorField", "ctorTransformation", {"RC4"}),
        ("cipherRuntimeField", "runtimeTransformation", set()),  # set from a parameter
    ]:
        (arg,) = call(flow_of(dex, method), CIPHER, "getInstance")
        v = only(arg)
        assert v.kind == "field" and v.data == FieldRef(CASES, field, "Ljava/lang/String;")
        assert string_constants(field_constants(dex_set, v.data)) == expected, method


def test_cipher_every_branch_value(dex: DexFile) -> None:
    (arg,) = call(flow_of(dex, "cipherBranches"), CIPHER, "getInstance")
    assert string_constants(arg) == {"DES", "AES/GCM/NoPadding"}
    (arg,) = call(flow_of(dex, "cipherSwitch"), CIPHER, "getInstance")
    assert string_constants(arg) == {"AES/CBC/PKCS5Padding", "AES/GCM/NoPadding", "AES"}


def test_values_reach_catch_handlers(dex: DexFile) -> None:
    flow = flow_of(dex, "cipherInCatch")
    assert string_constants(call(flow, CIPHER, "getInstance", 0)[0]) == {"AES/ECB/NoPadding"}
    # In the handler the assignment inside the try may or may not have happened.
    assert string_constants(call(flow, CIPHER, "getInstance", 1)[0]) == {
        "AES/ECB/NoPadding",
        "AES/GCM/NoPadding",
    }


# ---- SecretKeySpec ------------------------------------------------------------------------

SKS = "Ljavax/crypto/spec/SecretKeySpec;"


def test_secret_key_constant_bytes(dex: DexFile) -> None:
    for method, expected in [
        ("keyFromGetBytes", b"hardcoded0123456"),
        ("keyFromArrayLiteral", bytes(range(1, 17))),
        ("keyFromBase64", b"secretkey1234567"),
    ]:
        recv, key, algo = call(flow_of(dex, method), SKS, "<init>")
        assert only(recv).kind == "new" and only(recv).data == SKS
        assert only(key) == Value("bytes", expected, only(key).offset), method
        assert only(key).is_constant()
        assert string_constants(algo) == {"AES"}


def test_secret_key_from_parameter_twins(dex: DexFile) -> None:
    _, key, _ = call(flow_of(dex, "keyFromParam"), SKS, "<init>")
    assert only(key) == Value("param", 0)
    _, key, _ = call(flow_of(dex, "keyFromParamString"), SKS, "<init>")
    v = only(key)
    assert v.kind == "result" and v.data.name == "getBytes" and not v.is_constant()


# ---- rawQuery ------------------------------------------------------------------------------

DB = "Landroid/database/sqlite/SQLiteDatabase;"


def test_sql_constant_builder(dex: DexFile) -> None:
    for method, text in [
        ("sqlConstant", "SELECT * FROM users WHERE id=42"),
        ("sqlPlusConstants", "SELECT * FROM users LIMIT 10;"),
    ]:
        _, sql, args = call(flow_of(dex, method), DB, "rawQuery")
        assert only(sql).kind == "concat" and only(sql).is_constant()
        assert string_constants(sql) == {text}
        assert only(args) == Value("const", 0, only(args).offset)  # null


def test_sql_with_variable(dex: DexFile) -> None:
    for method in ("sqlVariable", "sqlPlus"):
        _, sql, _ = call(flow_of(dex, method), DB, "rawQuery")
        v = only(sql)
        assert v.kind == "concat" and not v.is_constant()
        assert [p.kind for p in v.data] == ["string", "param", "string"]
        assert v.data[1] == Value("param", 1)
        assert string_constants(sql) == frozenset()


# ---- WebView, openFileOutput, Log ------------------------------------------------------------

WEBVIEW = "Landroid/webkit/WebView;"


def test_load_url_from_intent_and_const_twin(dex: DexFile) -> None:
    flow = flow_of(dex, "loadUrlFromIntent")
    _, url = call(flow, WEBVIEW, "loadUrl")
    v = only(url)
    assert v.kind == "result" and v.data.class_desc == "Landroid/content/Intent;"
    assert v.data.name == "getStringExtra"
    # The extra's name and the source of the intent are visible at the producing call.
    intent, name = flow.args_at(v.offset)
    assert string_constants(name) == {"url"}
    assert only(intent).kind == "result" and only(intent).data.name == "getIntent"
    load = next(c for c in flow.invokes() if c.callee.name == "loadUrl")
    assert flow.result_users(v.offset) == [(load.offset, 1)]
    _, url = call(flow_of(dex, "loadUrlConst"), WEBVIEW, "loadUrl")
    assert string_constants(url) == {"https://example.com/"}


def test_javascript_enabled(dex: DexFile) -> None:
    settings = "Landroid/webkit/WebSettings;"
    recv, flag = call(flow_of(dex, "javaScriptEnabled"), settings, "setJavaScriptEnabled")
    assert only(flag).kind == "const" and only(flag).data == 1
    assert only(recv).kind == "result" and only(recv).data.name == "getSettings"
    _, flag = call(flow_of(dex, "javaScriptFromParam"), settings, "setJavaScriptEnabled")
    assert only(flag) == Value("param", 1)


def test_open_file_output_mode(dex: DexFile) -> None:
    _, name, mode = call(flow_of(dex, "worldReadable"), CASES, "openFileOutput")
    assert string_constants(name) == {"secret.txt"} and only(mode).data == 1
    _, _, mode = call(flow_of(dex, "privateFile"), CASES, "openFileOutput")
    assert only(mode).data == 0


def test_log_concat_with_parameter(dex: DexFile) -> None:
    tag, msg = call(flow_of(dex, "logPassword"), "Landroid/util/Log;", "d")
    assert string_constants(tag) == {"Auth"}
    v = only(msg)
    assert v.kind == "concat" and v.data[0].data == "pw=" and v.data[1] == Value("param", 0)
    assert v.mentions(Value("param", 0)) and not v.is_constant()
    _, msg = call(flow_of(dex, "logConst"), "Landroid/util/Log;", "d")
    assert string_constants(msg) == {"login ok"}


# ---- IvParameterSpec, PBEKeySpec ------------------------------------------------------------

IV = "Ljavax/crypto/spec/IvParameterSpec;"
PBE = "Ljavax/crypto/spec/PBEKeySpec;"


def test_zero_iv_and_random_twin(dex: DexFile) -> None:
    _, iv = call(flow_of(dex, "zeroIv"), IV, "<init>")
    assert only(iv).data == ArrayData("[B", 16, (0,) * 16) and only(iv).is_constant()
    _, iv = call(flow_of(dex, "randomIv"), IV, "<init>")
    # SecureRandom.nextBytes(iv) wrote it: same array, contents unknown.
    assert only(iv).data == ArrayData("[B", 16, None) and not only(iv).is_constant()
    _, iv = call(flow_of(dex, "indexedIv"), IV, "<init>")
    assert only(iv).data == ArrayData("[B", 4, (0, 7, 0, 0))


def test_pbe_iterations(dex: DexFile) -> None:
    for method, salt in [("pbeConst", b"saltsalt"), ("pbeParsed", b"pepper")]:
        _, pw, s, n = call(flow_of(dex, method), PBE, "<init>")
        assert only(pw) == Value("param", 0)
        assert only(s).kind == "bytes" and only(s).data == salt
        assert only(n).kind == "const" and only(n).data == 1000, method
    _, _, s, n = call(flow_of(dex, "pbeFromParam"), PBE, "<init>")
    assert only(s) == Value("param", 1) and only(n) == Value("param", 2)


# ---- wide registers, loops, String helpers --------------------------------------------------


def test_wide_constants_and_value_of(dex: DexFile) -> None:
    flow = flow_of(dex, "wideValues")
    tag, msg = call(flow, "Landroid/util/Log;", "d")
    assert string_constants(tag) == {"1234567890123"}
    assert string_constants(msg) == {"2.5"}


def test_loop_builder_is_not_constant(dex: DexFile) -> None:
    _, msg = call(flow_of(dex, "loopConcat"), "Landroid/util/Log;", "i")
    assert all(not v.is_constant() for v in msg)
    assert string_constants(msg) == frozenset()


def test_string_concat(dex: DexFile) -> None:
    flow = flow_of(dex, "concatMethod")
    tag, msg = call(flow, "Landroid/util/Log;", "i")
    assert string_constants(tag) == {"prefix-middle"}
    assert only(msg).mentions(Value("param", 0)) and string_constants(msg) == frozenset()


def test_this_and_field_values(dex: DexFile) -> None:
    flow = flow_of(dex, "worldReadable")
    recv, _, _ = call(flow, CASES, "openFileOutput")
    assert only(recv) == Value("this", CASES)


def test_line_numbers_of_call_sites(dex: DexFile) -> None:
    """Line of each Cipher.getInstance(...) site equals the source line javac recorded."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    flow = flow_of(dex, "cipherConst")
    site = next(c for c in flow.invokes() if c.callee.name == "getInstance")
    want = next(i + 1 for i, t in enumerate(lines) if '"AES/ECB/PKCS5Padding"' in t)
    assert dex.line_table(flow.method).line_at(site.offset) == want
    flow = flow_of(dex, "logPassword")
    site = next(c for c in flow.invokes() if c.callee.name == "d")
    want = next(i + 1 for i, t in enumerate(lines) if '"pw=" + password' in t)
    table = dex.line_table(flow.method)
    assert table.line_at(site.offset) == want
    assert table.local_at(0, flow.cfg.registers - 1).name == "password"
