"""The PI source catalog: schema, internal consistency, and agreement with the platform."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

from mobsec.facts.privacy.catalog import (
    load_pi_catalog,
    load_pi_catalog_json,
    load_pi_catalog_schema,
)

GMS_PERMISSIONS = {"com.google.android.gms.permission.AD_ID"}


def _platform_permissions() -> dict[str, str]:
    raw = resources.files("mobsec.facts").joinpath("data", "platform_permissions.json")
    return json.loads(raw.read_text("utf-8"))["permissions"]


def test_catalog_matches_its_schema() -> None:
    schema = load_pi_catalog_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(load_pi_catalog_json(), schema)


def test_sources_are_unique_and_typed() -> None:
    cat = load_pi_catalog()
    ids = [s.id for s in cat.sources]
    assert len(ids) == len(set(ids))
    for s in cat.sources:
        assert s.pi_type in cat.types, s.id
    for perm, types in cat.permission_types.items():
        assert all(t in cat.types for t in types), perm


def test_every_pi_type_has_a_source_and_keywords() -> None:
    cat = load_pi_catalog()
    with_source = {s.pi_type for s in cat.sources}
    assert with_source == set(cat.types)
    for t in cat.types.values():
        assert t.keywords_en and t.keywords_zh


def test_permissions_are_real_platform_permissions_with_their_protection_level() -> None:
    """'dangerous' in the catalog equals the platform's protection level (runtime grant)."""
    platform = _platform_permissions()
    cat = load_pi_catalog()
    named = {p.name for s in cat.sources for p in s.permissions} | set(cat.permission_types)
    unknown = sorted(n for n in named - GMS_PERMISSIONS if n not in platform)
    # Added after API 29 and absent from Debian's framework-res: listed on purpose.
    assert unknown == ["android.permission.HIGH_SAMPLING_RATE_SENSORS"], unknown
    for perm in cat.permission_types:
        level = platform.get(perm)
        if level is None:
            continue
        assert (perm in cat.dangerous_permissions) == level.startswith("dangerous"), perm


def test_required_device_identifier_apis_are_catalogued() -> None:
    cat = load_pi_catalog()
    methods = {(s.class_desc, s.method) for s in cat.of_kind("method")}
    for want in [
        ("Landroid/telephony/TelephonyManager;", "getDeviceId"),
        ("Landroid/telephony/TelephonyManager;", "getImei"),
        ("Landroid/telephony/TelephonyManager;", "getSubscriberId"),
        ("Landroid/telephony/TelephonyManager;", "getSimSerialNumber"),
        ("Landroid/telephony/TelephonyManager;", "getLine1Number"),
        ("Landroid/net/wifi/WifiInfo;", "getMacAddress"),
        ("Lcom/bun/miitmdid/interfaces/IdSupplier;", "getOAID"),
        ("Landroid/content/pm/PackageManager;", "getInstalledPackages"),
    ]:
        assert want in methods, want
    android_id = cat.get("settings.android-id")
    assert android_id is not None
    assert (android_id.argument_index, android_id.argument_equals) == (1, "android_id")


def test_content_uri_lookup_respects_segment_boundaries() -> None:
    cat = load_pi_catalog()
    hit = cat.uri_pi_type("content://sms/inbox")
    assert hit is not None and hit.pi_type == "sms"
    hit = cat.uri_pi_type("content://com.android.contacts/data/phones")
    assert hit is not None and hit.pi_type == "contacts"
    assert cat.uri_pi_type("content://smsbackup.example/x") is None
    assert cat.uri_pi_type("content://mms-sms/conversations").pi_type == "sms"
