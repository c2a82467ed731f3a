"""The offline advisory table: every entry well formed and consistent, and lookups by
Maven version order (the ranges as the advisories state them)."""

from __future__ import annotations

import copy
import json
import re

import pytest

from mobsec.facts.inventory.advisories import (
    TABLE,
    AdvisoryTableError,
    advisories_for,
    load_advisories,
    parse_table,
)

DOC = json.loads(TABLE.read_text(encoding="utf-8"))


def test_every_entry_parses_and_is_consistent() -> None:
    table = load_advisories()
    entries = [a for advs in table.values() for a in advs]
    assert len(entries) == len(DOC["advisories"])
    for a in entries:
        assert re.fullmatch(r"GHSA(-[2-9cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d{4,}", a.id)
        assert a.summary_en.strip() and a.summary_zh.strip()
        assert re.search(r"[\u4e00-\u9fff]", a.summary_zh), a.id  # really zh-CN
        assert a.reference.startswith("https://")
        # the fixed version is not affected, and a version below every range is not either
        if a.fixed:
            assert a.id not in {x.id for x in advisories_for(a.package, a.fixed)}
        for r in a.ranges:
            assert r.introduced in r


@pytest.mark.parametrize(
    ("package", "version", "ids"),
    [
        # GHSA-4hc2-jh7r-wrc3 / CVE-2016-2402: OkHttp before 2.7.4 and 3.x before 3.1.2
        ("com.squareup.okhttp:okhttp", "2.7.3", {"GHSA-4hc2-jh7r-wrc3"}),
        ("com.squareup.okhttp:okhttp", "2.7.4", set()),
        ("com.squareup.okhttp3:okhttp", "3.1.1", {"GHSA-4hc2-jh7r-wrc3", "CVE-2023-0833"}),
        # CVE-2023-0833: through 4.9.1, 4.10.0-RC1, 5.0.0-alpha.1 through alpha.2
        ("com.squareup.okhttp3:okhttp", "3.1.2", {"CVE-2023-0833"}),
        ("com.squareup.okhttp3:okhttp", "4.9.1", {"CVE-2023-0833"}),
        ("com.squareup.okhttp3:okhttp", "4.9.2", set()),
        ("com.squareup.okhttp3:okhttp", "4.10.0-RC1", {"CVE-2023-0833"}),
        ("com.squareup.okhttp3:okhttp", "4.10.0", set()),
        ("com.squareup.okhttp3:okhttp", "5.0.0-alpha.2", {"CVE-2023-0833"}),
        ("com.squareup.okhttp3:okhttp", "5.0.0-alpha.3", set()),
        # unknown or implausible versions match nothing
        ("com.squareup.okhttp3:okhttp", None, set()),
        ("com.squareup.okhttp3:okhttp", "3.8.0<script>", set()),
        ("com.squareup.okhttp3:okhttp", "3" * 5000, set()),
    ],
)
def test_lookup(package: str, version: str | None, ids: set[str]) -> None:
    assert {a.id for a in advisories_for(package, version)} == ids


def _broken(**change: object) -> dict:
    doc = copy.deepcopy(DOC)
    doc["advisories"][0].update(change)
    return doc


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"id": "CVE-16-2402"}, "not a GHSA or CVE id"),
        ({"aliases": ["cve-2016-2402"]}, "alias"),
        ({"package": "okhttp"}, "group:artifact"),
        ({"affected": [{"introduced": "3.0", "fixed": "2.0"}]}, "ends before it starts"),
        ({"affected": [{"introduced": "0"}]}, "introduced + fixed or last_affected"),
        ({"affected": [{"introduced": "0", "fixed": "x.y"}]}, "is not a version"),
        ({"affected": [], "versions": []}, "no affected range"),
        ({"fixed": "2.7.0"}, "inside a range"),
        ({"severity": "moderate"}, "severity"),
        (
            {"cvss": {"score": 7.5, "vector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N"}},
            "scores 5.9",
        ),
        ({"cvss": {"score": 5.9, "vector": "CVSS:3.1/AV:X"}}, "CVSS"),
        ({"summary": {"en": "x", "zh-CN": " "}}, "zh-CN"),
        ({"reference": "javascript:alert(1)"}, "https URL"),
    ],
)
def test_malformed_entries_fail_loudly(change: dict, problem: str) -> None:
    with pytest.raises(AdvisoryTableError, match=re.escape(problem)):
        parse_table(_broken(**change))


def test_duplicate_entry_is_refused() -> None:
    doc = copy.deepcopy(DOC)
    doc["advisories"].append(copy.deepcopy(doc["advisories"][0]))
    with pytest.raises(AdvisoryTableError, match="listed twice"):
        parse_table(doc)
