"""Which of the app's methods can run: a call graph from the app's real entry points.

Why: most findings in third-party code sit in library methods the app never calls; a
tester cannot sign a finding whose code cannot run. The graph is built by rapid type
analysis (RTA) over every class in the package (SDK code included, since app code calls
into it):

* roots: the components the merged manifest declares that exist and are enabled (their
  constructors and callbacks), the Application, the AppComponentFactory and backup agent,
  instrumentation, classes named in layouts and XML resources (custom views, fragments,
  preference screens) and in manifest attributes/meta-data, and the app's own static
  ``main(String[])`` methods (run by ``app_process`` over adb);
* a class is *instantiated* when reached code creates it (``new-instance``), names it as a
  literal (``const-class``, reflection) or spells its name in a string constant
  (``Class.forName("com.x.Y")``): then its virtual methods become callable;
* a direct/static/super call reaches the definition (walking up superclasses), a virtual
  or interface call reaches every instantiated class's method with that name and
  prototype (no points-to analysis: RTA is sound enough and cheap);
* the framework calls back into an instantiated class: every virtual method of a class
  with a framework ancestor (Android, ``javax.net.ssl``...) counts, and only the usual
  callback names for classes whose foreign supertypes are plain Java types (``Runnable``,
  ``Comparator``, ``Serializable``...);
* the first use of a class (static call, static field, instantiation) runs ``<clinit>``;
* objects handed to ``addJavascriptInterface`` expose every method to page scripts;
* when an exported component reads another app's Intent extras, the app's own
  Serializable classes are instantiated (their ``readObject``/``finalize``... hooks run) and
  its Parcelable classes initialised (their ``CREATOR`` builds them), see
  :mod:`.deserialization`.

When the app's entry points cannot be found (no manifest, components missing from the DEX
files: the code is loaded at run time by a packer) the answer is "unknown" for every method
and no finding is hidden. An APK that declares ``<instrumentation>`` runs its test classes
through the test runner's reflection, and an APK whose launcher is test infrastructure
(its only activities are androidx.test's) is driven by such a test APK: their own classes all
count as roots.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from mobsec.facts.deserialization import gadget_classes, outside_reader
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.ingest.dex import DexFile, DexSet, MethodDef
from mobsec.ingest.dex.classes import ACC_ABSTRACT, ACC_NATIVE
from mobsec.ingest.dex.index import FIELD_READS, FIELD_WRITES, INVOKES, STRINGS, TYPES

STATIC_INVOKES = frozenset((0x71, 0x77))
DIRECT_INVOKES = frozenset((0x70, 0x76, 0x6F, 0x75))  # direct and super
VIRTUAL_INVOKES = frozenset((0x6E, 0x72, 0x74, 0x78))  # virtual and interface
NEW_INSTANCE = 0x22
CONST_CLASS = 0x1C
STATIC_FIELD_OPS = frozenset(range(0x60, 0x6E))  # sget*, sput*
MAX_HIERARCHY = 256

# Names the framework or the Java runtime calls on objects it was handed, for classes whose
# only foreign supertypes are java.*/kotlin.* types (Runnable, Comparator, Iterable...).
JAVA_CALLBACKS = frozenset(
    {
        "run",
        "call",
        "compare",
        "compareTo",
        "equals",
        "hashCode",
        "toString",
        "iterator",
        "hasNext",
        "next",
        "remove",
        "close",
        "accept",
        "apply",
        "get",
        "test",
        "invoke",
        "uncaughtException",
        "handle",
        "execute",
        "finalize",
        "clone",
        "values",
        "valueOf",
        "readObject",
        "writeObject",
        "readResolve",
        "writeReplace",
        "readObjectNoData",
        "getDelay",
        "onSuccess",
        "onFailure",
        "onResponse",
    }
)
# Foreign supertypes that do not make the runtime call arbitrary methods of the object:
# markers and the common java.lang/java.util types (only the names above are called).
PLAIN_JAVA = frozenset(
    {
        "Ljava/io/Serializable;",
        "Ljava/io/Externalizable;",
        "Ljava/lang/Cloneable;",
        "Ljava/lang/Comparable;",
        "Ljava/lang/Runnable;",
        "Ljava/lang/Iterable;",
        "Ljava/lang/AutoCloseable;",
        "Ljava/io/Closeable;",
        "Ljava/lang/Enum;",
        "Ljava/lang/Throwable;",
        "Ljava/lang/Exception;",
        "Ljava/lang/RuntimeException;",
        "Ljava/lang/Error;",
        "Ljava/lang/Thread;",
        "Ljava/util/Comparator;",
        "Ljava/util/Iterator;",
        "Ljava/util/concurrent/Callable;",
    }
)
OBJECT = "Ljava/lang/Object;"
# What ObjectInputStream calls on the objects it builds (private methods included).
DESERIALISATION_HOOKS = (
    ("readObject", "(Ljava/io/ObjectInputStream;)V"),
    ("readObjectNoData", "()V"),
    ("readResolve", "()Ljava/lang/Object;"),
    ("readExternal", "(Ljava/io/ObjectInput;)V"),
    ("finalize", "()V"),
)
JS_INTERFACE = ("addJavascriptInterface", "(Ljava/lang/Object;Ljava/lang/String;)V")


def _sig_key(desc: str, name: str, proto: str) -> str:
    return f"{desc}->{name}{proto}"


class Reachability:
    """The app's reachable methods; ``is_reachable`` answers for one method."""

    limit = 1 << 62  # reachable methods after which the walk stops (subclasses bound it)

    def __init__(
        self,
        code: DexSet,
        roots: Iterable[str],
        all_methods_of: Iterable[str],
        static_entries: Iterable[tuple[str, str, str]] = (),
        deserialised: tuple[Iterable[str], Iterable[str]] = ((), ()),
        lookups: Reachability | None = None,
    ) -> None:
        """``lookups``: an earlier graph over the same code whose name/member caches this
        one reuses (they depend on the code only, not on the roots)."""
        self.code = code
        self.known = True
        self.reachable: set[str] = set()
        self.instantiated: set[str] = set()
        self._activated: set[str] = set()
        self._initialized: set[str] = set()
        self._called: set[tuple[str, str]] = set()
        self._pending: dict[tuple[str, str], list[tuple[str, DexFile, MethodDef]]] = {}
        if lookups is not None and lookups.known:
            # the same code: what was looked up once need not be looked up again
            self._members, self._resolved = lookups._members, lookups._resolved
            self._foreign, self._java_names = lookups._foreign, lookups._java_names
            self._strings, self._fields = lookups._strings, lookups._fields
            self._protos, self._chains = lookups._protos, lookups._chains
        else:
            self._members: dict[str, dict[tuple[str, str], tuple[DexFile, MethodDef]]] = {}
            self._resolved: dict[tuple[int, int], tuple[str, str, str]] = {}
            self._foreign: dict[str, int] = {}
            self._java_names = {d[1:-1].replace("/", "."): d for d in code.classes}
            self._strings: dict[tuple[int, int], str | None] = {}
            self._fields: dict[tuple[int, int], str] = {}
            self._protos: dict[tuple[int, int], str] = {}
            self._chains: dict[str, list[str]] = {}
        self._work: deque[tuple[DexFile, MethodDef]] = deque()
        self._current: tuple[int, int] | None = None  # (id(dex), method_idx) being walked
        for desc in roots:
            self._framework_created(desc)
        for desc in all_methods_of:
            self._framework_created(desc, every_method=True)
        for desc, name, proto in static_entries:
            self._init_class(desc)
            self._define(desc, name, proto)
        serial, parcel = deserialised
        for desc in serial:  # built from another app's bytes: its hooks run
            self._activate(desc)
            for name, proto in DESERIALISATION_HOOKS:
                self._define(desc, name, proto)
        for desc in parcel:  # unparcelling reads CREATOR: <clinit>, then createFromParcel
            self._init_class(desc)
        self._run()

    @classmethod
    def unknown(cls) -> Reachability:
        """No entry points could be found: every method may run."""
        self = cls.__new__(cls)
        self.known = False
        self.reachable = set()
        self.instantiated = set()
        return self

    # -- queries ----------------------------------------------------------------------------

    def is_reachable(self, class_desc: str, method: str) -> bool:
        """``method`` is "name(proto)ret", as in a finding's location."""
        if not self.known:
            return True
        return _sig_key(class_desc, *_split(method)) in self.reachable

    def class_reachable(self, class_desc: str) -> bool:
        """Some method of the class can run (for findings about a class as a whole)."""
        if not self.known:
            return True
        return class_desc in self._activated or class_desc in self._initialized

    def to_json(self) -> dict[str, object]:
        return {
            "known": self.known,
            "reachable_methods": len(self.reachable),
            "instantiated_classes": len(self.instantiated),
        }

    # -- graph ------------------------------------------------------------------------------

    def _members_of(self, desc: str) -> dict[tuple[str, str], tuple[DexFile, MethodDef]]:
        got = self._members.get(desc)
        if got is None:
            got = {}
            found = self.code.find_class(desc)
            if found is not None:
                dex, cls = found
                pools = dex.pools
                for m in cls.methods:
                    got[(pools.method_name(m.method_idx), self._proto(dex, m.method_idx))] = (
                        dex,
                        m,
                    )
            self._members[desc] = got
        return got

    def _proto(self, dex: DexFile, idx: int) -> str:
        key = (id(dex), idx)
        got = self._protos.get(key)
        if got is None:
            got = self._protos[key] = dex.pools.method_proto(idx)
        return got

    def _supers(self, desc: str) -> list[str]:
        got = self._chains.get(desc)
        if got is None:
            got = self._chains[desc] = self.code.superclasses(desc)
        return got

    def _reach(self, desc: str, name: str, proto: str, dex: DexFile, m: MethodDef) -> None:
        key = _sig_key(desc, name, proto)
        if key in self.reachable:
            return
        self.reachable.add(key)
        if m.code_off and not m.access_flags & (ACC_ABSTRACT | ACC_NATIVE):
            self._work.append((dex, m))

    def _define(self, desc: str, name: str, proto: str) -> None:
        """Reach the definition a direct/static call of desc->name proto runs."""
        for d in (desc, *self._supers(desc)):
            hit = self._members_of(d).get((name, proto))
            if hit is not None:
                self._reach(d, name, proto, *hit)
                return

    def _init_class(self, desc: str) -> None:
        if desc in self._initialized:
            return
        self._initialized.add(desc)
        for d in (desc, *self._supers(desc)):
            hit = self._members_of(d).get(("<clinit>", "()V"))
            if hit is not None:
                self._reach(d, "<clinit>", "()V", *hit)

    def _foreign_kind(self, desc: str) -> int:
        """0: only Object above the app's classes; 1: plain java types; 2: framework types."""
        got = self._foreign.get(desc)
        if got is not None:
            return got
        kind = 0
        todo, seen = [desc], set()
        while todo and len(seen) < MAX_HIERARCHY:
            d = todo.pop()
            if d in seen:
                continue
            seen.add(d)
            found = self.code.find_class(d)
            if found is None:
                if d == OBJECT:
                    continue
                kind = max(kind, 1 if d in PLAIN_JAVA else 2)
                if kind == 2:
                    break
                continue
            c = found[1]
            if c.superclass:
                todo.append(c.superclass)
            todo.extend(c.interfaces)
        self._foreign[desc] = kind
        return kind

    def _activate(self, desc: str, every_method: bool = False) -> None:
        """An instance of ``desc`` exists: its methods (and inherited ones) may be called."""
        if desc in self.instantiated and not every_method:
            return
        self.instantiated.add(desc)
        self._init_class(desc)
        kind = self._foreign_kind(desc)
        for d in (desc, *self._supers(desc)):
            if d in self._activated and not every_method:
                continue
            self._activated.add(d)
            for (name, proto), (dex, m) in self._members_of(d).items():
                if every_method:
                    self._reach(d, name, proto, dex, m)
                    continue
                if not m.virtual:
                    continue
                sig = (name, proto)
                if (
                    sig in self._called
                    or kind == 2
                    or (kind == 1 and (name in JAVA_CALLBACKS or _on_name(name)))
                ):
                    self._reach(d, name, proto, dex, m)
                else:
                    self._pending.setdefault(sig, []).append((d, dex, m))

    def _framework_created(self, desc: str, every_method: bool = False) -> None:
        """The framework creates the object (manifest, layout, reflection): constructors too."""
        if self.code.find_class(desc) is None:
            return
        self._activate(desc, every_method)
        for (name, proto), (dex, m) in self._members_of(desc).items():
            if name == "<init>":
                self._reach(desc, name, proto, dex, m)

    def _virtual_call(self, name: str, proto: str, desc: str = "") -> None:
        sig = (name, proto)
        if sig in self._called:
            return
        self._called.add(sig)
        for d, dex, m in self._pending.pop(sig, ()):
            self._reach(d, name, proto, dex, m)

    def _resolve(self, dex: DexFile, idx: int) -> tuple[str, str, str]:
        key = (id(dex), idx)
        got = self._resolved.get(key)
        if got is None:
            ref = dex.method_ref(idx)
            got = self._resolved[key] = (ref.class_desc, ref.name, ref.proto)
        return got

    def _run(self) -> None:
        work = self._work
        while work and len(self.reachable) < self.limit:
            dex, m = work.popleft()
            midx = m.method_idx
            self._current = (id(dex), midx)
            refs, n = dex.refs, dex.pools.n_methods
            exposes_js = False
            targets, ops = refs.targets_from(INVOKES, midx, n)
            for target, op in zip(targets, ops, strict=True):
                desc, name, proto = self._resolve(dex, target)
                if op in VIRTUAL_INVOKES:
                    self._virtual_call(name, proto, desc)
                    if (name, proto) == JS_INTERFACE:
                        exposes_js = True
                elif op in STATIC_INVOKES:
                    self._init_class(desc)
                    self._define(desc, name, proto)
                elif op in DIRECT_INVOKES:
                    self._define(desc, name, proto)
            created: list[str] = []
            targets, ops = refs.targets_from(TYPES, midx, n)
            for target, op in zip(targets, ops, strict=True):
                if op in (NEW_INSTANCE, CONST_CLASS):
                    t = dex.type_desc(target)
                    created.append(t)
                    self._activate(t)
            for kind in (FIELD_READS, FIELD_WRITES):
                targets, ops = refs.targets_from(kind, midx, n)
                for target, op in zip(targets, ops, strict=True):
                    if op in STATIC_FIELD_OPS:
                        self._init_class(self._field_class(dex, target))
            for target in refs.targets_from(STRINGS, midx, n)[0]:
                t = self._class_named(dex, target)
                if t is not None:
                    self._framework_created(t, every_method=True)
            if exposes_js:
                for t in created:
                    self._framework_created(t, every_method=True)

    def _field_class(self, dex: DexFile, idx: int) -> str:
        key = (id(dex), -1 - idx)
        got = self._fields.get(key)
        if got is None:
            got = self._fields[key] = dex.pools.field_ref(idx).class_desc
        return got

    def _class_named(self, dex: DexFile, idx: int) -> str | None:
        """The class a string constant names (``"com.x.Y"``), for reflection."""
        key = (id(dex), idx)
        if key in self._strings:
            return self._strings[key]
        text = dex.string(idx)
        got = self._java_names.get(text) if "." in text and len(text) < 300 else None
        self._strings[key] = got
        return got


