"""Personal information the mini-program reads through wx.* APIs, and whether it declares it."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.miniprogram._common import call_finding, facts
from mobsec.checks.privacy._common import GBT_PRIVACY
from mobsec.checks.registry import check
from mobsec.facts.miniprogram import pi_type_names
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "miniprogram.privacy.sensitive-api",
    title=("Mini-program reads personal information", "小程序读取个人信息"),
    description=(
        "The code calls a wx.* API that returns personal information (location, phone "
        "number, shipping address, profile, clipboard, photos...). Each call is listed so the "
        "collection can be checked against the privacy policy and the user's consent; the "
        "report's PI section groups them by type.",
        "代码调用了返回个人信息的 wx.* 接口(位置、手机号、收货地址、头像昵称、剪贴板、照片等)。逐一列出以便与隐私政策和用户授权比对;"
        "报告的个人信息部分按类型汇总。",
    ),
    remediation=(
        "Call these APIs only when the user uses the feature that needs them, declare them in "
        "the user privacy protection guide and the privacy policy.",
        "仅在用户使用相关功能时调用这些接口,并在《用户隐私保护指引》和隐私政策中声明。",
    ),
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
)
def sensitive_api(ctx: CheckContext) -> Iterator[Finding]:
    names = pi_type_names()
    for call, api in facts(ctx).pi_calls():
        name = names.get(api.pi_type, Text(api.pi_type, api.pi_type))
        yield call_finding(
            ctx,
            call,
            Text(f"{call.callee} reads {name.en}", f"{call.callee} 读取{name.zh}"),
            key=call.callee,
        )


@check(
    "miniprogram.privacy.undeclared-private-info",
    title=(
        "Location or address API not declared in requiredPrivateInfos",
        "位置或地址接口未在 requiredPrivateInfos 中声明",
    ),
    description=(
        "Since 14 July 2022 WeChat requires every location and address API a mini-program "
        "uses (getLocation, onLocationChange, chooseAddress...) to be listed in app.json "
        "requiredPrivateInfos. An API used but not declared is collection the user was not "
        "told about, and the call fails on current clients.",
        "自 2022 年 7 月 14 日起,微信要求小程序在 app.json 的 requiredPrivateInfos 中声明所使用的每个地理位置和地址接口"
        "(getLocation、onLocationChange、chooseAddress 等)。使用却未声明,属于未告知用户的收集,且在新版客户端上调用会失败。",
    ),
    remediation=(
        "Declare the API in requiredPrivateInfos (and scope.userLocation with its desc in "
        "permission), or stop calling it.",
        "在 requiredPrivateInfos 中声明该接口(并在 permission 中为 scope.userLocation 填写 desc),或停止调用。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
)
def undeclared_private_info(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    if f.config is None or f.pkg.kind == "minigame":
        return
    declared = set(f.config.required_private_infos)
    for call, api in f.pi_calls():
        name = call.callee[3:]
        if api.required_private_info and name not in declared:
            yield call_finding(
                ctx,
                call,
                Text(
                    f"{name} used, requiredPrivateInfos does not list it",
                    f"使用了 {name},但 requiredPrivateInfos 未声明",
                ),
                key=name,
            )
