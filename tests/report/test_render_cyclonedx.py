"""The CycloneDX 1.6 SBOM: written by `mobsec scan -o app.cdx.json` / `--format cyclonedx`,
valid by cyclonedx-python-lib's strict JSON validator (the CycloneDX schema), and saying
what the package's own files say (Maven purls with the versions of META-INF/*.version,
native hashes, the package's hashes)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mobsec.report.render import format_for_path
from tests.scan.test_cli import mobsec

pytestmark = pytest.mark.corpus


def test_sbom_of_an_app_validates_and_names_its_parts(corpus_apks: Path, tmp_path: Path) -> None:
    apk = corpus_apks / "vulnapps" / "dvba.apk"
    out = tmp_path / "dvba.cdx.json"
    proc = mobsec("scan", "-q", str(apk), "-o", str(out), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"] == "1.6"
    app = sbom["metadata"]["component"]
    assert app["name"] == "com.app.damnvulnerablebank"
    data = apk.read_bytes()
    hashes = {h["alg"]: h["content"] for h in app["hashes"]}
    assert hashes["SHA-256"] == hashlib.sha256(data).hexdigest()
    purls = {c.get("purl") for c in sbom["components"]}
    with zipfile.ZipFile(apk) as z:
        core = z.read("META-INF/androidx.core_core.version").decode().strip()
        natives = {
            n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.endswith(".so")
        }
    assert f"pkg:maven/androidx.core/core@{core}" in purls
    by_ref = {c["bom-ref"]: c for c in sbom["components"]}
    assert by_ref["maven:androidx.core:core"]["version"] == core
    assert by_ref["sdk:androidx-core"]["version"] == core
    files = {
        c["name"]: c["hashes"][0]["content"] for c in sbom["components"] if c["type"] == "file"
    }
    assert files == natives
    # the app depends on every component
    deps = {d["ref"]: d.get("dependsOn", []) for d in sbom["dependencies"]}
    assert set(deps["app"]) == {c["bom-ref"] for c in sbom["components"]}
    # the same report renders the same SBOM (serial number from the scan, not random)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    from mobsec.report.render import render

    assert json.loads(render(report, "cyclonedx")) == sbom


def test_format_option_to_stdout(corpus_apks: Path) -> None:
    apk = corpus_apks / "vulnapps" / "UnCrackable-Level1.apk"
    proc = mobsec("scan", "-q", str(apk), "--format", "cyclonedx")
    assert proc.returncode == 0, proc.stderr
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(proc.stdout) is None


def test_file_names_that_ask_for_cyclonedx() -> None:
    assert format_for_path(Path("app.cdx.json")) == "cyclonedx"
    assert format_for_path(Path("APP.CycloneDX.json")) == "cyclonedx"
    assert format_for_path(Path("app.json")) == "json"


def test_no_inventory_no_sbom(corpus_dir: Path, tmp_path: Path) -> None:
    ipa = corpus_dir / "formats" / "ipa" / "appinfo_ipad.ipa"
    out = tmp_path / "x.cdx.json"
    proc = mobsec("scan", "-q", str(ipa), "-o", str(out))
    assert proc.returncode == 4
    assert "inventory" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_sbom_carries_the_vulnerabilities_of_its_components(
    corpus_apks: Path, tmp_path: Path
) -> None:
    """ovaa ships OkHttp 3.8.0 (its user agent "okhttp/3.8.0" in classes.dex): a Maven
    component, and CVE-2023-0833 (through 4.9.1) affecting it; InsecureShop states no
    version the table covers: no vulnerabilities."""
    out = tmp_path / "ovaa.cdx.json"
    proc = mobsec("scan", "-q", str(corpus_apks / "vulnapps" / "ovaa.apk"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    sbom = json.loads(out.read_text(encoding="utf-8"))
    with zipfile.ZipFile(corpus_apks / "vulnapps" / "ovaa.apk") as z:
        assert b"okhttp/3.8.0" in z.read("classes.dex")
    by_ref = {c["bom-ref"]: c for c in sbom["components"]}
    okhttp = by_ref["maven:com.squareup.okhttp3:okhttp"]
    assert okhttp["purl"] == "pkg:maven/com.squareup.okhttp3/okhttp@3.8.0"
    vulns = {v["id"]: v for v in sbom["vulnerabilities"]}
    assert set(vulns) == {"CVE-2023-0833"}
    v = vulns["CVE-2023-0833"]
    assert v["affects"] == [{"ref": "maven:com.squareup.okhttp3:okhttp"}]
    assert v["ratings"][0]["score"] == 4.7 and v["ratings"][0]["severity"] == "medium"
    out2 = tmp_path / "shop.cdx.json"
    shop = corpus_apks / "vulnapps" / "InsecureShop.apk"
    assert mobsec("scan", "-q", str(shop), "-o", str(out2)).returncode == 0
    assert not json.loads(out2.read_text(encoding="utf-8")).get("vulnerabilities")
