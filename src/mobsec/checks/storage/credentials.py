"""Credentials stored in plain text in SharedPreferences or SQLite."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import site_args, words
from ._meta import GBT_STORAGE
from ._sensitive import name_is_sensitive
from ._sql import DATABASES

EDITOR = "Landroid/content/SharedPreferences$Editor;"
CONTENT_VALUES = "Landroid/content/ContentValues;"
# A call whose name or class says the value was protected before it was stored.
PROTECTING_WORDS = frozenset(
    {"encrypt", "encrypted", "cipher", "hash", "digest", "seal", "wrap", "crypt", "bcrypt",
     "scrypt", "pbkdf", "hmac", "obfuscate", "protect"}
)  # fmt: skip
PROTECTING_CLASSES = (
    "Ljavax/crypto/",
    "Ljava/security/MessageDigest;",
    "Landroidx/security/crypto/",
    "Lcom/google/crypto/tink/",
)
# A credential key name: password, pin, token ... but not "password_hint", "token_type".
NOT_A_SECRET = frozenset({"hint", "type", "length", "policy", "expiry", "expires", "saved",
                          "enabled", "required", "visible", "changed", "reset", "count"})  # fmt: skip
INSERT = re.compile(r"^\s*(?:insert|replace)\s+(?:or\s+\w+\s+)?into\s+[\"'`\[]?(\w+)", re.I)
CREATE = re.compile(
    r"create\s+table\s+(?:if\s+not\s+exists\s+)?[\"'`\[]?(\w+)[\"'`\]]?\s*\((.*)", re.I | re.S
)


def is_credential_key(key: str) -> bool:
    return name_is_sensitive(key) and not NOT_A_SECRET.intersection(words(key))


def _protected(site: CodeSite) -> bool:
    """True when the method calls something that encrypts or hashes (see module doc)."""
    for r in site.dex.invokes_in(site.caller_idx):
        ref = site.dex.method_ref(r.target)
        if ref.class_desc.startswith(PROTECTING_CLASSES):
            return True
        if PROTECTING_WORDS.intersection(words(ref.name)):
            return True
    return False


@check(
    "android.storage.plaintext-credentials",
    title=("Credential stored in plain text", "凭证以明文存储"),
    description=(
        "A value stored under a credential-like name (password, pin, token, secret...) in "
        "SharedPreferences or an SQLite table is not encrypted or hashed in the method that "
        "stores it. The files of these stores are plain text on the device: backups, root "
        "access or a file-disclosure bug in the app expose them. Heuristic: decided from the "
        "key or column name and the calls of the storing method.",
        "以凭证类名称(password、pin、token、secret 等)存入 SharedPreferences 或 SQLite 表的值,"
        "在存储它的方法中未经加密或哈希。这些存储在设备上是明文文件:备份、root 权限或应用的文件"
        "泄露漏洞都会暴露它们。启发式:依据键名或列名以及存储方法中的调用判断。",
    ),
    remediation=(
        "Do not store passwords; store a server-issued token in EncryptedSharedPreferences / "
        "an Android Keystore-protected key, and hash any local PIN with a slow KDF.",
        "不要存储密码;把服务器签发的令牌保存在 EncryptedSharedPreferences 或受 Android "
        "Keystore 保护的密钥下,本地 PIN 使用慢速 KDF 哈希后保存。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[312, 256],
    masvs=["MASVS-STORAGE-1"],
    owasp=["M9", "M1"],
    gbt_34975=[GBT_STORAGE],
)
def plaintext_credentials(ctx: CheckContext) -> Iterator[Finding]:
    yield from _key_value(ctx, EDITOR, "putString", "SharedPreferences")
    yield from _key_value(ctx, CONTENT_VALUES, "put", "ContentValues")
    yield from _sql_inserts(ctx)


def _key_value(ctx: CheckContext, cls: str, name: str, store: str) -> Iterator[Finding]:
    for site in ctx.code.call_sites(cls, name):
        args = site_args(site)
        if args is None or len(args) < 3:
            continue
        # Key names and values followed across methods (a key kept in a field, a value
        # a helper's callers pass as constants).
        resolved = ctx.facts.values
        keys = [
            t
            for v in resolved.arg_values(site, 1)
            if (t := v.text()) is not None and is_credential_key(t)
        ]
        if not keys:
            continue
        values = resolved.arg_values(site, 2)
        if not values or all(v.is_constant() for v in values):
            continue  # clearing ("") or a fixed value: not the user's credential
        if _protected(site):
            continue
        yield ctx.code_finding(
            site,
            key=f"{store}:{keys[0]}",
            message=Text(
                f"{store} stores {keys[0]!r} unencrypted", f"{store} 以明文存储 {keys[0]!r}"
            ),
        )


def _sql_inserts(ctx: CheckContext) -> Iterator[Finding]:
    """INSERT statements built from input into a table whose schema has a credential column.

    The schema comes from CREATE TABLE statements that reach execSQL in this app (data
    flow), so a table is judged by its real columns even when the INSERT lists none.
    """
    statements: list[tuple[CodeSite, list]] = []
    secret_tables: dict[str, str] = {}
    for db in DATABASES:
        for site in ctx.code.call_sites(db, "execSQL"):
            args = site_args(site)
            if args is None or len(args) < 2:
                continue
            sql = ctx.facts.values.arg_values(site, 1)  # CREATE text built from fields too
            statements.append((site, list(sql)))
            for v in sql:
                t = v.text()
                m = CREATE.search(t) if t else None
                if m:
                    cols = [
                        c.strip().split()[0].strip("\"'`[]")
                        for c in m.group(2).split(",")
                        if c.strip()
                    ]
                    secret = next((c for c in cols if is_credential_key(c)), None)
                    if secret:
                        secret_tables[m.group(1).lower()] = secret
    if not secret_tables:
        return
    for site, values in statements:
        for v in values:
            if v.kind != "concat" or v.is_constant() or not v.data:
                continue
            head = v.data[0].text()  # type: ignore[index]
            m = INSERT.match(head) if head else None
            if m and m.group(1).lower() in secret_tables and not _protected(site):
                table = m.group(1)
                col = secret_tables[table.lower()]
                yield ctx.code_finding(
                    site,
                    key=f"sql:{table}",
                    message=Text(
                        f"INSERT into {table} stores column {col!r} unencrypted",
                        f"INSERT 语句以明文写入 {table} 表的 {col!r} 列",
                    ),
                )
                break
