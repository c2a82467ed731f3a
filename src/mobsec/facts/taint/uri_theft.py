"""Theft of arbitrary files: a URI or path another app chooses, opened with this app's
identity, and the content copied where others can read it.

Why: when an exported component (or the result of an implicit ``startActivityForResult``,
which any app can answer) hands the app a ``content://`` or ``file://`` URI and the app opens
it itself (``ContentResolver.openInputStream``, ``new FileInputStream(new File(uri.getPath()))``),
the app reads with its own permissions: ``file:///data/data/<app>/shared_prefs/x.xml`` or
a URI of the app's own non-exported FileProvider work as well as a photo. Copied to
external storage, a world-readable file or the network, the attacker gets the app's
private files (Oversecured, "theft of arbitrary files").

Two runs of the taint engine (:mod:`.engine`), each with its own sources and sinks:

1. *Foreign URIs reach an opener.* Sources: the Intent of an exported component (its
   ``getIntent()``, the Intent of ``onNewIntent``/``onReceive``/``onStartCommand``...) and the
   result Intent of ``onActivityResult`` in a class that asks another app for a result.
   Sinks: :data:`OPENERS`. Sanitisers (:data:`GUARD_READS`): a method on the way that compares
   the URI's authority, scheme or canonical path is taken as the app choosing what it
   opens, and the flow is dropped.
2. *The opened content reaches a readable place.* Sources: the opener calls found in run
   1 (their stream, descriptor or reader) and the places others can read
   (:data:`PLACES`: external storage directories, MediaStore collections, network output
   streams, ``MODE_WORLD_READABLE`` files). Sinks: copies (:data:`COPIES`) with a content
   argument and a destination argument; a copy whose content comes from an opener and
   whose destination from a place is the theft. Content sent straight to the network
   (:data:`UPLOADS`) counts too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from mobsec.facts.dataflow import method_flow

from . import specs
from .engine import EMPTY, INTENT_PARAMS, MethodTaint, TaintBudget, TaintEngine, taint_of
from .model import Leak, SinkSite, SourceSite, TaintResult

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.ingest.dex import DexFile, MethodDef, MethodRef

    from .callgraph import MethodKey

INTENT = "Landroid/content/Intent;"
RESOLVER = "Landroid/content/ContentResolver;"
CONTEXT = "Landroid/content/Context;"
ACTIVITY = "Landroid/app/Activity;"
ON_RESULT = ("onActivityResult", "(IILandroid/content/Intent;)V")
# ActivityResultCallback.onActivityResult(O): the answer to registerForActivityResult
ON_CALLBACK = ("onActivityResult", "(Ljava/lang/Object;)V")
FROM_INTENT = "intent"  # SourceSite.pi_type of an exported component's Intent
FROM_RESULT = "activity-result"  # ... of onActivityResult's Intent
OPEN = "open"  # SinkSite.kind of an opener (run 1)

# Calls that open what a URI, File or path names: (class, method) -> argument position.
OPENERS: dict[tuple[str, str], specs.SinkSpec] = {
    (RESOLVER, "openInputStream"): specs.SinkSpec(OPEN, (1,)),
    (RESOLVER, "openFileDescriptor"): specs.SinkSpec(OPEN, (1,)),
    (RESOLVER, "openAssetFileDescriptor"): specs.SinkSpec(OPEN, (1,)),
    (RESOLVER, "openTypedAssetFileDescriptor"): specs.SinkSpec(OPEN, (1,)),
    (RESOLVER, "openTypedAssetFile"): specs.SinkSpec(OPEN, (1,)),
    (RESOLVER, "openFile"): specs.SinkSpec(OPEN, (1,)),
    ("Ljava/io/FileInputStream;", "<init>"): specs.SinkSpec(OPEN, (1,)),
    ("Ljava/io/FileReader;", "<init>"): specs.SinkSpec(OPEN, (1,)),
    ("Ljava/io/RandomAccessFile;", "<init>"): specs.SinkSpec(OPEN, (1,)),
    ("Ljava/nio/file/Files;", "newInputStream"): specs.SinkSpec(OPEN, (0,)),
    ("Ljava/nio/file/Files;", "readAllBytes"): specs.SinkSpec(OPEN, (0,)),
    ("Ljava/nio/file/Files;", "copy"): specs.SinkSpec(OPEN, (0,)),
    ("Lorg/apache/commons/io/FileUtils;", "readFileToByteArray"): specs.SinkSpec(OPEN, (0,)),
    ("Lorg/apache/commons/io/FileUtils;", "readFileToString"): specs.SinkSpec(OPEN, (0,)),
    ("Lorg/apache/commons/io/FileUtils;", "copyFile"): specs.SinkSpec(OPEN, (0,)),
    ("Lorg/apache/commons/io/FileUtils;", "openInputStream"): specs.SinkSpec(OPEN, (0,)),
    ("Lkotlin/io/FilesKt;", "copyTo"): specs.SinkSpec(OPEN, (0,)),
    ("Lkotlin/io/FilesKt;", "copyTo$default"): specs.SinkSpec(OPEN, (0,)),
    ("Lkotlin/io/FilesKt;", "readBytes"): specs.SinkSpec(OPEN, (0,)),
    ("Lkotlin/io/FilesKt;", "readText"): specs.SinkSpec(OPEN, (0,)),
    ("Lkotlin/io/FilesKt;", "readText$default"): specs.SinkSpec(OPEN, (0,)),
}
# Openers that copy by themselves (source, destination): run 2 sees no stream to follow.
SELF_COPIES: dict[tuple[str, str], int] = {
    ("Ljava/nio/file/Files;", "copy"): 1,
    ("Lorg/apache/commons/io/FileUtils;", "copyFile"): 1,
    ("Lkotlin/io/FilesKt;", "copyTo"): 1,
    ("Lkotlin/io/FilesKt;", "copyTo$default"): 1,
}

# Sanitisers: the result of one of these calls compared (equals, startsWith, a set lookup)
# in a method the flow passes through means the app decides which URIs it opens.
GUARD_READS = frozenset(
    (
        ("Landroid/net/Uri;", "getAuthority"),
        ("Landroid/net/Uri;", "getEncodedAuthority"),
        ("Landroid/net/Uri;", "getScheme"),
        ("Landroid/net/Uri;", "getHost"),
        ("Ljava/io/File;", "getCanonicalPath"),
        ("Ljava/io/File;", "getCanonicalFile"),
    )
)
COMPARISONS = frozenset(
    (
        "equals",
        "equalsIgnoreCase",
        "startsWith",
        "endsWith",
        "contains",
        "matches",
        "areEqual",
        "compareTo",
        "contentEquals",
    )
)

# Places other apps (or the network) can read: (class, method or field) -> place.
EXTERNAL = "external-storage"
WORLD_READABLE = "world-readable-file"
NETWORK = "network"
MEDIA = "shared-media"
PLACE_METHODS: dict[tuple[str, str], str] = {
    ("Landroid/os/Environment;", "getExternalStorageDirectory"): EXTERNAL,
    ("Landroid/os/Environment;", "getExternalStoragePublicDirectory"): EXTERNAL,
    ("Landroidx/core/content/ContextCompat;", "getExternalFilesDirs"): EXTERNAL,
    ("Landroidx/core/content/ContextCompat;", "getExternalCacheDirs"): EXTERNAL,
    ("Landroid/support/v4/content/ContextCompat;", "getExternalFilesDirs"): EXTERNAL,
    ("Landroid/support/v4/content/ContextCompat;", "getExternalCacheDirs"): EXTERNAL,
    ("Ljava/net/URLConnection;", "getOutputStream"): NETWORK,
    ("Ljava/net/HttpURLConnection;", "getOutputStream"): NETWORK,
    ("Ljavax/net/ssl/HttpsURLConnection;", "getOutputStream"): NETWORK,
    ("Ljava/net/Socket;", "getOutputStream"): NETWORK,
}
# Context methods, called on any Context subclass (an Activity, the Application...).
CONTEXT_PLACES: dict[str, str] = {
    "getExternalFilesDir": EXTERNAL,
    "getExternalFilesDirs": EXTERNAL,
    "getExternalCacheDir": EXTERNAL,
    "getExternalCacheDirs": EXTERNAL,
    "getExternalMediaDirs": EXTERNAL,
}
PLACE_FIELDS: dict[tuple[str, str], str] = {
    (f"Landroid/provider/MediaStore${kind};", "EXTERNAL_CONTENT_URI"): MEDIA
    for kind in ("Images$Media", "Video$Media", "Audio$Media", "Downloads")
}
MODE_WORLD_READABLE = 0x1

# Copies: (class, method) -> (content argument positions, destination argument positions).
_STREAM_WRITE = ((1,), (0,))
COPIES: dict[tuple[str, str], tuple[tuple[int, ...], tuple[int, ...]]] = {}
for _cls in (
    "Ljava/io/OutputStream;",
    "Ljava/io/FileOutputStream;",
    "Ljava/io/BufferedOutputStream;",
    "Ljava/io/DataOutputStream;",
    "Ljava/io/FilterOutputStream;",
    "Ljava/io/Writer;",
    "Ljava/io/FileWriter;",
    "Ljava/io/BufferedWriter;",
    "Ljava/io/OutputStreamWriter;",
    "Ljava/io/PrintWriter;",
    "Ljava/io/PrintStream;",
):
    for _name in ("write", "append", "print", "println"):
        COPIES[(_cls, _name)] = _STREAM_WRITE
COPIES.update(
    {
        ("Ljava/io/InputStream;", "transferTo"): ((0,), (1,)),
        ("Ljava/nio/channels/FileChannel;", "transferFrom"): ((1,), (0,)),
        ("Ljava/nio/channels/FileChannel;", "transferTo"): ((0,), (3,)),
        ("Ljava/nio/channels/FileChannel;", "write"): ((1,), (0,)),
        ("Ljava/nio/file/Files;", "copy"): ((0,), (1,)),
        ("Ljava/nio/file/Files;", "write"): ((1,), (0,)),
        ("Landroid/os/FileUtils;", "copy"): ((0,), (1,)),
        ("Lorg/apache/commons/io/IOUtils;", "copy"): ((0,), (1,)),
        ("Lorg/apache/commons/io/IOUtils;", "copyLarge"): ((0,), (1,)),
        ("Lorg/apache/commons/io/IOUtils;", "write"): ((0,), (1,)),
        ("Lorg/apache/commons/io/FileUtils;", "copyInputStreamToFile"): ((0,), (1,)),
        ("Lorg/apache/commons/io/FileUtils;", "copyToFile"): ((0,), (1,)),
        ("Lorg/apache/commons/io/FileUtils;", "writeByteArrayToFile"): ((1,), (0,)),
        ("Lorg/apache/commons/io/FileUtils;", "writeStringToFile"): ((1,), (0,)),
        ("Lcom/google/common/io/ByteStreams;", "copy"): ((0,), (1,)),
        ("Lkotlin/io/ByteStreamsKt;", "copyTo"): ((0,), (1,)),
        ("Lkotlin/io/ByteStreamsKt;", "copyTo$default"): ((0,), (1,)),
        ("Lkotlin/io/FilesKt;", "writeBytes"): ((1,), (0,)),
        ("Lkotlin/io/FilesKt;", "writeText"): ((1,), (0,)),
        ("Lkotlin/io/FilesKt;", "writeText$default"): ((1,), (0,)),
    }
)
# The content itself handed to an HTTP client: theft to the network without a stream.
UPLOADS: dict[tuple[str, str], specs.SinkSpec] = {
    ("Lokhttp3/RequestBody;", "create"): specs.SinkSpec(NETWORK, None),
    ("Lokhttp3/RequestBody$Companion;", "create"): specs.SinkSpec(NETWORK, None),
    ("Lokhttp3/RequestBody$Companion;", "create$default"): specs.SinkSpec(NETWORK, None),
}
COPY = "copy"  # SinkSite.kind: the content argument of a copy (run 2)
COPY_INTO = "copy-into"  # ... its destination argument
CONTENT = "content"  # SourceSite.pi_type of an opener's result (run 2)
# Decoding an image keeps only pixels of image files: a private file is not one.
CLEAN_DECODERS = frozenset(("Landroid/graphics/BitmapFactory;", "Landroid/graphics/ImageDecoder;"))


@dataclass(frozen=True, slots=True)
class Theft:
    """One foreign URI opened at ``opened`` and copied at ``copy`` to ``places``."""

    source: SourceSite  # where the URI enters (a getIntent call, a callback parameter)
    path: tuple[str, ...]  # methods from the source to the opener
    opened: SinkSite  # the opener call
    copy: SinkSite  # the copy (or upload) of its content
    places: tuple[str, ...]  # EXTERNAL, WORLD_READABLE, NETWORK, MEDIA
    place_apis: tuple[str, ...]  # the calls that named the place


@dataclass(slots=True)
class UriTheftResult:
    thefts: list[Theft] = field(default_factory=list)
    guarded: list[Leak] = field(default_factory=list)  # opened after an authority check
    complete: bool = True


def analyse_uri_theft(
    facts: AppFacts,
    exposed: frozenset[str],
    requesters: frozenset[str],
    budget: TaintBudget | None = None,
    callbacks: frozenset[str] = frozenset(),
) -> UriTheftResult:
    """File thefts of one app.

    ``exposed``: descriptors of the components another app can start or bind (exported,
    enabled, not behind a signature permission); ``requesters``: classes whose
    ``onActivityResult`` gets an answer another app can give (an implicit request);
    ``callbacks``: ActivityResultCallback classes registered for a contract another app
    answers with a URI (``GetContent``, ``OpenDocument``...).
    """
    budget = budget or TaintBudget()
    out = UriTheftResult()
    first = ForeignUriEngine(facts, budget, exposed, requesters, callbacks)
    opened = [x for x in first.run().leaks if x.sink.kind == OPEN]
    out.complete = first.complete
    kept: list[Leak] = []
    for leak in opened:
        (out.guarded if guarded(first, leak.path) else kept).append(leak)
    if not kept:
        return out
    sites = frozenset((x.sink.method, x.sink.offset) for x in kept)
    second = ContentCopyEngine(facts, budget, sites)
    copies = second.copies()
    out.complete = out.complete and second.complete
    for leak in kept:
        for copy, places in copies.get((leak.sink.method, leak.sink.offset), ()):
            out.thefts.append(
                Theft(
                    leak.source,
                    leak.path,
                    leak.sink,
                    copy,
                    tuple(sorted({p.pi_type for p in places})),
                    tuple(sorted({p.api for p in places})),
                )
            )
    return out


class _OwnTablesEngine(TaintEngine):
    """The taint engine with this module's tables instead of the PI ones."""

    sources = specs.SourceSpec({}, {}, {}, {})
    sinks_of: ClassVar[dict[tuple[str, str], specs.SinkSpec]] = {}
    method_class: ClassVar[type[MethodTaint]] = MethodTaint

    def __init__(self, facts: AppFacts, budget: TaintBudget) -> None:
        self.complete = True
        super().__init__(facts, budget)

    def source_table(self) -> specs.SourceSpec:
        return self.sources

    def sink_table(self) -> dict[tuple[str, str], specs.SinkSpec]:
        return self.sinks_of

    def password_fields(self) -> frozenset[int]:
        return frozenset()

    def method_analysis(
        self, key: MethodKey, dex: DexFile, method: MethodDef, cfg: Any
    ) -> MethodTaint:
        return self.method_class(self, key, dex, method, cfg)

    def run(self) -> TaintResult:
        result = super().run()
        self.complete = result.complete
        return result


