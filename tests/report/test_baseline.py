"""Baselines and suppressions: marking, expiry, matching, and hostile files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import InputError
from mobsec.report.baseline import (
    Baseline,
    apply_triage,
    baseline_document,
    load_suppressions,
)
from mobsec.report.schema import validate_report
from tests.report.findings_doc import report_doc

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def doc(fixture_apk: Callable[[str], Path]) -> dict[str, Any]:
    return report_doc(fixture_apk("manifest-rich"))


def _copy(doc: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(doc))


def _by_check(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["check_id"]: f for f in doc["findings"]}


def test_baseline_matches_a_finding_by_its_former_fingerprint(
    doc: dict[str, Any], tmp_path: Path
) -> None:
    """A finding that was merged or moved keeps its old fingerprint as an alias."""
    old = _copy(doc)
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(baseline_document(old)), encoding="utf-8")
    new = _copy(doc)
    moved = new["findings"][0]
    former = moved["fingerprint"]
    moved["fingerprint"] = "0" * 32  # as if its fingerprint parts changed
    triaged = apply_triage(_copy(new), Baseline.load(path), None, TODAY)
    assert triaged["findings"][0]["status"] == "new"
    moved["fingerprint_aliases"] = [former]
    triaged = apply_triage(new, Baseline.load(path), None, TODAY)
    validate_report(triaged)
    assert triaged["findings"][0]["status"] == "unchanged"


def test_baseline_round_trip_marks_new_and_unchanged(doc: dict[str, Any], tmp_path: Path) -> None:
    old = _copy(doc)
    old["findings"] = [f for f in old["findings"] if f["check_id"] != "android.crypto.ecb_mode"]
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(baseline_document(old)), encoding="utf-8")
    base = Baseline.load(path)
    assert len(base.fingerprints) == len(old["findings"])
    new = apply_triage(_copy(doc), base, None, TODAY)
    validate_report(new)
    status = {f["check_id"]: f["status"] for f in new["findings"]}
    assert status.pop("android.crypto.ecb_mode") == "new"
    assert set(status.values()) == {"unchanged"}
    assert new["triage"]["baseline"] == {
        "source": "baseline.json",
        "created_at": old["scan"]["finished_at"],
        "package": "com.example.manifestrich",
        "new": 1,
        "unchanged": len(doc["findings"]) - 1,
    }


def test_suppressions_by_fingerprint_and_rule_with_expiry(
    doc: dict[str, Any], tmp_path: Path
) -> None:
    fp = _by_check(doc)["android.network.trust_all"]["fingerprint"]
    path = tmp_path / "suppress.toml"
    path.write_text(
        f"""
# reviewed 2026-05
[[suppress]]
fingerprint = "{fp}"
reason = "SDK pinned elsewhere"
expires = 2026-12-31

[[suppress]]
rule = "android.crypto.*"
class = "com.example.basic.*"
method = "encrypt(*"
reason = "legacy format, migration ticket SEC-12"

[[suppress]]
rule = "android.secrets.api_key"
reason = "public key"
expires = "2026-01-01"

