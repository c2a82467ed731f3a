"""Test-framework code shipped in a release package: one finding, not a source of findings.

JUnit, Mockito, Espresso, androidx.test, Robolectric... belong to the test build. Inside a
shipped APK they enlarge the attack surface (Mockito/ByteBuddy generate code at run time,
androidx.test declares activities) and show the build mixed test dependencies into the
release. Their own code is not the app's: findings inside it are set apart
(``reachability: "test-code"``, see :mod:`mobsec.checks.scope`) and this one finding
stands for all of it. A test APK (it declares ``<instrumentation>``) is meant to hold them,
and so is the app a test APK drives (its only activities are androidx.test's).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mobsec.checks.code._common import GBT_CODE
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.reachability import TEST_PREFIXES, is_test_class, is_test_target
from mobsec.report.model import Confidence, Finding, Severity, Text

MAX_EVIDENCE = 12


@check(
    "android.code.test-code-shipped",
    title=("Test code shipped in the package", "安装包中包含测试代码"),
    description=(
        "The package contains test-framework code (JUnit, Mockito, Espresso, androidx.test, "
        "Robolectric...). Test dependencies belong to the test build: shipped, they add code "
        "an attacker can use (run-time code generation, test activities) and show the release "
        "build pulls in test dependencies. Findings inside this code are set apart and not "
        "reported one by one.",
        "安装包中包含测试框架代码(JUnit、Mockito、Espresso、androidx.test、Robolectric 等)。"
        "测试依赖应只用于测试构建:随正式包发布会增加可被利用的代码(运行时代码生成、测试用 "
        "Activity),也说明发布构建混入了测试依赖。这些代码中的其他发现不再逐条报告。",
    ),
    remediation=(
        "Declare test libraries as testImplementation/androidTestImplementation, not "
        "implementation, and check the release APK's classes.",
        "将测试库声明为 testImplementation/androidTestImplementation 而不是 implementation,"
        "并检查正式版 APK 中的类。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-CODE-4"],
    owasp=["M7"],
    gbt_34975=GBT_CODE,
)
def test_code_shipped(ctx: CheckContext) -> Iterator[Finding]:
    root = ctx.facts.pkg.manifest_xml
    if root is not None and any(el.tag == "instrumentation" for el in root.iter()):
        return  # a test APK: test code is what it is for
    if ctx.manifest is not None and is_test_target(ctx.manifest):
        return  # driven by a test APK: the test libraries are its runtime
    per_prefix: Counter[str] = Counter()
    for desc in ctx.code.classes:
        if is_test_class(desc):
            per_prefix[next(p for p in TEST_PREFIXES if desc.startswith(p))] += 1
    if not per_prefix:
        return
    total = sum(per_prefix.values())
    names = ", ".join(p[1:-1].replace("/", ".") for p, _n in per_prefix.most_common())
    evidence = "\n".join(
        f"{p[1:-1].replace('/', '.')}*: {n} classes"
        for p, n in per_prefix.most_common(MAX_EVIDENCE)
    )
    yield ctx.file_finding(
        "",
        evidence=evidence,
        message=Text(
            f"{total} test-framework classes shipped ({names})",
            f"随包发布了 {total} 个测试框架类({names})",
        ),
        key="test-code",
    )
