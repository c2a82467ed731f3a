"""The network security config model: platform defaults, inheritance, hostile files.

Configs are written as text XML and read with the same parser the scan uses (binary XML of
real fixtures is covered by the annotated fixtures under this folder).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.facts.network_config import build_network_config
from mobsec.ingest.axml import parse_axml

FILE = "res/xml/nsc.xml"


def build(xml: str | None, target_sdk: int = 29, debuggable: bool = False, manifest: bool = True):
    diags = Diagnostics()
    root = parse_axml(xml.encode(), FILE, diags) if xml is not None else None
    cfg = build_network_config(
        root,
        FILE if root is not None else None,
        target_sdk=target_sdk,
        debuggable=debuggable,
        uses_cleartext_traffic=manifest,
        diags=diags,
    )
    return cfg, diags


def test_platform_defaults_by_target_sdk() -> None:
    old, _ = build(None, target_sdk=23, manifest=True)
    assert old.base_cleartext is True
    assert {c.src for c in old.base_anchors} == {"system", "user"}
    n, _ = build(None, target_sdk=24, manifest=True)
    assert {c.src for c in n.base_anchors} == {"system"}
    # With a config file the manifest attribute is ignored: the targetSdk default decides.
    p, _ = build("<network-security-config/>", target_sdk=28, manifest=True)
    assert p.base_cleartext is False
    o, _ = build("<network-security-config/>", target_sdk=27, manifest=False)
    assert o.base_cleartext is True


def test_nested_domain_config_inherits_and_most_specific_domain_wins() -> None:
    cfg, diags = build(
        """<network-security-config>
          <base-config cleartextTrafficPermitted="false"/>
          <domain-config cleartextTrafficPermitted="true">
            <domain includeSubdomains="true">example.com</domain>
            <pin-set expiration="2000-01-01"><pin digest="SHA-256">AAAA</pin></pin-set>
            <trust-anchors><certificates src="user" overridePins="true"/></trust-anchors>
            <domain-config>
              <domain includeSubdomains="true">api.example.com</domain>
            </domain-config>
            <domain-config cleartextTrafficPermitted="false">
              <domain>secure.example.com</domain>
              <trust-anchors><certificates src="system"/></trust-anchors>
            </domain-config>
          </domain-config>
        </network-security-config>"""
    )
    assert cfg.cleartext_permitted("www.example.com")[0] is True
    assert cfg.cleartext_permitted("EXAMPLE.com.")[0] is True
    assert cfg.cleartext_permitted("v1.api.example.com")[0] is True  # inherited from parent
    assert cfg.cleartext_permitted("secure.example.com")[0] is False
    assert cfg.cleartext_permitted("other.org")[0] is False
    inner = cfg.config_for("api.example.com")
    assert inner is not None and inner.depth == 1
    assert inner.pin_set is not None and inner.pin_set.expired(dt.date(2024, 1, 1))
    assert [c.src for c in inner.anchors] == ["user"]
    secure = cfg.config_for("secure.example.com")
    assert secure is not None and [c.src for c in secure.anchors] == ["system"]
    assert not diags.codes() - {"axml.plain_text_xml"}


def test_debug_overrides_count_only_when_debuggable() -> None:
    xml = """<network-security-config>
      <debug-overrides><trust-anchors><certificates src="user"/></trust-anchors></debug-overrides>
    </network-security-config>"""
    release, _ = build(xml, debuggable=False)
    debug, _ = build(xml, debuggable=True)
    assert [c.src for c in release.base_anchors] == ["system"]
    assert [c.src for c in debug.base_anchors] == ["system", "user"]
    assert [c.src for c in release.debug_overrides] == ["user"]


def test_duplicates_and_wrong_root_are_diagnosed_not_raised() -> None:
    _, diags = build(
        "<network-security-config><base-config/><base-config/></network-security-config>"
    )
    assert "nsc.duplicate_element" in diags.codes()
    _, diags = build("<manifest/>")
    assert "nsc.bad_root" in diags.codes()


def test_invalid_expiration_is_kept_as_text() -> None:
    cfg, _ = build(
        """<network-security-config><domain-config><domain>a.b</domain>
        <pin-set expiration="tomorrow"><pin digest="SHA-256">x</pin></pin-set>
        </domain-config></network-security-config>"""
    )
    ps = cfg.domain_configs[0].pin_set_declared
    assert ps is not None and ps.expiration is None and ps.expiration_text == "tomorrow"
    assert not ps.expired(dt.date(2100, 1, 1))


def test_huge_config_is_cut_with_a_diagnostic() -> None:
    many = "".join(
        f"<domain-config><domain>h{i}.example</domain></domain-config>" for i in range(6000)
    )
    cfg, diags = build(f"<network-security-config>{many}</network-security-config>")
    assert len(cfg.domain_configs) == 5000
    assert "nsc.too_large" in diags.codes()


TAGS = ["base-config", "domain-config", "domain", "trust-anchors", "certificates", "pin-set",
        "pin", "debug-overrides", "x"]  # fmt: skip
ATTRS = ['cleartextTrafficPermitted="true"', 'includeSubdomains="true"', 'src="user"',
         'overridePins="true"', 'expiration="2019-02-30"', 'digest="SHA-256"']  # fmt: skip


@st.composite
def configs(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = " ".join(draw(st.lists(st.sampled_from(ATTRS), max_size=3)))
    text = draw(st.sampled_from(["", "example.com", "A.B.", "  "]))
    kids = "" if depth > 2 else "".join(draw(st.lists(configs(depth + 1), max_size=3)))
    return f"<{tag} {attrs}>{text}{kids}</{tag}>"


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(configs(), max_size=4), target=st.integers(1, 40), debug=st.booleans())
def test_fuzz_structured_configs(body: list[str], target: int, debug: bool) -> None:
    xml = "<network-security-config>" + "".join(body) + "</network-security-config>"
    cfg, _ = build(xml, target_sdk=target, debuggable=debug)
    for host in ("example.com", "a.b", "www.example.com", ""):
        ok, why = cfg.cleartext_permitted(host)
        assert isinstance(ok, bool) and why


@settings(max_examples=150, deadline=5000)
@given(data=st.binary(max_size=2048))
def test_fuzz_bytes(data: bytes) -> None:
    diags = Diagnostics()
    try:
        root = parse_axml(data, FILE, diags)
    except FormatError:
        return
    build_network_config(
        root, FILE, target_sdk=30, debuggable=False, uses_cleartext_traffic=False, diags=diags
    )
