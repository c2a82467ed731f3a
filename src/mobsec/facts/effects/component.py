"""What an exported component can do: the effects its entry methods reach.

From one component class the framework creates (its constructor and callbacks: onReceive,
onStartCommand, onBind, onCreate, onNewIntent, a provider's query/openFile...) a rapid type
analysis of its own (:class:`~mobsec.facts.reachability.Reachability` with this single
root) follows the calls, creations and framework callbacks of what it reaches, app and SDK
code alike. Objects the component did not create itself are still followed when the call
names an app type: the app classes the whole-app analysis instantiates that override the
method run (a singleton built by the Application). The walk is bounded
(``MAX_METHODS``); a component whose walk hits the bound counts as having effects
(unknown), never as harmless.

The call sites of the effect table (:mod:`.catalog`) and of the PI catalogue's sources
(:mod:`mobsec.facts.privacy`) inside the reached methods are the component's effects, each
with the call chain that reaches it (for the finding's evidence).

A broadcast receiver the component creates (``registerReceiver(new R(), filter)``) runs when
a matching broadcast arrives, not when the caller starts the component: the walk first
finishes without entering such receivers (what the caller's start makes happen), then
enters them. What only they reach is kept apart (:attr:`ComponentEffects.through_receivers`):
a receiver another app can send to is reported where it is registered
(``android.icc.dynamic-receiver-exported``), one for system or local broadcasts only runs
on events the caller does not control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mobsec.facts.dataflow import method_flow
from mobsec.facts.effects.catalog import (
    CONSENT_TOKEN,
    CONSTANT_ARGUMENT_HARMLESS,
    EFFECTS,
    PLAYBACK_CAPTURE,
    REFLECTED,
    RETURNS_CALLER_INTENT,
    SECRET_WORDS,
    SHOWS_SECRET,
    EffectApi,
)
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.facts.reachability import Reachability
from mobsec.facts.taint.reflection import fold_strings
from mobsec.facts.values.sources import IPC, input_kinds
from mobsec.ingest.dex import CodeSite, DexFile, DexSet

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

MAX_METHODS = 6000  # reached methods per component before the answer is "unknown"
MAX_SUBTYPES = 64  # app overrides followed for one call naming an app type
MAX_PATH = 5  # methods shown in a "via" chain
SHOWN = 4  # effects spelled out in the evidence
RECEIVER = "Landroid/content/BroadcastReceiver;"
# Entry methods whose Intent parameter is the one another app sent.
INTENT_ENTRIES = frozenset(
    ("onStartCommand", "onStart", "onHandleIntent", "onBind", "onRebind", "onReceive",
     "onNewIntent", "onUnbind", "onTaskRemoved")
)  # fmt: skip
# The order effects are named in (the message names the first): a permission-guarded act
# says more than "writes files", which says more than "starts a component".
_RANK = {"act": 0, "pi": 1, "pi-open": 1, "returns": 3, "display": 4, "read": 5, "start": 6}


@dataclass(frozen=True, slots=True)
class Effect:
    api: str  # "KeyguardManager$KeyguardLock.disableKeyguard"
    kind: str  # act | returns | read | start | input | pi
    label_en: str
    label_zh: str
    permission: str  # the held permission that makes it work, or ""
    path: tuple[str, ...]  # "Class.method" from the entry method to the caller
    depth: int = 0  # calls from the entry method (the shortest chain is named first)


@dataclass(slots=True)
class ComponentEffects:
    component: str
    known: bool  # False: class missing, or the walk hit its bound
    methods: int = 0
    effects: list[Effect] = field(default_factory=list)  # the ones that count
    other: list[Effect] = field(default_factory=list)  # found but not counting (why: kind)
    caller_data: Effect | None = None
    not_held: list[tuple[str, str]] = field(default_factory=list)  # (api, permission)
    # Effects reached only inside receivers the component creates (they run on a broadcast).
    through_receivers: list[Effect] = field(default_factory=list)
    receivers: list[str] = field(default_factory=list)  # simple names of those receivers
    # (id(dex), method_idx) of the methods the caller's start reaches (receivers not entered)
    reached: frozenset[tuple[int, int]] = frozenset()
    consent: list[Effect] = field(default_factory=list)  # capture that needs the user's token

    @property
    def harmless(self) -> bool:
        return self.known and not self.effects

    def only_from(self, method: str) -> bool:
        """Every effect is reached through the entry method named ``method`` (a guard
        there comes before all of them); unknown effects are not."""
        return (
            self.known
            and bool(self.effects)
            and all(e.path and e.path[0].endswith("." + method) for e in self.effects)
        )

    def evidence(self) -> str:
        """The lines appended to the finding's evidence."""
        if not self.known:
            if self.methods:
                return f"effects: not decided (the walk stopped after {self.methods} methods)"
            return ""
        lines = []
        for e in self.effects[:SHOWN]:
            perm = f" ({e.permission.rsplit('.', 1)[-1]})" if e.permission else ""
            lines.append(f"reaches: {e.api}{perm} [{e.label_en}] via {' -> '.join(e.path)}")
        if len(self.effects) > SHOWN:
            lines.append(f"... and {len(self.effects) - SHOWN} more effects")
        if not self.effects:
            lines.append(
                f"reaches no sensitive effect in {self.methods} methods "
                "(no permission-guarded API the app holds, no command, code loading, file, "
                "database, preference or network write, no data returned that it read)"
            )
        if self.caller_data is not None:
            lines.append(
                f"caller data: {self.caller_data.api} via {' -> '.join(self.caller_data.path)}"
            )
        for api, perm in self.not_held[:2]:
            lines.append(f"not counted: {api} needs {perm.rsplit('.', 1)[-1]}, not requested")
        for e in self.consent[:2]:
            lines.append(
                f"not counted: {e.api} via {' -> '.join(e.path)} uses the MediaProjection "
                "consent token of the caller's Intent (only the device's user can grant it)"
            )
        if self.through_receivers:
            e = self.through_receivers[0]
            more = len(self.through_receivers) - 1
            tail = f" and {more} more" if more > 0 else ""
            lines.append(
                f"on a broadcast only: {', '.join(self.receivers[:3])} (registered by its code) "
                f"{e.label_en} ({e.api}){tail} via {' -> '.join(e.path)}"
            )
        return "\n".join(lines)

    def summary(self) -> tuple[str, str]:
        """Short en/zh text for the message: what it reaches first."""
        if not self.effects:
            return "", ""
        e = self.effects[0]
        more = len({x.label_en for x in self.effects}) - 1
        tail_en = f" and {more} more" if more > 0 else ""
        tail_zh = f"等 {more + 1} 类操作" if more > 0 else ""
        return (
            f"; its code {e.label_en} ({e.api}){tail_en}",
            f";其代码会{e.label_zh}({e.api}){tail_zh}",
        )