class ForeignUriMethod(MethodTaint):
    e: ForeignUriEngine

    def injected(self) -> dict[int, frozenset]:
        out = super().injected()
        name, proto = self.ref.name, self.ref.proto
        comp = self.e.component_of(self.cls)
        k = INTENT_PARAMS.get(name)
        if k is not None and INTENT in proto and comp in self.e.exposed:
            out[k] = out.get(k, EMPTY) | {
                self.foreign(None, f"{self.key}#param{k}", FROM_INTENT, k)
            }
        if (name, proto) == ON_RESULT and self.e.requests_results(self.cls):
            out[3] = out.get(3, EMPTY) | {self.foreign(None, f"{self.key}#param3", FROM_RESULT, 3)}
        if (name, proto) == ON_CALLBACK and self.cls in self.e.callbacks:
            out[1] = out.get(1, EMPTY) | {self.foreign(None, f"{self.key}#param1", FROM_RESULT, 1)}
        return out

    def library_call(
        self,
        st: list[frozenset],
        insn: Any,
        ref: MethodRef,
        aregs: tuple[int, ...],
        args: list[frozenset],
    ) -> frozenset:
        got = super().library_call(st, insn, ref, aregs, args)
        if ref.name == "getIntent" and ref.proto == "()Landroid/content/Intent;":
            comp = self.e.component_of(ref.class_desc, self.cls)
            if comp in self.e.exposed:
                api = f"{self.e.cg.framework_class(ref.class_desc)}->getIntent"
                got = got | {self.foreign(insn.pc, api, FROM_INTENT, None)}
        return got

    def icc_send(self, pc: int, api: str, name: str, labels: frozenset) -> None:
        # The engine's result channel joins every setResult to every onActivityResult; a
        # foreign Intent echoed back to whoever asked is no URI this app opens.
        if name != "setResult":
            super().icc_send(pc, api, name, labels)

    def foreign(self, offset: int | None, api: str, kind: str, param: int | None) -> int:
        return self.e.source_label(SourceSite(self.key, offset, api, kind, param))


