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

from array import array
from collections import deque
from collections.abc import Iterable

from mobsec.facts.deserialization import gadget_classes, outside_reader
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.ingest.dex import DexFile, DexSet
from mobsec.ingest.dex._dexcore import FreshRefs, class_members
from mobsec.ingest.dex.classes import ACC_ABSTRACT, ACC_NATIVE
from mobsec.ingest.dex.dexfile import MREC as METHOD_RECORD
from mobsec.ingest.dex.index import FIELD_READS, FIELD_WRITES, INVOKES, STRINGS, TYPES, targets_in

STATIC_INVOKES = frozenset((0x71, 0x77))
DIRECT_INVOKES = frozenset((0x70, 0x76, 0x6F, 0x75))  # direct and super
VIRTUAL_INVOKES = frozenset((0x6E, 0x72, 0x74, 0x78))  # virtual and interface
NEW_INSTANCE = 0x22
CONST_CLASS = 0x1C
CREATES = frozenset((NEW_INSTANCE, CONST_CLASS))  # the type's object exists from here
STATIC_FIELD_OPS = frozenset(range(0x60, 0x6E))  # sget*, sput*
MAX_HIERARCHY = 256
# invoke opcode -> the kind of call as a bit (0: not followed, invoke-polymorphic/custom)
STATIC_CALL, DIRECT_CALL, VIRTUAL_CALL = 1, 2, 4


def _call_bits() -> bytes:
    bits = bytearray(256)
    for ops, bit in (
        (STATIC_INVOKES, STATIC_CALL),
        (DIRECT_INVOKES, DIRECT_CALL),
        (VIRTUAL_INVOKES, VIRTUAL_CALL),
    ):
        for op in ops:
            bits[op] = bit
    return bytes(bits)


CALL_BIT = _call_bits()
# opcode -> 1 for the references the walk follows: creations, static field accesses, any
CREATE_BIT = bytes(1 if op in CREATES else 0 for op in range(256))
STATIC_FIELD_BIT = bytes(1 if op in STATIC_FIELD_OPS else 0 for op in range(256))
ANY_BIT = bytes([1]) * 256

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
CLINIT = ("<clinit>", "()V")
VIRTUAL, WALKED = 1, 2  # bits of a member: a virtual method; one with code to walk


