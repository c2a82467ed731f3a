"""Local storage seen in the binary: SQL built from format strings, credentials kept in
SQLite or NSUserDefaults without protection. Read from the C strings, selectors and
imports of the app's own executables, so these are medium/low confidence by nature."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_STORAGE, facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b.*\b(FROM|INTO|SET|WHERE)\b", re.I)
# A string format argument inside the statement: the value is spliced in, not bound.
SQL_FORMAT = re.compile(r"%(?:\d+\$)?[@s]")
CREDENTIAL_COLUMN = re.compile(r"\b(password|passwd|pwd|passcode|pin|secret|token)\b", re.I)
SQL_WRITE = re.compile(r"^\s*(CREATE\s+TABLE|INSERT|UPDATE|REPLACE)\b", re.I)
SQLCIPHER_IMPORTS = frozenset({"_sqlite3_key", "_sqlite3_key_v2", "_sqlite3_rekey"})
CREDENTIAL_KEYS = frozenset(
    {"password", "passwd", "pwd", "passcode", "pin", "secret", "token", "accesstoken",
     "access_token", "authtoken", "auth_token", "refreshtoken", "refresh_token", "apikey"}
)  # fmt: skip
DEFAULTS_SELECTORS = frozenset({"standardUserDefaults"})
DEFAULTS_WRITES = frozenset({"setObject:forKey:", "setValue:forKey:"})

_META = dict(
    masvs=["MASVS-STORAGE-1"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)


@check(
    "ios.storage.sql-injection",
    title=("SQL statement built with a format string", "使用格式化字符串拼接 SQL 语句"),
    description=(
        "A SQL statement in the binary contains a string format specifier (%@ or %s): the "
        "value is pasted into the SQL text (stringWithFormat:) instead of bound with "
        "sqlite3_bind_*, so input can change the query (SQL injection).",
        "二进制中的 SQL 语句含有字符串格式说明符(%@ 或 %s):值被直接拼进 SQL 文本"
        "(stringWithFormat:),而不是用 sqlite3_bind_* 绑定,输入可以改变查询(SQL 注入)。",
    ),
    remediation=(
        "Use ? placeholders and sqlite3_bind_text / Core Data predicates with arguments.",
        "使用 ? 占位符配合 sqlite3_bind_text,或使用带参数的 Core Data 谓词。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[89],
    masvs=["MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=["5.3.6 输入验证 / input validation"],
)
def sql_injection(ctx: CheckContext) -> Iterator[Finding]:
    for s in facts(ctx).strings:
        if SQL.search(s.text) and SQL_FORMAT.search(s.text):
            yield ctx.file_finding(
                s.file, evidence=s.text[:300], key=s.text, message=Text(s.text[:200], s.text[:200])
            )


@check(
    "ios.storage.plaintext-credentials-sqlite",
    title=(
        "Credentials stored in an unencrypted SQLite database",
        "凭证存储在未加密的 SQLite 数据库中",
    ),
    description=(
        "The app writes a credential column (password, PIN, token…) with SQLite and links no "
        "database encryption (SQLCipher's sqlite3_key): the value sits in a plain file in the "
        "app container, readable from backups and on jailbroken devices.",
        "应用用 SQLite 写入凭证列(口令、PIN、令牌等),且未链接数据库加密(SQLCipher 的 sqlite3_key):"
        "该值以明文文件存放在应用容器中,可从备份或越狱设备上读取。",
    ),
    remediation=(
        "Keep credentials in the Keychain (kSecAttrAccessibleWhenUnlockedThisDeviceOnly); "
        "if a database must hold secrets, encrypt it (SQLCipher) with a Keychain-held key.",
        "凭证保存在钥匙串中(kSecAttrAccessibleWhenUnlockedThisDeviceOnly);数据库确需保存机密时,"
        "使用钥匙串中的密钥加密(SQLCipher)。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[312],
    **_META,
)
def plaintext_credentials_sqlite(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    imports = f.imports()
    if not any(n.startswith("_sqlite3_") for n in imports) or imports & SQLCIPHER_IMPORTS:
        return
    for s in f.strings:
        m = CREDENTIAL_COLUMN.search(s.text)
        if m and SQL_WRITE.search(s.text):
            yield ctx.file_finding(
                s.file,
                evidence=s.text[:300],
                key=s.text,
                message=Text(
                    f"column {m.group(1)}: {s.text[:160]}", f"列 {m.group(1)}:{s.text[:160]}"
                ),
            )
            return  # one statement shows it; the table's other statements add nothing


@check(
    "ios.storage.credentials-userdefaults",
    title=("Credentials likely kept in NSUserDefaults", "凭证可能保存在 NSUserDefaults 中"),
    description=(
        "The app writes to NSUserDefaults and its strings include a credential key name "
        "(password, token, PIN…). NSUserDefaults is an unencrypted plist in the app "
        "container, included in backups.",
        "应用向 NSUserDefaults 写入数据,且其字符串中含有凭证类键名(password、token、PIN 等)。"
        "NSUserDefaults 是应用容器中未加密的 plist 文件,并会进入备份。",
    ),
    remediation=(
        "Store credentials and tokens in the Keychain, never in NSUserDefaults.",
        "凭证和令牌保存在钥匙串中,不要保存在 NSUserDefaults。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[312],
    **_META,
)
def credentials_userdefaults(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    selectors = f.selectors()
    if not (selectors & DEFAULTS_SELECTORS and selectors & DEFAULTS_WRITES):
        return
    keys = sorted({s.text for s in f.strings if s.text.lower() in CREDENTIAL_KEYS})
    if keys:
        exe = next(s.file for s in f.strings if s.text in keys)
        yield ctx.file_finding(
            exe,
            evidence="selectors: standardUserDefaults, setObject:forKey:\nkeys: " + ", ".join(keys),
            key="userdefaults",
            message=Text("keys: " + ", ".join(keys), "键名:" + "、".join(keys)),
        )
