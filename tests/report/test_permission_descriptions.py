"""Permission descriptions (issue 14, point 8): every dangerous and every normal platform
permission (the platform's own list, ``platform_permissions.json``) says in both languages
what it lets an app do; the report shows it next to the permission."""

from __future__ import annotations

import re

from mobsec.facts.manifest import platform_permissions
from mobsec.report.render.exposure import permission_description

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_dangerous_and_normal_permission_is_described_in_both_languages() -> None:
    levels = platform_permissions()
    wanted = [p for p, level in levels.items() if level.split("|")[0] in ("dangerous", "normal")]
    assert len(wanted) > 100
    missing = [p for p in wanted if not permission_description(p, "en")]
    assert not missing, missing
    for p in wanted:
        en, zh = permission_description(p, "en"), permission_description(p, "zh-CN")
        assert CJK.search(zh) and not CJK.search(en), (p, en, zh)


def test_commonly_requested_special_permissions_are_described() -> None:
    for name in (
        "SYSTEM_ALERT_WINDOW",
        "PACKAGE_USAGE_STATS",
        "BIND_ACCESSIBILITY_SERVICE",
        "REQUEST_INSTALL_PACKAGES",
        "WRITE_SETTINGS",
    ):
        assert CJK.search(permission_description(f"android.permission.{name}", "zh-CN")), name
    assert permission_description("com.example.NOT_A_PLATFORM_PERMISSION", "en") == ""
