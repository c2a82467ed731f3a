"""Inter-procedural taint analysis: PI sources to sinks over the app's DEX code.

Design (context-insensitive summaries, flow-insensitive heap):

- Each app method is analysed on its own CFG (:func:`mobsec.facts.dataflow.cfg.build_cfg`)
  with a set of *labels* per register. A label is a source (``int``: index into
  :attr:`TaintEngine.sources`), ``("a", k)`` "derived from argument k" (receiver = 0), or an
  identity label — ``("A", k)`` "is the object of argument k", ``("F", key)`` "is the
  object read from field ``key``" — so that storing into a container (``list.add(imei)``,
  ``array[i] = imei``) can be written back to the caller's argument or to the field.
- The result is a :class:`Summary`: what the return value, each mutated argument, each
  field written and each sink reached get, in terms of the method's arguments. A caller
  substitutes its actual argument labels (so a helper called with PI and with a constant
  does not mix the two).
- Fields (instance fields per declaring class + name, static fields) and channels between
  components (Intent extras to a resolvable target's ``getIntent()``, saved instance state,
  activity results) are global label sets; a method that reads one is re-analysed when it
  grows. That makes every lifecycle ordering possible (see :mod:`.lifecycle`).
- A worklist re-analyses callers whose callee summaries changed, until nothing changes or
  the budget (time, number of analyses) runs out; then the result says "incomplete".

Implicit flows (a branch on PI deciding what is sent) are out of scope.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import le
from typing import TYPE_CHECKING, Any, NamedTuple

from mobsec.diagnostics import FormatError
from mobsec.facts.dataflow import arg_registers, method_flow, string_constants
from mobsec.facts.dataflow.cfg import MAX_CODE_UNITS, BrokenCode, Cfg, build_cfg
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.ingest.dex import DexFile, FieldRef, MethodDef, MethodRef
from mobsec.ingest.dex.classes import ACC_PRIVATE, ACC_STATIC

from . import exceptions, library, local, slots, specs
from .branches import Range, RangeFacts, may_decide, range_facts, returned_range
from .callgraph import CallGraph, MethodKey
from .icc import IccModel
from .lifecycle import (
    has_framework_ancestor,
    is_callback_name,
    is_library_class,
    layout_onclick_names,
)
from .model import Leak, SinkSite, SourceSite, TaintResult
from .reflection import reflective_target
from .registration import withdrawn_listeners
from .views import password_view_ids

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

Label = Any  # int | tuple[str, Any]
Labels = frozenset
EMPTY: frozenset = frozenset()
NO_HANDLER_EDGES: dict[int, tuple[int, ...]] = {}  # never written to (see handler_edges)

INVOKES = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))
STATIC_INVOKES = (0x71, 0x77)
VIRTUAL_INVOKES = frozenset((0x6E, 0x72, 0x74, 0x78))
# Opcodes MethodTaint.step leaves the registers alone for (nop, return-void, monitors,
# check-cast, fill-array-data, goto, switch, if-*, unused): tested first, as they are common.
INERT = frozenset((0x00, 0x0E, 0x1D, 0x1E, 0x1F, 0x26, 0x73, 0x79, 0x7A)).union(
    range(0x28, 0x2D), range(0x32, 0x44), range(0xE3, 0xFA)
)
VISITS_PER_BLOCK = 30
CFG_CACHE = 768  # CFGs kept per engine (see TaintEngine._cfgs)
MAX_LABELS = 64  # per register; more keeps the set as is (labels are finite anyway)
INTENT_PARAMS = {
    "onReceive": 2,
    "onStartCommand": 1,
    "onStart": 1,
    "onBind": 1,
    "onUnbind": 1,
    "onRebind": 1,
    "onHandleIntent": 1,
    "onNewIntent": 1,
}
SAVED_STATE_READERS = {"onCreate": 1, "onRestoreInstanceState": 1, "onPostCreate": 1}
RESULT_CHANNEL = ("result",)
REFLECTIVE_INVOKE = ("Ljava/lang/reflect/Method;", "invoke")
FILE_CHANNEL = ("file",)
FILE_IDENT = frozenset((("F", FILE_CHANNEL),))  # a stream's identity: the file channel
ORDERED_CHANNEL = ("ordered-result",)
ORDERED_RESULT_SETTERS = frozenset(("setResultData", "setResult", "setResultExtras"))
ORDERED_RESULT_GETTERS = frozenset(("getResultData", "getResultExtras"))
FILE_WRITERS = frozenset(("Ljava/io/FileOutputStream;", "Ljava/io/FileWriter;"))
FILE_READERS = frozenset(("Ljava/io/FileInputStream;", "Ljava/io/FileReader;"))
# Writers and formatters over another object write into it (``new Formatter(sb)``).
WRAPPERS = ("Ljava/io/", "Ljava/util/Formatter;")
# Receiver content copied into an argument: (class, method) -> argument position.
COPY_INTO = {("Ljava/lang/String;", "getChars"): 3, ("Ljava/lang/String;", "getBytes"): 3}
VIEW_LOOKUPS = frozenset(("findViewById", "requireViewById"))
PASSWORD_PI = "credentials"  # what a password input field holds (see .views)


@dataclass(frozen=True, slots=True)
class TaintBudget:
    seconds: float = 30.0
    max_analyses: int = 200_000
    # Enter the code of known third-party SDKs too. Off by default: obfuscated SDK code
    # merged context-insensitively smears one source over hundreds of sinks (DroidBench
    # EmulatorDetection/PlayStore2 bundles Play services: 1 real leak, 318 SDK-internal).
    include_sdks: bool = False


@dataclass(slots=True)
class Summary:
    ret: frozenset = EMPTY
    throws: frozenset = EMPTY
    param_out: dict[int, frozenset] = field(default_factory=dict)
    field_out: dict[Any, frozenset] = field(default_factory=dict)
    sinks: dict[SinkSite, tuple[frozenset, tuple[str, ...]]] = field(default_factory=dict)
    # The classes of the objects the method returns when every returned object was made
    # here or by a callee that says so; None: not known (see MethodTaint.receiver_types).
    ret_types: frozenset | None = None


EMPTY_SUMMARY = Summary()
# An invoke's (reference, is static, constructor keeps `this`, app targets, result identity
# or None), see TaintEngine.call_site.
CallSite = tuple[MethodRef, bool, bool, tuple[str, ...], frozenset | None]
# A field access's (reference, global key, PI type of a field source or None), see
# MethodTaint.field_site.
FieldSite = tuple[FieldRef, Any, str | None]


class LibraryFacts(NamedTuple):
    """A library method as the tables see it (see TaintEngine.library_facts)."""

    fw: str  # the first ancestor the app does not define (CallGraph.framework_class)
    api: str  # "fw->name", as sites name it
    sink: specs.SinkSpec | None
    source: str | None  # PI type, when the method returns PI
    guards: tuple[specs.GuardedSource, ...] | None  # PI for some constant argument
    mutates: bool  # library.mutates_receiver
    clean: bool  # library.result_is_clean
    returns: bool  # library.returns_receiver


UNTYPED = ("U",)  # an object whose class is not known (array element, exception, ...)


def is_taint(label: Label) -> bool:
    return isinstance(label, int) or label[0] == "a"


def taint_of(labels: frozenset) -> frozenset:
    # a plain loop: this runs for every operand of every instruction
    for x in labels:
        if not (isinstance(x, int) or x[0] == "a"):
            return frozenset(x for x in labels if isinstance(x, int) or x[0] == "a")
    return labels


class TaintEngine:
    # Sink labels built from several arguments (see MethodTaint.sink_labels_at_call).
    paired_sinks = False

    def __init__(self, facts: AppFacts, budget: TaintBudget = TaintBudget()) -> None:
        self.facts = facts
        self.code = facts.code
        self.budget = budget
        self.cg = CallGraph(self.code, self.is_analysed)
        self.icc = IccModel.build(facts.manifest, self.code)
        self.spec = self.source_table()
        self.method_sources = self.spec.methods
        self.sinks = self.sink_table()
        self.password_ids = self.password_fields()
        self.sources: list[SourceSite] = []
        self._source_ids: dict[tuple[Any, ...], int] = {}
        self.fields: dict[Any, frozenset] = {}
        self.readers: dict[Any, set[MethodKey]] = {}
        self.callers: dict[MethodKey, set[MethodKey]] = {}
        self.summaries: dict[MethodKey, Summary] = {}
        self.leaks: dict[tuple[int, SinkSite], Leak] = {}
        self._queue: deque[MethodKey] = deque()
        self._queued: set[MethodKey] = set()
        # CFGs of the methods analysed last (a CFG is rebuilt identically when needed again:
        # keeping every one of them held ~10 MB on Appium's server; 768 rebuild 50 of its
        # 2,300 instead of 580 with 512, for ~1 MB); methods without analysable code
        self._cfgs: OrderedDict[MethodKey, Cfg] = OrderedDict()
        self._no_cfg: set[MethodKey] = set()
        self._mrefs: dict[DexFile, dict[int, MethodRef]] = {}
        self._frefs: dict[DexFile, dict[int, FieldSite]] = {}
        self._call_regs: dict[tuple[str, tuple[int, ...], bool], tuple[int, ...]] = {}
        self._sites: dict[DexFile, dict[int, CallSite]] = {}  # see call_site
        self._library: dict[MethodRef, LibraryFacts] = {}  # see library_facts
        self._ret_labels: dict[str, frozenset] = {}  # see call_site
        self._arg_labels: dict[int, frozenset] = {}  # see arg_labels
        self._field_names: dict[str, frozenset[str]] = {}
        self._field_keys: dict[FieldRef, tuple[str, str, str]] = {}
        self._icc_cache: dict[MethodKey, Any] = {}
        self._ranges: dict[MethodKey, RangeFacts] = {}
        self._dead: dict[MethodKey, frozenset] = {}
        self._handler_edges: dict[MethodKey, dict[int, tuple[int, ...]]] = {}
        self._raises_vm: dict[MethodKey, bool] = {}
        self._init_keeps: dict[MethodKey, bool] = {}
        self._const_returns: dict[MethodKey, Range] = {}
        self._has_result_handler: bool | None = None
        self._onclick: set[str] | None = None
        self.roots: set[MethodKey] = set()
        self._dirty = False

    # ---- what counts: PI here; analyses of other data override these (see .uri_theft) --

    def source_table(self) -> specs.SourceSpec:
        return specs.source_spec()

    def sink_table(self) -> dict[tuple[str, str], specs.SinkSpec]:
        return specs.SINKS

    def password_fields(self) -> frozenset[int]:
        return password_view_ids(self.facts)

    def method_analysis(
        self, key: MethodKey, dex: DexFile, method: MethodDef, cfg: Cfg
    ) -> MethodTaint:
        return MethodTaint(self, key, dex, method, cfg)

    def is_analysed(self, desc: str) -> bool:
        if is_library_class(desc):
            return False
        if self.budget.include_sdks:
            return True
        return self.facts.owners.owner_of(desc).kind not in ("sdk", "framework")

    # ---- labels, fields, leaks ---------------------------------------------------------

    def source_label(self, site: SourceSite) -> int:
        key = (site.method, site.offset, site.param, site.api)
        got = self._source_ids.get(key)
        if got is None:
            got = self._source_ids[key] = len(self.sources)
            self.sources.append(site)
        return got

    def field_key(self, ref: FieldRef) -> tuple[str, str, str]:
        got = self._field_keys.get(ref)
        if got is None:
            owner = ref.class_desc
            for d in (ref.class_desc, *self.code.superclasses(ref.class_desc)):
                found = self.code.find_class(d)
                if found is None:
                    break
                names = self._field_names.get(d)
                if names is None:  # a class's fields are decoded once, not once per field
                    dex, cls = found
                    names = self._field_names[d] = frozenset(
                        dex.pools.field_ref(f.field_idx).name
                        for f in (*cls.static_fields, *cls.instance_fields)
                    )
                if ref.name in names:
                    owner = d
                    break
            got = self._field_keys[ref] = ("f", owner, ref.name)
        return got

    def read_field(self, key: Any, reader: MethodKey) -> frozenset:
        self.readers.setdefault(key, set()).add(reader)
        return self.fields.get(key, EMPTY)

    def write_field(self, key: Any, labels: frozenset) -> None:
        concrete = frozenset(
            x for x in labels if isinstance(x, int) or (slots.is_slot(x) and isinstance(x[2], int))
        )
        if not concrete:
            return
        old = self.fields.get(key, EMPTY)
        if concrete <= old:
            return
        self.fields[key] = old | concrete
        for m in self.readers.get(key, ()):
            self.enqueue(m)

    def add_leak(self, label: int, sink: SinkSite, path: tuple[str, ...]) -> None:
        key = (label, sink)
        if key in self.leaks:
            return
        src = self.sources[label]
        full: list[str] = []
        for m in (src.method, *path):
            if not full or full[-1] != m:
                full.append(m)
        self.leaks[key] = Leak(src, sink, tuple(full))

    def enqueue(self, key: MethodKey) -> None:
        if key not in self._queued:
            self._queued.add(key)
            self._queue.append(key)

    # ---- roots -------------------------------------------------------------------------

    def find_roots(self, only: Callable[[str], bool] | None = None) -> list[MethodKey]:
        """The methods the framework calls; with ``only``, those of the classes it accepts."""
        roots: list[MethodKey] = []
        # A component the manifest disables (android:enabled="false") never runs.
        m = self.facts.manifest
        disabled = {
            java_to_descriptor(c.name) for c in (m.components if m else []) if not c.enabled
        }
        for ep in self.facts.entry_points:
            if java_to_descriptor(ep.component) not in disabled:
                roots.extend(k for k in ep.methods if only is None or only(k.split("->", 1)[0]))
        if self._onclick is None:
            self._onclick = layout_onclick_names(self.facts)
        onclick = self._onclick
        listeners: dict[str, list[MethodKey]] = {}  # callbacks of non-component classes
        for desc, (dex, cls) in self.code.classes.items():
            if only is not None and not only(desc):
                continue
            if not self.is_analysed(desc) or desc in disabled:
                continue
            framework = has_framework_ancestor(self.code, desc)
            for m in cls.methods:
                ref = dex.method_ref(m.method_idx)
                if ref.name == "<clinit>":
                    roots.append(str(ref))
                    continue
                if not framework or m.access_flags & (ACC_STATIC | ACC_PRIVATE):
                    continue
                if is_callback_name(ref.name) or (
                    ref.name in onclick and ref.proto == "(Landroid/view/View;)V"
                ):
                    if desc not in self.icc.declared:
                        listeners.setdefault(desc, []).append(str(ref))
                    roots.append(str(ref))
        withdrawn = withdrawn_listeners(self.code, set(listeners), self.cfg_of)
        if withdrawn:
            dropped = {k for d in withdrawn for k in listeners[d]}
            roots = [r for r in roots if r not in dropped]
        out = []
        for r in dict.fromkeys(roots):
            if self.cg.lookup(r) is not None:
                out.append(r)
        return out

    # ---- driver ------------------------------------------------------------------------

    def has_source_in_scope(self) -> bool:
        """Whether any analysed code can produce PI; if not, there is nothing to track.

        Uses the DEX cross-reference index (no method is decoded): a call of a method
        source, a read of a field source, an override of a callback source, a password
        field, or a ``Method.invoke`` (which may hide a source) inside analysed classes.
        Apps whose PI reads are all in SDK or library code (Appium's server) skip the
        fixpoint entirely.
        """
        if self.password_ids:
            return True
        code = self.code

        def in_scope(sites: list) -> bool:
            return any(self.is_analysed(x.caller.class_desc) for x in sites)

        for cls, name in (*self.spec.methods, *self.spec.guarded, REFLECTIVE_INVOKE):
            if in_scope(code.call_sites(cls, name)):
                return True
        for cls, name in self.spec.fields:
            if in_scope(code.field_reads(cls, name)):
                return True
        names = set(self.spec.callbacks)
        for desc, (dex, c) in code.classes.items():
            if self.is_analysed(desc) and any(
                dex.method_ref(m.method_idx).name in names for m in c.methods
            ):
                return True
        return False

    def run(self) -> TaintResult:
        started = time.perf_counter()
        result = TaintResult()
        if not self.has_source_in_scope():
            result.seconds = time.perf_counter() - started
            return result
        roots = self.find_roots()
        self.roots = set(roots)
        for r in roots:
            self.enqueue(r)
        analysed: set[MethodKey] = set()
        deadline = started + self.budget.seconds
        while self._queue:
            if result.analyses >= self.budget.max_analyses:
                result.complete, result.incomplete_reason = False, "analysis budget"
                break
            if time.perf_counter() > deadline:
                result.complete, result.incomplete_reason = False, "time budget"
                break
            key = self._queue.popleft()
            self._queued.discard(key)
            result.analyses += 1
            analysed.add(key)
            new = self.analyse(key)
            if new is None:
                continue
            if new != self.summaries.get(key):
                self.summaries[key] = new
                for c in self.callers.get(key, ()):
                    self.enqueue(c)
        result.methods_analysed = len(analysed)
        result.leaks = sorted(
            self.leaks.values(),
            key=lambda x: (x.sink.method, x.sink.offset, x.source.method, x.source.offset or -1),
        )
        result.seconds = time.perf_counter() - started
        return result

    def cfg_of(self, key: MethodKey) -> tuple[DexFile, MethodDef, Cfg] | None:
        hit = self.cg.lookup(key)
        if hit is None:
            return None
        dex, method = hit
        cfg = self._cfgs.get(key)
        if cfg is not None:
            self._cfgs.move_to_end(key)
            return dex, method, cfg
        if key in self._no_cfg:
            return None
        try:
            code = dex.code_item(method)
            if code is not None and code.insns_size <= MAX_CODE_UNITS:
                cfg = build_cfg(dex, code)
                if code.ins_size > code.registers_size or (cfg.max_register >= code.registers_size):
                    cfg = None
        except (FormatError, BrokenCode):
            cfg = None
        if cfg is None:
            self._no_cfg.add(key)
            return None
        self._cfgs[key] = cfg
        if len(self._cfgs) > CFG_CACHE:
            self._cfgs.popitem(last=False)
        return dex, method, cfg

    def call_site(self, dex: DexFile, op: int, idx: int) -> CallSite:
        """What an invoke's opcode and method index decide, worked out once per engine
        (MethodTaint.invoke runs for every call each time a method is analysed)."""
        ref = self.method_ref_of(dex)(idx)
        is_static = op in STATIC_INVOKES
        keeps_this = op in (0x70, 0x76) and ref.name == "<init>" and self.init_keeps_this(ref)
        ret = ref.proto[ref.proto.find(")") + 1 :]
        # an object result gets its declared class as its identity (see receiver_types)
        ret_label = None
        if ret.startswith(("L", "[")):  # one label set per class, not per call site
            ret_label = self._ret_labels.get(ret)
            if ret_label is None:
                ret_label = self._ret_labels[ret] = frozenset((("R", ret),))
        site = (ref, is_static, keeps_this, self.cg.resolve(op, ref), ret_label)
        self._sites.setdefault(dex, {})[idx << 8 | op] = site
        return site

    def arg_labels(self, k: int) -> frozenset:
        """What argument ``k`` holds on entry: "derived from" and "is the object of" it
        (one set per position for every analysis)."""
        got = self._arg_labels.get(k)
        if got is None:
            got = self._arg_labels[k] = frozenset((("a", k), ("A", k)))
        return got

    def library_facts(self, ref: MethodRef) -> LibraryFacts:
        """What this engine's tables and :mod:`.library` say about a library method, looked
        up once per engine (MethodTaint.library_call runs for every library call)."""
        fw = self.cg.framework_class(ref.class_desc)
        name = ref.name
        sink = self.sinks.get((fw, name)) or self.sinks.get((ref.class_desc, name))
        pi = self.method_sources.get((fw, name)) or self.method_sources.get((ref.class_desc, name))
        guards = None
        if pi is None:
            guarded = self.spec.guarded
            guards = guarded.get((fw, name)) or guarded.get((ref.class_desc, name))
        got = self._library[ref] = LibraryFacts(
            fw,
            f"{fw}->{name}",
            sink,
            pi,
            guards,
            library.mutates_receiver(ref),
            library.result_is_clean(ref),
            library.returns_receiver(ref),
        )
        return got

    def call_registers(self, proto: str, regs: tuple[int, ...], is_static: bool) -> tuple[int, ...]:
        """``arg_registers`` of a call, remembered: the same calls are stepped many times."""
        key = (proto, regs, is_static)
        got = self._call_regs.get(key)
        if got is None:
            got = self._call_regs[key] = arg_registers(proto, regs, is_static)
        return got

    def field_sites(self, dex: DexFile) -> dict[int, FieldSite]:
        """Field index -> what the analyses need of it in ``dex``, filled as they decode
        them (see MethodTaint.field_site)."""
        return self._frefs.setdefault(dex, {})

    def method_ref_of(self, dex: DexFile) -> Callable[[int], MethodRef]:
        """``dex.method_ref``, remembered per engine (the pools do not keep references, and
        a method is analysed many times)."""
        refs = self._mrefs.setdefault(dex, {})

        def method_ref(idx: int) -> MethodRef:
            got = refs.get(idx)
            if got is None:
                got = refs[idx] = dex.method_ref(idx)
            return got

        return method_ref

    def ranges(self, key: MethodKey, dex: DexFile, cfg: Cfg) -> RangeFacts:
        """Dead CFG edges and operand ranges of ``key`` (see :mod:`.branches`)."""
        got = self._ranges.get(key)
        if got is None:
            got = self._ranges[key] = range_facts(
                cfg, self.cg.resolve, self.method_ref_of(dex), self.const_return
            )
        return got

    def dead_edges(self, key: MethodKey, dex: DexFile, cfg: Cfg) -> frozenset:
        """CFG edges of ``key`` that no execution takes (see :mod:`.branches`)."""
        got = self._dead.get(key)
        if got is None:
            refs = self.method_ref_of(dex)
            decidable = may_decide(cfg, self.cg.resolve, refs, self.const_return)
            # (EMPTY: one shared empty set, not ~200 bytes for each of thousands of methods)
            got = self._dead[key] = self.ranges(key, dex, cfg).dead if decidable else EMPTY
        return got

    def handler_edges(self, key: MethodKey, dex: DexFile, cfg: Cfg) -> dict[int, tuple[int, ...]]:
        """Insn index -> the catch handlers it can reach (see :mod:`.exceptions`)."""
        got = self._handler_edges.get(key)
        if got is not None:
            return got
        got = {}
        operands = None
        for block in cfg.blocks:
            if not block.handlers:
                continue
            for i in range(block.start, block.end):
                insn = cfg.insns[i]
                ops = None
                if insn.op in exceptions.RANGED:  # the interval pass only when it can matter
                    if operands is None:
                        operands = self.ranges(key, dex, cfg).operands
                    ops = operands.get(i)
                if not exceptions.can_throw(insn, ops):
                    continue
                hs = tuple(
                    h
                    for h in block.handlers
                    if not exceptions.vm_only(cfg.catches.get(h, frozenset()))
                    or self.insn_raises_vm(dex, insn, 0)
                )
                if hs:
                    got[i] = hs
        # most methods have none: one shared empty mapping (read-only, see solve)
        got = self._handler_edges[key] = got or NO_HANDLER_EDGES
        return got

    def init_keeps_this(self, ref: MethodRef) -> bool:
        """Whether constructor ``ref`` (an app one) uses ``this`` only to read and write its
        fields and to call an app superclass constructor that does the same (see
        :mod:`.local`); framework constructors (``Object.<init>``) count as keeping it."""
        key = str(ref)
        got = self._init_keeps.get(key)
        if got is None:
            self._init_keeps[key] = False  # recursion: assume it escapes
            if ref.class_desc == "Ljava/lang/Object;":
                got = True
            else:
                hit = self.cfg_of(key)
                got = hit is not None and local.constructor_keeps_this(
                    hit[0], hit[2], self.init_keeps_this
                )
            self._init_keeps[key] = got
        return got

    def insn_raises_vm(self, dex: DexFile, insn: Any, depth: int) -> bool:
        if insn.op not in INVOKES:
            return insn.op in exceptions.VM_RAISERS
        ref = dex.method_ref(insn.idx)
        found = self.cg.resolve(insn.op, ref)
        if not found:
            return (self.cg.framework_class(ref.class_desc), ref.name) in (
                exceptions.RAISING_LIBRARY
            )
        return depth >= exceptions.MAX_DEPTH or any(
            self.method_raises_vm(t, depth + 1) for t in found
        )

    def method_raises_vm(self, key: MethodKey, depth: int) -> bool:
        """Whether app method ``key`` can let an array/arithmetic VM exception out."""
        got = self._raises_vm.get(key)
        if got is None:
            self._raises_vm[key] = True  # recursion: assume it can
            hit = self.cfg_of(key)
            got = hit is None or any(
                self.insn_raises_vm(hit[0], insn, depth) for insn in hit[2].insns
            )
            self._raises_vm[key] = got
        return got

    def const_return(self, key: MethodKey) -> Range:
        if key not in self._const_returns:
            self._const_returns[key] = None  # a recursive call: unknown
            got = self.cfg_of(key)
            if got is not None:
                self._const_returns[key] = returned_range(
                    got[2], self.cg.resolve, self.method_ref_of(got[0]), self.const_return
                )
        return self._const_returns[key]

    def analyse(self, key: MethodKey) -> Summary | None:
        got = self.cfg_of(key)
        if got is None:
            return None
        dex, method, cfg = got
        return self.method_analysis(key, dex, method, cfg).run()

    # ---- component channels ------------------------------------------------------------

    def icc_targets(self, key: MethodKey, dex: DexFile, method: MethodDef) -> Any:
        got = self._icc_cache.get(key)
        if got is None:
            got = self._icc_cache[key] = self.icc.resolve(dex, method)
        return got

    def component_of(self, *candidates: str) -> str | None:
        for c in candidates:
            if c in self.icc.declared:
                return c
        for c in candidates:  # inner classes: Outer$1 -> Outer
            outer = c.split("$", 1)[0] + ";" if "$" in c else None
            if outer in self.icc.declared:
                return outer
        return None

    @property
    def has_result_handler(self) -> bool:
        if self._has_result_handler is None:
            self._has_result_handler = any(
                k.split("->", 1)[1].startswith("onActivityResult(") for k in self.roots
            )
        return self._has_result_handler


class MethodTaint:
    """One analysis of one method against the engine's current fields and summaries."""

    def __init__(
        self, engine: TaintEngine, key: MethodKey, dex: DexFile, method: MethodDef, cfg: Cfg
    ) -> None:
        self.e = engine
        self.key = key
        self.dex = dex
        self.method = method
        self.cfg = cfg
        self.mref: Callable[[int], MethodRef] = engine.method_ref_of(dex)
        self.ref = self.mref(method.method_idx)
        self.cls = key.split("->", 1)[0]
        self.is_static = bool(method.access_flags & ACC_STATIC)
        self.slot = cfg.registers
        self.summary = Summary()
        self.exc: frozenset = EMPTY
        self._field_sites = engine.field_sites(dex)
        self._sites = engine._sites.setdefault(dex, {})
        self._ret_types: set[str] | None = set()

    # ---- fixpoint ----------------------------------------------------------------------

    def initial(self) -> list[frozenset]:
        cfg = self.cfg
        st: list[frozenset] = [EMPTY] * (cfg.registers + 1)
        first = cfg.registers - cfg.ins
        regs = tuple(range(first, cfg.registers))
        args = arg_registers(self.ref.proto, regs, self.is_static)
        extra = self.injected() if self.key in self.e.roots else {}
        for k, r in enumerate(args):
            labels = self.e.arg_labels(k)
            more = extra.get(k)
            st[r] = labels | more if more else labels
        return st

    def injected(self) -> dict[int, frozenset]:
        """What the framework passes to a root: PI parameters and component channels."""
        name, proto = self.ref.name, self.ref.proto
        out: dict[int, frozenset] = {}
        nargs = len(arg_registers(proto, tuple(range(256)), self.is_static))
        for cb in self.e.spec.callbacks.get(name, ()):
            if cb.proto is not None and cb.proto != proto:
                continue
            if cb.iface and not self.e.code.is_subtype(self.cls, cb.iface):
                continue
            if cb.pos >= nargs:
                continue
            site = SourceSite(self.key, None, f"{self.key}#param{cb.pos}", cb.pi_type, cb.pos)
            out[cb.pos] = out.get(cb.pos, EMPTY) | {self.e.source_label(site)}
        comp = self.e.component_of(self.cls)
        if comp is not None:
            k = INTENT_PARAMS.get(name)
            if k is not None and "Landroid/content/Intent;" in proto:
                out[k] = out.get(k, EMPTY) | self.e.read_field(("icc", comp), self.key)
            k = SAVED_STATE_READERS.get(name)
            if k is not None and "Landroid/os/Bundle;" in proto:
                out[k] = out.get(k, EMPTY) | self.e.read_field(("saved", comp), self.key)
            if name == "onSaveInstanceState" and "Landroid/os/Bundle;" in proto:
                out[1] = out.get(1, EMPTY) | {("F", ("saved", comp))}
        if name == "onActivityResult":
            out[3] = out.get(3, EMPTY) | self.e.read_field(RESULT_CHANNEL, self.key)
        return out

    def run(self) -> Summary:
        for _ in range(3):
            before = self.exc
            self.summary = Summary()
            self._ret_types = set()
            self.solve()
            if self.exc == before:
                break
        self.summary.throws = taint_of(self.exc)
        if self._ret_types:
            self.summary.ret_types = frozenset(self._ret_types)
        return self.summary

    def solve(self) -> None:
        blocks = self.cfg.blocks
        if not blocks:
            return
        entry: list[list[frozenset] | None] = [None] * len(blocks)
        entry[0] = self.initial()
        work = deque([0])
        queued = {0}
        cap = VISITS_PER_BLOCK * len(blocks) + 100
        visits = 0
        insns = self.cfg.insns
        dead = self.e.dead_edges(self.key, self.dex, self.cfg)
        reach = self.e.handler_edges(self.key, self.dex, self.cfg)

        def merge(b: int, st: list[frozenset]) -> None:
            old = entry[b]
            if old is None:
                entry[b] = list(st)
                changed = True
            elif all(map(le, st, old)):  # nothing new (the common case): one pass in C
                return
            else:
                changed = False
                for r, v in enumerate(st):
                    a = old[r]
                    if v is a or v <= a:
                        continue
                    old[r] = a | v
                    changed = True
            if changed and b not in queued:
                queued.add(b)
                work.append(b)

        step = self.step
        while work and visits < cap:
            visits += 1
            b = work.popleft()
            queued.discard(b)
            block = blocks[b]
            st = list(entry[b])  # type: ignore[arg-type]
            if not block.handlers:  # the common case, without exception edges
                for insn in insns[block.start : block.end]:
                    if insn.op not in INERT:
                        step(st, insn)
            else:
                for i in range(block.start, block.end):
                    hs = reach.get(i)
                    if hs:  # an instruction that throws leaves its registers as they were
                        for h in hs:
                            merge(h, st)
                    step(st, insns[i])
                    if hs and insns[i].op in INVOKES:  # ...but a callee may have mutated objects
                        for h in hs:
                            merge(h, st)
            for s in block.succs:
                if not dead or (b, s) not in dead:
                    merge(s, st)

    # ---- transfer ----------------------------------------------------------------------

    def field_site(self, idx: int) -> FieldSite:
        """Field ``idx`` of this DEX: its reference, global key and PI type if a source,
        worked out once per engine."""
        got = self._field_sites.get(idx)
        if got is None:
            ref = self.dex.pools.field_ref(idx)
            key = self.e.field_key(ref)
            pi = self.e.spec.fields.get((ref.class_desc, ref.name))
            got = self._field_sites[idx] = (ref, key, pi)
        return got

    def step(self, st: list[frozenset], insn: Any) -> None:
        op = insn.op
        regs = insn.regs
        if op in INVOKES:
            self.invoke(st, insn)
            return
        if op in INERT or op >= 0x100:
            return
        if 0x01 <= op <= 0x09:
            st[regs[0]] = st[regs[1]]
        elif 0x0A <= op <= 0x0C:
            st[regs[0]] = st[self.slot]
        elif op == 0x0D:
            st[regs[0]] = self.exc | {UNTYPED}
        elif 0x0F <= op <= 0x11:
            self.escape(st, regs[0])
            self.summary.ret = self.summary.ret | taint_of(st[regs[0]])
            if op == 0x11 and self._ret_types is not None:
                types = self.receiver_types(st[regs[0]])
                if types is None:
                    self._ret_types = None
                else:
                    self._ret_types.update(types)
        elif op == 0x22:  # new-instance: the allocation site is the object's identity
            st[regs[0]] = frozenset((("N", insn.pc),))
        elif 0x12 <= op <= 0x1C or op in (0x20, 0x21, 0x23) or 0x2D <= op <= 0x31:
            st[regs[0]] = EMPTY
        elif op in (0x24, 0x25):
            acc: frozenset = EMPTY
            for r in regs:
                acc = acc | taint_of(st[r])
            st[self.slot] = acc
        elif op == 0x27:
            self.escape(st, regs[0])
            self.exc = self.exc | taint_of(st[regs[0]])
        elif 0x44 <= op <= 0x4A:
            got = taint_of(st[regs[1]])
            if got and got != st[regs[1]]:  # other labels: maybe slot labels
                got = slots.read(st[regs[1]], got, slots.index_matches(self.index_range(insn)))
            st[regs[0]] = got
            if op == 0x46:  # aget-object: an element of unknown class
                st[regs[0]] = st[regs[0]] | {UNTYPED}
        elif 0x4B <= op <= 0x51:
            self.escape(st, regs[0])
            got = taint_of(st[regs[0]])
            if got:
                slot = slots.index_slot(self.index_range(insn))
                self.mutate(st, regs[1], got | slots.stored(got, slot))
        elif 0x52 <= op <= 0x58 or 0x60 <= op <= 0x66:
            ref, key, pi = self.field_site(insn.idx)
            got = self.e.read_field(key, self.key) | {("F", key)}
            if op <= 0x58 and local.fresh(st[regs[1]]):
                got = got | local.held(st[regs[1]], key)
            if pi is not None:
                site = SourceSite(self.key, insn.pc, f"{ref.class_desc}->{ref.name}", pi)
                got = got | {self.e.source_label(site)}
            st[regs[0]] = got
        elif 0x59 <= op <= 0x5F or 0x67 <= op <= 0x6D:
            key = self.field_site(insn.idx)[1]
            self.escape(st, regs[0])
            if op <= 0x5F and local.fresh(st[regs[1]]):
                local.overwrite(st, self.slot, regs[1], key, taint_of(st[regs[0]]))
            else:
                self.store(key, taint_of(st[regs[0]]))
        elif 0x7B <= op <= 0x8F or 0xD0 <= op <= 0xE2:
            st[regs[0]] = taint_of(st[regs[1]])
        elif 0x90 <= op <= 0xAF:
            st[regs[0]] = taint_of(st[regs[1]]) | taint_of(st[regs[2]])
        elif 0xB0 <= op <= 0xCF:
            st[regs[0]] = taint_of(st[regs[0]]) | taint_of(st[regs[1]])
        elif op in (0xFA, 0xFB, 0xFC, 0xFD):  # invoke-polymorphic/custom: string concat...
            acc = EMPTY
            for r in regs:
                if r < self.slot:
                    acc = acc | taint_of(st[r])
            st[self.slot] = acc
        elif op in (0xFE, 0xFF):
            st[regs[0]] = EMPTY

    def escape(self, st: list[frozenset], reg: int) -> None:
        """The object in ``reg`` leaves this method's hands: its fields' local values are
        written to the global fields, where other methods read them (see :mod:`.local`)."""
        if not 0 <= reg < self.slot or not st[reg]:
            return
        ident = local.fresh(st[reg])
        if ident is not None:  # an escaped object was flushed already; others hold nothing
            for key, labels in local.pending(st[reg]).items():
                self.store(key, labels)
            local.escaped(st, self.slot, ident)

    def index_range(self, insn: Any) -> Range:
        """The index range of an aget/aput (see :mod:`.branches`)."""
        ops = self.e.ranges(self.key, self.dex, self.cfg).operands.get(self.cfg.by_pc[insn.pc])
        return ops[1] if ops else None

    def store(self, key: Any, labels: frozenset) -> None:
        """A field or channel gets ``labels``: concrete ones now, symbolic ones via callers."""
        if not labels:
            return
        self.e.write_field(key, labels)
        sym = frozenset(x for x in labels if not isinstance(x, int))
        if sym:
            so = self.summary.field_out
            so[key] = so.get(key, EMPTY) | sym

    def mutate(self, st: list[frozenset], reg: int, labels: frozenset) -> None:
        """The object in ``reg`` now holds ``labels``; write back to its argument or field."""
        if not labels or not 0 <= reg < self.slot:
            return
        cur = st[reg]
        if labels <= cur:
            return
        st[reg] = cur | labels
        for ident in cur:
            if isinstance(ident, tuple):
                if ident[0] == "N":  # other registers holding the same allocation
                    for r in range(self.slot):
                        if ident in st[r] and not labels <= st[r]:
                            st[r] = st[r] | labels
                elif ident[0] == "A":
                    po = self.summary.param_out
                    po[ident[1]] = po.get(ident[1], EMPTY) | labels
                elif ident[0] == "F":
                    self.store(ident[1], labels)

    def sink(self, site: SinkSite, labels: frozenset, path: tuple[str, ...]) -> None:
        for x in labels:
            if isinstance(x, int):
                self.e.add_leak(x, site, path)
        sym = frozenset(x for x in labels if not isinstance(x, int))
        if sym:
            old = self.summary.sinks.get(site)
            if old is None:
                self.summary.sinks[site] = (sym, path)
            elif not sym <= old[0]:
                self.summary.sinks[site] = (old[0] | sym, old[1])

    def invoke(self, st: list[frozenset], insn: Any) -> None:
        site = self._sites.get(insn.idx << 8 | insn.op)
        if site is None:
            site = self.e.call_site(self.dex, insn.op, insn.idx)
        ref, is_static, keeps_this, targets, ret_label = site
        aregs = self.e.call_registers(ref.proto, insn.regs, is_static)
        slot = self.slot
        for k, r in enumerate(aregs):
            # (escape() skips empty registers; a constructor that keeps `this` to itself)
            if r < slot and st[r] and not (k == 0 and keeps_this):
                self.escape(st, r)
        args = [st[r] if r < slot else EMPTY for r in aregs]
        if not is_static and not aregs:
            # a damaged invoke with no receiver register: nothing flows through it
            st[slot] = EMPTY
            return
        if len(targets) > 1 and insn.op in VIRTUAL_INVOKES:
            targets = self.refine(insn.op, ref, st[aregs[0]], targets)
        if targets:
            result: frozenset = EMPTY
            types: set[str] | None = set()
            for t in targets:
                result = result | self.apply(st, t, aregs, args)
                known = self.e.summaries.get(t, EMPTY_SUMMARY).ret_types
                types = None if known is None or types is None else types | known
            if ret_label is not None:
                result = result | (frozenset(("R", x) for x in types) if types else ret_label)
            st[slot] = result
            return
        result = self.library_call(st, insn, ref, aregs, args)
        if ret_label is not None:
            result = result | ret_label
        st[slot] = result

    def receiver_types(self, labels: frozenset) -> set[str] | None:
        """The classes the object in a register can have, or None when one is not known.

        Known: an allocation in this method (``("N", pc)``) or a call's result (``("R",
        class)``: the callee's returned allocations, else its declared type). Any other
        identity (a parameter, a field, an array element) or none at all: unknown."""
        types: set[str] = set()
        for x in labels:
            if isinstance(x, int) or x[0] in ("a", "H", "S", "E"):
                continue
            if x[0] == "R":
                types.add(x[1])
            elif x[0] == "N" and len(x) == 2 and x[1] in self.cfg.by_pc:
                insn = self.cfg.insns[self.cfg.by_pc[x[1]]]
                types.add(self.dex.type_desc(insn.idx))
            else:
                return None
        return types or None

    def refine(
        self, op: int, ref: MethodRef, receiver: frozenset, targets: tuple[MethodKey, ...]
    ) -> tuple[MethodKey, ...]:
        """Targets of a virtual call narrowed to the receiver's known classes (VirtualDispatch:
        ``createB().getString()`` runs B's method, not every implementation CHA finds)."""
        types = self.receiver_types(receiver)
        # the call's own class among them: its targets are all kept (saves resolving them again)
        if types is None or ref.class_desc in types:
            return targets
        narrowed: set[MethodKey] = set()
        for t in types:
            if not t.startswith("L"):
                return targets
            narrowed.update(self.e.cg.resolve(0x6E, MethodRef(t, ref.name, ref.proto)))
        kept = tuple(x for x in targets if x in narrowed)
        return kept or targets

    def apply(
        self, st: list[frozenset], target: MethodKey, aregs: tuple[int, ...], args: list
    ) -> frozenset:
        """Use ``target``'s summary at this call with these argument labels."""
        e = self.e
        callers = e.callers.get(target)
        if callers is None:  # (not setdefault: that makes a set at every call)
            callers = e.callers[target] = set()
        callers.add(self.key)
        summ = e.summaries.get(target)
        if summ is None:
            e.enqueue(target)
            return EMPTY
        if not (summ.ret or summ.sinks or summ.param_out or summ.field_out or summ.throws):
            return EMPTY  # most summaries: nothing flows through the call
        taints = [taint_of(a) for a in args]

        def subst(labels: frozenset) -> frozenset:
            if not labels:
                return EMPTY
            out = set()
            for x in labels:
                if isinstance(x, int):
                    out.add(x)
                elif x[0] == "a" and x[1] < len(taints):
                    out.update(taints[x[1]])
            return frozenset(out)

        for site, (labels, path) in summ.sinks.items():
            got = self.sink_labels_at_call(labels, taints) if self.e.paired_sinks else subst(labels)
            if got:
                self.sink(site, got, (self.key, *path))
        for k, labels in summ.param_out.items():
            if k < len(aregs):
                self.mutate(st, aregs[k], subst(labels))
        for fkey, labels in summ.field_out.items():
            self.store(fkey, subst(labels))
        if summ.throws:
            self.exc = self.exc | subst(summ.throws)
        return subst(summ.ret)

    # ---- library calls -----------------------------------------------------------------

    def sink_labels_at_call(self, labels: frozenset, taints: list[frozenset]) -> frozenset:
        """A callee's sink labels in this caller's terms, for engines whose sink labels are
        not all plain (:attr:`TaintEngine.paired_sinks`); see :mod:`.uri_theft`."""
        raise NotImplementedError

    def library_call(
        self,
        st: list[frozenset],
        insn: Any,
        ref: MethodRef,
        aregs: tuple[int, ...],
        args: list[frozenset],
    ) -> frozenset:
        e = self.e
        lib = e._library.get(ref)
        if lib is None:
            lib = e.library_facts(ref)
        fw, api, spec, pi, guards, mutates, clean, returns = lib
        name = ref.name
        taints = [taint_of(a) for a in args]
        pc = insn.pc

        # sinks
        if spec is not None:
            positions = spec.args if spec.args is not None else range(0 if insn.op in
                                                                        STATIC_INVOKES else 1,
                                                                        len(args))  # fmt: skip
            labels: frozenset = EMPTY
            for p in positions:
                if p < len(taints):
                    labels = labels | taints[p]
            if labels:
                self.sink(SinkSite(self.key, pc, api, spec.kind), labels, (self.key,))
        icc_pos = specs.ICC_SENDS.get(name)
        if icc_pos is not None and (fw in specs.ICC_CLASSES) and icc_pos < len(taints):
            self.icc_send(pc, api, name, taints[icc_pos])

        # sources
        if guards:
            pi = self.guarded_source(pc, guards, insn.op in STATIC_INVOKES)
        if pi is not None:
            label = e.source_label(SourceSite(self.key, pc, api, pi))
            return frozenset((label,))

        # password fields: findViewById(id of a password input) ... getText()
        if e.password_ids and name in VIEW_LOOKUPS and len(args) >= 2:
            ids = self.const_ints(pc, len(args) - 1) & e.password_ids
            if ids:
                return frozenset(("V", i) for i in sorted(ids))
        if (
            name == "getText"
            and args
            and any(isinstance(x, tuple) and x[0] == "V" for x in args[0])
        ):
            site = SourceSite(self.key, pc, f"{fw}->getText", PASSWORD_PI)
            return frozenset((e.source_label(site),))

        if fw == "Ljava/lang/reflect/Method;" and name == "invoke" and len(args) >= 2:
            return self.reflective_call(st, pc, aregs, args)

        # component channels read by library calls
        if name == "getIntent" and ref.proto == "()Landroid/content/Intent;":
            comp = e.component_of(ref.class_desc, self.cls)
            if comp is not None:
                return e.read_field(("icc", comp), self.key)
            return EMPTY

        # ordered broadcasts: a receiver's result goes to the next receivers in the chain
        if fw == "Landroid/content/BroadcastReceiver;":
            if name in ORDERED_RESULT_SETTERS:
                acc: frozenset = EMPTY
                for t in taints[1:]:
                    acc = acc | t
                self.store(ORDERED_CHANNEL, acc)
                return EMPTY
            if name in ORDERED_RESULT_GETTERS:
                return e.read_field(ORDERED_CHANNEL, self.key)

        # app-private files: one channel, written through a stream opened on a file
        got = self.file_channel(st, ref, aregs, args)
        if got is not None:
            return got

        # AsyncTask.execute(params) runs doInBackground(params), then onPostExecute(result)
        if name in ("execute", "executeOnExecutor") and fw == "Landroid/os/AsyncTask;":
            params = args[-1] if args else EMPTY
            bg = e.cg.resolve(0x6E, MethodRef(ref.class_desc, "doInBackground",
                                              "([Ljava/lang/Object;)Ljava/lang/Object;"))  # fmt: skip
            res: frozenset = EMPTY
            for t in bg:
                res = res | self.apply(st, t, (aregs[0], aregs[-1]), [args[0], params])
            post = e.cg.resolve(0x6E, MethodRef(ref.class_desc, "onPostExecute",
                                                "(Ljava/lang/Object;)V"))  # fmt: skip
            for t in post:
                self.apply(st, t, (aregs[0], -1), [args[0], res])
            return EMPTY

        # propagation
        if ref == library.ARRAYCOPY and len(aregs) >= 3:
            self.mutate(st, aregs[2], taints[0])
            return EMPTY
        start = 0 if insn.op in STATIC_INVOKES else 1
        kind = slots.container_kind(fw) if start == 1 and len(args) > 1 else None
        if kind is not None:
            got = self.container_slot(st, insn, kind, name, aregs, args, taints)
            if got is not None:
                return got
        if start == 1 and len(args) > 1 and mutates:
            incoming: frozenset = EMPTY
            for t in taints[1:]:
                incoming = incoming | t
            self.mutate(st, aregs[0], incoming)
            args = [st[r] if r < self.slot else EMPTY for r in aregs]
            taints[0] = taint_of(args[0])
        if clean:
            return EMPTY
        out: frozenset = EMPTY
        for t in taints:
            out = out | t
        if start == 1 and returns:
            out = out | frozenset(x for x in args[0] if not is_taint(x))
        if len(out) > MAX_LABELS:
            return out
        return out

    def container_slot(
        self,
        st: list[frozenset],
        insn: Any,
        kind: str,
        name: str,
        aregs: tuple[int, ...],
        args: list[frozenset],
        taints: list[frozenset],
    ) -> frozenset | None:
        """``Map.put/get`` with a constant string key, ``List.set/get`` with a constant index
        (see :mod:`.slots`); None: not one of those, the generic rules apply."""
        nargs = len(args)
        if (kind, name, nargs) in (("map", "put", 3), ("list", "set", 3), ("list", "add", 2)):
            value = taints[-1]
            key = self.container_key(insn.pc, kind) if name != "add" else slots.ANY
            self.mutate(st, aregs[0], value | slots.stored(value, key) | taints[1])
            return taints[0] if name != "add" else EMPTY
        if (kind, name, nargs) in (("map", "get", 2), ("list", "get", 2)):
            key = self.container_key(insn.pc, kind)
            if key is slots.ANY or not taints[0]:
                return None
            return slots.read(args[0], taints[0], lambda s: s == key) | taints[1]
        return None

    def container_key(self, pc: int, kind: str) -> Any:
        """The constant key (map: ``("k", string)``) or index (list) of a call, or ANY."""
        if kind == "list":
            found: frozenset = self.const_ints(pc, 1)
            return next(iter(found)) if len(found) == 1 else slots.ANY
        flow = method_flow(self.dex, self.method)
        values = flow.args_at(pc) if flow is not None else []
        if len(values) < 2:
            return slots.ANY
        strings = string_constants(values[1])
        if len(strings) != 1 or any(v.kind != "string" for v in values[1]):
            return slots.ANY
        return ("k", next(iter(strings)))

    def reflective_call(
        self, st: list[frozenset], pc: int, aregs: tuple[int, ...], args: list[frozenset]
    ) -> frozenset:
        """``Method.invoke(obj, Object[] args)`` with a constant class and method name."""
        flow = method_flow(self.dex, self.method)
        if flow is None:
            return EMPTY
        e = self.e
        values = flow.args_at(pc)
        if not values:
            return EMPTY
        array = args[2] if len(args) > 2 else EMPTY
        array_reg = aregs[2] if len(aregs) > 2 else -1
        result: frozenset = EMPTY
        for cls, mname in sorted(reflective_target(flow, values[0], e.code)):
            found = False
            for d in (cls, *self.e.code.superclasses(cls)):
                for (n, proto), (_dex, m) in e.cg.members(d).items():
                    key = e.cg.define(d, n, proto) if n == mname else None
                    if key is None:
                        continue
                    found = True
                    nparams = len(arg_registers(proto, tuple(range(64)), True))
                    if m.access_flags & ACC_STATIC:
                        regs, vals = (array_reg,) * nparams, [array] * nparams
                    else:
                        regs = (aregs[1], *(array_reg,) * nparams)
                        vals = [args[1], *[array] * nparams]
                    result = result | self.apply(st, key, regs, vals)
            api = f"{cls}->{mname}"
            pi = e.method_sources.get((cls, mname))
            if pi is not None:
                result = result | {e.source_label(SourceSite(self.key, pc, api, pi))}
            spec = e.sinks.get((cls, mname))
            labels = taint_of(array)
            if spec is not None and labels:
                self.sink(SinkSite(self.key, pc, api, spec.kind), labels, (self.key,))
            if not found and pi is None:
                result = result | self.reflective_library_call(st, pc, cls, mname, aregs, args)
        return result

    def reflective_library_call(
        self,
        st: list[frozenset],
        pc: int,
        cls: str,
        mname: str,
        aregs: tuple[int, ...],
        args: list,
    ) -> frozenset:
        """A framework method called through ``Method.invoke``: as if called directly.

        Why: ``putExtra`` or ``startActivity`` reached by reflection move data exactly as
        the direct call does. The argument array stands for every argument (its elements are
        one abstract location), ``args[1]`` is the receiver.
        """
        fw = self.e.cg.framework_class(cls)
        array = taint_of(args[2]) if len(args) > 2 else EMPTY
        icc_pos = specs.ICC_SENDS.get(mname)
        if icc_pos is not None and fw in specs.ICC_CLASSES:
            self.icc_send(pc, f"{fw}->{mname}", mname, array)
        ref = MethodRef(fw, mname, "(Ljava/lang/Object;)Ljava/lang/Object;")
        if len(aregs) > 1 and library.mutates_receiver(ref):
            self.mutate(st, aregs[1], array)
        if library.result_is_clean(ref):
            return EMPTY
        receiver = args[1] if len(args) > 1 else EMPTY
        return array | taint_of(receiver)

    def icc_send(self, pc: int, api: str, name: str, labels: frozenset) -> None:
        e = self.e
        if name == "setResult":
            self.store(RESULT_CHANNEL, labels)
            if not e.has_result_handler and labels:
                self.sink(SinkSite(self.key, pc, api, "icc"), labels, (self.key,))
            return
        if not labels:
            return
        res = e.icc_targets(self.key, self.dex, self.method)
        if res.targets:
            for comp in res.targets:
                self.store(("icc", comp), labels)
        elif not res.resolved:
            self.sink(SinkSite(self.key, pc, api, "icc"), labels, (self.key,))

    def file_channel(
        self, st: list[frozenset], ref: MethodRef, aregs: tuple[int, ...], args: list
    ) -> frozenset | None:
        """Files as one abstract location: PI written to a file comes back from a read.

        A stream or writer opened on a file carries the identity ``("F", FILE_CHANNEL)``
        (wrappers such as ``BufferedWriter`` inherit it from their constructor argument),
        so the ``write`` that stores PI into it stores into the channel; a stream opened for
        reading returns what the channel holds. None: not a file call.
        """
        name, cls = ref.name, ref.class_desc
        ident = FILE_IDENT
        if name == "openFileOutput" or (name == "<init>" and cls in FILE_WRITERS):
            if name == "openFileOutput":
                return ident
            if aregs and aregs[0] < self.slot:
                st[aregs[0]] = st[aregs[0]] | ident
            return None
        if name == "<init>" and cls.startswith(WRAPPERS) and aregs and aregs[0] < self.slot:
            # a writer over an object writes into it: the wrapper takes its identities
            carried = frozenset(x for a in args[1:] for x in a if not is_taint(x))
            if carried:
                st[aregs[0]] = st[aregs[0]] | carried
            return None
        if name == "openFileInput" or (name == "<init>" and cls in FILE_READERS):
            labels = self.e.read_field(FILE_CHANNEL, self.key)
            if name == "openFileInput":
                return labels
            if labels and aregs:
                self.mutate(st, aregs[0], labels)
            return None
        # InputStream.read(byte[]...) / Reader.read(char[]...): the buffer gets the content
        if name == "read" and cls.startswith("Ljava/io/") and len(aregs) > 1:
            self.mutate(st, aregs[1], taint_of(args[0]))
        # String.getChars(begin, end, char[] dst, at): the destination gets the content
        if (cls, name) in COPY_INTO and COPY_INTO[(cls, name)] < len(aregs):
            self.mutate(st, aregs[COPY_INTO[(cls, name)]], taint_of(args[0]))
        return None

    def const_ints(self, pc: int, pos: int) -> frozenset[int]:
        """The int constants argument ``pos`` (receiver counts) of the call at ``pc`` can be."""
        flow = method_flow(self.dex, self.method)
        if flow is None:
            return frozenset()
        args = flow.args_at(pc)
        if pos >= len(args):
            return frozenset()
        return frozenset(v.data for v in args[pos] if v.kind == "const" and isinstance(v.data, int))

    def guarded_source(
        self, pc: int, guards: tuple[specs.GuardedSource, ...], is_static: bool
    ) -> str | None:
        """The PI type of an argument-sensitive source whose argument can be the constant."""
        flow = method_flow(self.dex, self.method)
        if flow is None:
            return None
        args = flow.args_at(pc)
        for g in guards:
            pos = g.java_index + (0 if is_static else 1)
            if pos < len(args) and g.equals in string_constants(args[pos]):
                return g.pi_type
        return None


def analyse_app(facts: AppFacts, budget: TaintBudget = TaintBudget()) -> TaintResult:
    """PI leaks of one app (see the module docstring for what is modelled)."""
    return TaintEngine(facts, budget).run()
