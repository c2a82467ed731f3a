"""Entry points: where the Android framework calls into the app's code.

A static analysis has no ``main``: the framework instantiates the components the manifest
declares (and the Application, the AppComponentFactory, the backup agent) and calls their
lifecycle methods. Taint and reachability analyses start here. A lifecycle method counts
when the component class or one of its app-defined superclasses defines it; when it is
inherited from the framework, the app's code does not run there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mobsec.facts.manifest import Manifest
from mobsec.ingest.dex import DexSet

# Lifecycle and framework callbacks by component kind (names only: overloads all count).
LIFECYCLE: dict[str, frozenset[str]] = {
    "application": frozenset(
        {
            "<init>",
            "attachBaseContext",
            "onCreate",
            "onConfigurationChanged",
            "onLowMemory",
            "onTrimMemory",
            "onTerminate",
        }
    ),
    "activity": frozenset(
        {
            "<init>",
            "attachBaseContext",
            "onCreate",
            "onPostCreate",
            "onStart",
            "onRestart",
            "onResume",
            "onPostResume",
            "onPause",
            "onStop",
            "onDestroy",
            "onNewIntent",
            "onActivityResult",
            "onRequestPermissionsResult",
            "onSaveInstanceState",
            "onRestoreInstanceState",
            "onCreateOptionsMenu",
            "onOptionsItemSelected",
            "onBackPressed",
            "onWindowFocusChanged",
            "onUserLeaveHint",
            "onConfigurationChanged",
            "isValidFragment",
        }
    ),
    "service": frozenset(
        {
            "<init>",
            "onCreate",
            "onStart",
            "onStartCommand",
            "onBind",
            "onUnbind",
            "onRebind",
            "onDestroy",
            "onTaskRemoved",
            "onHandleIntent",  # IntentService
            "onHandleWork",  # JobIntentService
            "onStartJob",  # JobService
            "onStopJob",
            "onMessageReceived",  # messaging services (FCM and vendor push)
            "onNewToken",
            "onAccessibilityEvent",
            "onInterrupt",
            "onNotificationPosted",
        }
    ),
    "receiver": frozenset({"<init>", "onReceive"}),
    "provider": frozenset(
        {
            "<init>",
            "onCreate",
            "attachInfo",
            "query",
            "insert",
            "bulkInsert",
            "update",
            "delete",
            "getType",
            "openFile",
            "openAssetFile",
            "openTypedAssetFile",
            "call",
            "applyBatch",
        }
    ),
    "app-component-factory": frozenset(
        {
            "<init>",
            "instantiateApplication",
            "instantiateActivity",
            "instantiateService",
            "instantiateReceiver",
            "instantiateProvider",
            "instantiateClassLoader",
        }
    ),
    "backup-agent": frozenset({"<init>", "onCreate", "onBackup", "onRestore", "onFullBackup"}),
}


def java_to_descriptor(name: str) -> str:
    return "L" + name.replace(".", "/") + ";"


@dataclass(slots=True)
class EntryPoint:
    kind: str  # activity, service, receiver, provider, application, app-component-factory, ...
    component: str  # Java class name from the manifest
    exported: bool
    defined: bool  # the class exists in the app's DEX files
    # "Lcom/x/A;->onCreate(Landroid/os/Bundle;)V" for each lifecycle method the app defines
    methods: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "component": self.component,
            "exported": self.exported,
            "defined": self.defined,
            "methods": self.methods,
        }


def find_entry_points(manifest: Manifest, dexes: DexSet) -> list[EntryPoint]:
    wanted: list[tuple[str, str, bool]] = []
    app = manifest.application
    if app.name:
        wanted.append(("application", app.name, False))
    if app.app_component_factory:
        wanted.append(("app-component-factory", app.app_component_factory, False))
    if app.backup_agent:
        wanted.append(("backup-agent", app.backup_agent, False))
    for c in manifest.components:
        if c.kind == "activity-alias":
            continue  # its target activity is listed on its own
        wanted.append((c.kind, c.name, c.exported))

    out: list[EntryPoint] = []
    for kind, java_name, exported in wanted:
        desc = java_to_descriptor(java_name)
        ep = EntryPoint(kind, java_name, exported, dexes.find_class(desc) is not None)
        if ep.defined:
            ep.methods = _lifecycle_methods(dexes, desc, LIFECYCLE[kind])
        out.append(ep)
    return out


def _lifecycle_methods(dexes: DexSet, descriptor: str, names: frozenset[str]) -> list[str]:
    """Lifecycle methods defined by the class or its app-defined superclasses.

    A subclass override hides the superclass method of the same name and prototype.
    """
    seen: set[tuple[str, str]] = set()
    found: list[str] = []
    for desc in (descriptor, *dexes.superclasses(descriptor)):
        hit = dexes.find_class(desc)
        if hit is None:
            break  # framework class: what it defines is not app code
        dex, cls = hit
        for m in cls.methods:
            ref = dex.method_ref(m.method_idx)
            if ref.name in names and (ref.name, ref.proto) not in seen:
                if ref.name == "<init>" and desc != descriptor:
                    continue  # only the component's own constructor runs first
                seen.add((ref.name, ref.proto))
                found.append(str(ref))
    return found
