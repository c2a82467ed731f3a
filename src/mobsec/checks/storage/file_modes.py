"""Files, preferences and databases created readable or writable by every app."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import provenance, provenance_zh
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import CONTEXT, int_constants, site_args
from ._meta import GBT_STORAGE

MODE_WORLD_READABLE = 0x1
MODE_WORLD_WRITEABLE = 0x2
# Context method -> position of the mode argument (receiver is 0).
MODE_APIS = {
    "openFileOutput": 2,
    "getSharedPreferences": 2,
    "getDir": 2,
    "openOrCreateDatabase": 2,
}


@check(
    "android.storage.world-accessible-mode",
    title=("File created world-readable or world-writable", "文件以全局可读或可写模式创建"),
    description=(
        "MODE_WORLD_READABLE / MODE_WORLD_WRITEABLE reach openFileOutput, "
        "getSharedPreferences, getDir or openOrCreateDatabase: every app on the device can "
        "read (or change) the file. From API 24 the platform throws SecurityException for "
        "these modes, but apps targeting older versions still create such files.",
        "MODE_WORLD_READABLE / MODE_WORLD_WRITEABLE 被传入 openFileOutput、"
        "getSharedPreferences、getDir 或 openOrCreateDatabase:设备上任何应用都能读取(或修改)"
        "该文件。API 24 起系统对这些模式抛出 SecurityException,但面向旧版本的应用仍会创建此类文件。",
    ),
    remediation=(
        "Use MODE_PRIVATE and share data with other apps through a ContentProvider or "
        "FileProvider with explicit permissions.",
        "使用 MODE_PRIVATE,通过带显式权限的 ContentProvider 或 FileProvider 与其他应用共享数据。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[276, 732],
    masvs=["MASVS-STORAGE-1"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)
def world_accessible_mode(ctx: CheckContext) -> Iterator[Finding]:
    for name, pos in MODE_APIS.items():
        for site in ctx.facts.calls.of(CONTEXT, name):
            args = site_args(site)
            if args is None or len(args) <= pos:
                continue
            reached = ctx.facts.values.arg(site, pos)
            modes = int_constants(frozenset(r.value for r in reached))
            if modes is None:
                continue
            bits = 0
            for m in modes:
                bits |= m
            flags = []
            if bits & MODE_WORLD_READABLE:
                flags.append("MODE_WORLD_READABLE")
            if bits & MODE_WORLD_WRITEABLE:
                flags.append("MODE_WORLD_WRITEABLE")
            if not flags:
                continue
            which = " | ".join(flags)
            world = next(
                r for r in reached if r.value.data & (MODE_WORLD_READABLE | MODE_WORLD_WRITEABLE)
            )  # type: ignore[operator]
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f"{name}(…, {which}){provenance(world)}",
                    f"{name}(…, {which}){provenance_zh(world)}",
                ),
            )
