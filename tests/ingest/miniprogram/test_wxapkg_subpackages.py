"""Sub-packages: the main package declares them in app-config.json; a sub-package file has
no app-config.json of its own and is still read and checked (its code is app code)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ingest.miniprogram.wxbuild import app_service, miniprogram, pack_wxapkg

import mobsec

SUB = {"root": "packageA/", "pages": ["pages/cart/cart"], "independent": False}


def test_main_package_lists_its_sub_packages(tmp_path: Path) -> None:
    path = tmp_path / "main.wxapkg"
    path.write_bytes(miniprogram({"app.js": "App({});"}, {"subPackages": [SUB]}))
    doc = mobsec.scan(path).to_json()
    (table,) = [d for d in doc["platform_details"] if d["id"] == "miniprogram.app_json"]
    rows = {r["key"]: r["value"] for r in table["rows"]}
    assert rows["subPackages"] == [SUB]


def test_sub_package_file_is_scanned_as_such(tmp_path: Path) -> None:
    code = "Page({onLoad: function () { wx.request({url: 'http://api.shop-cn.net/cart'}); }});"
    path = tmp_path / "sub.wxapkg"
    path.write_bytes(
        pack_wxapkg(
            {
                "packageA/pages/cart/cart.js": b"",
                "packageA/app-service.js": app_service({"packageA/pages/cart/cart.js": code}),
            }
        )
    )
    doc = mobsec.scan(path).to_json()
    assert doc["app"]["kind"] == "subpackage"
    assert not [d for d in doc["diagnostics"] if d["level"] == "error"]
    (hit,) = [
        f for f in doc["findings"] if f["check_id"] == "miniprogram.network.cleartext-request"
    ]
    assert hit["location"]["file"] == "packageA/app-service.js" and hit["location"]["line"] == 3
    assert "packageA/pages/cart/cart.js" in hit["evidence"]
    assert json.dumps(doc)  # serialisable as it stands
