"""Secrets copied to the clipboard, which every foreground app (and keyboards) can read."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import site_args, site_flow
from ._meta import GBT_STORAGE
from ._sensitive import name_is_sensitive, sensitive_source

CLIPBOARDS = ("Landroid/content/ClipboardManager;", "Landroid/text/ClipboardManager;")
CLIP_DATA = "Landroid/content/ClipData;"
CLIP_FACTORIES = ("newPlainText", "newHtmlText")


@check(
    "android.storage.clipboard-sensitive",
    title=("Sensitive value copied to the clipboard", "敏感信息被复制到剪贴板"),
    description=(
        "A value that looks like a credential or personal information is put on the "
        "clipboard (ClipboardManager.setPrimaryClip / setText). Before Android 10 any app "
        "could read the clipboard at any time; input methods and the foreground app still "
        "can, and clipboard sync may copy it to other devices. Heuristic: decided from names "
        "in the bytecode (the value, or the clip's label).",
        "看起来是凭证或个人信息的值被放到剪贴板(ClipboardManager.setPrimaryClip / setText)。"
        "Android 10 以前任何应用都可随时读取剪贴板;输入法和前台应用至今仍可读取,剪贴板同步还"
        "可能把它复制到其他设备。启发式:依据字节码中的名称(值本身或剪贴内容的标签)判断。",
    ),
    remediation=(
        "Do not offer copying of passwords, tokens or card numbers; if unavoidable, mark the "
        "clip sensitive (ClipDescription.EXTRA_IS_SENSITIVE) and clear it after a short time.",
        "不要提供复制密码、令牌或卡号的功能;确有必要时将剪贴内容标记为敏感"
        "(ClipDescription.EXTRA_IS_SENSITIVE)并在短时间后清除。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[200],
    masvs=["MASVS-PLATFORM-3", "MASVS-STORAGE-2"],
    owasp=["M6"],
    gbt_34975=[GBT_STORAGE],
)
def clipboard_sensitive(ctx: CheckContext) -> Iterator[Finding]:
    for cls in CLIPBOARDS:
        for site in ctx.code.call_sites(cls, "setText"):
            args = site_args(site)
            if args and len(args) > 1 and (why := sensitive_source(args[1])) is not None:
                yield _finding(ctx, site, "setText", why.what, why.zh)
        for site in ctx.code.call_sites(cls, "setPrimaryClip"):
            args = site_args(site)
            flow = site_flow(site)
            if not args or len(args) < 2 or flow is None:
                continue
            for clip in args[1]:
                if clip.kind != "result" or clip.data.class_desc != CLIP_DATA:  # type: ignore[union-attr]
                    continue
                if clip.data.name not in CLIP_FACTORIES or clip.offset is None:  # type: ignore[union-attr]
                    continue
                made = flow.args_at(clip.offset)  # (label, text[, html])
                if len(made) < 2:
                    continue
                why = sensitive_source(made[1])
                what, what_zh = (why.what, why.zh) if why else (None, None)
                if what is None:
                    labels = [v.text() for v in made[0]]
                    if any(t is not None and name_is_sensitive(t) for t in labels):
                        what = f"a clip labelled {labels[0]!r}"
                        what_zh = f"标签为 {labels[0]!r} 的剪贴内容"
                if what is not None:
                    yield _finding(ctx, site, "setPrimaryClip", what, what_zh or what)
                    break


def _finding(ctx: CheckContext, site, api: str, what: str, what_zh: str) -> Finding:
    return ctx.code_finding(
        site,
        key=api,
        message=Text(f"{api} copies {what}", f"{api} 复制了 {what_zh}"),
    )
