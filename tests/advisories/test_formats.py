"""Every exported document validates against the official schemas (and CSAF's mandatory
tests); what goes in comes out in each format."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from mobsec.advisories import (
    AdvisoryError,
    Assignment,
    Cna,
    NoEcosystem,
    Publisher,
    cna_container,
    cve_record,
    to_csaf,
    to_osv,
)
from mobsec.advisories.provider import Entry, changes_csv, index_txt, provider_metadata
from tests.advisories.samples import ALL, APP, MINIMAL, SDK, T0, T1
from tests.advisories.schemas import (
    cna_container_errors,
    csaf_errors,
    csaf_mandatory_failures,
    cve_record_errors,
    osv_errors,
    provider_metadata_errors,
)

PUBLISHER = Publisher(
    name="mobsec vulnerability platform",
    namespace="https://mobsec.example",
    contact_details="security@mobsec.example",
)
CNA = Cna(org_id="8254265b-2729-46b6-b9e3-3dfca2d5bfca", short_name="mobsec")


@pytest.mark.parametrize("advisory", ALL, ids=lambda a: a.id)
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_csaf_validates_against_the_schema(advisory, lang):
    doc = to_csaf(advisory, PUBLISHER, lang)
    assert csaf_errors(doc) == []
    assert doc["document"]["category"] == "csaf_security_advisory"
    assert doc["document"]["lang"] == lang
    assert doc["document"]["title"] == advisory.title.pick(lang)


def test_csaf_passes_the_mandatory_tests(tmp_path: Path):
    docs = [to_csaf(a, PUBLISHER, lang) for a in ALL for lang in ("en", "zh-CN")]
    failures = csaf_mandatory_failures(docs, tmp_path)
    assert failures == [[] for _ in docs]


def test_csaf_mandatory_tests_catch_a_broken_document(tmp_path: Path):
    """The validator really runs: a wrong score and a dangling product id are refused."""
    doc = to_csaf(APP, PUBLISHER)
    doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 1.0
    doc["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-9999")
    (failed,) = csaf_mandatory_failures([doc], tmp_path)
    names = {f["name"] for f in failed}
    assert {"mandatoryTest_6_1_1", "mandatoryTest_6_1_9"} <= names


def test_csaf_content():
    doc = to_csaf(APP, PUBLISHER)
    tracking = doc["document"]["tracking"]
    assert tracking["id"] == "MOBSEC-2026-0001"
    assert tracking["version"] == "2"
    assert [r["number"] for r in tracking["revision_history"]] == ["1", "2"]
    assert tracking["initial_release_date"] == "2026-03-01T08:30:00Z"
    assert tracking["current_release_date"] == "2026-04-02T09:00:00Z"
    (vuln,) = doc["vulnerabilities"]
    assert vuln["cve"] == "CVE-2026-12345"
    assert vuln["cwe"] == {
        "id": "CWE-926",
        "name": "Improper Export of Android Application Components",
    }
    assert vuln["scores"][0]["cvss_v3"]["vectorString"] == APP.cvss_v31
    assert "cvss_v4" not in str(doc)  # CSAF 2.0 has no CVSS v4
    status = vuln["product_status"]
    assert len(status["known_affected"]) == 2 and len(status["fixed"]) == 1
    assert {r["category"] for r in vuln["remediations"]} == {"vendor_fix", "mitigation"}
    assert vuln["acknowledgments"][0]["names"] == ["Li Lei"]
    zh = to_csaf(APP, PUBLISHER, "zh-CN")
    assert zh["document"]["source_lang"] == "en"
    assert zh["vulnerabilities"][0]["notes"][0]["text"] == APP.description.zh


def test_csaf_purls_only_for_packages():
    doc = to_csaf(SDK, PUBLISHER)
    text = str(doc)
    assert "pkg:maven/com.example.push/push-sdk@2.5.0" in text
    assert "pkg:npm/%40example/push-rn@1.3.1" in text
    assert "purl" not in str(to_csaf(APP, PUBLISHER))


@pytest.mark.parametrize("advisory", [SDK, ALL[3]], ids=lambda a: a.id)
def test_osv_validates_against_the_schema(advisory):
    doc = to_osv(advisory)
    assert osv_errors(doc) == []
    assert doc["id"] == f"x_{advisory.id}"
    assert [a["package"]["purl"] for a in doc["affected"]] == [
        "pkg:maven/com.example.push/push-sdk",
        "pkg:npm/%40example/push-rn",
    ]
    assert doc["affected"][1]["ranges"][0]["events"] == [
        {"introduced": "1.0.0"},
        {"fixed": "1.3.2"},
    ]
    assert {s["type"] for s in doc["severity"]} == {"CVSS_V3", "CVSS_V4"}


def test_osv_only_where_an_ecosystem_exists():
    for advisory in (APP, MINIMAL):
        with pytest.raises(NoEcosystem):
            to_osv(advisory)


@pytest.mark.parametrize("advisory", ALL, ids=lambda a: a.id)
def test_cve_cna_container_and_record_validate(advisory):
    container = cna_container(advisory, CNA)
    assert cna_container_errors(container) == []
    record = cve_record(advisory, CNA, Assignment("CVE-2026-99999", T0))
    assert cve_record_errors(record) == []
    assert record["cveMetadata"]["cveId"] == "CVE-2026-99999"
    langs = {d["lang"] for d in container["descriptions"]}
    assert langs == {"en", "zh"}


def test_cve_carries_both_cvss_versions():
    (metric,) = cna_container(APP, CNA)["metrics"]
    assert metric["cvssV3_1"]["vectorString"] == APP.cvss_v31
    assert metric["cvssV4_0"]["vectorString"] == APP.cvss_v40
    assert metric["cvssV4_0"]["baseSeverity"] in {"LOW", "MEDIUM", "HIGH", "CRITICAL"}


def test_schemas_refuse_a_broken_cve_record():
    """The validation is real: a container without an affected product is refused."""
    container = cna_container(APP, CNA)
    del container["affected"]
    assert cna_container_errors(container)
    record = cve_record(APP, CNA, Assignment("CVE-2026-99999"))
    record["cveMetadata"]["assignerOrgId"] = "not-a-uuid"
    assert cve_record_errors(record)


def test_provider_metadata_and_directory_files():
    meta = provider_metadata(PUBLISHER, "https://mobsec.example/", T1)
    assert provider_metadata_errors(meta) == []
    assert meta["canonical_url"] == "https://mobsec.example/.well-known/csaf/provider-metadata.json"
    entries = [Entry(APP.id, T0, T1), Entry(SDK.id, T0, T0)]
    assert index_txt(entries) == "2026/mobsec-2026-0001.json\n2026/mobsec-2026-0002.json\n"
    assert changes_csv(entries).splitlines() == [
        '"2026/mobsec-2026-0001.json","2026-04-02T09:00:00Z"',
        '"2026/mobsec-2026-0002.json","2026-03-01T08:30:00Z"',
    ]


def test_no_output_has_room_for_exploit_details():
    """The model has no field for reproduction steps or PoC files, so no format can show them."""
    fields = set(APP.__dataclass_fields__)
    assert not fields & {"reproduction", "steps", "poc", "exploit", "attachments"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"solution": None, "mitigation": None}, "solution/mitigation"),
        ({"cvss_v31": "CVSS:3.1/AV:X/AC:L"}, "cvss_v31"),
        ({"cvss_v40": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, "cvss_v40"),
        ({"cwe": ("79",)}, "cwe"),
        ({"cve_id": "CVE-26-1"}, "cve_id"),
        ({"revisions": ()}, "revisions"),
        ({"products": ()}, "products"),
    ],
)
def test_incomplete_advisories_are_refused_with_the_field_named(change, problem):
    broken = replace(APP, **change)
    for export in (lambda a: to_csaf(a, PUBLISHER), lambda a: cna_container(a, CNA)):
        with pytest.raises(AdvisoryError) as e:
            export(broken)
        assert any(p.startswith(problem) for p in e.value.problems), e.value.problems


def test_range_words_are_not_versions():
    product = replace(APP.products[0], versions=("all versions",), fixed="< 4.2.1")
    with pytest.raises(AdvisoryError) as e:
        to_csaf(replace(APP, products=(product,)), PUBLISHER)
    assert len([p for p in e.value.problems if "single version" in p]) == 2


def test_naive_dates_are_refused():
    naive = replace(APP, revisions=(APP.revisions[0].__class__(1, datetime(2026, 1, 1), "x"),))
    with pytest.raises(AdvisoryError, match="time zone"):
        to_csaf(naive, PUBLISHER)
