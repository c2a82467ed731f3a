"""The JNI analysis of the app's arm64 libraries, shared by the checks that read it.

:func:`mobsec.facts.native_arm64.analyze_jni` runs once per library copy and app (kept in
the app's facts). Only ``arm64-v8a`` code is read: the ABI every current device runs and
every library that ships native code for phones includes; the other ABIs are the same
source built again. A budget over all libraries bounds the time an app can cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobsec.checks.context import CheckContext
from mobsec.facts.native_arm64 import JniAnalysis, analyze_jni
from mobsec.ingest.elf import NativeLibrary
from mobsec.ingest.elf_image import load_image
from mobsec.report.model import Owner

MAX_LIBRARY_BYTES = 32 * 1024 * 1024
MAX_INSNS_PER_APP = 150_000  # ~4 s at worst over all libraries (bench/bench_native.py)


@dataclass(frozen=True, slots=True)
class LibraryJni:
    lib: NativeLibrary
    name: str  # libfoo.so
    analysis: JniAnalysis


def jni_analyses(ctx: CheckContext) -> list[LibraryJni]:
    return ctx.facts.memo(("native", "jni analyses"), lambda: list(_analyse(ctx)))


def _analyse(ctx: CheckContext):
    pkg = ctx.facts.pkg
    seen: set[str] = set()
    budget = MAX_INSNS_PER_APP
    for lib in pkg.native_libraries:
        if lib.machine != "AArch64" or lib.sha256 in seen or lib.size > MAX_LIBRARY_BYTES:
            continue
        if budget <= 0:
            return
        seen.add(lib.sha256)
        data = pkg.archive.read(lib.path)
        image = load_image(bytes(data)) if data else None
        if image is None:
            continue
        analysis = analyze_jni(image, budget)
        budget -= analysis.instructions
        yield LibraryJni(lib, lib.path.rsplit("/", 1)[-1], analysis)


def java_method(function: str) -> tuple[str, str] | None:
    """(class descriptor, method name) a ``Java_*`` symbol implements (JNI name mangling)."""
    if not function.startswith("Java_"):
        return None
    mangled = function[len("Java_") :].split("__", 1)[0]  # "__": overload signature follows
    out: list[str] = []
    i = 0
    while i < len(mangled):
        c = mangled[i]
        if c != "_":
            out.append(c)
            i += 1
            continue
        nxt = mangled[i + 1 : i + 2]
        if nxt == "1":
            out.append("_")
        elif nxt == "2":
            out.append(";")
        elif nxt == "3":
            out.append("[")
        elif nxt == "0" and len(mangled) >= i + 6:
            try:
                out.append(chr(int(mangled[i + 2 : i + 6], 16)))
            except ValueError:
                return None
            i += 6
            continue
        else:
            out.append("/")
            i += 1
            continue
        i += 2
    path = "".join(out)
    if "/" not in path:
        return None
    cls, method = path.rsplit("/", 1)
    return f"L{cls};", method


def owner_of_function(ctx: CheckContext, function: str) -> Owner:
    """Who owns a JNI function: the owner of the Java class that declares it."""
    target = java_method(function)
    if target is None:
        return Owner("app")
    return ctx.owner_of(target[0])


def java_name(function: str) -> str:
    """``jakhar.aseem.diva.DivaJni.access`` for a JNI symbol (the symbol itself otherwise)."""
    target = java_method(function)
    if target is None:
        return function
    return target[0][1:-1].replace("/", ".") + "." + target[1]


def input_zh(text: str) -> str:
    """The zh-CN form of an input description ("GetStringUTFChars(Java parameter 1)")."""
    return text.replace("Java parameter ", "Java 参数 ").replace("call at ", "调用位置 ")
