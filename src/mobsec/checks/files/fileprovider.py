"""FileProvider path configurations that share far more than the app means to."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.axml import to_xml_text
from mobsec.report.model import Confidence, Finding, Severity, Text

PATHS_META = "android.support.FILE_PROVIDER_PATHS"
# Element -> what a "whole directory" entry of it exposes.
_SCOPES = {
    "root-path": ("the whole file system the app can read", "应用可读的整个文件系统"),
    "files-path": ("all of the app's private files", "应用的全部私有文件"),
    "cache-path": ("all of the app's cache", "应用的全部缓存"),
    "external-path": ("all of external storage", "整个外部存储"),
    "external-files-path": ("all of the app's external files", "应用的全部外部文件"),
    "external-cache-path": ("all of the app's external cache", "应用的全部外部缓存"),
    "external-media-path": ("all of the app's media files", "应用的全部媒体文件"),
}
_WHOLE = {"", ".", "/", "./"}


@check(
    "android.files.fileprovider-broad-paths",
    title=("FileProvider shares overly broad paths", "FileProvider 共享路径范围过大"),
    description=(
        "The paths configuration of a FileProvider includes <root-path> or a whole storage "
        "directory. Any content URI the app hands out (or that an attacker gets it to hand "
        "out through intent redirection or a grant) can then reach files far beyond the one "
        "meant to be shared.",
        "FileProvider 的路径配置包含 <root-path> 或整个存储目录。应用发出的(或攻击者借助 Intent "
        "重定向、URI 授权诱使其发出的)任何 content URI 都可能访问到远超预期共享范围的文件。",
    ),
    remediation=(
        "Remove <root-path>; share only dedicated sub-directories (e.g. "
        '<files-path name="shared" path="shared/"/>).',
        '删除 <root-path>;只共享专用子目录(例如 <files-path name="shared" path="shared/"/>)。',
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[22, 200],
    masvs=["MASVS-PLATFORM-1", "MASVS-STORAGE-2"],
    owasp=["M8", "M9"],
    gbt_34975=["5.4.3 数据安全 / data security"],
)
def fileprovider_broad_paths(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    seen: set[str] = set()
    for provider in m.components_of("provider"):
        for meta in provider.meta_data:
            path = meta.get("resource")
            if meta.get("name") != PATHS_META or not isinstance(path, str) or path in seen:
                continue
            seen.add(path)
            root = ctx.facts.xml_file(path)
            if root is None:
                continue
            for el in root.iter():
                scope = _SCOPES.get(el.tag)
                if scope is None:
                    continue
                # FileProvider's own attributes carry no namespace.
                attr = el.attr("path", "") or el.attr("path")
                value = attr.value(ctx.facts.pkg.resources) if attr is not None else ""
                value = value if isinstance(value, str) else ""
                if el.tag != "root-path" and value.strip() not in _WHOLE:
                    continue
                yield ctx.file_finding(
                    path,
                    line=el.line,
                    key=f"{el.tag}:{value}",
                    evidence=to_xml_text(el, ctx.facts.pkg.resources, max_depth=0),
                    severity=Severity.HIGH if el.tag == "root-path" else None,
                    message=Text(
                        f'<{el.tag} path="{value}"> of {provider.name} exposes {scope[0]}',
                        f'{provider.name} 的 <{el.tag} path="{value}"> 暴露了{scope[1]}',
                    ),
                )
