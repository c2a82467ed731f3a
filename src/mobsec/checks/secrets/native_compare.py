"""JNI functions that compare the data Java passes them with a constant in the library.

The native twin of ``android.secrets.hardcoded-credential-check``: a crackme's or a
vendor's key check written in C (``strncmp(input, "s3cret", 6)``) keeps the secret in the
library, readable by anyone, whether it sits in .rodata or is built byte by byte on the
stack to hide it from ``strings``. The machine code is read by
:mod:`mobsec.facts.native_arm64`; this module decides what is worth reporting and masks
the value like every secret finding (:func:`._patterns.mask`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.native._jni import java_name, jni_analyses, owner_of_function
from mobsec.checks.registry import check
from mobsec.facts.native_arm64 import BYTE_LOOP, ConstantCompare
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._patterns import mask

GBT = ["5.4.1 数据安全 / data security"]
MIN_SECRET_LEN = 4
# What a JNI function compares its input with that is not a secret: a command or keyword
# (one short word: "start", "GET", "encrypt"), a path or URL prefix, a format string.
KEYWORD = re.compile(r"[A-Za-z_-]{1,12}")
NOT_SECRET = re.compile(r"^/|://|%")


def shown(raw: bytes) -> str:
    """The constant as text, non-printable bytes escaped (\\x00)."""
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in raw)


ALPHABET_RUN = 6  # "0123456789abcdef", "ABCDEFGH...": a lookup table, not a secret


def _has_alphabet_run(raw: bytes) -> bool:
    run = 1
    for a, b in itertools.pairwise(raw):
        run = run + 1 if b == a + 1 else 1
        if run >= ALPHABET_RUN:
            return True
    return False


def is_secret_like(raw: bytes) -> bool:
    text = shown(raw)
    if len(raw) < MIN_SECRET_LEN or len(set(raw)) < 2 or _has_alphabet_run(raw):
        return False
    return not KEYWORD.fullmatch(text) and not NOT_SECRET.search(text)


@check(
    "android.secrets.native-hardcoded-secret",
    title=(
        "Native code compares Java input with a hard-coded secret",
        "本地代码将 Java 输入与硬编码机密比较",
    ),
    description=(
        "A JNI function passes the string or bytes it receives from Java to strcmp, strncmp "
        "or memcmp together with a constant of the library (a string in its data, or bytes "
        "the code stores on the stack one by one). The secret the check protects ships in "
        "the library: disassembling it reveals the value, and it cannot be changed without "
        "an update. Found by reading the arm64 machine code of the exported Java_* "
        "functions; a single short word, a path, a URL prefix or a format string is not "
        "reported (commands and keywords, not secrets).",
        "JNI 函数将从 Java 收到的字符串或字节与库中的常量(数据段中的字符串,或代码逐字节写入栈上的字节)"
        "一起传给 strcmp、strncmp 或 memcmp。该校验所保护的机密就在库中:反汇编即可得到其值,且不更新"
        "应用就无法更改。通过读取 JNI 函数(导出的 Java_* 或由 JNI_OnLoad 注册)的 arm64 机器码发现;单个短单词、路径、URL 前缀或"
        "格式字符串不报告(它们是命令和关键字,不是机密)。",
    ),
    remediation=(
        "Do not verify secrets in the app: check them on the server, or compare against a "
        "salted slow hash (PBKDF2/scrypt/Argon2). Obfuscating the constant in native code "
        "only delays extraction.",
        "不要在应用内校验机密:在服务端校验,或与加盐慢哈希(PBKDF2/scrypt/Argon2)比较。在本地代码中"
        "混淆常量只能延缓其被提取。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[798, 259],
    masvs=["MASVS-STORAGE-1", "MASVS-RESILIENCE-4"],
    owasp=["M1", "M7"],
    gbt_34975=GBT,
)
def native_hardcoded_secret(ctx: CheckContext) -> Iterator[Finding]:
    for item in jni_analyses(ctx):
        done: set[tuple[str, bytes]] = set()
        for c in item.analysis.compares:
            if not is_secret_like(c.constant) or (c.function, c.constant) in done:
                continue
            done.add((c.function, c.constant))
            masked = mask(shown(c.constant))
            method = java_name(c.function)
            how = _how(c)
            evidence = (
                f"{item.lib.path} {c.function} at 0x{c.offset:x}: {how.en}, "
                f"{c.input_from} against {masked} — the constant is {len(c.constant)} bytes, "
                f"{c.constant_from}"
            )
            yield ctx.file_finding(
                item.lib.path,
                evidence=evidence,
                key=f"{item.name}:{c.function}:{masked}",
                owner=owner_of_function(ctx, c.function),
                message=Text(
                    f"{item.name}: native method {method}() compares its input with the "
                    f"constant {masked} ({how.en})",
                    f"{item.name}:本地方法 {method}() 将其输入与常量 {masked} 比较({how.zh})",
                ),
            )


def _how(c: ConstantCompare) -> Text:
    if c.callee != BYTE_LOOP:
        return Text(c.callee, c.callee)
    if c.xor_with:
        return Text(
            f"byte by byte, after XOR with the buffer at {c.xor_with}",
            f"逐字节比较,先与 {c.xor_with} 处的缓冲区异或",
        )
    return Text("byte by byte", "逐字节比较")