class Reachability:
    """The app's reachable methods; ``is_reachable`` answers for one method.

    The graph is keyed by numbers, not by decoded names: a method's (name, prototype) is
    a *signature number* (the same in every DEX file, see ``DexSet.signatures``), and each
    method a class defines gets a *member number* when the class is first looked at (its
    file, method_idx and kind are kept in flat tables); ``reached`` has one byte per
    member number, ``reachable_count`` counts the ones set."""

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
        self.reachable_count = 0  # methods reached
        self._reached = bytearray()  # member number -> 1 once reached (see _members_of)
        self.instantiated: set[str] = set()
        self._activated: set[str] = set()
        self._initialized: set[str] = set()
        self._called: set[int] = set()  # signature numbers of virtual calls made
        self._pending: dict[int, list[tuple[str, int]]] = {}  # signature -> (class, member)
        self._sigs = code.signatures  # (name, proto) -> signature number
        self._own: dict[str, dict[tuple[str, str], int]] = {}  # see _own_sig
        if lookups is not None and lookups.known:
            # the same code: what was looked up once need not be looked up again
            self._members, self._foreign = lookups._members, lookups._foreign
            self._lines = lookups._lines
            self._dex_no = lookups._dex_no
            self._words = lookups._words
            self._m_where, self._m_bits = lookups._m_where, lookups._m_bits
        else:
            self._members: dict[str, dict[int, int]] = {}  # class -> signature -> member
            self._foreign: dict[str, int] = {}
            self._lines: dict[str, tuple[str, ...]] = {}
            self._dex_no = {id(d): i for i, d in enumerate(code.dexes)}
            self._words = [d.pools.method_id_words() for d in code.dexes]
            # member number -> its DEX file's number << 32 | its method_idx; VIRTUAL | WALKED
            self._m_where = array("q")
            self._m_bits = bytearray()
        self._clinit = self._sigs.named(*CLINIT)
        self._work: deque[int] = deque()  # member numbers to walk
        self._current: tuple[int, int] | None = None  # (id(dex), method_idx) being walked
        for desc in roots:
            self._framework_created(desc)
        for desc in all_methods_of:
            self._framework_created(desc, every_method=True)
        for desc, name, proto in static_entries:
            self._init_class(desc)
            # mostly the class's own method (an SDK's API): found there without a search
            sig = self._own_sig(desc, name, proto)
            self._define(desc, self._sigs.named(name, proto) if sig is None else sig)
        serial, parcel = deserialised
        hooks = [self._sigs.named(*h) for h in DESERIALISATION_HOOKS]
        for desc in serial:  # built from another app's bytes: its hooks run
            self._activate(desc)
            for sig in hooks:
                self._define(desc, sig)
        for desc in parcel:  # unparcelling reads CREATOR: <clinit>, then createFromParcel
            self._init_class(desc)
        self._run()

    @classmethod
    def unknown(cls) -> Reachability:
        """No entry points could be found: every method may run."""
        self = cls.__new__(cls)
        self.known = False
        self.reachable_count = 0
        self.instantiated = set()
        return self

    # -- queries ----------------------------------------------------------------------------

    def is_reachable(self, class_desc: str, method: str) -> bool:
        """``method`` is "name(proto)ret", as in a finding's location."""
        if not self.known:
            return True
        sig = self._own_sig(class_desc, *_split(method))
        if sig is None:
            return False
        number = self._members_of(class_desc).get(sig, -1)
        return 0 <= number < len(self._reached) and self._reached[number] == 1

    def class_reachable(self, class_desc: str) -> bool:
        """Some method of the class can run (for findings about a class as a whole)."""
        if not self.known:
            return True
        return class_desc in self._activated or class_desc in self._initialized

    def to_json(self) -> dict[str, object]:
        return {
            "known": self.known,
            "reachable_methods": self.reachable_count,
            "instantiated_classes": len(self.instantiated),
        }

    # -- names and members ------------------------------------------------------------------

    def _own_sig(self, desc: str, name: str, proto: str) -> int | None:
        """The signature number of a method ``desc`` itself defines, None if it has none."""
        own = self._own.get(desc)
        if own is None:  # the class's (name, proto) pairs decoded once
            own = self._own[desc] = {}
            found = self.code.find_class(desc)
            if found is not None:
                dex, cls = found
                pools, no = dex.pools, self._dex_no[id(dex)]
                for m in cls.methods:
                    key = (pools.method_name(m.method_idx), pools.method_proto(m.method_idx))
                    own.setdefault(key, self._sigs.number(no, m.method_idx))
        return own.get((name, proto))

    def _members_of(self, desc: str) -> dict[int, int]:
        """Signature number -> member number of the methods the class defines."""
        got = self._members.get(desc)
        if got is None:
            got = {}
            found = self.code.find_class(desc)
            if found is not None:
                dex, cls = found
                no = self._dex_no[id(dex)]
                records, where, bits = cls.method_records, self._m_where, self._m_bits
                numbered = class_members(
                    dex.method_table, records.start, records.stop, self._sigs.of[no], no,
                    len(bits), ACC_ABSTRACT | ACC_NATIVE,
                )  # fmt: skip
                if numbered is not None:
                    got, more_where, more_bits = numbered
                    where.frombytes(more_where)
                    bits.extend(more_bits)
                else:  # a method whose signature is unreadable: numbered here
                    got = self._members_slowly(dex, no, records)
            self._members[desc] = got
        return got

    def _members_slowly(self, dex: DexFile, no: int, records: range) -> dict[int, int]:
        """:meth:`_members_of` for a class with an unreadable method signature."""
        got: dict[int, int] = {}
        where, bits = self._m_where, self._m_bits
        m, size = dex.method_table, METHOD_RECORD  # class_def, method_idx, flags, code, virtual
        for b in range(records.start * size, records.stop * size, size):
            idx = m[b + 1]
            got[self._sigs.number(no, idx)] = len(bits)
            where.append(no << 32 | idx)
            walked = m[b + 3] and not m[b + 2] & (ACC_ABSTRACT | ACC_NATIVE)
            bits.append((VIRTUAL if m[b + 4] else 0) | (WALKED if walked else 0))
        return got

    def _line(self, desc: str) -> tuple[str, ...]:
        """``desc`` and its superclass chain."""
        got = self._lines.get(desc)
        if got is None:
            got = self._lines[desc] = (desc, *self.code.superclasses(desc))
        return got

    def _supers(self, desc: str) -> tuple[str, ...]:
        return self._line(desc)[1:]

    # -- graph ------------------------------------------------------------------------------

    def _reach(self, desc: str, sig: int, number: int) -> None:
        reached = self._reached
        if number >= len(reached):  # members made since: one byte each
            reached.extend(bytes(len(self._m_bits) - len(reached)))
        elif reached[number]:
            return
        reached[number] = 1
        self.reachable_count += 1
        if self._m_bits[number] & WALKED:
            self._work.append(number)

    def _define(self, desc: str, sig: int) -> None:
        """Reach the definition a direct/static call of desc->sig runs."""
        for d in self._line(desc):
            hit = self._members_of(d).get(sig)
            if hit is not None:
                self._reach(d, sig, hit)
                return

    def _init_class(self, desc: str) -> None:
        if desc in self._initialized:
            return
        self._initialized.add(desc)
        clinit = self._clinit
        for d in self._line(desc):
            hit = self._members_of(d).get(clinit)
            if hit is not None:
                self._reach(d, clinit, hit)

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
        name, bits = self._sigs.name, self._m_bits
        for d in self._line(desc):
            if d in self._activated and not every_method:
                continue
            self._activated.add(d)
            for sig, hit in self._members_of(d).items():
                if every_method:
                    self._reach(d, sig, hit)
                    continue
                if not bits[hit] & VIRTUAL:
                    continue
                if sig in self._called or kind == 2 or (kind == 1 and _java_callback(name(sig))):
                    self._reach(d, sig, hit)
                else:
                    self._pending.setdefault(sig, []).append((d, hit))

    def _framework_created(self, desc: str, every_method: bool = False) -> None:
        """The framework creates the object (manifest, layout, reflection): constructors too."""
        if self.code.find_class(desc) is None:
            return
        self._activate(desc, every_method)
        name = self._sigs.name
        for sig, hit in self._members_of(desc).items():
            if name(sig) == "<init>":
                self._reach(desc, sig, hit)

    def _virtual_call(self, sig: int, desc: str = "") -> None:
        if sig in self._called:
            return
        self._called.add(sig)
        for d, hit in self._pending.pop(sig, ()):
            self._reach(d, sig, hit)

    def _run(self) -> None:
        # A reference already followed in this walk changes nothing when met again (every
        # step below is idempotent), so each is followed once per walk: per DEX file, one
        # flag per invoked method id (by kind of call), type, field and string.
        seen: dict[int, _Seen] = {}
        work, dexes = self._work, self.code.dexes
        while work and self.reachable_count < self.limit:
            number = work.popleft()
            no, midx = divmod(self._m_where[number], 1 << 32)
            dex = dexes[no]
            self._current = (id(dex), midx)
            f = seen.get(no)
            if f is None:
                f = seen[no] = _Seen(dex)
            if midx >= f.n_methods:
                continue
            pools, words, sig_of = dex.pools, self._words[no], self._sigs.of[no]
            calls, created, reads, writes, strings, exposes_js = f.refs.fresh(midx)
            for packed in calls:
                target, bit = packed >> 8, packed & 0xFF
                row = 2 * target  # method_id row: class_idx | proto_idx << 16, name_idx
                if row < len(words):
                    desc = pools.type_desc(words[row] & 0xFFFF)
                else:  # a bad index: its placeholder name
                    desc = pools.method_ref(target).class_desc
                sig = sig_of[target] if target < len(sig_of) else -1
                if sig < 0:
                    sig = self._sigs.number(no, target)
                if bit == VIRTUAL_CALL:
                    self._virtual_call(sig, desc)
                elif bit == STATIC_CALL:
                    self._init_class(desc)
                    self._define(desc, sig)
                else:
                    self._define(desc, sig)
            for packed in created:
                self._activate(pools.type_desc(packed >> 8))
            for packed in (*reads, *writes):
                self._init_class(pools.field_ref(packed >> 8).class_desc)
            for packed in strings:
                target = packed >> 8
                # most constants name no class: looked at without filling the pool cache
                text = pools.peek_string(target)
                t = self._class_named(pools.string(target) if text is None else text)
                if t is not None:
                    self._framework_created(t, every_method=True)
            if exposes_js:
                at, order, table = f.types
                targets, ops = targets_in(order, table, at[midx], at[midx + 1])
                for target, op in zip(targets, ops, strict=True):
                    if op in CREATES:
                        self._framework_created(pools.type_desc(target), every_method=True)

    def _class_named(self, text: str) -> str | None:
        """The class a string constant names (``"com.x.Y"``), for reflection."""
        if "." not in text or len(text) >= 300:
            return None
        desc = f"L{text.replace('.', '/')};"
        # the spelling must come back from the descriptor ("a/b.C" names no class)
        if self.code.find_class(desc) is None or desc[1:-1].replace("/", ".") != text:
            return None
        return desc


