"""The report JSON Schema is a real contract: valid, satisfied by real scans, and not vacuous.

Reports of corpus apps and of fixture APKs built from source must validate twice: against
the published schema, and against a *closed* copy of it where every object of the producer
sections (manifest, signing, native libraries, nested code, SDKs) forbids keys the schema
does not declare. The published schema stays open so 1.x consumers tolerate added fields;
the closed copy makes sure a producer cannot add or rename a field without the schema (and
docs/report.md) saying so. Negative tests put one wrong value into each section and expect
a rejection, so a too-loose schema fails here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import mobsec
from mobsec.facts.owners import FoundSdk, SdkCatalog, SdkVersion
from mobsec.ingest.elf import Hardening, NativeLibrary
from mobsec.ingest.nested import NestedCode
from mobsec.report.schema import report_schema, report_validator

# $defs that existed before the producer sections were specified; they are not closed here.
_OPEN_DEFS = {"hex", "text", "app", "code", "finding", "diagnostic"}

CORPUS_SAMPLES = [
    *(f"vulnapps/{n}" for n in ("AndroGoat.apk", "InsecureBankv2.apk", "pivaa.apk", "diva-beta.apk",
                                "UnCrackable-Level3.apk", "ovaa.apk", "InsecureShop.apk")),
    *(f"realworld/{n}" for n in ("appium-uiautomator2-server-v10.6.6.apk",
                                 "io.appium.settings-8.0.10-debug.apk")),
    "androguard/APK__apksig__golden-aligned-v1v2v3-lineage-out.apk",
    "androguard/APK__apksig__v1-only-with-dsa-sha256-2.16.840.1.101.3.4.3.2-1024.apk",
    "androguard/APK__apksig__two-signers-second-signer-v2-broken.apk",
    "androguard/APK__apksig__debuggable-resource.apk",
    "androguard/APK__CertChain.apk",
    "androguard/APK__Invalid.apk",
    "droidbench/AndroidSpecific__PrivateDataLeak1.apk",
    "droidbench/AndroidSpecific__Parcel1.apk",
]  # fmt: skip
FIXTURE_APPS = ["manifest-rich", "native-libs", "signing-v1v2v3", "unsigned"]


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy where producer-section objects with declared properties allow nothing else."""

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    out = copy.deepcopy(schema)
    for name, definition in out["$defs"].items():
        if name not in _OPEN_DEFS:
            close(definition)
    return out


@pytest.fixture(scope="module")
def validators() -> list[Draft202012Validator]:
    closed = _closed(report_schema())
    Draft202012Validator.check_schema(closed)
    return [
        report_validator(),
        Draft202012Validator(closed, format_checker=Draft202012Validator.FORMAT_CHECKER),
    ]


def _assert_valid(validators: list[Draft202012Validator], doc: dict[str, Any]) -> None:
    for v in validators:
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        detail = "\n".join(f"{e.json_path}: {e.message[:300]}" for e in errors[:10])
        assert not errors, f"{len(errors)} schema error(s):\n{detail}"


