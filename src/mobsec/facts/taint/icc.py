"""Which component of the app an Intent sent by a method reaches.

Why per method and not per Intent object: the Intent is almost always built in the method
that sends it (``new Intent(this, Target.class)``, ``setAction("x")``,
``setComponent(new ComponentName(..))``), and the intra-procedural data flow already gives
the constant arguments of those calls. All Intents built in one method are merged: a
method that sends two Intents to two targets lets taint of either reach both (coarse, and
rare in practice).

An explicit target must be declared in the manifest (Android refuses to start an
undeclared component), a dynamically registered receiver counts when registered with an
``IntentFilter`` of a matching action. An Intent that names no target we can resolve leaves
the app: the send call is then a sink.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.facts.dataflow import method_flow, string_constants
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.facts.manifest import Manifest
from mobsec.ingest.dex import DexFile, DexSet, MethodDef

from .reflection import class_names, fold_strings

INTENT = "Landroid/content/Intent;"
COMPONENT_NAME = "Landroid/content/ComponentName;"
INTENT_FILTER = "Landroid/content/IntentFilter;"
MAX_REGISTRATIONS = 200


@dataclass(frozen=True, slots=True)
class IccResolution:
    targets: frozenset[str]  # component class descriptors inside the app
    resolved: bool  # False: no explicit class or known action -> the Intent leaves the app


@dataclass(slots=True)
class IccModel:
    """Components reachable by class name or action, built once per app."""

    declared: set[str] = field(default_factory=set)  # descriptors of manifest components
    by_action: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, manifest: Manifest | None, code: DexSet) -> IccModel:
        model = cls()
        if manifest is not None:
            for c in manifest.components:
                name = c.target_activity if c.kind == "activity-alias" else c.name
                if not name:
                    continue
                desc = java_to_descriptor(name)
                model.declared.add(desc)
                for f in c.intent_filters:
                    for a in f.actions:
                        model.by_action.setdefault(a, set()).add(desc)
        model._dynamic_receivers(code)
        return model

    def _dynamic_receivers(self, code: DexSet) -> None:
        sites = code.call_sites("Landroid/content/Context;", "registerReceiver")
        for cls in ("Landroid/content/ContextWrapper;", "Landroid/app/Activity;"):
            sites += code.call_sites(cls, "registerReceiver")
        for site in sites[:MAX_REGISTRATIONS]:
            method = site.dex.method_by_idx(site.caller_idx)
            flow = method_flow(site.dex, method) if method is not None else None
            if flow is None:
                continue
            args = flow.args_at(site.offset)
            receivers = {v.data for v in args[1] if v.kind == "new"} if len(args) > 1 else set()
            actions: set[str] = set()
            for call in flow.invokes():
                if call.callee.class_desc == INTENT_FILTER and call.callee.name in (
                    "<init>",
                    "addAction",
                ):
                    vals = flow.args_at(call.offset)
                    if len(vals) > 1:
                        actions |= string_constants(vals[1])
            for a in actions:
                self.by_action.setdefault(a, set()).update(str(r) for r in receivers)
            self.declared.update(str(r) for r in receivers)

    def resolve(self, dex: DexFile, method: MethodDef) -> IccResolution:
        flow = method_flow(dex, method)
        if flow is None:
            return IccResolution(frozenset(), False)
        classes: set[str] = set()
        actions: set[str] = set()
        for call in flow.invokes():
            ref = call.callee
            if ref.class_desc not in (INTENT, COMPONENT_NAME):
                continue
            if ref.name not in ("<init>", "setClass", "setClassName", "setAction", "setComponent"):
                continue
            args = flow.args_at(call.offset)
            for i, values in enumerate(args[1:], start=1):
                classes |= class_names(flow, values)
                text = fold_strings(flow, values)
                if not text:
                    continue
                if ref.name == "setAction" or (
                    ref.class_desc == INTENT and ref.name == "<init>" and i == 1
                ):
                    actions |= text
                elif ref.name == "setClassName" or ref.class_desc == COMPONENT_NAME:
                    classes |= {java_to_descriptor(t) for t in text if "." in t}
        targets: set[str] = {c for c in classes if c in self.declared}
        for a in actions:
            targets |= self.by_action.get(a, set())
        resolved = bool(targets) or bool(classes)
        return IccResolution(frozenset(targets), resolved)
