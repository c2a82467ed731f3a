"""Temporary files that outlive the method that made them."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import calls_by_offset, site_flow
from ._meta import GBT_STORAGE

FILE = "Ljava/io/File;"
DELETES = ("delete", "deleteOnExit")


@check(
    "android.storage.temp-file",
    title=("Temporary file kept on storage", "临时文件残留在存储中"),
    description=(
        "File.createTempFile makes a file that stays until someone deletes it; the method "
        "that creates it never deletes it. Temporary files often hold credentials or "
        "personal data in plain text, and in a shared directory other apps can read them.",
        "File.createTempFile 创建的文件在被删除前一直存在,而创建它的方法并未删除它。临时文件常"
        "以明文保存凭证或个人数据,位于共享目录时其他应用也能读取。",
    ),
    remediation=(
        "Keep sensitive data in memory or encrypted private storage; if a temporary file is "
        "needed, create it in getCacheDir() and delete it as soon as it has been used.",
        "敏感数据应保存在内存或加密的私有存储中;确需临时文件时在 getCacheDir() 中创建,用后立即删除。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[377, 459],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)
def temp_file(ctx: CheckContext) -> Iterator[Finding]:
    for site in ctx.code.call_sites(FILE, "createTempFile"):
        flow = site_flow(site)
        if flow is not None and flow.complete:
            calls = calls_by_offset(flow)
            users = flow.result_users(site.offset)
            deleted = any(
                pos == 0
                and (call := calls.get(off)) is not None
                and call.callee.class_desc == FILE
                and call.callee.name in DELETES
                for off, pos in users
            )
            # Returned or stored in a field: the file is handed to its owner (a helper
            # such as kotlin.io's createTempFile), not left behind by this method.
            handed_over = any(off not in calls for off, _pos in users)
            if deleted or handed_over:
                continue
        yield ctx.code_finding(
            site,
            message=Text(
                "File.createTempFile: the file is not deleted in this method",
                "File.createTempFile:该方法中未删除所创建的文件",
            ),
        )
