"""Third-party libraries whose shipped version has a known vulnerability.

The inventory (:mod:`mobsec.facts.inventory.libraries`) names each library with a Maven
coordinate and the version the package itself states (META-INF/*.version, Google's
properties files, a version string compiled into the library's code). Each is looked up
in the offline advisory table (:mod:`mobsec.facts.inventory.advisories`). One finding per
vulnerable library, listing every advisory that covers its version, with the severity of
the worst. A library whose version the package does not state gets no finding: an unknown
version is not a vulnerable one.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.inventory.advisories import SEVERITIES, Advisory, advisories_for
from mobsec.facts.inventory.libraries import library_components
from mobsec.facts.inventory.maven_version import parse_version
from mobsec.report.model import Confidence, Finding, Owner, Severity, Text

GBT_CODE = ["5.2.1 代码安全 / code security"]


@check(
    "android.sdk.vulnerable-library",
    title=("Third-party library with known vulnerabilities", "使用存在已知漏洞的第三方库"),
    description=(
        "The package ships a third-party library whose version is covered by a published "
        "advisory (CVE / GitHub Security Advisory). The version is the one the package "
        "itself states (build-metadata files, or the version string the library compiles "
        "into its code); the advisories come from an offline table kept with the scanner.",
        "安装包中包含的第三方库版本在已公开的安全公告（CVE / GitHub 安全公告）受影响范围内。"
        "版本号取自安装包自身（构建元数据文件，或库编译进代码中的版本字符串）；公告来自随扫描器"
        "维护的离线公告表。",
    ),
    remediation=(
        "Upgrade the library to the fixed version the advisory names (or later) and rebuild; "
        "check transitive dependencies with `./gradlew app:dependencies`.",
        "将该库升级到公告给出的修复版本（或更高版本）后重新构建；用 `./gradlew app:dependencies` "
        "检查传递依赖。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[1395],
    masvs=["MASVS-CODE-3"],
    owasp=["M2"],
    gbt_34975=GBT_CODE,
    references=["https://mas.owasp.org/MASTG/tests/android/MASVS-CODE/MASTG-TEST-0042/"],
)
def vulnerable_library(ctx: CheckContext) -> Iterator[Finding]:
    for lib in library_components(ctx.facts):
        if lib["kind"] != "library":
            continue
        found = advisories_for(lib["id"], lib["version"])
        if not found:
            continue
        worst = max(found, key=lambda a: SEVERITIES.index(a.severity))
        ids = ", ".join(_name(a) for a in found)
        fixed = _fixed(found)
        source = lib["version_source"] or ""
        sdk = ctx.facts.sdk_catalog.get(lib["sdk_id"]) if lib["sdk_id"] else None
        owner = Owner("sdk", sdk.id, sdk.name.get("en")) if sdk else Owner("app")
        yield ctx.file_finding(
            source.partition(": ")[0],
            evidence=_evidence(lib, found),
            message=Text(
                f"{lib['id']} {lib['version']} has known vulnerabilities: {ids}"
                + (f"; fixed in {fixed}" if fixed else ""),
                f"{lib['id']} {lib['version']} 存在已知漏洞：{ids}"
                + (f"；修复版本 {fixed}" if fixed else ""),
            ),
            key=lib["id"],
            owner=owner,
            severity=Severity(worst.severity),
        )


def _name(a: Advisory) -> str:
    return f"{a.id} ({', '.join(a.aliases)})" if a.aliases else a.id


def _fixed(found: list[Advisory]) -> str:
    """The highest fixed version the advisories name: upgrading to it clears them all."""
    versions = [v for a in found if (v := parse_version(a.fixed)) is not None]
    return max(versions).text if versions else ""


def _evidence(lib: dict, found: list[Advisory]) -> str:
    lines = [f"version {lib['version']} read from {lib['version_source']}"]
    for a in found:
        score = f" CVSS {a.cvss_score}" if a.cvss_score is not None else ""
        fixed = f", fixed in {a.fixed}" if a.fixed else ""
        lines.append(f"{_name(a)} [{a.severity}{score}{fixed}]: {a.summary_en} {a.reference}")
    return "\n".join(lines)