class _Seen:
    """One DEX file's code index as a walk reads it, and what the walk already followed
    there: one byte per method id (the kinds of call, CALL_BIT), type, field and string."""

    def __init__(self, dex: DexFile) -> None:
        p, refs = dex.pools, dex.refs
        self.n_methods = n = p.n_methods
        self.types = refs.forward(TYPES, n)
        fields_seen = bytearray(p.n_fields)  # static fields read or written
        js = bytearray(n)
        for i in p.method_ids_named(JS_INTERFACE[0]):
            if p.method_proto(i) == JS_INTERFACE[1]:
                js[i] = 1
        self.refs = FreshRefs(
            (
                (*refs.forward(INVOKES, n), CALL_BIT, bytearray(n)),
                (*self.types, CREATE_BIT, bytearray(p.n_types)),
                (*refs.forward(FIELD_READS, n), STATIC_FIELD_BIT, fields_seen),
                (*refs.forward(FIELD_WRITES, n), STATIC_FIELD_BIT, fields_seen),
                # strings that cannot name a class count as followed from the start
                (*refs.forward(STRINGS, n), ANY_BIT, bytearray(p.plain_strings())),
            ),
            # a virtual call of addJavascriptInterface, followed before or not, exposes
            # the objects the method creates to page scripts
            *((js, 0, VIRTUAL_CALL) if any(js) else ()),
        )


def _split(method: str) -> tuple[str, str]:
    i = method.find("(")
    return (method, "") if i < 0 else (method[:i], method[i:])


def _java_callback(name: str) -> bool:
    """A name the Java runtime calls back, or an ``onXxx`` listener method."""
    return name in JAVA_CALLBACKS or (len(name) > 2 and name.startswith("on") and name[2].isupper())


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
