"""Owner rules, each shown with a twin that differs in one thing and gets the other answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobsec.facts.owners import Owner, OwnerResolver, SdkCatalog, detect_sdks


@pytest.fixture(scope="module")
def catalog() -> SdkCatalog:
    return SdkCatalog.load()


def owner(catalog: SdkCatalog, app: str, cls: str, extra: tuple[str, ...] = ()) -> Owner:
    return OwnerResolver(catalog, app, extra).owner_of(cls)


def test_wechat_own_code_is_app_but_its_opensdk_is_an_sdk(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.tencent.mm")
    ui = r.owner_of("Lcom/tencent/mm/ui/LauncherUI;")
    sdk = r.owner_of("Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;")
    assert (ui.kind, ui.package) == ("app", "com.tencent.mm")
    assert sdk.kind == "sdk" and sdk.sdk is not None and sdk.sdk.id == "wechat-opensdk"
    assert sdk.package == "com.tencent.mm.opensdk"


def test_same_class_is_sdk_in_another_app(catalog: SdkCatalog) -> None:
    # Twin of the above: in a shop app the same WeChat class is the SDK, and the WeChat UI
    # class (which a shop would never ship) is not "app".
    r = OwnerResolver(catalog, "com.example.shop")
    assert r.owner_of("Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;").kind == "sdk"
    ui = r.owner_of("Lcom/tencent/mm/ui/LauncherUI;")
    assert (ui.kind, ui.package) == ("unknown-third-party", "com.tencent.mm")


def test_app_package_nested_inside_an_sdk_namespace_is_app(catalog: SdkCatalog) -> None:
    # Umeng's own demo app: its package is deeper than the SDK prefix com.umeng.
    r = OwnerResolver(catalog, "com.umeng.soexample")
    assert r.owner_of("Lcom/umeng/soexample/MainActivity;").kind == "app"
    assert r.owner_of("Lcom/umeng/analytics/MobclickAgent;").sdk.id == "umeng-analytics"
    assert r.owner_of("Lcom/umeng/commonsdk/UMConfigure;").sdk.id == "umeng-common"


def test_parent_package_of_a_build_variant_is_app(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.example.shop.debug")
    assert r.app_prefixes == ("com.example.shop.debug", "com.example.shop", "com.example")
    assert r.owner_of("Lcom/example/shop/MainActivity;").package == "com.example.shop"
    assert r.owner_of("Lcom/example/shop/debug/BuildConfig;").package == "com.example.shop.debug"
    assert r.owner_of("Lcom/example/common/Util;").kind == "app"


def test_vendor_namespace_hosting_sdks_is_not_claimed(catalog: SdkCatalog) -> None:
    # com.github hosts catalogued libraries; claiming it would make every github library app.
    r = OwnerResolver(catalog, "com.github.uiautomator")
    assert r.app_prefixes == ("com.github.uiautomator",)
    assert r.owner_of("Lcom/github/uiautomator/Service;").kind == "app"
    assert r.owner_of("Lcom/github/someone/lib/X;").kind == "unknown-third-party"
    assert r.owner_of("Lcom/github/mikephil/charting/charts/LineChart;").kind == "sdk"
    # Twin: com.example hosts no catalogued SDK, so it is claimed (see the test above).


def test_tie_exact_app_package_beats_sdk_prefix(catalog: SdkCatalog) -> None:
    # An app whose package equals an SDK prefix (a vendor's sample app): its code is app.
    assert owner(catalog, "com.appsflyer", "Lcom/appsflyer/AppsFlyerLib;").kind == "app"
    assert owner(catalog, "com.appsflyer.demo", "Lcom/appsflyer/AppsFlyerLib;").kind == "sdk"


def test_extra_app_prefixes(catalog: SdkCatalog) -> None:
    cls = "Lcom/vendorlib/core/Engine;"
    assert owner(catalog, "com.example.shop", cls).kind == "unknown-third-party"
    claimed = owner(catalog, "com.example.shop", cls, ("com.vendorlib.",))
    assert (claimed.kind, claimed.package) == ("app", "com.vendorlib")


def test_obfuscated_is_unknown_unless_inside_the_app(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.example.shop")
    for cls in ("La/b/c;", "Lc/c/a/d;", "Lb/t;", "LA;"):
        assert r.owner_of(cls) == Owner("unknown", None, ""), cls
    assert r.owner_of("Lcom/example/shop/a/b;").kind == "app"
    # Twin: a real, unobfuscated unknown library is grouped by its reverse-domain package.
    assert r.owner_of("Lorg/eclipse/wst/xml/Parser;") == Owner(
        "unknown-third-party", None, "org.eclipse.wst"
    )
    assert r.owner_of("Lfoo/bar/baz/Qux;").package == "foo.bar"


def test_framework_only_for_platform_packages(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.example.shop")
    for cls in (
        "Landroid/app/Activity;",
        "Ljava/lang/String;",
        "Ljavax/crypto/Cipher;",
        "Ldalvik/system/DexClassLoader;",
        "Lorg/json/JSONObject;",
        "I",
        "[B",
    ):
        assert r.owner_of(cls).kind == "framework", cls
    # Twins: bundled libraries under the same first segment are SDKs.
    assert r.owner_of("Landroid/support/v4/app/Fragment;").sdk.id == "android-support"
    assert r.owner_of("Landroidx/core/app/ActivityCompat;").sdk.id == "androidx-core"
    assert r.owner_of("Ljavax/inject/Inject;").sdk.id == "jsr330-inject"
    assert r.owner_of("Ljavax/xml/stream/XMLStreamReader;").sdk.id == "apache-xerces"
    assert r.owner_of("Lkotlin/Unit;").sdk.id == "kotlin-stdlib"


def test_name_forms_agree(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.example.shop")
    forms = [
        "Lcom/umeng/analytics/MobclickAgent;",
        "[[Lcom/umeng/analytics/MobclickAgent;",
        "com.umeng.analytics.MobclickAgent",
        "com/umeng/analytics/MobclickAgent",
        "Lcom/umeng/analytics/MobclickAgent$1;",
    ]
    assert {r.owner_of(f) for f in forms} == {
        Owner("sdk", catalog.get("umeng-analytics"), "com.umeng.analytics")
    }


def test_catalog_match_is_segment_aligned(catalog: SdkCatalog) -> None:
    # "com.umengx" must not match the prefix "com.umeng."
    assert catalog.match("Lcom/umengx/Foo;") is None
    assert catalog.match("Lokhttp3x/Foo;") is None
    assert catalog.match("Lokhttp3/Foo;").id == "okhttp"


def test_detect_sdks_counts_and_respects_app_code(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.tencent.mm")
    classes = [
        "Lcom/tencent/mm/ui/LauncherUI;",
        "Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;",
        "Lcom/tencent/mm/opensdk/modelmsg/SendAuth;",
        "Lcom/tencent/mm/sdk/Legacy;",
        "Lcom/tencent/bugly/crashreport/CrashReport;",
        "Landroid/app/Activity;",
    ]
    found = detect_sdks(classes, r)
    assert [(f.sdk.id, f.class_count) for f in found] == [
        ("wechat-opensdk", 3),
        ("tencent-bugly", 1),
    ]
    doc = found[0].to_json()
    assert doc["packages_seen"] == ["com.tencent.mm.opensdk", "com.tencent.mm.sdk"]
    assert doc["sample_classes"][0] == "Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;"
    assert doc["name"]["zh-CN"] and doc["pi_related"] is True
    assert detect_sdks(classes, r, min_classes=2)[0].sdk.id == "wechat-opensdk"
    assert len(detect_sdks(classes, r, min_classes=2)) == 1


def test_hostile_names_are_bounded(catalog: SdkCatalog) -> None:
    r = OwnerResolver(catalog, "com.example.shop")
    deep = "L" + "a/" * 200_000 + "B;"
    assert r.owner_of(deep).kind in ("unknown", "unknown-third-party")
    long_pkg = "L" + "x" * 1_000_000 + "/B;"
    assert r.owner_of(long_pkg).kind == "unknown-third-party"
    for odd in ("", ";", "L;", "[", "[[[[", "L/;", "Lcom//umeng/X;", "/", ".", "..", "\x00"):
        assert isinstance(r.owner_of(odd), Owner), repr(odd)
    # The cache does not grow with attacker-chosen package names.
    for i in range(70_000):
        r.owner_of(f"Lcom/vendor{i}/X;")
    assert len(r._cache) <= 65_536


def test_hostile_app_package(catalog: SdkCatalog) -> None:
    for app in ("", ".", "a", "..com..", "x" * 10_000):
        r = OwnerResolver(catalog, app)
        assert r.owner_of("Lcom/umeng/analytics/MobclickAgent;").kind == "sdk"
        assert r.owner_of("Ljava/lang/String;").kind == "framework"


_CATALOG = SdkCatalog.load()
_RESOLVER = OwnerResolver(_CATALOG, "com.example.shop")
_KINDS = ("app", "sdk", "framework", "unknown-third-party", "unknown")


@settings(max_examples=500, deadline=5000)
@given(name=st.one_of(st.text(max_size=80), st.text(alphabet="abcLx/;.[$_0I", max_size=16)))
def test_fuzz_owner_of_never_raises(name: str) -> None:
    o = _RESOLVER.owner_of(name)
    assert o.kind in _KINDS
    assert (o.sdk is not None) == (o.kind == "sdk")
    match = _CATALOG.match(name)
    assert match is None or match.id


@settings(max_examples=60, deadline=5000)
@given(app=st.text(max_size=30), extra=st.lists(st.text(max_size=12), max_size=3))
def test_fuzz_app_package_never_raises(app: str, extra: list[str]) -> None:
    r = OwnerResolver(_CATALOG, app, extra)
    assert r.owner_of("Lcom/umeng/analytics/MobclickAgent;").kind in ("sdk", "app")
    assert r.owner_of("Ljava/lang/String;").kind in ("framework", "app")