class ForeignUriEngine(_OwnTablesEngine):
    """Run 1: Intents from other apps to the calls that open what they name."""

    sinks_of = OPENERS
    method_class = ForeignUriMethod

    def __init__(
        self,
        facts: AppFacts,
        budget: TaintBudget,
        exposed: frozenset[str],
        requesters: frozenset[str],
        callbacks: frozenset[str] = frozenset(),
    ) -> None:
        self.exposed = exposed
        self.requesters = requesters
        self.callbacks = callbacks
        self.started: set[str] = set()  # outer classes whose roots are being analysed
        self._intent_readers: set[str] | None = None
        super().__init__(facts, budget)

    def has_source_in_scope(self) -> bool:
        if not (self.exposed or self.requesters or self.callbacks):
            return False
        return _calls_in_scope(self, OPENERS)

    def find_roots(self, only: Callable[[str], bool] | None = None) -> list[MethodKey]:
        """Foreign Intents enter only in the exposed components and the requesting classes
        (and their inner classes): the run starts with their roots. The app's other roots
        are found and analysed when a field or a component's Intent channel they read gets
        a foreign URI (see write_field); a whole-app fixpoint for a handful of sources cost
        a second on Appium's server. An exposed component that never reads its Intent makes
        no source: it starts only when woken like the others."""
        readers = {c for c in self.exposed if self._reads_intent(c)}
        starts = {*readers, *self.requesters, *(_outer(c) for c in self.callbacks)}
        self.started.update(starts)
        roots = super().find_roots(only or (lambda desc: _outer(desc) in starts))
        # A callback whose interface the APK itself carries (androidx) has no framework
        # ancestor, so the engine does not take it for a root on its own.
        known = set(roots)
        for c in sorted(self.callbacks):
            key = f"{c}->{ON_CALLBACK[0]}{ON_CALLBACK[1]}"
            if key not in known and self.cg.lookup(key) is not None:
                roots.append(key)
        return roots

    def _reads_intent(self, comp: str) -> bool:
        """``getIntent()`` called in the component or its inner classes (R8 may name it on
        ``Activity``), or an Intent-taking entry method (onNewIntent, onReceive...) there."""
        if self._intent_readers is None:
            sites = self.facts.calls.of(ACTIVITY, "getIntent")
            self._intent_readers = {_outer(x.caller.class_desc) for x in sites}
        if comp in self._intent_readers:
            return True
        inner = comp[:-1] + "$"
        for desc in (comp, *(d for d in self.code.classes if d.startswith(inner))):
            for name, proto in self.cg.members(desc):
                if name in INTENT_PARAMS and INTENT in proto:
                    return True
        return False

    def write_field(self, key: Any, labels: frozenset) -> None:
        before = self.fields.get(key)
        super().write_field(key, labels)
        if self.fields.get(key) is before:
            return
        if key[0] == "icc":  # an Intent to one of the app's components
            self._wake(_outer(key[1]))
        elif key[0] == "f":  # a field: the classes whose code reads it
            for site in self.code.field_reads(key[1], key[2]):
                self._wake(_outer(site.caller.class_desc))

    def _wake(self, outer: str) -> None:
        if outer in self.started:
            return
        self.started.add(outer)
        for r in TaintEngine.find_roots(self, lambda desc: _outer(desc) == outer):
            self.roots.add(r)
            self.enqueue(r)

    def requests_results(self, desc: str) -> bool:
        return desc in self.requesters or any(
            self.code.is_subtype(r, desc) for r in self.requesters
        )


