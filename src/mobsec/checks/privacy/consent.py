"""PI read before the user can consent (191号文 3.1), no privacy policy at all (1.1)."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.privacy._common import GBT_PRIVACY
from mobsec.checks.registry import check
from mobsec.facts.privacy.early import ROOT_KIND_ZH, early_accesses
from mobsec.facts.privacy.presence import find_policy_evidence
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "android.privacy.pi-before-consent",
    title=("Personal information read before consent", "同意前收集个人信息"),
    description=(
        "A catalogued PI source is called on a path that runs before a consent dialog can be "
        "answered: Application.attachBaseContext/onCreate, a content provider's onCreate, or "
        "the launcher activity's onCreate, directly or within two calls (SDK initialisation "
        "included). Notice 191 3.1 treats collecting PI before consent as a violation. "
        "Heuristic: a consent flag checked before the call is not recognised.",
        "在用户能够响应同意弹窗之前运行的路径上调用了个人信息读取接口:Application 的 "
        "attachBaseContext/onCreate、内容提供器的 onCreate、启动页的 onCreate,直接调用或在两层"
        "调用之内(含 SDK 初始化)。191号文 3.1 将征得同意前收集个人信息认定为违规。启发式:"
        "调用前对同意标志的判断无法识别。",
    ),
    remediation=(
        "Show the privacy policy first and initialise SDKs and read PI only after the user "
        "agrees (most Chinese SDKs offer a delayed-init or privacy-consent API).",
        "先展示隐私政策,在用户同意后再初始化 SDK、读取个人信息(多数国内 SDK 提供延迟初始化或"
        "隐私合规接口)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
    standards={"191": ("3.1",), "MIIT-337": ("1",)},
)
def pi_before_consent(ctx: CheckContext) -> Iterator[Finding]:
    for e in early_accesses(ctx.facts):
        a = e.access
        via = " -> ".join(p.split("->", 1)[-1] for p in e.path)
        yield ctx.code_finding(
            a.site,
            key=f"{a.source.id}|{e.root}",
            message=Text(
                f"{a.source.name.en} runs before consent: {e.root_kind} {via}",
                f"{a.source.name.zh} 在同意前执行:{ROOT_KIND_ZH.get(e.root_kind, e.root_kind)} {via}",
            ),
        )


@check(
    "android.privacy.no-privacy-policy",
    title=("No privacy policy found in the app", "应用中未发现隐私政策"),
    description=(
        "Neither resource strings, assets, nor the app's code contain a privacy-policy text, "
        "title or link. Notice 191 1.1: an app without a privacy policy (or without collection "
        "rules in it) has not published its rules. A policy loaded only from a server at "
        "run time is not visible statically.",
        "资源字符串、assets 文件和应用代码中均未发现隐私政策文字、标题或链接。191号文 1.1:App "
        "中没有隐私政策或政策中没有收集使用规则,属于未公开收集使用规则。仅在运行时从服务器加载"
        "的隐私政策在静态分析中不可见。",
    ),
    remediation=(
        "Ship a privacy policy (or a link to it) shown on first run, in Simplified Chinese "
        "for the Chinese market, listing each PI type, purpose and embedded SDK.",
        "在应用中提供隐私政策(或其链接)并在首次运行时展示,面向国内市场需提供简体中文版,逐项"
        "列明个人信息类型、目的及嵌入的 SDK。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[359],
    masvs=["MASVS-PRIVACY-3"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
    standards={"191": ("1.1",)},
)
def no_privacy_policy(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None or find_policy_evidence(ctx.facts):
        return
    if not ctx.facts.pi_collection.uses and not ctx.facts.pi_collection.permission_pi_types():
        return  # an app that touches no PI needs no collection rules
    yield ctx.manifest_finding(
        line=m.application.line,
        subject="application",
        message=Text(
            "No privacy-policy text, link or asset in the package, yet the app reads PI",
            "安装包中没有隐私政策文字、链接或文件,但应用读取了个人信息",
        ),
    )
