"""Key presses and typed text written to the system log: a keylogger by accident.

An input method, a key handler (``onKeyDown``, ``dispatchKeyEvent``, ``View.OnKeyListener``,
the keyboard's ``onKey(primaryCode, ...)``) or a ``TextWatcher`` that logs what it receives
writes everything the user types — passwords included — to the log buffer. Candidates are
found by index (methods with those names, callers of the ``KeyEvent`` getters), and each is
read once: a ``Log.*`` call whose message is built from the key code, the event's character
or the typed text is reported. A value converted on the way (``(char) code``) is not
followed: the per-method data flow does not carry a source through arithmetic.

A keyboard listener's ``onKey(primaryCode, ...)`` only receives the codes its layout XML
declares (``new Keyboard(context, R.xml.keys)``): a log reached, on the method's branches,
by none of them (the fallback after cases for every declared code) is an info note that
says so. Layouts that cannot be resolved, codes the branches do not handle, app code calling
``onKey`` itself and logged text other than the code keep the finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.keyboard_layouts import declared_key_codes
from mobsec.ingest.dex import DexFile, MethodDef
from mobsec.ingest.dex.classes import ACC_STATIC
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._key_branches import reached_by_codes
from ._meta import GBT_STORAGE
from .logging import LOG, LOG_METHODS

KEY_EVENT = "Landroid/view/KeyEvent;"
KEY_GETTERS = ("getKeyCode", "getUnicodeChar", "getCharacters", "getDisplayLabel", "getNumber")
# Handler (name, proto) -> the parameters (0 = first declared) that carry what was typed.
HANDLERS = {
    ("onKeyDown", "(ILandroid/view/KeyEvent;)Z"): (0, 1),
    ("onKeyUp", "(ILandroid/view/KeyEvent;)Z"): (0, 1),
    ("onKeyLongPress", "(ILandroid/view/KeyEvent;)Z"): (0, 1),
    ("onKeyPreIme", "(ILandroid/view/KeyEvent;)Z"): (0, 1),
    ("onKeyMultiple", "(IILandroid/view/KeyEvent;)Z"): (0, 2),
    ("dispatchKeyEvent", "(Landroid/view/KeyEvent;)Z"): (0,),
    ("onKey", "(Landroid/view/View;ILandroid/view/KeyEvent;)Z"): (1, 2),
    ("onKey", "(I[I)V"): (0,),  # KeyboardView.OnKeyboardActionListener (an IME's keyboard)
    ("onText", "(Ljava/lang/CharSequence;)V"): (0,),
    ("onTextChanged", "(Ljava/lang/CharSequence;III)V"): (0,),
    ("afterTextChanged", "(Landroid/text/Editable;)V"): (0,),
}
MAX_DEPTH = 8
KEYBOARD_ON_KEY = ("onKey", "(I[I)V")
KEYBOARD_LISTENER = "Landroid/inputmethodservice/KeyboardView$OnKeyboardActionListener;"


@check(
    "android.storage.keystroke-log",
    title=("Key presses or typed text written to the log", "按键或输入内容被写入日志"),
    description=(
        "A key handler, an input method or a TextWatcher writes the key code, the "
        "character of a key event or the text being typed to android.util.Log. Everything "
        "the user types there — passwords, messages, card numbers — ends up in the log "
        "buffer, which adb, crash reporters and (on old Android) apps with READ_LOGS read.",
        "按键处理方法、输入法或 TextWatcher 把按键码、按键事件的字符或正在输入的文本写入 "
        "android.util.Log。用户在此输入的一切(密码、消息、卡号)都会进入日志缓冲区,可被 adb、"
        "崩溃上报工具以及(旧版 Android 上)拥有 READ_LOGS 权限的应用读取。",
    ),
    remediation=(
        "Never log key codes or typed text; remove debug logging from input handling "
        "(R8 -assumenosideeffects for android.util.Log in release builds).",
        "不要记录按键码或输入内容;移除输入处理中的调试日志(正式版中对 android.util.Log 使用 R8 "
        "-assumenosideeffects)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[532, 200],
    masvs=["MASVS-STORAGE-2", "MASVS-PRIVACY-1"],
    owasp=["M6", "M9"],
    gbt_34975=[GBT_STORAGE],
)
def keystroke_log(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[tuple[str, int]] = set()
    for dex, method, params in _candidates(ctx):
        if (dex.name, method.method_idx) in seen:
            continue
        seen.add((dex.name, method.method_idx))
        flow = method_flow(dex, method)
        if flow is None:
            continue
        typed = _Typed(flow, params)
        keyboard = _KeyboardCodes(ctx, dex, method, flow, params)
        name = dex.method_ref(method.method_idx).name
        for c in flow.invokes():
            if c.callee.class_desc != LOG or c.callee.name not in LOG_METHODS:
                continue
            args = flow.args_at(c.offset)
            if not any(typed.derived(a) for a in args[1:]):
                continue
            message = Text(
                f"{name} writes what the user types (key code, key character or text) to "
                f"Log.{c.callee.name}",
                f"{name} 把用户输入的内容(按键码、按键字符或文本)写入 Log.{c.callee.name}",
            )
            severity = None
            unreached = keyboard.unreached(c.offset, args[1:])
            if unreached is not None:
                # No key of the keyboard gets there: only a code the layout never sends would.
                severity = Severity.INFO
                message = Text(
                    f"{name} logs the key code only in a branch no key of its keyboard layout "
                    f"reaches (every declared code is handled before it: {unreached})",
                    f"{name} 仅在键盘布局中任何按键都到达不了的分支中记录按键码(布局声明的每个按键码"
                    f"都已在此之前处理:{unreached})",
                )
            yield ctx.method_finding(
                dex,
                method.method_idx,
                c.offset,
                key=f"Log.{c.callee.name}",
                message=message,
                severity=severity,
            )


class _KeyboardCodes:
    """For a keyboard listener's ``onKey(primaryCode, keyCodes)``: whether a log is
    reached by no code the app's keyboard layouts declare (:mod:`mobsec.facts.
    keyboard_layouts`, :mod:`._key_branches`). Anything unknown answers "reached": layouts
    not resolved, app code calling ``onKey`` itself (any code then), a logged value that is
    not only the code."""

    def __init__(
        self,
        ctx: CheckContext,
        dex: DexFile,
        method: MethodDef,
        flow: MethodFlow,
        params: tuple[int, ...],
    ) -> None:
        ref = dex.method_ref(method.method_idx)
        self.codes: frozenset[int] | None = None
        if (ref.name, ref.proto) != KEYBOARD_ON_KEY or method.access_flags & ACC_STATIC:
            return
        if ctx.code.call_sites(ref.class_desc, ref.name, ref.proto) or ctx.code.call_sites(
            KEYBOARD_LISTENER, ref.name, ref.proto
        ):
            return  # the app calls it with codes of its own choosing
        self.codes = declared_key_codes(ctx.facts)
        self.flow = flow
        self.others = _Typed(flow, ())  # typed values other than the code parameter
        cfg = flow.cfg
        self.register = cfg.registers - cfg.ins + 1  # after ``this``

    def unreached(self, offset: int, args: list[frozenset[Value]]) -> str | None:
        """The declared codes (text) when none of them reaches the log at ``offset``."""
        if self.codes is None or any(self.others.derived(a) for a in args):
            return None
        if reached_by_codes(self.flow, self.register, sorted(self.codes), offset):
            return None
        return ", ".join(str(c) for c in sorted(self.codes)) or "no keys"


def _candidates(ctx: CheckContext) -> Iterator[tuple[DexFile, MethodDef, tuple[int, ...]]]:
    """Methods to read: key handlers defined in the app, and callers of KeyEvent getters."""
    for dex in ctx.code.dexes:
        for (name, proto), params in HANDLERS.items():
            for idx in ctx.facts.calls.method_ids_named(dex, name):
                if dex.method_ref(idx).proto != proto:
                    continue
                method = dex.method_by_idx(idx)
                if method is not None and method.code_off:
                    yield dex, method, params
    for name in KEY_GETTERS:
        for site in ctx.facts.calls.of(KEY_EVENT, name):
            method = site.dex.method_by_idx(site.caller_idx)
            if method is not None:
                yield site.dex, method, ()


class _Typed:
    """Which values in one method are what the user typed, or built from it."""

    def __init__(self, flow: MethodFlow, params: tuple[int, ...]) -> None:
        self.flow = flow
        self.params = params

    def derived(self, values: frozenset[Value], depth: int = 0) -> bool:
        if depth > MAX_DEPTH:
            return False
        for v in values:
            if v.kind == "param" and v.data in self.params:
                return True
            if v.kind == "concat" and self.derived(frozenset(v.data), depth + 1):  # type: ignore[arg-type]
                return True
            if v.kind == "result" and v.offset is not None:
                callee = v.data
                if callee.class_desc == KEY_EVENT and callee.name in KEY_GETTERS:  # type: ignore[union-attr]
                    return True
                # String.valueOf(code), Integer.toString(code), text.toString(), sb.append(..)
                if any(self.derived(a, depth + 1) for a in self.flow.args_at(v.offset)):
                    return True
        return False
