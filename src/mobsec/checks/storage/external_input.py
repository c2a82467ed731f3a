"""A file on external storage read as settings or as a file path: other apps choose them.

Any app with storage access (every app on older Android) can write a file on external
storage before this app reads it. Loading code from there is ``dynamic-code-loading`` /
``external-native-load``; this check covers the other two uses that hand control to that
file's author: its content parsed as configuration (``Properties.load``, ``JSONObject``,
``Gson.fromJson``, an XML parser) or used as a path to open, write or delete. The stream
is opened where the path is known to lie on external storage (followed across methods like
the native-load check); its content is followed within that method, through readers and the
values read from them.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.code.external_native_load import _external_path
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.dataflow import MethodFlow, Value
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import site_flow
from ._meta import GBT_INPUT, GBT_STORAGE

# Streams that read a file, by constructor: the path (String or File) is argument 1.
FILE_READERS = (
    ("Ljava/io/FileInputStream;", "(Ljava/lang/String;)V"),
    ("Ljava/io/FileInputStream;", "(Ljava/io/File;)V"),
    ("Ljava/io/FileReader;", "(Ljava/lang/String;)V"),
    ("Ljava/io/FileReader;", "(Ljava/io/File;)V"),
)
# (class, method) -> what using the file's content there means.
CONFIG = "configuration"
PATH = "a file path"
ZH = {CONFIG: "配置", PATH: "文件路径"}
SINKS = {
    ("Ljava/util/Properties;", "load"): CONFIG,
    ("Lorg/json/JSONObject;", "<init>"): CONFIG,
    ("Lorg/json/JSONArray;", "<init>"): CONFIG,
    ("Lorg/json/JSONTokener;", "<init>"): CONFIG,
    ("Lcom/google/gson/Gson;", "fromJson"): CONFIG,
    ("Lorg/xmlpull/v1/XmlPullParser;", "setInput"): CONFIG,
    ("Ljavax/xml/parsers/DocumentBuilder;", "parse"): CONFIG,
    ("Ljava/io/File;", "<init>"): PATH,
    ("Ljava/io/FileInputStream;", "<init>"): PATH,
    ("Ljava/io/FileOutputStream;", "<init>"): PATH,
    ("Ljava/io/FileReader;", "<init>"): PATH,
    ("Ljava/io/FileWriter;", "<init>"): PATH,
}
MAX_ROUNDS = 4  # passes over the method's calls (loops read before they are reached)


@check(
    "android.storage.external-file-as-input",
    title=(
        "File on external storage used as configuration or as a path",
        "外部存储中的文件被用作配置或文件路径",
    ),
    description=(
        "The app reads a file on external storage and parses its content as configuration "
        "(Properties, JSON, Gson, XML) or uses it as the path of a file it opens, writes or "
        "deletes. Other apps with storage access — every app on older Android versions — "
        "can write that file first and so choose the app's settings (server URLs, feature "
        "switches) or make it read, overwrite or delete its own private files.",
        "应用读取外部存储中的文件,并把其内容解析为配置(Properties、JSON、Gson、XML),或作为"
        "要打开、写入或删除的文件路径。拥有存储权限的其他应用(旧版 Android 上为所有应用)可抢先"
        "写入该文件,从而决定应用的设置(服务器地址、功能开关),或让应用读取、覆盖、删除其私有文件。",
    ),
    remediation=(
        "Keep configuration in internal storage (getFilesDir) or in the APK; if a file from "
        "shared storage must be read, verify its signature or hash and never use its content "
        "as a path without resolving it against a fixed directory (getCanonicalPath + prefix "
        "check).",
        "将配置保存在内部存储(getFilesDir)或 APK 中;必须读取共享存储中的文件时,校验其签名或哈希,"
        "且不要直接把其内容当作路径使用,应相对固定目录解析并校验(getCanonicalPath 加前缀检查)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[73, 15],
    masvs=["MASVS-STORAGE-1", "MASVS-CODE-4"],
    owasp=["M4", "M9"],
    gbt_34975=[GBT_STORAGE, GBT_INPUT],
)
def external_file_as_input(ctx: CheckContext) -> Iterator[Finding]:
    for cls, proto in FILE_READERS:
        for site in ctx.code.call_sites(cls, "<init>", proto):
            where = _external_path(ctx, site, 1)
            if where is None:
                continue
            flow = site_flow(site)
            if flow is None:
                continue
            uses = _uses(flow, site)
            if not uses:
                continue
            kinds = sorted({use for _, _, use in uses})
            calls = ", ".join(dict.fromkeys(what for _, what, _ in uses))
            yield ctx.code_finding(
                site,
                key="external-input",
                message=Text(
                    f"a file under {where} is read and its content used as "
                    f"{' and '.join(kinds)} ({calls})",
                    f"读取位于 {where} 下的文件,其内容被用作"
                    f"{'和'.join(ZH[k] for k in kinds)}({calls})",
                ),
            )


def _uses(flow: MethodFlow, opened: CodeSite) -> list[tuple[int, str, str]]:
    """(offset, "Class.method", use) of each sink the opened stream's content reaches."""
    new_offsets: set[int] = set()  # new-instance objects that carry the content
    results: set[int] = set()  # call results that carry it
    for r in (flow.args_at(opened.offset) or [frozenset()])[0]:
        if r.kind == "new" and r.offset is not None:
            new_offsets.add(r.offset)

    def carries(values: frozenset[Value], depth: int = 0) -> bool:
        for v in values:
            if v.kind == "new" and v.offset in new_offsets:
                return True
            if v.kind == "result" and v.offset in results:
                return True
            if v.kind == "concat" and depth < 4 and carries(frozenset(v.data), depth + 1):  # type: ignore[arg-type]
                return True
        return False

    found: dict[int, tuple[str, str]] = {}
    for _ in range(MAX_ROUNDS):
        grew = False
        for call in flow.invokes():
            if call.offset == opened.offset:
                continue
            args = flow.args_at(call.offset)
            # the receiver of a reader's method is its input too (reader.readLine())
            if not any(carries(a) for a in args):
                continue
            ref = call.callee
            use = SINKS.get((ref.class_desc, ref.name))
            receiver_only = not call.is_static and not any(carries(a) for a in args[1:])
            if use is not None and not (ref.name == "<init>" and receiver_only):
                short = ref.class_desc[1:].rstrip(";").split("/")[-1]
                found.setdefault(call.offset, (f"{short}.{ref.name}", use))
                continue
            if ref.name == "<init>":
                for r in args[0] if args else ():
                    if r.kind == "new" and r.offset is not None and r.offset not in new_offsets:
                        new_offsets.add(r.offset)
                        grew = True
            elif call.offset not in results:
                results.add(call.offset)
                grew = True
        if not grew:
            break
    return [(off, what, use) for off, (what, use) in sorted(found.items())]
