"""Objects another app can make this app deserialise, and the hooks that run when it does.

Why: Intent extras are a Bundle that Android unparcels inside the receiving app. Before
Android 13 (API 33) the first read of *any* extra (``getStringExtra``, ``hasExtra``,
``getExtras``) unparcels every value of the Bundle, so a Serializable or Parcelable class of
the app that the app never uses itself is still built from the sender's bytes: its
``readObject``/``readResolve``/``readExternal``/``finalize`` or its ``CREATOR`` and Parcel
constructor run with data the sender chose (a "gadget"). From API 33 a value is unparcelled
only when it is read with a typed getter (``getSerializableExtra``, ``getParcelableExtra``).

:func:`outside_reader` names an exported component (no permission) whose code reads extras
that way; when there is one, :func:`gadget_classes` of the app's own code are reachability
roots (:mod:`.reachability`). A library's classes are not: a library's gadget is that
library's vulnerability (fixed by upgrading it), not something the app's code does.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobsec.ingest.dex import DexFile, DexSet, MethodDef

SERIALIZABLE = "Ljava/io/Serializable;"
EXTERNALIZABLE = "Ljava/io/Externalizable;"
PARCELABLE = "Landroid/os/Parcelable;"
CREATORS = ("Landroid/os/Parcelable$Creator;", "Landroid/os/Parcelable$ClassLoaderCreator;")
PARCEL = "Landroid/os/Parcel;"
INTENT = "Landroid/content/Intent;"
LAZY_BUNDLE_SDK = 33  # Android 13: Bundle values are unparcelled only when read by type
# Typed reads: they build the object whatever the API level.
TYPED_READS = frozenset(
    {
        "getSerializableExtra",
        "getParcelableExtra",
        "getParcelableArrayExtra",
        "getParcelableArrayListExtra",
    }
)
OWN_CODE = frozenset({"app", "unknown"})  # "unknown": obfuscated, may be the app's own
CALLEE_DEPTH = 2  # helpers of a component that read its extras (IntentUtils.get(intent))
MAX_VISITED = 64


@dataclass(frozen=True, slots=True)
class Hook:
    """A method the runtime calls while building (or collecting) an object of ``gadget``.

    ``kind``: readObject, readObjectNoData, readResolve, readExternal, finalize,
    parcel-constructor, createFromParcel, readFromParcel.
    """

    kind: str
    gadget: str  # class descriptor of the deserialised class (the creator for createFromParcel)
    dex: DexFile
    method: MethodDef


@dataclass(frozen=True, slots=True)
class OutsideReader:
    """An exported component whose code reads Intent extras another app sends."""

    component: str  # Java name
    caller: str  # "Lcom/x/A;->onCreate(...)"
    api: str  # "getStringExtra"


SERIAL_HOOKS = {
    ("readObject", "(Ljava/io/ObjectInputStream;)V"): "readObject",
    ("readObjectNoData", "()V"): "readObjectNoData",
    ("readResolve", "()Ljava/lang/Object;"): "readResolve",
    ("readExternal", "(Ljava/io/ObjectInput;)V"): "readExternal",
    ("finalize", "()V"): "finalize",
}


def gadget_classes(code: DexSet, hierarchy, owners) -> tuple[list[str], list[str]]:
    """(Serializable, Parcelable) classes of the app's own code."""
    own = [
        [d for d in hierarchy.app_subtypes(roots) if owners.owner_of(d).kind in OWN_CODE]
        for roots in ((SERIALIZABLE, EXTERNALIZABLE), (PARCELABLE,))
    ]
    return own[0], own[1]


def hooks(code: DexSet, hierarchy, owners) -> list[Hook]:
    """The deserialisation and lifecycle hooks of the app's own deserialisable classes."""
    serial, parcel = gadget_classes(code, hierarchy, owners)
    out: list[Hook] = []
    for desc in serial:
        dex, cls = code.classes[desc]
        for m in cls.methods:
            ref = dex.method_ref(m.method_idx)
            kind = SERIAL_HOOKS.get((ref.name, ref.proto))
            if kind and m.code_off:
                out.append(Hook(kind, desc, dex, m))
    creators = [d for d in hierarchy.app_subtypes(CREATORS) if owners.owner_of(d).kind in OWN_CODE]
    for desc in parcel + creators:
        dex, cls = code.classes[desc]
        for m in cls.methods:
            if not m.code_off:
                continue
            ref = dex.method_ref(m.method_idx)
            kind = None
            if ref.name == "<init>" and PARCEL in ref.proto.split(")")[0]:
                kind = "parcel-constructor"
            elif ref.name == "createFromParcel" and desc in creators:
                kind = "createFromParcel"
            elif ref.name == "readFromParcel" and ref.proto.startswith(f"({PARCEL})"):
                kind = "readFromParcel"
            elif (ref.name, ref.proto) == ("finalize", "()V"):
                kind = "finalize"
            if kind:
                out.append(Hook(kind, desc, dex, m))
    return out


def outside_reader(facts) -> OutsideReader | None:  # facts: AppFacts (import cycle)
    """The first exported component (no permission) whose code reads Intent extras in a way
    that builds the objects in them (see the module doc), or None."""
    m = facts.manifest
    if m is None:
        return None
    lazy = (m.min_sdk or 1) >= LAZY_BUNDLE_SDK
    code = facts.code
    graph = facts.values.graph
    for c in m.components:
        if c.kind not in ("activity", "service", "receiver") or not c.enabled:
            continue
        if not c.exported or c.permission:
            continue
        desc = "L" + c.name.replace(".", "/") + ";"
        if code.find_class(desc) is None:
            continue
        todo: list[tuple[DexFile, MethodDef, int]] = []
        for d in (desc, *code.superclasses(desc)):
            found = code.find_class(d)
            if found is not None:
                todo.extend((found[0], mm, 0) for mm in found[1].methods if mm.code_off)
        seen: set[tuple[str, int]] = set()
        while todo and len(seen) < MAX_VISITED:
            dex, method, depth = todo.pop()
            key = (dex.name, method.method_idx)
            if key in seen:
                continue
            seen.add(key)
            for ref in dex.invokes_in(method.method_idx):
                callee = dex.method_ref(ref.target)
                if _reads_extras(callee, lazy):
                    caller = dex.method_ref(method.method_idx)
                    return OutsideReader(c.name, str(caller), callee.name)
                if depth < CALLEE_DEPTH:
                    for t in graph.resolve(ref.opcode, callee):
                        hit = graph.lookup(t)
                        if hit is not None:
                            todo.append((hit[0], hit[1], depth + 1))
    return None


def _reads_extras(callee, lazy: bool) -> bool:
    """An Intent's extras read (a Bundle may be the app's own saved state: not counted)."""
    if callee.class_desc != INTENT:
        return False
    name = callee.name
    if name in TYPED_READS:
        return True
    return not lazy and (
        name in ("getExtras", "hasExtra") or (name.startswith("get") and name.endswith("Extra"))
    )
