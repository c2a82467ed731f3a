"""Advisories from draft to publication through the guarded disclose action; the public
pages, downloads, feed and CSAF distribution; every document valid against ../shared/schemas."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client

from mobsec.platform.core.errors import UserError
from mobsec.platform.disclosure import actions
from mobsec.platform.disclosure.models import Advisory
from mobsec.platform.vulns import actions as vulns_actions
from mobsec.platform.vulns import guards
from mobsec.platform.vulns.machine import State
from tests.advisories.schemas import (
    cna_container_errors,
    csaf_errors,
    csaf_mandatory_failures,
    cve_record_errors,
    provider_metadata_errors,
)

from .conftest import T0, fixed_case, report, to_vendor

BASE = "https://vulns.example"
NOW = T0 + timedelta(days=5)
ATOM = "{http://www.w3.org/2005/Atom}"


def reviewed(desk, vuln, **extra):
    a = actions.draft(vuln, desk.coordinator)
    actions.update(a, desk.coordinator, {
        "affected_versions": "1.0",
        "title_zh": "信任所有证书", "description_zh": "应用信任任何 TLS 证书。",
        "solution_zh": "升级到 1.1 版本。", "mitigation_zh": "在此之前仅使用可信网络。",
        "mitigation_en": "Until then use a trusted network only.",
        "vendor_name": "Example Vendor", "product_name": "Example Versions", **extra,
    })  # fmt: skip
    return actions.review(a, desk.coordinator, BASE, now=NOW)


@pytest.mark.django_db
def test_publish_through_the_guarded_disclose(desk):
    vuln = fixed_case(desk)
    a = reviewed(desk, vuln)
    a = actions.publish(a, desk.coordinator, BASE, now=NOW)
    vuln.refresh_from_db()
    assert vuln.state == State.DISCLOSED
    assert a.advisory_id == f"MOBSEC-{NOW.year}-0001" == vuln.advisory_ref
    assert vuln.transitions.filter(action="disclose", actor=desk.coordinator).exists()
    assert [r.number for r in a.revisions.all()] == [1]


@pytest.mark.django_db
def test_publication_before_a_fix_is_refused_and_nothing_changes(desk):
    vuln, _, _ = report(desk.reporter)
    vuln = to_vendor(desk, vuln)
    vulns_actions.set_mitigation(vuln, desk.coordinator, "Use a trusted network.")
    a = reviewed(desk, vuln, solution_en="", solution_zh="")
    with pytest.raises(guards.GuardError) as e:
        actions.publish(a, desk.coordinator, BASE, now=NOW)
    assert {"no_fix", "no_national_report"} <= {r.code for r in e.value.reasons}
    a.refresh_from_db()
    vuln.refresh_from_db()
    assert (a.status, a.advisory_id, a.revisions.count()) == ("reviewed", None, 0)
    assert vuln.state == State.VENDOR_NOTIFIED


@pytest.mark.django_db
def test_the_freeze_blocks_publication(desk):
    admin = desk.world.user("platform_admin")
    a = reviewed(desk, fixed_case(desk))
    vulns_actions.set_freeze(admin, True, "MPS order 2026-1")
    with pytest.raises(guards.GuardError) as e:
        actions.publish(a, desk.coordinator, BASE, now=NOW)
    assert [r.code for r in e.value.reasons] == ["freeze"]
    vulns_actions.set_freeze(admin, False, "MPS order 2026-1 lifted")
    assert actions.publish(a, desk.coordinator, BASE, now=NOW).advisory_id


@pytest.mark.django_db
def test_reproduction_steps_in_the_text_block_publication(desk):
    vuln = fixed_case(desk)
    a = actions.draft(vuln, desk.coordinator)
    actions.update(a, desk.coordinator, {
        "title_zh": "标题", "description_zh": "描述", "solution_zh": "升级。",
        "mitigation_zh": "缓解。", "mitigation_en": "Mitigate.",
        "impact_en": "Run mitmproxy, open the app, read the traffic.", "impact_zh": "影响",
    })  # fmt: skip
    a = actions.review(a, desk.coordinator, BASE, now=NOW)
    with pytest.raises(guards.GuardError) as e:
        actions.publish(a, desk.coordinator, BASE, now=NOW)
    assert [r.code for r in e.value.reasons] == ["reproduction_public"]
    assert Advisory.objects.get(pk=a.pk).advisory_id is None


@pytest.mark.django_db
def test_verification_notes_in_the_text_block_publication(desk):
    vuln = fixed_case(desk)
    a = reviewed(desk, vuln, description_en="Found: reproduced on 1.0 with the steps.")
    vuln.verification_notes = "reproduced on 1.0 with the steps"
    vuln.save()
    with pytest.raises(guards.GuardError) as e:
        actions.publish(a, desk.coordinator, BASE, now=NOW)
    assert [r.code for r in e.value.reasons] == ["verification_public"]


@pytest.mark.django_db
def test_review_needs_both_languages_and_a_fix_or_mitigation(desk):
    a = actions.draft(fixed_case(desk), desk.coordinator)
    actions.update(a, desk.coordinator, {"title_zh": "", "solution_en": "", "solution_zh": "",
                                         "mitigation_en": "", "mitigation_zh": ""})  # fmt: skip
    with pytest.raises(UserError) as e:
        actions.review(a, desk.coordinator, BASE)
    assert "title" in e.value.en and "solution/mitigation" in e.value.en


@pytest.mark.django_db
def test_only_coordinators_publish(desk):
    a = reviewed(desk, fixed_case(desk))
    for name in ("verifier", "reporter", "platform_admin", "vendor"):
        with pytest.raises(UserError) as e:
            actions.publish(a, desk.user(name), BASE, now=NOW)
        assert e.value.status in (403, 404)


@pytest.mark.django_db
def test_prefix_is_configurable_and_numbers_count_per_year(desk, settings):
    settings.MOBSEC_ADVISORY_PREFIX = "ACME"
    first = actions.publish(reviewed(desk, fixed_case(desk)), desk.coordinator, BASE, now=NOW)
    second_case = fixed_case(desk, title="Second", cwe="CWE-312", location="B.java")
    second = actions.publish(reviewed(desk, second_case), desk.coordinator, BASE, now=NOW)
    assert (first.advisory_id, second.advisory_id) == (f"ACME-{NOW.year}-0001",
                                                       f"ACME-{NOW.year}-0002")  # fmt: skip


@pytest.mark.django_db
def test_public_outputs_validate_and_carry_no_poc(desk, tmp_path):
    vuln = fixed_case(desk)
    a = actions.publish(reviewed(desk, vuln), desk.coordinator, BASE, now=NOW)
    a = actions.revise(a, desk.coordinator, {"cve_id": "CVE-2026-4242"}, "CVE id added", BASE,
                       now=NOW + timedelta(days=1))  # fmt: skip
    anon = Client()
    page = anon.get(f"/advisories/{a.advisory_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "在此之前仅使用可信网络。" in html  # zh-CN by default
    docs = {}
    for fmt in ("csaf", "csaf-zh", "cve"):
        r = anon.get(f"/advisories/{a.advisory_id}/{fmt}.json")
        assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
        docs[fmt] = json.loads(r.content)
    assert anon.get(f"/advisories/{a.advisory_id}/osv.json").status_code == 404  # an app
    assert csaf_errors(docs["csaf"]) == [] and csaf_errors(docs["csaf-zh"]) == []
    assert cve_record_errors(docs["cve"]) == []
    assert docs["cve"]["cveMetadata"]["cveId"] == "CVE-2026-4242"
    assert docs["csaf"]["document"]["tracking"]["version"] == "2"
    assert csaf_mandatory_failures([docs["csaf"], docs["csaf-zh"]], tmp_path) == [[], []]
    everything = html + json.dumps(docs, ensure_ascii=False)
    assert vuln.reproduction not in everything
    for att in vuln.attachments.all():
        assert att.sha256 not in everything
    meta = anon.get("/.well-known/csaf/provider-metadata.json").json()
    assert provider_metadata_errors(meta) == []
    index = anon.get("/.well-known/csaf/white/index.txt").content.decode()
    assert index == f"{NOW.year}/mobsec-{NOW.year}-0001.json\n"
    assert anon.get(f"/.well-known/csaf/white/{index.strip()}").json() == docs["csaf"]
    changes = anon.get("/.well-known/csaf/white/changes.csv").content.decode()
    assert changes.startswith(f'"{index.strip()}",')


@pytest.mark.django_db
def test_cna_container_before_a_cve_id(desk):
    a = actions.publish(reviewed(desk, fixed_case(desk)), desk.coordinator, BASE, now=NOW)
    doc = Client().get(f"/advisories/{a.advisory_id}/cve.json").json()
    assert "cveMetadata" not in doc
    assert cna_container_errors(doc) == []


@pytest.mark.django_db
def test_sdk_advisory_has_osv(desk):
    from tests.advisories.schemas import osv_errors

    a = reviewed(desk, fixed_case(desk))
    actions.update(a, desk.coordinator, {"ecosystem": "Maven", "package": "com.example:push"})
    a = actions.review(a, desk.coordinator, BASE, now=NOW)
    a = actions.publish(a, desk.coordinator, BASE, now=NOW)
    doc = Client().get(f"/advisories/{a.advisory_id}/osv.json").json()
    assert osv_errors(doc) == []
    assert doc["affected"][0]["package"]["purl"] == "pkg:maven/com.example/push"


@pytest.mark.django_db
def test_feed_lists_the_advisory_with_its_formats(desk):
    a = actions.publish(reviewed(desk, fixed_case(desk)), desk.coordinator, BASE, now=NOW)
    r = Client().get("/advisories/feed.atom")
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    (entry,) = root.findall(f"{ATOM}entry")
    assert a.advisory_id in entry.find(f"{ATOM}title").text
    enclosures = [
        e.get("href") for e in entry.findall(f"{ATOM}link") if e.get("rel") == "enclosure"
    ]
    assert [u.rsplit("/", 1)[1] for u in enclosures] == ["csaf.json", "csaf-zh.json", "cve.json"]


@pytest.mark.django_db
def test_unpublished_advisories_are_not_public(desk):
    a = reviewed(desk, fixed_case(desk))
    anon = Client()
    assert anon.get("/advisories/").status_code == 200
    assert "Example Versions" not in anon.get("/advisories/").content.decode()
    assert anon.get("/.well-known/csaf/white/index.txt").content == b""
    assert a.vulnerability.title not in anon.get("/advisories/feed.atom").content.decode()
    assert anon.get("/advisories/MOBSEC-2026-0001/csaf.json").status_code == 404


@pytest.mark.django_db
def test_page_escapes_hostile_text(desk):
    a = reviewed(desk, fixed_case(desk))
    actions.update(a, desk.coordinator, {"title_en": "<script>alert(1)</script>",
                                         "description_en": "<img src=x onerror=alert(2)>"})  # fmt: skip
    a = actions.review(a, desk.coordinator, BASE, now=NOW)
    a = actions.publish(a, desk.coordinator, BASE, now=NOW)
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/advisories/{a.advisory_id}/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
