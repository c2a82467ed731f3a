"""The annotated check fixtures (tests/checks/<area>/<fixture>/java), compiled by javac into
a JAR and scanned as an SDK: every ``ruleid``/``ok`` mark of a check that runs on class
files must hold on the class files as it holds on the APK built from the same sources
(tests/checks/test_check_fixtures.py). So each enabled check family has its positives and
its near twins on class files, and the JVM → DEX translation is held to the Dalvik
bytecode d8/dx make of the same source, line by line.

Marks of checks that judge the host app (its manifest, its target SDK, its resources) are
left out: an SDK has none of its own (see ``NOT_COMPARED``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from mobsec.pipelines._sdk_checks import sdk_code_checks
from tests.checks.harness import Marks, compare, read_marks
from tests.fixtures.sdkbuild import build_jar

CHECKS_DIR = Path(__file__).parents[1] / "checks"
FIXTURES = sorted(
    p.parent
    for p in CHECKS_DIR.glob("*/*/AndroidManifest.xml")
    # reachability-* fixtures test the host app's manifest entry points, which an SDK lacks
    if (p.parent / "java").is_dir() and not p.parent.name.startswith("reachability-")
)
SDK_CHECKS = {c.meta.id for c in sdk_code_checks()}
# fixture -> checks whose marks depend on the app around the code, with why
NOT_COMPARED: dict[str, dict[str, str]] = {
    "icc-basics": {
        "android.icc.calling-or-self-permission": "judges the IPC methods of providers the "
        "manifest exports; a JAR has no manifest",
        "android.icc.object-deserialization": "Serializable extras are let pass in components "
        "the manifest does not export; a JAR has no manifest",
    },
    "code-loading-and-protections": {
        "android.code.tamper-detection": "a signature read counts as self-verification when "
        "it names the app's package (the manifest's); a JAR has none",
    },
    "privacy-collection": {
        "android.privacy.device-identifier": "a read inside Netty counts when the app's own "
        "code (by the manifest's package) calls it; a JAR has no package of its own",
    },
    "net-cleartext-blocked": {
        "android.network.cleartext-url": "the app's network security config blocks cleartext; "
        "an SDK's URLs are judged without one (the host's config is unknown)",
    },
    "icc-result-grant": {
        "android.icc.intent-redirection": "an echoed Intent is a grant only when the app's "
        "manifest has a provider that allows URI grants; a JAR has no manifest",
    },
    "webview-settings": {
        "android.webview.file-access": "the default depends on the host app's targetSdk",
    },
}
# (fixture, check, file, line in the APK) -> line on the class files, with why
MOVED: dict[tuple[str, str, str, int], int] = {
    # dx merges the two `return true` of AllowAllTwoPaths.verify into one at line 23; javac
    # keeps both, and the first one (line 20) is where the finding is placed
    ("net-tls-code", "android.network.hostname-verifier-accepts-all", "Verifiers.java", 23): 20,
}

pytestmark = pytest.mark.skipif(shutil.which("javac") is None, reason="JDK not installed")


def _java_marks(app: Path) -> Marks:
    marks = read_marks(app)
    keep = SDK_CHECKS - set(NOT_COMPARED.get(app.name, {}))
    out = Marks()
    moved = {(c, f, ln): MOVED.get((app.name, c, f, ln), ln) for c, f, ln in marks.expected}
    out.expected = {
        (c, f, moved[(c, f, ln)])
        for c, f, ln in marks.expected
        if c in keep and f.endswith(".java")
    }
    out.forbidden = {m for m in marks.forbidden if m[0] in keep and m[1].endswith(".java")}
    out.checks = {c for c, _, _ in out.expected | out.forbidden}
    return out


# only fixtures with marks of a check that runs on class files (manifest-, native- and
# policy-only fixtures have none: a skip would count as a failure in CI)
WITH_CODE_MARKS = [app for app in FIXTURES if _java_marks(app).checks]


@pytest.mark.parametrize("app", WITH_CODE_MARKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_marks_hold_on_class_files(app: Path, tmp_path: Path) -> None:
    marks = _java_marks(app)
    jar = build_jar(app / "java", tmp_path / f"{app.name}.jar")
    report = scan(jar, ScanOptions(include_unreachable=True)).to_json()
    internal = [d for d in report["diagnostics"] if d["code"].startswith(("internal.", "jvm."))]
    assert not internal, internal
    problems = compare(marks, report["findings"] + report["protections"])
    assert not problems, "\n".join(problems)
