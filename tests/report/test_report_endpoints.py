"""URLs, domains and e-mail addresses in the code, each with whose code holds it."""

from __future__ import annotations

import base64
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mobsec
from mobsec.report.render import render
from mobsec.report.schema import validate_report


def test_endpoints_with_their_owner(fixture_apk: Callable[[str], Path]) -> None:
    doc = mobsec.scan(fixture_apk("report-endpoints")).to_json()
    validate_report(doc)
    got = {
        (e["kind"], e["value"], e["owner"]["sdk_id"] or e["owner"]["kind"])
        for e in doc["endpoints"]
    }
    assert ("url", "api.example-bank.com", "app") in got
    assert ("url", "push.example-bank.com", "app") in got
    assert ("email", "security@example-bank.com", "app") in got
    assert ("url", "alog.umeng.com", "umeng-analytics") in got
    values = {v for _, v, _ in got}
    assert "schemas.android.com" not in values and "root@localhost" not in values
    assert not any(v in ("", "http:") for v in values)
    assert next(e["owner"]["kind"] for e in doc["endpoints"]) == "app"  # app's own first
    login = next(e for e in doc["endpoints"] if e["value"] == "api.example-bank.com")
    assert login["samples"] == ["https://api.example-bank.com/v1/login"]
    html = render(doc, "html", "zh-CN").decode("utf-8")
    table = html.split('id="endpoints-table"', 1)[1].split("</table>", 1)[0]
    assert "api.example-bank.com" in table and "应用自身代码" in table and "友盟" in table
    text = render(doc, "text", "en").decode("utf-8")
    assert (
        "Domains and e-mail (4): security@example-bank.com api.example-bank.com "
        "push.example-bank.com | alog.umeng.com"
    ) in text


def test_app_icon_from_manifest_and_resources(
    corpus_apks: Path,
    fixture_apk: Callable[[str], Path],
    page_of: Callable[[str], Any],
    tmp_path: Path,
) -> None:
    doc = mobsec.scan(corpus_apks / "vulnapps" / "InsecureBankv2.apk").to_json()
    validate_report(doc)
    icon = doc["app"]["icon"]
    assert icon["path"] == "res/mipmap-xxxhdpi-v4/ic_launcher.png"  # the densest one
    assert base64.b64decode(icon["data_base64"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert icon["size"] <= 96 * 1024
    html = tmp_path / "r.html"
    html.write_bytes(render(doc, "html", "en"))
    page = page_of(str(html))
    assert page.eval_on_selector("#app-icon", "e => e.complete && e.naturalWidth") == 192
    assert all(u.startswith(("file://", "data:")) for u in page.requests)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(doc, "pdf", "en"))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    row = re.search(
        r"^\s+1\s+0\s+image\s+192\s+192\s.*?(\d+)\s+(\d+)\s+\S+B\s", listing.stdout, re.M
    )
    assert row, listing.stdout
    # drawn at 48 CSS px (0.5 in: 384 ppi), not at its 192 px (WeasyPrint ignores <img width>)
    assert int(row.group(1)) == int(row.group(2)) == 384, listing.stdout
    # the near twin: an app without android:icon has none, and the page shows none
    plain = mobsec.scan(fixture_apk("report-endpoints")).to_json()
    assert "icon" not in plain["app"]
    assert 'id="app-icon"' not in render(plain, "html", "en").decode("utf-8")
