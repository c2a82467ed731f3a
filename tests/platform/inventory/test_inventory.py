"""The stored inventory and the affected-scope query: SDK below a version, API called,
native library loaded, host talked to; latest version or any; within each user's reach;
hostile parameters and package strings."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from django.test import Client

import mobsec
from mobsec.platform.inventory import actions
from mobsec.platform.inventory.models import LibraryRow, VersionInventory
from mobsec.platform.inventory.versions import sort_key
from mobsec.platform.scans import actions as scan_actions
from mobsec.platform.scans.signals import scan_stored
from tests.platform.conftest import PASSWORD, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dvba_doc(corpus_apks: Path) -> tuple[Path, dict]:
    apk = corpus_apks / "vulnapps" / "dvba.apk"
    return apk, mobsec.scan(apk, mobsec.ScanOptions(threads=1)).to_json()


def store(org, user, apk: Path, doc: dict):
    scan = scan_actions.create_scan(org, user, upload_file(apk))
    scan = scan_actions.store_report(scan, doc)
    scan_stored.send(sender=type(scan), scan=scan)  # as the scan job does
    return scan


def ask(user, **params) -> dict:
    q = actions.Query.from_params(params)
    return actions.result_rows(user, q)


def test_sdk_below_a_version_with_evidence(world, dvba_doc) -> None:
    apk, doc = dvba_doc
    tester = world.user("tester")
    scan = store(world.orgs["a"], tester, apk, doc)
    with zipfile.ZipFile(apk) as z:
        core = z.read("META-INF/androidx.core_core.version").decode().strip()
    inv = VersionInventory.objects.get(version=scan.version)
    assert inv.latest and LibraryRow.objects.filter(inventory=inv, key="androidx-core").exists()
    for key in ("androidx-core", "androidx.core:core"):
        hit = ask(tester, kind="sdk", value=key, below="999")
        assert hit["count"] == 1
        assert any(core in e for e in hit["results"][0]["evidence"])
        assert ask(tester, kind="sdk", value=key, below=core)["count"] == 0  # strictly below
        assert ask(tester, kind="sdk", value=key)["count"] == 1  # any version
    assert ask(tester, kind="sdk", value="no-such-sdk")["count"] == 0


def test_api_native_library_and_host(world, dvba_doc) -> None:
    apk, doc = dvba_doc
    tester = world.user("tester")
    store(world.orgs["a"], tester, apk, doc)
    cls, methods = next(iter(doc["inventory"]["apis"].items()))
    assert ask(tester, kind="api", value=f"{cls}.{methods[0]}")["count"] == 1
    assert ask(tester, kind="api", value="android.example.Nothing.never")["count"] == 0
    with zipfile.ZipFile(apk) as z:
        so = next(n for n in z.namelist() if n.endswith(".so"))
        digest = hashlib.sha256(z.read(so)).hexdigest()
    for value in (so.rsplit("/", 1)[-1], digest):
        hit = ask(tester, kind="library", value=value)
        assert hit["count"] == 1 and any(digest in e for e in hit["results"][0]["evidence"])
    host = doc["inventory"]["hosts"][0]["host"]
    parent = ".".join(host.split(".")[-2:])
    assert ask(tester, kind="host", value=parent.upper())["count"] == 1  # a parent domain
    assert ask(tester, kind="host", value="evil.example")["count"] == 0


def test_latest_or_any_version(world, ingest, scanned) -> None:
    tester = world.user("tester")
    s1 = ingest(world.orgs["a"], tester, "diff-v1")
    actions.record_scan(scan=s1)
    s2 = ingest(world.orgs["a"], tester, "rotated")  # the same app, a later build
    actions.record_scan(scan=s2)
    assert s1.version.app_id == s2.version.app_id
    assert not VersionInventory.objects.get(version=s1.version).latest
    assert VersionInventory.objects.get(version=s2.version).latest
    assert LibraryRow.objects.filter(inventory__version=s1.version, latest=True).count() == 0
    apis = [
        {f"{c}.{m}" for c, ms in scanned(n)[1]["inventory"]["apis"].items() for m in ms}
        for n in ("diff-v1", "rotated")
    ]
    both = sorted(apis[0] & apis[1])[0]
    assert ask(tester, kind="api", value=both)["count"] == 1
    hits = ask(tester, kind="api", value=both, scope="any")
    assert hits["count"] == 2
    assert {r["version"] for r in hits["results"]} == {s1.version.public_id, s2.version.public_id}


def test_only_within_reach(world, dvba_doc) -> None:
    apk, doc = dvba_doc
    scan = store(world.orgs["a"], world.user("tester"), apk, doc)
    params = {"kind": "sdk", "value": "androidx-core"}
    assert ask(world.user("other_org"), **params)["count"] == 0
    assert ask(world.user("vendor"), **params)["count"] == 0
    app = scan.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    assert ask(world.user("vendor"), **params)["count"] == 1
    assert ask(world.user("regulator"), **params)["count"] == 1  # a granted it read access


def test_api_page_errors_and_escaping(world, dvba_doc) -> None:
    apk, doc = dvba_doc
    scan = store(world.orgs["a"], world.user("tester"), apk, doc)
    hostile = {**doc["inventory"], "hosts": [{"host": "<script>x</script>.example.com",
                                              "owners": ["app"], "urls": ["<img src=x>"]}]}  # fmt: skip
    inv = VersionInventory.objects.get(version=scan.version)
    inv.document, inv.terms = hostile, actions.terms_of(hostile)
    inv.save()
    c = Client()
    assert c.login(username="tester", password=PASSWORD)
    for bad in ({"kind": "nope", "value": "x"}, {"kind": "sdk", "value": "x" * 1000},
                {"kind": "sdk", "value": ""}, {"kind": "sdk", "value": "x", "scope": "all"},
                {"kind": "host", "value": "a\x00b"}):  # fmt: skip
        r = c.get("/api/v1/inventory/affected/", bad)
        assert r.status_code == 400 and r.json()["code"].startswith(("inventory.", "request.")), bad
        page = c.get("/inventory/affected/", bad)  # the message on the page (NUL: refused)
        assert page.status_code == (400 if "\x00" in bad["value"] else 200)
    r = c.get("/inventory/affected/", {"kind": "host", "value": "example.com"})
    html = r.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert "&lt;img src=x&gt;" in html
    zh = c.get("/inventory/affected/", {"kind": "sdk", "value": "x"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "受影响的应用" in zh.content.decode() and "没有受影响的应用" in zh.content.decode()
    api = c.get("/api/v1/inventory/affected/", {"kind": "host", "value": "EXAMPLE.com"})
    assert api.json()["count"] == 1


def test_version_inventory_and_sbom(world, dvba_doc) -> None:
    apk, doc = dvba_doc
    scan = store(world.orgs["a"], world.user("tester"), apk, doc)
    c = Client()
    assert c.login(username="tester", password=PASSWORD)
    vid = scan.version.public_id
    got = c.get(f"/api/v1/inventory/versions/{vid}/").json()
    assert got["inventory"] == doc["inventory"] and got["latest"]
    r = c.get(f"/api/v1/inventory/versions/{vid}/sbom/")
    assert r.status_code == 200 and r["Content-Type"] == "application/vnd.cyclonedx+json"
    text = r.content.decode()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    assert json.loads(text)["metadata"]["component"]["name"] == doc["app"]["package"]
    c.logout()
    assert c.login(username="other_org", password=PASSWORD)
    assert c.get(f"/api/v1/inventory/versions/{vid}/sbom/").status_code == 404


def test_version_keys_sort_like_versions() -> None:
    ordered = ["1.0", "1.0.1", "1.2", "1.9.9", "1.10.0", "2", "10.0"]
    assert sorted(ordered, key=sort_key) == ordered
    assert len(sort_key("9" * 10_000)) <= 255
