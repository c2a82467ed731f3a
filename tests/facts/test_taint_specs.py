"""The taint source spec reads the PI catalog: every catalogued taint source is used."""

from __future__ import annotations

from mobsec.facts.privacy.catalog import load_pi_catalog
from mobsec.facts.taint import specs
from mobsec.facts.taint.views import is_password_input


def test_catalog_sources_are_read() -> None:
    catalog = load_pi_catalog().taint_sources()
    assert catalog and specs.catalog_sources() == tuple(catalog)


def test_every_catalog_taint_source_is_in_the_spec() -> None:
    spec = specs.source_spec()
    for src in specs.catalog_sources():
        if src.kind == "method" and src.argument_index is None:
            assert spec.methods[(src.class_desc, src.method)] == src.pi_type, src.id
        elif src.kind == "method":
            guards = spec.guarded[(src.class_desc, src.method)]
            assert any(g.equals == src.argument_equals for g in guards), src.id
        elif src.kind == "field":
            assert spec.fields[(src.class_desc, src.field)] == src.pi_type, src.id
        elif src.kind == "callback-param":
            cbs = spec.callbacks[src.method]
            assert any(c.iface == src.class_desc and c.pos == src.param + 1 for c in cbs)


def test_catalog_only_sources_and_types_win() -> None:
    spec = specs.source_spec()
    # not in the built-in floor: present only because the catalog is read
    assert spec.methods[("Landroid/location/Location;", "getLatitude")] == "location"
    assert ("Landroid/telephony/SubscriptionInfo;", "getIccId") in spec.methods
    assert ("Landroid/os/Build;", "getSerial") not in specs.BUILTIN_SOURCES or (
        spec.methods[("Landroid/os/Build;", "getSerial")] == "serial"
    )
    # access-only catalog entries (requestLocationUpdates) are not value sources
    assert ("Landroid/location/LocationManager;", "requestLocationUpdates") not in spec.methods


def test_password_input_types() -> None:
    assert is_password_input(0x81)  # textPassword
    assert is_password_input(0x91)  # textVisiblePassword
    assert is_password_input(0xE1)  # textWebPassword
    assert is_password_input(0x12)  # numberPassword
    assert not is_password_input(0x1)  # text
    assert not is_password_input(0x61)  # textPersonName
    assert not is_password_input(0x2)  # number
