"""CVSS scores are the ``cvss`` library's, in every format that carries them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cvss import CVSS3, CVSS4

from mobsec.advisories import Publisher, cna_container, score_v31, score_v40, to_csaf, to_osv
from mobsec.advisories.cve import Cna
from tests.advisories.samples import SDK

# (vector, score printed beside it in an official document, or None): the official CSAF and
# CVE examples in ../shared/schemas, and further vectors covering each metric value, which
# are compared with the library alone.
V31 = [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),  # cve/full-record-advanced-example
    ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C", 6.1),  # csaf/example-bsi
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", 7.3),  # cve example
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", None),
    ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", None),
    ("CVSS:3.1/AV:A/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H", None),
    ("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:N", None),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", None),
]
V40 = [
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:L", 7.8),  # cve example
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None),
    ("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", None),
    ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", None),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", None),
    ("CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N", None),
]


@pytest.mark.parametrize(
    ("ours", "library", "vector", "published"),
    [(score_v31, CVSS3, v, p) for v, p in V31] + [(score_v40, CVSS4, v, p) for v, p in V40],
)
def test_scores_are_the_librarys(ours, library, vector, published):
    score = ours(vector)
    theirs = library(vector)
    assert score.base_score == float(theirs.base_score)
    assert published is None or score.base_score == published
    severity = theirs.severities()[0] if library is CVSS3 else theirs.severity
    assert score.severity == str(severity).upper()


@pytest.mark.parametrize(
    ("v31", "v40"), list(zip([v for v, _ in V31], [v for v, _ in V40] * 2, strict=False))
)
def test_documents_carry_the_librarys_scores(v31, v40):
    advisory = replace(SDK, cvss_v31=v31, cvss_v40=v40)
    publisher = Publisher("p", "https://p.example")
    csaf = to_csaf(advisory, publisher)["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    assert csaf["baseScore"] == float(CVSS3(v31).base_score)
    (metric,) = cna_container(advisory, Cna("8254265b-2729-46b6-b9e3-3dfca2d5bfca"))["metrics"]
    assert metric["cvssV3_1"]["baseScore"] == float(CVSS3(v31).base_score)
    assert metric["cvssV4_0"]["baseScore"] == float(CVSS4(v40).base_score)
    osv = {s["type"]: s["score"] for s in to_osv(advisory)["severity"]}
    assert osv == {"CVSS_V3": CVSS3(v31).clean_vector(), "CVSS_V4": CVSS4(v40).clean_vector()}


@pytest.mark.parametrize(
    "vector",
    ["", "CVSS:3.1/", "CVSS:3.1/AV:N", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV:N/AC:L/Au:N/C:P/I:P/A:P",
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", "\x00" * 10_000],
)  # fmt: skip
def test_bad_v31_vectors_are_value_errors(vector):
    with pytest.raises(ValueError, match=r"CVSS v3\.1"):
        score_v31(vector)


@pytest.mark.parametrize(
    "vector",
    ["CVSS:4.0/AV:N", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:X/SC:N/SI:N/SA:N",
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None],
)  # fmt: skip
def test_bad_v40_vectors_are_value_errors(vector):
    with pytest.raises(ValueError, match=r"CVSS v4\.0"):
        score_v40(vector)