class ContentCopyMethod(MethodTaint):
    e: ContentCopyEngine

    def library_call(
        self,
        st: list[frozenset],
        insn: Any,
        ref: MethodRef,
        aregs: tuple[int, ...],
        args: list[frozenset],
    ) -> frozenset:
        e = self.e
        fw = e.cg.framework_class(ref.class_desc)
        name = ref.name
        pc = insn.pc
        # the class the tables name: the framework's, or the library's own (IOUtils)
        named = fw if (fw, name) in COPIES or (fw, name) in OPENERS else ref.class_desc
        api = f"{named}->{name}"
        taints = [taint_of(a) for a in args]
        copy = COPIES.get((named, name))
        if copy is not None:
            data, dest = copy
            pairs = _pairs(_at(taints, data), _at(taints, dest))
            if pairs:
                self.sink(SinkSite(self.key, pc, api, COPY), pairs, (self.key,))
        content: frozenset = EMPTY
        if (self.key, pc) in e.opened:
            content = frozenset((e.source_label(SourceSite(self.key, pc, api, CONTENT)),))
            into = SELF_COPIES.get((named, name))
            if into is not None:  # Files.copy(foreign, dest): the content goes straight in
                pairs = _pairs(content, _at(taints, (into,)))
                if pairs:
                    self.sink(SinkSite(self.key, pc, api, COPY), pairs, (self.key,))
        got = super().library_call(st, insn, ref, aregs, args)
        if fw in CLEAN_DECODERS:
            got = EMPTY
        place = CONTEXT_PLACES.get(name) if name.startswith("getExternal") else None
        if name == "openFileOutput" and any(
            m & MODE_WORLD_READABLE for m in self.const_ints(pc, 2)
        ):
            place = WORLD_READABLE
        if place is not None:
            where = f"{CONTEXT}->{name}" if name in CONTEXT_PLACES else api
            got = got | {e.source_label(SourceSite(self.key, pc, where, place))}
        if content:
            if name == "<init>" and aregs:
                self.mutate(st, aregs[0], content)
            else:
                got = got | content
        return got

    def sink(self, site: SinkSite, labels: frozenset, path: tuple[str, ...]) -> None:
        rest = set()
        for x in labels:
            if (
                isinstance(x, tuple)
                and x[0] == "p"
                and isinstance(x[1], int)
                and isinstance(x[2], int)
            ):
                self.e.add_copy(x[1], x[2], site, path)
            else:
                rest.add(x)
        if rest:
            super().sink(site, frozenset(rest), path)

    def sink_labels_at_call(self, labels: frozenset, taints: list[frozenset]) -> frozenset:
        def sub(x: Any) -> frozenset:
            if isinstance(x, int):
                return frozenset((x,))
            if x[0] == "a" and x[1] < len(taints):
                return taints[x[1]]
            return EMPTY

        out: set = set()
        for x in labels:
            if isinstance(x, tuple) and x[0] == "p":
                out.update(_pairs(sub(x[1]), sub(x[2])))
            else:
                out.update(sub(x))
        return frozenset(out)


