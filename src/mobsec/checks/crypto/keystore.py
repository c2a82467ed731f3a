"""Key store files written without a password."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import Reached, ValueAnalysis, is_null, texts
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._meta import GBT_STORAGE, MASVS_CRYPTO_KEYS, OWASP_CRYPTO
from ._sites import calls

KEYSTORE = "Ljava/security/KeyStore;"
# Hardware-backed key stores that take no password: a null protection is how they are used.
NO_PASSWORD_STORES = frozenset({"ANDROIDKEYSTORE", "ANDROIDCAKEYSTORE"})
# method -> (argument count with receiver, position of the password/protection)
PROTECTED_CALLS = {
    "setKeyEntry": (5, 3),  # setKeyEntry(String alias, Key key, char[] password, Certificate[])
    "setEntry": (4, 3),  # setEntry(String alias, Entry entry, ProtectionParameter protParam)
    "store": (3, 2),  # store(OutputStream stream, char[] password)
}


def _store_type(resolver: ValueAnalysis, site: CodeSite, receiver: frozenset) -> str | None:
    """The type named at KeyStore.getInstance for the receiver, when the method shows it."""
    types: set[str] = set()
    for v in receiver:
        callee = v.data
        if v.kind != "result" or getattr(callee, "class_desc", None) != KEYSTORE:
            return None
        if callee.name == "getDefaultType":
            types.add("default")
            continue
        if callee.name != "getInstance" or v.offset is None:
            return None
        made = CodeSite(site.dex, site.caller, site.caller_idx, v.offset, 0x71)
        names = [t for t, _r in texts(resolver.arg(made, 0, follow_parameters=False))]
        if not names:
            return None
        types.update(names)
    if not types or any(t.upper() in NO_PASSWORD_STORES for t in types):
        return None
    return ", ".join(sorted(types))


def _empty(r: Reached) -> bool:
    v = r.value
    if is_null(r):
        return True
    return v.kind == "array" and v.data.length == 0  # type: ignore[union-attr]


@check(
    "android.crypto.keystore-no-protection",
    title=("Key store entry or file without a password", "密钥库条目或文件未设置口令"),
    description=(
        "A file-based key store (PKCS12, BKS, ...) gets a key entry or is written out with a "
        "null or empty password, so the private or secret keys in it are readable by anyone "
        "who obtains the file (backup, rooted device, external storage). The AndroidKeyStore, "
        "which takes no password, is not reported.",
        "基于文件的密钥库(PKCS12、BKS 等)写入密钥条目或保存到文件时口令为 null 或空,获得该文件的人"
        "(备份、已 root 的设备、外部存储)都能读取其中的私钥或密钥。不需要口令的 AndroidKeyStore 不在"
        "此列。",
    ),
    remediation=(
        "Keep keys in the AndroidKeyStore; if a file key store is unavoidable, protect entries "
        "and the file with a password that is not stored next to it.",
        "将密钥保存在 AndroidKeyStore 中;若必须使用文件密钥库,为条目和文件设置口令,且口令不可与其"
        "存放在一起。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[522, 311],
    masvs=[MASVS_CRYPTO_KEYS],
    owasp=[OWASP_CRYPTO, "M9"],
    gbt_34975=[GBT_STORAGE],
)
def keystore_no_protection(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for name, (arity, position) in PROTECTED_CALLS.items():
        for site in calls(ctx, KEYSTORE, name):
            args = resolver.raw_args(site)
            if len(args) != arity or not args[0]:
                continue
            if not any(_empty(r) for r in resolver.arg(site, position, follow_parameters=False)):
                continue
            store_type = _store_type(resolver, site, args[0])
            if store_type is None:
                continue
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f"KeyStore.{name} with a null or empty password on a {store_type} key store",
                    f"在 {store_type} 密钥库上调用 KeyStore.{name} 时口令为 null 或空",
                ),
            )