class _ComponentReach(Reachability):
    """RTA from one component, bounded, remembering who reached each method."""

    limit = MAX_METHODS

    def __init__(
        self,
        code: DexSet,
        root: str,
        app_instantiated: set[str],
        hierarchy,
        components: frozenset[str],
        lookups: Reachability | None,
        entries: tuple[tuple[str, str, str], ...] = (),
        every_method_of: tuple[str, ...] = (),
    ) -> None:
        self._others = components - {root}
        self.parent: dict[tuple[int, int], tuple[int, int] | None] = {}
        self.names: dict[tuple[int, int], str] = {}
        self.descs: dict[tuple[int, int], str] = {}
        self.where: dict[tuple[int, int], DexFile] = {}
        self._app_instantiated = app_instantiated
        self._hierarchy = hierarchy
        self._typed: set[tuple[str, int]] = set()
        self._root = root
        self._deferred: list[str] = []  # receivers created here, entered after the first walk
        self._second = False
        super().__init__(code, [root], every_method_of, entries, lookups=lookups)
        self.complete = not self._work
        self.own = frozenset(self.names)  # what the caller's start reaches
        self.receivers = list(dict.fromkeys(self._deferred))
        if self.complete and self.receivers:
            self._second = True
            self._current = None  # their chains start at the receiver's callback
            for d in self.receivers:
                self._activate(d)
            self._run()

    def _reach(self, desc: str, sig: int, number: int) -> None:
        no, idx = divmod(self._m_where[number], 1 << 32)
        dex = self.code.dexes[no]
        key = (id(dex), idx)
        if key not in self.names:
            self.names[key] = f"{_simple(desc)}.{self._sigs.name(sig)}"
            self.descs[key] = desc
            self.where[key] = dex
            self.parent[key] = getattr(self, "_current", None)
        super()._reach(desc, sig, number)

    def _activate(self, desc: str, every_method: bool = False) -> None:
        # Another manifest component named here (``new Intent(this, Other.class)``) runs
        # with its own exposure when started: its effects are its own finding's.
        if desc in self._others:
            return
        if not self._second and desc != self._root and RECEIVER in self._supers(desc):
            # runs on a broadcast, not on the caller's start: entered in the second walk
            self._deferred.append(desc)
            return
        super()._activate(desc, every_method)

    def _virtual_call(self, sig: int, desc: str = "") -> None:
        super()._virtual_call(sig, desc)
        if not desc or (desc, sig) in self._typed or self.code.find_class(desc) is None:
            return
        self._typed.add((desc, sig))
        # The receiver is an app type: an instance created anywhere in the app may be it.
        for sub in self._hierarchy.subtypes(desc)[:MAX_SUBTYPES]:
            if sub in self._app_instantiated:
                self._define(sub, sig)

    def chain(self, key: tuple[int, int]) -> list[tuple[int, int]]:
        """``key`` and the methods that reached it, back to an entry method."""
        out: list[tuple[int, int]] = []
        cur: tuple[int, int] | None = key
        while cur is not None and cur not in out and len(out) < 64:
            out.append(cur)
            cur = self.parent.get(cur)
        return out

    def path(self, key: tuple[int, int]) -> tuple[str, ...]:
        out: list[str] = []
        cur: tuple[int, int] | None = key
        seen = set()
        while cur is not None and cur not in seen and len(out) < 64:
            seen.add(cur)
            out.append(self.names.get(cur, "?"))
            cur = self.parent.get(cur)
        out.reverse()
        if len(out) > MAX_PATH:
            out = [*out[:2], "...", *out[-(MAX_PATH - 3) :]]
        return tuple(out)