def _split(method: str) -> tuple[str, str]:
    i = method.find("(")
    return (method, "") if i < 0 else (method[:i], method[i:])


def _on_name(name: str) -> bool:
    return len(name) > 2 and name.startswith("on") and name[2].isupper()


# -- building the roots from the app's facts ---------------------------------------------------

TEST_PREFIXES = (
    "Landroidx/test/",
    "Landroid/support/test/",
    "Lorg/junit/",
    "Ljunit/",
    "Lorg/mockito/",
    "Lorg/hamcrest/",
    "Lorg/robolectric/",
    "Lnet/bytebuddy/",
    "Lorg/objenesis/",
    "Lcom/squareup/spoon/",
    "Landroidx/benchmark/",
    "Lio/mockk/",
)


def is_test_class(desc: str) -> bool:
    """Test-framework code (JUnit, Mockito, Espresso, Robolectric...) shipped in the APK."""
    return desc.startswith(TEST_PREFIXES)


def is_test_target(manifest) -> bool:
    """The app is the target of an instrumentation: its only activities are androidx.test's
    (Appium's server APK): a test APK drives it, test libraries are what it runs on."""
    activities = [c.name for c in manifest.components if c.kind == "activity"]
    return bool(activities) and all(is_test_class(java_to_descriptor(n)) for n in activities)


