"""Deserialisation gadgets: the app's own Serializable/Parcelable classes whose hooks act on
the data they are built from.

Any app can put a Serializable or Parcelable object of *this* app's classes into the extras
of an Intent it sends here; the first read of the extras builds it (see
:mod:`mobsec.facts.deserialization`). A class whose ``readObject``/``readResolve``/
``readExternal``/``finalize`` or Parcel constructor deletes, writes or opens a file, loads a
class, runs a command, SQL or native code with a value read from the stream/Parcel (or a
field the stream restores) hands that effect to the sender, even if the app never
deserialises the class itself. The value's origin is decided by the data flow
(:mod:`mobsec.facts.dataflow`) and followed across methods by :mod:`mobsec.facts.values`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.facts.dataflow import Value, method_flow
from mobsec.facts.deserialization import (
    EXTERNALIZABLE,
    SERIALIZABLE,
    Hook,
    hooks,
    outside_reader,
)
from mobsec.ingest.dex import DexFile, MethodRef
from mobsec.ingest.dex.classes import ACC_NATIVE, ACC_STATIC
from mobsec.report.model import Confidence, Finding, Severity, Text

ACC_TRANSIENT = 0x80
MAX_DEPTH = 3  # app methods below a hook that are searched for the effect
MAX_METHODS = 32  # methods searched per hook
MAX_ORIGIN = 6  # steps from a value back to where it was read
STREAMS = frozenset({"Ljava/io/ObjectInputStream;", "Ljava/io/ObjectInput;",
                     "Ljava/io/DataInput;", "Ljava/io/ObjectInputStream$GetField;",
                     "Landroid/os/Parcel;"})  # fmt: skip
CONTEXT = "Landroid/content/Context;"


@dataclass(frozen=True, slots=True)
class Effect:
    en: str
    zh: str
    args: tuple[int, ...]  # positions in the call's argument list (receiver first)
    severity: Severity = Severity.HIGH


DELETE = Effect("deletes the file", "删除文件", (0,))
WRITE = Effect("writes the file", "写入文件", (1,))
OPEN = Effect("opens the file", "打开文件", (1,), Severity.MEDIUM)
CLASS = Effect("loads the class", "加载类", (0,), Severity.MEDIUM)
REFLECT = Effect("instantiates or invokes by reflection", "通过反射实例化或调用", (0,))
EXEC = Effect("runs the command", "执行命令", (1, 2))
SQL = Effect("runs the SQL", "执行 SQL", (1,))
CODE = Effect("loads code from", "加载代码", (1,))
NATIVE = Effect("calls native code", "调用本地代码", ())
# (class, method) -> what the call does with the argument positions named
EFFECTS: dict[tuple[str, str], Effect] = {
    ("Ljava/io/File;", "delete"): DELETE,
    ("Ljava/io/File;", "deleteOnExit"): DELETE,
    ("Ljava/io/File;", "renameTo"): Effect("renames the file", "重命名文件", (0, 1)),
    (CONTEXT, "deleteFile"): Effect("deletes the file", "删除文件", (1,)),
    (CONTEXT, "deleteDatabase"): Effect("deletes the database", "删除数据库", (1,)),
    ("Ljava/io/FileOutputStream;", "<init>"): WRITE,
    ("Ljava/io/FileWriter;", "<init>"): WRITE,
    ("Ljava/io/RandomAccessFile;", "<init>"): WRITE,
    ("Ljava/io/PrintWriter;", "<init>"): WRITE,
    ("Ljava/io/FileInputStream;", "<init>"): OPEN,
    ("Ljava/io/FileReader;", "<init>"): OPEN,
    ("Ljava/lang/Class;", "forName"): CLASS,
    ("Ljava/lang/ClassLoader;", "loadClass"): Effect("loads the class", "加载类", (1,)),
    ("Ljava/lang/Class;", "newInstance"): REFLECT,
    ("Ljava/lang/reflect/Constructor;", "newInstance"): REFLECT,
    ("Ljava/lang/reflect/Method;", "invoke"): REFLECT,
    ("Ljava/lang/Runtime;", "exec"): EXEC,
    ("Ljava/lang/ProcessBuilder;", "<init>"): EXEC,
    ("Ljava/lang/ProcessBuilder;", "command"): EXEC,
    ("Landroid/database/sqlite/SQLiteDatabase;", "execSQL"): SQL,
    ("Landroid/database/sqlite/SQLiteDatabase;", "rawQuery"): SQL,
    ("Ldalvik/system/DexClassLoader;", "<init>"): CODE,
    ("Ldalvik/system/PathClassLoader;", "<init>"): CODE,
    ("Ljava/lang/System;", "load"): Effect("loads the native library", "加载本地库", (0,)),
    ("Ljava/lang/Runtime;", "load"): Effect("loads the native library", "加载本地库", (1,)),
}


@check(
    "android.icc.deserialization-gadget",
    title=(
        "Class another app can have deserialised acts on its data",
        "可被其他应用触发反序列化的类依据其数据执行危险操作",
    ),
    description=(
        "A Serializable, Externalizable or Parcelable class of the app deletes, writes or "
        "opens a file, loads a class, runs a command, SQL or native code in a hook the "
        "runtime calls while building or collecting the object (readObject, readResolve, "
        "readExternal, finalize, the CREATOR / Parcel constructor), with a value read from "
        "the stream or Parcel or a field the stream restores. Any app can put such an "
        "object into the extras of an Intent it sends to an exported component: before "
        "Android 13 the first read of any extra builds every object in them, so the sender "
        "chooses the file, class, command or pointer even if the app never uses the class.",
        "应用中的 Serializable、Externalizable 或 Parcelable 类在运行时构建或回收对象时调用的钩子"
        "(readObject、readResolve、readExternal、finalize、CREATOR / Parcel 构造函数)中,使用从流或 "
        "Parcel 读出的值或由流恢复的字段来删除、写入或打开文件、加载类、执行命令、SQL 或本地代码。"
        "任何应用都可以把这样的对象放进发给导出组件的 Intent 附加数据中:Android 13 之前,读取任一"
        "附加数据就会构建其中全部对象,因此即使应用自身从不使用该类,发送方也能决定文件、类、命令"
        "或指针。",
    ),
    remediation=(
        "Do not act on deserialised data in these hooks: validate in readObject and keep "
        "effects in explicit methods the app calls; mark native handles and paths transient; "
        "read extras with getSerializableExtra(name, Class) / getParcelableExtra(name, "
        "Class) (API 33+) and never build classes named by the data.",
        "不要在这些钩子中依据反序列化得到的数据执行操作:在 readObject 中只做校验,把操作放到应用显式"
        "调用的方法里;本地句柄和路径字段声明为 transient;使用 getSerializableExtra(name, Class) / "
        "getParcelableExtra(name, Class)(API 33+)读取附加数据,且不要按数据中给出的类名构建类。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[502],
    masvs=["MASVS-CODE-4", "MASVS-PLATFORM-1"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENT],
)
def deserialization_gadget(ctx: CheckContext) -> Iterator[Finding]:
    facts = ctx.facts
    found = hooks(ctx.code, facts.hierarchy, facts.owners)
    if not found:
        return
    hook_keys = {(h.dex.name, h.method.method_idx) for h in found}
    origin = _Origins(ctx, found)
    reader = outside_reader(facts)
    for hook in found:
        hits = list(_effects(ctx, hook, hook_keys, origin))
        if not hits:
            continue
        # One weakness at one place: the hook's most severe effect (the first in code order).
        effect, call_offset, sink, source = min(hits, key=lambda h: _RANK[h[0].severity])
        yield ctx.method_finding(
            hook.dex,
            hook.method.method_idx,
            call_offset,
            key=hook.kind,
            severity=effect.severity,
            message=_message(hook, effect, sink, source, reader),
        )


_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1}


def _message(hook: Hook, effect: Effect, sink: tuple[str, str], source, reader) -> Text:
    ref = hook.dex.method_ref(hook.method.method_idx)
    where = f"{java_name(ref.class_desc).rsplit('.', 1)[-1]}.{ref.name}"
    en = f"{where} {effect.en} ({sink[0]}) with {source[0]}"
    zh = f"{where} 以{source[1]}{effect.zh}({sink[1]})"
    if reader is not None:
        en += f"; another app can send it: exported {reader.component} reads Intent extras"
        zh += f";其他应用可发送该对象:导出组件 {reader.component} 读取 Intent 附加数据"
    return Text(en, zh)


def _effects(ctx: CheckContext, hook: Hook, hook_keys, origin: _Origins):
    """(effect, offset in the hook, sink text, source) for each dangerous call the hook
    makes, itself or through app methods it calls, with data the sender controls."""
    graph = ctx.facts.values.graph
    todo = [(hook.dex, hook.method, 0, None)]
    visited: set[tuple[str, int]] = set()
    path: set[tuple[str, int]] = set()
    while todo and len(visited) < MAX_METHODS:
        dex, method, depth, at = todo.pop(0)
        key = (dex.name, method.method_idx)
        if key in visited:
            continue
        visited.add(key)
        path.add(key)
        flow = method_flow(dex, method)
        if flow is None:
            continue
        for call in flow.invokes():
            here = call.offset if at is None else at
            effect = _effect(ctx, call.callee)
            if effect is not None:
                args = flow.args_at(call.offset)
                positions = effect.args or tuple(range(len(args)))
                for pos in positions:
                    if pos < len(args):
                        src = origin.of(hook, dex, method.method_idx, args[pos], path)
                        if src is not None:
                            yield effect, here, _sink(dex, method, call, at), src
                            break
                continue
            if depth >= MAX_DEPTH:
                continue
            for t in graph.resolve(call.opcode, call.callee):
                hit = graph.lookup(t)
                if hit is None or (hit[0].name, hit[1].method_idx) in hook_keys:
                    continue  # another hook is searched (and reported) on its own
                todo.append((hit[0], hit[1], depth + 1, here))


def _effect(ctx: CheckContext, callee: MethodRef) -> Effect | None:
    got = EFFECTS.get((callee.class_desc, callee.name))
    if got is not None:
        return got
    if callee.name in ("deleteFile", "deleteDatabase") and ctx.facts.hierarchy.is_subtype(
        callee.class_desc, CONTEXT
    ):
        return EFFECTS[(CONTEXT, callee.name)]
    found = ctx.code.find_class(callee.class_desc)
    if found is not None:
        dex, cls = found
        for m in cls.methods:
            if m.access_flags & ACC_NATIVE and dex.method_ref(m.method_idx)[1:] == callee[1:]:
                return NATIVE
    return None


class _Origins:
    """Whether a value comes from the stream/Parcel the hook reads (or a field it restores),
    and how to say so: ("ObjectInputStream.readUTF()", "ObjectInputStream.readUTF() 的值")."""

    def __init__(self, ctx: CheckContext, found: list[Hook]) -> None:
        self.ctx = ctx
        self.values = ctx.facts.values
        self.hierarchy = ctx.facts.hierarchy
        self.hook_methods = {(h.dex.name, h.method.method_idx): h for h in found}
        self._fields: dict[tuple, tuple[str, str] | None] = {}
        self._restores: dict[str, bool] = {}

    def of(self, hook: Hook, dex: DexFile, midx: int, values, path) -> tuple[str, str] | None:
        for v in values:
            got = self._value(hook, dex, midx, v, path, 0)
            if got is not None:
                return got
        return None

    def _value(self, hook, dex, midx, v: Value, path, depth) -> tuple[str, str] | None:
        if depth > MAX_ORIGIN or v.is_constant():
            return None
        flow = self.values.flow(dex, midx)
        if flow is None:
            return None
        if v.kind == "result":
            callee: MethodRef = v.data  # type: ignore[assignment]
            if callee.class_desc in STREAMS and callee.name.startswith(("read", "create", "get")):
                text = f"{_simple(callee)}()"
                return f"the value of {text}", f" {text} 读出的值"
            if self.ctx.code.find_class(callee.class_desc) is None and v.offset is not None:
                # a library call (Class.forName, getMethod, toString...) made from the data
                for a in flow.args_at(v.offset):
                    got = self._many(hook, dex, midx, a, path, depth + 1)
                    if got is not None:
                        return got
                return None
            return self._across(hook, dex, midx, v, path, depth)
        if v.kind == "field":
            return self._field(hook, v.data)
        if v.kind == "new" and v.offset is not None:
            for call in flow.invokes():
                if call.callee.name != "<init>" or call.callee.class_desc != v.data:
                    continue
                args = flow.args_at(call.offset)
                if args and v in args[0]:
                    for a in args[1:]:
                        got = self._many(hook, dex, midx, a, path, depth + 1)
                        if got is not None:
                            return got
            return None
        if v.kind == "concat":
            return self._many(hook, dex, midx, v.data, path, depth + 1)
        if v.kind == "param":
            return self._across(hook, dex, midx, v, path, depth)
        return None

    def _many(self, hook, dex, midx, values, path, depth):
        for v in values:
            got = self._value(hook, dex, midx, v, path, depth)
            if got is not None:
                return got
        return None

    def _across(self, hook, dex, midx, v: Value, path, depth):
        """A parameter or an app method's result, followed by the value analysis; only what
        was made on the way from this hook counts (the helper's other callers do not)."""
        for r in self.values.resolve(dex, midx, (v,)):
            if r.made_in is None or r.value == v:
                continue
            rdex, ridx = r.made_in
            if (rdex.name, ridx) not in path:
                continue
            got = self._value(hook, rdex, ridx, r.value, path, depth + 1)
            if got is not None:
                return got
        return None

    def _field(self, hook: Hook, field) -> tuple[str, str] | None:
        """A field the stream restores (a non-transient field of a Serializable class), or
        one a hook of its class sets from the stream/Parcel."""
        shown = f"field {field.name}"
        if hook.kind == "readObjectNoData":
            return None  # called when the stream has no data for the class: defaults only
        if self._restored(field) and not (
            hook.kind == "readObject"
            and field.class_desc == hook.gadget
            and not self._default(hook)
        ):
            return f"{shown} (restored from the stream)", f"由流恢复的字段 {field.name} "
        key = (field, hook.kind)
        if key in self._fields:
            return self._fields[key]
        self._fields[key] = None  # a cycle through this field adds nothing
        got = None
        for site in self.ctx.code.field_writes(field.class_desc, field.name, field.type_desc):
            h = self.hook_methods.get((site.dex.name, site.caller_idx))
            if h is None or (h.gadget != field.class_desc and h.kind != "createFromParcel"):
                continue
            flow = self.values.flow(site.dex, site.caller_idx)
            i = flow.cfg.by_pc.get(site.offset) if flow is not None else None
            if flow is None or i is None or not flow.cfg.insns[i].regs:
                continue
            stored = flow.values_of(site.offset, flow.cfg.insns[i].regs[0])
            src = self._many(
                h, site.dex, site.caller_idx, stored, {(site.dex.name, site.caller_idx)}, 1
            )
            if src is not None:
                got = (f"{shown} (set from {src[0]})", f"字段 {field.name}(来自{src[1].strip()})")
                break
        self._fields[key] = got
        return got

    def _restored(self, field) -> bool:
        """Non-transient instance field of a Serializable (not Externalizable) class."""
        desc = field.class_desc
        if not self.hierarchy.is_subtype(desc, SERIALIZABLE) or self.hierarchy.is_subtype(
            desc, EXTERNALIZABLE
        ):
            return False
        found = self.ctx.code.find_class(desc)
        if found is None:
            return False
        dex, cls = found
        for f in cls.instance_fields:
            ref = dex.pools.field_ref(f.field_idx)
            if ref.name == field.name and ref.type_desc == field.type_desc:
                return not f.access_flags & (ACC_TRANSIENT | ACC_STATIC)
        return False

    def _default(self, hook: Hook) -> bool:
        """The readObject hook restores its class's fields (defaultReadObject/readFields)."""
        key = f"{hook.dex.name}:{hook.method.method_idx}"
        got = self._restores.get(key)
        if got is None:
            flow = method_flow(hook.dex, hook.method)
            got = flow is not None and any(
                c.callee.name in ("defaultReadObject", "readFields") for c in flow.invokes()
            )
            self._restores[key] = got
        return got


def _sink(dex: DexFile, method, call, at) -> tuple[str, str]:
    """(en, zh): the call, and the helper it is in when the hook does not make it itself."""
    sink = f"{_simple(call.callee)} @{call.offset:04x}"
    if at is None:
        return sink, sink
    through = f"{_simple(dex.method_ref(method.method_idx))} -> {sink}"
    return f"via {through}", f"经 {through}"


def _simple(ref: MethodRef) -> str:
    return f"{java_name(ref.class_desc).rsplit('.', 1)[-1]}.{ref.name}"