def _simple(desc: str) -> str:
    return desc[1:-1].rsplit("/", 1)[-1]


def component_effects(facts: AppFacts, component: str) -> ComponentEffects:
    """The effects ``component`` (Java name) reaches (memoised per app)."""
    cache = facts.memo(("effects", "components"), dict)
    got = cache.get(component)
    if got is None:
        got = cache[component] = _analyse(facts, component)
    return got


def _sites(facts: AppFacts) -> dict[tuple[int, int], list[tuple[EffectApi, CodeSite]]]:
    """(id(dex), caller method_idx) -> the effect calls it makes (table row, site)."""

    def build() -> dict[tuple[int, int], list[tuple[EffectApi, CodeSite]]]:
        out: dict[tuple[int, int], list[tuple[EffectApi, CodeSite]]] = {}
        for row in EFFECTS:
            for s in facts.calls.of(row.class_desc, row.method):
                out.setdefault((id(s.dex), s.caller_idx), []).append((row, s))
        for name in ("getMethod", "getDeclaredMethod"):
            for s in facts.calls.of("Ljava/lang/Class;", name, exact=True):
                out.setdefault((id(s.dex), s.caller_idx), []).append((_LOOKUP, s))
        for access in facts.pi_collection.accesses():
            src = access.source
            if src.kind not in ("method", "content-uri"):
                continue
            # A source no permission guards (ANDROID_ID) is no effect for a component
            # another app starts, but a socket sends it to whoever connects: "pi-open".
            row = EffectApi(
                src.class_desc or "Landroid/content/ContentResolver;",
                src.method or "query",
                "pi" if src.permissions else "pi-open",
                f"reads {src.name.en}",
                f"读取{src.name.zh}",
                tuple(p.name for p in src.permissions),
            )
            s = access.site
            out.setdefault((id(s.dex), s.caller_idx), []).append((row, s))
        return out

    return facts.memo(("effects", "sites"), build)


def _flow(site):
    method = site.dex.method_by_idx(site.caller_idx)
    return None if method is None else method_flow(site.dex, method)


