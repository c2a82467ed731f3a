"""Product scoring against hand-computed numbers, from the JSON mapping form and from a
SARIF file written by hand in another tool's style (rule indexes, artifact indexes, logical
locations, one run per package)."""

from __future__ import annotations

import json

import pytest

from mobsec.certification import imports, scoring

TEST_SET = {
    "name": "small",
    "packages": [
        {"name": "a.apk", "sha256": "a" * 64, "weaknesses": [
            "cleartext-traffic",
            {"class": "hardcoded-secret", "location": "com.a.Keys"},
            "exported-activity"]},
        {"name": "b.apk", "sha256": "b" * 64, "weaknesses": ["cleartext-traffic"]},
        {"name": "c.apk", "app_id": "com.c", "weaknesses": []},
    ],
}  # fmt: skip
MAPPING = {
    "_doc": "AcmeScan rule ids -> weakness classes",
    "ACME.NET.CLEAR": "cleartext-traffic",
    "ACME.SEC.": "hardcoded-secret",
    "ACME.EXP": ["exported-activity", "exported-service"],
}
JSON_RESULTS = {
    "tool": "AcmeScan",
    "version": "3.1",
    "results": [
        {"package": "a.apk", "rule": "ACME.NET.CLEAR", "location": "AndroidManifest.xml"},
        {"package": "a.apk", "rule": "ACME.NET.CLEAR", "location": "AndroidManifest.xml"},  # again
        {"package": "a.apk", "rule": "ACME.SEC.KEY", "location": "com.a.Other"},  # wrong class
        {"package": "a.apk", "rule": "ACME.SEC.KEY", "location": "com.a.Keys.getKey"},
        {"package": "com.c", "rule": "ACME.NET.CLEAR"},  # c has no weakness
        {"package": "com.c", "rule": "ACME.EXP"},
        {"package": "a.apk", "rule": "ACME.STYLE"},  # not in the mapping
        {"package": "zzz.apk", "rule": "ACME.NET.CLEAR"},  # not in the set
    ],
}

# The same results as AcmeScan writes SARIF: one run per package, the package as the run's
# first artifact, rules by index, source paths relative to SRCROOT, logical locations.
SARIF = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [
        {
            "tool": {"driver": {"name": "AcmeScan", "semanticVersion": "3.1", "rules": [
                {"id": "ACME.NET.CLEAR"}, {"id": "ACME.SEC.KEY"}, {"id": "ACME.STYLE"}]}},
            "artifacts": [{"location": {"uri": "a.apk"}},
                          {"location": {"uri": "com/a/Keys.java", "uriBaseId": "SRCROOT"}}],
            "results": [
                {"ruleIndex": 0, "message": {"text": "cleartext"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "AndroidManifest.xml"}}}]},
                {"rule": {"index": 0}, "message": {"text": "cleartext again"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "AndroidManifest.xml"}}}]},
                {"ruleId": "ACME.SEC.KEY", "message": {"text": "key"},
                 "locations": [{"logicalLocations": [{"fullyQualifiedName": "com.a.Other"}]}]},
                {"ruleIndex": 1, "message": {"text": "key"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"index": 1},
                                                     "region": {"startLine": 12}}}]},
                {"ruleIndex": 2, "message": {"text": "style"}},
            ],
        },
        {
            "tool": {"driver": {"name": "AcmeScan", "semanticVersion": "3.1"}},
            "automationDetails": {"id": "nightly/com.c"},
            "results": [{"ruleId": "ACME.NET.CLEAR", "message": {"text": "x"}},
                        {"ruleId": "ACME.EXP", "message": {"text": "x"}}],
        },
        {
            "tool": {"driver": {"name": "AcmeScan"}},
            "properties": {"package": "zzz.apk"},
            "results": [{"ruleId": "ACME.NET.CLEAR", "message": {"text": "x"}}],
        },
    ],
}  # fmt: skip


def _score(results_doc) -> scoring.Score:
    _, packages = imports.parse_test_set(json.dumps(TEST_SET).encode(), "set.json")
    mapping = imports.parse_mapping(json.dumps(MAPPING).encode(), "map.json")
    parsed = imports.parse_results(json.dumps(results_doc).encode(), "r.json")
    assert (parsed.tool, parsed.version) == ("AcmeScan", "3.1")
    return scoring.score(packages, parsed.results, mapping)


