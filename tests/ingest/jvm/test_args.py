"""Constant arguments of call sites, from javac's bytecode: pushed constants (ldc, iconst,
bipush, sipush, null) are seen; a value merged from two branches is not (None), like
``?:`` — the stack model never guesses."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.fixtures.sdkbuild import build_jar

from mobsec.ingest.jvm import MemberRef, parse_class
from mobsec.ingest.jvm.bytecode import INVOKE, param_count

SOURCE = """
package p;
public class A {
    static void f(String s, int a, int b, int c, Object o) {}
    void g(boolean flag) {
        f("key", 100, 1000, -1, null);
        f(flag ? "x" : "y", 7, 3, 0, this);
        StringBuilder sb = new StringBuilder("pre");
        sb.append(42L);
    }
}
"""


def test_constant_arguments(tmp_path: Path) -> None:
    src = tmp_path / "src" / "p"
    src.mkdir(parents=True)
    (src / "A.java").write_text(SOURCE)
    jar = build_jar(tmp_path / "src", tmp_path / "a.jar")
    with zipfile.ZipFile(jar) as z:
        cls = parse_class(z.read("p/A.class"))
    (g,) = [m for m in cls.methods if m.name == "g"]
    calls = [(i.target.name, i.args) for i in g.code if i.kind == INVOKE]
    assert all(isinstance(i.target, MemberRef) for i in g.code if i.kind == INVOKE)
    assert calls == [
        ("f", ("key", 100, 1000, -1, None)),
        ("f", (None, 7, 3, 0, None)),  # the ternary merges two values; `this` is a load
        ("<init>", ("pre",)),
        ("append", (42,)),
    ]


def test_param_count() -> None:
    assert param_count("(ILjava/lang/String;[J[[Lx/Y;DZ)V") == 6
    assert param_count("()V") == 0
    assert param_count("garbage") == 0