def _judged(facts: AppFacts, row: EffectApi, site: CodeSite) -> EffectApi | None:
    """The row as this call site makes it, from the values reaching its argument (followed
    across methods, :mod:`mobsec.facts.values`; asked only for the analysed components):
    a constant command is no effect; a credential named on screen is one; text shown on
    screen that is only constants and the caller's own data shows the caller nothing new."""
    if row is _LOOKUP:
        return _reflected(site)
    if (row.class_desc, row.method) == (CONSENT_TOKEN.class_desc, CONSENT_TOKEN.method):
        return CONSENT_TOKEN if _callers_intent(facts, site, 2) else row
    if (row.class_desc, row.method) == ("Landroid/media/AudioRecord;", "startRecording"):
        return None if _playback_capture_only(facts, site) else row
    if (row.class_desc, row.method) in CONSTANT_ARGUMENT_HARMLESS:
        return None if _texts(facts, site, 1)[0] else row
    if row.kind == "returns" and _returns_callers_intent(facts, site):
        return RETURNS_CALLER_INTENT
    if row.kind != "display":
        return row
    constant, texts, kinds = _texts(facts, site, 1)
    if any(_SECRET.search(t) for t in texts):
        return EffectApi(
            row.class_desc, row.method, "act", SHOWS_SECRET.label_en, SHOWS_SECRET.label_zh
        )
    if constant or kinds <= {IPC}:
        return None
    return row


def _callers_intent(facts: AppFacts, site: CodeSite, position: int) -> bool:
    """Argument ``position`` is the Intent another app sent (the parameter of an entry
    method such as ``onStartCommand``, or ``getIntent()``), followed across methods."""
    for r in facts.values.arg(site, position):
        v = r.value
        if v.kind == "result" and getattr(v.data, "name", "") == "getIntent":
            return True
        if v.kind != "param" or r.made_in is None:
            continue
        dex, idx = r.made_in
        ref = dex.method_ref(idx)
        params = ref.proto[1:].split(")", 1)[0]
        if ref.name in INTENT_ENTRIES and "Landroid/content/Intent;" in params:
            return True
    return False


def _playback_capture_only(facts: AppFacts, site: CodeSite) -> bool:
    """Every AudioRecord the site's class (with its nested classes) builds captures other
    apps' playback (``setAudioPlaybackCaptureConfig``), none records the microphone."""
    outer = _outer(site.dex.method_ref(site.caller_idx).class_desc)

    def in_class(sites) -> bool:
        return any(_outer(s.dex.method_ref(s.caller_idx).class_desc) == outer for s in sites)

    calls = facts.calls
    return (
        in_class(calls.of(*PLAYBACK_CAPTURE))
        and not in_class(calls.of("Landroid/media/AudioRecord;", "<init>"))
        and not in_class(calls.of("Landroid/media/AudioRecord$Builder;", "setAudioSource"))
    )


def _outer(desc: str) -> str:
    return desc.split("$", 1)[0] + (";" if "$" in desc else "")


def _returns_callers_intent(facts: AppFacts, site: CodeSite) -> bool:
    """``setResult(code, getIntent())``: the caller's own Intent handed back, with whatever
    URI grant flags and data URI it carries (the app grants the caller its URIs)."""
    flow = _flow(site)
    if flow is None:
        return False
    args = flow.args_at(site.offset)
    if len(args) < 3:
        return False
    return any(v.kind == "result" and getattr(v.data, "name", "") == "getIntent" for v in args[2])


def _texts(facts: AppFacts, site: CodeSite, position: int) -> tuple[bool, list[str], set[str]]:
    """(every value is constant, the constant texts, who controls the other parts)."""
    reached = facts.values.arg(site, position)
    texts = [t for r in reached if (t := r.value.text()) is not None]
    kinds: set[str] = set()
    for r in reached:
        kinds |= input_kinds(r, facts.hierarchy)
    constant = bool(reached) and all(r.value.is_constant() for r in reached)
    return constant, texts, kinds


_SECRET = re.compile(SECRET_WORDS)
# A reflective method lookup: which hidden method it names is read only when it is reached.
_LOOKUP = EffectApi("Ljava/lang/Class;", "getMethod", "lookup", "", "")


def _reflected(site) -> EffectApi | None:
    """The hidden platform method a ``getMethod(name)`` looks up, when it is one we know."""
    flow = _flow(site)
    if flow is None:
        return None
    args = flow.args_at(site.offset)
    if len(args) < 2:
        return None
    for name in fold_strings(flow, args[1]):
        if name in REFLECTED:
            return REFLECTED[name]
    return None


def _analyse(facts: AppFacts, component: str) -> ComponentEffects:
    if facts.manifest is None:
        return ComponentEffects(component, known=False)
    kind = next((c.kind for c in facts.manifest.components if c.name == component), "")
    return walk_effects(facts, component, kind)[0]