def _check_hand_computed(s: scoring.Score) -> None:
    # Expected: a has 3, b has 1 (c none) = 4. Found: cleartext@a, secret@a.Keys = 2.
    # Results (package, class, location) once each: cleartext@a, secret@a.Other,
    # secret@a.Keys, cleartext@c, exported-activity@c = 5, of which 2 find something.
    o = s.overall
    assert (o.expected, o.found, o.results, o.true_results) == (4, 2, 5, 2)
    assert o.recall == pytest.approx(0.5) and o.precision == pytest.approx(0.4)
    per = {c.weakness: c for c in s.per_class}
    assert set(per) == {"cleartext-traffic", "hardcoded-secret", "exported-activity"}
    c = per["cleartext-traffic"]
    assert (c.expected, c.found, c.results, c.true_results) == (2, 1, 2, 1)
    assert c.recall == pytest.approx(0.5) and c.precision == pytest.approx(0.5)
    h = per["hardcoded-secret"]
    assert (h.expected, h.found, h.results, h.true_results) == (1, 1, 2, 1)
    assert h.recall == pytest.approx(1.0) and h.precision == pytest.approx(0.5)
    e = per["exported-activity"]
    assert (e.expected, e.found, e.results, e.true_results) == (1, 0, 1, 0)
    assert e.recall == 0.0 and e.precision == 0.0
    fps = {(f["package"], f["weakness"]) for f in s.false_positives}
    assert fps == {("a.apk", "hardcoded-secret"), ("c.apk", "cleartext-traffic"),
                   ("c.apk", "exported-activity")}  # fmt: skip
    assert {(m.package, m.weakness) for m in s.missed} == {
        ("b.apk", "cleartext-traffic"),
        ("a.apk", "exported-activity"),
    }
    assert [r.rule for r in s.unmapped] == ["ACME.STYLE"]  # listed, not dropped
    assert [r.rule for r in s.outside] == ["ACME.NET.CLEAR"]


def test_json_mapping_form_hand_computed():
    _check_hand_computed(_score(JSON_RESULTS))


def test_sarif_by_hand_hand_computed():
    s = _score(SARIF)
    _check_hand_computed(s)
    assert _score(SARIF).to_json()["overall"] == _score(JSON_RESULTS).to_json()["overall"]


def test_location_matching():
    m = scoring.location_matches
    assert m("Lcom/a/Keys;", "com.a.Keys") and m("com/a/Keys.java", "Keys")
    assert m("com.a.Keys$Inner.run()", "com.a.Keys") and m("com.a.Keys.get", "com.a.Keys")
    assert not m("com.a.KeysExtra", "com.a.Keys") and not m(None, "com.a.Keys")
    assert m(None, None)


@pytest.mark.parametrize(
    "doc,fragment",
    [
        (b"\xff", "not UTF-8"),
        (b"{", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'{"runs": 3}', "runs must be a list"),
        (b'{"runs": [{"results": [{"message": {}}]}]}', "has no ruleId"),
        (b'{"results": [{"rule": "x"}]}', "needs package and rule"),
        (b'{"something": 1}', "neither SARIF"),
    ],
)
def test_bad_results_file(doc, fragment):
    with pytest.raises(imports.ImportProblem) as e:
        imports.parse_results(doc, "other.sarif")
    assert fragment in e.value.en and e.value.file == "other.sarif" and e.value.zh


@pytest.mark.parametrize(
    "doc,fragment",
    [
        ({"packages": []}, "needs a name"),
        ({"name": "x", "packages": []}, "1 to"),
        ({"name": "x", "packages": [{"name": "a"}, {"name": "a"}]}, "twice"),
        ({"name": "x", "packages": [{"name": "a", "sha256": "zz"}]}, "64 hex"),
        ({"name": "x", "packages": [{"name": "a", "weaknesses": [{"class": ""}]}]}, "label"),
    ],
)
def test_bad_test_set(doc, fragment):
    with pytest.raises(imports.ImportProblem, match=fragment):
        imports.parse_test_set(json.dumps(doc).encode(), "set.json")


def test_bad_mapping():
    with pytest.raises(imports.ImportProblem, match="non-empty JSON object"):
        imports.parse_mapping(b"[]", "m.json")
    with pytest.raises(imports.ImportProblem, match=r"ACME\.X"):
        imports.parse_mapping(b'{"ACME.X": 3}', "m.json")


def test_mobsec_mapping_ships_and_parses():
    from importlib.resources import files

    data = (
        files("mobsec.certification").joinpath("data").joinpath("mobsec_mapping.json").read_bytes()
    )
    mapping = imports.parse_mapping(data, "mobsec_mapping.json")
    assert mapping["android.manifest.allow-backup"] == ("allowBackup",)
    assert scoring.classes_for("android.secrets.aws-key", mapping)  # family key


def test_family_keys_longest_first_and_bounded_cost():
    mapping = {"A.": ("a",), "A.B.": ("ab",), "A.B.C": ("abc",)}
    assert scoring.classes_for("A.B.C", mapping) == ("abc",)
    assert scoring.classes_for("A.B.D", mapping) == ("ab",)
    assert scoring.classes_for("A.X", mapping) == ("a",)
    assert scoring.classes_for("AB", mapping) == ()
    # a large table and many distinct rule ids: linear, not table size x results
    import time

    big = {f"F{i}.": (f"c{i}",) for i in range(20_000)}
    packages = [scoring.SetPackage("a.apk", expected=(scoring.Expected("a.apk", "c1"),))]
    results = [scoring.Result("a.apk", f"F{i % 20_000}.rule{i}") for i in range(50_000)]
    t = time.perf_counter()
    s = scoring.score(packages, results, big)
    assert time.perf_counter() - t < 10
    assert s.overall.found == 1 and s.overall.results == 20_000  # one per (package, class)