class ContentCopyEngine(_OwnTablesEngine):
    """Run 2: what the openers of run 1 read, to copies into places others can read.

    A copy's sink label pairs what is copied with where it goes, ``("p", content,
    destination)``, so a helper ``copy(in, out)`` called once with a foreign stream and a
    private file and once with the app's own stream and an external file pairs each call's
    own arguments (the engine substitutes both halves at the same call).
    """

    paired_sinks = True
    sources = specs.SourceSpec(dict(PLACE_METHODS), {}, dict(PLACE_FIELDS), {})
    sinks_of = UPLOADS
    method_class = ContentCopyMethod

    def __init__(
        self, facts: AppFacts, budget: TaintBudget, opened: frozenset[tuple[str, int]]
    ) -> None:
        self.opened = opened
        self.copied: dict[tuple[int, int, SinkSite], tuple[str, ...]] = {}
        super().__init__(facts, budget)

    def has_source_in_scope(self) -> bool:
        return bool(self.opened)

    def add_copy(self, content: int, into: int, site: SinkSite, path: tuple[str, ...]) -> None:
        self.copied.setdefault((content, into, site), path)

    def copies(self) -> dict[tuple[str, int], list[tuple[SinkSite, list[SourceSite]]]]:
        """Opener site -> the copies of its content into a place others can read, each with
        the places (a destination stream made from an external directory...)."""
        result = self.run()
        found: dict[tuple[tuple[str, int], SinkSite], list[SourceSite]] = {}
        for content, into, site in self.copied:
            src, dest = self.sources[content], self.sources[into]
            if src.pi_type == CONTENT and dest.pi_type != CONTENT:
                found.setdefault(((src.method, src.offset or 0), site), []).append(dest)
        for leak in result.leaks:  # content handed to an HTTP client
            src = leak.source
            if src.pi_type == CONTENT and leak.sink.kind == NETWORK:
                to = SourceSite(leak.sink.method, leak.sink.offset, leak.sink.api, NETWORK)
                found.setdefault(((src.method, src.offset or 0), leak.sink), []).append(to)
        out: dict[tuple[str, int], list[tuple[SinkSite, list[SourceSite]]]] = {}
        for (opener, site), where in sorted(
            found.items(), key=lambda x: (x[0][0], x[0][1].method, x[0][1].offset)
        ):
            out.setdefault(opener, []).append((site, where))
        return out