def build_reachability(facts) -> Reachability:  # facts: AppFacts (import cycle)
    manifest = facts.manifest
    code = facts.code
    if manifest is None or not code.classes:
        return Reachability.unknown()
    roots: list[str] = []
    every: list[str] = []
    app = manifest.application
    for name in (app.name, app.app_component_factory, app.backup_agent):
        if name:
            roots.append(java_to_descriptor(name))
    launchers = {c.name for c in manifest.launcher_activities}
    for c in manifest.components:
        if c.kind == "activity-alias":
            if c.enabled and c.target_activity:
                roots.append(java_to_descriptor(c.target_activity))
            continue
        desc = java_to_descriptor(c.name)
        if code.find_class(desc) is None:
            if c.name in launchers or c.name == app.name:
                return Reachability.unknown()  # the app's own entry is loaded at run time
            continue
        if c.enabled:
            roots.append(desc)
    if app.name and code.find_class(java_to_descriptor(app.name)) is None:
        return Reachability.unknown()
    root_xml = facts.pkg.manifest_xml
    instrumented = False
    if root_xml is not None:
        for el in root_xml.iter():
            if el.tag == "instrumentation":
                instrumented = True
            if el.tag in ("activity", "service", "receiver", "provider", "activity-alias"):
                continue  # declared components: handled above (enabled or not)
            roots.extend(_class_values(el.attrs, code, manifest.package))
    # The target of an instrumentation (its launcher is test infrastructure): the test APK
    # calls into its classes directly, which no manifest of this APK shows.
    owners = facts.owners
    if instrumented or is_test_target(manifest):
        every.extend(
            d for d in code.classes if owners.owner_of(d).kind == "app" and not is_test_class(d)
        )
    # ``app_process`` runs an app class's static main() (uiautomator2's agents, started over
    # adb): no manifest names it, yet it runs.
    mains = [(desc, *MAIN) for desc in _main_classes(code, owners)]
    roots.extend(_resource_classes(facts, code, manifest.package))
    # Another app's Intent extras are unparcelled here: the app's own Serializable and
    # Parcelable classes can be built from its bytes (see :mod:`.deserialization`).
    deserialised: tuple[list[str], list[str]] = ([], [])
    if outside_reader(facts) is not None:
        deserialised = gadget_classes(code, facts.hierarchy, owners)
    return Reachability(code, roots, every, mains, deserialised)


