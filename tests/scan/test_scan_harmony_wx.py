"""Every HarmonyOS and mini-program corpus file through ``mobsec.scan`` and the CLI: the
right pipeline, no internal error, a report valid against the (closed) schema, the NOTES.md
§5.4 positives found, the documented diagnostic for the encrypted wxapkg, and the
platform tables in every renderer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import mobsec
from mobsec.report.render import render
from mobsec.report.schema import report_schema, report_validator
from tests.conftest import CORPUS
from tests.report.test_schema import _closed

FORMATS = CORPUS / "formats"
SAMPLES = sorted(
    [
        *FORMATS.glob("hap/*.hap"),
        *FORMATS.glob("harmony-app/*.app"),
        *FORMATS.glob("wxapkg/*.wxapkg"),
    ]
)
ENCRYPTED = FORMATS / "wxapkg" / "secdevlpr26_wx0a3f2cb08e5994bc-pc-encrypted-V1MMWX.wxapkg"
APP_ID = "wx0a3f2cb08e5994bc"


def _valid(doc: dict) -> None:
    for v in (report_validator(), Draft202012Validator(_closed(report_schema()))):
        errors = [f"{e.json_path}: {e.message[:200]}" for e in v.iter_errors(doc)]
        assert not errors, errors[:5]


@pytest.mark.corpus
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_corpus_file_scans(path: Path, corpus_dir: Path) -> None:
    doc = mobsec.scan(path).to_json()
    platform = "miniprogram" if path.suffix == ".wxapkg" else "harmony"
    assert doc["package"]["platform"] == platform
    assert (
        doc["package"]["format"]
        == {".hap": "hap", ".app": "harmony-app", ".wxapkg": "wxapkg"}[path.suffix]
    )
    assert not [d for d in doc["diagnostics"] if d["code"].startswith("internal.")]
    assert all(f["check_id"].startswith(platform + ".") for f in doc["findings"])
    assert doc["platform_details"], "platform tables missing"
    _valid(doc)
    if path == ENCRYPTED:
        assert [d["code"] for d in doc["diagnostics"]] == ["wxapkg.encrypted"]
        assert not doc["findings"] and doc["privacy"] is None
    elif platform == "harmony":
        ids = {f["check_id"] for f in doc["findings"]}
        assert "harmony.config.exported-ability" in ids
        assert ("harmony.config.debuggable" in ids) == (path.suffix == ".hap")  # NOTES §2
        if "hapsigner" in path.name:
            assert "harmony.permissions.system-grade" in ids  # UPDATE_SYSTEM, REBOOT
        assert doc["app"]["package"].startswith("com.example.")
    else:
        assert len(doc["privacy"]["scenarios"]) == 31


@pytest.mark.corpus
def test_encrypted_with_app_id_reads_like_its_decrypted_twin(corpus_dir: Path) -> None:
    # a generous JS budget: the comparison must not depend on how loaded the machine is
    doc = mobsec.scan(
        ENCRYPTED, mobsec.ScanOptions(wx_appid=APP_ID, js_parse_chars=10_000_000)
    ).to_json()
    twin = mobsec.scan(
        FORMATS / "wxapkg" / "secdevlpr26_wx0a3f2cb08e5994bc-decrypted.wxapkg",
        mobsec.ScanOptions(js_parse_chars=10_000_000),
    ).to_json()
    assert doc["app"]["decrypted"] and not doc["diagnostics"]
    assert [f["fingerprint"] for f in doc["findings"]] == [
        f["fingerprint"] for f in twin["findings"]
    ]
    assert "miniprogram.secrets.hardcoded-secret" in {f["check_id"] for f in doc["findings"]}
    pi = {t["id"] for t in doc["privacy"]["collection"]["pi_types"]}
    assert "user-profile" in pi  # wx.getUserInfo in app.js


@pytest.mark.corpus
def test_cli_wx_appid_and_renderers(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mobsec.cli",
            "scan",
            "-q",
            str(ENCRYPTED),
            "--wx-appid",
            APP_ID,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1, 2), run.stderr  # findings may set a non-zero exit
    doc = json.loads(out.read_text())
    assert doc["app"]["decrypted"] and doc["scan"]["options"]["wx_appid"] == APP_ID
    html = render(doc, "html", "en").decode()
    assert "app-config.json (app.json)" in html and "requiredPrivateInfos" in html
    hap = mobsec.scan(FORMATS / "hap" / "hapsigner_entry-default-signed-so.hap").to_json()
    html = render(hap, "html", "zh-CN").decode()
    assert (
        "module.json" in html
        and "ohos.permission.REBOOT" in html
        and "<hap sign block>" in html.replace("&lt;", "<").replace("&gt;", ">")
    )
    sarif = json.loads(render(hap, "sarif"))
    assert sarif["runs"][0]["properties"]["platformDetails"]
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"harmony.config.debuggable"}