[[suppress]]
rule = "android.crypto.ecb_mode"
file = "classes9.dex"
reason = "matches nothing"
""",
        encoding="utf-8",
    )
    sups = load_suppressions(path)
    out = apply_triage(_copy(doc), None, sups, TODAY)
    validate_report(out)
    f = _by_check(out)
    assert f["android.network.trust_all"]["suppression"] == {
        "reason": "SDK pinned elsewhere",
        "expires": "2026-12-31",
        "matched_by": "fingerprint",
    }
    assert f["android.crypto.ecb_mode"]["suppression"]["matched_by"] == "rule"
    # expired: no longer suppresses, and is reported
    assert f["android.secrets.api_key"]["suppression"] is None
    (expired,) = out["triage"]["expired_suppressions"]
    assert expired["rule"] == "android.secrets.api_key" and expired["expires"] == "2026-01-01"
    (unused,) = out["triage"]["unused_suppressions"]
    assert unused["file"] == "classes9.dex"
    assert out["triage"]["suppressed"] == 2
    assert all(x["status"] is None for x in out["findings"])  # no baseline given
    # The same file a year later: the fingerprint entry has expired too.
    later = apply_triage(_copy(doc), None, sups, dt.date(2027, 1, 1))
    assert _by_check(later)["android.network.trust_all"]["suppression"] is None
    assert len(later["triage"]["expired_suppressions"]) == 2


def test_json_suppressions(doc: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"suppress": [{"rule": "android.manifest.debuggable", "reason": "debug build"}]})
    )
    out = apply_triage(_copy(doc), None, load_suppressions(path), TODAY)
    assert _by_check(out)["android.manifest.debuggable"]["suppression"]["reason"] == "debug build"


@pytest.mark.parametrize(
    ("content", "suffix", "code"),
    [
        ('[[suppress]]\nrule = "x"\n', ".toml", "triage.invalid"),  # no reason
        ('[[suppress]]\nreason = "r"\n', ".toml", "triage.invalid"),  # neither fingerprint nor rule
        ('[[suppress]]\nfingerprint = "a"\nrule = "x"\nreason = "r"\n', ".toml", "triage.invalid"),
        ('[[suppress]]\nfingerprint = "a"\nfile = "x"\nreason = "r"\n', ".toml", "triage.invalid"),
        ('[[suppress]]\nrule = "x"\nreason = "r"\nexpires = "soon"\n', ".toml", "triage.invalid"),
        ('[[suppress]]\nrule = "x"\nreason = "r"\ncolour = "red"\n', ".toml", "triage.invalid"),
        ('[[suppress]]\nrule = 3\nreason = "r"\n', ".toml", "triage.invalid"),
        ("suppress = [[[", ".toml", "triage.not_toml"),
        ("[1, 2]", ".json", "triage.not_object"),
        ("{", ".json", "triage.not_json"),
        ('{"suppress": {"a": 1}}', ".json", "triage.invalid"),
    ],
)
def test_bad_suppressions_are_input_errors(
    tmp_path: Path, content: str, suffix: str, code: str
) -> None:
    path = tmp_path / f"s{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_suppressions(path)
    d = e.value.diagnostic
    assert d.code == code and d.file == str(path) and d.en and d.zh


def test_bad_baselines_are_input_errors(tmp_path: Path) -> None:
    cases = {
        "missing.json": None,
        "report.json": json.dumps({"findings": []}),  # a report, not a baseline
        "nofp.json": json.dumps({"mobsec_baseline": 1, "findings": [{"check_id": "x"}]}),
        "binary.json": b"\xff\xfe\x00garbage",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content)
        elif content is not None:
            path.write_bytes(content)
        with pytest.raises(InputError) as e:
            Baseline.load(path)
        assert e.value.diagnostic.code.startswith("triage."), name


@settings(
    max_examples=300, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode), toml=st.booleans())
def test_fuzz_suppression_and_baseline_readers(tmp_path: Path, data: bytes, toml: bool) -> None:
    """Any bytes: a clean result or an InputError, nothing else."""
    path = tmp_path / ("f.toml" if toml else "f.json")
    path.write_bytes(data)
    try:
        sups = load_suppressions(path)
        apply_triage({"findings": []}, None, sups, TODAY)
    except InputError as e:
        assert e.diagnostic.code.startswith("triage.")
    try:
        Baseline.load(path)
    except InputError as e:
        assert e.diagnostic.code.startswith("triage.")


@settings(
    max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["reason", "fingerprint", "rule", "file", "class", "method", "expires", "x"]
            ),
            st.one_of(st.text(max_size=12), st.integers(), st.none(), st.dates().map(str)),
            max_size=5,
        ),
        max_size=5,
    )
)
def test_fuzz_structured_suppressions(tmp_path: Path, entries: list[dict[str, Any]]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"suppress": entries}))
    doc = {"findings": [{"check_id": "a.b.c", "fingerprint": "f" * 32, "location": {"file": "x"}}]}
    try:
        apply_triage(doc, None, load_suppressions(path), TODAY)
    except InputError as e:
        assert e.diagnostic.code == "triage.invalid"