def walk_effects(
    facts: AppFacts,
    component: str,
    kind: str,
    entries: tuple[tuple[str, str, str], ...] = (),
    every_method_of: tuple[str, ...] = (),
) -> tuple[ComponentEffects, _ComponentReach | None]:
    """The effects reached from class ``component`` (Java name) created by the framework,
    plus ``entries`` (methods that run) and every method of ``every_method_of``; ``kind``
    says which found calls count (:func:`_classify`). The walk is returned for callers
    that look at more of what it reached (None when it could not run)."""
    desc = java_to_descriptor(component)
    code = facts.code
    out = ComponentEffects(component, known=False)
    if code.find_class(desc) is None or facts.manifest is None:
        return out, None
    reach = facts.reachability
    instantiated = reach.instantiated if reach.known else set()
    components = frozenset(
        java_to_descriptor(c.name) for c in facts.manifest.components if c.kind != "activity-alias"
    )
    walk = _ComponentReach(
        code, desc, instantiated, facts.hierarchy, components, reach, entries, every_method_of
    )
    out.methods = walk.reachable_count
    if not walk.complete:
        return out, walk
    out.known = True
    out.reached = walk.own
    out.receivers = [_simple(d) for d in walk.receivers]
    held = set(facts.manifest.permission_names())
    min_sdk = facts.manifest.min_sdk
    sites = _sites(facts)
    own: list[Effect] = []
    later: list[Effect] = []
    seen: set[str] = set()
    owners = facts.owners
    for key in walk.names:
        if key not in sites:
            continue
        if all(
            walk.descs[k] != desc and owners.owner_of(walk.descs[k]).kind == "sdk"
            for k in walk.chain(key)
        ):
            continue  # a library's own work, reached only through library superclass methods
        if any(
            walk.names[k].endswith(".<clinit>") and owners.owner_of(walk.descs[k]).kind == "sdk"
            for k in walk.chain(key)
        ):
            # A library class's static initialiser builds its constants; what the walk
            # reaches past it comes from resolving its virtual calls over every created type.
            continue
        for found_row, site in sites[key]:
            if found_row.kind == "pi-open" and kind != "socket":
                continue  # nothing for a caller that starts a component (see _sites)
            row = _judged(facts, found_row, site)
            if row is None or row.api in seen:
                continue
            if row.below_sdk and min_sdk >= row.below_sdk:
                continue  # no device the app installs on gives the call this effect
            if row is CONSENT_TOKEN:
                seen.add(row.api)
                out.consent.append(Effect(row.api, "act", "", "", "", walk.path(key)))
                continue
            perm = ""
            if row.permissions:
                have = [p for p in row.permissions if p in held]
                if not have:
                    out.not_held.append((row.api, row.permissions[0]))
                    seen.add(row.api)
                    continue
                perm = have[0]
            seen.add(row.api)
            effect = Effect(
                row.api,
                row.kind,
                row.label_en,
                row.label_zh,
                perm,
                walk.path(key),
                len(walk.chain(key)),
            )
            (own if key in walk.own else later).append(effect)
    _classify(kind, own, out)
    if later:
        on_broadcast = ComponentEffects(component, known=True)
        _classify(kind, later, on_broadcast)
        out.through_receivers = on_broadcast.effects
    return out, walk


def _classify(kind: str, found: list[Effect], out: ComponentEffects) -> None:
    """Which of the found calls count as effects for this kind of component (``socket``:
    a server's connection handling, which hands what it reads to the client, like a
    provider, and may forward the client's bytes to what it starts)."""
    answers = kind in ("provider", "socket")
    reads = [e for e in found if e.kind in ("read", "pi")]
    inputs = [e for e in found if e.kind == "input"]
    out.caller_data = inputs[0] if inputs else None
    for e in found:
        counts = (
            e.kind == "act"
            or (e.kind == "pi" and e.permission != "")
            or (e.kind == "pi-open" and kind == "socket")
            or (e.kind == "read" and (answers or e.permission != ""))
            or (e.kind in ("returns", "display") and bool(reads))
            or (e.kind == "start" and (bool(inputs) or kind == "socket"))
        )
        if e.kind == "input":
            continue
        (out.effects if counts else out.other).append(e)
    out.effects.sort(key=lambda e: (_RANK.get(e.kind, 2) - (e.permission != ""), e.depth))