def test_schema_is_valid_draft_2020_12() -> None:
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    Draft202012Validator.check_schema(_closed(schema))
    # Every local $ref resolves (check_schema does not follow references).
    defs = schema["$defs"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(schema):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, ref


def test_producer_sections_are_specified() -> None:
    """The five producer sections are no longer bare ``object``s."""
    props = report_schema()["properties"]
    for section in ("manifest", "signing"):
        assert {"$ref": f"#/$defs/{section}"} in props[section]["oneOf"]
    for section, item in (
        ("native_libraries", "native_library"),
        ("nested_code", "nested_code"),
        ("sdks", "sdk"),
    ):
        assert props[section]["items"] == {"$ref": f"#/$defs/{item}"}


@pytest.mark.parametrize("rel", CORPUS_SAMPLES)
def test_corpus_reports_validate(
    corpus_apks: Path, validators: list[Draft202012Validator], rel: str
) -> None:
    path = corpus_apks / rel
    if not path.is_file():
        pytest.skip(f"{rel} not in this corpus")
    _assert_valid(validators, mobsec.scan(path).to_json())


@pytest.mark.parametrize("app", FIXTURE_APPS)
def test_fixture_reports_validate(
    fixture_apk: Callable[[str], Path], validators: list[Draft202012Validator], app: str
) -> None:
    doc = mobsec.scan(fixture_apk(app)).to_json()
    _assert_valid(validators, doc)
    if app == "manifest-rich":
        assert doc["manifest"]["components"], "fixture should exercise components"
    elif app == "native-libs":
        assert doc["native_libraries"], "fixture should exercise native libraries"
    elif app == "signing-v1v2v3":
        assert all(doc["signing"]["schemes"][s]["present"] for s in ("v1", "v2", "v3"))


# --------------------------------------------------------------------------- negative tests


@pytest.fixture(scope="module")
def base_report(fixture_apk: Callable[[str], Path]) -> dict[str, Any]:
    """A real report with every producer section non-empty.

    The manifest and signing come from a real scan; one native library, nested code item
    and SDK are produced by the producers' own classes, since no single small APK has all.
    """
    doc = mobsec.scan(fixture_apk("manifest-rich")).to_json()
    assert doc["manifest"] is not None and doc["signing"] is not None
    hardening = Hardening(nx=True, pie=True, relro="full", bind_now=True)
    doc["native_libraries"] = [
        NativeLibrary(
            path="lib/arm64-v8a/libx.so", abi="arm64-v8a", machine="AArch64", bits=64,
            endian="little", elf_type="DYN", soname="libx.so", needed=["libc.so"],
            imported_symbols=["strcpy"], exported_symbols=["JNI_OnLoad"], hardening=hardening,
            size=1024, sha256="0" * 64,
        ).to_json()
    ]  # fmt: skip
    doc["nested_code"] = [
        NestedCode("assets/a.png", "dex", 112, "1" * 64, note="dex content behind a .png").to_json()
    ]
    sdk = next(iter(SdkCatalog.load()))
    found = FoundSdk(sdk, 3, ["La/B;"], {sdk.packages[0].rstrip(".")}).to_json()
    found["version"] = SdkVersion(sdk.id, "1.0.0", "META-INF/x.version").to_json()
    doc["sdks"] = [found]
    return doc


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``a.b.0.c`` to ``value``."""

    def apply(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return apply


MUTATIONS = {
    "manifest-not-object": _set("manifest", []),
    "manifest-exported-string": _set("manifest.components.0.exported", "true"),
    "manifest-component-kind": _set("manifest.components.0.kind", "widget"),
    "manifest-exported-reason": _set("manifest.components.0.exported_reason", "guess"),
    "manifest-min-sdk-null": _set("manifest.min_sdk", None),
    "manifest-application-missing": _delete("manifest.application"),
    "manifest-debuggable-string": _set("manifest.application.debuggable", "false"),
    "manifest-permission-name-int": _set("manifest.uses_permissions.0.name", 7),
    "signing-not-object": _set("signing", "verified"),
    "signing-verified-string": _set("signing.verified", "yes"),
    "signing-scheme-missing": _delete("signing.schemes.v3"),
    "signing-scheme-unknown": _set("signing.schemes.v5", {}),
    "signing-scheme-present-int": _set("signing.schemes.v2.present", 1),
    "signing-cert-hash": _set("signing.signers.0.sha256", "not-hex"),
    "signing-cert-date": _set("signing.signers.0.not_after", "next year"),
    "signing-error-code": _set("signing.schemes.v1.errors", [42]),
    "native-not-array": _set("native_libraries", {}),
    "native-relro": _set("native_libraries.0.hardening.relro", "yes"),
    "native-bits-string": _set("native_libraries.0.bits", "64"),
    "native-needed-string": _set("native_libraries.0.needed", "libc.so"),
    "nested-kind": _set("nested_code.0.kind", "exe"),
    "nested-size-string": _set("nested_code.0.size", "112"),
    "nested-sha-missing": _delete("nested_code.0.sha256"),
    "sdks-item-string": _set("sdks.0", "okhttp"),
    "sdks-version-string": _set("sdks.0.version", "1.0.0"),
    "sdks-class-count-string": _set("sdks.0.class_count", "3"),
    "sdks-name-plain-string": _set("sdks.0.name", "OkHttp"),
}


def test_base_report_is_valid(
    base_report: dict[str, Any], validators: list[Draft202012Validator]
) -> None:
    assert base_report["manifest"]["uses_permissions"], "fixture should declare permissions"
    assert base_report["signing"]["signers"], "fixture should be signed"
    _assert_valid(validators, base_report)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_schema_rejects_wrong_value(base_report: dict[str, Any], name: str) -> None:
    doc = copy.deepcopy(base_report)
    MUTATIONS[name](doc)
    errors = list(report_validator().iter_errors(doc))
    assert errors, f"schema accepted mutation {name!r}"
    section = name.split("-")[0]
    prefix = {"native": "native_libraries", "nested": "nested_code"}.get(section, section)
    assert any(list(e.absolute_path)[:1] == [prefix] for e in errors), [e.message for e in errors]


def test_closed_copy_rejects_undeclared_field(base_report: dict[str, Any]) -> None:
    """A producer adding a field without the schema is caught by the closed copy."""
    closed = Draft202012Validator(_closed(report_schema()))
    for section in ("native_libraries", "nested_code", "sdks"):
        doc = copy.deepcopy(base_report)
        doc[section][0]["surprise"] = 1
        assert report_validator().is_valid(doc), "the published schema tolerates additions"
        assert not closed.is_valid(doc), section