def _outer(desc: str) -> str:
    """``Lcom/x/Main$1;`` -> ``Lcom/x/Main;``."""
    return desc.split("$", 1)[0] + ";" if "$" in desc else desc


def _pairs(content: frozenset, into: frozenset) -> frozenset:
    if not content or not into:
        return EMPTY
    return frozenset(("p", c, d) for c in content for d in into)


def _at(taints: list[frozenset], positions: tuple[int, ...]) -> frozenset:
    got: frozenset = EMPTY
    for p in positions:
        if p < len(taints):
            got = got | taints[p]
    return got


def _calls_in_scope(engine: TaintEngine, table: dict[tuple[str, str], Any]) -> bool:
    code = engine.code
    return any(
        engine.is_analysed(site.caller.class_desc)
        for cls, name in table
        for site in code.call_sites(cls, name)
    )


def guarded(engine: TaintEngine, path: tuple[str, ...]) -> bool:
    """Whether a method the flow passes through (or a boolean helper it calls) compares the
    URI's authority, scheme, host or canonical path: the app chooses what it opens."""
    for key in path:
        if _compares_guard(engine, key):
            return True
        for callee in _boolean_callees(engine, key):
            if _compares_guard(engine, callee):
                return True
    return False


def _compares_guard(engine: TaintEngine, key: MethodKey) -> bool:
    hit = engine.cg.lookup(key)
    if hit is None:
        return False
    dex, method = hit
    flow = method_flow(dex, method)
    if flow is None:
        return False
    for call in flow.invokes():
        if call.callee.name not in COMPARISONS:
            continue
        for values in flow.args_at(call.offset):
            for v in values:
                if v.kind != "result":
                    continue
                ref = v.data
                fw = engine.cg.framework_class(ref.class_desc)  # type: ignore[union-attr]
                if (fw, ref.name) in GUARD_READS:  # type: ignore[union-attr]
                    return True
    return False


def _boolean_callees(engine: TaintEngine, key: MethodKey) -> list[MethodKey]:
    """App methods ``key`` calls that answer yes/no (``isAllowed(uri)``)."""
    hit = engine.cg.lookup(key)
    if hit is None:
        return []
    dex, method = hit
    flow = method_flow(dex, method)
    if flow is None:
        return []
    out: list[MethodKey] = []
    for call in flow.invokes():
        if call.callee.proto.endswith(")Z"):
            out.extend(engine.cg.resolve(call.opcode, call.callee))
    return out[:16]
