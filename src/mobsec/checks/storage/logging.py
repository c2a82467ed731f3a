"""Secrets and personal information written to the system log."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.dex import CodeSite, DexFile, MethodRef
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import callee_of, param_types, site_args, words
from ._meta import GBT_STORAGE
from ._sensitive import (
    PI_APIS,
    SENSITIVE_WORDS,
    Sensitive,
    name_is_sensitive,
    sensitive_source,
    text_labels_secret,
)

LOG = "Landroid/util/Log;"
LOG_METHODS = ("v", "d", "i", "w", "e", "wtf", "println")
STRING = "Ljava/lang/String;"


@check(
    "android.storage.sensitive-log",
    title=("Sensitive value written to the log", "敏感信息写入日志"),
    description=(
        "A value that looks like a credential or personal information (a field or getter "
        "named password/token/pin/secret..., a device identifier from TelephonyManager, "
        "location, or a value the code itself labels as such) reaches android.util.Log. "
        "Logs are kept in a system buffer that apps with READ_LOGS, adb and crash reporters "
        "read. Heuristic: decided from names in the bytecode.",
        "看起来是凭证或个人信息的值(名为 password/token/pin/secret 等的字段或 getter、"
        "TelephonyManager 的设备标识、位置,或代码自身标注为此类信息的值)被传入 "
        "android.util.Log。日志保存在系统缓冲区中,可被拥有 READ_LOGS 权限的应用、adb 和崩溃上报"
        "工具读取。启发式:依据字节码中的名称判断。",
    ),
    remediation=(
        "Do not log secrets or personal data; strip debug logging from release builds "
        "(R8 -assumenosideeffects for android.util.Log) or log only non-identifying values.",
        "不要记录密钥或个人数据;在正式版中移除调试日志(R8 对 android.util.Log 使用 "
        "-assumenosideeffects),或只记录不能识别个人的值。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[532],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M6", "M9"],
    gbt_34975=[GBT_STORAGE],
)
def sensitive_log(ctx: CheckContext) -> Iterator[Finding]:
    checked: dict[tuple[int, int], bool] = {}
    decided: dict[tuple[int, int, int], bool] = {}
    for name in LOG_METHODS:
        for site in ctx.code.call_sites(LOG, name):
            if not _may_hold_secret(site, checked, decided):
                continue
            args = site_args(site)
            if args is None:
                continue
            callee = callee_of(site)
            if callee is None:
                continue
            types = param_types(callee.proto)
            # The message: every String argument after the tag.
            positions = [i for i, t in enumerate(types) if t == STRING][1:]
            tag = _secret_tag(args[positions[0] - 1]) if positions else None
            for pos in positions:
                if pos >= len(args):
                    continue
                why = sensitive_source(args[pos])
                if why is None and tag is not None and not _constant(args[pos]):
                    why = Sensitive(
                        f'value logged under tag "{tag}"', False, f'标签 "{tag}" 下的值'
                    )
                if why is None:
                    continue
                yield ctx.code_finding(
                    site,
                    key=f"Log.{name}",
                    confidence=Confidence.MEDIUM if why.strong else Confidence.LOW,
                    message=Text(f"Log.{name} writes {why.what}", f"Log.{name} 写入了 {why.zh}"),
                )
                break


def _secret_tag(values: frozenset) -> str | None:
    """A constant tag that is nothing but a secret's name (``Log.d("password", x)``): the
    developer labelled the message. A tag that merely mentions one (a class name like
    ``PasswordResetActivity``) labels nothing."""
    texts = {v.text() for v in values}
    if len(texts) != 1:
        return None
    (text,) = texts
    ws = words(text or "")
    return text if ws and all(w in SENSITIVE_WORDS for w in ws) else None


def _constant(values: frozenset) -> bool:
    return bool(values) and all(v.is_constant() for v in values)


def _may_hold_secret(
    site: CodeSite, memo: dict[tuple[int, int], bool], decided: dict[tuple[int, int, int], bool]
) -> bool:
    """Cheap pre-filter from the method's reference lists: a sensitive-looking string,
    field or call must occur in the method before data flow is worth computing (apps log
    from thousands of methods; most mention nothing sensitive). ``memo`` keeps the answer
    per method, ``decided`` per string, field and callee (methods share most of them)."""
    key = (id(site.dex), site.caller_idx)
    if key in memo:
        return memo[key]
    dex = site.dex
    found = (
        any(
            _decided(decided, dex, 1, r.target, lambda i: text_labels_secret(dex.string(i)[:200]))
            for r in dex.strings_in(site.caller_idx)
        )
        or any(
            _decided(
                decided, dex, 2, r.target, lambda i: name_is_sensitive(dex.pools.field_ref(i).name)
            )
            for r in dex.field_reads_in(site.caller_idx)
        )
        or any(
            _decided(decided, dex, 3, r.target, lambda i: _sensitive_call(dex.method_ref(i)))
            for r in dex.invokes_in(site.caller_idx)
        )
    )
    memo[key] = found
    return found


def _decided(
    decided: dict[tuple[int, int, int], bool],
    dex: DexFile,
    kind: int,
    idx: int,
    decide: Callable[[int], bool],
) -> bool:
    """``decide(idx)`` for a string (1), field (2) or callee (3) of ``dex``, once."""
    key = (id(dex), kind, idx)
    got = decided.get(key)
    if got is None:
        got = decided[key] = decide(idx)
    return got


def _sensitive_call(ref: MethodRef) -> bool:
    if (ref.class_desc, ref.name) in PI_APIS:
        return True
    return ref.name.startswith("get") and name_is_sensitive(ref.name[3:])
