"""User-interface leaks visible in the compiled interface files (nibs and storyboards)."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_STORAGE, facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

# A NIB archive lists every key name once: a key absent from the file is set on no object.
TEXT_INPUT = (b"UITextField\x00", b"UITextView\x00")
OPT_OUT_KEYS = (b"UIAutocorrectionType", b"UISecureTextEntry")
OPT_OUT_SELECTORS = frozenset({"setAutocorrectionType:", "setSecureTextEntry:"})


@check(
    "ios.ui.keyboard-cache",
    title=("Text input cached by the keyboard", "文本输入会被键盘缓存"),
    description=(
        "An interface file has text fields but none of them turns autocorrection off or is "
        "a secure entry, and the code never changes that: iOS keeps what is typed there in "
        "the keyboard's autocorrection cache, readable outside the app.",
        "界面文件中有文本输入框,但没有任何一个关闭自动更正或设为安全输入,代码中也未修改:iOS 会把"
        "输入的内容保存在键盘的自动更正缓存中,可在应用外读取。",
    ),
    remediation=(
        "For fields that take personal or secret data set autocorrectionType = .no (and "
        "isSecureTextEntry for passwords), in Interface Builder or in code.",
        "对输入个人信息或机密的输入框设置 autocorrectionType = .no(口令框设置 isSecureTextEntry),"
        "可在 Interface Builder 或代码中设置。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    cwe=[524],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)
def keyboard_cache(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    if f.selectors() & OPT_OUT_SELECTORS:
        return  # the code sets it at run time; which field it covers is not visible here
    for name, data in f.nib_files():
        if any(t in data for t in TEXT_INPUT) and not any(k in data for k in OPT_OUT_KEYS):
            kinds = [t.rstrip(b"\x00").decode() for t in TEXT_INPUT if t in data]
            yield ctx.file_finding(
                name,
                evidence=f"{', '.join(kinds)} without UIAutocorrectionType / UISecureTextEntry",
                key=name.rsplit("/", 1)[-1],
                message=Text(
                    f"{name.rsplit('/', 1)[-1]}: {', '.join(kinds)}",
                    f"{name.rsplit('/', 1)[-1]}:{'、'.join(kinds)}",
                ),
            )