MAIN = ("main", "([Ljava/lang/String;)V")
ACC_STATIC = 0x8


def _main_classes(code: DexSet, owners) -> list[str]:
    """The app's own classes with ``static void main(String[])``."""
    out = []
    for dex in code.dexes:
        for idx in dex.pools.method_ids_named(MAIN[0]):
            m = dex.method_by_idx(idx)
            if (
                m is None
                or not m.access_flags & ACC_STATIC
                or dex.pools.method_proto(idx) != MAIN[1]
            ):
                continue
            desc = dex.method_ref(idx).class_desc
            if owners.owner_of(desc).kind == "app":
                out.append(desc)
    return out


def _class_values(attrs, code: DexSet, package: str) -> list[str]:
    out = []
    for a in attrs:
        v = a.raw
        if not isinstance(v, str) or not v or " " in v or len(v) > 300:
            continue
        if ":" in v:  # Firebase registrars: "com.google.firebase.components:com.x.Registrar"
            v = v.rsplit(":", 1)[1]
        if v.startswith("."):
            v = package + v
        desc = java_to_descriptor(v)
        if "." in v and code.find_class(desc) is not None:
            out.append(desc)
    return out


def _resource_classes(facts, code: DexSet, package: str) -> list[str]:
    """Classes the framework inflates from layout and XML resources (views, fragments)."""
    out: list[str] = []
    names = [n for n in facts.pkg.archive.names() if n.startswith("res/") and n.endswith(".xml")]
    for path in names[:5000]:
        if not (path.startswith("res/layout") or path.startswith("res/xml")):
            continue
        root = facts.xml_file(path)
        if root is None:
            continue
        for el in root.iter():
            if "." in el.tag:
                desc = java_to_descriptor(el.tag)
                if code.find_class(desc) is not None:
                    out.append(desc)
            out.extend(_class_values(el.attrs, code, package))
    return out
