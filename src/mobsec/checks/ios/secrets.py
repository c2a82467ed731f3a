"""Known-format secrets (the Android patterns catalog) in binaries, Info.plist and text files."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_DATA, facts
from mobsec.checks.registry import check
from mobsec.checks.secrets._patterns import mask, mask_in
from mobsec.checks.secrets._sources import MIN_LEN, search_many, text_lines
from mobsec.report.model import Confidence, Finding, Severity, Text


def _plist_strings(value: object, out: list[str], budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        return
    if isinstance(value, str):
        if len(value) >= MIN_LEN:
            out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _plist_strings(v, out, budget)
    elif isinstance(value, list):
        for v in value:
            _plist_strings(v, out, budget)


@check(
    "ios.secrets.hardcoded",
    title=("Hard-coded secret (key, token, password)", "硬编码的机密(密钥、令牌、口令)"),
    description=(
        "A value in a known secret format (cloud keys, API tokens, private keys, URLs with "
        "credentials) is shipped in the app's binary, Info.plist or bundled files, where "
        "anyone with the IPA can read it.",
        "应用的二进制、Info.plist 或随包文件中含有已知格式的机密(云服务密钥、API 令牌、私钥、带凭证的"
        "URL),任何拿到 IPA 的人都能读取。",
    ),
    remediation=(
        "Remove the secret, revoke it, and fetch short-lived credentials from your server.",
        "删除并吊销该机密,运行时从服务端获取短期凭证。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[798],
    masvs=["MASVS-STORAGE-1", "MASVS-CRYPTO-2"],
    owasp=["M1", "M9"],
    gbt_34975=[GBT_DATA],
)
def hardcoded(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    sources: list[tuple[str, list[str]]] = []
    by_file: dict[str, list[str]] = {}
    for s in f.strings:
        if len(s.text) >= MIN_LEN:
            by_file.setdefault(s.file, []).append(s.text)
    sources.extend(by_file.items())
    info_strings: list[str] = []
    _plist_strings(f.info, info_strings, [20_000])
    sources.append((f.info_path, info_strings))
    for name, data in f.text_files():
        if name == f.info_path:
            continue
        text = text_lines(data)
        if text:
            sources.append((name, text.splitlines()))
    done: set[tuple[str, str]] = set()
    for path, texts in sources:
        for hit in search_many(texts):
            p, value = hit.match.pattern, hit.match.value
            key = f"{p.id}:{mask(value)}"
            if (path, key) in done:
                continue
            done.add((path, key))
            yield ctx.file_finding(
                path,
                evidence=mask_in(texts[hit.text_index][:200], [value]),
                key=key,
                severity=p.severity,
                confidence=p.confidence,
                message=Text(f"{p.name.en}: {mask(value)}", f"{p.name.zh}:{mask(value)}"),
            )
