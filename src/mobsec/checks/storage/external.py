"""Data written to shared external storage, where other apps can read it."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import CONTEXT, forward_uses, site_flow
from ._meta import GBT_STORAGE

ENVIRONMENT = "Landroid/os/Environment;"
ENV_SOURCES = ("getExternalStorageDirectory", "getExternalStoragePublicDirectory")
CONTEXT_SOURCES = ("getExternalFilesDir", "getExternalCacheDir", "getExternalFilesDirs",
                   "getExternalCacheDirs", "getExternalMediaDirs")  # fmt: skip
# Constructors that open a file for writing from a File or path.
WRITERS = {
    "Ljava/io/FileOutputStream;",
    "Ljava/io/FileWriter;",
    "Ljava/io/RandomAccessFile;",
    "Ljava/io/PrintWriter;",
    "Ljava/io/PrintStream;",
}
FILE_CREATORS = {("Ljava/io/File;", "createNewFile")}
DATABASE_OPENERS = {
    ("Landroid/database/sqlite/SQLiteDatabase;", "openOrCreateDatabase"),
    ("Landroid/database/sqlite/SQLiteDatabase;", "openDatabase"),
}


def _sources(ctx: CheckContext) -> list[tuple[CodeSite, str]]:
    out = [(s, name) for name in ENV_SOURCES for s in ctx.code.call_sites(ENVIRONMENT, name)]
    for name in CONTEXT_SOURCES:
        out.extend((s, name) for s in ctx.facts.calls.of(CONTEXT, name))
    return out


@check(
    "android.storage.external-storage-write",
    title=("Data written to external storage", "数据写入外部存储"),
    description=(
        "A file is created or written under a directory from getExternalStorageDirectory, "
        "getExternalStoragePublicDirectory or getExternalFilesDir. Shared storage is "
        "readable by apps holding the storage permission (and by anyone with USB access); "
        "files there can also be replaced by other apps before this app reads them back.",
        "应用在 getExternalStorageDirectory、getExternalStoragePublicDirectory 或 "
        "getExternalFilesDir 返回的目录下创建或写入文件。外部共享存储可被持有存储权限的应用"
        "(以及通过 USB 访问设备的人)读取,其中的文件也可能在本应用读回之前被其他应用替换。",
    ),
    remediation=(
        "Keep sensitive data in internal storage (getFilesDir, getCacheDir) or encrypt it "
        "(Jetpack Security EncryptedFile); validate anything read back from external storage.",
        "敏感数据应保存在内部存储(getFilesDir、getCacheDir)中或加密保存(Jetpack Security "
        "EncryptedFile);对从外部存储读回的数据进行校验。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[312, 922],
    masvs=["MASVS-STORAGE-1"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)
def external_storage_write(ctx: CheckContext) -> Iterator[Finding]:
    for site, source in _sources(ctx):
        flow = site_flow(site)
        if flow is None or not flow.complete:
            continue
        reported: set[int] = set()
        for call, pos in forward_uses(flow, site.offset):
            c = call.callee
            writes = (
                (c.name == "<init>" and c.class_desc in WRITERS and pos > 0)
                or ((c.class_desc, c.name) in FILE_CREATORS and pos == 0)
                or ((c.class_desc, c.name) in DATABASE_OPENERS and pos == 0)
            )
            if not writes or call.offset in reported:
                continue
            reported.add(call.offset)
            api = f"{c.class_desc[1:-1].rsplit('/', 1)[-1]}.{c.name}"
            yield ctx.method_finding(
                site.dex,
                site.caller_idx,
                call.offset,
                key=f"{source}->{api}",
                message=Text(
                    f"{api} on a path from {source}()",
                    f"{api} 写入来自 {source}() 的路径",
                ),
            )
