"""JNI functions that copy the data Java passes them into a stack buffer without a bound.

``strcpy(buf, (*env)->GetStringUTFChars(env, s, 0))`` with ``char buf[N]`` on the stack:
the Java caller (any app component that reaches the native method) chooses how many bytes
are written, past the buffer and over the saved return address. The machine code is read
by :mod:`mobsec.facts.native_arm64`; a length check of the same input before the copy
(``strlen``/``GetStringUTFLength`` compared with something) is taken as a bound.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.native._jni import input_zh, java_name, jni_analyses, owner_of_function
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "android.native.unbounded-copy-of-jni-input",
    title=(
        "JNI input copied into a stack buffer without a length limit",
        "JNI 输入未经长度限制复制到栈缓冲区",
    ),
    description=(
        "A JNI function copies the string it receives from Java into a buffer on its own "
        "stack with strcpy, stpcpy, strcat or sprintf (or memcpy with the length of the Java "
        "array or string), and nothing compares the input's length first: a longer string from the Java side overflows the buffer and can "
        "overwrite the return address (stack buffer overflow). Found by reading the arm64 "
        "machine code of the JNI functions (exported Java_* or registered from JNI_OnLoad).",
        "JNI 函数使用 strcpy、stpcpy、strcat 或 sprintf(或按 Java 数组/字符串长度调用 memcpy)将从 Java "
        "收到的数据复制到自身栈上的缓冲区,"
        "且此前没有比较输入的长度:Java 侧传入更长的字符串就会溢出该缓冲区,并可能覆盖返回地址(栈缓冲区"
        "溢出)。通过读取 JNI 函数(导出的 Java_* 或由 JNI_OnLoad 注册)的 arm64 机器码发现。",
    ),
    remediation=(
        "Check the length (GetStringUTFLength) against the buffer size and use bounded "
        "functions (strlcpy, snprintf), or allocate the buffer from the input's length; "
        "build with -D_FORTIFY_SOURCE=2 and -fstack-protector-strong.",
        "根据缓冲区大小检查长度(GetStringUTFLength),使用有界函数(strlcpy、snprintf),或按输入长度"
        "分配缓冲区;使用 -D_FORTIFY_SOURCE=2 和 -fstack-protector-strong 编译。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[121, 120],
    masvs=["MASVS-CODE-4"],
    owasp=["M4", "M7"],
    gbt_34975=["5.2.3 本地代码安全 / native code"],
)
def unbounded_copy_of_jni_input(ctx: CheckContext) -> Iterator[Finding]:
    for item in jni_analyses(ctx):
        for c in item.analysis.copies:
            method = java_name(c.function)
            zh_input = input_zh(c.input_from)
            if c.length_of:
                how = Text(
                    f"with {c.callee}() sized by the length of {c.length_of}, never checked",
                    f"使用 {c.callee}() 按 {input_zh(c.length_of)} 的长度(未检查)",
                )
                check = "length of the input never compared before"
            else:
                how = Text(f"with {c.callee}() without a length limit", f"使用 {c.callee}()")
                check = "no length check of the input before"
            yield ctx.file_finding(
                item.lib.path,
                evidence=(
                    f"{item.lib.path} {c.function} at 0x{c.offset:x}: {c.callee}(sp"
                    f"{c.stack_offset:+#x}, {c.input_from}) — destination in the function's "
                    f"stack frame, {check}"
                ),
                key=f"{item.name}:{c.function}:{c.callee}:{c.offset:x}",
                owner=owner_of_function(ctx, c.function),
                message=Text(
                    f"{item.name}: native method {method}() copies {c.input_from} into a "
                    f"stack buffer {how.en}",
                    f"{item.name}:本地方法 {method}() {how.zh}将 {zh_input} 复制到栈缓冲区,"
                    "没有长度限制",
                ),
            )
