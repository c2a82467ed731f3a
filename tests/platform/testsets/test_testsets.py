"""Product evaluation on the platform: a labelled test set, another product's mapping table
and SARIF results imported through the pages, mobsec scored from the platform's own scans,
both in one comparison table."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mobsec.certification import scoring
from mobsec.platform.testsets import actions
from mobsec.platform.testsets.models import Product, ResultSet, TestSet
from mobsec.report.render import render
from tests.certification.test_scoring import MAPPING, SARIF, TEST_SET
from tests.platform.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _file(name, doc) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, doc if isinstance(doc, bytes) else json.dumps(doc).encode())


@pytest.fixture
def tester(world, client):
    client.login(username="tester", password=PASSWORD)
    return client


def test_sarif_import_scored_in_the_comparison(world, tester):
    org = world.orgs["a"].public_id
    r = tester.post("/testsets/", {"organisation": org, "file": _file("set.json", TEST_SET)})
    ts = TestSet.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/testsets/{ts.public_id}/")
    r = tester.post("/testsets/products/", {"organisation": org, "name": "AcmeScan",
                                           "file": _file("acme.json", MAPPING)})  # fmt: skip
    product = Product.objects.get(name="AcmeScan")
    assert product.mapping["ACME.EXP"] == ["exported-activity", "exported-service"]
    r = tester.post(f"/testsets/{ts.public_id}/import/",
                    {"product": product.public_id, "version": "", "file": _file("a.sarif", SARIF)})  # fmt: skip
    rs = ResultSet.objects.get()
    assert rs.product_version == "3.1" and rs.file_format == "sarif"  # version from the SARIF
    page = tester.get(
        f"/testsets/results/{rs.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert ">0.500<" in page and ">0.400<" in page  # recall, precision (hand-computed)
    assert "ACME.STYLE" in page and "zzz.apk" in page  # unmapped and outside, listed
    table = tester.get(f"/testsets/{ts.public_id}/").content.decode()
    assert "0.500 (2/4)" in table and "0.400 (2/5)" in table


def test_bad_uploads_name_file_and_problem(world, tester):
    org = world.orgs["a"].public_id
    r = tester.post("/testsets/", {"organisation": org, "file": _file("bad.json", b"{")},
                    HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert r.status_code == 400 and "bad.json: not valid JSON" in r.content.decode()
    r = tester.post("/testsets/products/", {"organisation": org, "name": "X",
                    "file": _file("m.json", {"R": 1})}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert r.status_code == 400 and "m.json: rule &#x27;R&#x27;" in r.content.decode()
    ts = actions.add_testset(world.user("tester"), world.orgs["a"], _file("s.json", TEST_SET))
    product = actions.save_product(
        world.user("tester"), world.orgs["a"], "P", _file("m.json", MAPPING)
    )
    r = tester.post(f"/testsets/{ts.public_id}/import/",
                    {"product": product.public_id, "file": _file("r.sarif", b'{"runs": [{"results": [{}]}]}')},
                    HTTP_ACCEPT_LANGUAGE="en", follow=True)  # fmt: skip
    assert "r.sarif: runs[0].results[0] has no ruleId" in r.content.decode()
    assert not ResultSet.objects.exists()
    # another organisation sees none of it
    other = tester.__class__()
    other.login(username="other_org", password=PASSWORD)
    assert other.get(f"/testsets/{ts.public_id}/").status_code == 404


def test_mobsec_scored_from_platform_scans(world, ingest, scanned):
    tester = world.user("tester")
    _apk, doc = scanned("diff-v1")
    scan = ingest(world.orgs["a"], tester, "diff-v1")
    debuggable = [f for f in doc["findings"] if f["check_id"] == "android.manifest.debuggable"]
    assert debuggable  # the fixture is debuggable: the expected weakness mobsec finds
    test_set = {"name": "fixtures", "packages": [
        {"name": "diff-v1.apk", "sha256": scan.package.sha256,
         "weaknesses": ["debuggable", "sql-injection"]},
        {"name": "never-scanned.apk", "sha256": "f" * 64, "weaknesses": ["debuggable"]}]}  # fmt: skip
    ts = actions.add_testset(tester, world.orgs["a"], _file("t.json", test_set))
    rs = actions.score_mobsec(tester, ts)
    assert rs.product.name == "mobsec" and rs.product.builtin
    assert rs.file_name == "1/2 packages scanned"
    score = actions.score(rs)
    per = {c.weakness: c for c in score.per_class}
    assert per["debuggable"].expected == 2 and per["debuggable"].found == 1
    missed = {(m.package, m.weakness) for m in score.missed}
    assert ("never-scanned.apk", "debuggable") in missed
    # every finding is a result; each is scored or listed as unmapped, none dropped
    assert len(rs.results) == len(doc["findings"])
    mapping = actions.mobsec_mapping()
    scored = [r for r in rs.results if scoring.classes_for(r["rule"], mapping)]
    assert len(scored) + len(score.unmapped) == len(rs.results) and not score.outside
    # the same findings as mobsec's own SARIF, imported like another product's: same recall
    sarif = render(doc, "sarif", "en")
    mapping_file = files("mobsec.certification").joinpath("data").joinpath("mobsec_mapping.json")
    other = actions.save_product(tester, world.orgs["a"], "mobsec (SARIF)",
                                 _file("m.json", mapping_file.read_bytes()))  # fmt: skip
    imported = actions.import_results(tester, ts, other, "", _file("r.sarif", sarif))
    assert imported.product_version  # the SARIF names mobsec's version
    s2 = actions.score(imported)
    assert not s2.outside  # the package found by mobsec's run properties (file name, hash)
    assert (s2.overall.expected, s2.overall.found) == (score.overall.expected, score.overall.found)
    table = actions.comparison(ts)
    assert [r["rs"].product.name for r in table["rows"]] == ["mobsec", "mobsec (SARIF)"]
