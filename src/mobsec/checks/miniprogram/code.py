"""The mini-program's JavaScript: secrets, plain-HTTP requests, dynamic code, debug mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from mobsec.checks.context import CheckContext
from mobsec.checks.miniprogram._common import call_finding, facts
from mobsec.checks.network.cleartext_url import LOCAL_HOSTS
from mobsec.checks.registry import check
from mobsec.checks.secrets._patterns import KEY_NAME, find_secrets, looks_random, mask
from mobsec.report.model import Confidence, Finding, Severity, Text

NETWORK_APIS = ("wx.request", "wx.downloadFile", "wx.uploadFile", "wx.connectSocket")
APP_SECRET = re.compile(r"^[0-9a-f]{32}$")
SECRET_KEY = re.compile(r"(?i)secret")
MAX_FINDINGS = 200
MIN_SECRET = 16  # shorter strings match no known secret format; skipping them halves the time
GBT_DATA = "5.4.1 数据安全 / data security"
GBT_COMMUNICATION = "5.4.2 通信安全 / communication"
GBT_CODE = "5.2.1 代码安全 / code security"


@check(
    "miniprogram.secrets.hardcoded-secret",
    title=("Hard-coded secret in the mini-program", "小程序中硬编码密钥"),
    description=(
        "The mini-program's JavaScript holds a credential: the WeChat AppSecret (32 hex "
        "characters under a name like secret/appsecret), a cloud or API key of a known "
        "format, or a random token under a key-like name. Anyone can unpack a .wxapkg and read "
        "it; with the AppSecret they can call the WeChat server API as the mini-program "
        "(code2Session, access tokens, user data).",
        "小程序 JavaScript 中包含凭据:微信 AppSecret(secret/appsecret 等名称下的 32 位十六进制)、已知格式的云服务或 API 密钥,"
        "或键名类似密钥的随机令牌。任何人都可以解包 .wxapkg 读取;拿到 AppSecret 即可冒充小程序调用微信服务端接口"
        "(code2Session、access_token、用户数据)。",
    ),
    remediation=(
        "Reset the AppSecret in the WeChat admin console, keep it on your server only, and "
        "call code2Session and other server APIs from the server.",
        "在微信公众平台重置 AppSecret,仅保存在服务端,并由服务端调用 code2Session 等接口。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[798],
    masvs=["MASVS-STORAGE-1", "MASVS-CRYPTO-2"],
    owasp=["M1"],
    gbt_34975=[GBT_DATA],
)
def hardcoded_secret(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[str] = set()
    checked: set[tuple[str | None, str]] = set()
    for s in facts(ctx).js.strings:
        if s.value in seen or (s.key, s.value) in checked or len(seen) >= MAX_FINDINGS:
            continue
        checked.add((s.key, s.value))
        what = None
        confidence = None
        if s.key and SECRET_KEY.search(s.key) and APP_SECRET.match(s.value):
            what = Text("WeChat AppSecret", "微信 AppSecret")
        elif len(s.value) >= MIN_SECRET and (hits := find_secrets(s.value)):
            what = hits[0].pattern.name
            confidence = hits[0].pattern.confidence
        elif s.key and KEY_NAME.search(s.key) and looks_random(s.value):
            what, confidence = Text("key-like value", "疑似密钥"), Confidence.MEDIUM
        if what is None:
            continue
        seen.add(s.value)
        yield ctx.file_finding(
            s.file,
            line=s.line,
            evidence=f'{s.module}: {s.key or ""}{": " if s.key else ""}"{mask(s.value)}"',
            key=f"{s.module}:{s.key}:{mask(s.value)}",
            confidence=confidence,
            message=Text(
                f"{what.en} in {s.module}: {mask(s.value)}",
                f"{s.module} 中的{what.zh}:{mask(s.value)}",
            ),
        )


def _remote_cleartext(url: str) -> bool:
    if not url.startswith(("http://", "ws://")):
        return False
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return bool(host) and host not in LOCAL_HOSTS and not host.startswith("127.")


@check(
    "miniprogram.network.cleartext-request",
    title=("Mini-program requests a plain-HTTP URL", "小程序请求明文 HTTP 地址"),
    description=(
        "wx.request (or downloadFile / uploadFile / connectSocket) is called with an http:// "
        "or ws:// URL. Released mini-programs may only reach HTTPS/WSS domains configured in "
        "the admin console, so the request either fails for users or shows that domain checks "
        "were turned off in development; on the network it travels unencrypted.",
        "以 http:// 或 ws:// 地址调用 wx.request(或 downloadFile / uploadFile / connectSocket)。正式版小程序只能访问后台配置的 "
        "HTTPS/WSS 域名,该请求要么对用户失败,要么说明开发时关闭了域名校验;在网络上以明文传输。",
    ),
    remediation=(
        "Serve the endpoint over HTTPS (WSS for sockets) and add the domain to the "
        "mini-program's server domain list.",
        "为接口启用 HTTPS(socket 使用 WSS),并将域名加入小程序服务器域名列表。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def cleartext_request(ctx: CheckContext) -> Iterator[Finding]:
    for call in facts(ctx).js.calls:
        if call.callee in NETWORK_APIS and call.url and _remote_cleartext(call.url):
            yield call_finding(
                ctx,
                call,
                Text(f"{call.callee} to {call.url}", f"{call.callee} 请求 {call.url}"),
                key=call.url,
            )


@check(
    "miniprogram.code.dynamic-code",
    title=("Mini-program runs code built from strings", "小程序执行由字符串构造的代码"),
    description=(
        "eval, the Function constructor or setTimeout/setInterval with a string run code "
        "that is not in the reviewed package: code loaded or assembled at run time escapes "
        "WeChat's review and the app's own testing, and injected data becomes code.",
        "eval、Function 构造函数或以字符串为参数的 setTimeout/setInterval 会执行不在已审核包中的代码:运行时加载或拼接的代码"
        "绕过微信审核和应用自身测试,被注入的数据会变成代码。",
    ),
    remediation=(
        "Remove eval/new Function; ship the logic in the package and pass functions, not "
        "strings, to timers.",
        "移除 eval/new Function;将逻辑打包在代码包中,并向定时器传入函数而不是字符串。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[95],
    masvs=["MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_CODE],
)
def dynamic_code(ctx: CheckContext) -> Iterator[Finding]:
    for call in facts(ctx).js.calls:
        dynamic = call.callee in ("eval", "Function") or (
            call.callee in ("setTimeout", "setInterval") and call.string_arg
        )
        if dynamic and call.parsed:
            yield call_finding(
                ctx,
                call,
                Text(f"{call.callee} in {call.module}", f"{call.module} 中的 {call.callee}"),
                key=call.callee,
            )


@check(
    "miniprogram.config.debug",
    title=("Mini-program built with debug mode on", "小程序开启调试模式"),
    description=(
        "app.json sets debug true, or the code calls wx.setEnableDebug({enableDebug: true}): "
        "the vConsole debug panel and verbose logs are available to anyone using the "
        "mini-program, exposing requests, storage and internal state.",
        "app.json 中 debug 为 true,或代码调用了 wx.setEnableDebug({enableDebug: true}):任何用户都能打开 vConsole 调试面板和详细日志,"
        "请求、存储和内部状态随之暴露。",
    ),
    remediation=(
        "Remove debug from app.json and the setEnableDebug call from release code.",
        "从 app.json 中删除 debug,并从正式代码中移除 setEnableDebug 调用。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M8"],
    gbt_34975=["5.3.4 应用调试安全 / debugging"],
)
def debug_mode(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    if f.config is not None and f.config.debug:
        yield ctx.file_finding(f.config.file, evidence='"debug": true', key="debug")
    for call in f.js.calls:
        if call.callee == "wx.setEnableDebug" and call.object_keys.get("enableDebug") is True:
            yield call_finding(
                ctx,
                call,
                Text("wx.setEnableDebug(true)", "wx.setEnableDebug(true)"),
                key="setEnableDebug",
            )
