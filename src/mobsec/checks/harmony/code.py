"""Strings of the Ark bytecode, native libraries and text files: hard-coded secrets and
plain-HTTP endpoints.

ABC files are not decoded (no call graph), so these checks read string items: a URL is
reported where the code holds it, not where it is fetched; hence medium confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from mobsec.checks.context import CheckContext
from mobsec.checks.harmony._common import GBT_COMMUNICATION, facts
from mobsec.checks.network.cleartext_url import LOCAL_HOSTS, NAMESPACE_HOSTS
from mobsec.checks.registry import check
from mobsec.checks.secrets._patterns import find_secrets, mask, mask_in
from mobsec.report.model import Confidence, Finding, Severity, Text

URL = re.compile(r"\b(?:http|ws)://[A-Za-z0-9.\-_\[\]:]+(?:/[^\s'\"`<>)]*)?")
MAX_FINDINGS = 200
DOCUMENTATION_HOSTS = ("example.com", "example.org", "example.net")


def cleartext_host(url: str) -> str | None:
    """The host of a plain-HTTP URL that leaves the device, else None."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    if host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".local"):
        return None
    if host in NAMESPACE_HOSTS or any(host.endswith("." + h) for h in NAMESPACE_HOSTS):
        return None
    if host.endswith(DOCUMENTATION_HOSTS):  # RFC 2606 names used in samples and docs
        return None
    return host


@check(
    "harmony.network.cleartext-url",
    title=("Plain-HTTP endpoint in the app's code", "代码中包含明文 HTTP 地址"),
    description=(
        "The Ark bytecode, a native library or a packaged file holds an http:// (or ws://) "
        "URL of a remote host. Requests to it travel unencrypted and can be read or changed on the network. "
        "The bytecode is read for strings only, so whether and where the URL is requested is "
        "not proven (medium confidence).",
        "方舟字节码、原生库或包内文件中包含远程主机的 http://(或 ws://)地址,对其的请求以明文传输,可能在网络上被读取或篡改。"
        "字节码仅按字符串读取,无法证明该地址是否以及在何处被请求(置信度中)。",
    ),
    remediation=(
        "Serve the endpoint over HTTPS and change the URL to https://.",
        "为该接口启用 HTTPS,并将地址改为 https://。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def cleartext_url(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for s in facts(ctx).code_lines():
        for m in URL.finditer(s.text):
            url = m.group(0)
            if cleartext_host(url) is None or (s.file, url) in seen:
                continue
            seen.add((s.file, url))
            yield ctx.file_finding(
                s.file,
                evidence=s.text[:300],
                key=url,
                message=Text(f"plain-HTTP URL {url}", f"明文 HTTP 地址 {url}"),
            )
            if len(seen) >= MAX_FINDINGS:
                return


@check(
    "harmony.secrets.hardcoded-secret",
    title=("Hard-coded secret in a HarmonyOS package", "鸿蒙安装包中硬编码密钥"),
    description=(
        "A string in the Ark bytecode, a native library or a packaged file has the format of a credential "
        "(cloud access key, API token, private key, password in a URL). Anyone can unpack the "
        "HAP and read it.",
        "方舟字节码、原生库或包内文件中的字符串符合凭据格式(云服务访问密钥、API 令牌、私钥、URL 中的密码等),"
        "任何人都可以解包 HAP 读取。",
    ),
    remediation=(
        "Remove the secret from the package, revoke it, and obtain credentials at run time "
        "from your server for the signed-in user.",
        "从安装包中删除该密钥并将其吊销,运行时再由服务端按登录用户下发凭据。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[798],
    masvs=["MASVS-STORAGE-1", "MASVS-CRYPTO-2"],
    owasp=["M1", "M9"],
    gbt_34975=["5.4.1 数据安全 / data security"],
)
def hardcoded_secret(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for s in facts(ctx).code_lines():
        for hit in find_secrets(s.text):
            if (s.file, hit.value) in seen:
                continue
            seen.add((s.file, hit.value))
            p = hit.pattern
            yield ctx.file_finding(
                s.file,
                evidence=mask_in(s.text[:300], [hit.value]),
                key=f"{p.id}:{mask(hit.value)}",
                severity=p.severity,
                confidence=p.confidence,
                message=Text(f"{p.name.en}: {mask(hit.value)}", f"{p.name.zh}:{mask(hit.value)}"),
            )
            if len(seen) >= MAX_FINDINGS:
                return
